"""References to documents named without a number.

Three shapes are identifying enough to count as a citation: constitutions, codes, laws
and ordinances by name ("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm
2015", "Hiến pháp năm 2013"); party resolutions by plenum or congress ("Nghị quyết
Trung ương 5, khóa X"); and a named programme, scheme or plan with its issuer ("Chương
trình tổng thể … giai đoạn 2021 - 2030 của Chính phủ", "Đề án thí điểm …"). A name that
only describes a numbered document ("phê duyệt Đề án …" after its symbol, "ban hành kèm
theo Quyết định số …") is part of that citation, not another one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ccbc_graph.extract.citations import (
    AMENDING_LAW_RE,
    LAW_TYPES,
    LIST_GAP_RE,
    RELATION_RANK,
    laws_titled_from,
    relation_at,
    type_words,
)
from ccbc_graph.extract.dates import DATE_RE, date_from_match
from ccbc_graph.extract.issuers import UPPER, read_issuer
from ccbc_graph.extract.symbols import SYMBOL_RE
from ccbc_graph.extract.text import PlanText
from ccbc_graph.model import Amendment, Citation, DocumentKey, UnnumberedCitation
from ccbc_graph.reference import KnownDocument, document_types, known_documents
from ccbc_graph.textnorm import fold

# A law's name goes on in capitals ("Luật Viên chức"), or is the state's ("Hiến pháp nước
# Cộng hòa xã hội chủ nghĩa Việt Nam"), or is its year alone ("Hiến pháp năm 2013").
_LAW = re.compile(rf"(?P<type>{'|'.join(LAW_TYPES)})(?=\s+[{UPPER}]|\s+nước\s+[{UPPER}]|\s+năm\s+\d{{4}})")
# The state's name after a constitution's type adds nothing to tell it apart.
_STATE_NAME = re.compile(r"\s+nước\s+(?:cộng hòa xã hội chủ nghĩa việt nam|chxhcn việt nam)$")
# A party resolution by its plenum ("Nghị quyết Trung ương 4, khóa XIII", "… Hội nghị lần
# thứ năm Ban Chấp hành Trung ương khóa X") or congress ("Nghị quyết Đại hội XIII của
# Đảng", "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX, nhiệm kỳ 2020 - 2025").
_PARTY = re.compile(
    r"(?P<type>nghị quyết|kết luận|chỉ thị)\s+(?:hội nghị\s+)?(?:lần thứ\s+\w+\s+)?(?:ban chấp hành\s+)?"
    r"(?:trung ương(?:\s+đảng)?(?:\s+(?:lần thứ\s+\w+|\d+))?"
    r"|đại hội(?:\s+đại biểu)?(?:\s+toàn quốc)?"
    r"(?P<local>\s+đảng bộ(?:\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường))?)?"
    r"(?:\s+lần thứ\s+\w+|\s+[ivxlc]+\b)?)"
    r"(?:\s*,?\s*khóa\s+[ivxlc]+\b)?(?:\s*,?\s*nhiệm kỳ\s+\d{4}\s*-\s*\d{4})?"
)
_NAMED = re.compile(
    rf"(?P<type>Chương trình|Đề án|Dự án|Kế hoạch|Chiến lược|Quy hoạch|Nghị quyết|Quyết định|Chỉ thị)"
    rf"(?=\s+(?:tổng thể\s+|thí điểm\s+)?[\w{UPPER}])"
)
_DISTINCTIVE = ("Đề án", "Dự án", "Chiến lược", "Quy hoạch")
# A project called by the number of the decision approving it: "Đề án 06", "Đề án 06/CP"
# (a symbol with its type code, "Đề án số 01/ĐA-UBND", is the project's own).
_PROJECT_NUMBER = re.compile(r"đề án\s+(?P<number>\d{1,5})(?:\s*/\s*cp)?(?![\w/])")
_APPROVES_PROJECT = "phê duyệt đề án"
# The closing formula names the document itself: "Trên đây là Kế hoạch … của UBND tỉnh …".
_SELF_REFERENCE = re.compile(r"trên đây là(?:\s+nội dung)?\s+$")
_NAME_STOP = re.compile(
    r"[;:()\n\t“”\"]|\.(?=\s|$)| ngày | số(?=\s*:?\s*\d)| (?:được )?ban hành| kèm theo| và (?:việc|các)\b"
)
# Where a law's name ends: at its date or a clause.
_NAME_STOP_BASE = r"[;:()\n\t]|\.(?=\s|$)| số | được | đã | nhằm | để | ngày | năm \d{4}"


@cache
def _type_name_ahead() -> str:
    """Lookahead for a document type name as written in running text ("Luật", "Nghị định")."""
    names = sorted({t.name for t in document_types()}, key=len, reverse=True)
    return rf"(?=(?:{'|'.join(map(re.escape, names))})\b)"


@cache
def _law_stop() -> re.Pattern[str]:
    """Also at the next document of a list. A comma followed by lower-case words is inside
    the name ("Luật Cán bộ, công chức"); "và" is, unless another document follows ("Luật
    Khoa học và Công nghệ", not "… và Luật Viên chức")."""
    return re.compile(rf"{_NAME_STOP_BASE}|,\s*(?=[{UPPER}\d])| của | về | và {_type_name_ahead()}")


@cache
def _amended_names_stop() -> re.Pattern[str]:
    """The names an amending law lists run on over commas and "và" between laws."""
    return re.compile(rf"{_NAME_STOP_BASE}|,\s*(?!{_type_name_ahead()})(?=[{UPPER}\d])")


# The date after a law's name, over the view: "ngày 19 tháng 6 năm 2015", "ngày 19/6/2015",
# "năm 2015".
_LAW_DATE = re.compile(rf"\s*,?\s+(?:{DATE_RE.pattern}|năm\s+(?P<year>\d{{4}}))")


@dataclass
class _Candidate:
    start: int
    end: int
    doc_type: str
    issuer: str | None
    name_end: int  # where the name ends and its issue date or issuer phrase begins ("… của Chính phủ")
    year: int | None = None  # of the issue date written after the name


def _inside_numbered(text: PlanText, start: int, citations: list[Citation]) -> bool:
    """Whether ``start`` lies in the description after a numbered reference in its clause."""
    clause_start, _ = text.clause(start)
    for citation in citations:
        for mention in citation.mentions:
            span_end = _clean_offset(text, mention.evidence.span.end)
            # Only a comma or "và" after it: the name is the list's next member.
            if clause_start <= span_end <= start and not LIST_GAP_RE.fullmatch(text.view, span_end, start):
                return True
    return False


def _clean_offset(text: PlanText, original_offset: int) -> int:
    starts = text.clean.starts
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] < original_offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _followed_by_symbol(text: PlanText, end: int) -> bool:
    """Whether the name is followed by its number: "…: số 76/NQ-CP", "… (Quyết định số
    06/QĐ-TTg)": the numbered citation is the reference."""
    lead = _lead_to_symbol().match(text.view, end, end + 60)
    return bool(lead and SYMBOL_RE.match(text.text, lead.end(), end + 80))


