"""The text an extractor reads: clean text, its matching view, paragraphs, sentences,
and evidence cut from the original."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from ccbc_graph.extract.issuers import UPPER
from ccbc_graph.model import Evidence, Span
from ccbc_graph.textnorm import CleanText, matching_view

# A sentence ends at ". ", "! ", "? " before a capital or a line end, and with its block
# (see PlanText.block). Semicolons end a clause, which is what evidence quotes.
_SENTENCE_END = re.compile(rf"[.!?](?=\s+[{UPPER}\d(\"“]|\s*$)", re.MULTILINE)
# A numbered, lettered or bulleted item opening a line ("2. ", "1.2. ", "a) ", "1- ",
# "- "): a new paragraph.
_ITEM_MARKER = re.compile(r"(?:\d+(?:\.\d+)*[.)]|(?:\d+|[a-zđ])[-–]|[a-zđ][.)]|[-–—+•*])\s")
# A line ending on a character that ends no sentence or clause, and its line break.
_OPEN_LINE_END = re.compile(r"[^\s.;:!?][ \t]*\n")
# Words a clause cannot end on: prepositions, conjunctions, "số", "ngày", "ban hành".
_OPEN_ENDING = re.compile(
    r"(?<!\w)(?:của|và|hoặc|số|về|ngày|tháng|năm|tại|theo|các|những|với|cho|trong|đến|từ|thuộc|là|được|"
    r"bằng|ban hành|kèm theo)$"
)
# A symbol cut at a line end after its hyphen or slash ("320/KH-", "61/2018/").
_CUT_SYMBOL = re.compile(r"\w[-/]")
_FIRST_WORD = re.compile(r"\S+")
# Spaces and tabs on a line, none or some: where a line's or a cell's text starts.
BLANKS = re.compile(r"[ \t]*")
# The share of a text's lines at most as long as the length its lines run to (the rest are
# table rows and other long lines set apart).
LINE_WIDTH_PERCENTILE = 0.95
_CLAUSE_END = re.compile(rf"[.!?](?=\s+[{UPPER}\d(\"“]|\s*$)|;", re.MULTILINE)
# The characters each of the two opens on.
_SENTENCE_MARKS = ".!?"
_CLAUSE_MARKS = ".!?;"


@dataclass(frozen=True)
class PlanText:
    """A cleaned source text with the lookups every extractor needs."""

    clean: CleanText

    @property
    def text(self) -> str:
        return self.clean.text

    @cached_property
    def view(self) -> str:
        """Lower-case, modern-tone copy of :attr:`text` with the same offsets."""
        return matching_view(self.clean.text)

    def paragraph(self, pos: int) -> tuple[int, int]:
        """Bounds of the line holding ``pos`` (a paragraph in these exports)."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    def block(self, pos: int) -> tuple[int, int]:
        """Bounds of the paragraph holding ``pos`` when its lines are hard-wrapped (text out
        of a PDF, a fixed-width export): a line goes on from the one before it while that
        one ends no sentence or clause and this one is no numbered item and opens in lower
        case or on a number ("225/QĐ-TTg", "tổng thể cải cách …"), or follows a comma, a
        word no clause ends on ("… của" / "Chính phủ …") or a line its first word would
        have made longer than the text's lines run."""
        start, end = self.paragraph(pos)
        while start in self._wrapped_lines:
            start = self.paragraph(start - 1)[0]
        while end + 1 in self._wrapped_lines:
            end = self.paragraph(end + 1)[1]
        return start, end

    def goes_on(self, line_start: int) -> bool:
        """Whether the line starting at ``line_start`` goes on from the line before it, in
        the sense of :meth:`block`."""
        return line_start in self._wrapped_lines

    @cached_property
    def _wrapped_lines(self) -> frozenset[int]:
        """Starts of the lines that go on from the line before them. Only a line ending on
        no stop can be one, so the search looks at those alone."""
        return frozenset(match.end() for match in _OPEN_LINE_END.finditer(self.text) if self._goes_on(match.end()))

    def _goes_on(self, line_start: int) -> bool:
        """Whether the line at ``line_start`` continues the line before it."""
        text = self.text
        last = line_start - 2
        while last >= 0 and text[last] in " \t":
            last -= 1
        if last < 0 or text[last] in "\n.;:!?":
            return False
        first = line_start
        while first < len(text) and text[first] in " \t":
            first += 1
        if first == len(text) or text[first] in "\n|" or _ITEM_MARKER.match(text, first):
            return False
        # Table rows written as lines, their cells parted by tabs, are never wrapped text.
        line_before = self.paragraph(line_start - 1)[0]
        if "\t" in text[line_before : self.paragraph(line_start)[1]]:
            return False
        if text[first].islower() or text[first].isdigit():
            return True
        # A line ending on a comma, a word that cannot end a clause or a symbol cut at its
        # hyphen goes on whatever opens the next ("… của\nChính phủ", "… và\nQuyết định
        # số …", "320/KH-\nUBND").
        if text[last] == "," or _CUT_SYMBOL.match(text, last - 1, last + 1):
            return True
        if _OPEN_ENDING.search(self.view, max(0, last - 12), last + 1):
            return True
        # A line the next one's first word would have made longer than the text's lines
        # run was wrapped there, whatever case the word opens in ("… Ban Chấp hành\nTrung ương").
        first_word = _FIRST_WORD.match(text, first)
        width = last + 1 - line_before + 1 + (first_word.end() - first if first_word else 0)
        return width > self._line_width

    @cached_property
    def _line_width(self) -> int:
        """The length the text's lines run to: a high percentile of their lengths, so that a
        few long lines (a table row) do not set it. Text out of a PDF is wrapped at it;
        in a text of one line per paragraph it is the length of the longest paragraphs."""
        lengths = sorted(len(line.rstrip()) for line in self.text.split("\n") if line.strip())
        return lengths[int(len(lengths) * LINE_WIDTH_PERCENTILE)] if lengths else 0

    def _bounds(self, pos: int, pattern: re.Pattern[str], marks: str) -> tuple[int, int]:
        """The span between the ends ``pattern`` finds around ``pos`` in its block; every
        end opens on one of ``marks``. The end before ``pos`` is looked for backwards,
        mark by mark, each tested as a forward search up to ``pos`` would see it: a block
        (a table's text) can be long, and a text asks for thousands of clauses."""
        block_start, block_end = self.block(pos)
        text = self.text
        start = block_start
        mark = pos
        while (mark := max(text.rfind(m, block_start, mark) for m in marks)) >= 0:
            before = pattern.match(text, mark, pos)
            if before:
                start = before.end()
                break
        following = pattern.search(self.text, pos, block_end)
        end = following.end() if following else block_end
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def sentence_starts(self, start: int, end: int) -> list[int]:
        """Where the sentences after the first of ``[start, end)`` open."""
        ends = _SENTENCE_END.finditer(self.text, start, end)
        opening = (BLANKS.match(self.text, found.end()).end() for found in ends)
        return [pos for pos in opening if pos < end]

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._bounds(pos, _SENTENCE_END, _SENTENCE_MARKS)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._bounds(pos, _CLAUSE_END, _CLAUSE_MARKS)

    def clean_range(self, span: Span) -> tuple[int, int]:
        """The clean-text range that an original span covers."""
        return bisect_left(self.clean.starts, span.start), bisect_left(self.clean.ends, span.end) + 1

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for clean range ``[start, end)``: exact original words, clean clause."""
        span = self.clean.to_original(start, end)
        c_start, c_end = self.clause(start)
        c_end = max(c_end, end)
        return Evidence(
            span=span,
            text=self.clean.original[span.start : span.end],
            sentence_span=self.clean.to_original(c_start, c_end),
            sentence=" ".join(self.text[c_start:c_end].split()),
        )
