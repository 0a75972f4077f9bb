"""Word's automatic numbering read as Word shows it: the rules of ECMA-376 §17.9 on
hand-written numbering definitions, and demo plans whose items and task-table row numbers
Word numbers itself."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax import saxutils

import pytest
from docx import Document
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from plan_formats import docx_document, plan_parts, seed_text
from test_tables import FIELDS, HA_TINH, HA_TINH_HEADER, assert_matches_gold, gold_tasks, rows_of

from ccbc_graph.docx_numbering import Numbering
from ccbc_graph.docx_reader import read_docx
from ccbc_graph.extract import extract_plan
from ccbc_graph.model import PlanExtraction
from ccbc_graph.reading import read_source


def _level(ilvl: int, number_format: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


# Symbol font's bullet, as Word writes it in a level's text.
SYMBOL_BULLET = "\uf0b7"

# A plan's outline (II. / 1. / a) / -), a legal-style list (1.1.), a two-digit count and a
# Symbol-font bullet; lists 1 and 2 share the outline's counters, list 3 restarts it at 5.
NUMBERING = f"""<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="10">
    {_level(0, "upperRoman", "%1.")}{_level(1, "decimal", "%2.")}{_level(2, "lowerLetter", "%3)")}
    {_level(3, "bullet", "-")}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="20">
    {_level(0, "decimal", "%1.")}{_level(1, "lowerLetter", "%1.%2.", extra="<w:isLgl/>")}
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="30">
    {_level(0, "decimalZero", "%1")}{_level(1, "bullet", SYMBOL_BULLET)}
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="10"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="20"/></w:num>
  <w:num w:numId="5"><w:abstractNumId w:val="30"/></w:num>
</w:numbering>"""

STYLES = f"""<w:styles {nsdecls("w")}>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
  <w:style w:type="paragraph" w:styleId="Item">
    <w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="SubItem"><w:basedOn w:val="Item"/>
    <w:pPr><w:numPr><w:ilvl w:val="2"/></w:numPr></w:pPr></w:style>
