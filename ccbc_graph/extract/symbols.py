"""The number-and-symbol of a Vietnamese official document ("số, ký hiệu").

Shapes (Nghị định 30/2020/NĐ-CP, Appendix I-III; Luật Ban hành VBQPPL):

- administrative ``{number}/{type}-{issuer}``: ``164/KH-UBND``, ``225/QĐ-TTg``;
- normative, with the year: ``{number}/{year}/{type}-{issuer}``: ``61/2018/NĐ-CP``;
- laws and Assembly resolutions: ``{number}/{year}/QH{term}``, ``…/UBTVQH{term}``;
- party documents: ``{number}-{type}/{issuer}``: ``18-NQ/TW``, ``36-HD/VPTW``;
- letters (công văn), no type: ``{number}/{issuer}-{unit}``: ``2180/SGD&ĐT-KTKĐCLGD``.

Stray spaces ("259 /KH-UBND", "76/ NQ-CP", "225/QĐ - TTg"), the dashes a word
processor substitutes for the hyphen ("61/2018/NĐ–CP", en dash) and a hyphen left out
between a known type and a known issuer ("45/2020/NĐCP") are tolerated and normalised
away.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from ccbc_graph.reference import Issuer, issuers, type_by_abbreviation

# An abbreviation token: starts with a capital, may hold lower-case letters (TTg, CTr,
# QyĐ), digits (QH13) and "&" (KH&ĐT, SGD&ĐT).
_TOKEN = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# Hyphen, its Unicode look-alikes (U+2010-U+2014) and the minus sign: autocorrect turns
# " - " into an en dash.
DASH = r"[\-\u2010-\u2014\u2212]"
_SPACED_DASH = rf"\s?{DASH}\s?"
_CODE = rf"{_TOKEN}(?:{_SPACED_DASH}{_TOKEN})*"
_NUMBER = rf"(?<![\w/.])(?<!{DASH})(?P<number>\d{{1,5}}[a-zđ]?)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

SYMBOL_RE = re.compile(
    # party: 18-NQ/TW
    rf"{_NUMBER}{_SPACED_DASH}(?P<ptype>{_TOKEN})\s?/\s?(?P<pissuer>{_CODE})(?![\w&])"
    # state: 61/2018/NĐ-CP, 80/2015/QH13, 164/KH-UBND, 2180/SGD&ĐT-KTKĐCLGD
    rf"|{_NUMBER.replace('number', 'snumber')}\s?/\s?(?:{_YEAR}\s?/\s?)?(?P<code>{_CODE})(?![\w&])"
)

# A symbol whose number is left blank, as in an unsigned draft: "Số: /KH-STTTT".
BLANK_SYMBOL_RE = re.compile(rf"(?<![\w/])/\s?(?P<code>{_CODE})(?![\w&])")


@dataclass(frozen=True)
class Symbol:
    """A parsed symbol. ``text`` is the normalised form (no spaces)."""

    text: str
    number: str
    year: int | None
    type_abbr: str | None
    issuer_code: str
    party: bool

    @property
    def national(self) -> bool:
        """Whether the issuer is a national body (no province needed to identify it)."""
        head = self.issuer_code.split("-")[0]
        # "TW" (Trung ương) at either end names a central body: the party's "VPTW", the
        # Youth Union's "TWĐTN", the Farmers' Union's "HNDTW".
        if re.fullmatch(r"(?:UBTV)?QH\d*|TW\w*|\w*TW", head):
            return True
        issuer = _issuer_of(head)
        return bool(issuer and issuer.national)

    @property
    def issuer_known(self) -> bool:
        """Whether the reference knows the body the code names (else only the text's issuer
        phrase tells where the document comes from)."""
        head = self.issuer_code.split("-")[0]
        return self.national or _issuer_of(head) is not None

    @property
    def issuer_name(self) -> str | None:
        """The issuing body the code names, without province (``UBND`` -> ``Ủy ban nhân dân``)."""
        head = self.issuer_code.split("-")[0]
        if re.fullmatch(r"QH\d*", head):
            return "Quốc hội"
        if re.fullmatch(r"UBTVQH\d*", head):
            return "Ủy ban Thường vụ Quốc hội"
        issuer = _issuer_of(head)
        return issuer.name if issuer else None

    @property
    def joint_issuer_names(self) -> tuple[str, ...]:
        """Every issuer of a joint document, in the order of its code ("TTLT-BNV-BTC": Bộ Nội
        vụ, Bộ Tài chính); empty unless each part of the code is a national body's. (A
        letter's second part is its drafting unit, "BNV-CCHC", not a second issuer.)"""
        parts = [_issuer_of(part) for part in self.issuer_code.split("-")]
        if len(parts) < 2 or not all(issuer and issuer.national for issuer in parts):
            return ()
        return tuple(issuer.name for issuer in parts if issuer)


