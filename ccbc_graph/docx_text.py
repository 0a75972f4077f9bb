"""The text of Word's paragraphs as Word shows it, wherever Word keeps it.

python-docx reads a paragraph's text from its runs and hyperlinks only, and a body's
blocks from its paragraphs and tables only. Text Word shows sits elsewhere too, and
plans have it there: in tracked insertions (a draft sent with its changes), content
controls (templates' fields: the number, the date), smart tags and simple fields (Word
2007's), and text boxes (a header or a stamp laid out in a box). Deleted text, field
codes and the fallback copy of a text box are not shown, so they are not read.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# What Word does not show: deleted and moved-away text, field codes, a run's and a
# paragraph's properties, and the second copy of a drawing kept for older readers.
_HIDDEN = frozenset(
    {
        *(qn("w:del"), qn("w:moveFrom"), qn("w:instrText"), qn("w:delInstrText"), qn("w:delText")),
        *(qn("w:pPr"), qn("w:rPr"), qn("w:sdtPr"), qn("w:sdtEndPr"), f"{{{_MC}}}Fallback"),
    }
)
_TEXT = qn("w:t")
_TABS = frozenset({qn("w:tab"), qn("w:ptab")})
_BREAKS = frozenset({qn("w:br"), qn("w:cr")})
_HYPHEN = qn("w:noBreakHyphen")
_BOX = qn("w:txbxContent")
_PARAGRAPH, _TABLE, _ROW, _CELL = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
# A chunk of another format (HTML, a web archive, text) the body takes in where it stands:
# what systems that export Word files from web pages write.
ALT_CHUNK = qn("w:altChunk")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# Containers whose blocks are the document's own: content controls and custom XML.
_BLOCK_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})


def paragraph_text(paragraph: etree._Element) -> str:
    """The text Word shows of a ``w:p``: tabs as tabs, line breaks as line breaks (a page
    break shows none), and after it the paragraphs of its text boxes, a line each."""
    pieces: list[str] = []
    boxes: list[str] = []
    stack = list(reversed(paragraph))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        if tag == _TEXT:
            pieces.append(element.text or "")
        elif tag in _TABS:
            pieces.append("\t")
        elif tag in _BREAKS:
            if element.get(qn("w:type")) in (None, "textWrapping"):
                pieces.append("\n")
        elif tag == _HYPHEN:
            pieces.append("-")
        elif tag == _BOX:
            boxes.extend(paragraph_text(p) for p in blocks(element) if p.tag == _PARAGRAPH)
        else:
            stack.extend(reversed(element))
    return "\n".join(["".join(pieces), *(box for box in boxes if box.strip())])


def blocks(container: etree._Element, kinds: tuple[str, ...] = (_PARAGRAPH, _TABLE)) -> Iterator[etree._Element]:
    """The paragraphs and tables of a body, cell or text box in reading order (or the
    ``kinds`` asked for: a table's rows, a row's cells), those inside content controls and
    custom XML included."""
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        if element.tag in kinds:
            yield element
        elif element.tag in _BLOCK_WRAPPERS:
            stack.extend(reversed(element))


def body_blocks(body: etree._Element) -> Iterator[etree._Element]:
    """A body's paragraphs, tables and chunks of other formats (``w:altChunk``) in reading order."""
    return blocks(body, (_PARAGRAPH, _TABLE, ALT_CHUNK))


def table_rows(table: etree._Element) -> Iterator[etree._Element]:
    """A table's rows (``w:tr``), those inside content controls included."""
    return blocks(table, (_ROW,))


def row_cells(row: etree._Element) -> Iterator[etree._Element]:
    """A row's cells (``w:tc``), those inside content controls included."""
    return blocks(row, (_CELL,))


def paragraphs(element: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph of ``element`` (a table nested in a cell, read flat) in reading
    order; a text box's paragraphs come with the paragraph that holds the box."""
    stack = list(reversed(element))
    while stack:
        child = stack.pop()
        if child.tag == _PARAGRAPH:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _HIDDEN:
            stack.extend(reversed(child))


def is_shown(element: etree._Element) -> bool:
    """Whether Word shows ``element``: it is in no deleted text, field code or fallback copy."""
    return not any(ancestor.tag in _HIDDEN for ancestor in element.iterancestors())


def related_xml(part: Part, relationship: str) -> etree._Element | None:
    """The XML of the part ``part`` relates to so: python-docx parses the parts it knows, a
    part of an unexpected content type is parsed here (entities and network off)."""
    try:
        related = part.part_related_by(relationship)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    if element is not None:
        return element
    try:
        return etree.fromstring(related.blob, _PARSER)
    except etree.XMLSyntaxError:
        return None