</w:styles>"""


def paragraph(num_id: str | None = None, ilvl: int | None = None, style: str | None = None) -> etree._Element:
    num_pr = ""
    if num_id is not None or ilvl is not None:
        ids = "" if num_id is None else f'<w:numId w:val="{num_id}"/>'
        levels = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        num_pr = f"<w:numPr>{levels}{ids}</w:numPr>"
    style_pr = "" if style is None else f'<w:pStyle w:val="{style}"/>'
    return etree.fromstring(f"<w:p {nsdecls('w')}><w:pPr>{style_pr}{num_pr}</w:pPr></w:p>")


def labels(steps: list[tuple[str | None, int | None, str | None]]) -> list[str]:
    numbering = Numbering(etree.fromstring(NUMBERING), etree.fromstring(STYLES))
    return [numbering.label(paragraph(*step)) for step in steps]


def test_an_outline_counts_per_level_and_restarts_the_deeper_levels() -> None:
    steps = [("1", 0, None), ("1", 1, None), ("1", 2, None), ("1", 2, None), ("1", 3, None), ("1", 1, None)]
    steps += [("1", 2, None), ("1", 0, None), ("1", 1, None)]
    assert labels(steps) == ["I. ", "1. ", "a) ", "b) ", "- ", "2. ", "a) ", "II. ", "1. "]


def test_lists_of_one_definition_share_its_counters_and_a_start_override_restarts_them() -> None:
    steps = [("1", 0, None), ("2", 0, None), ("1", 0, None), ("3", 0, None), ("3", 0, None), ("2", 0, None)]
    assert labels(steps) == ["I. ", "II. ", "III. ", "V. ", "VI. ", "VII. "]


def test_numbering_from_the_style_its_base_and_none() -> None:
    steps = [("1", 0, None), (None, None, "Item"), (None, None, "SubItem"), (None, None, "Item")]
    steps += [("0", None, "Item"), (None, None, "Normal"), (None, None, None), ("9", 0, None), ("1", 7, None)]
    assert labels(steps) == ["I. ", "1. ", "a) ", "2. ", "", "", "", "", ""]


def test_legal_numbering_two_digit_counts_and_symbol_bullets() -> None:
    steps = [("4", 0, None), ("4", 1, None), ("4", 1, None), ("5", 0, None), ("5", 1, None)]
    assert labels(steps) == ["1. ", "1.1. ", "1.2. ", "01 ", "• "]


def test_a_document_without_numbering_or_styles_numbers_nothing() -> None:
    assert Numbering(None, None).label(paragraph("1", 0)) == ""


# ---------------------------------------------------------------------------- documents

# A plan's typed markers, which Word's list styles write instead.
_MARKER = re.compile(r"(?:\d{1,2}\.|[-–•])\s+")


def word_numbered_docx(text: str, path: Path) -> Path:
    """The seed's paragraphs as a Word document whose numbered items and bullets Word
    numbers itself (python-docx's "List Number" and "List Bullet" styles): their typed
    markers are gone from the text."""
    document = Document()
    for part in plan_parts(text):
        if not isinstance(part, str):
            continue
        marker = _MARKER.match(part)
        if marker is None:
            document.add_paragraph(part)
        else:
            style = "List Bullet" if marker.group().strip() in "-–•" else "List Number"
            document.add_paragraph(part[marker.end() :], style=style)
    document.save(path)
    return path


def duties(extraction: PlanExtraction) -> list[tuple[str, list[str]]]:
    return sorted((r.agency.canonical, sorted(p.canonical for p in r.partners)) for r in extraction.responsibilities)


@pytest.mark.parametrize(
    "name", ["ha-tinh-2020-tuyen-truyen-cchc.txt", "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt"]
)
def test_a_plan_whose_items_word_numbers_reads_as_one_typed(tmp_path: Path, name: str) -> None:
    (tmp_path / "typed.docx").write_bytes(docx_document(seed_text(name)))
    typed = extract_plan(read_source(tmp_path / "typed.docx"))
    numbered_path = word_numbered_docx(seed_text(name), tmp_path / "numbered.docx")
    numbered = extract_plan(read_source(numbered_path))
    assert duties(numbered) and duties(numbered) == duties(typed)
    assert sorted(c.key.label for c in numbered.citations) == sorted(c.key.label for c in typed.citations)
    text = read_docx(numbered_path).text
    assert "\n1. " in text and "\n• " in text


def word_numbered_annex(path: Path) -> Path:
    """The Hà Tĩnh annex with its TT column numbered by Word ("List Number" in each cell)."""
    rows = rows_of(HA_TINH)
    document = Document()
    table = document.add_table(rows=len(rows) + 1, cols=len(HA_TINH_HEADER))
    for c, heading in enumerate(HA_TINH_HEADER):
        table.cell(0, c).text = heading
    for r, row in enumerate(rows, start=1):
        table.cell(r, 0).paragraphs[0].style = document.styles["List Number"]
        for c, name in enumerate(FIELDS, start=1):
            cell = getattr(row, name)
            table.cell(r, c).text = "" if cell is None else cell.text
    document.save(path)
    return path


def test_a_task_tables_row_numbers_word_writes_are_read(tmp_path: Path) -> None:
    """Without the numbers Word writes in the TT column, no row is a task."""
    (found,) = read_docx(word_numbered_annex(tmp_path / "annex.docx")).task_tables()
    assert [r.row for r in found.rows] == [r.row for r in rows_of(HA_TINH)]
    assert_matches_gold(found.rows, gold_tasks(HA_TINH))


# What an XML attribute can hold (no control characters, no lone surrogates).
_XML_TEXT = st.characters(exclude_categories=("Cs", "Cc"))
_VALUES = st.one_of(st.integers(-5, 10**12).map(str), st.text(_XML_TEXT, max_size=6))


@settings(max_examples=200, deadline=None)
@given(
    start=_VALUES,
    number_format=st.sampled_from(["decimal", "lowerLetter", "upperRoman", "bullet", "none", "decimalZero", "?"]),
    text=st.text(_XML_TEXT, max_size=12),
    override=_VALUES,
    steps=st.lists(st.tuples(st.sampled_from(["1", "2", "0", "x", None]), st.integers(-2, 10)), max_size=12),
)
def test_any_numbering_gives_a_short_label_and_never_raises(
    start: str, number_format: str, text: str, override: str, steps: list[tuple[str | None, int]]
) -> None:
    quoted = {name: saxutils.quoteattr(value) for name, value in [("start", start), ("text", text), ("o", override)]}
    numbering = etree.fromstring(
        f"<w:numbering {nsdecls('w')}><w:abstractNum w:abstractNumId='7'>"
        f"<w:lvl w:ilvl='0'><w:start w:val={quoted['start']}/><w:numFmt w:val='{number_format}'/>"
        f"<w:lvlText w:val={quoted['text']}/></w:lvl></w:abstractNum>"
        "<w:num w:numId='1'><w:abstractNumId w:val='7'/></w:num>"
        f"<w:num w:numId='2'><w:abstractNumId w:val='7'/><w:lvlOverride w:ilvl='0'>"
        f"<w:startOverride w:val={quoted['o']}/></w:lvlOverride></w:num></w:numbering>"
    )
    reader = Numbering(numbering, None)
    for num_id, ilvl in steps:
        label = reader.label(paragraph(num_id, ilvl))
        assert isinstance(label, str) and len(label) <= len(text) * 20 + 40
