"""HTML plans (.html, .htm): the text a browser shows, blocks on their own lines, tables as tables.

Plans are published as web pages and saved from Word as HTML. The page is decoded like a
text file (:mod:`ccbc_graph.decoding`; a declared charset is not trusted, as pages in the
legacy font encodings declare Windows-1252) and parsed with lxml's HTML parser, which
decodes entities and mends broken markup. Scripts, styles and the head are dropped;
inline runs are joined with their whitespace collapsed, as a browser does; each block
(paragraph, heading, list item, ``<br>``) ends a line, a list item opening with the number
or bullet the browser shows; each table is written in the
layout of a Word export (:mod:`ccbc_graph.table_text`), a row-spanning cell left empty
in the rows below it and a column-spanning one in the columns after it.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from pathlib import Path

from lxml import etree, html

from ccbc_graph.list_numbers import list_number
from ccbc_graph.reading import ReadError, SourceDocument, decode_text
from ccbc_graph.table_text import table_text

_DROPPED = frozenset(
    {"head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas", "select"}
)
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog"),
        *("dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3"),
        *("h4", "h5", "h6", "header", "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre"),
        *("section", "summary", "table", "td", "th", "tr", "ul"),
    }
)
_CELLS = ("td", "th")
# The HTML standard's largest colspan: beyond it a page only asks for empty columns.
_MAX_COLSPAN = 1000


class _Lines:
    """Collects inline text and hands each finished line to ``emit``: whitespace collapsed
    as a browser does, or kept as written inside ``<pre>``."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.emit = emit
        self.run: list[str] = []
        self.pre = 0

    def add(self, text: str) -> None:
        if not self.pre:
            self.run.append(text)
            return
        *complete, rest = text.split("\n")
        for piece in complete:
            self.run.append(piece)
            self.newline()
        self.run.append(rest)

    def newline(self) -> None:
        text = "".join(self.run)
        self.run = []
        line = text.rstrip() if self.pre else " ".join(text.split())
        if line.strip():
            self.emit(line)


def _tag(element: etree._Element) -> str | None:
    """The element's lower-case tag; None for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else None


def _walk(root: etree._Element, out: _Lines, on_table: Callable[[etree._Element], None] | None) -> None:
    """Render ``root``'s subtree into ``out``; each table goes to ``on_table``, or is
    flattened into lines when there is none (a table inside a table cell).

    Iterative, so that no nesting depth can exhaust the stack.
    """
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    counted: dict[etree._Element, int] = {}  # an ordered list -> the number of its last item
    while stack:
        element, closing = stack.pop()
        tag = _tag(element)
        if closing:
            if tag in _BLOCKS:
                out.newline()
            if tag == "pre":
                out.pre -= 1
        elif tag is None or tag in _DROPPED or (tag == "table" and on_table is not None):
            if tag == "table" and on_table is not None:
                out.newline()
                on_table(element)
        else:
            if tag == "br" or tag in _BLOCKS:
                out.newline()
            if tag == "pre":
                out.pre += 1
            if tag == "li":
                out.add(_item_label(element, counted))
            if element.text:
                out.add(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
            continue
        if element is not root and element.tail:
            out.add(element.tail)


def _item_label(item: etree._Element, counted: dict[etree._Element, int]) -> str:
    """What a browser shows before a list item: its number in an ordered list ("3. ",
    "c. ", "iv. ", from the list's ``start`` and ``type`` or the item's ``value``), a
    bullet in any other."""
    parent = item.getparent()
    if parent is None or _tag(parent) != "ol":
        return "• "
    value = _whole_number(item.get("value"))
    if value is not None:
        number = value
    elif parent in counted:
        number = counted[parent] + (-1 if parent.get("reversed") is not None else 1)
    else:
        start = _whole_number(parent.get("start"))
        number = 1 if start is None else start
    counted[parent] = number
    return f"{list_number(number, parent.get('type') or '1')}. "


def _whole_number(attribute: str | None) -> int | None:
    """An attribute's whole number (``start``, ``value``), or None when it holds none."""
    text = (attribute or "").strip()
    return int(text) if text.lstrip("-").isdigit() and len(text) < 10 else None


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    _walk(cell, _Lines(lines.append), None)
    return "\n".join(lines)


def _span(cell: etree._Element, name: str, most: int) -> int:
    value = (cell.get(name) or "").strip()
    return min(max(int(value), 1), most) if value.isdigit() else 1


def _table_rows(table: etree._Element) -> list[list[str]]:
    """The table's rows as a grid of cell texts (nested tables belong to their cells).

    A cell spanning rows leaves the cells below it empty, one spanning columns the cells
    after it, as a Word export does.
    """
    rows: list[list[str]] = []
    below: dict[int, int] = {}  # column -> rows still covered by a cell above
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue
        row: list[str] = []
        for cell in tr:
            if _tag(cell) not in _CELLS:
                continue
            _skip_covered(row, below)
            rowspan, colspan = _span(cell, "rowspan", 65534), _span(cell, "colspan", _MAX_COLSPAN)
            for column in range(len(row), len(row) + colspan):
                below[column] = rowspan - 1
            row.append(_cell_text(cell))
            row.extend("" for _ in range(colspan - 1))
        _skip_covered(row, below)
        while any(count > 0 for column, count in below.items() if column >= len(row)):
            row.append("")
            _skip_covered(row, below)
        rows.append(row)
    return rows


def _skip_covered(row: list[str], below: dict[int, int]) -> None:
    """Leave empty the columns, from the end of ``row`` on, that a cell above still covers."""
    while below.get(len(row), 0) > 0:
        below[len(row)] -= 1
        row.append("")


def html_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text an HTML page shows, in the layout described above, and its encoding."""
    source, encoding = decode_text(path, data)
    try:
        root = html.document_fromstring(source.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise ReadError(path, f"no HTML document: {err}") from None
    parts: list[str] = []
    out = _Lines(lambda line: parts.append(line + "\n"))

    def table(element: etree._Element) -> None:
        parts.append(table_text(_table_rows(element)))

    _walk(root, out, table)
    out.newline()
    return "".join(parts), encoding


def html_source(path: Path, data: bytes, page: bytes | None = None) -> SourceDocument:
    """The HTML page in ``data`` (or the ``page`` a file of ``data`` holds) as a source for
    the extractors; a :class:`ReadError` when it shows no text."""
    text, encoding = html_text(path, data if page is None else page)
    if not text.strip():
        raise ReadError(path, "no text: the HTML page holds only markup")
    return SourceDocument.of(path, data, text, encoding)


def archived_page(path: Path, data: bytes) -> bytes:
    """The page of a web archive (.mht, .mhtml: Word's "single file web page", a MIME
    message): its first HTML part, its transfer encoding undone; a :class:`ReadError`
    when it has none."""
    if not data.strip():
        raise ReadError(path, "empty file")
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = message.walk() if message.is_multipart() else [message]
        page = next((part.get_payload(decode=True) for part in parts if part.get_content_type() == "text/html"), None)
    except (ValueError, TypeError, LookupError) as err:
        raise ReadError(path, f"damaged web archive: {err}") from None
    if not page:
        raise ReadError(path, "no web page: the web archive holds no HTML part")
    return page


def mhtml_source(path: Path, data: bytes) -> SourceDocument:
    """A web archive as a source: the page it holds."""
    return html_source(path, data, archived_page(path, data))
