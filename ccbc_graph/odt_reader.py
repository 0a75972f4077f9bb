"""OpenDocument text (.odt) plans: the text in reading order, its lists numbered and its
tables in the Word export's layout.

Vietnam's standards for state agencies' software name ODF among the formats of editable
documents, and agencies that work in LibreOffice save their plans in it. The package's ``content.xml`` is read as the
ODF 1.3 specification (part 3) lays it out:

* paragraphs and headings in body order, sections, indexes and text boxes included;
  deleted text (``text:tracked-changes``) and comments left out, as the document does not
  show them, and text outside paragraphs (an index's templates) never read; white space
  collapsed as ODF says (§6.1.2), ``text:s`` spaces, tabs and line breaks kept;
* footnotes, then endnotes, after the body, each after its mark (``text:note-citation``),
  as a page shows them below the text: plans cite documents there;
* a list item's number or bullet written before it, as the application shows it: the
  list style's level (``style:num-format``, prefix, suffix, ``text:display-levels``,
  start value), a list continuing another (``text:continue-list``,
  ``text:continue-numbering``) going on counting, and headings numbered by the
  outline style;
* tables written as :mod:`ccbc_graph.table_text` writes them: a cell a merged cell covers
  (``table:covered-table-cell``) is empty, as in a Word export, and the task-table reader
  takes the value above.

A document typed in a legacy Vietnamese font is read in Unicode. A password-protected
document is refused with that reason, as is a package holding no OpenDocument text.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ccbc_graph.decoding import in_unicode, read_as
from ccbc_graph.list_numbers import SYMBOL_GLYPH, list_number
from ccbc_graph.reading import ReadError, SourceDocument, check_package
from ccbc_graph.table_text import table_text

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _t(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


def _tb(name: str) -> str:
    return f"{{{_TABLE}}}{name}"


def _st(name: str) -> str:
    return f"{{{_STYLE}}}{name}"


_PARAGRAPHS = (_t("p"), _t("h"))
# What a document holds but does not show in its text: deleted text, comments, the reading
# aid over a ruby's base text.
_HIDDEN = {_t("tracked-changes"), f"{{{_OFFICE}}}annotation", _t("ruby-text")}
_ROWS = {_tb("table-header-rows"), _tb("table-rows"), _tb("table-row-group")}
# Collapsible white space in a paragraph's text nodes (ODF 1.3 part 3, §6.1.2).
_WHITE = re.compile("[ \t\r\n]+")
# Word tables have at most 63 columns and a plan's table a few hundred rows: a repeat or
# span beyond these is damage (or a spreadsheet's endless blank rows), not cells to write.
_MAX_COLUMNS = 63
_MAX_REPEATED_ROWS = 1000
_TEXT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class _Level:
    """One level of a list style: how its items are labelled."""

    number_format: str | None = None  # "1", "a", "A", "i", "I"; "" numbers nothing; None: a bullet
    bullet: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int = 1
    display_levels: int = 1


def _level(element: etree._Element) -> _Level:
    if element.tag == _t("list-level-style-number") or element.tag == _t("outline-level-style"):
        return _Level(
            number_format=element.get(_st("num-format"), ""),
            prefix=element.get(_st("num-prefix"), ""),
            suffix=element.get(_st("num-suffix"), ""),
            start=_int(element.get(_t("start-value")), 1),
            display_levels=_int(element.get(_t("display-levels")), 1),
        )
    bullet = element.get(_t("bullet-char"), "•") if element.tag == _t("list-level-style-bullet") else "•"
    return _Level(bullet=SYMBOL_GLYPH.sub("•", bullet))


def _levels(style: etree._Element) -> dict[int, _Level]:
    return {
        level: _level(child)
        for child in style
        if isinstance(child.tag, str) and 1 <= (level := _int(child.get(_t("level")), 0)) <= 10
    }


@dataclass
class _Counters:
    """The count of one list (a list and the lists that continue it), level by level."""

    levels: dict[int, _Level]
    values: dict[int, int] = field(default_factory=dict)

    def label(self, level: int, start_value: int | None) -> str:
        """Count an item at ``level`` and return its label ("" for none), followed by a space."""
        this = self.levels.get(level)
        if this is None:
            return ""
        if this.number_format is None:
            return f"{this.bullet} " if this.bullet.strip() else ""
        if not this.number_format:
            label = this.prefix + this.suffix
            return f"{label.strip()} " if label.strip() else ""
        self.values[level] = start_value if start_value is not None else self.values.get(level, this.start - 1) + 1
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]
        shown = range(max(1, level - this.display_levels + 1), level + 1)
        numbers = ".".join(self._number(k) for k in shown)
        label = f"{this.prefix}{numbers}{this.suffix}".strip()
        return f"{label} " if label else ""

    def _number(self, level: int) -> str:
        this = self.levels.get(level, _Level(number_format="1"))
        return list_number(self.values.get(level, this.start), this.number_format or "1")


@dataclass
class _Styles:
    """The list styles, the paragraph styles' list styles and the outline style."""

    lists: dict[str, dict[int, _Level]] = field(default_factory=dict)
    paragraph_lists: dict[str, str] = field(default_factory=dict)
    paragraph_parents: dict[str, str] = field(default_factory=dict)
    outline: dict[int, _Level] = field(default_factory=dict)

    def add(self, root: etree._Element | None) -> None:
        if root is None:
            return
        for style in root.iter(_t("list-style")):
            self.lists[style.get(_st("name"), "")] = _levels(style)
        for style in root.iter(_t("outline-style")):
            self.outline = _levels(style)
        for style in root.iter(_st("style")):
            name = style.get(_st("name"), "")
            if (listed := style.get(_st("list-style-name"))) is not None:
                self.paragraph_lists[name] = listed
            if (parent := style.get(_st("parent-style-name"))) is not None:
                self.paragraph_parents[name] = parent

    def of_paragraph(self, style: str | None) -> str | None:
        """The list style a paragraph style gives its paragraphs, through its parents."""
        seen: set[str] = set()
        while style is not None and style not in seen:
            if style in self.paragraph_lists:
                return self.paragraph_lists[style]
            seen.add(style)
            style = self.paragraph_parents.get(style)
        return None


