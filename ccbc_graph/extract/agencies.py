"""The bodies a plan names, each with its canonical identity, and the duties it hands out.

A spaCy ``SpanRuler`` fed from ``data/lexicon`` finds the heads of body names (matching
folded ``NORM`` so old tones and decomposed Unicode match too); a small grammar of
official documents then completes each head from the words after it:

- a level ("UBND tỉnh", "UBND các huyện, thành phố, thị xã", "UBND cấp huyện, cấp xã")
  or a province ("Đài PT&TH Hà Nam"); a group of lower-level bodies is a collective
  body named by its level ("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh");
- a proper name after "Báo"/"Tạp chí" (a newspaper keeps its own name);
- a parent after a unit head ("Chi cục … - Sở KH và CN", "Vụ CCHC - Bộ Nội vụ"); a bare
  "Sở" ("Văn phòng Sở") is the Sở that issued the plan;
- the items of a distributive list ("Các Sở: Nội vụ, Tư pháp" names two bodies).

A provincial body carries its province ("Sở Nội vụ tỉnh Kiên Giang"); national bodies
carry none. A plan of a unit below the province (its issuer's :class:`LocalUnit`) names
that unit's own bodies without its name: there "Phòng Nội vụ" and a lone "UBND huyện" are
the unit's ("Phòng Nội vụ huyện Xuân Trường, tỉnh Nam Định"), while a plural or a level
("UBND các xã", "UBND cấp xã") is still a group.

:func:`find_responsibilities` reads the "Tổ chức thực hiện" section: each item that opens
with bodies, its duty text, and the bodies it is to work with.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from ccbc_graph.extract.issuers import DISTRICT, PROVINCIAL, UPPER, IssuerMatch, LocalUnit, level_prefixes, named_for
from ccbc_graph.extract.metadata import SIGNATURE_PREFIX, positions
from ccbc_graph.extract.text import BLANKS, PlanText
from ccbc_graph.model import AgencyMention, Responsibility, Span
from ccbc_graph.reference import DATA_DIR, Province, province_by_name, provinces, sector_initials
from ccbc_graph.textnorm import CleanText, clean, fold, modern_tones

if TYPE_CHECKING:  # spaCy is loaded when a text is first read, not when the lexicon is
    from spacy.language import Language
    from spacy.tokens import Doc

SPANS_KEY = "bodies"
NATIONAL = "trung ương"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class BodyEntry:
    """A lexicon row: a canonical name or head, its written forms, and how a mention of
    it is completed (``scope``: national, provincial, leveled, press, unit, list,
    collective)."""

    name: str
    forms: tuple[str, ...]
    kind: str
    level: str
    scope: str
    not_before: tuple[str, ...] = ()


# --------------------------------------------------------------------------- lexicon


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / "lexicon" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _forms(row: dict[str, str], default: str) -> tuple[str, ...]:
    return tuple(row["patterns"].split("|")) if row.get("patterns") else (default,)


@cache
def body_entries() -> tuple[BodyEntry, ...]:
    """Every body the lexicon knows: named bodies, heads, sector bodies, groups."""
    entries = [
        BodyEntry(r["name"], _named_forms(r), r["kind"], r["level"], r["scope"], _split(r["not_before"]))
        for r in _rows("agency_names.csv")
    ]
    taken: set[str] = set()  # initials two sectors share (Nội vụ, Ngoại vụ: NV) stay the first one's
    for r in _rows("sectors.csv"):
        short = [form for form in _initials_forms(r["sector"]) if form not in taken]
        taken.update(short)
        if r["department"] == "true":
            name = f"Sở {r['sector']}"
            forms = (name, *(f"Sở {form}" for form in short))
            entries.append(BodyEntry(name, forms, "department", PROVINCIAL, "provincial", _split(r["not_before"])))
        if r["ministry"] == "true":
            name = f"Bộ {r['sector']}"
            forms = (name, *(f"Bộ {form}" for form in short))
            entries.append(BodyEntry(name, forms, "ministry", NATIONAL, "national", _split(r["not_before"])))
    entries += [
        BodyEntry(r["name"], _forms(r, r["name"]), r["kind"], r["level"], "collective")
        for r in _rows("collective_bodies.csv")
    ]
    return tuple(entries)


def _initials_forms(sector: str) -> list[str]:
    """A sector written in initials, its parts joined by nothing, "-", "&" or ",":
    "LĐTBXH", "LĐ-TBXH", "LĐTB&XH", "NN-PTNT", "VH,TT&DL", "NV" (after "Sở", "Bộ")."""
    parts = sector_initials(sector)
    forms = [parts[0]]
    for part in parts[1:]:
        forms = [f"{form}{joiner}{part}" for form in forms for joiner in ("", "-", "&", ",")]
    return [form for form in forms if len(form) >= 2]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split("|") if part)


@cache
def _province_kinds() -> frozenset[str]:
    """The kinds of province-level unit (``provinces.csv``): "tỉnh", "thành phố"."""
    return frozenset(p.kind for p in provinces())


@cache
def _prefixed_kinds() -> tuple[str, ...]:
    """The kinds of unit other than "tỉnh" whose prefix heads a compound name
    (``admin_levels.csv``): a centrally-run city's ("Thành ủy") and the district tier's
    ("Huyện ủy", "Quận ủy", "Thị ủy")."""
    return tuple(sorted(set(level_prefixes()) - {PROVINCIAL}))


@cache
def _city_level_words() -> tuple[str, ...]:
    """How ``admin_levels.csv`` writes the level word of a province-level unit other than
    "tỉnh": "thành phố", "tp"."""
    others = _province_kinds() - {PROVINCIAL}
    return tuple(r["written"] for r in _rows("admin_levels.csv") if r["word"] in others)


def _city_forms(form: str) -> list[str]:
    """``form`` closing on the level word "tỉnh" written with a centrally-run city's level
    word instead: "Công an thành phố", "cấp TP"."""
    if form != PROVINCIAL and not form.endswith(f" {PROVINCIAL}"):
        return []
    return [f"{form[: -len(PROVINCIAL)]}{word}" for word in _city_level_words()]


def _named_forms(row: dict[str, str]) -> tuple[str, ...]:
    """A named body's forms. A centrally-run city (a `thành phố` in ``provinces.csv``)
    names a provincial body with its own level word: a form closing on the level word
    "tỉnh" ("Công an tỉnh") is also written with the city's, as ``admin_levels.csv``
    spells it ("Công an thành phố", "Công an TP"), and a form holding the prefix "Tỉnh"
    ("Ban Tuyên giáo Tỉnh ủy") with the city's prefix ("Ban Tuyên giáo Thành ủy"), and with
    the prefix of each unit of the district tier, which has the same party bodies
    ("Ban Tuyên giáo Huyện ủy", "Huyện đoàn"). Whether such a form names the provincial
    body or a lower unit's is for the words after it and the plan's province and unit to
    say (:meth:`_Reader._provincial`)."""
    forms = _forms(row, row["name"])
    if row["scope"] != "provincial":
        return forms
    city_forms = [city for form in forms for city in _city_forms(form)]
    prefixed = {named_for(form, kind) for form in forms for kind in _prefixed_kinds()} - set(forms)
    return (*forms, *city_forms, *sorted(prefixed))


@cache
def _entry_by_name() -> dict[str, BodyEntry]:
    return {e.name: e for e in body_entries()}


@cache
def _abbreviation_rules() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Folded expansion (as a word-bounded regex) -> its abbreviations; longest first."""
    table: dict[str, list[str]] = {}
    for r in _rows("abbreviations.csv"):
        table.setdefault(fold(r["expansion"]), []).append(r["abbreviation"])
    ordered = sorted(table.items(), key=lambda kv: -len(kv[0]))
    return tuple((re.compile(rf"(?<!\w){re.escape(exp)}(?!\w)"), tuple(abbrs)) for exp, abbrs in ordered)


