"""The text an extractor reads: clean text, its matching view, paragraphs, sentences,
and evidence cut from the original."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from ccbc_graph.extract.issuers import UPPER
from ccbc_graph.model import Evidence, Span
from ccbc_graph.reflow import goes_on, line_width
from ccbc_graph.textnorm import CleanText, matching_view

# A sentence ends at ". ", "! ", "? " before a capital or a line end, and with its block
# (see PlanText.block). Semicolons end a clause, which is what evidence quotes.
_SENTENCE_END = re.compile(rf"[.!?](?=\s+[{UPPER}\d(\"“]|\s*$)", re.MULTILINE)
# A line ending on a character that ends no sentence, and its line break: only such a
# line can go on in the next (see ccbc_graph.reflow.goes_on).
_OPEN_LINE_END = re.compile(r"[^\s.:!?…][ \t]*\n")
# Spaces and tabs on a line, none or some: where a line's or a cell's text starts.
BLANKS = re.compile(r"[ \t]*")
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
        of a PDF, a fixed-width export, that the reader did not join): a line goes on from
        the one before it by :func:`ccbc_graph.reflow.goes_on`, the text's lines running to
        the length most of them stay within."""
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
        upper = self.text[self.paragraph(line_start - 1)[0] : line_start - 1]
        lower = self.text[line_start : self.paragraph(line_start)[1]]
        # The lines' lengths count the blanks they open with.
        indent = len(upper) - len(upper.lstrip(" "))
        return goes_on(upper.strip(" "), lower.strip(" "), self._line_width - indent)

    @cached_property
    def _line_width(self) -> int:
        """The length the text's lines run to (:func:`ccbc_graph.reflow.line_width`)."""
        return line_width([len(line.rstrip()) for line in self.text.split("\n") if line.strip()])

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
