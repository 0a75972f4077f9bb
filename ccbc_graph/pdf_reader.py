"""PDF plans (.pdf): the text layer in reading order, ruled tables as tables.

PDFium (pypdfium2) reads each page's characters, in a quarter of the time pdfminer takes,
and pdfplumber's rules lay them out into lines. pdfplumber finds the ruled tables of a
page that draws lines or boxes, in a copy of the page without its text. The lines outside
the tables and the tables themselves are written top to bottom, each table in the layout
of a Word export (:mod:`ccbc_graph.table_text`) so that the task-table extractor reads it
as it reads a Word table. The lines a paragraph (or a cell) was wrapped into are joined
again, so that a paragraph's opening cue ("Căn cứ", "Thực hiện") still stands before every
document it names; so are the parts of a paragraph a page break cut, and the page's
number printed between them is left out. A PDF without a text layer (a scan) has nothing
to read until it is put through OCR, and says so; so does an encrypted PDF. A PDF of a
document typed in a legacy Vietnamese font (".VnTime", "VNI-Times") holds the characters
the font draws; its text is read in Unicode.
"""

from __future__ import annotations

import ctypes
import io
import math
import threading
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from ccbc_graph.decoding import in_unicode, read_as
from ccbc_graph.reading import ReadError, SourceDocument
from ccbc_graph.reflow import PAGE_NUMBER, ends_a_sentence, joint, opens_an_item
from ccbc_graph.table_text import table_text

BBox = tuple[float, float, float, float]

# How far into the page a margin reaches, where a page's number is printed.
_MARGIN = 0.15
# What PDFium's text of a page holds that the page does not draw: no character, line
# breaks, the "unknown" mark. It writes a hyphen ending a line as 0x02.
_NOT_DRAWN = frozenset({0, 0x0A, 0x0D, 0xFFFE, 0xFFFF})
_LINE_END_HYPHEN = 0x02
# PDFium is not safe to call from two threads at once.
_PDFIUM = threading.Lock()


def _inside(obj: dict, boxes: list[BBox]) -> bool:
    """Whether a character's centre lies in one of ``boxes``."""
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


@dataclass
class _Page:
    """A page's text lines outside its tables (pdfplumber's dicts) and its tables' rows."""

    lines: list[dict]
    tables: list[tuple[float, list[list[str]]]]

    def opens_with_a_line(self) -> bool:
        return bool(self.lines) and all(self.lines[0]["top"] < top for top, _ in self.tables)

    def ends_with_a_line(self) -> bool:
        return bool(self.lines) and all(self.lines[-1]["top"] > top for top, _ in self.tables)


def _read_page(page: pdfium.PdfPage, tables: list[Table]) -> _Page:
    """A page's lines outside ``tables`` (pdfplumber's, found on a copy of the page) and
    the tables' rows, from the characters PDFium reads."""
    _, bottom, _, top = page.get_bbox()  # as PDFium reads it: a media box the page inherits counts
    chars = _characters(page, top)
    boxes = [table.bbox for table in tables]
    outside = [char for char in chars if not _inside(char, boxes)] if boxes else chars
    lines = chars_to_textmap(outside).extract_text_lines() if outside else []
    rows = [(table.bbox[1], _table_rows(table, chars)) for table in tables]
    return _Page(_without_page_number(lines, top - bottom), rows)


def _table_rows(table: Table, chars: list[dict]) -> list[list[str]]:
    """A ruled table's rows of cell texts, each cell's lines laid out from its characters;
    a cell a merged cell covers is empty."""
    inside_table = [char for char in chars if _inside(char, [table.bbox])]
    rows: list[list[str]] = []
    for row in table.rows:
        inside_row = [char for char in inside_table if _inside(char, [row.bbox])]
        cells = []
        for bbox in row.cells:
            inside_cell = [char for char in inside_row if bbox is not None and _inside(char, [bbox])]
            lines = chars_to_textmap(inside_cell).extract_text_lines() if inside_cell else []
            cells.append(_cell_text(lines, bbox) if bbox is not None else "")
        rows.append(cells)
    return rows


def _without_page_number(lines: list[dict], height: float) -> list[dict]:
    """A page's lines without its number: a line of a number alone ("2", "- 2 -", "Trang 2")
    first in the top margin or last in the bottom one. Official documents print it at the
    top of every page but the first (Nghị định 30/2020/NĐ-CP, Phụ lục I); left in, it would
    stand inside a paragraph the page break cut, between a document's type and its number."""
    if lines and lines[0]["bottom"] < _MARGIN * height and PAGE_NUMBER.fullmatch(lines[0]["text"]):
        lines = lines[1:]
    if lines and lines[-1]["top"] > (1 - _MARGIN) * height and PAGE_NUMBER.fullmatch(lines[-1]["text"]):
        lines = lines[:-1]
    return lines