def _folded(form: str) -> str:
    """``fold(form)``, but a word the tokenizer keeps whole keeps its case: it keeps
    "LĐ-TBXH" whole, as a text writes it, and would cut "lđ-tbxh" at its hyphen."""
    from ccbc_graph.nlp import kept_whole  # with spaCy, which the patterns are made for

    return " ".join(word if kept_whole(word) else fold(word) for word in form.split())


_JOINED_ABBRS = re.compile(rf"(?<!\S)([{UPPER}&]{{2,}}) và ([{UPPER}&]{{2,}})(?!\S)")


def written_forms(form: str) -> set[str]:
    """``form`` in full and with each combination of its abbreviations (from
    ``abbreviations.csv``); two abbreviations joined by "và" are also written with "-"
    or "&" ("HĐND-UBND"). The parts of a name a comma separates are also written with a
    dash between them, and the other way round: plans write "Sở Văn hóa - Thể thao và Du
    lịch" and "Sở Lao động, Thương binh và Xã hội" too."""
    variants = {_folded(form)}
    for pattern, abbrs in _abbreviation_rules():
        for variant in list(variants):
            if pattern.search(variant):
                variants.update(pattern.sub(abbr, variant) for abbr in abbrs)
    for variant in list(variants):
        for joiner in ("-", "&"):
            variants.add(_JOINED_ABBRS.sub(rf"\1{joiner}\2", variant))
    for variant in list(variants):
        variants.add(variant.replace(", ", " - "))
        variants.add(variant.replace(" - ", ", "))
    return variants


@cache
def _pipeline() -> Language:
    """The body pipeline: rule tokenizer and a span ruler over folded ``NORM``; built once."""
    from ccbc_graph.nlp import blank_vietnamese

    nlp = blank_vietnamese()
    ruler = nlp.add_pipe(
        "span_ruler",
        config={
            "spans_key": SPANS_KEY,
            "phrase_matcher_attr": "NORM",
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        },
    )
    patterns = [
        {"label": entry.scope, "pattern": variant, "id": str(index)}
        for index, entry in enumerate(body_entries())
        for form in entry.forms
        for variant in sorted(written_forms(form))
    ]
    ruler.add_patterns(patterns)
    return nlp


@cache
def _phrase(text: str) -> Phrase:
    return tuple(t.norm_ for t in _pipeline().make_doc(text) if not t.is_space)


@cache
def _phrase_table(kind: str) -> dict[Phrase, str]:
    """Token-norm phrases -> value for the small word lists the grammar reads."""
    table: dict[Phrase, str] = {}
    if kind == "sector":
        for r in _rows("sectors.csv"):
            table.update({_phrase(v): r["sector"] for v in written_forms(r["sector"])})
    elif kind == "unit":
        for r in _rows("unit_names.csv"):
            table.update({_phrase(v): r["name"] for v in written_forms(r["name"])})
    elif kind == "level":
        table = {_phrase(r["written"]): r["word"] for r in _rows("admin_levels.csv")}
    elif kind == "province":
        table = {_phrase(key): key for key in province_by_name()}
    else:
        cues = [r["cue"] for r in _rows("agency_cues.csv") if r["role"] == kind]
        if kind == "qualifier":  # a city's groups close on its level word: "các sở, ngành thành phố"
            cues += [city for cue in cues for city in _city_forms(cue)]
        table = {_phrase(cue): cue for cue in cues}
    return table


@cache
def _starts(kind: str) -> dict[str, int]:
    """First word of a word list's phrases -> the longest phrase it opens."""
    starts: dict[str, int] = {}
    for phrase in _phrase_table(kind):
        starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
    return starts


@cache
def _cue_regex(role: str) -> re.Pattern[str]:
    """Cues of one role as a regex over the matching view, longest first."""
    cues = sorted((r["cue"] for r in _rows("agency_cues.csv") if r["role"] == role), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")(?!\w)")


@cache
def _partner_links() -> re.Pattern[str]:
    """The adverbs and prepositions between a partner cue and the bodies ("phối hợp chặt
    chẽ với", "phối hợp thường xuyên, kịp thời với"), any number of them."""
    return re.compile(rf"(?:[\s,]+{_cue_regex('partner_link').pattern})*")


@cache
def _tier(word: str) -> str:
    """The tier of a level word: "thị xã" -> "huyện", "phường" -> "xã"."""
    return {r["word"]: r["tier"] for r in _rows("admin_levels.csv")}[word]


# --------------------------------------------------------------------------- grammar


@dataclass
class _Hit:
    """A resolved mention with its clean-text offsets and the token after it; ``lead`` is
    where its phrase starts (a distributive list's head, for its items)."""

    mention: AgencyMention
    start: int
    end: int
    lead: int
    next_token: int


@dataclass(frozen=True)
class _Level:
    """One level a leveled body's mention names: a tier, maybe a named place."""

    tier: str
    place: str | None = None
    word: str | None = None
    province: Province | None = None
    every: bool = False  # every unit of the tier ("các tỉnh"), not one


