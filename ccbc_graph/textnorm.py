"""Vietnamese text normalisation that never loses the way back to the original.

Sources mix precomposed and decomposed Unicode, old and new tone placement
("hoá"/"hóa", "Uỷ"/"Ủy", "Qúy"/"Quý") and leftover Markdown or HTML emphasis that can
cut a reference in two ("**30c/NQ-CP**", "\\-"). :func:`clean` builds the text the
extractor reads together with an offset map to the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ccbc_graph.model import Span
from ccbc_graph.reflow import hard_wrap_edits
from ccbc_graph.table_text import Edit, table_edits

# Old-style tone placement on the first vowel of "oa", "oe", "uy" in an open syllable
# (no final consonant) moves to the second vowel in the modern style, and "qúy" (tone
# on the u of "qu") becomes "quý". Only open syllables change: "hoàn" is the same in
# both styles.
_TONED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
    "o": "òóỏõọ",
    "u": "ùúủũụ",
}
# The lookahead lets the engine skip at once the places no alternative can start at: four
# times faster over a whole text.
_OLD_TONE = re.compile(
    r"(?=[oOuUqQ])(?:(?<![qQ])([oO])([àáảãạèéẻẽẹ])(?![^\W\d_])|(?<![qQ])([uU])([ỳýỷỹỵ])(?![^\W\d_])|([qQ])([ùúủũụ])([yY])(?![^\W\d_]))",
    re.IGNORECASE,
)


def _move_tone(match: re.Match[str]) -> str:
    if match.group(5):
        q, toned_u, y = match.group(5), match.group(6), match.group(7)
        tone = _TONED["u"].index(toned_u.lower())
        return q + _same_case("u", toned_u) + _same_case(_TONED["y"][tone], y)
    first, second = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    low = second.lower()
    base = "a" if low in _TONED["a"] else "e" if low in _TONED["e"] else "y"
    tone = _TONED[base].index(low)
    return _same_case(_TONED[first.lower()][tone], first) + _same_case(base, second)


def _same_case(letter: str, model: str) -> str:
    return letter.upper() if model.isupper() else letter


# Letters drawn like Đ/đ that Vietnamese texts carry in their place: the eth of Latin-1
# code pages and fonts (Ð U+00D0, ð U+00F0) and the African D (Ɖ U+0189, ɖ U+0256).
# "61/2018/NÐ-CP" written with an eth is the decree 61/2018/NĐ-CP.
_D_LOOKALIKES = str.maketrans("\u00d0\u00f0\u0189\u0256", "ĐđĐđ")
# Looked for first: str.translate walks a whole text through a dict, a search does not.
_D_LOOKALIKE = re.compile("[\u00d0\u00f0\u0189\u0256]")


def _with_d(text: str) -> str:
    return text.translate(_D_LOOKALIKES) if _D_LOOKALIKE.search(text) else text


def vietnamese_nfc(text: str) -> str:
    """NFC text with Đ for its look-alikes: the form every text of the graph has."""
    return _with_d(unicodedata.normalize("NFC", text))


def modern_tones(text: str) -> str:
    """NFC text with tone marks placed in the modern style ("hoá" -> "hóa", "Uỷ" -> "Ủy")
    and Đ for its look-alikes."""
    return _OLD_TONE.sub(_move_tone, vietnamese_nfc(text))


def fold(text: str) -> str:
    """A key for matching: NFC, modern tones, lower case, single spaces."""
    return " ".join(modern_tones(text).lower().split())


_ASCII_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
# The combining diacritics of the Latin, Greek and Cyrillic scripts, which NFD splits off
# their letters and NFC composes onto them.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A regular expression: ten times faster than testing each character.
_COMBINING_MARKS = re.compile(f"[{_COMBINING}]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str) -> str:
    """An ASCII identifier part: "Nghị quyết 30c/NQ-CP" -> "nghi-quyet-30c-nq-cp"."""
    plain = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.translate(_ASCII_EXTRA)))
    return _NOT_SLUG.sub("-", plain.lower()).strip("-")


@dataclass(frozen=True)
class CleanText:
    """Text ready for extraction, with each character's origin in the source.

    ``starts[i]``/``ends[i]`` are the original offsets of the source characters that
    produced clean character ``i``.
    """

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def to_original(self, start: int, end: int) -> Span:
        """Map a clean-text range to the original range that produced it."""
        if start >= len(self.text):
            return Span(len(self.original), len(self.original))
        if end <= start:
            return Span(self.starts[start], self.starts[start])
        return Span(self.starts[start], self.ends[end - 1])


# Markup left by Word/HTML to Markdown converters: emphasis, heading marks, inline HTML
# tags, Word bookmarks, backslash escapes; and the invisible characters word processors
# leave inside words (soft hyphen, zero-width spaces and joiners, a stray byte-order
# mark), which would cut "30c/NQ-CP" in two. Removed (a <br> in Markdown becomes a line
# break), so offsets stay exact.
_MARKUP = re.compile(
    r"[\u00ad\u200b-\u200d\u2060\ufeff]+"
    r"|\[bookmark:[^\]]*\]"
    r"|</?(?:b|i|u|em|strong|span|sup|sub|br|p|div|font)\b[^>]*>"
    r"|^[ \t]{0,3}#{1,6}(?=[ \t])"
    r"|\*+"
    r"|(?<![\w])__+|__+(?![\w])"
    r"|\\(?=[\\`*_{}\[\]()#+\-.!<>|~])",
    re.MULTILINE | re.IGNORECASE,
)


# A line break tag: in Markdown, where converters write one for a break inside a paragraph
# or a table cell, it is the line break it stands for.
_BREAK = re.compile(r"</?br\b[^>]*>", re.IGNORECASE)

# Two lines of one Markdown paragraph. Converters wrap paragraphs at a width (pandoc at 72
# columns), and the break between the lines is a space, not the end of a line: left in,
# "Sở Văn hóa, Thể thao và Du lịch xây" / "dựng kế hoạch" reads as two facts.
_NEXT_LINE = re.compile(r"\n(?=[^\n]*\S)")
# A line that opens a block of its own rather than going on with the line above: a list
# item, heading, quote, HTML, table or code fence, a line of a Word export's table (tab),
# and the numbered and lettered items and Roman-numbered parts of a Vietnamese plan.
_OPENS_BLOCK = re.compile(
    r"[ ]{0,3}(?:[#>|<+=•–~`]|[-*+](?:[ \t]|$)|-{3}|\d{1,3}[.)](?:[ \t]|$)|[a-zđ][.)][ \t]|[IVXLC]+\.[ \t])"
)
# A line that closes its sentence or clause (a closing quote, bracket or emphasis may follow).
_CLOSES_CLAUSE = re.compile(r"[.:;!?][\"”’)\]*_]*$")
# How long a line must be to be taken for wrapped when the next one opens with a capital:
# wrapped lines run close to the width, a title or a signer's line is short.
_WRAPPED_LENGTH = 50

# A base character followed by combining marks: the only place where NFC changes text.
_CLUSTER = re.compile(f"[^{_COMBINING}][{_COMBINING}]+", re.DOTALL)


def clean(original: str, *, markdown: bool = False) -> CleanText:
    """NFC-compose, put Đ for its look-alikes and strip markup, keeping a character-exact
    map to ``original``.

    A ``markdown`` source also has its pipe and HTML tables written as a Word export
    writes tables (:mod:`ccbc_graph.table_text`), which the header, signature and
    task-table readers read, ``<br>`` as a line break, and the break between two lines of
    one paragraph as a space. Another source hard-wrapped at a page's width (text out of
    a PDF) has its paragraphs' lines joined and its page numbers taken out
    (:mod:`ccbc_graph.reflow`). A tab or line break put in stands for the characters it
    replaces (a pipe, a tag, a ``<br>``), or for the character next to it.
    """
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def keep(a: int, b: int) -> None:
        pieces.append(original[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    def put(text: str, a: int, b: int) -> None:
        pieces.append(text)
        starts.extend([a] * len(text))
        ends.extend([b] * len(text))

    pos = 0
    for start, end, new in [*_edits(original, markdown), (len(original), len(original), "")]:
        for cluster in _CLUSTER.finditer(original, pos, start):
            keep(pos, cluster.start())
            put(unicodedata.normalize("NFC", cluster.group()), cluster.start(), cluster.end())
            pos = cluster.end()
        keep(pos, start)
        if new:
            a = min(start, len(original) - 1)
            put(new, a, max(end, a + 1))
        pos = end
    return CleanText(original, _with_d("".join(pieces)), starts, ends)


def _edits(original: str, markdown: bool) -> list[Edit]:
    """What :func:`clean` replaces, in order: markup by nothing and, in Markdown, ``<br>``
    by a line break, a paragraph's inner line breaks by spaces and the tables' cell edges
    by tabs and line breaks; in other text, a hard-wrapped text's wraps by spaces and its
    page numbers by nothing. An edit that another already covers is left to that one: a
    ``<br>`` in a table's cell to the table, a break inside a tag to the tag."""
    markup = [
        (m.start(), m.end(), "\n" if markdown and _BREAK.fullmatch(m.group()) else "")
        for m in _MARKUP.finditer(original)
    ]
    if not markdown:
        wraps = hard_wrap_edits(original)
        return sorted([*markup, *_outside(wraps, markup)]) if wraps else markup
    markup = sorted([*markup, *_outside(_paragraph_line_edits(original), markup)])
    tables = table_edits(original)
    return sorted([*tables, *_outside(markup, tables)]) if tables else markup


