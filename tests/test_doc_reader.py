"""Old Word documents (.doc, Word 97-2003), as LibreOffice writes them from the demo plans'
Word files (tests/fixtures/libreoffice/README.md): the text and the task table read as from
the .docx, and a damaged, encrypted or older .doc refused with its reason."""

from __future__ import annotations

import re
import shutil
import struct
from dataclasses import replace
from pathlib import Path

import olefile
import pytest
from plan_formats import docx_document, seed_text
from test_tables import assert_is_the_ha_tinh_annex

from ccbc_graph.extract import extract_plan
from ccbc_graph.reading import ReadError, read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "libreoffice"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc"


def test_a_doc_task_table_gives_the_gold_tasks() -> None:
    """Which cell marks end rows is read from the paragraphs' properties: an empty cell and
    a row's end are the same character in the text."""
    source = read_source(FIXTURES / "ha-tinh-annex.doc")
    assert source.encoding == "doc"
    assert_is_the_ha_tinh_annex(source)


def test_a_doc_plan_reads_as_its_docx(tmp_path: Path) -> None:
    (tmp_path / "plan.docx").write_bytes(docx_document(seed_text(f"{HAI_DUONG}.txt")))
    word = extract_plan(read_source(tmp_path / "plan.docx"))
    old = extract_plan(read_source(FIXTURES / f"{HAI_DUONG}.doc"))
    assert replace(old.document, evidence={}) == replace(word.document, evidence={})
    assert old.document.symbol == "259/KH-UBND"
    assert sorted(c.key.label for c in old.citations) == sorted(c.key.label for c in word.citations)

    def duties(plan):
        return sorted((r.agency.canonical, " ".join(r.duty_text.split())) for r in plan.responsibilities)

    assert duties(old) and duties(old) == duties(word)
    for citation in old.citations:
        for mention in citation.mentions:
            assert old.text[mention.evidence.span.start : mention.evidence.span.end] == mention.evidence.text


def test_a_doc_typed_in_a_tcvn3_font_reads_in_unicode() -> None:
    typed = read_source(FIXTURES / f"{HAI_DUONG}-tcvn3.doc")
    assert typed.encoding == "doc in tcvn3 fonts"
    unicode = read_source(FIXTURES / f"{HAI_DUONG}.doc")
    by_font, by_unicode = extract_plan(typed), extract_plan(unicode)
    assert replace(by_font.document, evidence={}) == replace(by_unicode.document, evidence={})
    assert sorted(c.key.label for c in by_font.citations) == sorted(c.key.label for c in by_unicode.citations)


def _with_fib(tmp_path: Path, offset: int, value: int) -> Path:
    """The Hải Dương .doc with one 16-bit field of its FIB set to ``value``."""
    path = tmp_path / "plan.doc"
    shutil.copy(FIXTURES / f"{HAI_DUONG}.doc", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        struct.pack_into("<H", word, offset, value)
        ole.write_stream("WordDocument", bytes(word))
    return path


@pytest.mark.parametrize(
    ("offset", "value", "reason"),
    [
        (0x0A, 0x12F0 | 0x0100, r"^encrypted \.doc: it needs a password"),
        (0x02, 0x0068, r"^damaged or unsupported \.doc \(a Word 6 or Word 95 document\): save it as \.docx$"),
        (0x00, 0x1234, r"^damaged or unsupported \.doc \(no Word document\)"),
    ],
)
def test_an_encrypted_or_older_doc_is_refused_with_its_reason(
    tmp_path: Path, offset: int, value: int, reason: str
) -> None:
    path = _with_fib(tmp_path, offset, value)
    with pytest.raises(ReadError) as caught:
        read_source(path)
    assert caught.value.path == path and re.match(reason, caught.value.reason), caught.value.reason