class _Reader:
    """Resolves the ruler's spans in one text into mentions."""

    def __init__(
        self,
        text: CleanText,
        province: str | None,
        unit: LocalUnit | None = None,
        *,
        issuer_name: str | None = None,
        issuer_elsewhere: AgencyMention | None = None,
        names_only: bool = False,
    ) -> None:
        self.clean = text
        # The plan's issuer: its name as the header gives it (for the whole text), or the
        # body itself, named elsewhere (for a cell).
        self.issuer_name = issuer_elsewhere.canonical if issuer_elsewhere else issuer_name
        self.issuer_elsewhere = issuer_elsewhere
        # A short text that only names bodies (a table cell): a unit's name runs to its item's end.
        self.names_only = names_only
        self.doc: Doc = _pipeline()(text.text)
        self.province = province_by_name().get(fold(province)) if province else None
        self.province_name = self.province.name if self.province else province
        self.own = _Level(_tier(unit.word), unit.name, unit.word) if unit else None
        self.districts_ended = bool(unit and unit.districts_ended)
        self.hits: list[_Hit] = []
        self.by_token: dict[int, list[_Hit]] = {}
        self.list_colons: set[int] = set()
        self.issuer: _Hit | None = None
        self.read_to = 0
        self._by_scope = {
            "national": self._national,
            "provincial": self._provincial,
            "leveled": self._leveled,
            "collective": self._collective,
            "press": self._press,
            "list": self._list,
        }

    # ---- tokens
    def _norm(self, i: int) -> str:
        return self.doc[i].norm_ if 0 <= i < len(self.doc) else ""

    def _text(self, i: int) -> str:
        return self.doc[i].text if 0 <= i < len(self.doc) else ""

    def _skip(self, i: int) -> int:
        """Past extra spaces, never past a line break or a tab (they end a cell or a line)."""
        while (
            i < len(self.doc) and self.doc[i].is_space and "\n" not in self.doc[i].text and "\t" not in self.doc[i].text
        ):
            i += 1
        return i

    def _phrase_at(self, i: int, kind: str) -> tuple[str, int] | None:
        """The longest phrase of a word list at token ``i``, as (value, end token)."""
        longest = _starts(kind).get(self._norm(i), 0)
        table = _phrase_table(kind)
        for size in range(min(longest, len(self.doc) - i), 0, -1):
            value = table.get(tuple(self._norm(k) for k in range(i, i + size)))
            if value is not None:
                return value, i + size
        return None

    def _inside_capitals(self, i: int) -> bool:
        """Whether token ``i`` goes on a word of a line in capitals, as headings and
        signature blocks are printed: "VỤ" in "NHIỆM VỤ CỤ THỂ", "BAN THƯỜNG VỤ" is no
        unit's head word ("Vụ"), which opens its line ("VỤ CẢI CÁCH HÀNH CHÍNH")."""
        before = self._text(i - 1) if i > 0 else ""
        return self._text(i).isupper() and before.isalpha() and before.isupper()

    def _capitalised(self, i: int) -> bool:
        word = self._text(i)
        return word[:1].isupper() and word.isalpha()

    def _province_at(self, i: int) -> tuple[Province, int] | None:
        found = self._phrase_at(i, "province") if self._capitalised(i) else None
        return (province_by_name()[found[0]], found[1]) if found else None

    def _proper_name(self, i: int, limit: int = 4) -> int:
        """The end of the capitalised words from ``i`` ("Cẩm Thành"), at most ``limit``."""
        end = i
        while end - i < limit and self._capitalised(end):
            end += 1
        return end

    def _chars(self, first: int, end: int) -> tuple[int, int]:
        last = self.doc[end - 1]
        return self.doc[first].idx, last.idx + len(last.text)

    def _words(self, first: int, end: int) -> str:
        start, stop = self._chars(first, end)
        return " ".join(modern_tones(self.clean.text[start:stop]).split())

    # ---- identities
    def _province_words(self, province: Province | None) -> str | None:
        """ "tỉnh Hà Tĩnh", "thành phố Hà Nội": the named province, else the plan's."""
        unit = province or self.province
        if unit:
            return f"{unit.kind} {unit.name}"
        return f"tỉnh {self.province_name}" if self.province_name else None

    def _in_province(self, name: str, province: Province | None = None) -> str:
        words = self._province_words(province)
        return f"{name} {words}" if words else name

    def _add(
        self,
        tokens: tuple[int, int],
        canonical: str,
        entry: BodyEntry,
        level: str,
        *,
        province: str | None = None,
        collective: bool = False,
        parent: str | None = None,
        lead: int | None = None,
    ) -> None:
        """Record the mention spelled by ``tokens`` (first, end) and who it names."""
        first, end = tokens
        start, stop = self._chars(first, end)
        mention = AgencyMention(
            self.clean.text[start:stop],
            self.clean.to_original(start, stop),
            canonical,
            entry.kind,
            level,
            province,
            collective,
            parent,
        )
        hit = _Hit(mention, start, stop, start if lead is None else lead, end)
        self.hits.append(hit)
        self.by_token.setdefault(first, []).append(hit)
        self.read_to = max(self.read_to, end)

    # ---- complements
    def _after_parenthesis(self, i: int) -> int:
        """Past an abbreviation defined in passing: "Ủy ban nhân dân (UBND) tỉnh"."""
        if self._text(i) == "(" and self._text(i + 2) == ")" and self._text(i + 1).isupper():
            return self._skip(i + 3)
        return i

    def _tiers(self, i: int) -> tuple[list[str], int]:
        """A list of level words: "các huyện, TP, TX", "cấp huyện, cấp xã"."""
        tiers: list[str] = []
        end = k = i
        while True:
            k = self._skip(k)
            if self._norm(k) in ("các", "cấp") or _NUMBER.fullmatch(self._text(k)):  # "UBND 10 phường"
                k = self._skip(k + 1)
            found = self._phrase_at(k, "level")
            if not found:
                return tiers, end
            tier = _tier(found[0])
            if tiers == [PROVINCIAL] and found[0] in _province_kinds():
                tier = PROVINCIAL  # "các tỉnh, thành phố": the centrally-run cities
            if tier not in tiers:
                tiers.append(tier)
            end = found[1]
            k = self._skip(end)
            if self._norm(k) not in (",", "và", "-", "/"):
                return tiers, end
            k += 1

    def _levels(self, i: int) -> tuple[list[_Level] | None, int]:
        """The levels after a leveled head, and where they end; ``None`` for "các cấp"."""
        j = self._after_parenthesis(self._skip(i))
        generic = self._phrase_at(j, "generic")
        if generic:
            return None, generic[1]
        if self._norm(j) in ("các", "cấp") or _NUMBER.fullmatch(self._text(j)):
            tiers, end = self._tiers(j)
            every = self._norm(j) != "cấp"  # "các tỉnh", "10 phường"; "cấp tỉnh" may be one
            return ([_Level(t, every=every) for t in tiers], end) if tiers else ([], i)
        word = self._phrase_at(j, "level")
        if word is None:
            place = self._province_at(j)
            return ([_Level(PROVINCIAL, province=place[0])], place[1]) if place else ([], i)
        written, after = word
        if self._text(after) == "." and tuple(self._norm(k) for k in range(j, after)) != _phrase(written):
            named = self._skip(after + 1)  # an abbreviated level word's dot: "TP. Rạch Giá", "Tp. Hà Tĩnh"
            after += 1 if self._proper_name(named) > named else 0
        tier = _tier(written)
        k = self._skip(after)
        place = self._province_at(k)
        if place and (tier == PROVINCIAL or written == place[0].kind):
            return [_Level(PROVINCIAL, province=place[0])], place[1]
        end = self._proper_name(k)
        if tier == PROVINCIAL or (end == k and self.province and written == self.province.kind):
            return [_Level(PROVINCIAL)], after
        if end == k and _NUMBER.fullmatch(self._text(k)):  # a unit named by its number: "Quận 3"
            end = k + 1
        if end > k:
            place = self._words(k, end)  # a header writes it in capitals: "UBND HUYỆN TAM NÔNG"
            return [_Level(tier, place.title() if place.isupper() else place, written)], end
        tiers, end = self._tiers(j)
        if self.own and end == after and written == self.own.word:
            # One level word of the plan's own unit, unnamed: "UBND huyện" in a huyện's plan.
            return [self.own], after
        return [_Level(t) for t in tiers], end

    def _closing_kind_word(self, start: int, end: int) -> int | None:
        """Where a word naming a kind of province-level unit that closes a body's form
        starts ("Công an tỉnh", "Công an thành phố"): the levels are read from there, as
        "thành phố" names the province only in a city's plan or before a city's name."""
        for k in range(start + 1, end):
            found = self._phrase_at(k, "level")
            if found and found[1] == end and found[0] in _province_kinds():
                return k
        return None

    def _prefix_kind(self, start: int, end: int, entry: BodyEntry) -> str | None:
        """The kind of unit other than "tỉnh" whose prefix a form of a compound name holds
        between ``start`` and ``end`` ("Thành ủy": "thành phố", "Huyện đoàn": "huyện")."""
        if level_prefixes()[PROVINCIAL] not in entry.name.split(" "):
            return None
        norms = {self._norm(k) for k in range(start, end)}
        return next((kind for kind in _prefixed_kinds() if fold(level_prefixes()[kind]) in norms), None)

    def _names_a_unit_of(self, kind: str, province: Province | None, stop: int) -> bool:
        """Whether a form with the prefix of ``kind`` names the province's body: before
        the name of a unit of that kind ("Thành ủy Hà Nội") or alone in such a unit's plan,
        not before a lower unit's name ("Thành ủy Rạch Giá") nor alone in a province's."""
        if province:
            return province.kind == kind
        after = self._skip(stop)
        return self._proper_name(after) == after and self.province is not None and self.province.kind == kind

    def _qualified(self, i: int) -> tuple[int, Province | None, bool]:
        """Words closing a group's name ("có liên quan", "(có liên quan)", "cấp tỉnh"), a
        province, and whether the group lies outside it ("… Trung ương", "… tỉnh bạn")."""
        end, province = i, None
        while True:
            k = self._skip(end)
            found = self._phrase_at(k, "qualifier")
            aside = self._phrase_at(k + 1, "qualifier") if self._text(k) == "(" else None
            place = None if found or province else self._province_at(k)
            if aside and self._text(aside[1]) == ")":
                end = aside[1] + 1
            elif found:
                end = found[1]
            elif place:
                province, end = place
            else:
                return end, province, self._phrase_at(k, "foreign") is not None

    def _blocked(self, entry: BodyEntry, end: int) -> bool:
        """A name followed by a word that makes it something else ("Chính phủ điện tử")."""
        k = self._skip(end)
        following = [_phrase(word) for word in entry.not_before]
        return any(tuple(self._norm(k + n) for n in range(len(words))) == words for words in following)

    # ---- scopes
    def resolve(self) -> None:
        """Turn the ruler's spans into hits; units last, as they need their parents. A
        span inside the words an earlier mention has read ("(UBND)") is no mention."""
        entries = body_entries()
        units = []
        for span in sorted(self.doc.spans[SPANS_KEY], key=lambda s: s.start):
            entry = entries[int(span.id_)]
            if entry.scope not in ("collective", "list", "members") and not self.doc[span.start].text[:1].isupper():
                continue
            if span.start < self.read_to or self._blocked(entry, span.end):
                continue
            if entry.scope in ("unit", "members"):
                if not self._inside_capitals(span.start):
                    units.append((span.start, span.end, entry))
            else:
                self._by_scope[entry.scope](span.start, span.end, entry)
        self.issuer = self._find_issuer()
        elsewhere = self.issuer_elsewhere
        if elsewhere and (self.issuer is None or elsewhere.kind in _BARE_PARENTS.values()):
            # At no place of this text: the parent of the units a cell names without one
            # when it can be ("Phòng …" of a Sở), before a body of the cell.
            self.issuer = _Hit(elsewhere, -1, -1, -1, -1)
        for start, end, entry in units:
            (self._members if entry.scope == "members" else self._unit)(start, end, entry)
        self.hits.sort(key=lambda h: (h.start, -h.end))

    def _national(self, start: int, end: int, entry: BodyEntry) -> None:
        self._add((start, end), entry.name, entry, NATIONAL)

    def _provincial(self, start: int, end: int, entry: BodyEntry) -> None:
        closing = self._closing_kind_word(start, end)
        levels, stop = self._levels(end if closing is None else closing)
        if levels is None or any(level.tier != PROVINCIAL for level in levels):
            return
        if levels and levels[0].every:  # "Sở Tư pháp các tỉnh, thành phố"
            self._tier_group((start, stop), entry, PROVINCIAL, None)
            return
        province = levels[0].province if levels else None
        kind = self._prefix_kind(start, end if closing is None else closing, entry)
        if kind and not self._names_a_unit_of(kind, province, stop):
            if province is None:
                self._lower_units_body(start, stop, entry, kind)
            return
        unit = province or self.province
        own = named_for(entry.name, unit.kind) if unit else entry.name
        name = province.name if province else self.province_name
        self._add((start, stop), self._in_province(own, province), entry, PROVINCIAL, province=name)

    def _lower_units_body(self, start: int, stop: int, entry: BodyEntry, kind: str) -> None:
        """A provincial body's form with the prefix of a lower unit's kind names that
        unit's body: the unit named after it ("Thành ủy Rạch Giá", "Ban Tuyên giáo Huyện ủy
        Kỳ Anh"), or, alone, the plan's own unit when it is of that kind ("Huyện đoàn" in
        Kỳ Anh's plan). It is named as the unit's party committee names itself, by the
        unit's name ("Huyện ủy Kỳ Anh"). Alone in any other plan it names no one body."""
        after = self._skip(stop)
        end = self._proper_name(after)
        if end > after and self._province_at(after) is None:
            words = self._words(after, end)
            place = words.title() if words.isupper() else words  # "HUYỆN ỦY KỲ ANH"
        elif self.own and self.own.word == kind and self.own.place:
            place, end = self.own.place, stop
        else:
            return
        canonical = f"{named_for(entry.name, kind)} {place}"
        self._add((start, end), canonical, entry, _tier(kind), province=self.province_name)

    def _leveled(self, start: int, end: int, entry: BodyEntry) -> None:
        levels, stop = self._levels(end)
        if levels is None:
            return
        for level in levels or [self._bare_level(entry)]:
            province = level.province.name if level.province else self.province_name
            if level.tier == PROVINCIAL and not level.every:
                canonical = self._in_province(entry.name, level.province)
                if province is None:
                    canonical = f"{entry.name} {PROVINCIAL}"
                self._add((start, stop), canonical, entry, PROVINCIAL, province=province)
            elif level.place:
                named = f"{entry.name} {level.word} {level.place}"
                words = self._province_words(None)
                canonical = f"{named}, {words}" if words else named
                self._add((start, stop), canonical, entry, level.tier, province=province)
            else:
                self._tier_group((start, stop), entry, level.tier, province)

    def _tier_group(self, tokens: tuple[int, int], entry: BodyEntry, tier: str, province: str | None) -> None:
        """The bodies of every unit of one tier as one group, named by the tier: the plan
        province's below it ("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"), every province's
        at it, of none ("Ủy ban nhân dân cấp tỉnh": "UBND các tỉnh, thành phố")."""
        name = f"{entry.name} cấp {tier}"
        if tier == PROVINCIAL:
            self._add(tokens, name, entry, tier, collective=True)
        else:
            self._add(tokens, self._in_province(name), entry, tier, province=province, collective=True)

    def _bare_level(self, entry: BodyEntry) -> _Level:
        """The level of a leveled body written without one: the lexicon's default, but in
        a lower unit's plan the unit's own when the unit has such a body: one of its tier
        ("Phòng Nội vụ" in a huyện's), or a council or committee, which every unit has
        ("TM. ỦY BAN NHÂN DÂN" over a huyện's signature), or one of the district's in a
        commune's plan of after the district level ended ("Phòng Kinh tế" of a xã)."""
        own = self.own
        moved_down = self.districts_ended and entry.level == DISTRICT
        if own and (entry.level == own.tier or entry.kind in _OF_EVERY_UNIT or moved_down):
            return own
        return _Level(entry.level)

    def _collective(self, start: int, end: int, entry: BodyEntry) -> None:
        stop, province, foreign = self._qualified(end)
        if not foreign:
            name = province.name if province else self.province_name
            canonical = self._in_province(entry.name, province)
            self._add((start, stop), canonical, entry, entry.level, province=name, collective=True)

    def _press(self, start: int, end: int, entry: BodyEntry) -> None:
        """ "Báo Hà Tĩnh", "Tạp chí Cẩm Thành": a proper name of two words or more."""
        first = self._skip(end)
        stop = self._proper_name(first)
        place = self._province_at(first)
        if place and place[1] == stop:
            self._add((start, stop), f"{entry.name} {place[0].name}", entry, PROVINCIAL, province=place[0].name)
        elif stop - first >= 2 and not self._words(first, stop).isupper():
            canonical = f"{entry.name} {self._words(first, stop)}"
            self._add((start, stop), canonical, entry, entry.level, province=self.province_name)

    def _list(self, start: int, end: int, entry: BodyEntry) -> None:
        """ "Các Sở: Nội vụ, Tư pháp; …": one body per item."""
        self.list_colons.add(self.doc[end - 1].idx)
        lead = self.doc[start].idx
        k = self._skip(end)
        while True:
            found = self._phrase_at(k, "sector")
            body = _entry_by_name().get(f"{entry.name} {found[0]}") if found else None
            if found is None or body is None:
                return
            if body.scope == "national":
                self._add((k, found[1]), body.name, body, NATIONAL, lead=lead)
            else:
                canonical = self._in_province(body.name)
                self._add((k, found[1]), canonical, body, PROVINCIAL, province=self.province_name, lead=lead)
            k = self._skip(found[1])
            if self._norm(k) not in (",", ";", "và"):
                return
            k = self._skip(k + 1)

    # ---- units inside a body
    def _find_issuer(self) -> _Hit | None:
        """The body issuing the plan: the one its header names, else the subject of "… ban
        hành / xây dựng Kế hoạch" before the first part ("I."), else a body heading the text."""
        first_part = re.search(r"^\s*I\.\s", self.clean.text, re.MULTILINE)
        limit = first_part.start() if first_part else len(self.clean.text)
        singles = [h for h in sorted(self.hits, key=lambda h: h.start) if not h.mention.collective]
        named = next((h for h in singles if h.mention.canonical == self.issuer_name), None)
        if named:
            return named
        for hit in singles:
            if hit.start >= limit:
                break
            if self._phrase_at(self._skip(hit.next_token), "issues"):
                return hit
        return singles[0] if singles and singles[0].start < _HEADER_CHARS else None

    def _parent_at(self, k: int) -> tuple[_Hit, int] | None:
        """A body named at token ``k``, or a bare "Sở"/"Bộ": the plan's issuer."""
        named = [h for h in self.by_token.get(k, []) if not h.mention.collective]
        if named:
            return named[0], named[0].next_token
        bare = _BARE_PARENTS.get(self._norm(k))
        if bare and self._capitalised(k) and self.issuer and self.issuer.mention.kind == bare:
            return self.issuer, k + 1
        return None

    def _unit_name(self, i: int) -> tuple[str, int] | None:
        """A unit's own name: a known one ("CCHC", "tiêu chuẩn đo lường chất lượng"), or
        capitalised words each of at most two syllables ("Quản lý Văn hóa"). Where the text
        only names bodies (a cell, a table's row), as official names are written, the first
        word capitalised and the rest running on in lower case to the item's end, a comma
        before lower-case words inside it ("Phổ biến, giáo dục pháp luật"), a level word
        closing it."""
        known = self._phrase_at(i, "unit")
        if known:
            return known
        if not self._capitalised(i):
            return None
        names_only = self.names_only or self._in_table_row(i)
        k = last = i
        lower = False
        while k < len(self.doc):
            lower_word = self._lower(k) and not self._phrase_at(k, "level")
            if k > i and names_only and k in self.by_token:
                break
            if self._norm(k) in _PLURALS:
                return None  # "Trung tâm Y tế các huyện": a group of units, not one
            if self._capitalised(k):
                lower, last = False, k
            elif lower_word and (names_only or not lower):
                lower, last = True, k
            elif names_only and self._norm(k) == "," and self._lower(self._skip(k + 1)):
                pass
            elif not (self._norm(k) in ("và", "-") and self._capitalised(k + 1)):
                break
            k += 1
        closed = None if names_only else self._closed_run(last + 1)
        end = closed or last + 1
        return self._words(i, end), end

    def _closed_run(self, k: int) -> int | None:
        """In running text, where lower-case words from token ``k`` that a name may run on
        in end, when a mark closes them (";", ".", ":", "(", the line's end) or a level word
        ("Phòng Hành chính tư pháp;", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh") within a
        few words, or a verb of a duty right after a few words: official names are written
        in sentence case ("Vụ Tổ chức cán bộ chủ trì, …", "Phòng Quản lý chất lượng phối
        hợp"); a longer run before the verb is the sentence's ("… công tiếp nhận hồ sơ
        theo …"). The name's parent after a few words closes them the same way: "Vụ Tổ
        chức cán bộ, Bộ Tư pháp", "Phòng Tổ chức cán bộ - Sở Y tế". Else they are the
        sentence's, not the name's."""
        for j in range(k, min(k + _RUN_WORDS, len(self.doc))):
            word = self._text(j)
            closes = word in (";", ".", ":", "(") or "\n" in word or self._phrase_at(j, "level")
            if closes:
                return j if j > k else None
            if self._norm(j) in _PLURALS:
                return None  # "Trung tâm Thông tin và các đơn vị thuộc Sở": a group follows
            if any(self._phrase_at(j, r) for r in _VERB_ROLES) or self._marked_parent(j):
                named = 0 < j - k <= _RUN_WORDS_BEFORE_VERB and self._norm(j - 1) != "và"
                return j if named else None
            if not self._lower(j):
                return None
        return None

    def _in_table_row(self, i: int) -> bool:
        """Whether token ``i`` is on a line of tab-separated cells: a table's, which only names."""
        text, pos = self.clean.text, self.doc[i].idx
        end = text.find("\n", pos)
        return "\t" in text[text.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(text)]

    def _lower(self, i: int) -> bool:
        word = self._text(i)
        return word.isalpha() and word.islower()

    def _marked_parent(self, i: int) -> tuple[_Hit, int] | None:
        """A parent introduced at token ``i`` by "-", ",", "thuộc": "… - Sở KH và CN". Where
        the text only names bodies (a cell), a comma separates them instead."""
        marker = self._phrase_at(self._skip(i), "parent")
        if marker is None or (self.names_only and marker[0] == ","):
            return None
        return self._parent_at(self._skip(marker[1]))

    def _name_before_parent(self, i: int) -> tuple[str, int, tuple[_Hit, int]] | None:
        """A unit name of any case running to "- Parent" or "thuộc Parent", within a few
        words: "Chi cục tiêu chuẩn đo lường chất lượng - Sở KH và CN". A name opens with a
        word, and a group ("các …") is none: "Các Vụ, Cục, các đơn vị thuộc Bộ" names
        groups of units, not a "Vụ , Cục"; in "Trung tâm Thông tin và các đơn vị thuộc Bộ"
        the parent is the group's."""
        if not self._text(i).isalpha() or self._norm(i) in _PLURALS:
            return None
        for k in range(i + 1, min(i + _UNIT_NAME_WORDS, len(self.doc))):
            if self._norm(k) in _PLURALS:
                return None
            # Not after a comma: a lower-case run up to ", Sở …" is a clause, not a name.
            if self._norm(k) != "," and (parent := self._marked_parent(k)):
                known = self._phrase_at(i, "unit")
                name = known[0] if known and known[1] == k else self._words(i, k)
                return name[:1].upper() + name[1:], k, parent
            if not (self._text(k).isalpha() or self._norm(k) in (",", "-")):
                return None
        return None

    def _members(self, start: int, end: int, entry: BodyEntry) -> None:
        """The units under one body as a group, named with it ("các đơn vị thuộc Bộ",
        "các phòng, đơn vị trực thuộc Sở Nội vụ"); a bare "Sở"/"Bộ" is the plan's issuer,
        and so is the body of a group named alone in a ministry's or department's plan
        ("Các Vụ, Cục, Thanh tra Bộ …"); one written to a parent ("các đơn vị trực thuộc")
        that does not come is none."""
        parent = self._parent_at(self._skip(end))
        promised = self._norm(end - 1) == "thuộc"
        if parent is None and not promised and self.issuer and self.issuer.mention.kind in _BARE_PARENTS.values():
            parent = (self.issuer, end)
        if parent is None:
            return
        owner, stop = parent
        body = owner.mention
        canonical = f"{entry.name} {body.canonical}"
        self._add((start, stop), canonical, entry, body.level, province=body.province, collective=True)

    def _unit(self, start: int, end: int, entry: BodyEntry) -> None:
        """ "Văn phòng Sở", "Chi cục … - Sở KH và CN", "Trung tâm Văn hóa - Nghệ thuật tỉnh"."""
        k = self._skip(end)
        parent = self._parent_at(k)
        name = None
        if parent is None:
            named = self._unit_name(k)
            parent = self._marked_parent(named[1]) if named else None
            if parent is None and (marked := self._name_before_parent(k)):
                named = marked[:2]
                parent = marked[2]
            if named is None:
                return
            name, k = named
            after = self._skip(k)
            if parent is None and self._norm(after) == PROVINCIAL:
                stop, province, _ = self._qualified(k)
                where = province.name if province else self.province_name
                canonical = self._in_province(f"{entry.name} {name}", province)
                self._add((start, stop), canonical, entry, PROVINCIAL, province=where)
                return
            if parent is None and self.issuer and self.issuer.mention.kind in _BARE_PARENTS.values():
                parent = (self.issuer, k)
        if parent is None:
            return
        owner, stop = parent
        body = owner.mention
        canonical = f"{entry.name} {name}, {body.canonical}" if name else f"{entry.name} {body.canonical}"
        self._add((start, stop), canonical, entry, body.level, province=body.province, parent=body.canonical)


