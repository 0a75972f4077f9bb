"""Reading plans in the formats and encodings they come in: each seed plan written in
Windows-1258, TCVN3, VNI, UTF-16, as HTML and as PDF gives the citations (and the task
table) its UTF-8 text gives, and the detection never takes UTF-8 for anything else."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from demo_corpus import PLANS
from fpdf import FPDF
from hypothesis import example, given, settings
from hypothesis import strategies as st
from plan_formats import (
    ENCODINGS,
    FONT,
    cp1258_bytes,
    docx_document,
    drawn_pdf,
    encrypted_pdf,
    font_characters,
    html_page,
    pdf_document,
    printed_pdf,
    scanned_pdf,
    seed_text,
    tcvn3_bytes,
    turned_pdf,
    vni_bytes,
    web_archive,
)
from test_tables import MARKDOWN

from ccbc_graph.decoding import Decoded, decode_bytes, decode_tcvn3, is_vietnamese_syllable, vietnamese_letters
from ccbc_graph.extract import extract_plan
from ccbc_graph.html_reader import html_text
from ccbc_graph.model import PlanExtraction
from ccbc_graph.reading import ReadError, read_source
from ccbc_graph.textnorm import clean

SEEDS = sorted(path.name for path in PLANS.glob("*.txt"))
LIBREOFFICE = Path(__file__).resolve().parent / "fixtures" / "libreoffice"
KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
HA_TINH = "ha-tinh-2020-tuyen-truyen-cchc.txt"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc.txt"
HA_NAM = "ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt"

WRITERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    # how the seed is written -> (writer, the encoding read_source must report)
    "windows-1258": (cp1258_bytes, "windows-1258"),
    "tcvn3": (tcvn3_bytes, "tcvn3"),
    "vni": (vni_bytes, "vni-windows"),
    "utf-16 with BOM": (lambda text: text.encode("utf-16"), "utf-16-le"),
    "utf-16-le without BOM": (lambda text: text.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be without BOM": (lambda text: text.encode("utf-16-be"), "utf-16-be"),
    "utf-8 with BOM": (lambda text: text.encode("utf-8-sig"), "utf-8"),
    "utf-8 with CRLF": (lambda text: text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    # Pasted from a document typed in the font into a Unicode editor: what the font drew.
    "tcvn3 font text in utf-8": (
        lambda text: font_characters(tcvn3_bytes(text)).encode("utf-8"),
        "utf-8 in tcvn3 fonts",
    ),
    "vni font text in utf-16": (
        lambda text: font_characters(vni_bytes(text)).encode("utf-16"),
        "utf-16-le in vni-windows fonts",
    ),
}


@cache
def seed_extraction(name: str) -> PlanExtraction:
    return extract_plan(read_source(PLANS / name))


def citations(extraction: PlanExtraction) -> list[tuple[str, str]]:
    return sorted((c.key.label, c.relation) for c in extraction.citations)


def tasks(extraction: PlanExtraction) -> list[tuple]:
    return [
        (
            t.row,
            t.task,
            sorted(b.canonical for b in t.lead),
            sorted(b.canonical for b in t.coordinators),
            t.budget_vnd,
            t.inherited,
        )
        for t in extraction.tasks
    ]


def duties(extraction: PlanExtraction) -> list[tuple[str, str]]:
    return sorted((r.agency.canonical, " ".join(r.duty_text.split())) for r in extraction.responsibilities)


def assert_evidence_is_the_original(extraction: PlanExtraction) -> None:
    for citation in extraction.citations:
        for mention in citation.mentions:
            span = mention.evidence.span
            assert extraction.text[span.start : span.end] == mention.evidence.text


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("written", WRITERS)
@pytest.mark.parametrize("name", SEEDS)
def test_seed_in_another_encoding_gives_the_same_citations(tmp_path: Path, name: str, written: str) -> None:
    writer, encoding = WRITERS[written]
    text = seed_text(name)
    path = tmp_path / name
    path.write_bytes(writer(text))
    source = read_source(path)
    assert source.encoding == encoding
    # TCVN3 has no code for a capital with a tone in a word of one capital ("Ủy"): only case differs.
    same = str.lower if "tcvn3" in encoding else str
    assert same(unicodedata.normalize("NFC", source.original)) == same(text)
    extraction = extract_plan(source)
    assert citations(extraction) == citations(seed_extraction(name))
    assert tasks(extraction) == tasks(seed_extraction(name))
    assert_evidence_is_the_original(extraction)


def test_every_seed_is_read_as_utf8() -> None:
    for name in SEEDS:
        assert read_source(PLANS / name).encoding == "utf-8"


def test_tcvn3_table_agrees_with_the_c_library() -> None:
    """Each code of data/encodings/tcvn3.csv decodes as glibc's TCVN5712-1 converter, an
    independent implementation of the same standard, decodes it."""
    if shutil.which("iconv") is None:
        pytest.skip("no iconv command (Debian's libc-bin) to compare with")
    with open(ENCODINGS / "tcvn3.csv", encoding="utf-8", newline="") as handle:
        codes = bytes(int(row["byte"], 16) for row in csv.DictReader(handle))
    assert len(codes) == 74  # 67 lower-case letters and the capitals Ă Â Đ Ê Ô Ơ Ư
    data = b" ".join(bytes([code]) for code in codes)
    glibc = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True)
    assert decode_tcvn3(data).split() == unicodedata.normalize("NFC", glibc.stdout.decode("utf-8")).split()


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        # TCVN3, the way the ABC fonts store it: capitals in a heading as lower-case codes.
        (b"K\xd5 HO\xb9CH", "KẾ HOẠCH", "tcvn3"),
        (b"\xf1Y BAN NH\xa2N D\xa2N T\xd8NH H\xb5 T\xdcNH", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "tcvn3"),
        (
            b"Ch\xf1 t\xdech \xf1y ban nh\xa9n d\xa9n t\xd8nh H\xb5 T\xdcnh",
            "Chủ tịch ủy ban nhân dân tỉnh Hà Tĩnh",
            "tcvn3",
        ),
        # VNI, as its text shows in a Western font.
        ("Vieät Nam, Ñaø Naüng, Thuû töôùng".encode("cp1252"), "Việt Nam, Đà Nẵng, Thủ tướng", "vni-windows"),
        ("KEÁ HOAÏCH, UÛY BAN NHAÂN DAÂN".encode("cp1252"), "KẾ HOẠCH, ỦY BAN NHÂN DÂN", "vni-windows"),
        ("Quyeát ñònh soá 225/QÑ-TTg".encode("cp1252"), "Quyết định số 225/QĐ-TTg", "vni-windows"),
        # Windows-1258: tones as combining marks after the letter, read as composed letters.
        (b"Quy\xea\xect \xf0i\xf2nh s\xf4\xec 225/Q\xd0-TTg", "Quyết định số 225/QĐ-TTg", "windows-1258"),
        # UTF-16 without a byte-order mark.
        ("Kế hoạch số 12".encode("utf-16-le"), "Kế hoạch số 12", "utf-16-le"),
    ],
)
def test_legacy_text_decodes_to_unicode(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == Decoded(text, encoding)


def test_vietnamese_syllables() -> None:
    valid = ["được", "người", "nghiêng", "quyết", "khuya", "giữa", "gì", "oanh", "Đắk", "thuở", "xoong", "hoè"]
    invalid = ["keá", "hoaïch", "kõ", "ho¹ch", "größe", "ất̀", "at", "ưa̛", "ngàn̉"]
    assert all(map(is_vietnamese_syllable, valid))
    assert not any(map(is_vietnamese_syllable, invalid))


_VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(sorted(vietnamese_letters()) + list(" \n\t.,;:-/()0123456789“”–")), min_size=1
)


@settings(max_examples=150, deadline=None)
@given(_VIETNAMESE_TEXT.filter(str.strip))
@example("UÈ")  # as TCVN3 font text "Uì", a syllable: a few letters are no document in a font
def test_utf8_is_never_taken_for_another_encoding(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == Decoded(text, "utf-8")


def test_text_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    for name, data in {
        "latin1.txt": "Größe und Übung für die Änderung".encode("latin-1"),
        "sjis.txt": "日本語のテキストです。計画書".encode("shift_jis"),
        "truncated-utf16.txt": "Kế hoạch".encode("utf-16")[:-1],
    }.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ReadError) as caught:
            read_source(tmp_path / name)
        assert caught.value.path.name == name
        assert "not valid UTF-8" in caught.value.reason or "utf-16-le" in caught.value.reason


# ---------------------------------------------------------------------------- Markdown


def test_markdown_markup_is_removed_and_offsets_map_back(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    text = seed_text(KIEN_GIANG)
    assert "**" in text
    path.write_text(text, encoding="utf-8")
    source = read_source(path)
    assert source.original == text and "**" not in source.clean.text
    extraction = extract_plan(source)
    assert citations(extraction) == citations(seed_extraction(KIEN_GIANG))
    assert_evidence_is_the_original(extraction)


# A seed's header (its first and last words) and its signer: what a Word-to-Markdown
# converter writes as two-column pipe tables.
SIGNED = {
    HAI_DUONG: ("**ỦY BAN NHÂN DÂN", "Số: 259 /KH-UBND", "Lương Văn Cầu"),
    HA_NAM: ("Số: /KH-STTTT", "Hà Nam, ngày tháng năm 2021", "Nguyễn Duy Tuấn"),
}


def two_column_table(cells: list[str]) -> str:
    """Cells (their lines joined by <br>) two to a row, as a converter writes a Word table."""
    cells = ["<br>".join(cell.split("\n")) for cell in cells] + [""] * (len(cells) % 2)
    rows = [f"| {left} | {right} |" for left, right in zip(cells[::2], cells[1::2], strict=True)]
    return "\n".join([rows[0], "|:---|:---:|", *rows[1:]]) + "\n"


def with_word_tables(text: str, first: str, last: str, signer: str) -> str:
    """``text`` with its header (the blocks from ``first`` to ``last``) as a pipe table, and its
    signature block (the recipients left, the position and ``signer`` right) as another."""
    head, head_end = text.index(first), text.index(last) + len(last)
    header = two_column_table([block.strip() for block in text[head:head_end].split("\n\n") if block.strip()])
    start = text.rfind("\n", 0, text.index("Nơi nhận")) + 1
    end = text.index(signer, start) + len(signer)
    end += len(text[end:].split("\n", 1)[0])  # the rest of the signer's line
    lines = text[start:end].split("\n")
    split = max(i for i, line in enumerate(lines) if line.startswith("- ")) + 1
    recipients = "\n".join(line for line in lines[:split] if line.strip())
    signature = "\n".join(line for line in lines[split:] if not line.startswith("}")).strip()
    return text[:head] + header + text[head_end:start] + two_column_table([recipients, signature]) + text[end:]


@pytest.mark.parametrize("name", SIGNED)
def test_markdown_header_and_signature_tables_give_the_metadata_of_the_text(tmp_path: Path, name: str) -> None:
    text = with_word_tables(seed_text(name), *SIGNED[name])
    assert text.count("\n|:---|:---:|\n") == 2
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    source = read_source(path)
    extraction = extract_plan(source)
    seed = seed_extraction(name)
    assert replace(extraction.document, evidence={}) == replace(seed.document, evidence={})
    assert extraction.document.signer == SIGNED[name][2]
    assert citations(extraction) == citations(seed)
    assert tasks(extraction) == tasks(seed)
    assert_evidence_is_the_original(extraction)
    for evidence in extraction.document.evidence.values():
        assert text[evidence.span.start : evidence.span.end] == evidence.text
    assert f"\t{SIGNED[name][1]}\n" in source.clean.text and "|" not in source.clean.text


def test_markdown_pipe_table_layout_and_offsets() -> None:
    text = "Trước<br/>sau\n\n| **A**<br>B | C \\| D |\n|---|:---:|\n| x\tx | <br>y<br><br> z |\n|  |  |\nHết"
    cleaned = clean(text, markdown=True)
    assert cleaned.text == "Trước\nsau\n\n\tA\nB\n\tC | D\n\n\tx x\n\ty\nz\n\n\t\n\t\n\nHết"
    assert list(cleaned.starts) == sorted(cleaned.starts) and list(cleaned.ends) == sorted(cleaned.ends)
    for char, start, end in zip(cleaned.text, cleaned.starts, cleaned.ends, strict=True):
        written = text[start:end]
        # A letter is itself (the escaped pipe is the pipe); a tab or line break put in
        # stands for the pipes, <br> tags and blanks it replaces.
        assert written == char or (char in "\t\n " and re.fullmatch(r"(?:[ \t|*]|<br/?>)+", written)), (char, written)
    # The last row of a text without a final line break ends with its blank line too.
    assert clean("| a | b |\n|---|---|\n| c | d |", markdown=True).text == "\ta\n\tb\n\n\tc\n\td\n\n"
    assert clean("a | b\n--- | ---\nc | d", markdown=True).text == "\ta\n\tb\n\n\tc\n\td\n\n"
    # A header printed again with its delimiter row; a cell's line holding only emphasis.
    assert clean("| a |\n|---|\n| b |\n|---|\n| **c**<br>** **<br>d |\n", markdown=True).text == (
        "\ta\n\n\tb\n\n\tc\nd\n\n"
    )


def test_markdown_header_and_citation_in_table_cells(tmp_path: Path) -> None:
    text = (
        "| UBND TỈNH HÀ TĨNH<br>**SỞ NỘI VỤ** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |\n"
        "|---|---|\n"
        "| Số: 12/KH-SNV | *Hà Tĩnh, ngày 05 tháng 3 năm 2023* |\n\n"
        "**KẾ HOẠCH**\n\n"
        "| Căn cứ | Văn bản |\n"
        "|---|---|\n"
        "| 1 | Quyết định số **225/QĐ-TTg** ngày 04/02/2016<br>của Thủ tướng Chính phủ \\| bản *chính* |\n"
    )
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    extraction = extract_plan(read_source(path))
    document = extraction.document
    assert (document.symbol, document.date, document.issuer) == (
        "12/KH-SNV",
        date(2023, 3, 5),
        "Sở Nội vụ tỉnh Hà Tĩnh",
    )
    (citation,) = extraction.citations  # not the plan's own number
    assert citation.key.label == "225/QĐ-TTg@2016"
    assert_evidence_is_the_original(extraction)
    (mention,) = citation.mentions
    assert "**225/QĐ-TTg** ngày 04/02/2016" in mention.evidence.text
    assert text[document.evidence["symbol"].span.start : document.evidence["symbol"].span.end] == "Số: 12/KH-SNV"


def test_markdown_task_table_is_read_as_in_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "plan.txt").write_text(MARKDOWN, encoding="utf-8")
    markdown, text = (read_source(tmp_path / name) for name in ("plan.md", "plan.txt"))
    assert "|" not in markdown.clean.text and "|" in text.clean.text
    extraction = extract_plan(markdown)
    assert len(extraction.tasks) == 3
    assert tasks(extraction) == tasks(extract_plan(text))
    for task in extraction.tasks:
        for cell in task.cells.values():
            assert MARKDOWN[cell.span.start : cell.span.end] == cell.text


def test_pipes_in_a_text_file_stay_as_written(tmp_path: Path) -> None:
    text = "| Số: 512/KH-SNV | Quảng Nam, ngày 05 tháng 3 năm 2023 |\n|---|---|\n| a<br>b | c |\n"
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    source = read_source(path)
    assert source.clean == clean(text)
    assert source.clean.text == "| Số: 512/KH-SNV | Quảng Nam, ngày 05 tháng 3 năm 2023 |\n|---|---|\n| ab | c |\n"


def test_markdown_html_table_layout_and_offsets() -> None:
    text = (
        "Trước <table><tr><th>A</th><th colspan=2>B &amp; C</th></tr>\n"
        "<tr><td rowspan='2'><p>x y</p>\n<p>z\nw</p></td><td>1<br/>2</td><td>3\n"
        "<tr><!-- a comment --><td>4</td><td><table><tr><td>n</td><td>m</td></tr></table></td></tr>\n"
        "</table>\nSau"
    )
    cleaned = clean(text, markdown=True)
    assert cleaned.text == ("Trước \n\tA\n\tB & C\n\t\n\n\tx y\nz w\n\t1\n2\n\t3\n\n\t\n\t4\n\tn\nm\n\n\nSau")
    assert list(cleaned.starts) == sorted(cleaned.starts) and list(cleaned.ends) == sorted(cleaned.ends)
    for char, start, end in zip(cleaned.text, cleaned.starts, cleaned.ends, strict=True):
        written = text[start:end]
        # A letter is itself ("&" the reference it stands for); a tab, line break or space
        # put in stands for the tags and blanks it replaces (or the character next to it).
        assert written == char or written == "&amp;" or (char in "\t\n " and written), (char, written)
    # A table never closed runs to the end of the text; an unclosed cell ends at the next.
    assert clean("<table><tr><td>a<td>b", markdown=True).text == "\ta\n\tb\n\n"
    # The same markup in a text file stays as written.
    assert clean("<table><tr><td>a</td></tr></table>").text == "<table><tr><td>a</td></tr></table>"


def test_markdown_paragraph_lines_are_joined_and_other_lines_kept() -> None:
    def joined(text: str) -> str:
        return clean(text, markdown=True).text

    # Wrapped lines of one paragraph: the break is a space (the same length, offsets kept).
    assert (
        joined("Sở Văn hóa, Thể thao và Du lịch xây\ndựng kế hoạch")
        == "Sở Văn hóa, Thể thao và Du lịch xây dựng kế hoạch"
    )
    long_line = "Chủ trì, phối hợp với các phòng ban, đơn vị tham mưu, hướng dẫn cho"
    assert joined(f"{long_line}\nSở Nội vụ tổng hợp.") == f"{long_line} Sở Nội vụ tổng hợp."
    # A break inside a tag goes with the tag.
    tagged = "Sở Văn hóa xây dựng kế hoạch tuyên truyền cải cách <span\nstyle='x'>hành</span> chính"
    assert joined(tagged) == "Sở Văn hóa xây dựng kế hoạch tuyên truyền cải cách hành chính"
    # A hard break (two spaces, a backslash) stays a break; its backslash goes.
    assert joined("KẾ HOẠCH  \nvề cải cách") == "KẾ HOẠCH  \nvề cải cách"
    assert joined("PHỤ LỤC\\\nNỘI DUNG") == "PHỤ LỤC\nNỘI DUNG"
    # A line that opens a block, closes a clause, or is short and followed by a capital.
    for text in [
        "Nơi nhận:\n- Như trên;",
        "cụ thể như sau:\nđôn đốc",
        "thực hiện.\nđôn đốc",
        "1. Sở Nội vụ\n2. Sở Tư pháp",
        "Mục tiêu chung\na) Nâng cao",
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Tiêu đề\n## Mục",
        "TT\tNội dung\ntiếp",
        "| a | b |\nvà",
    ]:
        assert joined(text).count("\n") == text.count("\n"), text
    # A text file keeps its lines as written.
    assert clean("Sở Văn hóa xây\ndựng kế hoạch").text == "Sở Văn hóa xây\ndựng kế hoạch"


# A demo plan's paragraphs as a Word document, in the Markdown pandoc writes of it
# (tests/fixtures/pandoc/README.md): paragraphs wrapped at 72 columns, one per Word paragraph.
PANDOC = Path(__file__).resolve().parent / "fixtures" / "pandoc"


@pytest.mark.parametrize("name", [KIEN_GIANG, "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt"])
def test_markdown_pandoc_writes_of_a_word_plan_reads_as_the_word_plan(tmp_path: Path, name: str) -> None:
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(name)))
    word = extract_plan(read_source(tmp_path / "plan.docx"))
    path = PANDOC / name.replace(".txt", ".md")
    markdown = extract_plan(read_source(path))
    assert replace(markdown.document, evidence={}) == replace(word.document, evidence={})
    assert citations(markdown) == citations(word)

    def duties(extraction: PlanExtraction) -> list[tuple]:
        return sorted(
            (r.agency.canonical, sorted(p.canonical for p in r.partners), " ".join(r.duty_text.split()))
            for r in extraction.responsibilities
        )

    assert duties(markdown) and duties(markdown) == duties(word)
    assert_evidence_is_the_original(markdown)
    for evidence in markdown.document.evidence.values():
        assert path.read_text(encoding="utf-8")[evidence.span.start : evidence.span.end] == evidence.text


_MARKDOWN_PIECES = st.sampled_from(
    [
        *("|", "\\|", "---", ":-:", "<br>", "<BR />", "**", "\t", " ", "\n", "\n\n", "\\\n", "  \n", "Số", "ệ", "a"),
        *("<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=2>", "<td rowspan='3'>", "<p>"),
        *("&amp;", "&nbsp;", "&#7879;", "<!--", "-->", "- ", "1. ", "<span", ">", "a b c d e f g h i k l m n o p"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_MARKDOWN_PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_markdown_cleaning_maps_every_character_back(text: str) -> None:
    cleaned = clean(text, markdown=True)
    assert len(cleaned.starts) == len(cleaned.ends) == len(cleaned.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(cleaned.starts, cleaned.ends, strict=True))
    assert list(cleaned.starts) == sorted(cleaned.starts) and list(cleaned.ends) == sorted(cleaned.ends)
    if not {"|", "<", "\n"} & set(text):  # no table, no line to join
        assert cleaned == clean(text)


# ---------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("holds", ["docx", "html", "mht"])
def test_a_doc_file_holding_a_docx_or_a_web_page_is_read_as_what_it_holds(tmp_path: Path, holds: str) -> None:
    """Portals serve Word files saved as web pages (or web archives), and .docx files,
    under the old name."""
    page = html_page(seed_text(HA_TINH))
    written = {
        "docx": lambda: docx_document(seed_text(HA_TINH)),
        "html": lambda: page.encode("utf-8"),
        "mht": lambda: web_archive(page),
    }[holds]()
    (tmp_path / f"plan.{holds}").write_bytes(written)
    (tmp_path / "plan.doc").write_bytes(written)
    as_doc, as_itself = (extract_plan(read_source(tmp_path / name)) for name in ("plan.doc", f"plan.{holds}"))
    assert citations(as_doc) == citations(as_itself) and citations(as_doc)
    assert tasks(as_doc) == tasks(as_itself)


def test_html_list_items_open_with_what_the_browser_shows(tmp_path: Path) -> None:
    page = (
        "<html><body><p>V. TỔ CHỨC THỰC HIỆN</p><ol><li>Sở Nội vụ: chủ trì, phối hợp với Sở Tư pháp.</li>"
        "<li>Sở Tư pháp: theo dõi.<ol type='a'><li>rà soát</li><li>báo cáo</li></ol></li>"
        "<li value='7'>Đài PTTH tỉnh</li><li>Báo Hà Tĩnh</li></ol>"
        "<ol type='I' start='4' reversed><li>bốn</li><li>ba</li></ol><ul><li>một mục</li></ul></body></html>"
    )
    text, _ = html_text(tmp_path / "plan.html", page.encode("utf-8"))
    assert text.split("\n")[:10] == [
        "V. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ: chủ trì, phối hợp với Sở Tư pháp.",
        "2. Sở Tư pháp: theo dõi.",
        "a. rà soát",
        "b. báo cáo",
        "7. Đài PTTH tỉnh",
        "8. Báo Hà Tĩnh",
        "IV. bốn",
        "III. ba",
        "• một mục",
    ]


@pytest.mark.parametrize("name", SEEDS)
def test_html_page_gives_the_citations_and_task_table(tmp_path: Path, name: str) -> None:
    path = tmp_path / "plan.html"
    path.write_text(html_page(seed_text(name)), encoding="utf-8")
    source = read_source(path)
    assert source.encoding == "utf-8"
    for hidden in ("999/QĐ-TTg", "998/QĐ-TTg", "997/QĐ-TTg", "996/QĐ-TTg", "<p>", "&lt;"):
        assert hidden not in source.original
    extraction = extract_plan(source)
    assert citations(extraction) == citations(seed_extraction(name))
    assert tasks(extraction) == tasks(seed_extraction(name))
    assert_evidence_is_the_original(extraction)


def test_html_page_in_windows_1258(tmp_path: Path) -> None:
    path = tmp_path / "plan.htm"
    path.write_bytes(cp1258_bytes(html_page(seed_text(HA_TINH), charset="windows-1258")))
    source = read_source(path)
    assert source.encoding == "windows-1258"
    assert tasks(extract_plan(source)) == tasks(seed_extraction(HA_TINH))


def test_html_layout(tmp_path: Path) -> None:
    page = b"""<html><head><title>T</title></head><body>
      <h1>K&#7870; HO&#7840;CH</h1>
      <p>S\xe1\xbb\x9f T&agrave;i ch&iacute;nh &amp;&nbsp;Kho   b\xe1\xba\xa1c<br>d\xc3\xb2ng 2</p>
      <ul><li>m\xe1\xbb\x99t</li><li>hai <b>ba</b></li></ul>
      <table>
        <tr><th>TT</th><th colspan="2">C\xc6\xa1 quan</th></tr>
        <tr><td rowspan="2">1</td><td>A<p>A2</p></td><td>B\tC</td></tr>
        <tr><td><table><tr><td>x</td><td>y</td></tr></table></td><td></td></tr>
      </table><p>Cu\xe1\xbb\x91i</p></body></html>"""
    text, encoding = html_text(tmp_path / "t.html", page)
    assert encoding == "utf-8"
    assert text == (
        "KẾ HOẠCH\nSở Tài chính & Kho bạc\ndòng 2\n• một\n• hai ba\n"
        "\tTT\n\tCơ quan\n\t\n\n"
        "\t1\n\tA\nA2\n\tB C\n\n"
        "\t\n\tx\ny\n\t\n\n"
        "Cuối\n"
    )


# ---------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("name", [KIEN_GIANG, HA_TINH])
def test_pdf_gives_the_citations_and_task_table(tmp_path: Path, name: str) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf_document(seed_text(name)))
    source = read_source(path)
    assert source.encoding == "pdf"
    extraction = extract_plan(source)
    assert citations(extraction) == citations(seed_extraction(name))
    assert tasks(extraction) == tasks(seed_extraction(name))
    assert_evidence_is_the_original(extraction)


def test_pdf_of_a_plan_typed_in_a_legacy_font_reads_in_unicode(tmp_path: Path) -> None:
    # VNI-Times. (TCVN3 writes "ư" as byte 0xAD, the soft hyphen of Windows-1252, which
    # fpdf2 takes for a hyphenation point and leaves out of the text layer it writes; the
    # reading of TCVN3 text is the Word file's, tested there.)
    (tmp_path / "plan.pdf").write_bytes(pdf_document(seed_text(HA_TINH), lambda part: font_characters(vni_bytes(part))))
    source = read_source(tmp_path / "plan.pdf")
    assert source.encoding == "pdf in vni-windows fonts"
    extraction = extract_plan(source)
    assert citations(extraction) == citations(seed_extraction(HA_TINH))
    assert tasks(extraction) == tasks(seed_extraction(HA_TINH))
    assert_evidence_is_the_original(extraction)


@pytest.mark.parametrize("name", SEEDS)
def test_a_printed_pdf_reads_without_its_page_numbers_and_page_breaks(tmp_path: Path, name: str) -> None:
    """A paragraph a page break cut is one paragraph again, and the number printed at the
    top of the next page is not in it: the plan reads as its Word file."""
    (tmp_path / "plan.pdf").write_bytes(printed_pdf(seed_text(name)))
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(name)))
    source = read_source(tmp_path / "plan.pdf")
    assert not [line for line in source.original.split("\n") if line.strip().isdigit()]
    printed, word = extract_plan(source), extract_plan(read_source(tmp_path / "plan.docx"))

    assert citations(printed) == citations(word)
    assert duties(printed) == duties(word)
    assert_evidence_is_the_original(printed)


@pytest.mark.parametrize("number", ["- {} -", "Trang {}", "({})", "Trang {}/9"])
def test_a_page_number_written_other_ways_is_left_out(tmp_path: Path, number: str) -> None:
    (tmp_path / "plan.pdf").write_bytes(printed_pdf(seed_text(HAI_DUONG), number))
    (tmp_path / "plain.pdf").write_bytes(printed_pdf(seed_text(HAI_DUONG)))
    assert read_source(tmp_path / "plan.pdf").original == read_source(tmp_path / "plain.pdf").original


@pytest.mark.parametrize("writer", [printed_pdf, pdf_document], ids=["text pages", "with a ruled table"])
def test_a_pdf_turned_for_display_reads_as_written(tmp_path: Path, writer: Callable[[str], bytes]) -> None:
    """A page turned a quarter (a landscape annex) reads as the page before it was turned,
    its lines across, text alone or with a ruled table that pdfplumber finds."""
    (tmp_path / "plan.pdf").write_bytes(writer(seed_text(KIEN_GIANG)))
    (tmp_path / "turned.pdf").write_bytes(turned_pdf(writer(seed_text(KIEN_GIANG))))
    assert read_source(tmp_path / "turned.pdf").original == read_source(tmp_path / "plan.pdf").original


def test_text_a_pdf_draws_scaled_up_reads_as_text_drawn_at_its_size(tmp_path: Path) -> None:
    """Word and LibreOffice write text at 1 point in a matrix that draws it large: the lines
    still stand one line's height apart, and a paragraph's wraps are joined."""
    lines = [
        "Thuc hien Quyet dinh so 225/QD-TTg ngay 04/02/2016 cua Thu tuong Chinh",
        "phu phe duyet Ke hoach cai cach hanh chinh nha nuoc giai doan 2016-2020,",
        "UBND tinh xay dung ke hoach nhu sau:",
        "- Tuyen truyen ve cai cach hanh chinh.",
    ]
    (tmp_path / "scaled.pdf").write_bytes(drawn_pdf(lines, scaled=True))
    (tmp_path / "sized.pdf").write_bytes(drawn_pdf(lines, scaled=False))
    text = read_source(tmp_path / "scaled.pdf").original
    assert text == read_source(tmp_path / "sized.pdf").original
    assert text == f"{' '.join(lines[:3])}\n{lines[3]}\n"


def test_a_hyphen_a_pdf_line_opens_with_is_no_list_item_after_an_open_clause(tmp_path: Path) -> None:
    """ "kinh te" / "- xa hoi": the line breaker put the hyphen of "kinh te - xa hoi" first on
    the line; a capital after it, or a clause ended above it, opens an item."""
    lines = [
        "Gop phan thuc day phat trien va hoi nhap, dam bao an sinh, phat trien kinh te",
        "- xa hoi, quoc phong - an ninh tren dia ban tinh;",
        "- Tuyen truyen ve cai cach hanh chinh.",
    ]
    (tmp_path / "plan.pdf").write_bytes(drawn_pdf(lines, scaled=False))
    assert read_source(tmp_path / "plan.pdf").original == f"{lines[0]} {lines[1]}\n{lines[2]}\n"


def test_a_pdf_libreoffice_wrote_of_a_plan_reads_as_its_word_file(tmp_path: Path) -> None:
    """As a word processor writes a PDF (tests/fixtures/libreoffice/README.md): fonts
    subset, a hyphen ending a line, marks below letters ("Ụ") reaching under the line."""
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(HAI_DUONG)))
    from_pdf = extract_plan(read_source(LIBREOFFICE / "hai-duong-2020-tuyen-truyen-cchc.pdf"))
    word = extract_plan(read_source(tmp_path / "plan.docx"))
    assert citations(from_pdf) == citations(word)
    assert duties(from_pdf) == duties(word)
    assert_evidence_is_the_original(from_pdf)


def test_a_pdf_libreoffice_wrote_of_a_ruled_annex_gives_its_tasks() -> None:
    """The Hà Tĩnh annex in narrow ruled columns: each cell's lines joined, words and
    numbers the column cut in two put together again ("Cổng/T" / "rang", "100.00" /
    "0.000", "22/201" / "6/NQ-HĐND"), so the rows are those of the .doc LibreOffice wrote
    of the same table (the task texts up to spacing: a PDF does not say whether "thanh
    -Truyền" had a space after its hyphen)."""
    from_pdf = extract_plan(read_source(LIBREOFFICE / "ha-tinh-annex.pdf"))
    from_doc = extract_plan(read_source(LIBREOFFICE / "ha-tinh-annex.doc"))

    def rows(plan: PlanExtraction) -> list[tuple]:
        return [(*row[:1], "".join(row[1].split()), *row[2:]) for row in tasks(plan)]

    assert len(from_pdf.tasks) == 22
    assert rows(from_pdf) == rows(from_doc)
    assert citations(from_pdf) == citations(from_doc)


def test_a_pdf_cells_wrapped_lines_are_joined_and_its_paragraphs_kept(tmp_path: Path) -> None:
    """A cell's line breaks are told apart as the body's are: a wrap joins, a paragraph's
    end (a short line) stays a line, though neither opens with a marker."""
    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    task = "Tuyên truyền về cải cách hành chính trên Cổng thông tin điện tử của tỉnh và các sở, ngành"
    with pdf.table(col_widths=(10, 60, 30), first_row_as_headings=False) as table:
        for cells in [("TT", "Nhiệm vụ", "Cơ quan phối hợp"), ("1", task, "Sở Tư pháp\nSở Tài chính\nĐài PTTH")]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    (tmp_path / "table.pdf").write_bytes(bytes(pdf.output()))
    text = read_source(tmp_path / "table.pdf").original
    assert f"\t{task}\n" in text
    assert "\tSở Tư pháp\nSở Tài chính\nĐài PTTH\n" in text


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    with pytest.raises(ReadError, match=r"no text layer \(scanned\?\)") as caught:
        read_source(path)
    assert caught.value.path == path and "scan.pdf" in str(caught.value)


def test_a_scan_with_a_recognized_text_layer_reads_its_text(tmp_path: Path) -> None:
    """Portals publish scans put through OCR: the invisible text laid over the picture is read."""
    line = "Căn cứ Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ;"
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(recognized=line))
    source = read_source(tmp_path / "scan.pdf")
    assert source.original == f"{line}\n"
    assert citations(extract_plan(source)) == [("225/QĐ-TTg@2016", "basis")]


def test_encrypted_pdf(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted_pdf(user_password="secret"))
    with pytest.raises(ReadError, match="encrypted PDF: it needs a password"):
        read_source(locked)
    # Encrypted with an owner password only (printing, copying restricted): readable.
    restricted = tmp_path / "restricted.pdf"
    restricted.write_bytes(encrypted_pdf(user_password=None))
    assert [c.key.label for c in extract_plan(read_source(restricted)).citations] == ["225/QĐ-TTg@2016"]
