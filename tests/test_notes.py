"""Footnotes and endnotes: plans cite documents in them, so every reader writes them after
the body, each after its mark, as the pages show them below the text. The plans with notes
are the Hải Dương plan with a footnote and an endnote that cite documents it cites nowhere
else (tests/plan_formats.py:noted_plan), as LibreOffice writes it in each format
(tests/fixtures/libreoffice/README.md)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from plan_formats import PLAN_NOTES, docx_document, noted_plan, seed_text

from ccbc_graph.extract import extract_plan
from ccbc_graph.reading import read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "libreoffice"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc"
# What the notes cite.
NOTED = {"30c/NQ-CP@2011", "07/CT-TTg@2013"}


def noted_file(tmp_path: Path, suffix: str) -> Path:
    if suffix == ".odt":
        (tmp_path / "plan.odt").write_bytes(noted_plan(seed_text(f"{HAI_DUONG}.txt")))
        return tmp_path / "plan.odt"
    return FIXTURES / f"{HAI_DUONG}-notes{suffix}"


@pytest.mark.parametrize("suffix", [".odt", ".docx", ".doc"])
def test_notes_follow_the_body_and_their_citations_are_found(tmp_path: Path, suffix: str) -> None:
    source = read_source(noted_file(tmp_path, suffix))
    lines = [line for line in source.original.split("\n") if line.strip()]
    assert lines[-2:] == [f"{mark} {text}" for _, _, mark, text in PLAN_NOTES]
    (tmp_path / "plain.docx").write_bytes(docx_document(seed_text(f"{HAI_DUONG}.txt")))
    plain = {c.key.label for c in extract_plan(read_source(tmp_path / "plain.docx")).citations}
    noted = extract_plan(source)
    assert {c.key.label for c in noted.citations} == plain | NOTED
    notes_start = source.original.index(lines[-2])
    for citation in noted.citations:
        if citation.key.label in NOTED:
            (mention,) = citation.mentions
            assert mention.evidence.span.start >= notes_start
            assert noted.text[mention.evidence.span.start : mention.evidence.span.end] == mention.evidence.text


def _docx_edited(edits: dict[str, tuple[str, str]]) -> bytes:
    """The .docx with notes, a part's XML edited: ``edits`` maps a part to (pattern, replacement)."""
    out = io.BytesIO()
    with zipfile.ZipFile(FIXTURES / f"{HAI_DUONG}-notes.docx") as source, zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in edits:
                pattern, replacement = edits[item.filename]
                data, count = re.subn(pattern.encode(), replacement.encode(), data)
                assert count, (item.filename, pattern)
            package.writestr(item, data)
    return out.getvalue()


def test_a_docx_notes_number_format_and_start_are_read(tmp_path: Path) -> None:
    """As the section's properties set them (ECMA-376 §17.11.11)."""
    footnote = '<w:footnotePr><w:numFmt w:val="upperLetter"/><w:numStart w:val="3"/>'
    (tmp_path / "plan.docx").write_bytes(
        _docx_edited({"word/document.xml": ('<w:footnotePr><w:numFmt w:val="decimal"/>', footnote)})
    )
    assert "\nC Nghị quyết số 30c/NQ-CP" in read_source(tmp_path / "plan.docx").original


def test_a_docx_note_whose_reference_is_deleted_or_gives_its_own_mark(tmp_path: Path) -> None:
    deleted = _docx_edited(
        {
            "word/document.xml": (
                r"(<w:r>(?:(?!<w:r>).)*?<w:footnoteReference[^>]*/></w:r>)",
                r'<w:del w:id="90">\1</w:del>',
            )
        }
    )
    (tmp_path / "deleted.docx").write_bytes(deleted)
    assert "30c/NQ-CP" not in read_source(tmp_path / "deleted.docx").original
    custom = _docx_edited(
        {"word/document.xml": ("<w:footnoteReference ", '<w:footnoteReference w:customMarkFollows="1" ')}
    )
    (tmp_path / "custom.docx").write_bytes(custom)
    lines = read_source(tmp_path / "custom.docx").original.split("\n")
    assert "Nghị quyết số 30c/NQ-CP" in next(line for line in lines if "30c/NQ-CP" in line)
    assert not any(line.startswith("1 Nghị quyết") for line in lines)