_HEADER_CHARS = 300
_EXECUTIVE_COMMITTEE = re.compile(r"^(?:BAN CHẤP HÀNH|BCH)\s+(?=\S)", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,2}")
# The Law on the Organisation of Local Government gives every unit, of every level, its
# own council and committee; other bodies are of the level the lexicon gives them.
_OF_EVERY_UNIT = frozenset({"people's committee", "council"})
_UNIT_NAME_WORDS = 12
# The words a unit's name may run on in, in lower case, in running text; the cues that end it.
_RUN_WORDS = 8
_RUN_WORDS_BEFORE_VERB = 4  # syllables: two words
_PLURALS = frozenset({"các", "những"})
_VERB_ROLES = ("duty", "partner", "issues")
_BARE_PARENTS = {"sở": "department", "bộ": "ministry"}


# --------------------------------------------------------------------------- API


def _read(
    text: CleanText,
    province: str | None,
    unit: LocalUnit | None,
    *,
    issuer_name: str | None = None,
    issuer_elsewhere: AgencyMention | None = None,
    names_only: bool = False,
) -> _Reader:
    reader = _Reader(
        text, province, unit, issuer_name=issuer_name, issuer_elsewhere=issuer_elsewhere, names_only=names_only
    )
    reader.resolve()
    return reader


