"""Hard-wrapped text: a plan saved as text from its PDF reads as the plan.

The texts are made as users get them: the seed printed as a PDF (A4, 13 points, page
numbers at the top), then its text taken out by PDFium (the engine of Chrome's viewer) a
page at a time, the pages joined by a form feed as pdftotext joins them, or by a plain
line break as a copy from a viewer does.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_formats import docx_document, printed_pdf, seed_text
from test_reading_formats import HAI_DUONG, SEEDS, assert_evidence_is_the_original, citations, duties

from ccbc_graph.extract import extract_plan
from ccbc_graph.model import PlanExtraction
from ccbc_graph.reading import read_source
from ccbc_graph.reflow import goes_on, hard_wrap_edits, joint, wrap_width
from ccbc_graph.textnorm import clean


def pdf_pages(pdf: bytes) -> list[str]:
    """The PDF's pages as PDFium's text: lines parted by CRLF."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pdf_as_text(pdf: bytes, page_break: str) -> str:
    """The PDF's text, its pages joined by ``page_break``."""
    return page_break.join(pdf_pages(pdf))


def facts(plan: PlanExtraction) -> tuple[list, list]:
    return citations(plan), duties(plan)


@pytest.mark.parametrize("page_break", ["\r\n\f", "\r\n"], ids=["form feed", "line break"])
@pytest.mark.parametrize("name", SEEDS)
def test_a_plan_saved_as_text_from_its_pdf_reads_as_its_word_file(tmp_path: Path, name: str, page_break: str) -> None:
    """Citations with their relations, and duties with their bodies, as in the Word file:
    each paragraph whole again, no page number in it."""
    text = pdf_as_text(printed_pdf(seed_text(name)), page_break)
    assert wrap_width(text.splitlines()) is not None
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(name)))
    source = read_source(tmp_path / "plan.txt")
    assert not [line for line in source.clean.text.split("\n") if line.strip().isdigit()]
    from_text = extract_plan(source)
    assert facts(from_text) == facts(extract_plan(read_source(tmp_path / "plan.docx")))
    assert_evidence_is_the_original(from_text)


@pytest.mark.parametrize("name", SEEDS)
def test_a_word_file_converted_from_the_pdf_line_by_line_reads_as_the_plan(tmp_path: Path, name: str) -> None:
    """PDF-to-Word converters write each printed line as a paragraph of its own, page
    numbers among them: the paragraphs are joined back as a text file's lines are."""
    converted = Document()
    for line in pdf_as_text(printed_pdf(seed_text(name)), "\r\n").split("\r\n"):
        converted.add_paragraph(line)
    converted.save(tmp_path / "converted.docx")
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(name)))
    from_converted = extract_plan(read_source(tmp_path / "converted.docx"))
    assert facts(from_converted) == facts(extract_plan(read_source(tmp_path / "plan.docx")))


@pytest.mark.parametrize("name", SEEDS)
def test_a_text_of_one_line_per_paragraph_is_left_as_it_is(name: str) -> None:
    assert hard_wrap_edits(seed_text(name)) == []


def wrapped(paragraphs: list[str], width: int) -> str:
    return "\n".join(line for paragraph in paragraphs for line in textwrap.wrap(paragraph, width))


FILLER = (
    "- Tiếp tục nâng cao nhận thức, trách nhiệm của các cấp, các ngành và tất cả cán bộ, công chức, "
    "viên chức về công tác cải cách hành chính, xem đây là nhiệm vụ đột phá của năm."
)


def test_wraps_are_joined_and_paragraph_ends_kept() -> None:
    paragraphs = [
        "KẾ HOẠCH TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH TỈNH HẢI DƯƠNG NĂM 2020 TRÊN ĐỊA BÀN TỈNH",
        "Thực hiện Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ phê duyệt Kế "
        "hoạch cải cách hành chính giai đoạn 2016-2020; Kế hoạch số 239/KH-UBND ngày 29/7/2016 "
        "của Ủy ban nhân dân tỉnh, Ủy ban nhân dân tỉnh xây dựng kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        *[FILLER] * 4,
        "- Góp phần thúc đẩy phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh trên địa bàn "
        "tỉnh, kinh tế - xã hội.",
    ]
    text = wrapped(paragraphs, 66)
    assert clean(text).text.split("\n") == paragraphs


def test_a_hyphen_the_width_put_first_on_a_line_is_no_list_item() -> None:
    hyphenated = (
        "- Góp phần thúc đẩy phát triển và hội nhập, đảm bảo an sinh, phát triển kinh tế - xã hội, "
        "quốc phòng - an ninh và trật tự an toàn xã hội trên địa bàn tỉnh."
    )
    width = next(w for w in range(50, 90) if any(line.startswith("- xã hội") for line in textwrap.wrap(hyphenated, w)))
    paragraphs = [*[FILLER] * 4, hyphenated]
    assert clean(wrapped(paragraphs, width)).text.split("\n") == paragraphs


def test_list_items_after_a_clause_end_stay_items() -> None:
    items = ["- các sở, ban, ngành tỉnh và các cơ quan, đơn vị trực thuộc Ủy ban nhân dân tỉnh;"] * 6
    text = wrapped(["Các cơ quan được giao nhiệm vụ tuyên truyền cải cách hành chính năm 2020 gồm:", *items], 60)
    assert clean(text).text.split("\n")[1:] == items