def _cell_text(lines: list[dict], bbox: BBox) -> str:
    """A cell's lines joined where the cell's width wrapped them: the rule of the body's
    lines, the cell's right edge as far in from its border as the text is from its left."""
    if not lines:
        return ""
    padding = max(0.0, min(line["x0"] for line in lines) - bbox[0])
    right = bbox[2] - padding
    joined = [lines[0]["text"].strip()]
    for line, after in pairwise(lines):
        if _wraps(line, after, right):
            joined[-1] += joint(joined[-1], after["text"].strip()) + after["text"].strip()
        else:
            joined.append(after["text"].strip())
    return "\n".join(text for text in joined if text)


def _wraps(line: dict, after: dict, right: float, *, across_pages: bool = False) -> bool:
    """Whether the break between ``line`` and the line ``after`` it is a wrap, not the end
    of a paragraph: ``after`` follows at line spacing (or opens the next page), opens no
    list item (:func:`ccbc_graph.reflow.opens_an_item`), and its first word would not have
    fitted in the room left on ``line`` (the rule of any line breaker)."""
    height = line["bottom"] - line["top"]
    spaced = across_pages or 0 <= after["top"] - line["bottom"] <= 1.2 * height
    if not spaced or opens_an_item(line["text"], after["text"]):
        return False
    return right - line["x1"] < _first_word_width(after["chars"], height) + height / 2


def _first_word_width(chars: list[dict], height: float) -> float:
    """The width of a line's first word: up to a space character, or to a gap between two
    characters wide enough to be one (PDFs often place words without space characters)."""
    end = chars[0]["x1"] if chars else 0.0
    for char, following in pairwise(chars):
        if char["text"].isspace() or following["x0"] - char["x1"] > height / 6:
            break
        end = following["x1"]
    return end - chars[0]["x0"] if chars else 0.0


def _read_pages(data: bytes) -> list[_Page]:
    """The PDF's pages, each from the characters PDFium reads; the tables of a page that
    draws lines or boxes (a ruled table's borders) found by pdfplumber."""
    document = pdfium.PdfDocument(data)
    drawings: pdfplumber.PDF | None = None
    try:
        ruled = {index for index, page in enumerate(document) if _draws_lines(page)}
        if ruled:
            drawings = pdfplumber.open(io.BytesIO(_drawings(data, ruled)))
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                tables = drawings.pages[index].find_tables() if drawings and index in ruled else []
                pages.append(_read_page(page, tables))
            finally:
                page.close()
        return pages
    finally:
        if drawings is not None:
            drawings.close()
        document.close()


