"""Tables written into a document's text the way a Word export writes them.

One cell per tab-started line (a cell of several paragraphs runs over several lines),
a blank line after each row: the layout :mod:`ccbc_graph.docx_reader` writes and
:func:`ccbc_graph.extract.tables.find_task_tables` reads, so that a table from HTML, PDF
or a Markdown pipe or HTML table reaches the extractors as a table, as one from Word does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence


def cell_lines(text: str) -> str:
    """A cell's text as its non-empty lines, trimmed; tabs become spaces so that a cell
    never splits into two, and an empty line would end the row early."""
    lines = (" ".join(line.replace("\t", " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def table_text(rows: Sequence[Sequence[str]]) -> str:
    """The rows of a grid of cell texts (merged cells left empty) as text."""
    return "".join("".join(f"\t{cell_lines(cell)}\n" for cell in row) + "\n" for row in rows)


# An edit of a text: replace ``text[start:end]`` by a string (an insertion when start == end).
Edit = tuple[int, int, str]

# A delimiter row's cells ("---", ":---:") between pipes: the line under a pipe table's header.
_RULE = r"[ \t]*:?-+:?[ \t]*"
_DELIMITER_ROW = re.compile(rf"\|?(?:{_RULE}\|)*{_RULE}\|?")
# What stands between a row's cells' words: blanks, <br> tags, unescaped pipes, and the
# emphasis marks next to them, which clean() would drop anyway ("**A**<br>** **<br>B").
_GAP = re.compile(r"(?:[ \t*]|</?br\b[^<>|\n]*>|(?<!\\)\|)+", re.IGNORECASE)
_PIPE = re.compile(r"(?<!\\)\|")


def table_edits(text: str) -> list[Edit]:
    """The edits, in order, that write each table of a Markdown text in this layout: its
    HTML tables and, outside them, its pipe tables."""
    edits: list[Edit] = []
    pos = 0
    for start, end in html_table_spans(text):
        edits += pipe_table_edits(text, pos, start) + html_table_edits(text, start, end)
        pos = end
    return edits + pipe_table_edits(text, pos, len(text))


def pipe_table_edits(text: str, start: int = 0, end: int | None = None) -> list[Edit]:
    """The edits, in order, that write each Markdown pipe table of ``text[start:end]`` in
    this layout.

    A pipe table is a row with a pipe over a delimiter row, and the rows with a pipe that
    follow it; delimiter rows go (one in the body comes with a header printed again). The
    edits replace only what stands between cells (and ``<br>``), so every word of a cell
    keeps its place in ``text``.
    """
    stop = len(text) if end is None else end
    if "|" not in text[start:stop]:
        return []
    bounds: list[tuple[int, int]] = []
    pos = start
    for line in text[start:stop].split("\n"):
        bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    edits: list[Edit] = []
    i = 0
    while i + 1 < len(bounds):
        if not (_PIPE.search(text, *bounds[i]) and _is_delimiter_row(text, *bounds[i + 1])):
            i += 1
            continue
        while i < len(bounds) and _PIPE.search(text, *bounds[i]):
            row_start, row_end = bounds[i]
            if _is_delimiter_row(text, row_start, row_end):
                edits.append((row_start, min(row_end + 1, stop), ""))
            else:
                edits += _row_edits(text, row_start, row_end)
            i += 1
    return edits


def _is_delimiter_row(text: str, start: int, end: int) -> bool:
    line = text[start:end].strip(" \t")
    return "|" in line and _DELIMITER_ROW.fullmatch(line) is not None


def _row_edits(text: str, start: int, end: int) -> list[Edit]:
    """The edits writing the row on ``text[start:end]`` as tab-started cells and a blank line.

    A pipe opening or closing the row goes, one between cells ends a cell and starts the
    next; ``<br>`` inside a cell breaks its line, at its edges it goes (an empty line would
    end the row); a tab in a cell becomes a space.
    """
    edits: list[Edit] = []
    for gap in _GAP.finditer(text, start, end):
        a, b = gap.span()
        pipes = gap.group().count("|")
        opens, closes = a == start, b == end
        lead = int(opens and pipes > 0)
        trail = int(closes and pipes > lead)
        between = pipes - lead - trail
        if opens or closes or between:
            new = ("\t" if opens else "") + "\n\t" * between + ("\n" if closes else "")
        elif "<" in gap.group():
            new = "\n"
        elif "\t" in gap.group():
            new = " "
        else:
            continue
        edits.append((a, b, new))
    if not edits or edits[0][0] != start:
        edits.insert(0, (start, start, "\t"))
    if edits[-1][1] != end:
        edits.append((end, end, "\n"))
    if end == len(text):  # no line break after the last row: the blank line is written too
        edits[-1] = (*edits[-1][:2], edits[-1][2] + "\n")
    return edits


# An HTML table in Markdown: what converters write for a table a pipe table cannot hold
# (pandoc's GitHub-flavoured Markdown, for a cell of several paragraphs or a merged cell).
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
# A tag, a comment or a run of blanks: what stands between the words of an HTML table.
_HTML_GAP = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b([^<>]*)>|<!--.*?-->|\s+", re.DOTALL)
_SPAN = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?\s*(\d+)""", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Tags that end a line inside a cell: paragraphs, line breaks and the other blocks.
_LINE_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
# A merged cell asks for at most this many rows or columns: beyond it a page asks for nothing real.
_MAX_SPAN = 1000