class _Reader:
    """Walks the body, writing lines and tables; counts lists and headings as it goes."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.parts: list[str] = []
        self.lists_by_id: dict[str, _Counters] = {}
        self.last_list_of_style: dict[str, _Counters] = {}
        self.outline = _Counters(styles.outline)
        self.notes: dict[str, list[str]] = {"footnote": [], "endnote": []}

    # -- blocks ---------------------------------------------------------------------

    def body(self, text: etree._Element) -> str:
        """The body's text. Lines are written as they come, and a table when it is reached
        (:meth:`block` writes it): so both stand in the document's order."""
        for line in self.blocks(text, in_table=False):
            self.parts.append(line + "\n")
        self.parts.extend(line + "\n" for kind in ("footnote", "endnote") for line in self.notes[kind])
        return "".join(self.parts)

    def blocks(self, element: etree._Element, *, in_table: bool) -> Iterator[str]:
        """The lines of ``element``'s children, in order."""
        for child in element:
            yield from self.block(child, in_table=in_table)

    def block(self, element: etree._Element, *, in_table: bool) -> Iterator[str]:
        """The lines of one block; a table outside a table is written whole, one inside a
        table as its cells' lines."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            return
        if tag in _PARAGRAPHS:
            yield from self.paragraph(element, self.heading_label(element), in_table=in_table)
        elif tag == _t("list"):
            yield from self.list(element, None, 1, in_table=in_table)
        elif tag == _tb("table") and in_table:
            yield from (line for row in self.table_rows(element) for cell in row for line in cell.split("\n"))
        elif tag == _tb("table"):
            self.parts.append(table_text(self.table_rows(element)))
        else:  # sections, indexes' bodies, text boxes, shapes: what they hold
            yield from self.blocks(element, in_table=in_table)

    def paragraph(self, element: etree._Element, label: str, *, in_table: bool) -> Iterator[str]:
        """A paragraph's line after its label; then the paragraphs of its text boxes."""
        boxes: list[etree._Element] = []
        pieces = [label]
        self.inline(element, pieces, boxes)
        yield "".join(pieces).rstrip(" ")
        for box in boxes:
            yield from self.blocks(box, in_table=in_table)

    def inline(self, element: etree._Element, pieces: list[str], boxes: list[etree._Element]) -> None:
        """Append ``element``'s text as shown: white space collapsed, spaces, tabs and line
        breaks written; a frame's content kept in ``boxes`` for after the paragraph."""

        def text(value: str | None) -> None:
            if value:
                collapsed = _WHITE.sub(" ", value)
                if collapsed.startswith(" ") and _after_white(pieces):
                    collapsed = collapsed[1:]
                pieces.append(collapsed)

        text(element.text)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _HIDDEN:
                if child.tag == _t("s"):
                    pieces.append(" " * min(_int(child.get(_t("c")), 1), 100))
                elif child.tag == _t("tab"):
                    pieces.append("\t")
                elif child.tag == _t("line-break"):
                    pieces.append("\n")
                elif child.tag.startswith(f"{{{_DRAW}}}"):
                    boxes.append(child)
                elif child.tag == _t("note"):
                    self.note(child)
                else:
                    self.inline(child, pieces, boxes)
            text(child.tail)

    def note(self, element: etree._Element) -> None:
        """Keep a note's lines, its mark before the first, for after the body."""
        citation = element.find(_t("note-citation"))
        mark = "" if citation is None else " ".join("".join(citation.itertext()).split())
        body = element.find(_t("note-body"))
        lines = [] if body is None else list(self.blocks(body, in_table=True))
        kind = "endnote" if element.get(_t("note-class")) == "endnote" else "footnote"
        if lines:
            lines[0] = f"{mark} {lines[0].lstrip()}".lstrip()
            self.notes[kind].extend(lines)

    # -- lists and headings ---------------------------------------------------------

    def list(self, element: etree._Element, counters: _Counters | None, level: int, *, in_table: bool) -> Iterator[str]:
        """The lines of a list at ``level``; a list of the body starts, or goes on with, a count."""
        if counters is None:
            counters = self.counters(element)
        for item in element:
            if item.tag not in (_t("list-item"), _t("list-header")):
                continue
            start = _int(item.get(_t("start-value")), 0) or None
            # An item's first paragraph carries its label; a header's none.
            labelled = item.tag == _t("list-item")
            for child in item:
                if child.tag in _PARAGRAPHS:
                    label = counters.label(level, start) if labelled else ""
                    labelled = False
                    yield from self.paragraph(child, label, in_table=in_table)
                elif child.tag == _t("list"):
                    yield from self.list(child, counters, level + 1, in_table=in_table)
                else:
                    yield from self.block(child, in_table=in_table)

    def counters(self, element: etree._Element) -> _Counters:
        """The count a list of the body goes on with: the list it continues, or a new one."""
        style = element.get(_t("style-name")) or self.styles.of_paragraph(_first_paragraph_style(element)) or ""
        continued = element.get(_t("continue-list"))
        if continued is not None and continued in self.lists_by_id:
            counters = self.lists_by_id[continued]
        elif element.get(_t("continue-numbering")) == "true" and style in self.last_list_of_style:
            counters = self.last_list_of_style[style]
        else:
            counters = _Counters(self.styles.lists.get(style, {}))
        if (own_id := element.get(_XML_ID)) is not None:
            self.lists_by_id[own_id] = counters
        self.last_list_of_style[style] = counters
        return counters

    def heading_label(self, element: etree._Element) -> str:
        """A heading's number from the outline style; "" for a paragraph or an unnumbered heading."""
        if element.tag != _t("h") or element.get(_t("is-list-header")) == "true":
            return ""
        start = _int(element.get(_t("start-value")), 0) or None
        if element.get(_t("restart-numbering")) == "true" and start is None:
            level = self.outline.levels.get(_int(element.get(_t("outline-level")), 1))
            start = level.start if level is not None else 1
        return self.outline.label(_int(element.get(_t("outline-level")), 1), start)

    # -- tables ---------------------------------------------------------------------

    def table_rows(self, table: etree._Element) -> list[list[str]]:
        """A table's rows of cell texts; a covered (merged) cell is empty."""
        rows: list[list[str]] = []
        for row in _rows(table):
            cells: list[str] = []
            for cell in row:
                if cell.tag not in (_tb("table-cell"), _tb("covered-table-cell")):
                    continue
                text = "" if cell.tag == _tb("covered-table-cell") else "\n".join(self.blocks(cell, in_table=True))
                repeat = min(_int(cell.get(_tb("number-columns-repeated")), 1), _MAX_COLUMNS)
                cells.extend([text] + [""] * (repeat - 1))
                if len(cells) >= _MAX_COLUMNS:
                    del cells[_MAX_COLUMNS:]
                    break
            repeat = min(_int(row.get(_tb("number-rows-repeated")), 1), _MAX_REPEATED_ROWS)
            rows.extend([cells] * (1 if not any(cells) else repeat))
        return rows