def find_agencies(text: CleanText, province: str | None, unit: LocalUnit | None = None) -> list[AgencyMention]:
    """Every mention of a body in ``text``, in reading order (``province``: the plan's;
    ``unit``: the unit below it that issued the plan, if one did)."""
    return [hit.mention for hit in _read(text, province, unit).hits]


def canonical_agencies(
    text: str, province: str | None, unit: LocalUnit | None = None, issuer: AgencyMention | None = None
) -> tuple[AgencyMention, ...]:
    """The bodies a short text names, once each: a task table's lead or coordinator cell.
    ``issuer``: the body that issued the plan; the units a cell names without a parent are
    its own ("Văn phòng Sở", "Phòng Phổ biến, giáo dục pháp luật" in a Sở's plan).

    Kept for texts seen before: a plan names the same few bodies in row after row, and
    plans of other issuers do too, where no unit needs its parent.
    """
    if issuer is None or not _unit_words().search(text):
        return _canonical_agencies(text, province, unit, None)
    # Who it is, not where its text names it: plans of one issuer share the cache.
    return _canonical_agencies(text, province, unit, replace(issuer, surface=issuer.canonical, span=Span(0, 0)))


@cache
def _unit_words() -> re.Pattern[str]:
    """A unit's head word ("Phòng", "Trung tâm") or a bare parent ("Sở"), as a name opens."""
    words = {form for e in body_entries() if e.scope == "unit" for form in e.forms}
    words |= {word.capitalize() for word in _BARE_PARENTS}
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, sorted(words, key=len, reverse=True)))})(?!\w)")


