"""OpenDocument text (.odt), as LibreOffice writes it from the demo plans' Word files
(tests/fixtures/libreoffice/README.md): the text, lists and task tables read as from the
.docx; the rules of ODF 1.3 on hand-written documents; a bad package refused with its reason."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.sax import saxutils

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_formats import docx_document, odt_package, seed_text
from test_docx_numbering import duties, word_numbered_docx
from test_tables import HA_TINH, assert_is_the_ha_tinh_annex, assert_matches_gold, gold_tasks

from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.tables import find_task_tables
from ccbc_graph.reading import ReadError, read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "libreoffice"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc"
QUANG_NGAI = "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl"


def read_odt(tmp_path: Path, data: bytes, name: str = "plan.odt") -> str:
    (tmp_path / name).write_bytes(data)
    return read_source(tmp_path / name).original


def p(text: str) -> str:
    return f"<text:p>{text}</text:p>"


def numbered_style(name: str, levels: str) -> str:
    return f'<text:list-style style:name="{name}">{levels}</text:list-style>'


def number_level(level: int, num_format: str = "1", suffix: str = ".", attributes: str = "") -> str:
    return (
        f'<text:list-level-style-number text:level="{level}" style:num-format="{num_format}"'
        f' style:num-suffix="{suffix}" {attributes}/>'
    )


def items(*texts: str) -> str:
    return "".join(f"<text:list-item>{p(t)}</text:list-item>" for t in texts)


# ------------------------------------------------------------------- LibreOffice's files


def test_an_odt_task_table_gives_the_gold_tasks() -> None:
    """A cell a merged cell covers is empty, and the task takes the value above."""
    source = read_source(FIXTURES / "ha-tinh-annex.odt")
    assert source.encoding == "odt"
    assert_is_the_ha_tinh_annex(source)


def test_row_numbers_a_list_style_writes_are_read() -> None:
    """The TT column numbered by a list (Word's numbering, as LibreOffice keeps it: each
    cell's list continues the one before): without the numbers no row is a task."""
    source = read_source(FIXTURES / "ha-tinh-annex-word-numbered.odt")
    (table,) = find_task_tables(source.clean)
    assert_matches_gold(table.rows, gold_tasks(HA_TINH))


def test_an_odt_plan_reads_as_its_docx(tmp_path: Path) -> None:
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(f"{HAI_DUONG}.txt")))
    word = extract_plan(read_source(tmp_path / "plan.docx"))
    odt = extract_plan(read_source(FIXTURES / f"{HAI_DUONG}.odt"))
    assert odt.document.symbol == "259/KH-UBND"
    assert replace(odt.document, evidence={}) == replace(word.document, evidence={})
    assert sorted(c.key.label for c in odt.citations) == sorted(c.key.label for c in word.citations)
    assert duties(odt) and duties(odt) == duties(word)
    for citation in odt.citations:
        for mention in citation.mentions:
            assert odt.text[mention.evidence.span.start : mention.evidence.span.end] == mention.evidence.text


def test_a_plan_whose_items_a_list_style_numbers_reads_as_one_typed(tmp_path: Path) -> None:
    (tmp_path / "typed.docx").write_bytes(docx_document(seed_text(f"{QUANG_NGAI}.txt")))
    typed = extract_plan(read_source(tmp_path / "typed.docx"))
    source = read_source(FIXTURES / f"{QUANG_NGAI}-word-numbered.odt")
    numbered = extract_plan(source)
    assert duties(numbered) and duties(numbered) == duties(typed)
    assert sorted(c.key.label for c in numbered.citations) == sorted(c.key.label for c in typed.citations)
    # The same text as Word's own numbering gives.
    word = read_source(word_numbered_docx(seed_text(f"{QUANG_NGAI}.txt"), tmp_path / "numbered.docx"))
    assert source.original == word.original


def test_an_odt_typed_in_a_tcvn3_font_reads_in_unicode() -> None:
    typed = read_source(FIXTURES / f"{HAI_DUONG}-tcvn3.odt")
    assert typed.encoding == "odt in tcvn3 fonts"
    unicode = read_source(FIXTURES / f"{HAI_DUONG}.odt")
    by_font, by_unicode = extract_plan(typed), extract_plan(unicode)
    assert replace(by_font.document, evidence={}) == replace(by_unicode.document, evidence={})
    assert duties(by_font) == duties(by_unicode)


