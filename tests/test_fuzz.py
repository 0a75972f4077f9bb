"""Fuzzing the readers and the extractors: any bytes give a SourceDocument or a ReadError
and nothing else, and any text gives an extraction whose every span lies in the text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from demo_corpus import PLANS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_formats import docx_document, html_page, pdf_document, seed_text, tcvn3_bytes

from ccbc_graph.extract import extract_plan
from ccbc_graph.model import Evidence, PlanExtraction, Span
from ccbc_graph.reading import SUPPORTED_SUFFIXES, ReadError, SourceDocument, read_source
from ccbc_graph.textnorm import clean

KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def small_plan() -> str:
    """The head of a seed plan and the first rows of its task table: a short real plan."""
    lines = seed_text(KIEN_GIANG).split("\n")
    table = next(i for i, line in enumerate(lines) if "\t" in line)
    return "\n".join(lines[:6] + lines[table - 2 : table + 3])


@cache
def documents() -> dict[str, bytes]:
    """A real document of each kind, to damage."""
    text = small_plan()
    return {
        ".txt": text.encode("utf-8"),
        ".md": tcvn3_bytes(text),
        ".html": html_page(text).encode("utf-8"),
        ".docx": docx_document(text),
        ".pdf": pdf_document(text),
        ".doc": (Path(__file__).resolve().parent / "fixtures" / "libreoffice" / "ha-tinh-annex.doc").read_bytes(),
        ".odt": (Path(__file__).resolve().parent / "fixtures" / "libreoffice" / "ha-tinh-annex.odt").read_bytes(),
    }


def read_or_refuse(folder: Path, suffix: str, data: bytes) -> SourceDocument | None:
    """read_source of ``data`` saved with ``suffix``: the document, or None when it is refused
    with a ReadError that names the file and gives a reason. Any other exception fails."""
    path = folder / f"fuzzed{suffix}"
    path.write_bytes(data)
    try:
        source = read_source(path)
    except ReadError as err:
        assert err.path == path and err.reason.strip()
        return None
    clean_text = source.clean
    assert len(clean_text.starts) == len(clean_text.ends) == len(clean_text.text)
    assert all(0 <= s < e <= len(source.original) for s, e in zip(clean_text.starts, clean_text.ends, strict=True))
    return source


@FUZZ
@given(suffix=st.sampled_from(SUPPORTED_SUFFIXES), data=st.binary(max_size=4096))
def test_any_bytes_are_read_or_refused(folder: Path, suffix: str, data: bytes) -> None:
    read_or_refuse(folder, suffix, data)


@FUZZ
@given(suffix=st.sampled_from([".pdf", ".html", ".txt"]), data=st.binary(max_size=2048))
def test_any_bytes_behind_a_format_header_are_read_or_refused(folder: Path, suffix: str, data: bytes) -> None:
    header = {".pdf": b"%PDF-1.7\n", ".html": b"<html><body><table><tr><td>", ".txt": b"\xef\xbb\xbf"}[suffix]
    read_or_refuse(folder, suffix, header + data)


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["replace", "insert", "delete", "cut"]), st.floats(0, 1), st.binary(min_size=1, max_size=16)
    ),
    min_size=1,
    max_size=6,
)


def damaged(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    """``data`` with bytes replaced, inserted, deleted, or cut off at the end."""
    for kind, where, piece in edits:
        at = int(where * len(data))
        if kind == "replace":
            data = data[:at] + piece + data[at + len(piece) :]
        elif kind == "insert":
            data = data[:at] + piece + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(piece) :]
        else:
            data = data[:at]
    return data


@FUZZ
@given(suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf", ".doc", ".odt"]), edits=_EDITS)
def test_damaged_documents_are_read_or_refused(
    folder: Path, suffix: str, edits: list[tuple[str, float, bytes]]
) -> None:
    read_or_refuse(folder, suffix, damaged(documents()[suffix], edits))


@cache
def _document_xml() -> str:
    with zipfile.ZipFile(io.BytesIO(documents()[".docx"])) as package:
        return package.read("word/document.xml").decode("utf-8")


def _docx_with(document_xml: bytes) -> bytes:
    """The base .docx, its main part replaced: a sound ZIP package around damaged XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(documents()[".docx"])) as source, zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            package.writestr(item, document_xml if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_WORD_XML = st.lists(
    st.sampled_from(
        [
            "<w:p>",
            "</w:p>",
            "<w:r><w:t>Kế hoạch 12/KH-UBND</w:t></w:r>",
            "<w:tbl>",
            "</w:tbl>",
            "<w:tr>",
            "</w:tr>",
            "<w:tc>",
            "</w:tc>",
            "<w:tcPr><w:gridSpan w:val='99999'/></w:tcPr>",
            "<w:tcPr><w:vMerge w:val='continue'/></w:tcPr>",
            "<w:trPr><w:gridBefore w:val='-3'/></w:trPr>",
            "<w:tcPr><w:gridSpan w:val='x'/></w:tcPr>",
            "<w:sdt><w:sdtContent>",
            "</w:sdtContent></w:sdt>",
            "<w:br/>",
            "<w:tab/>",
        ]
    ),
    max_size=30,
)


@FUZZ
@given(body=_WORD_XML, whole=st.booleans())
def test_docx_with_damaged_word_xml_is_read_or_refused(folder: Path, body: list[str], whole: bool) -> None:
    inner = "".join(body)
    xml = f"<w:document {_W}><w:body>{inner}</w:body></w:document>" if whole else inner
    read_or_refuse(folder, ".docx", _docx_with(xml.encode("utf-8")))


@FUZZ
@given(edits=_EDITS)
def test_docx_with_mutated_word_xml_is_read_or_refused(folder: Path, edits: list[tuple[str, float, bytes]]) -> None:
    read_or_refuse(folder, ".docx", _docx_with(damaged(_document_xml().encode("utf-8"), edits)))


# ---------------------------------------------------------------------------- extraction


def spans(extraction: PlanExtraction) -> Iterator[Span | Evidence]:
    """Every span and evidence an extraction reports."""
    for citation in extraction.citations:
        yield from (mention.evidence for mention in citation.mentions)
    yield from (reference.evidence for reference in extraction.unnumbered_citations)
    yield from (amendment.evidence for amendment in extraction.amendments)
    yield from (not_citation.span for not_citation in extraction.not_citations)
    yield from (agency.span for agency in extraction.agencies)
    for task in extraction.tasks:
        yield from task.cells.values()
        yield from (body.span for body in [*task.lead, *task.coordinators])
    yield from extraction.document.evidence.values()
    yield from extraction.stated_budget_total_evidence
    for duty in extraction.responsibilities:
        yield from (duty.agency.span, duty.duty_span, *(partner.span for partner in duty.partners))


def assert_spans_inside(text: str) -> PlanExtraction:
    extraction = extract_plan(SourceDocument(Path("fuzz.txt"), "0" * 64, clean(text)))
    assert extraction.text == text
    for found in spans(extraction):
        span = found.span if isinstance(found, Evidence) else found
        assert 0 <= span.start <= span.end <= len(text), found
        if isinstance(found, Evidence):
            assert found.text == text[span.start : span.end]
            assert 0 <= found.sentence_span.start <= found.sentence_span.end <= len(text), found
    return extraction


@cache
def fragments() -> list[str]:
    """Pieces of real plans: words, phrases, lines and table cells of the seeds, and the
    marks that cut them (tabs, pipes, emphasis, combining tones)."""
    pieces: set[str] = set()
    for path in sorted(PLANS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            pieces.update(cell for cell in line.split("\t") if 0 < len(cell) < 80)
            words = line.split()
            pieces.update(" ".join(words[i : i + 3]) for i in range(0, len(words), 3))
    marks = ["\t", "\n", "\n\n", " | ", "**", "\\-", "\u0301", "\u0323", "Căn cứ ", "Thực hiện ", "Tổng cộng", "TT"]
    return sorted(pieces) + marks


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=400))
def test_extraction_of_any_text_stays_inside_it(text: str) -> None:
    assert_spans_inside(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(fragments()), st.text(max_size=3)), max_size=60).map("".join))
def test_extraction_of_plan_fragments_stays_inside_them(text: str) -> None:
    assert_spans_inside(text)
