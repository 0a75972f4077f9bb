"""Lines of text a page's width wrapped, joined back into the paragraphs they were.

A plan's paragraph is one line to the extractors: its opening cue ("Căn cứ", "Thực
hiện") governs every document it names, and a body is named in the same line as its duty.
Text taken out of a PDF (pdftotext, a viewer's "save as text" or copy, a PDF converted
to Word) keeps the page's lines instead, each paragraph cut wherever the width ran out,
and the page numbers printed between them. The PDF reader has the lines' positions to
join them by; here only the characters are left, and the same rules are read from them:

* a text is hard-wrapped when its lines stop at a width: most of them come close to
  it and hardly any runs past it, where a text of one line per paragraph has lines of
  every length, many of them several times longer;
* a break is a wrap when the next line's first word would not have fitted on the line
  (the rule of any line breaker), or the next line goes on in lower case, or the line
  ends on a comma or a word no clause ends on; and the next line opens no list item, no
  new sentence after a full stop and no text under a heading (a line in capitals):
  :func:`goes_on`, which the extractors' paragraphs (``PlanText.block``) follow too;
* a line holding only a number is a page's number when a page break (form feed) stands
  next to it, or it counts on from the last page number at a page's length of lines.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from ccbc_graph.decoding import is_vietnamese_syllable
from ccbc_graph.table_text import Edit

# A page's number as printed in its margin: "2", "- 2 -", "(2)", "Trang 2", "Trang 2/9".
PAGE_NUMBER = re.compile(r"\s*(?:(?:trang|page)\s+)?[-–(]?\s*(\d{1,4})\s*[-–)]?(?:\s*/\s*\d{1,4})?\s*", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s*$")
# A line that opens a list item or a numbered heading: "- ", "+ ", "•", "1.", "1.2.", "2)",
# "1- ", "a)", "a- ", "IV." (no list counts from 0: "0)" is the end of a number cut in two)
_ITEM = re.compile(
    r"\s*(?:[-–—+•*]|(?!0\D)\d{1,3}(?:\.\d{1,3})*[.)]|(?:\d{1,3}|[a-zđ])[-–]|[a-zđ][.)]|[IVXLC]{1,6}[.)])(?:\s|$)"
)
# Words a clause cannot end on: prepositions, conjunctions, "số", "ngày", "ban hành".
_OPEN_ENDING = re.compile(
    r"(?<!\w)(?:của|và|hoặc|số|về|ngày|tháng|năm|tại|theo|các|những|với|cho|trong|đến|từ|thuộc|là|được|"
    r"bằng|ban hành|kèm theo)$"
)
# A hyphen a line breaker left at the start of a line ("kinh tế" / "- xã hội") is told from
# a list item's dash by the lower-case word after it and the clause the line above leaves
# open: a list item opens with a capital, or follows a ":", ";" or ",".
_HYPHEN = re.compile(r"\s*[-–]\s+(\w)")
_CLAUSE_END = re.compile(r"[.,:;!?…][\"”’)]*$")
# A line ending after a hyphen or slash inside a word ("320/KH-", "61/2018/", "Cổng/"); one
# ending on a symbol's part after its slash, and one opening on a hyphen put before the
# part it joins ("140/KH" / "-UBND").
_INSIDE_WORD = re.compile(r"\w[-/]$")
_SYMBOL_END = re.compile(r"\w/[^\s/]*\w$")
_ATTACHED_HYPHEN = re.compile(r"[-–]\w")
# The digits and dots a line ends and the next opens with, and a number grouped by dots
# in threes ("100.000.000"), which the two make when a number was cut in two.
_NUMBER_HEAD = re.compile(r"(?<![\d.])[\d.]*\d[\d.]*$")
_NUMBER_TAIL = re.compile(r"[\d.]*\d[\d.]*(?![\d.])")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+")
# A year cut in two: the digits after a date's or a symbol's slash and the digits after.
_YEAR_HEAD = re.compile(r"/(\d{1,3})$")
_YEAR_TAIL = re.compile(r"(\d{1,3})(?!\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
# The letters a line ends on and the letters the next opens with.
_LAST_LETTERS = re.compile(r"[^\W\d_]+$")
_FIRST_LETTERS = re.compile(r"[^\W\d_]+")

# The width is read at this share of a text's lines, so that a few long lines (a table's,
# a link) do not set it. A hard-wrapped text's width is at most _MAX_WIDTH characters (an
# A4 page holds about 70 at 13 points, a landscape page some 120), and at least
# _FULL_SHARE of its lines come within _WIDTH_SLACK of it. Fewer than _MIN_LINES lines
# are too few to tell.
_WIDTH_QUANTILE = 0.95
_MAX_WIDTH = 160
_FULL_SHARE = 0.4
_WIDTH_SLACK = 0.8
_MIN_LINES = 10
# How many lines a page holds, at the least and the most, when page numbers are told by
# where they stand rather than by a page break.
_PAGE_LINES = (20, 80)


def ends_a_sentence(line: str, after: str) -> bool:
    """Whether ``line`` ends a sentence ("." "!" "?") and ``after`` opens one with a capital."""
    return bool(SENTENCE_END.search(line)) and after.lstrip()[:1].isupper()


@dataclass(frozen=True)
class _Line:
    start: int  # where the line's text starts (after leading blanks and page breaks)
    end: int  # where it ends (before trailing blanks and the line break)
    text: str


def _lines(raws: list[str]) -> list[_Line | None]:
    """The places and texts of a text's lines (``raws``, split at line feeds); None for
    a blank line. A form feed is a page break, not text."""
    lines: list[_Line | None] = []
    position = 0
    for raw in raws:
        stripped = raw.strip(" \t\r\f\v")
        if stripped:
            start = position + raw.index(stripped[0])
            lines.append(_Line(start, start + len(stripped), stripped))
        else:
            lines.append(None)
        position += len(raw) + 1
    return lines


def line_width(lengths: list[int]) -> int:
    """The length a text's lines run to: a high percentile of their ``lengths``, so that a
    few long lines (a table's, a link) do not set it. A hard-wrapped text is wrapped at
    it; in a text of one line per paragraph it is the length of the longest paragraphs."""
    ordered = sorted(lengths)
    return ordered[int(len(ordered) * _WIDTH_QUANTILE)] if ordered else 0


def wrap_width(lines: list[str]) -> int | None:
    """The width (in characters) a hard-wrapped text's lines were broken at; None for a
    text whose lines are its paragraphs."""
    lengths = [len(line) for line in lines if "\t" not in line]
    if len(lengths) < _MIN_LINES:
        return None
    width = line_width(lengths)
    near = sum(1 for length in lengths if length >= _WIDTH_SLACK * width)
    return width if width <= _MAX_WIDTH and near >= _FULL_SHARE * len(lengths) else None


def hard_wrap_edits(text: str) -> list[Edit]:
    """The edits that join a hard-wrapped text's lines back into paragraphs: each wrap's
    line break (and the page break and number between, if any) becomes a space (none
    inside a word: :func:`joint`), and a
    page number standing between two paragraphs is taken out. None for a text that is
    not hard-wrapped."""
    raws = text.split("\n")
    lines = _lines(raws)
    width = wrap_width([line.text for line in lines if line is not None])
    if width is None:
        return []
    numbers, breaks = _page_breaks(raws, lines)
    wraps: list[Edit] = []
    upper: _Line | None = None
    for k, line in enumerate(lines):
        if k in breaks:
            continue
        if line is None:
            upper = None  # a blank line ends a paragraph
        else:
            if upper is not None and goes_on(upper.text, line.text, width):
                wraps.append((upper.end, line.start, joint(upper.text, line.text)))
            upper = line
    # A page number between two lines of a paragraph goes with the wrap's edit.
    starts = [0, *accumulate(len(raw) + 1 for raw in raws)]
    wrap_starts = [start for start, _, _ in wraps]
    removals: list[Edit] = []
    for k in sorted(numbers):
        before = bisect_right(wrap_starts, starts[k]) - 1
        if before < 0 or wraps[before][1] < starts[k]:
            removals.append((starts[k], min(starts[k + 1], len(text)), ""))
    return sorted([*wraps, *removals])


def goes_on(upper: str, lower: str, width: int) -> bool:
    """Whether the line ``lower`` goes on the paragraph of the line ``upper`` above it (both
    without their blanks) in a text whose lines run to ``width`` characters.

    It does when ``upper`` ends no sentence or clause, ``lower`` opens no list item (a
    hyphen the width put first on a line is none) and no text under a heading in capitals,
    and ``lower`` opens in lower case or on a number ("225/QĐ-TTg", "tổng thể cải cách"),
    or ``upper`` ends on a comma, a word no clause ends on ("… của" / "Chính phủ …") or a
    symbol cut at its hyphen ("320/KH-" / "UBND"), or the first word of ``lower`` would
    have made ``upper`` longer than ``width`` (the rule of any line breaker). After a
    semicolon, only a line in lower case goes on: the next clause of a list ("Căn cứ …;")
    opens in a capital, and in a text of one line per paragraph the longest lines are as
    long as the width.
    """
    if not upper or not lower or "\t" in upper or "\t" in lower or lower[0] == "|":
        return False
    if opens_an_item(upper, lower):
        return False
    overflows = len(upper) + 1 + len(lower.split(maxsplit=1)[0]) > width
    if upper[-1] in ".:!?…" or (upper.isupper() and any(char.islower() for char in lower)):
        return False
    if upper[-1] == ";":  # the end of a clause, unless the sentence goes on in lower case
        return lower[0].islower()
    if lower[0].islower() or lower[0].isdigit() or upper[-1] == "," or _INSIDE_WORD.search(upper):
        return True
    return bool(_OPEN_ENDING.search(unicodedata.normalize("NFC", upper[-20:]).lower())) or overflows


def joint(upper: str, lower: str) -> str:
    """What stands between two lines joined into one paragraph: a space, or nothing where
    the break fell inside a word. A line breaker may break after a hyphen or a slash in a
    word ("35/NQ-" / "CP", "Cổng/" / "Trang") or before a symbol's hyphen ("140/KH" /
    "-UBND": "Phát thanh" / "-Truyền hình" keeps its space);
    and where a word does not fit a narrow cell at all, anywhere in it: in a number grouped
    in threes ("100.00" / "0.000"), in the year of a date or a symbol ("24/9/20" / "16",
    "22/201" / "6/NQ-HĐND"), in a syllable where not both pieces are syllables and the two
    together are one ("Cổng/T" / "rang", "Chươn" / "g")."""
    if _INSIDE_WORD.search(upper) or (_SYMBOL_END.search(upper) and _ATTACHED_HYPHEN.match(lower)):
        return ""
    number_head, number_tail = _NUMBER_HEAD.search(upper), _NUMBER_TAIL.match(lower)
    if number_head and number_tail and _GROUPED_NUMBER.fullmatch(number_head[0] + number_tail[0]):
        return ""
    year_head, year_tail = _YEAR_HEAD.search(upper), _YEAR_TAIL.match(lower)
    if year_head and year_tail and _YEAR.fullmatch(year_head[1] + year_tail[1]):
        return ""
    head, tail = _LAST_LETTERS.search(upper), _FIRST_LETTERS.match(lower)
    if head and tail and not (is_vietnamese_syllable(head[0]) and is_vietnamese_syllable(tail[0])):
        return "" if is_vietnamese_syllable(head[0] + tail[0]) else " "
    return " "


def opens_an_item(upper: str, lower: str) -> bool:
    """Whether the line ``lower`` opens a list item or a numbered heading, the line ``upper``
    above it: a hyphen the width put first on a line is none (see ``_HYPHEN``)."""
    if not _ITEM.match(lower):
        return False
    hyphen = _HYPHEN.match(lower)
    return not (hyphen and hyphen[1].islower() and not _CLAUSE_END.search(upper.rstrip()))


def _page_breaks(raws: list[str], lines: list[_Line | None]) -> tuple[set[int], set[int]]:
    """Which lines hold only a page's number, and which lines a page break takes up (those
    and the blank lines around them and around a form feed)."""
    numbers: set[int] = set()
    expected, last = None, 0
    for k, line in enumerate(lines):
        match = PAGE_NUMBER.fullmatch(line.text) if line is not None else None
        if match is None:
            continue
        value = int(match[1])
        by_break = (
            "\f" in raws[k]
            or (k > 0 and raws[k - 1].endswith("\f"))
            or (k + 1 < len(raws) and raws[k + 1].startswith("\f"))
        )
        in_sequence = value == expected if expected is not None else value in (1, 2)
        pages = 1 if expected is not None else max(1, value - 1)
        if by_break or (in_sequence and _PAGE_LINES[0] * pages <= k - last <= _PAGE_LINES[1] * pages):
            numbers.add(k)
            expected, last = value + 1, k
    breaks = set(numbers)
    for k in [*numbers, *(k for k, raw in enumerate(raws) if "\f" in raw and lines[k] is None)]:
        breaks.add(k)
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(lines) and lines[j] is None:
                breaks.add(j)
                j += step
    return numbers, breaks
