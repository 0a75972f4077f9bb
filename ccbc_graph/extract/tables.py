"""Task tables: the rows of a plan's table of tasks, typed, each cell with its span.

Plans list their tasks in a table whose header names the columns (TT, Nội dung, Sản
phẩm, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian, Kinh phí, Ghi chú). Exports give
that table in a few shapes:

* one row per line, cells separated by tabs (or Markdown pipes);
* a Word table written one cell per tab-started line, a cell running over several
  lines, merged cells left empty;
* either shape cut by a page break: the header row printed again and a row split
  across the break, its second half in a row with an empty TT cell.

Columns are recognised by the meaning of their header words
(``data/lexicon/table_columns.csv``), rows by the grammar of the table: a numbered TT
cell opens a task, an empty TT cell continues the task above, empty cells on the left of
a numbered row are merged cells ("same as above"), and a "Tổng cộng" row prints the
total. Word tables read as grids (:mod:`ccbc_graph.docx_reader`) go through the same
grammar via :func:`task_table_from_grid`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

from ccbc_graph.model import Span
from ccbc_graph.reference import DATA_DIR
from ccbc_graph.textnorm import CleanText, fold

FIELDS = ("task", "product", "lead", "coordinators", "timeframe", "budget", "note")
# Columns whose text makes a numbered row a task rather than a group heading.
_DETAIL_FIELDS = ("product", "lead", "coordinators", "timeframe")
_MAX_COLUMNS = 16
_MAX_HEADER_WORDS = 8
# A totals label, alone or followed by the amount ("Tổng cộng: 664.800.000 đồng").
_TOTAL = re.compile(r"(?:tổng cộng|tổng số|tổng kinh phí|cộng kinh phí|tổng|cộng)\b[\s:.]*(?P<rest>.*)", re.DOTALL)

# A TT cell: "1", "01", "1.", "1.2", "2)", Roman "IV", a letter "a)". A sub-number has one
# or two digits: three after a dot are a group of thousands ("48.000.000" is an amount).
_LABEL = re.compile(r"(?:\d{1,3}(?:\.\d{1,2})*|[ivxlc]{1,6}|[a-zđ])[.):]?")
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")
_BULLET = re.compile(r"[-–+*]\s+|[•▪●◦]\s*")
_DASH = re.compile(r"[-–]\s")
_CLAUSE_END = re.compile(r"[.;:,!?…]$")
_INLINE_BULLET = re.compile(r"\s[-–+]\s+(?=[^\W\d_])")
_PAGE_NUMBER = re.compile(r"\s*(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?\s*", re.IGNORECASE)
_PIPE_RULE = re.compile(r":?-{3,}:?")

_NUMBER = r"\d{1,3}(?:[., ]\d{3})+|\d+"
_AMOUNT = re.compile(
    rf"(?<![\w.,/])(?P<int>{_NUMBER})(?:[.,](?P<dec>\d{{1,2}}))?"
    r"(?:\s*(?P<scale>tỷ|triệu|trđ|nghìn|ngàn))?(?:\s*(?P<cur>đồng|vnđ|vnd|đ))?(?![\w/])"
)
_SCALES = {"tỷ": 10**9, "triệu": 10**6, "trđ": 10**6, "nghìn": 10**3, "ngàn": 10**3}


@dataclass(frozen=True)
class TableCell:
    """One cell as printed: its paragraphs one per line (cleaned, NFC), and where it is.

    ``span`` is in the original text; a cell split by a page break spans both halves.
    """

    text: str
    span: Span

    @property
    def words(self) -> str:
        """The cell read as one phrase: bullets dropped, bulleted items joined by "; "."""
        return cell_words(self.text)


@dataclass
class TaskRow:
    """One task of the table; ``inherited`` names the fields taken from a merged cell above."""

    row: int
    task: TableCell
    product: TableCell | None = None
    lead: TableCell | None = None
    coordinators: TableCell | None = None
    timeframe: TableCell | None = None
    budget: TableCell | None = None
    note: TableCell | None = None
    budget_vnd: int | None = None
    budget_text: str | None = None
    inherited: set[str] = field(default_factory=set)


@dataclass
class TaskTable:
    """A task table: its rows, the total it prints (if any), and its extent."""

    rows: list[TaskRow]
    stated_total_vnd: int | None
    total_span: Span | None
    span: Span

    @property
    def budget_sum_vnd(self) -> int | None:
        """Sum of the row amounts, each merged budget cell counted once (to check the total)."""
        amounts = [r.budget_vnd for r in self.rows if r.budget_vnd is not None and "budget" not in r.inherited]
        return sum(amounts) if amounts else None


@dataclass(frozen=True)
class GridCell:
    """A cell of a table read as a grid (a Word table), at one grid column.

    A vertically merged cell repeats the cell above with ``merged_above``; the columns a
    horizontally merged cell covers after its first repeat it with ``merged_left``.
    """

    text: str
    span: Span
    merged_above: bool = False
    merged_left: bool = False


# ---------------------------------------------------------------------------- words


def rejoined_lines(text: str) -> list[str]:
    """A cell's non-empty lines, a line its width broke before a name's dash joined again.

    A line opening with a dash continues the line above when that line opens no item and
    closes no clause: the dash is a name's or a range's ("Đài Phát thanh / - Truyền hình
    tỉnh", "giai đoạn 2016 / - 2020"), which a narrow column, or text copied from a PDF,
    broke the line before. A cell whose first line opens with a bullet is a list, and
    every dash in it opens an item.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or _BULLET.match(lines[0]):
        return lines
    kept = [lines[0]]
    for line in lines[1:]:
        if _DASH.match(line) and not _CLAUSE_END.search(kept[-1]):
            kept[-1] += " " + line
        else:
            kept.append(line)
    return kept


def cell_words(text: str) -> str:
    """A cell's paragraphs as one phrase.

    Lines opening with a bullet are items, joined with "; " (their closing ".;,:" dropped);
    other lines continue the item above, joined with a space (:func:`rejoined_lines`).
    """
    items: list[str] = []
    for line in rejoined_lines(text):
        bullet = _BULLET.match(line)
        if bullet or not items:
            items.append(line[bullet.end() :] if bullet else line)
        else:
            items[-1] += " " + line
    items = [" ".join(item.split()) for item in items]
    if len(items) == 1:
        return items[0]
    return "; ".join(item.rstrip(" .;,:") for item in items if item.rstrip(" .;,:"))


def read_amount(text: str, scale: int = 1) -> tuple[int | None, bool]:
    """The amount of money a budget cell gives, in đồng, and whether the cell is only that.

    "48.000.000", "19.800.000 đ", "50 triệu đồng", "1,5 tỷ"; dots, commas and spaces
    group thousands. A bare number is multiplied by ``scale`` (the unit a header gives,
    "Kinh phí (triệu đồng)"). In a cell with words around it, one amount counts only when
    it is grouped or carries a unit; two or more amounts give none.
    """
    folded = fold(text)
    matches = list(_AMOUNT.finditer(folded))
    if not matches:
        return None, False
    rest = _AMOUNT.sub(" ", folded)
    alone = len(matches) == 1 and not re.search(r"[^\W_]", rest)
    strong = [m for m in matches if m["scale"] or m["cur"] or not m["int"].isdigit()]
    if not alone and len(strong) != 1:
        return None, False
    match = matches[0] if alone else strong[0]
    unit = _SCALES[match["scale"]] if match["scale"] else 1 if match["cur"] else scale
    whole = int(re.sub(r"\D", "", match["int"])) * unit
    fraction = int(match["dec"]) * unit // 10 ** len(match["dec"]) if match["dec"] else 0
    return whole + fraction, alone


def _header_tokens(text: str) -> list[str]:
    return re.sub(r"\([^)]*\)|[^\w]+", " ", fold(text)).split()


@cache
def _column_keys() -> tuple[tuple[str, str], ...]:
    """Lexicon phrases as " word word " (to find whole words), longest first."""
    with open(DATA_DIR / "lexicon" / "table_columns.csv", encoding="utf-8", newline="") as handle:
        keys = {(tuple(_header_tokens(row["header"])), row["role"]) for row in csv.DictReader(handle)}
    return tuple((f" {' '.join(k)} ", role) for k, role in sorted(keys, key=lambda k: (-len(k[0]), k)))


@lru_cache(maxsize=4096)
def column_role(header: str) -> str | None:
    """The role of a column from its header cell ("CƠ QUAN\\nCHỦ TRÌ" -> "lead"), or None.

    The longest lexicon phrase found as whole words wins; a long cell is no header.
    """
    tokens = _header_tokens(header)
    if not tokens or len(tokens) > _MAX_HEADER_WORDS:
        return None
    padded = f" {' '.join(tokens)} "
    return next((role for key, role in _column_keys() if key in padded), None)


def _is_label(text: str) -> bool:
    return len(text) <= 12 and bool(_LABEL.fullmatch(fold(text)))


def _is_total(text: str) -> bool:
    found = _TOTAL.fullmatch(fold(text)) if len(text) <= 60 else None
    rest = found["rest"].strip(" .") if found else ""
    return found is not None and (not rest or rest.startswith("(") or read_amount(rest)[1])


def _opens_row(text: str) -> bool:
    """A first cell that opens a row: a row number, a totals label, a column number."""
    return _is_label(text) or _is_total(text) or bool(_COLUMN_NUMBER.fullmatch(text))


def _budget_scale(header: str) -> int:
    folded = fold(header)
    for word, scale in _SCALES.items():
        if re.search(rf"\b{word}\b", folded):
            return scale
    return 1


@dataclass(frozen=True)
class _Columns:
    """What a header row says: each column's role, the key column, the budget unit."""

    roles: tuple[str | None, ...]
    key: int
    has_index: bool
    scale: int

    @property
    def width(self) -> int:
        return len(self.roles)


def _columns(headers: Sequence[str], roles: Sequence[str | None] | None = None) -> _Columns | None:
    """The columns of a task-table header, or None when the cells are not one.

    A header has at least three known columns, one of them the task; its cells are short
    and none is a row number.
    """
    if not 3 <= len(headers) <= _MAX_COLUMNS:
        return None
    if any(_is_label(h) or len(_header_tokens(h)) > _MAX_HEADER_WORDS for h in headers):
        return None
    roles = tuple(roles if roles is not None else (column_role(h) for h in headers))
    if "task" not in roles and "lead" in roles:
        roles = _task_column_named_otherwise(roles)
    if "task" not in roles or sum(r is not None for r in roles) < 3:
        return None
    has_index = "index" in roles
    key = roles.index("index") if has_index else roles.index("task")
    budget = [h for h, r in zip(headers, roles, strict=True) if r == "budget"]
    return _Columns(roles, key, has_index, _budget_scale(budget[0]) if budget else 1)


def _task_column_named_otherwise(roles: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """A table that names a lead body for each row is a task table whatever its task
    column is called ("Tên TTHC", "Tên văn bản", "Tiêu chí"): that column is the first
    one after the row number that has no known role."""
    first = roles.index("index") + 1 if "index" in roles else 0
    unnamed = next((col for col in range(first, len(roles)) if roles[col] is None), None)
    if unnamed is None or unnamed > roles.index("lead"):
        return roles
    return (*roles[:unnamed], "task", *roles[unnamed + 1 :])


# ---------------------------------------------------------------------------- assembly


@dataclass(frozen=True)
class _Cell:
    """A cell being assembled: its pieces of text with their original spans."""

    pieces: tuple[tuple[str, Span], ...] = ()
    merged: bool = False

    @property
    def text(self) -> str:
        # Pieces are halves of a cell cut by a page break: one phrase, joined by a space.
        return " ".join(text for text, _ in self.pieces)

    def joined(self, other: _Cell) -> _Cell:
        return _Cell(self.pieces + other.pieces)

    def table_cell(self) -> TableCell:
        """The finished cell; only for a cell with text."""
        spans = [span for _, span in self.pieces]
        return TableCell(self.text, Span(min(s.start for s in spans), max(s.end for s in spans)))


_EMPTY = _Cell()


@dataclass
class _Draft:
    fields: dict[str, _Cell]
    inherited: set[str]

    def fold(self, cells: Sequence[_Cell], columns: _Columns) -> None:
        """Append a continuation row's non-empty cells to this row's cells."""
        for cell, role in zip(cells, columns.roles, strict=True):
            if role in FIELDS and cell.pieces and not cell.merged:
                self.fields[role] = self.fields[role].joined(cell) if role in self.fields else cell
                self.inherited.discard(role)


def _draft(cells: Sequence[_Cell], columns: _Columns, previous: _Draft | None) -> _Draft:
    """A new numbered row. Its merged cells, and the empty cells that open it on the left
    of its first filled cell (merged cells exported empty), repeat the row above."""
    fields: dict[str, _Cell] = {}
    inherited: set[str] = set()
    leading = columns.has_index
    for col, (cell, role) in enumerate(zip(cells, columns.roles, strict=True)):
        empty = not cell.pieces or cell.merged
        inherit = cell.merged or (leading and empty and col > columns.key)
        if col > columns.key and not empty:
            leading = False
        if role not in FIELDS:
            continue
        if inherit and previous is not None and role in previous.fields and role not in fields:
            fields[role] = previous.fields[role]
            inherited.add(role)
        elif cell.pieces and role not in inherited:
            fields[role] = fields[role].joined(cell) if role in fields else cell
    return _Draft(fields, inherited)


def _row_total(cells: Sequence[_Cell], columns: _Columns) -> tuple[int, Span] | None:
    """The amount a totals row prints: in the budget column, else its last amount."""
    order = sorted(range(len(cells)), key=lambda c: (columns.roles[c] != "budget", -c))
    for col in order:
        if not cells[col].pieces:
            continue
        table_cell = cells[col].table_cell()
        amount, _ = read_amount(table_cell.text, columns.scale)
        if amount is not None:
            return amount, table_cell.span
    return None


def _is_column_numbering(cells: Sequence[_Cell]) -> bool:
    texts = [c.text.strip() for c in cells if c.text.strip()]
    return len(texts) >= 3 and all(_COLUMN_NUMBER.fullmatch(t) for t in texts)


def _assemble(columns: _Columns, rows: Iterable[Sequence[_Cell]], span: Span) -> TaskTable | None:
    """Typed task rows from the raw rows under a header, by the grammar of the table."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    total: tuple[int, Span] | None = None
    has_details = any(r in _DETAIL_FIELDS for r in columns.roles)
    for raw in rows:
        cells = list(raw[: columns.width]) + [_EMPTY] * (columns.width - len(raw))
        first = next((c.text for c in cells if c.text.strip()), "")
        if not any(c.pieces and not c.merged for c in cells) or _is_column_numbering(cells):
            continue  # nothing of its own: only merged cells running down, or column numbers
        if _is_total(first):
            total = _row_total(cells, columns) or total
            current = None
            continue
        key = cells[columns.key].text.strip()
        if not key:
            if current is not None:
                current.fold(cells, columns)
            continue
        if columns.has_index and not _is_label(key):
            current = None
            continue
        draft = _draft(cells, columns, drafts[-1] if drafts else None)
        heading = has_details and not draft.fields.keys() & set(_DETAIL_FIELDS)
        if heading or "task" not in draft.fields:
            current = None
            continue
        drafts.append(draft)
        current = draft
    if not drafts:
        return None
    task_rows = [_task_row(n, d, columns.scale) for n, d in enumerate(drafts, 1)]
    return TaskTable(task_rows, total[0] if total else None, total[1] if total else None, span)


def _task_row(number: int, draft: _Draft, scale: int) -> TaskRow:
    cells = {role: cell.table_cell() for role, cell in draft.fields.items()}
    budget = cells.get("budget")
    amount, alone = read_amount(budget.text, scale) if budget else (None, False)
    return TaskRow(
        row=number,
        task=cells["task"],
        product=cells.get("product"),
        lead=cells.get("lead"),
        coordinators=cells.get("coordinators"),
        timeframe=cells.get("timeframe"),
        budget=budget,
        note=cells.get("note"),
        budget_vnd=amount,
        budget_text=budget.words if budget and not alone else None,
        inherited=set(draft.inherited),
    )


# ---------------------------------------------------------------------------- text


@dataclass(frozen=True)
class _Lines:
    """The cleaned text cut into lines, with clean-text offsets."""

    clean: CleanText
    bounds: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, clean: CleanText) -> _Lines:
        bounds, pos = [], 0
        for line in clean.text.split("\n"):
            bounds.append((pos, pos + len(line)))
            pos += len(line) + 1
        return cls(clean, tuple(bounds))

    def __len__(self) -> int:
        return len(self.bounds)

    def text(self, i: int) -> str:
        start, end = self.bounds[i]
        return self.clean.text[start:end]

    def blank(self, i: int) -> bool:
        return not self.text(i).strip()

    def piece(self, start: int, end: int, flat: bool = False) -> _Cell:
        """The cell holding clean range ``[start, end)`` (trimmed); ``flat`` for a cell
        written on one line, whose bullets then stand for lost line breaks."""
        text = self.clean.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            return _EMPTY
        words = "\n".join(line.strip() for line in text[start:end].split("\n") if line.strip())
        if flat and _BULLET.match(words):
            words = _INLINE_BULLET.sub(lambda m: "\n- " if words[m.end()].isupper() else m.group(), words)
        return _Cell(((words, self.clean.to_original(start, end)),))

    def span(self, first: int, last: int) -> Span:
        return self.clean.to_original(self.bounds[first][0], self.bounds[last][1])


def find_task_tables(clean: CleanText) -> list[TaskTable]:
    """Every task table in a cleaned text, in order, with spans in the original text."""
    lines = _Lines.of(clean)
    tables: list[TaskTable] = []
    i = 0
    while i < len(lines):
        found = _read_flat(lines, i) or _read_stacked(lines, i)
        if found is None:
            i += 1
            continue
        table, i = found
        if table is not None:
            tables.append(table)
    return tables


def _split_flat(lines: _Lines, i: int) -> list[tuple[int, int]] | None:
    """The cell ranges of a one-line row: tab-separated, or a Markdown ``| a | b |`` row."""
    start, end = lines.bounds[i]
    line = lines.text(i)
    if "\t" in line:
        seps = [start + k for k, ch in enumerate(line) if ch == "\t"]
    elif line.strip().startswith("|") and line.strip().endswith("|") and len(line.strip()) > 1:
        seps = [start + k for k, ch in enumerate(line) if ch == "|"]
        start, end = seps[0] + 1, seps[-1]
        seps = seps[1:-1]
    else:
        return None
    edges = [start - 1, *seps, end]
    return [(a + 1, b) for a, b in pairwise(edges)]


def _read_flat(lines: _Lines, i: int) -> tuple[TaskTable | None, int] | None:
    """A table with one row per line, from a header row at line ``i``."""
    header = _split_flat(lines, i)
    if header is None:
        return None
    texts = [lines.clean.text[a:b] for a, b in header]
    while texts and not texts[-1].strip():
        texts.pop()
    columns = _columns(texts)
    if columns is None:
        return None
    last = i
    # The header rows, as a page printed again would repeat them.
    headers = [_header_key(texts)]
    below = _split_flat(lines, i + 1) if i + 1 < len(lines) else None
    below_texts = [lines.clean.text[a:b] for a, b in below] if below else []
    under = _header_under(texts, below_texts)
    if under is not None:
        columns, last = under, i + 1
        headers.append(_header_key(below_texts))
    rows: list[list[_Cell]] = []
    j = last + 1
    while j < len(lines):
        ranges = _split_flat(lines, j)
        if ranges is None and _is_total(lines.text(j).strip()):
            ranges = [lines.bounds[j]]  # a totals row merged across the table
        if ranges is None:
            if lines.blank(j) or _PAGE_NUMBER.fullmatch(lines.text(j)):
                j += 1
                continue
            break
        cells = [lines.piece(a, b, flat=True) for a, b in ranges]
        texts = [c.text for c in cells]
        header_again = _columns(texts)
        if (
            (any(texts) and all(_PIPE_RULE.fullmatch(t) for t in texts if t))
            or header_again == columns
            or _header_key(texts) in headers
        ):
            last = j
            j += 1
            continue
        if header_again is not None:
            break  # the header of another table
        while len(cells) > columns.width and not cells[-1].pieces:
            cells.pop()
        first = next((t for t in texts if t), "")
        if len(cells) != columns.width and not (_is_label(first) or _is_total(first)):
            break
        if len(cells) > columns.width:
            cells[columns.width - 1] = _Cell(tuple(p for c in cells[columns.width - 1 :] for p in c.pieces))
        rows.append(cells)
        last = j
        j += 1
    return _assemble(columns, rows, lines.span(i, last)), last + 1


def _header_key(texts: Sequence[str]) -> tuple[str, ...]:
    """A header row's cells as they compare with the same row printed again."""
    cells = [" ".join(text.split()).casefold() for text in texts]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _stacked_cell(lines: _Lines, i: int) -> tuple[list[int], int] | None:
    """The cell a tab-started line opens, as its line indices, and the line after it.

    A line holding more than one tab is not a cell of this shape.
    """
    if i >= len(lines):
        return None
    text = lines.text(i)
    if not text.startswith("\t") or text.count("\t") > 1:
        return None
    j = i + 1
    while j < len(lines) and "\t" not in lines.text(j):
        j += 1
    return list(range(i, j)), j


def _stacked_piece(lines: _Lines, cell: list[int]) -> _Cell:
    start = lines.bounds[cell[0]][0] + 1
    return lines.piece(start, lines.bounds[cell[-1]][1])


def _stacked_header(lines: _Lines, i: int) -> tuple[_Columns, int] | None:
    """The columns of a header written one cell per tab-started line from line ``i``, and
    the line after it: its cells run to the first row number."""
    header: list[str] = []
    j = i
    while (found := _stacked_cell(lines, j)) is not None:
        cell, after = found
        text = _stacked_piece(lines, cell).text
        role = column_role(text)
        if header and (_opens_row(text) or (role is not None and role == column_role(header[0]))):
            break  # a row, or the next header: a header names its first column once
        if not header and role is None:
            return None
        header.append(text.replace("\n", " "))
        j = after
        if len(header) > _MAX_COLUMNS:
            return None
    columns = _columns(header)
    return (columns, j) if columns is not None else None


def _read_stacked(lines: _Lines, i: int) -> tuple[TaskTable | None, int] | None:
    """A Word table exported one cell per tab-started line, from its header at line ``i``.

    The header's cells run to the first row number; a row has as many cells as the
    header, or fewer when the next row or a header begins after a blank line (a short
    "Tổng cộng" row, its label cell merged across). An empty cell is a line holding only
    its tab, not a blank line: the cell after it stays in the row. The header printed
    again continues the table across a page break; with other text before it (a caption
    "Biểu số 02: …") it opens the next table. The table ends where a row cannot begin;
    its last cell ends at its first blank line, which closes the row.
    """
    found = _stacked_header(lines, i)
    if found is None:
        return None
    columns, j = found
    rows: list[list[list[int]]] = []
    row: list[list[int]] = []
    while (found_cell := _stacked_cell(lines, j)) is not None:
        cell, after = found_cell
        text = _stacked_piece(lines, cell).text
        opens_row = _opens_row(text)
        closed = bool(row) and _closed_by_blank_line(lines, row[-1])
        if len(row) == columns.width or (closed and (opens_row or _stacked_header(lines, j) is not None)):
            rows.append(row)
            row = []
        if not row:
            repeated = _repeated_stacked_header(lines, j, columns)
            if repeated is not None:
                if rows and not _only_a_page_break_after(lines, rows[-1][-1]):
                    break  # the same columns under a caption: the next table
                j = repeated
                continue
            if text and not opens_row:
                break
        row.append(cell)
        j = after
    if row:
        rows.append(row)
    if not rows:
        return None, j
    # What follows a row's closing blank line (a page number, a caption) was read with its
    # last cell to tell a page break from the next table; it is no part of the cell.
    rows = [_closed_row(lines, r) for r in rows]
    end = rows[-1][-1][-1]
    table = _assemble(columns, ([_stacked_piece(lines, c) for c in r] for r in rows), lines.span(i, end))
    return table, end + 1


def _closed_row(lines: _Lines, row: list[list[int]]) -> list[list[int]]:
    """The row without what follows its closing blank line, which its last cell's lines
    ran on to."""
    return [*row[:-1], row[-1][: _own_lines(lines, row[-1])]]


def _closed_by_blank_line(lines: _Lines, cell: list[int]) -> bool:
    """Whether a blank line ends the cell, closing its row; an empty cell's own line
    (a lone tab) is the cell, not such a line."""
    return len(cell) > 1 and lines.blank(cell[-1])


def _own_lines(lines: _Lines, cell: list[int]) -> int:
    """How many lines a row's last cell holds: those before its first blank line, which
    closes the row (what follows is outside the table, or a page break)."""
    return next((k for k, line in enumerate(cell) if k and lines.blank(line)), len(cell))


def _only_a_page_break_after(lines: _Lines, cell: list[int]) -> bool:
    """Whether a row's last cell is followed only by blank lines and page numbers, as a
    page break leaves them before the header printed again."""
    after = cell[_own_lines(lines, cell) :]
    return all(lines.blank(line) or _PAGE_NUMBER.fullmatch(lines.text(line)) for line in after)


def _repeated_stacked_header(lines: _Lines, j: int, columns: _Columns) -> int | None:
    """The line after a header repeated at line ``j`` (a page break), or None."""
    texts: list[str] = []
    while len(texts) < columns.width and (found := _stacked_cell(lines, j)) is not None:
        cell, j = found
        texts.append(_stacked_piece(lines, cell).text.replace("\n", " "))
    return j if len(texts) == columns.width and _columns(texts) == columns else None


# ---------------------------------------------------------------------------- grids


def task_table_from_grid(grid: Sequence[Sequence[GridCell]], span: Span) -> TaskTable | None:
    """The task table a grid of cells holds (a Word table), or None if it is not one.

    The header is the first row (of the first three) that names the columns; a second
    header row under it (a merged "Cơ quan thực hiện" over "Chủ trì" | "Phối hợp") names
    the columns it fills. Header rows printed again further down are skipped.
    """
    for h, header in enumerate(grid[:3]):
        columns = _columns([c.text for c in header])
        if columns is None:
            continue
        body = h + 1
        if body < len(grid):
            below = _two_row_header(header, grid[body])
            if below is not None:
                columns, body = below, body + 1
        rows = [[_grid_cell(c) for c in row] for row in grid[body:] if _columns([c.text for c in row]) != columns]
        return _assemble(columns, rows, span)
    return None


def _two_row_header(top: Sequence[GridCell], below: Sequence[GridCell]) -> _Columns | None:
    own = [c.text if not c.merged_above else "" for c in below]
    return _header_under([c.text for c in top], own)


def _header_under(top: Sequence[str], below: Sequence[str]) -> _Columns | None:
    """The columns of a header row ``top`` and the row ``below`` it when that one is a
    second header row: the roles of the columns a spanning cell covers ("Cơ quan thực
    hiện" over "Chủ trì" | "Phối hợp"), each of its filled cells a column's name."""
    own = [text for text in below if text.strip()]
    if not own or any(_is_label(text) or column_role(text) is None for text in own):
        return None
    headers, roles = [], []
    for col, upper in enumerate(top):
        bottom = below[col] if col < len(below) else ""
        headers.append(" ".join(f"{upper} {bottom}".split()))
        roles.append(column_role(bottom) or column_role(upper))
    return _columns(headers, roles)


def _grid_cell(cell: GridCell) -> _Cell:
    if cell.merged_left or not cell.text.strip():
        return _Cell(merged=cell.merged_above)
    return _Cell(((cell.text.strip(), cell.span),), merged=cell.merged_above)