def test_an_odt_named_doc_is_read_as_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "plan.doc").write_bytes((FIXTURES / f"{HAI_DUONG}.odt").read_bytes())
    assert read_source(tmp_path / "plan.doc").original == read_source(FIXTURES / f"{HAI_DUONG}.odt").original


# --------------------------------------------------------------------------- ODF's rules


def test_white_space_is_collapsed_but_spaces_tabs_and_breaks_are_kept(tmp_path: Path) -> None:
    body = p("  Kế   hoạch\n  số <text:s/>259") + p(
        'Ủy<text:s text:c="3"/>ban<text:tab/>tỉnh<text:line-break/>Hải Dương'
    )
    assert read_odt(tmp_path, odt_package(body)) == "Kế hoạch số  259\nỦy   ban\ttỉnh\nHải Dương\n"


def test_what_the_document_does_not_show_is_left_out(tmp_path: Path) -> None:
    """Deleted text, comments and an index's template; a text box's paragraphs come after
    the paragraph that holds it."""
    body = (
        "<text:tracked-changes><text:changed-region><text:deletion>"
        f"{p('Quyết định số 1/QĐ-UBND')}</text:deletion></text:changed-region></text:tracked-changes>"
        "<text:table-of-content><text:table-of-content-source><text:index-title-template>Mục lục"
        f"</text:index-title-template></text:table-of-content-source><text:index-body>{p('I. MỤC ĐÍCH')}"
        "</text:index-body></text:table-of-content>"
        f"<text:p>Căn cứ Nghị định số 61/2018/NĐ-CP<office:annotation>{p('xem lại')}</office:annotation>"
        f"<draw:frame><draw:text-box>{p('Số: 259/KH-UBND')}</draw:text-box></draw:frame> của Chính phủ</text:p>"
        f"<text:section>{p('II. NỘI DUNG')}</text:section>"
    )
    assert read_odt(tmp_path, odt_package(body)) == (
        "I. MỤC ĐÍCH\nCăn cứ Nghị định số 61/2018/NĐ-CP của Chính phủ\nSố: 259/KH-UBND\nII. NỘI DUNG\n"
    )


def note(kind: str, mark: str, *paragraphs: str) -> str:
    return (
        f'<text:note text:note-class="{kind}"><text:note-citation>{mark}</text:note-citation>'
        f"<text:note-body>{''.join(p(t) for t in paragraphs)}</text:note-body></text:note>"
    )


def test_notes_follow_the_body_after_their_marks(tmp_path: Path) -> None:
    """Footnotes, then endnotes, as a page shows them below the text."""
    endnote = note("endnote", "i", "Phê duyệt năm 2016.")
    first, second = note("footnote", "1", " Quyết định số 3490/QĐ-BNV."), note("footnote", "2", "Số 61;", "và sau.")
    body = p(f"Thực hiện Đề án{endnote} của Bộ Nội vụ{first}") + p(f"Căn cứ Nghị định{second}")
    assert read_odt(tmp_path, odt_package(body)).split("\n") == [
        "Thực hiện Đề án của Bộ Nội vụ",
        "Căn cứ Nghị định",
        "1 Quyết định số 3490/QĐ-BNV.",
        "2 Số 61;",
        "và sau.",
        "i Phê duyệt năm 2016.",
        "",
    ]


def test_lists_count_as_their_style_says(tmp_path: Path) -> None:
    styles = numbered_style(
        "L1",
        number_level(1, "I")
        + number_level(2, "1", attributes='text:display-levels="2"')
        + number_level(3, "a", suffix=")")
        + '<text:list-level-style-bullet text:level="4" text:bullet-char="\uf0b7"/>',
    )
    body = (
        '<text:list xml:id="one" text:style-name="L1"><text:list-item>'
        f"{p('MỤC ĐÍCH')}<text:list>{items('Mục đích', 'Yêu cầu')}"
        f"<text:list-item><text:list>{items('chi tiết')}<text:list-item><text:list>{items('ý')}"
        "</text:list></text:list-item></text:list></text:list-item></text:list></text:list-item>"
        f"<text:list-header>{p('(không đánh số)')}</text:list-header></text:list>"
        f"{p('Đoạn chen giữa')}"
        f'<text:list text:continue-list="one" text:style-name="L1">{items("NỘI DUNG")}</text:list>'
        f'<text:list text:style-name="L1">{items("mới")}</text:list>'
        f'<text:list text:continue-numbering="true" text:style-name="L1">{items("tiếp")}</text:list>'
        f'<text:list text:style-name="L1"><text:list-item text:start-value="5">{p("năm")}</text:list-item>'
        f"{items('sáu')}</text:list>"
    )
    assert read_odt(tmp_path, odt_package(body, styles)).split("\n") == [
        "I. MỤC ĐÍCH",
        "I.1. Mục đích",
        "I.2. Yêu cầu",
        "a) chi tiết",
        "• ý",
        "(không đánh số)",
        "Đoạn chen giữa",
        "II. NỘI DUNG",
        "I. mới",
        "II. tiếp",
        "V. năm",
        "VI. sáu",
        "",
    ]


