"""Word (.docx) plans: the document's text in reading order, and its tables as grids.

Exports to text lose a Word table's structure (merged cells become empty lines), so a
.docx is read with python-docx: paragraphs and tables in body order (their text as Word
shows it: :mod:`ccbc_graph.docx_text`), each table as rows of grid cells that know their
vertical (``vMerge``) and horizontal (``gridSpan``) merges. A document typed in a legacy
Vietnamese font (TCVN3's ".VnTime", VNI's "VNI-Times") is read in Unicode.
Each table cell's text is also written into the document text, one cell per tab-started
line and a blank line after each row (the layout of a Word export), so every cell's span
points at real text and the text extractors can read the same document. A paragraph Word
numbers itself gets its number written before it (:mod:`ccbc_graph.docx_numbering`), as
Word shows it; footnotes and endnotes follow the body (:mod:`ccbc_graph.docx_notes`). A
web page, web archive or text the body takes in as a chunk of another format
(``w:altChunk``) is read where it stands. A document with no text at all (pictures of its
pages) is refused with that reason, never read as an empty plan.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.opc.part import Part
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl, CT_Tc
from lxml import etree

from ccbc_graph.decoding import font_encoding, from_font_encoding, read_as
from ccbc_graph.docx_notes import notes_lines
from ccbc_graph.docx_numbering import Numbering
from ccbc_graph.docx_text import ALT_CHUNK, blocks, body_blocks, paragraph_text, paragraphs, row_cells, table_rows
from ccbc_graph.extract.tables import GridCell, TaskTable, task_table_from_grid
from ccbc_graph.html_reader import archived_page, html_text
from ccbc_graph.model import Span
from ccbc_graph.reading import ReadError, SourceDocument, check_package, decode_text, read_file_bytes
from ccbc_graph.textnorm import clean

# Word tables have at most 63 columns; a larger merge or skip is damage, and taken at its
# word would only fill memory with empty cells.
_MAX_COLUMNS = 63


@dataclass(frozen=True)
class DocxTable:
    """A Word table as a grid: rows of cells, one per grid column; spans in the text."""

    rows: tuple[tuple[GridCell, ...], ...]
    span: Span


@dataclass(frozen=True)
class DocxDocument:
    """A .docx read into text (paragraphs and table cells in reading order) and tables."""

    path: Path
    sha256: str
    text: str
    tables: tuple[DocxTable, ...]
    font_encoding: str | None = None

    def task_tables(self) -> list[TaskTable]:
        """The task tables among the document's tables, spans into :attr:`text`."""
        found = (task_table_from_grid(t.rows, t.span) for t in self.tables)
        return [t for t in found if t is not None]

    def source(self) -> SourceDocument:
        """The document as a source for the text extractors (citations, metadata ...)."""
        how = read_as("docx", self.font_encoding)
        return SourceDocument(self.path, self.sha256, clean(self.text), how, tuple(self.task_tables()))