@lru_cache(maxsize=4096)
def _canonical_agencies(
    text: str, province: str | None, unit: LocalUnit | None, issuer: AgencyMention | None
) -> tuple[AgencyMention, ...]:
    """:func:`canonical_agencies`, kept for texts seen before.

    In a line "label: bodies" the label names no body ("Cấp huyện: Phòng Tư pháp",
    "Cổng thông tin điện tử của tỉnh: Sở Thông tin và Truyền thông"), except the head of
    a distributive list ("Các Sở: Nội vụ, Tư pháp"); a parent written as part of a unit's
    name ("Chi cục … - Sở KH và CN") is not listed on its own.
    """
    reader = _read(clean(text), province, unit, issuer_elsewhere=issuer, names_only=True)
    labels: list[tuple[int, int]] = []
    for start, stop in _lines(reader.clean.text, 0, len(reader.clean.text)):
        colons = [i for i in range(start, stop) if reader.clean.text[i] == ":" and i not in reader.list_colons]
        if colons:
            labels.append((start, colons[-1]))
    found: dict[str, AgencyMention] = {}
    for hit in reader.hits:
        inside = any(
            o.start <= hit.start and hit.end <= o.end and o.end - o.start > hit.end - hit.start for o in reader.hits
        )
        if not inside and not any(a <= hit.start and hit.end <= b for a, b in labels):
            found.setdefault(hit.mention.canonical, hit.mention)
    return tuple(found.values())