def _draws_lines(page: pdfium.PdfPage) -> bool:
    """Whether the page draws a line or a box (a path), which it then lets go of."""
    try:
        return next(page.get_objects([pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8), None) is not None
    finally:
        page.close()


def _drawings(data: bytes, ruled: set[int]) -> bytes:
    """A copy of the PDF for pdfplumber to find tables in: the ``ruled`` pages without their
    text, which pdfminer would take four times as long to read as PDFium, and every page
    as it was written. A page turned for display (a landscape annex) is read so by PDFium,
    its lines across; pdfplumber would read it as displayed, a column of single words."""
    document = pdfium.PdfDocument(data)
    try:
        for index, page in enumerate(document):
            page.set_rotation(0)
            if index in ruled:
                for text in list(page.get_objects([pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1)):
                    page.remove_obj(text)
                    text.close()
                page.gen_content()
            page.close()
        copy = io.BytesIO()
        document.save(copy)
        return copy.getvalue()
    finally:
        document.close()


def _characters(page: pdfium.PdfPage, top: float) -> list[dict]:
    """The page's characters as pdfplumber describes them, in the order they are drawn:
    text in NFC; box measured down from ``top``, the top of the page, as wide as the glyph's
    advance and as high as the font's size (its em, scaled as the text is drawn), from the
    font's descent below the baseline up, so that the characters of a line share it
    whatever marks they carry ("Ụ"). A space or line break PDFium makes up between words
    is none."""
    textpage = page.get_textpage()
    handle, box = textpage.raw, pdfium_c.FS_RECTF()
    heights: dict[int | None, tuple[float, float]] = {}  # each text object's (size, bottom)
    chars = []
    try:
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(handle, index)
            if pdfium_c.FPDFText_IsGenerated(handle, index) == 1 or code in _NOT_DRAWN:
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, box):
                continue
            text_object = pdfium_c.FPDFText_GetTextObject(handle, index)
            key = ctypes.cast(text_object, ctypes.c_void_p).value
            if key not in heights:
                heights[key] = _height(handle, index, text_object, top)
            size, bottom = heights[key]
            chars.append(
                {
                    "text": "-" if code == _LINE_END_HYPHEN else unicodedata.normalize("NFC", chr(code)),
                    "x0": box.left,
                    "x1": box.right,
                    "top": bottom - size,
                    "bottom": bottom,
                    "doctop": bottom - size,
                    "upright": True,
                    "size": size,
                }
            )
    finally:
        textpage.close()
    return chars


def _height(
    handle: pdfium_c.FPDF_TEXTPAGE, index: int, text_object: pdfium_c.FPDF_PAGEOBJECT, top: float
) -> tuple[float, float]:
    """The size (em) of the characters of a text object, of which character ``index`` is
    one, and where they stand: the font's descent below their baseline, measured down
    from ``top``."""
    matrix, x, y, descent = pdfium_c.FS_MATRIX(), ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    pdfium_c.FPDFText_GetMatrix(handle, index, matrix)
    pdfium_c.FPDFText_GetCharOrigin(handle, index, x, y)
    size = pdfium_c.FPDFText_GetFontSize(handle, index) * math.hypot(matrix.c, matrix.d)
    font = pdfium_c.FPDFTextObj_GetFont(text_object) if text_object else None
    below = descent.value if font and pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), descent) else 0.0
    return size, top - (y.value + below)


def _page_text(page: _Page, right: float) -> str:
    """A page's paragraphs and tables, top to bottom; ``right`` is the text's right edge."""
    pieces: list[tuple[float, str]] = []
    previous: dict | None = None
    for line in page.lines:
        if previous is not None and _wraps(previous, line, right):
            top, text = pieces[-1]
            pieces[-1] = (top, f"{text[:-1]}{joint(text[:-1], line['text'])}{line['text']}\n")
        else:
            pieces.append((line["top"], line["text"] + "\n"))
        previous = line
    pieces.extend((top, table_text(rows)) for top, rows in page.tables)
    return "".join(text for _, text in sorted(pieces, key=lambda piece: piece[0]))


def pdf_text(path: Path, data: bytes) -> tuple[str, str | None]:
    """The text of the PDF in ``data`` and the legacy font encoding it was typed in, if it
    was (:func:`ccbc_graph.decoding.font_encoding`: then the text is in Unicode); a
    :class:`ReadError` for a PDF without text."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise ReadError(path, "not a PDF: no %PDF header (the file is of another format)")
    try:
        with _PDFIUM:
            pages = _read_pages(data)
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(path, "encrypted PDF: it needs a password to open; save an unprotected copy") from None
        if err.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(path, "encrypted PDF that cannot be opened (an unsupported security handler)") from None
        raise ReadError(path, f"damaged PDF: {err}") from None
    except PdfminerException as err:  # in the copy pdfplumber finds tables in
        raise ReadError(path, f"damaged PDF: {err.args[0] if err.args else err}") from None
    except Exception as err:  # pdfminer has no single error type for malformed files
        raise ReadError(path, f"damaged PDF ({type(err).__name__}: {err})") from None
    right = max((line["x1"] for page in pages for line in page.lines), default=0.0)
    texts = [_page_text(page, right) for page in pages]
    for k, (page, following) in enumerate(pairwise(pages)):
        # A paragraph the page break cut goes on at the top of the next page.
        if (
            page.ends_with_a_line()
            and following.opens_with_a_line()
            and _wraps(page.lines[-1], following.lines[0], right, across_pages=True)
            and not ends_a_sentence(page.lines[-1]["text"], following.lines[0]["text"])
        ):
            texts[k] = texts[k][:-1] + joint(page.lines[-1]["text"], following.lines[0]["text"])
    text = "".join(texts)
    if not text.strip():
        raise ReadError(path, f"no text layer (scanned?): its {len(pages)} page(s) hold no text; run OCR on it first")
    return in_unicode(text)


def pdf_source(path: Path, data: bytes) -> SourceDocument:
    """The PDF in ``data`` as a source for the extractors."""
    text, font = pdf_text(path, data)
    return SourceDocument.of(path, data, text, read_as("pdf", font))
