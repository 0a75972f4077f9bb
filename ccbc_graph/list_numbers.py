"""How lists count their items in letters and Roman numerals, and show symbol-font bullets
(Word's and OpenDocument's numbering, HTML's ordered lists): one spelling for the readers."""

from __future__ import annotations

import re

# A symbol font's bullet glyphs sit in Unicode's private use area (Symbol's U+F0B7): a
# bullet drawn in one is shown as "•".
SYMBOL_GLYPH = re.compile("[\uf000-\uf0ff]")

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
_ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Past ten rounds of the alphabet a count is written in digits: a damaged start value must
# not ask for a label of a million letters.
_LETTER_ROUNDS = 10


def letters(value: int) -> str:
    """a … z, then aa … zz, aaa … (lower case); the number itself outside 1 … 260."""
    if not 0 < value <= 26 * _LETTER_ROUNDS:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def roman(value: int) -> str:
    """The Roman numeral (lower case); the number itself outside 1 … 3999."""
    if not 0 < value < 4000:
        return str(value)
    written = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        written.append(numeral * count)
    return "".join(written)


def list_number(value: int, kind: str) -> str:
    """``value`` as a list of ``kind`` counts: "1" digits, "a"/"A" letters, "i"/"I" Roman
    numerals (HTML's ``type`` and OpenDocument's ``style:num-format`` alike); digits for
    any other kind."""
    if kind in ("a", "A"):
        return letters(value).upper() if kind == "A" else letters(value)
    if kind in ("i", "I"):
        return roman(value).upper() if kind == "I" else roman(value)
    return str(value)