@cache
def _lead_to_symbol() -> re.Pattern[str]:
    return re.compile(rf"\s*[:(]?\s*(?:(?:{type_words()})\s+)?(?:số\s*:?\s*)?")


def _registry_match(name: str, doc_type: str, year: int | None) -> KnownDocument | None:
    """The document of the reference list that ``name`` designates and, when the text dates
    the reference, that was issued in ``year`` ("Luật Ban hành văn bản quy phạm pháp luật
    năm 2008" is not the law of 2015). A law's name is its whole title ("Luật Viên
    chức", which is also part of the title of the law amending it); another name may be
    part of the title, if long enough to tell it apart. A project called by a number
    ("Đề án 06", "Đề án 06/CP") is the one the decision of that number approves, when the
    list holds one such decision."""
    if doc_type == "Đề án" and (numbered := _PROJECT_NUMBER.match(fold(name))):
        approving = [
            doc
            for title, doc in _title_keys()
            if doc.symbol.split("/")[0].lstrip("0") == numbered["number"].lstrip("0")
            and title.startswith(_APPROVES_PROJECT)
            and year in (None, doc.date.year)
        ]
        return approving[0] if len(approving) == 1 else None
    key = _name_key(name)
    partial = doc_type not in LAW_TYPES and len(key.split()) >= 4
    for title, doc in _title_keys():
        if (key == title or (partial and key in title)) and year in (None, doc.date.year):
            return doc
    return None


@cache
def _title_keys() -> tuple[tuple[str, KnownDocument], ...]:
    """(:func:`_name_key` of the title, document) for the reference list, in its order."""
    return tuple((_name_key(doc.title), doc) for docs in known_documents().values() for doc in docs)


def _name_key(name: str) -> str:
    return re.sub(r"\s*[-–]\s*", "-", fold(name))


def _short_name(name: str) -> str:
    """The name that identifies the document: "Hiến pháp nước Cộng hòa xã hội chủ nghĩa
    Việt Nam" is "Hiến pháp", so that both spellings are one node."""
    state = _STATE_NAME.search(fold(name))  # folding keeps the length: tones only move
    return name[: state.start()] if state else name