def page_of_lines(count: int) -> list[str]:
    return [line for line in textwrap.wrap(" ".join([FILLER] * 10), 70)][:count]


def without_lines(lines: list[str], numbers: set[str]) -> list[str]:
    return [line for line in lines if line not in numbers]


def test_a_page_number_counting_on_at_a_pages_length_is_left_out() -> None:
    """A text reads as it would had its page numbers never been printed."""
    lines = [*page_of_lines(40), "2", *page_of_lines(40), "- 3 -", *page_of_lines(10)]
    assert clean("\n".join(lines)).text == clean("\n".join(without_lines(lines, {"2", "- 3 -"}))).text


def test_a_number_that_is_no_page_number_stays() -> None:
    """A row's number standing a few lines into the text, or one out of sequence, is kept."""
    lines = [*page_of_lines(6), "đột phá.", "2", *page_of_lines(30), "đột phá.", "7", *page_of_lines(10)]
    text = clean("\n".join(lines)).text
    assert "\n2\n" in text and "\n7\n" in text


def test_page_breaks_and_numbers_read_as_if_never_printed() -> None:
    """Pages parted by form feeds, each but the first opening with its number, read as the
    same lines run on without either; every character but a joining space is the
    original's."""
    pages = pdf_pages(printed_pdf(seed_text(HAI_DUONG)))
    numbered = "\r\n\f".join(pages)
    assert all(page.startswith(f"{k}\r\n") for k, page in enumerate(pages[1:], start=2))
    plain = "\r\n".join([pages[0], *(page.split("\r\n", 1)[1] for page in pages[1:])])
    cleaned = clean(numbered)
    assert cleaned.text == clean(plain).text
    for k, char in enumerate(cleaned.text):
        span = cleaned.to_original(k, k + 1)
        assert numbered[span.start : span.end] == char or char == " "


@pytest.mark.parametrize(
    ("upper", "lower", "between"),
    [
        # Inside a word: after its hyphen or slash, before a symbol's hyphen.
        ("Nghị quyết số 35/NQ-", "CP ngày 16/5/2016", ""),
        ("trên hệ thống Cổng/", "Trang thông tin điện tử", ""),
        ("Kế hoạch số 140/KH", "-UBND ngày 22/5/2019", ""),
        # A word the narrow column could not hold, cut anywhere.
        ("100.00", "0.000", ""),
        ("50.000.", "000", ""),
        ("ngày 24/9/20", "16 của HĐND tỉnh", ""),
        ("Nghị quyết số 22/201", "6/NQ-HĐND", ""),
        ("- Cổng/T", "rang thông tin", ""),
        ("Lồng ghép thực hiện Chươn", "g trình", ""),
        # Two words.
        ("phát triển kinh tế -", "xã hội", " "),
        ("Đài Phát thanh", "-Truyền hình tỉnh", " "),
        ("Mở chuyên", "trang, chuyên mục", " "),
        ("của", "UBND tỉnh", " "),
        ("Văn phòng HĐND", "UBND tỉnh", " "),
        ("trong năm 2020.", "150 người tham dự", " "),
        ("trong năm 2020", "15 số/năm", " "),
        ("tổng số 2.000", "000 bản", " "),
    ],
)
def test_what_joins_two_lines(upper: str, lower: str, between: str) -> None:
    assert joint(upper, lower) == between


@pytest.mark.parametrize(
    ("upper", "lower", "wrapped"),
    [
        ("trong Tháng hành động vì sự phát triển của doanh nghiệp (10/202", "0)", True),
        ("Ủy ban nhân dân tỉnh xây dựng kế hoạch với các nội dung như", "sau: tuyên truyền", True),
        ("Căn cứ Quyết định số 225/QĐ-TTg ngày 04/02/2016 của", "Thủ tướng Chính phủ;", True),
        ("Ủy ban nhân dân tỉnh xây dựng kế hoạch với các nội dung sau:", "1) Tuyên truyền", False),
        ("Ủy ban nhân dân tỉnh xây dựng kế hoạch với các nội dung sau", "01. Tuyên truyền", False),
        ("Căn cứ Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng;", "Căn cứ Kế hoạch", False),
    ],
)
def test_which_line_goes_on(upper: str, lower: str, wrapped: bool) -> None:
    assert goes_on(upper, lower, 66) is wrapped


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["cải", "cách", "hành", "chính", "các", "sở,", "ngành", "Ủy", "ban", "2020"]), min_size=8
        ),
        min_size=10,
        max_size=20,
    ),
    st.integers(min_value=40, max_value=100),
)
def test_items_wrapped_at_any_width_read_back_as_written(words: list[list[str]], width: int) -> None:
    items = [f"- Tuyên truyền {' '.join(item)};" for item in words]
    text = wrapped(items, width)
    cleaned = clean(text)
    if wrap_width(text.split("\n")) is None:
        assert cleaned.text == text
    else:
        assert cleaned.text.split("\n") == items
    for k in range(len(cleaned.text)):
        span = cleaned.to_original(k, k + 1)
        assert span.start <= span.end <= len(cleaned.original)