def test_an_items_later_paragraphs_and_a_list_without_a_style(tmp_path: Path) -> None:
    """Only an item's first paragraph has the label; a list that names no style takes its
    first paragraph's (ODF 1.3 §19.509)."""
    styles = numbered_style("L2", number_level(1, "a", ")", 'style:num-prefix="("')) + (
        '<style:style style:name="Item" style:family="paragraph" style:list-style-name="L2"/>'
        '<style:style style:name="Child" style:family="paragraph" style:parent-style-name="Item"/>'
    )
    body = (
        '<text:list><text:list-item><text:p text:style-name="Child">một</text:p>'
        f"{p('tiếp đoạn')}</text:list-item>{items('hai')}</text:list>"
    )
    assert read_odt(tmp_path, odt_package(body, styles)) == "(a) một\ntiếp đoạn\n(b) hai\n"


def test_headings_are_numbered_by_the_outline_style(tmp_path: Path) -> None:
    styles = (
        '<text:outline-style style:name="Outline">'
        '<text:outline-level-style text:level="1" style:num-format="I" style:num-suffix="."/>'
        '<text:outline-level-style text:level="2" style:num-format="1" style:num-suffix="."/>'
        "</text:outline-style>"
    )
    body = (
        '<text:h text:outline-level="1">MỤC ĐÍCH</text:h><text:h text:outline-level="2">Mục đích</text:h>'
        '<text:h text:outline-level="2">Yêu cầu</text:h><text:h text:outline-level="1">NỘI DUNG</text:h>'
        '<text:h text:outline-level="2">Nội dung</text:h>'
        '<text:h text:outline-level="1" text:is-list-header="true">PHỤ LỤC</text:h>'
    )
    assert read_odt(tmp_path, odt_package(body, styles)) == (
        "I. MỤC ĐÍCH\n1. Mục đích\n2. Yêu cầu\nII. NỘI DUNG\n1. Nội dung\nPHỤ LỤC\n"
    )


def test_a_tables_covered_repeated_and_nested_cells(tmp_path: Path) -> None:
    def cell(text: str, attributes: str = "") -> str:
        return f"<table:table-cell{attributes}>{p(text)}</table:table-cell>"

    nested = f"<table:table><table:table-row>{cell('a')}{cell('b')}</table:table-row></table:table>"
    spanned, repeated = ' table:number-rows-spanned="2"', ' table:number-columns-repeated="1000"'
    body = (
        "<table:table><table:table-header-rows><table:table-row>"
        f"{cell('TT')}{cell('Nội dung')}{cell('Chủ trì')}</table:table-row></table:table-header-rows>"
        f"<table:table-row>{cell('1')}{cell('Tuyên truyền', spanned)}"
        f"<table:table-cell>{p('Sở Nội vụ')}{nested}</table:table-cell></table:table-row>"
        "<table:table-row>"
        f"{cell('2')}<table:covered-table-cell/>{cell('', repeated)}"
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>'
        "</table:table>"
    )
    text = read_odt(tmp_path, odt_package(f"{p('PHỤ LỤC')}{body}{p('Nơi nhận')}"))
    rows = text.split("\n\n")
    assert rows[0] == "PHỤ LỤC\n\tTT\n\tNội dung\n\tChủ trì"
    assert rows[1] == "\t1\n\tTuyên truyền\n\tSở Nội vụ\na\nb"
    # The covered cell is empty, and repeats stop at Word's 63 columns; blank rows repeated
    # a million times (a spreadsheet's way) are written once.
    assert rows[2].split("\n") == ["\t2"] + ["\t"] * 62
    assert rows[3:] == ["\t", "Nơi nhận\n"]


# --------------------------------------------------------------------------- bad files


