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

# A sentence ends at ". ", "! ", "? " before a capital or a line end. Semicolons end a
# clause, which is what evidence quotes.
_SENTENCE_END = re.compile(rf"[.!?](?=\s+[{UPPER}\d(\"“]|\s*$)|\n", re.MULTILINE)
_CLAUSE_END = re.compile(rf"[.!?](?=\s+[{UPPER}\d(\"“]|\s*$)|[;\n]", re.MULTILINE)


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

    def _bounds(self, pos: int, pattern: re.Pattern[str]) -> tuple[int, int]:
        par_start, par_end = self.paragraph(pos)
        start = par_start
        for match in pattern.finditer(self.text, par_start, pos):
            start = match.end()
        following = pattern.search(self.text, pos, par_end)
        end = following.end() if following and following.group() != "\n" else par_end
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._bounds(pos, _SENTENCE_END)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._bounds(pos, _CLAUSE_END)

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