class _Writer:
    """Accumulates the document text and hands out the span of each piece written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def write(self, text: str) -> Span:
        self.parts.append(text)
        self.pos += len(text)
        return Span(self.pos - len(text), self.pos)

    def cell(self, text: str) -> GridCell:
        """Write one table cell as a tab-started line; its span covers the trimmed text."""
        self.write("\t")
        span = self.write(text)
        self.write("\n")
        stripped = text.strip()
        start = span.start + len(text) - len(text.lstrip())
        return GridCell(unicodedata.normalize("NFC", stripped), Span(start, start + len(stripped)))

    def empty(self) -> GridCell:
        return GridCell("", Span(self.pos, self.pos))


@dataclass(frozen=True)
class _Shown:
    """A paragraph as Word shows it: its number, then its text, in Unicode when the
    document was typed in a legacy Vietnamese font (:func:`ccbc_graph.decoding.font_encoding`)."""

    numbering: Numbering
    font_encoding: str | None

    def __call__(self, paragraph: etree._Element) -> str:
        text = paragraph_text(paragraph)
        if self.font_encoding is not None:
            text = from_font_encoding(text, self.font_encoding)
        return self.numbering.label(paragraph) + text


def _cell_text(tc: CT_Tc, shown: _Shown) -> str:
    """A cell's paragraphs, one per line, each after its number (nested tables and
    content controls flattened); tabs become spaces so that a cell stays on its own
    tab-started line."""
    lines: list[str] = []
    for block in blocks(tc):
        flat = [block] if block.tag == qn("w:p") else paragraphs(block)
        lines.extend(shown(p) for p in flat)
    return "\n".join(lines).replace("\t", " ")


def _table(table: CT_Tbl, out: _Writer, shown: _Shown) -> DocxTable:
    """Write a table's cells into the text and return its grid, read from the XML: merges
    are only there (``w:vMerge``, ``w:gridSpan``, ``w:gridBefore``)."""
    start = out.pos
    rows: list[tuple[GridCell, ...]] = []
    above: list[GridCell] = []
    for tr in table_rows(table):
        row = [out.empty() for _ in range(min(tr.grid_before, _MAX_COLUMNS))]
        for tc in row_cells(tr):
            col = len(row)
            text = _cell_text(tc, shown)
            cell = out.cell(text)
            if tc.vMerge == "continue" and col < len(above):
                cell = replace(above[col], merged_above=True, merged_left=False)
            row.append(cell)
            row.extend(replace(cell, merged_left=True) for _ in range(min(tc.grid_span, _MAX_COLUMNS) - 1))
        out.write("\n")
        rows.append(tuple(row))
        above = row
    return DocxTable(tuple(rows), Span(start, out.pos))


def read_docx(path: Path, *, max_bytes: int | None = None) -> DocxDocument:
    """Read a .docx; raises :class:`ReadError` naming the file and the reason when it cannot.

    ``max_bytes`` is the size limit of :func:`ccbc_graph.reading.read_file_bytes`.
    """
    path = Path(path)
    return docx_from_bytes(path, read_file_bytes(path, max_bytes), max_bytes)


def docx_from_bytes(path: Path, data: bytes, max_bytes: int | None = None) -> DocxDocument:
    """The .docx in ``data``, read from ``path``; a :class:`ReadError` when it is none.

    The size limit (``max_bytes``, default :data:`ccbc_graph.reading.MAX_BYTES`) holds for
    what the package unpacks to as well: a few kilobytes of ZIP can unpack to gigabytes.
    """
    check_package(path, data, max_bytes, ".docx")
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        typed_in = font_encoding("\n".join(t.text or "" for t in body.iter(qn("w:t"))))
        shown = _Shown(Numbering.of(document.part), typed_in)
        out = _Writer()
        tables: list[DocxTable] = []
        for block in body_blocks(body):
            if block.tag == qn("w:tbl"):
                tables.append(_table(block, out, shown))
            elif block.tag == ALT_CHUNK:
                out.write(_chunk_text(path, document.part, block))
            else:
                out.write(shown(block) + "\n")
        for line in notes_lines(document.part, body, shown):
            out.write(line + "\n")
    except (KeyError, OpcError) as err:
        missing = err.args[0] if err.args else err
        raise ReadError(path, f"not a Word document: {missing}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, etree.XMLSyntaxError) as err:
        raise ReadError(path, f"damaged .docx: {err}") from None
    except NotImplementedError as err:  # a part compressed or encrypted in a way zipfile cannot read
        raise ReadError(path, f"damaged or unsupported .docx package: {err}") from None
    except (PythonDocxError, XmlchemyError, AttributeError, TypeError, IndexError) as err:
        # python-docx meets a part of the wrong shape (no body, a foreign root element)
        # as a missing attribute or child: the package is a ZIP but no Word document.
        raise ReadError(path, f"damaged .docx: its document part is not WordprocessingML ({err})") from None
    text = "".join(out.parts)
    if not text.strip():
        raise ReadError(path, "no text: the Word document holds none (pictures of its pages? run OCR on them)")
    return DocxDocument(path, hashlib.sha256(data).hexdigest(), text, tuple(tables), typed_in)


def _chunk_text(path: Path, document_part: Part, chunk: etree._Element) -> str:
    """The text of a chunk of another format the body takes in (``w:altChunk``): a web page,
    a web archive or plain text, read as such a file is; "" for one of another format."""
    part = document_part.related_parts.get(chunk.get(qn("r:id")) or "")
    if part is None:
        return ""
    kind = part.content_type.lower()
    if "html" in kind:
        return html_text(path, part.blob)[0]
    if kind == "message/rfc822":
        return html_text(path, archived_page(path, part.blob))[0]
    if kind.startswith("text/plain"):
        return decode_text(path, part.blob)[0] + "\n"
    return ""
