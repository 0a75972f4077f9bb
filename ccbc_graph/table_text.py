"""Tables written into a document's text the way a Word export writes them.

One cell per tab-started line (a cell of several paragraphs runs over several lines),
a blank line after each row: the layout :mod:`ccbc_graph.docx_reader` writes and
:func:`ccbc_graph.extract.tables.find_task_tables` reads, so that a table from HTML, PDF
or a Markdown pipe table reaches the extractors as a table, as one from Word does.
"""

from __future__ import annotations

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


def pipe_table_edits(text: str) -> list[Edit]:
    """The edits, in order, that write each Markdown pipe table of ``text`` in this layout.

    A pipe table is a row with a pipe over a delimiter row, and the rows with a pipe that
    follow it; delimiter rows go (one in the body comes with a header printed again). The
    edits replace only what stands between cells (and ``<br>``), so every word of a cell
    keeps its place in ``text``.
    """
    if "|" not in text:
        return []
    bounds: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    edits: list[Edit] = []
    i = 0
    while i + 1 < len(bounds):
        if not (_PIPE.search(text, *bounds[i]) and _is_delimiter_row(text, *bounds[i + 1])):
            i += 1
            continue
        while i < len(bounds) and _PIPE.search(text, *bounds[i]):
            start, end = bounds[i]
            if _is_delimiter_row(text, start, end):
                edits.append((start, min(end + 1, len(text)), ""))
            else:
                edits += _row_edits(text, start, end)
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