def _outside(edits: list[Edit], covering: list[Edit]) -> list[Edit]:
    """The ``edits`` that overlap none of ``covering`` (edits in order, none overlapping)."""
    starts = [start for start, _, _ in covering]

    def covered(start: int, end: int) -> bool:
        before = bisect_left(starts, end)  # the covering edits that start before ``end``
        return before > 0 and covering[before - 1][1] > start

    return [edit for edit in edits if not covered(edit[0], edit[1])]


def _paragraph_line_edits(original: str) -> list[Edit]:
    """The breaks inside Markdown paragraphs, as a space; a hard break's backslash, gone.

    A break is a paragraph's own when neither line is a table's or opens a block, the
    upper one neither ends in a hard break (two spaces, a backslash) nor closes a clause,
    and the lower one opens in lower case or the upper one is as long as a wrapped line.
    A text of one line per paragraph (the demo plans) has no such break to join.
    """
    edits: list[Edit] = []
    for newline in _NEXT_LINE.finditer(original):
        at = newline.start()
        line_start = original.rfind("\n", 0, at) + 1
        upper = original[line_start:at]
        if not upper.strip():
            continue
        if upper.endswith("\\"):
            edits.append((at - 1, at, ""))
            continue
        lower_end = original.find("\n", at + 1)
        lower = original[at + 1 : len(original) if lower_end < 0 else lower_end]
        if (
            upper.endswith("  ")
            or "\t" in upper + lower
            or "|" in upper + lower
            or upper.lstrip(" ")[0] in "#<+=`~"
            or _OPENS_BLOCK.match(lower)
            or _CLOSES_CLAUSE.search(upper.rstrip())
        ):
            continue
        if lower.lstrip()[:1].islower() or len(upper.strip()) >= _WRAPPED_LENGTH:
            edits.append((at, at + 1, " "))
    return edits


@lru_cache(maxsize=4)
def matching_view(text: str) -> str:
    """Lower-case, modern-tone copy of NFC ``text`` with the same length, for searching.

    Offsets found in the view are offsets in ``text``. The last few are kept: the
    extractors of one plan each ask for the view of its text.
    """
    view = modern_tones(text).lower()
    if len(view) == len(text):
        return view
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in modern_tones(text))