def issuer_opening(
    phrase: str, province: str | None, pos: int = 0, unit: LocalUnit | None = None
) -> IssuerMatch | None:
    """The one body (not a group) a phrase opens on, as the lexicon reads it, as an issuer
    ending at ``pos`` plus its length: "Văn phòng UBND tỉnh", "BHXH tỉnh"; "Phòng Nội vụ"
    of the ``unit`` below the province."""
    hits = canonical_agencies(phrase, province, unit)
    first = hits[0] if hits else None
    if first is None or first.span.start != 0 or first.collective:
        return None
    return IssuerMatch(pos + first.span.end, first.canonical, first.province, first.level == NATIONAL)


def header_body(lines: tuple[str, ...], province: str | None, unit: LocalUnit | None = None) -> IssuerMatch | None:
    """The body a header's lowest left line names: alone ("CÔNG AN TỈNH NGHỆ AN"), as a
    body of the ``unit`` the line above names ("PHÒNG NỘI VỤ" under "UBND HUYỆN CAN LỘC":
    the unit's, named without the province, which the header reader adds as for the
    unit's own bodies) or as a unit of the body on the line above, as a unit is named
    before its parent ("VĂN PHÒNG" under "UBND THÀNH PHỐ CẦN THƠ"). An organisation's
    executive committee issues for it: "BAN CHẤP HÀNH HỘI NÔNG DÂN TỈNH ĐỒNG THÁP" is Hội
    Nông dân tỉnh Đồng Tháp."""
    lowest = _EXECUTIVE_COMMITTEE.sub("", lines[-1])
    phrases = (lowest, " ".join((lowest, *reversed(lines[-2:-1]))))
    within = None if unit else province
    body = next((body for phrase in phrases if (body := issuer_opening(phrase, within, unit=unit))), None)
    return replace(body, province=None, unit=unit) if body and unit else body


# --------------------------------------------------------------------------- duties

# A number closes on ".", ")" or, as party documents and older state ones write it, "-"
# ("III- TỔ CHỨC THỰC HIỆN", "1- Ban Tổ chức Tỉnh ủy", "a- …").
_MARKER = re.compile(
    r"[ \t]*(?:(?P<part>[IVXLC]+(?:\.|[-–](?=[ \t])))"
    r"|(?P<item>(?:\d+\.)+\d*\.?|\d+\)|(?:\d+|[a-zđ])[-–](?=[ \t])|[a-zđ][.)])|(?P<bullet>[-–•+]))?[ \t]*"
)
_CONNECTORS = re.compile(r"(?:\s|[,;]|(?<!\w)(?:và|cùng)(?!\w))*")
# One item of a list of bodies, to the connector before the next: a name the lexicon may
# not know ("Ngân hàng Nhà nước chi nhánh tỉnh Lạng Sơn", "Viettel Lạng Sơn").
_LIST_ITEM = re.compile(r"[^,;.:()\n\t]+?(?=\s*(?:[,;]|\s(?:và|cùng)\s))")
# How many such items in a row, and how many words in each, a list may hold and go on.
_UNKNOWN_ITEMS = 3
_ITEM_WORDS = 12
_CLAUSE_GAP = re.compile(r"[\s:,]*")


