"""A Vietnamese spaCy pipeline for official documents, without pyvi.

``spacy.blank("vi")`` wants pyvi by default (slow, and it cuts ``30c/NQ-CP`` into five
tokens); with ``use_pyvi: False`` it splits on spaces only and leaves punctuation glued
("phủ;"). Official documents need neither: syllables are space-separated already, so a
rule tokenizer is enough as long as it keeps document symbols (``30c/NQ-CP``,
``18-NQ/TW``), dates and abbreviations (``UBND``, ``TT&TT``, ``PT-TH``, ``SGD&ĐT``)
whole and splits punctuation off words. Every token's ``NORM`` is its modern-tone,
lower-case form, so matchers that compare ``NORM`` see "Uỷ"/"Ủy" and "hoá"/"hóa" as one.
"""

from __future__ import annotations

import re

import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from ccbc_graph.extract.issuers import UPPER
from ccbc_graph.textnorm import modern_tones

# Opening punctuation and bullets split off the front of a word, closing punctuation
# (and the slash of the closing mark "./.") off its end, hyphens or slashes between
# words ("điện-Văn", "Cổng/Trang") apart, and the dot of an abbreviation written close
# to the next word ("TP.Rạch Giá", "TT.HĐND") off both.
_PREFIX = re.compile(r"""^[\[({"'“‘«\-–—•*+/]""")
_SUFFIX = re.compile(r"""[\])}"'”’»,;:.!?…\-–—/]$""")
_INFIX = re.compile(rf"""(?<=\w)[-–—/](?=\w)|[,;:](?=\w)|…|(?<=[{UPPER}]{{2}})\.(?=[^\W\d_])""")

# A chunk kept whole: letters and digits joined by & / . - where the chunk holds a digit
# (symbols, dates, amounts) or an ampersand (KH&CN), or is all capitals (PT-TH, HĐND-UBND)
# joined by more than dots: capitals joined by dots alone are abbreviations written close
# ("TP.HCM", "TT.HĐND").
_JOINED = re.compile(r"\w+(?:[&/.\-]\w+)+")
_CAPS = re.compile(rf"[{UPPER}0-9&/.\-]+")
_DOTTED = re.compile(rf"[{UPPER}]+(?:\.[{UPPER}]+)+")
_DASHES = str.maketrans({"–": "-", "—": "-"})


def kept_whole(chunk: str) -> bool:
    """Whether the tokenizer keeps ``chunk`` (a word between spaces) as one token."""
    if not _JOINED.fullmatch(chunk):
        return False
    if any(c.isdigit() for c in chunk) or "&" in chunk:
        return True
    return bool(_CAPS.fullmatch(chunk)) and not _DOTTED.fullmatch(chunk)


def norm(word: str) -> str:
    """The matching form of one token: modern tones, lower case, one kind of dash;
    a lone "&" reads as "và"."""
    if word == "&":
        return "và"
    return modern_tones(word).lower().translate(_DASHES)


def _tokenizer(nlp: Language) -> Tokenizer:
    return Tokenizer(
        nlp.vocab,
        prefix_search=_PREFIX.search,
        suffix_search=_SUFFIX.search,
        infix_finditer=_INFIX.finditer,
        token_match=kept_whole,
    )


def blank_vietnamese() -> Language:
    """A blank Vietnamese pipeline: rule tokenizer, folded ``NORM``, no pyvi, no length cap.

    Callers add their components and keep the result (building one takes a moment).
    """
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.vocab.lex_attr_getters[NORM] = norm
    nlp.tokenizer = _tokenizer(nlp)
    nlp.max_length = 10**9
    return nlp
