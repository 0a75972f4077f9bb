"""Reading an issuing body from the phrase that follows a reference.

"… của Chính phủ", "… của UBND tỉnh", "… của Bộ TT&TT", "…, Hội nghị lần thứ sáu Ban
Chấp hành Trung ương Đảng khóa XII": the phrase names the issuer, often abbreviated
and often without the province, which then is the citing plan's own.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from ccbc_graph.reference import DATA_DIR, issuer_list, province_by_name
from ccbc_graph.textnorm import fold

UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
PROVINCIAL = "tỉnh"
DISTRICT = "huyện"
COMMUNE = "xã"


@dataclass(frozen=True)
class LocalUnit:
    """A unit below the province, by its level word (as ``admin_levels.csv`` spells it in
    full) and its own name: ("huyện", "Xuân Trường"), ("quận", "3"). A plan it issues
    names its own bodies without its name ("Phòng Nội vụ", "UBND huyện").

    ``districts_ended``: the unit is a commune and its plan dates from after the district
    level ended (the ``until`` of its tier in ``admin_levels.csv``, 30 June 2025): the
    commune, now right under the province, has offices that were the district's
    ("Phòng Kinh tế")."""

    word: str
    name: str
    districts_ended: bool = False

    @property
    def label(self) -> str:
        return f"{self.word} {self.name}"

    def as_of(self, day: date | None, year: int | None) -> LocalUnit:
        """The unit as its plan of this date (or only year) finds it."""
        ended = _tier_ends().get(DISTRICT)
        if ended is None or _tiers().get(self.word) != COMMUNE:
            return self
        after = day > ended if day else year is not None and year > ended.year
        return replace(self, districts_ended=True) if after else self


@dataclass(frozen=True)
class IssuerMatch:
    """An issuer phrase found at a position: where it ends, and whom it names."""

    end: int
    name: str
    province: str | None
    national: bool
    # The body a symbol's issuer code names ("Ủy ban nhân dân" for UBND, "Tỉnh ủy" for TU),
    # whoever acts for it: a decision of the Chairman still carries "QĐ-UBND".
    body: str | None = None
    # The unit below the province whose body it is ("UBND huyện Kỳ Anh", "Huyện ủy Kỳ Anh").
    unit: LocalUnit | None = None


def _lexicon_rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / "lexicon" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _tiers() -> dict[str, str]:
    """Level word in full -> its tier ("phường" -> "xã")."""
    return {r["word"]: r["tier"] for r in _lexicon_rows("admin_levels.csv")}


@cache
def _tier_ends() -> dict[str, date]:
    """Tier -> the last day it existed, for a tier that ended."""
    return {r["tier"]: date.fromisoformat(r["until"]) for r in _lexicon_rows("admin_levels.csv") if r["until"]}


@cache
def level_prefixes() -> dict[str, str]:
    """Level word -> the syllable standing for it at the head of a compound name
    (``admin_levels.csv``): "Tỉnh" in "Tỉnh ủy", "Thành" in "Thành ủy", "Huyện" in "Huyện ủy"."""
    return {r["word"]: r["prefix"] for r in _lexicon_rows("admin_levels.csv") if r["prefix"]}


def named_for(name: str, kind: str) -> str:
    """``name`` as a unit of ``kind`` calls the body: a city's "Tỉnh ủy" is its "Thành ủy".
    The prefix is the capitalised word; the level word closing a form is lower case."""
    own, prefix = level_prefixes()[PROVINCIAL], level_prefixes()[kind]
    return " ".join(prefix if word == own else word for word in name.split(" "))


@cache
def abbreviations() -> dict[str, str]:
    """Folded expansion -> the abbreviations written for it (``ủy ban nhân dân`` -> [ubnd])."""
    table: dict[str, list[str]] = {}
    for row in _lexicon_rows("abbreviations.csv"):
        table.setdefault(fold(row["expansion"]), []).append(fold(row["abbreviation"]))
    return {k: "|".join(re.escape(a) for a in v) for k, v in table.items()}


def spelled(name: str) -> str:
    """A regex (over folded text) for ``name`` written in full or with its abbreviations."""
    pattern = re.escape(fold(name))
    for expansion, abbrs in sorted(abbreviations().items(), key=lambda kv: -len(kv[0])):
        escaped = re.escape(expansion)
        if escaped in pattern and len(expansion) > 3:
            pattern = pattern.replace(escaped, f"(?:{escaped}|{abbrs})")
    return pattern.replace(r"\ ", r"\s+").replace(r"\-", r"\s?-\s?")


@cache
def _national_patterns() -> list[tuple[re.Pattern[str], str]]:
    names = {i.name for i in issuer_list() if i.national}
    names |= {f"Bộ {r['sector']}" for r in _lexicon_rows("sectors.csv") if r["ministry"] == "true"}
    patterns = [(re.compile(spelled(n) + r"(?![\w&])"), n) for n in names]
    # Longer names first: "Thủ tướng Chính phủ" before "Chính phủ".
    patterns.sort(key=lambda p: -len(p[1]))
    party = (
        r"(?:hội nghị (?:lần thứ \w+ )?)?ban chấp hành trung ương(?: đảng)?"
        r"(?:,? khóa [ivxlc]+)?(?![\w&])"
    )
    patterns.insert(0, (re.compile(party), "Ban Chấp hành Trung ương Đảng"))
    patterns.append((re.compile(r"thủ tướng(?![\w&])"), "Thủ tướng Chính phủ"))
    return patterns


_LEVELS = r"(?P<level>tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?|xã|phường|thị trấn)"
_LEVEL_AT = re.compile(rf"\s*{_LEVELS}(?![\w&])")


@cache
def _committee_levels() -> dict[str, str]:
    """Folded prefix -> the level of the unit whose party committee it names: "thành"
    (ủy) -> "thành phố", "thị" (ủy) -> "thị xã"."""
    return {fold(prefix): word for word, prefix in level_prefixes().items()}


@cache
def _local_pattern() -> re.Pattern[str]:
    """Local issuers: group ``b{i}`` matches the i-th of :func:`_body_names`; group
    ``party`` a party committee ("Tỉnh ủy", "Ban Thường vụ Huyện ủy")."""
    alternatives = "|".join(f"(?P<b{i}>{spelled(b)})" for i, b in enumerate(_body_names()))
    committees = "|".join(map(re.escape, _committee_levels()))
    organs = "|".join(f"(?P<o{i}>{spelled(organ)})" for i, organ in enumerate(_party_organs()))
    party = rf"(?P<party>(?:(?P<organ>{organs})\s+)?(?P<committee>{committees})\s+ủy)"
    return re.compile(rf"(?:{alternatives}|{party})(?:\s+{_LEVELS})?(?![\w&])")


# A name's words are spaced, not tabbed: a tab ends a table's cell.
_NUMBER_NAME = re.compile(r" +(\d{1,2})(?![\w/])")
_NAME_WORD = re.compile(rf" +([{UPPER}][^\s,;.:()“”\"]*)")
_LEVEL_WORD = {"tp": "thành phố", "tp.": "thành phố", "tx": "thị xã", "tx.": "thị xã"}


@cache
def _province_names() -> tuple[str, ...]:
    """Folded province names, longest first: the order :func:`_province_at` tries them in."""
    return tuple(sorted(province_by_name(), key=len, reverse=True))


def _written_whole(name: str) -> str:
    """A regex for a folded name with any blanks between its words, spaced or not around
    a hyphen ("bà rịa - vũng tàu", "bà rịa-vũng tàu")."""
    return r"[ \t]*-[ \t]*".join(r"[ \t]+".join(map(re.escape, part.split())) for part in name.split("-"))


@cache
def _province_at() -> re.Pattern[str]:
    """A province's name, written whole, over the matching view; group ``p{i}`` is the
    i-th of :func:`_province_names`. The name is the reference data's, so a hyphen inside
    it ("TỈNH BÀ RỊA - VŨNG TÀU") does not end it as it ends a run of capitalised words."""
    alternatives = "|".join(f"(?P<p{i}>{_written_whole(n)})" for i, n in enumerate(_province_names()))
    return re.compile(rf"[ \t]+(?:{alternatives})(?![\w&])")


def _proper_name(text: str, view: str, pos: int) -> tuple[str, int]:
    """The capitalised name from ``pos``: a province's whole name, else capitalised words
    ("Kỳ Anh"), at most four. A province's name ends there: a header reads "UBND TỈNH HÀ
    NAM SỞ …". It is spelled as the reference data spells it, another name a province has
    gone by kept as written ("thành phố Huế" is no "thành phố Thừa Thiên Huế")."""
    province = _province_at().match(view, pos)
    if province and province.lastgroup and text[province.start(province.lastgroup)].isupper():
        name = _province_names()[int(province.lastgroup[1:])]
        unit = province_by_name()[name]
        return next(n for n in (unit.name, *unit.other_names) if fold(n) == name), province.end()
    words: list[tuple[str, int]] = []
    end = pos
    while len(words) < 4:
        match = _NAME_WORD.match(text, end)
        if not match:
            break
        end = match.end()
        words.append((match.group(1), end))
    name = " ".join(w for w, _ in words)
    return (name.title() if name.isupper() else name), (words[-1][1] if words else pos)


def in_province(body: str, province: str | None) -> str:
    """A provincial body named with its province, as a unit of that kind calls it: the
    "Tỉnh ủy" of Hà Nội is the "Thành ủy thành phố Hà Nội"."""
    if not province:
        return body
    unit = province_by_name().get(fold(province))
    kind = unit.kind if unit else PROVINCIAL
    return f"{named_for(body, kind)} {kind} {province}"


def below_province(issuer: IssuerMatch, province: str) -> str:
    """The name of a unit's body below the province, with the province as the body lists
    name it: "Ủy ban nhân dân huyện Kỳ Anh, tỉnh Hà Tĩnh". A party committee keeps its
    own name ("Huyện ủy Kỳ Anh"), as the citations of its documents write it."""
    if issuer.body in {f"{prefix} ủy" for prefix in level_prefixes().values()}:
        return issuer.name
    unit = province_by_name().get(fold(province))
    return f"{issuer.name}, {unit.kind if unit else PROVINCIAL} {province}"


def named_province(text: str, view: str, pos: int) -> tuple[str, int] | None:
    """A province named with its level word at ``pos`` ("TỈNH HÀ TĨNH", "THÀNH PHỐ HÀ
    NỘI"), and where it ends: a party header names the province's party organisation
    ("ĐẢNG BỘ TỈNH HÀ TĨNH") above the committee that issues ("HUYỆN ỦY KỲ ANH")."""
    level = _LEVEL_AT.match(view, pos)
    if not level:
        return None
    name, end = _proper_name(text, view, level.end())
    unit = province_by_name().get(fold(name)) if name else None
    return (unit.name, end) if unit else None


# A head of body signs for it: a minister's decision is the ministry's document, while
# the Chairman of a People's Committee is an issuing authority of his own, as is the
# party's body inside a state body ("Ban Cán sự đảng UBND tỉnh").
_HEAD_OF_BODY = re.compile(
    r"(?P<head>bộ trưởng|thủ trưởng|chủ tịch|ban cán sự đảng|đảng đoàn)\s+(?=bộ |ủy ban|ubnd|hội đồng|hđnd)"
)
_HEADS_OF_THEIR_OWN = {"chủ tịch": "Chủ tịch", "ban cán sự đảng": "Ban Cán sự đảng", "đảng đoàn": "Đảng đoàn"}


def read_issuer(text: str, view: str, pos: int, plan_province: str | None) -> IssuerMatch | None:
    """The issuer named at ``pos`` of ``text`` (``view`` is its matching view), if any."""
    start = pos + len(view[pos:]) - len(view[pos:].lstrip())
    head = _HEAD_OF_BODY.match(view, start)
    if head:
        body = read_issuer(text, view, head.end(), plan_province)
        own = _HEADS_OF_THEIR_OWN.get(head.group("head"))
        if body and own:
            return replace(body, name=f"{own} {body.name}")
        return body
    for pattern, name in _national_patterns():
        match = pattern.match(view, start)
        if match:
            return IssuerMatch(match.end(), name, None, True, name)
    match = _local_pattern().match(view, start)
    if not match:
        return None
    if match.group("party"):
        return _party_committee(text, view, match, plan_province)
    body_group = next(k for k, v in match.groupdict().items() if v and k not in ("level",))
    body = _canonical_local_body(body_group)
    level = match.group("level")
    name, end = _proper_name(text, view, match.end())
    named_unit = province_by_name().get(fold(name)) if name else None
    level_word = _LEVEL_WORD.get(level, level) if level else None
    if named_unit and level_word not in (None, PROVINCIAL, named_unit.kind):
        # "thành phố Hà Tĩnh" is the city of that name inside the province, below it, as
        # "thành phố Hải Phòng" (a city that is itself a province) is not.
        own = LocalUnit(level_word, name)
        return IssuerMatch(end, f"{body} {level_word} {name}", named_unit.name, False, body, own)
    if level_word in (None, PROVINCIAL) or named_unit:
        if name and not named_unit and level_word:
            # A named unit below the province (huyện Kỳ Anh): keep its own name.
            return IssuerMatch(end, f"{body} {level_word} {name}", plan_province, False, body)
        province = named_unit.name if named_unit else plan_province
        return IssuerMatch(end if name else match.end(), in_province(body, province), province, False, body)
    plan_unit = province_by_name().get(fold(plan_province)) if plan_province else None
    if not name and plan_unit and level_word == plan_unit.kind:
        # "HĐND thành phố" in a plan of Hải Phòng: the city that is the plan's province.
        return IssuerMatch(match.end(), in_province(body, plan_unit.name), plan_unit.name, False, body)
    number = None if name else _NUMBER_NAME.match(text, match.end())
    if number:  # a unit named by its number: "QUẬN 3", "Phường 12"
        name, end = number.group(1), number.end()
    own = LocalUnit(level_word, name) if name else None
    unit = f"{body} {level_word}" + (f" {name}" if name else "")
    return IssuerMatch(end if name else match.end(), unit, plan_province, False, body, own)


def _party_committee(text: str, view: str, match: re.Match[str], plan_province: str | None) -> IssuerMatch:
    """A party committee, its prefix naming the level of its unit ("Huyện ủy": a huyện's).
    A province's committee, or a centrally-run city's ("Thành ủy Hà Nội", "Thành ủy" in
    Hà Nội's plan), is the provincial body, named with its province; a lower one ("Thành
    ủy Rạch Giá", a city inside a province; "Huyện ủy Kỳ Anh") keeps its own name, as
    "Ủy ban nhân dân huyện Kỳ Anh" does. Its documents all carry the code of the
    committee, not of its standing committee ("Ban Thường vụ Tỉnh ủy": …-CT/TU)."""
    organ = next((k for k, v in match.groupdict().items() if v and re.fullmatch(r"o\d+", k)), None)
    standing = f"{_party_organs()[int(organ[1:])]} " if organ else ""
    level = _committee_levels()[match.group("committee")]
    name, end = _proper_name(text, view, match.end())
    named = province_by_name().get(fold(name)) if name else None
    unit = named or (province_by_name().get(fold(plan_province)) if plan_province and not name else None)
    if level == PROVINCIAL or (unit and unit.kind == level):
        province = named.name if named else plan_province
        committee = f"{level_prefixes()[PROVINCIAL]} ủy"
        return IssuerMatch(end, in_province(standing + committee, province), province, False, committee)
    committee = f"{level_prefixes()[level]} ủy"
    own = f"{standing}{committee} {name}" if name else standing + committee
    unit = LocalUnit(level, name) if name else None
    return IssuerMatch(end, own, named.name if named else plan_province, False, committee, unit)


@cache
def _party_organs() -> list[str]:
    """The organs of a party committee that issue documents ("Ban Thường vụ", "Ban Tuyên
    giáo" Tỉnh ủy), longest first."""
    return sorted((r["organ"] for r in _lexicon_rows("party_organs.csv")), key=len, reverse=True)


@cache
def _body_names() -> list[str]:
    """Local issuing bodies: councils and committees (longest first), then departments."""
    bodies = ["Thường trực Hội đồng nhân dân", "Ủy ban nhân dân", "Hội đồng nhân dân"]
    return bodies + [f"Sở {r['sector']}" for r in _lexicon_rows("sectors.csv") if r["department"] == "true"]


def _canonical_local_body(group: str) -> str:
    return _body_names()[int(group[1:])]
