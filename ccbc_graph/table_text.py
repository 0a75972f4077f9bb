"""Tables written into a document's text the way a Word export writes them.

One cell per tab-started line (a cell of several paragraphs runs over several lines),
a blank line after each row: the layout :mod:`ccbc_graph.docx_reader` writes and
:func:`ccbc_graph.extract.tables.find_task_tables` reads, so that a table from HTML or
PDF reaches the task-table extractor as a table, as one from Word does.
"""

from __future__ import annotations

from collections.abc import Sequence


def cell_lines(text: str) -> str:
    """A cell's text as its non-empty lines, trimmed; tabs become spaces so that a cell
    never splits into two, and an empty line would end the row early."""
    lines = (" ".join(line.replace("\t", " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def table_text(rows: Sequence[Sequence[str]]) -> str:
    """The rows of a grid of cell texts (merged cells left empty) as text."""
    return "".join("".join(f"\t{cell_lines(cell)}\n" for cell in row) + "\n" for row in rows)