def _after_white(pieces: list[str]) -> bool:
    """Whether a space written now would follow white space or open the paragraph: ODF
    drops such a space."""
    last = next((piece for piece in reversed(pieces) if piece), "")
    return not last or last[-1] in " \t\n"


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """A table's rows, inside header rows and row groups too."""
    for child in table:
        if child.tag == _tb("table-row"):
            yield child
        elif child.tag in _ROWS:
            yield from _rows(child)


def _first_paragraph_style(element: etree._Element) -> str | None:
    """The style of a list's first paragraph, which names the list's style when the list does not."""
    first = next(element.iter(*_PARAGRAPHS), None)
    return None if first is None else first.get(_t("style-name"))


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    """A part of the package parsed, or None when the package has no such part."""
    try:
        data = package.read(name)
    except KeyError:
        return None
    return etree.fromstring(data, _PARSER)


def odt_text(path: Path, data: bytes) -> str:
    """The text of the OpenDocument text in ``data``; a :class:`ReadError` when it is none."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        mimetype = package.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        if mimetype and not mimetype.startswith(_TEXT_MIMETYPE):
            kind = mimetype.rsplit(".", 1)[-1]
            raise ReadError(path, f"an OpenDocument {kind}, not a text document ({mimetype})")
        manifest = package.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        if b"encryption-data" in manifest:
            raise ReadError(path, "encrypted .odt: it needs a password to open; save an unprotected copy")
        content = _xml(package, "content.xml")
        if content is None:
            raise ReadError(path, "not an OpenDocument text: the package has no content.xml")
        styles = _Styles()
        styles.add(_xml(package, "styles.xml"))
        styles.add(content.find(f"{{{_OFFICE}}}automatic-styles"))
    body = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise ReadError(path, "not an OpenDocument text: its content holds no text body")
    return _Reader(styles).body(body)


def odt_source(path: Path, data: bytes, max_bytes: int | None = None) -> SourceDocument:
    """The .odt in ``data`` as a source for the extractors; a :class:`ReadError` saying why
    when it cannot be read. The size limit holds for what the package unpacks to."""
    check_package(path, data, max_bytes, ".odt")
    try:
        text = odt_text(path, data)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, etree.XMLSyntaxError) as err:
        raise ReadError(path, f"damaged .odt: {err}") from None
    except NotImplementedError as err:  # a part compressed in a way zipfile cannot read
        raise ReadError(path, f"damaged or unsupported .odt package: {err}") from None
    if not text.strip():
        raise ReadError(path, "no text: the .odt holds none (pictures of its pages? run OCR on them)")
    text, font = in_unicode(text)
    return SourceDocument.of(path, data, text, read_as("odt", font))