def html_table_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has an HTML table: from its ``<table>`` to its matching ``</table>``
    (a table never closed runs to the end of the text)."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for tag in _TABLE_TAG.finditer(text):
        if not tag[1]:
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, tag.end()))
    if depth:
        spans.append((start, len(text)))
    return spans


class _HtmlTableWriter:
    """Walks one HTML table's words and gaps, writing each gap as the layout asks.

    A cell opens with a tab and ends with a line break, a row ends with a blank line; a
    cell merged over the rows below leaves them an empty cell in its column, one merged
    over the columns after it an empty cell in each (as :mod:`ccbc_graph.html_reader`
    writes a web page's tables). Inside a cell a paragraph or ``<br>`` breaks the line and
    any other gap is a space; nothing is written before a cell's first word or after its
    last. A table nested in a cell reads as lines of that cell.
    """

    def __init__(self) -> None:
        self.written: list[str] = []
        self.row_open = self.in_cell = self.cell_has_words = False
        self.column = self.spanned_columns = self.depth = 0
        self.rows_left: dict[int, int] = {}
        self.pending = ""

    def word(self) -> str:
        """What the gap before a word is written as; the word then belongs to the cell."""
        gap = "".join(self.written) + (self.pending if self.in_cell and self.cell_has_words else "")
        self.written, self.pending = [], ""
        self.cell_has_words = True
        return gap

    def rest(self) -> str:
        """What the gap after the table's last word is written as."""
        self.end_row()
        gap = "".join(self.written)
        self.written = []
        return gap

    def blank(self) -> None:
        if self.in_cell and self.cell_has_words and not self.pending:
            self.pending = " "

    def tag(self, closing: bool, name: str, attributes: str) -> None:
        name = name.lower()
        if name == "table":
            self.depth += -1 if closing else 1
            if self.depth > 1 or (closing and self.depth == 1):
                self.line_break()
            elif self.depth == 0:
                self.end_row()
        elif self.depth > 1 or name in _LINE_TAGS:
            self.line_break()
        elif name in ("td", "th"):
            self.close_cell()
            if not closing:
                self.open_cell(attributes)
        elif name == "tr" or (closing and name in ("thead", "tbody", "tfoot")):
            self.end_row()

    def line_break(self) -> None:
        if self.in_cell and self.cell_has_words:
            self.pending = "\n"

    def open_cell(self, attributes: str) -> None:
        self.row_open = True
        self.fill_spanned(until=None)
        spans = {key.lower(): min(int(value), _MAX_SPAN) for key, value in _SPAN.findall(attributes)}
        rows, columns = max(1, spans.get("rowspan", 1)), max(1, spans.get("colspan", 1))
        for column in range(self.column, self.column + columns):
            self.rows_left[column] = rows - 1
        self.spanned_columns = columns
        self.written.append("\t")
        self.in_cell, self.cell_has_words, self.pending = True, False, ""

    def close_cell(self) -> None:
        if self.in_cell:
            self.written.append("\n" + "\t\n" * (self.spanned_columns - 1))
            self.column += self.spanned_columns
            self.in_cell, self.pending = False, ""

    def fill_spanned(self, until: int | None) -> None:
        """Empty cells for the columns from here that a cell above still covers (all of them
        to ``until``, or only those next in line)."""
        last = max(self.rows_left, default=-1) if until is None else until
        while self.column <= last and (until is not None or self.rows_left.get(self.column, 0) > 0):
            if self.rows_left.get(self.column, 0) > 0:
                self.rows_left[self.column] -= 1
                self.written.append("\t\n")
            self.column += 1

    def end_row(self) -> None:
        if not self.row_open:
            return
        self.close_cell()
        self.fill_spanned(until=max(self.rows_left, default=-1))
        self.written.append("\n")
        self.row_open, self.column = False, 0


def html_table_edits(text: str, start: int, end: int) -> list[Edit]:
    """The edits, in order, that write the HTML table on ``text[start:end]`` in this layout.

    Only tags and the blanks between words are replaced (and character references inside
    words by their characters), so every word of a cell keeps its place in ``text``.
    """
    writer = _HtmlTableWriter()
    edits: list[Edit] = []
    gap_start = start if start == 0 or text[start - 1] == "\n" else -1
    if gap_start < 0:  # a table opening inside a line starts on a line of its own
        writer.written.append("\n")
        gap_start = start
    pos = start
    for gap in _HTML_GAP.finditer(text, start, end):
        if gap.start() > pos:
            _put_gap(text, edits, gap_start, pos, writer.word())
            edits += _entity_edits(text, pos, gap.start())
            gap_start = gap.start()
        if gap[2]:
            writer.tag(bool(gap[1]), gap[2], gap[3])
        elif not gap.group().startswith("<"):
            writer.blank()
        pos = gap.end()
    if end > pos:
        _put_gap(text, edits, gap_start, pos, writer.word())
        edits += _entity_edits(text, pos, end)
        gap_start = end
    _put_gap(text, edits, gap_start, end, writer.rest())
    return edits


def _put_gap(text: str, edits: list[Edit], start: int, end: int, written: str) -> None:
    if text[start:end] != written:
        edits.append((start, end, written))


def _entity_edits(text: str, start: int, end: int) -> list[Edit]:
    """A word's character references (``&amp;``, ``&#7889;``) as the characters they name;
    a no-break space is a space."""
    edits: list[Edit] = []
    for entity in _ENTITY.finditer(text, start, end):
        character = html.unescape(entity.group()).replace("\xa0", " ")
        if character != entity.group():
            edits.append((entity.start(), entity.end(), character))
    return edits
