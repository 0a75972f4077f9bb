"""The seed plans written in the other formats and encodings plans come in, for the tests.

Each writer starts from a seed's UTF-8 text: the legacy encodings from the tables in
``data/encodings/`` (and Python's cp1258 codec), HTML and PDF with the seed's task table
as a real table (PDF through fpdf2 with a TrueType font that has the Vietnamese letters).
"""

from __future__ import annotations

import csv
import html
import io
import quopri
import unicodedata
import zipfile
from collections.abc import Callable
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from functools import cache
from pathlib import Path
from xml.sax import saxutils

import pypdfium2 as pdfium
from demo_corpus import PLANS, ROOT
from docx import Document
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos
from PIL import Image, ImageDraw

from ccbc_graph.extract.tables import TaskRow, find_task_tables
from ccbc_graph.textnorm import clean

ENCODINGS = ROOT / "data" / "encodings"
# Debian's fonts-dejavu-core: a TrueType font with every Vietnamese letter.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FIELDS = ("task", "product", "lead", "coordinators", "timeframe", "budget", "note")
HEADER = [
    "TT",
    "NHIỆM VỤ",
    "SẢN PHẨM",
    "CƠ QUAN CHỦ TRÌ",
    "CƠ QUAN PHỐI HỢP",
    "THỜI GIAN THỰC HIỆN",
    "DỰ KIẾN KINH PHÍ",
    "GHI CHÚ",
]
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def seed_text(name: str) -> str:
    return unicodedata.normalize("NFC", (PLANS / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- encodings


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: a precomposed base letter where the
    code page has one (â, ơ, đ …) and the tone as a combining mark after it."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tone = "".join(c for c in decomposed if c in _TONES)
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            out += (base + tone).encode("cp1258")
    return bytes(out)


@cache
def _table(name: str, column: str) -> dict[str, bytes]:
    with open(ENCODINGS / name, encoding="utf-8", newline="") as handle:
        return {row["char"]: bytes.fromhex(row[column]) for row in csv.DictReader(handle)}


def tcvn3_bytes(text: str) -> bytes:
    """TCVN3 as the ABC fonts write it: a capital the table lacks in its lower-case code (the
    capitals font shows those codes as capitals)."""
    table = _table("tcvn3.csv", "byte")
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        out += table.get(char) or table.get(char.lower()) or char.encode("cp1252")
    return bytes(out)


def vni_bytes(text: str) -> bytes:
    table = _table("vni.csv", "bytes")
    return b"".join(table.get(c) or c.encode("cp1252") for c in unicodedata.normalize("NFC", text))


def font_characters(data: bytes) -> str:
    """What Windows stores for bytes typed in a legacy font (.VnTime, VNI-Times): their
    Windows-1252 characters, an undefined byte as the control character of its number."""
    return "".join(chr(b) if b in b"\x81\x8d\x8f\x90\x9d" else bytes([b]).decode("cp1252") for b in data)


# ---------------------------------------------------------------------------- documents


def plan_parts(text: str) -> list[str | list[TaskRow]]:
    """The seed as paragraphs (its lines, Markdown emphasis dropped) and, in its place, its
    task table as the rows :func:`find_task_tables` reads."""
    parts: list[str | list[TaskRow]] = []
    pos = 0
    for table in find_task_tables(clean(text)):
        parts += [line.replace("*", "") for line in text[pos : table.span.start].split("\n") if line.strip()]
        parts.append(table.rows)
        pos = table.span.end
    parts += [line.replace("*", "") for line in text[pos:].split("\n") if line.strip()]
    return parts


def table_cells(rows: list[TaskRow]) -> list[list[tuple[str, int]]]:
    """Each row's cells as (text, rows spanned): a cell the rows below inherit spans them,
    and they leave it out, as in a Word table with merged cells."""
    grid: list[list[tuple[str, int]]] = []
    for i, row in enumerate(rows):
        cells = [(f"{row.row}.", 1)]
        for field in FIELDS:
            if field in row.inherited:
                continue
            span = 1
            while i + span < len(rows) and field in rows[i + span].inherited:
                span += 1
            cell = getattr(row, field)
            cells.append(("" if cell is None else cell.text, span))
        grid.append(cells)
    return grid


def html_page(text: str, *, charset: str = "utf-8") -> str:
    """The seed as a web page: paragraphs, its task table as a <table>, a head, a style, a
    script and a comment that are not the plan's text."""
    out = [
        f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>Kế hoạch 999/QĐ-TTg</title>",
        "<style>td { border: 1px solid } /* 998/QĐ-TTg */</style></head><body>",
        "<script>document.title = 'Quyết định số 997/QĐ-TTg';</script><!-- 996/QĐ-TTg -->",
    ]
    for part in plan_parts(text):
        if isinstance(part, str):
            out.append(f"<p>{html.escape(part)}</p>")
            continue
        out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in HEADER) + "</tr>")
        for cells in table_cells(part):
            tds = ("<br>".join(html.escape(line) for line in cell.split("\n")) for cell, _ in cells)
            spans = (f" rowspan='{span}'" if span > 1 else "" for _, span in cells)
            out.append("<tr>" + "".join(f"<td{span}>{td}</td>" for td, span in zip(tds, spans, strict=True)) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def _pdf() -> FPDF:
    assert FONT.exists(), f"{FONT} is missing: install Debian's fonts-dejavu-core"
    pdf = FPDF(orientation="L")
    pdf.add_font("dejavu", "", str(FONT))
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    return pdf


def web_archive(page: str) -> bytes:
    """A page as Word's "single file web page" writes it: a MIME message, the page in
    quoted-printable, an image beside it."""
    archive = MIMEMultipart("related")
    archive.attach(MIMEText(page, "html", "utf-8"))
    archive.get_payload()[0].replace_header("Content-Transfer-Encoding", "quoted-printable")
    archive.get_payload()[0].set_payload(quopri.encodestring(page.encode("utf-8")).decode("ascii"))
    archive.attach(MIMEText("GIF89a", "plain"))
    return archive.as_bytes()


def pdf_document(text: str, typed: Callable[[str], str] = str) -> bytes:
    """The seed as a PDF with a text layer: paragraphs wrapped to the page, the task table
    as a ruled table; each paragraph and cell as ``typed`` writes it (in a legacy font:
    :func:`font_characters`)."""
    pdf = _pdf()
    for part in plan_parts(text):
        if isinstance(part, str):
            pdf.multi_cell(0, 5, typed(part.replace("\t", " ")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            continue
        with pdf.table(first_row_as_headings=False) as table:
            for cells in [[(header, 1) for header in HEADER], *table_cells(part)]:
                row = table.row()
                for cell, span in cells:
                    row.cell(typed(cell), rowspan=span)
    return bytes(pdf.output())


class _NumberedPages(FPDF):
    """Pages numbered at the top centre, every page but the first, as ``number`` writes it."""

    def __init__(self, number: str) -> None:
        super().__init__(format="A4")
        self.number = number

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_y(8)
            self.cell(0, 6, self.number.format(self.page_no()), align="C")
            self.ln(10)


def printed_pdf(text: str, number: str = "{}") -> bytes:
    """The seed's paragraphs (its task table left out) as a plan is printed: A4, 13-point,
    numbered at the top of every page but the first (Nghị định 30/2020/NĐ-CP, Phụ lục I),
    so that page breaks cut paragraphs; ``number`` writes the page's number ("- {} -")."""
    assert FONT.exists(), f"{FONT} is missing: install Debian's fonts-dejavu-core"
    pdf = _NumberedPages(number)
    pdf.add_font("dejavu", "", str(FONT))
    pdf.set_font("dejavu", size=13)
    pdf.set_margins(30, 20, 15)
    pdf.add_page()
    for part in plan_parts(text):
        if isinstance(part, str):
            # Markdown's heading marks, which a printed page does not show.
            printed = part.lstrip("#").strip().replace("\t", " ")
            pdf.multi_cell(0, 7, printed, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def encrypted_pdf(*, user_password: str | None) -> bytes:
    """A one-line PDF encrypted with an owner password, and a user password if given."""
    pdf = _pdf()
    pdf.multi_cell(0, 5, "Căn cứ Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ;")
    pdf.set_encryption(owner_password="owner", user_password=user_password or "")
    return bytes(pdf.output())


def scanned_pdf(recognized: str | None = None) -> bytes:
    """A PDF as a scanner makes it: a page that is one picture, no text layer; or, with the
    ``recognized`` text, the invisible text layer OCR lays over the picture."""
    picture = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(picture).rectangle((20, 20, 380, 60), fill=0)
    pdf = _pdf()
    pdf.image(picture, x=10, y=10, w=180)
    if recognized is not None:
        pdf.text_mode = TextMode.INVISIBLE
        pdf.set_xy(10, 10)
        pdf.multi_cell(0, 5, recognized)
    return bytes(pdf.output())


def turned_pdf(pdf: bytes, degrees: int = 90) -> bytes:
    """The PDF with every page turned for display (its /Rotate), as a landscape annex is."""
    document = pdfium.PdfDocument(pdf)
    for page in document:
        page.set_rotation(degrees)
    copy = io.BytesIO()
    document.save(copy)
    document.close()
    return copy.getvalue()


def drawn_pdf(lines: list[str], *, scaled: bool) -> bytes:
    """A page of Helvetica lines, 13 points high and 16 apart, written by hand: each line at
    13-point size, or (``scaled``) at 1 point in a text matrix that draws it 13 times as
    large, as Word and LibreOffice write text."""
    leading, content = 16, []
    for k, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        y = 770 - k * leading
        placing = f"/F1 1 Tf 13 0 0 13 72 {y} Tm" if scaled else f"/F1 13 Tf 1 0 0 1 72 {y} Tm"
        content.append(f"BT {placing} ({escaped}) Tj ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(out))
    return out + b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + table + trailer


def docx_document(text: str, typed: Callable[[str], str] = str) -> bytes:
    """The seed's paragraphs as a Word document (its task table left out), each paragraph
    as ``typed`` writes it (in a legacy font: :func:`font_characters`)."""
    document = Document()
    for part in plan_parts(text):
        if isinstance(part, str):
            document.add_paragraph(typed(part))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_NAMESPACES = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
    for prefix, name in [
        ("office", "office"),
        ("text", "text"),
        ("table", "table"),
        ("style", "style"),
        ("draw", "drawing"),
    ]
)


# The package's list of parts, which ODF requires (and LibreOffice, to open it).
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
    ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def odt_package(body: str, styles: str = "", *, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    """An .odt whose text body is ``body`` (ODF XML) and whose automatic styles are ``styles``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NAMESPACES} office:version="1.3">'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", _ODT_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# The notes :func:`noted_plan` adds: where (the first paragraph opening so), kind, mark, text.
PLAN_NOTES = (
    (
        "Thực hiện",
        "footnote",
        "1",
        "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình tổng thể cải cách"
        " hành chính nhà nước giai đoạn 2011 - 2020.",
    ),
    (
        "- Phổ biến",
        "endnote",
        "i",
        "Chỉ thị số 07/CT-TTg ngày 22/5/2013 của Thủ tướng Chính phủ về đẩy mạnh thực hiện Chương trình"
        " tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020.",
    ),
)


def noted_plan(text: str) -> bytes:
    """The seed's paragraphs as an .odt (its task table left out) with a footnote and an
    endnote (:data:`PLAN_NOTES`) citing documents the plan does not cite elsewhere: the
    source of the plans with notes LibreOffice writes as .docx and .doc (tests/fixtures/libreoffice)."""
    notes = list(PLAN_NOTES)
    paragraphs = []
    for part in plan_parts(text):
        if not isinstance(part, str):
            continue
        written = saxutils.escape(part)
        if notes and part.startswith(notes[0][0]):
            _, kind, mark, note = notes.pop(0)
            written += (
                f'<text:note text:id="{kind}{mark}" text:note-class="{kind}"><text:note-citation>{mark}'
                f"</text:note-citation><text:note-body><text:p>{saxutils.escape(note)}</text:p></text:note-body></text:note>"
            )
        paragraphs.append(f"<text:p>{written}</text:p>")
    return odt_package("".join(paragraphs))