def _past(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a pattern that may match nothing ends when matched at ``pos``."""
    found = pattern.match(text, pos)
    return found.end() if found else pos


def _same_bodies(first: list[_Hit], second: list[_Hit]) -> bool:
    return [h.mention.canonical for h in first] == [h.mention.canonical for h in second]


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        yield pos, stop
        pos = stop + 1


def _closes_the_duties(line: str) -> bool:
    """Closing words ("Trên đây là …", "Nơi nhận") or the signature block, read as the
    header reader reads it: its "KT."/"TM." or, without one, the signer's position alone
    on its line ("GIÁM ĐỐC")."""
    return bool(_cue_regex("closing").match(line) or SIGNATURE_PREFIX.match(line)) or line.strip(" :.") in positions()


@dataclass(frozen=True)
class _Section:
    """The responsibilities section: from ``start``, after its heading, to the end of the text.

    ``numbered_by_part``: its heading is one of the parts Roman numbers mark ("III. TỔ
    CHỨC THỰC HIỆN"), so the next Roman number ends it; under a heading they do not
    number ("PHẦN THỨ BA / TỔ CHỨC THỰC HIỆN") they number its items ("I. PHÒNG NỘI VỤ").
    """

    start: int
    numbered_by_part: bool


def _section(text: str, view: str) -> _Section | None:
    """The responsibilities section, after its heading: the last one, as a part "Kinh
    phí và tổ chức thực hiện" may hold a "Tổ chức thực hiện" item. Markers are read in
    the text, where Roman numbers ("I.") are told from letters ("i)") by their case."""
    found = None
    for start, stop in _lines(view, 0, len(view)):
        line = view[start:stop]
        marker = _MARKER.match(text, start, stop)
        words = view[marker.end() if marker else start : stop].strip(" :.")
        cue = _cue_regex("section").search(words)
        if "\t" not in line and cue and cue.end() == len(words) and len(words.split()) <= _HEADING_WORDS:
            found = _Section(stop + 1, bool(marker and marker.group("part")))
    return found


_HEADING_WORDS = 7
# A heading of a part of the document ("PHẦN THỨ TƯ", "Phần IV"), over the view.
_PART_HEADING = re.compile(r"phần\s+(?:thứ\s+\w+|[ivxlc]+)(?!\w)")
# How deep each kind of item marker numbers ("I." > "1." > "1.1." > "a)" > "-"); a line
# opening without one, with bodies, heads the items after it.
_PART_DEPTH, _LETTER_DEPTH, _BULLET_DEPTH, _UNMARKED_DEPTH = 0, 10, 11, 12


def _depth(marker: re.Match[str]) -> int:
    if marker.group("part"):
        return _PART_DEPTH
    item = marker.group("item")
    if item:
        return _LETTER_DEPTH if item[0].isalpha() else len(re.findall(r"\d+", item))
    return _BULLET_DEPTH if marker.group("bullet") else _UNMARKED_DEPTH


class _Duties:
    """The items of the responsibilities section, read against the mentions."""

    def __init__(self, reader: _Reader, lines: PlanText) -> None:
        """``lines``: the same text, for where its hard-wrapped paragraphs go on."""
        self.reader = reader
        self.text = lines.text
        self.view = lines.view
        self.lines = lines
        self.starting: dict[int, list[_Hit]] = {}
        for hit in reader.hits:
            self.starting.setdefault(hit.start, []).append(hit)
            if hit.lead != hit.start:
                self.starting.setdefault(hit.lead, []).append(hit)

    def _chain(self, pos: int, *, past_unknown: bool = False) -> list[_Hit]:
        """Bodies named one after another from ``pos``, joined by ",", ";", "và".

        ``past_unknown``: the list is one by its cue ("phối hợp với", "Đề nghị"), so an
        item naming a body the lexicon does not know is passed over, not taken for the
        list's end; at a line's opening the words before a comma may be anything."""
        found: list[_Hit] = []
        at = _past(BLANKS, self.view, pos)
        while True:
            group = [h for h in self._starting_after_head(at) if h not in found]
            if not group:
                after = self._past_unknown_names(at) if past_unknown else None
                if after is None:
                    return found
                at = after
                continue
            found += group
            at = _past(_CONNECTORS, self.view, max(h.end for h in found))

    def _past_unknown_names(self, at: int) -> int | None:
        """Where the next known body of a list starts, past the items from ``at`` that
        name bodies the lexicon does not know; None when they do not look like names: a
        name opens with a capital, is short and holds no verb or preposition cue."""
        for _ in range(_UNKNOWN_ITEMS):
            item = _LIST_ITEM.match(self.view, at)
            if item is None or not self.text[at : at + 1].isupper() or len(item.group().split()) > _ITEM_WORDS:
                return None
            if any(_cue_regex(role).search(item.group()) for role in _VERB_ROLES):
                return None
            at = _past(_CONNECTORS, self.view, item.end())
            if self._starting_after_head(at):
                return at
        return None

    def _starting_after_head(self, at: int) -> list[_Hit]:
        """The bodies named at ``at``, or after the title of their head there ("Thủ
        trưởng các sở, ban, ngành", "Chủ tịch UBND các huyện": the duty is the body's)."""
        if at in self.starting:
            return self.starting[at]
        head = _cue_regex("head").match(self.view, at)
        return self.starting.get(_past(BLANKS, self.view, head.end()), []) if head else []

    def _partners(self, start: int, end: int, own: set[str]) -> list[AgencyMention]:
        partners: dict[str, AgencyMention] = {}
        for cue in _cue_regex("partner").finditer(self.view, start, end):
            for hit in self._chain(_past(_partner_links(), self.view, cue.end()), past_unknown=True):
                if hit.start < end and hit.mention.canonical not in own:
                    partners.setdefault(hit.mention.canonical, hit.mention)
        return list(partners.values())

    def _opening_bodies(self, pos: int) -> tuple[list[_Hit], bool]:
        """The bodies named at ``pos`` or after a lead cue there ("Giao Sở Tài chính …",
        "Đề nghị …"), and whether a lead cue named them."""
        lead = _cue_regex("lead").match(self.view, pos)
        return self._chain(lead.end() if lead else pos, past_unknown=lead is not None), lead is not None

    def _assigned_at(self, pos: int) -> list[_Hit]:
        """The bodies a sentence opening at ``pos`` gives a duty to: after a lead cue, or
        as its subject, when a verb follows them ("Sở Tài chính chủ trì …")."""
        holders, led = self._opening_bodies(pos)
        if not holders or led:
            return holders
        after = _past(_CLAUSE_GAP, self.view, max(h.end for h in holders))
        return holders if any(_cue_regex(role).match(self.view, after) for role in _VERB_ROLES) else []

    def _blocks(self) -> list[tuple[list[_Hit], int]]:
        """(bodies, end of the item) for each item opening with bodies. An item runs over
        the bullets and paragraphs after it and the items numbered deeper ("I. PHÒNG NỘI
        VỤ" over "1. Chủ trì …", "1. Sở Nội vụ:" over "a) …"), to the next line opening
        with bodies, the next item numbered as deep or less, a part heading or the
        closing words. An item opening without a marker is as deep as the last one."""
        section = _section(self.text, self.view)
        blocks: list[tuple[list[_Hit], int]] = []
        open_depth: int | None = None  # the depth of the item that opened the last block, while it runs on
        last_depth = -1  # of the last marked line
        for start, stop in _lines(self.view, section.start, len(self.view)) if section else ():
            marker = _MARKER.match(self.text, start, stop)
            if marker is None or not self.view[start:stop].strip():
                continue
            content = marker.end()
            # A line of a hard-wrapped paragraph goes on with its sentence, whatever it
            # opens with ("phối hợp với Sở …, Văn phòng" / "UBND tỉnh triển khai …").
            wrapped = self.lines.goes_on(start)
            depth = _UNMARKED_DEPTH if wrapped else _depth(marker)
            if (
                (depth == _PART_DEPTH and section.numbered_by_part)
                or _PART_HEADING.match(self.view, content)
                or (depth == _UNMARKED_DEPTH and _closes_the_duties(self.view[content:stop]))
            ):
                break
            bodies = [] if wrapped else self._opening_bodies(content)[0]
            if bodies:
                blocks.append((bodies, stop))
                open_depth = last_depth if depth == _UNMARKED_DEPTH else depth
            elif open_depth is not None and (depth > open_depth or depth >= _BULLET_DEPTH):
                blocks[-1] = (blocks[-1][0], stop)
            else:
                open_depth = None
            # A sentence of the line that gives a duty to other bodies opens their item.
            for opening in self.lines.sentence_starts(content, stop):
                holders = self._assigned_at(opening)
                if not holders or (open_depth is not None and _same_bodies(holders, blocks[-1][0])):
                    continue
                if open_depth is None:
                    open_depth = last_depth if depth == _UNMARKED_DEPTH else depth
                else:
                    blocks[-1] = (blocks[-1][0], opening)
                blocks.append((holders, stop))
            if depth != _UNMARKED_DEPTH:
                last_depth = depth
        return blocks

    def read(self) -> list[Responsibility]:
        duties = []
        for bodies, stop in self._blocks():
            after = max(h.end for h in bodies)
            start = after + len(self.text[after:stop]) - len(self.text[after:stop].lstrip(" \t\n:.-–"))
            duty = self.text[start:stop].rstrip()
            span = self.reader.clean.to_original(start, start + len(duty))
            partners = self._partners(start, stop, {h.mention.canonical for h in bodies})
            duties += [Responsibility(h.mention, duty, span, partners) for h in bodies]
        return duties


def find_responsibilities(text: CleanText, province: str | None, unit: LocalUnit | None = None) -> list[Responsibility]:
    """Bodies given duties in the "Tổ chức thực hiện" section, in order: each item that
    opens with bodies ("1. Sở Nội vụ:", "Đề nghị Ban Tuyên giáo Tỉnh ủy …"), its duty
    text, and the bodies named after "phối hợp với" and the other partner cues."""
    return _Duties(_read(text, province, unit), PlanText(text)).read()


def find_bodies_and_duties(
    text: PlanText, province: str | None, unit: LocalUnit | None = None, issuer: str | None = None
) -> tuple[list[AgencyMention], list[Responsibility], AgencyMention | None]:
    """:func:`find_agencies` and :func:`find_responsibilities` from one reading of the text
    (the pipeline is the expensive part: a plan's extraction runs it once), and the body
    that issues the plan as the text names it (``issuer``: its name, as the header gives it)."""
    reader = _read(text.clean, province, unit, issuer_name=issuer)
    body = reader.issuer.mention if reader.issuer else None
    return [hit.mention for hit in reader.hits], _Duties(reader, text).read(), body