def _candidates(text: PlanText, province: str | None) -> list[_Candidate]:
    found: list[_Candidate] = []
    amending: list[tuple[int, int]] = []
    for match in AMENDING_LAW_RE.finditer(text.text):
        name_end, end, year = _law_end(text, match.end(), _amended_names_stop())
        amending.append((match.start(), end))
        doc_type = match.group("type")
        found.append(_Candidate(match.start(), end, doc_type, _law_issuer(doc_type), name_end, year))
    for match in _LAW.finditer(text.text):
        if any(start <= match.start() < end for start, end in amending):
            continue
        name_end, end, year = _law_end(text, match.end(), _law_stop())
        doc_type = match.group("type")
        found.append(_Candidate(match.start(), end, doc_type, _law_issuer(doc_type), name_end, year))
    for match in _PARTY.finditer(text.view):
        if not text.text[match.start()].isupper():
            continue
        doc_type = "Nghị quyết" if match.group("type") == "nghị quyết" else match.group("type").capitalize()
        # A local party organisation's congress is its own issuer, which the name does not say whole.
        issuer = None if match.group("local") else "Ban Chấp hành Trung ương Đảng"
        found.append(_Candidate(match.start(), match.end(), doc_type, issuer, match.end()))
    for match in _NAMED.finditer(text.text):
        if _SELF_REFERENCE.search(text.view, max(0, match.start() - 40), match.start()):
            continue
        stop = _NAME_STOP.search(text.text, match.end(), match.end() + 240)
        end = stop.start() if stop else min(len(text.text), match.end() + 240)
        of = text.view.rfind(" của ", match.end(), end)
        if of >= 0 and not text.text[match.end() : of].strip():
            continue  # a type and its issuer name no document ("Quyết định của UBND tỉnh")
        issuer = read_issuer(text.text, text.view, of + 5, province) if of >= 0 else None
        name_end = end
        if issuer:
            name_end, end = of, issuer.end
        elif match.group("type") not in _DISTINCTIVE:
            continue
        if SYMBOL_RE.search(text.text, match.end(), end) and not _PROJECT_NUMBER.match(text.view, match.start(), end):
            continue
        found.append(_Candidate(match.start(), end, match.group("type"), issuer.name if issuer else None, name_end))
    return found


def _law_issuer(doc_type: str) -> str:
    """The Assembly passes laws and codes; its Standing Committee, ordinances."""
    return "Ủy ban Thường vụ Quốc hội" if doc_type == "Pháp lệnh" else "Quốc hội"


def _law_end(text: PlanText, name_start: int, stop: re.Pattern[str]) -> tuple[int, int, int | None]:
    """Where the name of a law named from ``name_start`` ends (at ``stop``), where the
    reference ends (after the date that follows) and that date's year."""
    found = stop.search(text.text, name_start, name_start + 240)
    # A line break inside a hard-wrapped paragraph is a space.
    while found and found.group() == "\n" and text.block(found.start())[1] > found.start():
        found = stop.search(text.text, found.end(), name_start + 240)
    name_end = found.start() if found else name_start
    date = _LAW_DATE.match(text.view, name_end)
    if not date:
        return name_end, name_end, None
    day = date_from_match(date)
    year = day.year if day else int(date.group("year")) if date.group("year") else None
    return name_end, date.end(), year


def extract_unnumbered(text: PlanText, citations: list[Citation], province: str | None) -> list[UnnumberedCitation]:
    """Unnumbered citations, one per document (the longest surface seen)."""
    result: dict[str, UnnumberedCitation] = {}
    for cand in sorted(_candidates(text, province), key=lambda c: c.start):
        surface = " ".join(text.text[cand.start : cand.end].split()).rstrip(" ,")
        if len(surface.split()) < 2 or _followed_by_symbol(text, cand.end):
            continue
        if _inside_numbered(text, cand.start, citations):
            continue
        name = _short_name(" ".join(text.text[cand.start : cand.name_end].split()).rstrip(" ,"))
        known = _registry_match(name, cand.doc_type, cand.year)
        item = UnnumberedCitation(
            surface=surface,
            doc_type=known.doc_type if known else cand.doc_type,
            evidence=text.evidence(cand.start, cand.end),
            issuer=known.issuer if known else cand.issuer,
            date=known.date if known else None,
            relation=relation_at(text, cand.start),
            name=name,
            year=known.date.year if known else cand.year,
            resolved_to=DocumentKey(known.symbol, known.date.year) if known else None,
        )
        # Two laws of one name are told apart by their years (the law of 2008 and of 2015).
        key = f"{_name_key(name)} {item.year}" if item.year else _name_key(name)
        same = next((k for k in result if k.startswith(key) or key.startswith(k)), None)
        if same is None:
            result[key] = item
        elif len(key) > len(same) or (len(key) == len(same) and item.issuer and not result[same].issuer):
            merged = result.pop(same)
            item.relation = max(item.relation, merged.relation, key=RELATION_RANK.__getitem__)
            result[key] = item
        elif len(item.surface) > len(result[same].surface) and item.issuer:
            result[same] = item
    return list(result.values())


def amendments_by_amending_laws(text: PlanText, unnumbered: list[UnnumberedCitation]) -> list[Amendment]:
    """An amending law named without its number but known to the reference list ("Luật sửa
    đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa
    phương" is 47/2019/QH14) amends each known law its name names by title."""
    amendments = []
    for item in unnumbered:
        start, _ = text.clean_range(item.evidence.span)
        head = AMENDING_LAW_RE.match(text.text, start)
        if item.resolved_to is None or head is None:
            continue
        for amended, title_end in laws_titled_from(text.view, head.end()):
            amendments.append(Amendment(item.resolved_to, amended, "amends", text.evidence(start, title_end)))
    return amendments