def _issuer_of(code: str) -> Issuer | None:
    """The issuer of a code, written with or without "&" ("SGD&ĐT", "SGDĐT")."""
    return issuers().get(code) or issuers().get(code.replace("&", ""))


def _squeeze(text: str) -> str:
    """The written code without blanks and with every dash a hyphen; each part written
    without its "Đ" gets it back (:func:`_with_stroke`)."""
    return "-".join(_with_stroke(part) for part in re.sub(DASH, "-", re.sub(r"\s+", "", text)).split("-"))


def _known_code(part: str) -> bool:
    return part in type_by_abbreviation() or _issuer_of(part) is not None


@cache
def _with_stroke(part: str) -> str:
    """A type or issuer code as copies stripped of their accents write it, "D" for "Đ"
    ("ND", "QD", "HDND"): the one known code it can be read as, else as written. A code
    known without "Đ" stays ("HD" is Hướng dẫn, "DA" Dự án)."""
    if "D" not in part or _known_code(part):
        return part
    pieces = part.split("D")
    readings = set()
    for strokes in itertools.product("DĐ", repeat=len(pieces) - 1):
        reading = pieces[0] + "".join(d + piece for d, piece in zip(strokes, pieces[1:], strict=True))
        if _known_code(reading):
            readings.add(reading)
    return readings.pop() if len(readings) == 1 else part


@cache
def _hyphen_dropped(code: str) -> str | None:
    """A type and an issuer code written together ("NĐCP", "QĐTTg", "QDUBND"): the one way
    to part it into a known type and a known issuer, hyphenated; else ``None``."""
    readings = {
        f"{head}-{issuer}"
        for cut in range(1, len(code))
        if (head := _with_stroke(code[:cut])) in type_by_abbreviation()
        and _issuer_of(issuer := _with_stroke(code[cut:])) is not None
    }
    return readings.pop() if len(readings) == 1 else None


def parse_match(match: re.Match[str]) -> Symbol | None:
    """Turn a :data:`SYMBOL_RE` match into a :class:`Symbol`, or ``None`` if it is not one."""
    types = type_by_abbreviation()
    if match.group("number") is not None:
        type_abbr = _with_stroke(match.group("ptype"))
        if type_abbr not in types:
            return None
        issuer = _squeeze(match.group("pissuer"))
        number = match.group("number")
        return Symbol(f"{number}-{type_abbr}/{issuer}", number, None, type_abbr, issuer, True)
    number = match.group("snumber")
    year = int(match.group("year")) if match.group("year") else None
    code = _squeeze(match.group("code"))
    if "-" not in code and code not in types and _issuer_of(code) is None:
        code = _hyphen_dropped(code) or code
    head, _, rest = code.partition("-")
    if rest and head in types:
        type_abbr, issuer = head, rest
    elif re.fullmatch(r"(?:UBTV)?QH\d+", code) and year:
        type_abbr, issuer = None, code
    elif rest or head in issuers():
        # A letter (công văn) carries no type: issuer, then the drafting unit.
        type_abbr, issuer = None, code
    else:
        return None
    text = f"{number}/{year}/{code}" if year else f"{number}/{code}"
    return Symbol(text, number, year, type_abbr, issuer, False)


def parse_symbol(text: str) -> Symbol | None:
    """Parse a whole symbol string such as ``"61/2018/NĐ-CP"`` or ``"259 /KH-UBND"``."""
    match = SYMBOL_RE.fullmatch(text.strip())
    return parse_match(match) if match else None


def find_symbols(text: str) -> list[tuple[re.Match[str], Symbol]]:
    """Every symbol in ``text`` with its match (offsets into ``text``)."""
    found = []
    for match in SYMBOL_RE.finditer(text):
        symbol = parse_match(match)
        if symbol:
            found.append((match, symbol))
    return found