def _package(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


_CONTENT = odt_package(p("Kế hoạch"))
with zipfile.ZipFile(io.BytesIO(_CONTENT)) as _package_read:
    _CONTENT_XML = _package_read.read("content.xml")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "^empty file$"),
        (b"PK\x03\x04" + bytes(64), r"^not an \.odt: no ZIP package"),
        (_CONTENT[: len(_CONTENT) // 2], r"^not an \.odt: no ZIP package"),
        (
            _package(
                {
                    "mimetype": "application/vnd.oasis.opendocument.text",
                    "content.xml": b"\x00\x01encrypted",
                    "META-INF/manifest.xml": "<manifest:encryption-data/>",
                }
            ),
            r"^encrypted \.odt: it needs a password",
        ),
        (
            _package({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": _CONTENT_XML}),
            r"^an OpenDocument spreadsheet, not a text document",
        ),
        (
            _package({"mimetype": "application/vnd.oasis.opendocument.text"}),
            r"^not an OpenDocument text: .*content\.xml",
        ),
        (_package({"content.xml": b"<office:document-content"}), r"^damaged \.odt: "),
        (_package({"content.xml": b"<a/>"}), r"^not an OpenDocument text: its content holds no text body$"),
        (odt_package("<text:p>  </text:p>"), r"^no text: the \.odt holds none"),
    ],
    ids=["empty", "no-zip", "truncated", "encrypted", "spreadsheet", "no-content", "bad-xml", "foreign-xml", "no-text"],
)
def test_a_bad_odt_is_refused_with_its_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    (tmp_path / "plan.odt").write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read_source(tmp_path / "plan.odt")
    assert caught.value.path == tmp_path / "plan.odt"
    assert re.match(reason, caught.value.reason), caught.value.reason


def test_an_odt_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.odt").write_bytes(odt_package(p("Kế hoạch " * 20_000)))
    with pytest.raises(ReadError) as caught:
        read_source(tmp_path / "plan.odt", max_bytes=100_000)
    assert caught.value.reason.startswith("too large unpacked: ")


# What an element of a list or table may be: ODF's names, and names no reader knows.
_TAGS = st.sampled_from(
    [
        "text:p",
        "text:h",
        "text:list",
        "text:list-item",
        "text:list-header",
        "text:span",
        "text:s",
        "table:table",
        "table:table-row",
        "table:table-cell",
        "table:covered-table-cell",
        "draw:frame",
        "text:note",
        "text:section",
    ]
)
_ATTRIBUTES = st.sampled_from(
    [
        "text:style-name",
        "text:continue-list",
        "text:continue-numbering",
        "text:start-value",
        "text:outline-level",
        "text:c",
        "table:number-columns-repeated",
        "table:number-rows-repeated",
        "text:restart-numbering",
        "xml:id",
    ]
)
_VALUES = st.one_of(st.sampled_from(["L", "true", "x", "0", "-3", "99999999999"]), st.integers(-5, 100).map(str))


def _element(tag: str, attributes: dict[str, str], children: list[str]) -> str:
    written = "".join(f" {name}={saxutils.quoteattr(value)}" for name, value in attributes.items())
    return f"<{tag}{written}>{''.join(children)}</{tag}>"


_ELEMENTS = st.recursive(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=8).map(saxutils.escape),
    lambda children: st.builds(
        _element, _TAGS, st.dictionaries(_ATTRIBUTES, _VALUES, max_size=3), st.lists(children, max_size=4)
    ),
    max_leaves=30,
)
_STYLE_LEVELS = st.lists(
    st.tuples(
        st.sampled_from(["number", "bullet", "image"]),
        _VALUES,
        st.sampled_from(["1", "a", "A", "i", "I", "", "?"]),
        _VALUES,
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(body=st.lists(_ELEMENTS, max_size=6), levels=_STYLE_LEVELS)
def test_any_body_is_read_or_refused_and_labels_stay_short(tmp_path_factory, body: list[str], levels) -> None:
    styles = numbered_style(
        "L",
        "".join(
            f'<text:list-level-style-{kind} text:level="{level}" style:num-format="{number_format}"'
            f' text:start-value="{start}" text:display-levels="{start}"/>'
            for kind, level, number_format, start in levels
        ),
    )
    data = odt_package("".join(body), styles)
    folder = tmp_path_factory.mktemp("odt")
    try:
        text = read_odt(folder, data)
    except ReadError as err:
        assert err.path == folder / "plan.odt" and err.reason
        return
    assert all(len(line) < 10_000 for line in text.split("\n"))
