"""A Word document's footnotes and endnotes, as the pages show them below the text.

Plans cite documents in notes: the body names "Chương trình tổng thể" and a footnote gives
its number. Word keeps notes in parts of their own (``footnotes.xml``, ``endnotes.xml``),
which python-docx does not read. They are read here in the order of their references in
the body, each after the mark Word shows: the count of notes so far in the number format
the document sets (``w:footnotePr``/``w:endnotePr``: decimal and lower-case Roman unless
it says otherwise, ECMA-376 §17.11). A note whose reference gives its own mark
(``w:customMarkFollows``) has that mark in its text already and is not counted.
References Word does not show (deleted text, a drawing's fallback copy) are passed over.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ccbc_graph.docx_numbering import number_text
from ccbc_graph.docx_text import is_shown, paragraphs, related_xml

# Each kind of note: its part, its reference in the body, its element in its part, and
# the settings' element with its number format and Word's default format.
_KINDS = (
    (RT.FOOTNOTES, "w:footnoteReference", "w:footnote", "w:footnotePr", "decimal"),
    (RT.ENDNOTES, "w:endnoteReference", "w:endnote", "w:endnotePr", "lowerRoman"),
)
_ON = ("1", "true", "on")


def _numbering(settings: list[etree._Element | None], properties: str, default: str) -> tuple[str, int]:
    """The number format and first number of a kind of note: the body's last section
    properties say, else the document's settings, else Word's defaults."""
    for holder in settings:
        found = None if holder is None else holder.find(qn(properties))
        if found is None:
            continue
        number_format = found.find(qn("w:numFmt"))
        start = found.find(qn("w:numStart"))
        try:
            first = int(start.get(qn("w:val"), "1")) if start is not None else 1
        except ValueError:
            first = 1
        return (number_format.get(qn("w:val"), default) if number_format is not None else default), first
    return default, 1


def notes_lines(document_part: Part, body: etree._Element, shown: Callable[[etree._Element], str]) -> list[str]:
    """The footnotes', then the endnotes' lines, each note's first line after its mark;
    ``shown`` gives a paragraph's text as Word shows it."""
    sections = body.findall(qn("w:sectPr"))
    settings = [sections[-1] if sections else None, related_xml(document_part, RT.SETTINGS)]
    lines: list[str] = []
    for relationship, reference, element, properties, default in _KINDS:
        part = related_xml(document_part, relationship)
        if part is None:
            continue
        notes = {note.get(qn("w:id")): note for note in part.iter(qn(element))}
        number_format, count = _numbering(settings, properties, default)
        for ref in body.iter(qn(reference)):
            note = notes.get(ref.get(qn("w:id")))
            if note is None or not is_shown(ref):
                continue
            custom = ref.get(qn("w:customMarkFollows"), "").lower() in _ON
            mark = "" if custom else number_text(count, number_format)
            count += 0 if custom else 1
            texts = [shown(p) for p in paragraphs(note)]
            if texts:
                texts[0] = f"{mark} {texts[0].lstrip()}".lstrip()
                lines.extend(texts)
    return lines
