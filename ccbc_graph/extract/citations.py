"""Citations of numbered documents, from the grammar of Vietnamese official texts.

A reference is written ``[type word] [số] {symbol} [ngày {date}] [của {issuer}] [về …]``,
in any of the orders the texts use. The relation comes from the cue that opens the
paragraph ("Căn cứ", "Trên cơ sở" -> basis, "Thực hiện"/"Triển khai" -> implements), from a
"… này sửa đổi, bổ sung / thay thế / bãi bỏ …" said by the plan itself, and is plain
``references`` otherwise. "X sửa đổi, bổ sung Y" between two cited documents is an
amendment of Y by X, not a relation of the plan.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from ccbc_graph.extract.agencies import issuer_opening
from ccbc_graph.extract.dates import DATE_RE, date_from_match
from ccbc_graph.extract.issuers import IssuerMatch, LocalUnit, below_province, in_province, read_issuer
from ccbc_graph.extract.metadata import opening_position
from ccbc_graph.extract.symbols import SYMBOL_RE, Symbol, find_symbols, parse_symbol
from ccbc_graph.extract.text import PlanText
from ccbc_graph.model import (
    Amendment,
    Citation,
    CitationMention,
    DocumentKey,
    DocumentMeta,
    Evidence,
    NotCitation,
)
from ccbc_graph.reference import (
    KnownDocument,
    generic_document_words,
    known_documents,
    type_by_abbreviation,
    type_by_name,
)
from ccbc_graph.textnorm import fold

RELATION_RANK = {"repeals": 5, "amends": 4, "basis": 3, "implements": 2, "references": 1}


@cache
def type_words() -> str:
    """An alternation of the words that name a document before its symbol, over the view:
    type names and generic words ("văn bản"), longest first, any blanks between words."""
    names = sorted([*type_by_name(), *generic_document_words()], key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


@cache
def _type_word_re() -> re.Pattern[str]:
    """The words before a symbol, over the view: a type name or a generic word ("văn
    bản"), a date when it comes first ("Quyết định ngày 15/7/2021 số …"), then "số"."""
    return re.compile(rf"(?P<type>{type_words()})\s*(?:(?:{DATE_RE.pattern})\s*,?\s*)?(?:số\s*(?::\s*)?)?(?:\(\s*)?$")


@cache
def _type_abbreviation_re() -> re.Pattern[str]:
    """A type written as its abbreviation before the symbol ("NQ 30c/NQ-CP", "QĐ số
    225/QĐ-TTg"), over the text: abbreviations are told apart by case. One-letter ones
    (L) are left out: a stray capital is too common."""
    abbreviations = sorted((a for a in type_by_abbreviation() if len(a) > 1), key=len, reverse=True)
    alternation = "|".join(map(re.escape, abbreviations))
    return re.compile(rf"(?<![\w/-])(?P<abbr>{alternation})(?:\s*số\s*:?\s*|\s+)$")


# "số" alone before a symbol, as the later members of a list sharing one type word write it.
_NUMBER_WORD_RE = re.compile(r"(?<!\w)số\s*(?::\s*)?$")
# Bullets and dashes that may open a paragraph before its words.
_BULLETS = "-–+•*>"
# A clause that opens with the date and names the issuer before the document: "Ngày
# 15/7/2021, UBND tỉnh ban hành Kế hoạch số 100/KH-UBND".
_LEAD_DATE_RE = re.compile(rf"[\s{re.escape(_BULLETS)}]*(?:{DATE_RE.pattern})\s*,?\s*")
# "… (đã) (ký) ban hành": the verb of an issuer, before its document or after it.
_ISSUING = r"\s*(?:đã\s+)?(?:ký\s+)?ban hành"
_ISSUED_RE = re.compile(rf"{_ISSUING}\s*$")
# Between a symbol and its date: "ngày …", ", ngày …", "ban hành ngày …", "(ban hành ngày …)".
_BEFORE_DATE_RE = re.compile(r"\s*,?\s*(?:\(\s*)?(?:ban hành\s+)?(?:\(\s*)?")
# Between a reference and its issuer, a bracket its date was written in closed first.
_BEFORE_ISSUER_RE = re.compile(r"\s*\)?\s*(?:của\s+|,\s*(?=hội nghị|ban chấp hành)|\(\s*)")
# The issuer as the subject of "ban hành" after the reference: "… do UBND tỉnh ban hành".
_ISSUED_BY_RE = re.compile(r"\s*,?\s*do\s+")
_ISSUING_RE = re.compile(rf"{_ISSUING}(?!\w)")
# A proposal names its proposer, the issuer, before the reference: "Theo đề nghị của Giám
# đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV", "Xét đề nghị của UBND huyện A tại Tờ trình …".
_PROPOSAL_RE = re.compile(r"(?:đề nghị|đề xuất|kiến nghị|ý kiến)\s+của\s+")
_PROPOSED_IN_RE = re.compile(r"\s*tại\s+")
# Where a body's name after "của" surely ends: a mark, or the subject after it ("về …").
_PHRASE_END_RE = re.compile(r"[;,.:()\n\t]|\s(?:về|ngày|năm|số|quy định|ban hành)\s")
# The issue year written alone: "năm 2021", "tháng 3/2022", "tháng 3 năm 2022".
_YEAR_AFTER_RE = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?(?:tháng\s+\d{1,2}\s*(?:/\s*|năm\s+)|năm\s+)(?P<year>(?:19|20)\d\d)(?!\d)"
)


_LEADING_MARKS = rf"^[\s{re.escape(_BULLETS)}]*(?:\(?[a-zđ]\)|\(?\d+(?:\.\d+)*[.)]|[ivxlc]+\.)?\s*"
# The cue opens the paragraph, possibly after "Để", "Nhằm", "Tiếp tục" ("Để triển khai
# thực hiện Nghị quyết số …, UBND tỉnh ban hành …").
_CUE_RE = re.compile(
    _LEADING_MARKS + r"(?:(?:để|nhằm)\s+)?(?:tiếp tục\s+)?(?P<cue>căn cứ|trên cơ sở|thực hiện|triển khai|thi hành)\b",
    re.MULTILINE,
)
# A cue anywhere in the plan's own title before the document it names.
_TITLE_CUE_RE = re.compile(r"(?<!\w)(?:thực hiện|triển khai|thi hành)(?!\w)")
# A heading that names the legal basis of what follows without a cue word ("I. CƠ SỞ
# PHÁP LÝ", "CƠ SỞ XÂY DỰNG KẾ HOẠCH"): the list below it is the basis.
_BASIS_HEADING_RE = re.compile(_LEADING_MARKS + r"cơ sở\s+(?:pháp lý|chính trị|xây dựng|ban hành)\b")
_CUE_RELATION = {
    "căn cứ": "basis",
    "trên cơ sở": "basis",
    "thực hiện": "implements",
    "triển khai": "implements",
    "thi hành": "implements",
}
_ANNEX_HEADING_RE = re.compile(r"^[\s(\[]*(?:ban hành\s+)?kèm theo\b", re.MULTILINE)
_HEADER_NUMBER_RE = re.compile(r"^\s*số\s*:?\s*$")
# The verbs of one document's act on another; "bổ sung" alone also between two cited
# documents ("Nghị định X bổ sung Nghị định Y"), though not as the plan's own act.
_REVISING_VERBS = r"sửa đổi,?\s*bổ sung|sửa đổi|thay thế|bãi bỏ|hủy bỏ"
_AMENDING_VERBS = rf"{_REVISING_VERBS}|bổ sung"
# A bracket closed on the verb or a year names a revised edition, no act (see below).
_EDITION_NOT_ACT = r"(?![,\s]*(?:bổ sung\s*)?(?:\)|năm\b))"
_AMEND_CUE_RE = re.compile(rf"\s*[,(]?\s*(?:về\s+)?(?:việc\s+)?(?P<cue>{_AMENDING_VERBS})\b{_EDITION_NOT_ACT}")
# The verb a registry title opens with, which a clause citing the document leaves out.
_TITLE_OPENING = re.compile(r"^(?:về việc|về|ban hành|phê duyệt)\s+")
# "X … (thay thế Y)": an aside after X's description. Closed on the verb, or on a year,
# it names the revised edition of a law, no act: "Luật Thủ đô (sửa đổi)", "Luật Đất đai
# (sửa đổi, bổ sung năm 2019)".
_REVISING_ASIDE_RE = re.compile(rf"\(\s*(?P<cue>{_REVISING_VERBS})\b{_EDITION_NOT_ACT}")
# "Y, được sửa đổi, bổ sung bởi X", "Y (đã được sửa đổi, bổ sung tại X)": Y is the one amended.
_AMENDED_BY_CUE_RE = re.compile(rf"(?<!\w)(?:đã\s+)?được\s+(?P<cue>{_AMENDING_VERBS})\b")
# What may stand between the verb and the document it acts on: the parts it names
# ("một số điều", "khoản 2") and, actively, "của"/"và" before it, passively "bởi"/"theo".
_AMEND_PARTS = r"một số điều|điều\s+\d+\w*|khoản\s+\d+\w*|các|tại"
_AMENDED_BY_GAP_RE = re.compile(rf"^(?:[\s,]*(?:{_AMEND_PARTS}|bởi|theo))*[\s,]*$")
_AMEND_TARGET_LEAD = rf"(?:[\s,]*(?:{_AMEND_PARTS}|của|và))*[\s,]*"
_AMEND_TARGET_GAP_RE = re.compile(rf"^{_AMEND_TARGET_LEAD}$")
_AMEND_TARGET_LEAD_RE = re.compile(_AMEND_TARGET_LEAD)
# Laws, codes and ordinances are named by their titles, which the reference list holds.
LAW_TYPES = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh")
# An amending law is named by what it amends: "Luật sửa đổi, bổ sung một số điều của Luật
# Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương". The laws in its name are not
# cited by it.
AMENDING_LAW_RE = re.compile(
    r"(?P<type>Bộ luật|Luật|Pháp lệnh)\s+sửa\s+đổi\s*,?\s*bổ\s+sung\s+(?:một\s+số\s+điều\s+)?(?:của\s+|tại\s+)?"
)
# Between the last law an amending law's name names and its number: "… và Luật Viên chức số 52/2019/QH14".
_NAME_TO_NUMBER_RE = re.compile(r"[\s,]*(?:số\s*:?\s*)?")
# The plan speaking of itself ("Kế hoạch này …", "Quyết định này có hiệu lực … và thay thế …").
_SELF_SUBJECT_RE = re.compile(
    r"(?:kế hoạch|quyết định|nghị quyết|chỉ thị|chương trình|văn bản|thông tư|hướng dẫn|quy chế|quy định)\s+này\b"
)
# An article of the plan's own text ("Điều 2."), whose subject is the plan: opening on what
# it does ("Điều 2. Bãi bỏ Quyết định số …"), or ending a document's force ("… hết hiệu lực").
_ARTICLE_RE = re.compile(r"\s*điều\s+\d+\w*\s*[.:]")
_EXPIRES_RE = re.compile(r"\s*,?\s*(?:sẽ\s+)?(?:hết|chấm dứt)\s+hiệu lực\b")
_ARTICLE_ACT_RE = re.compile(rf"{_ARTICLE_RE.pattern}\s*(?=(?:{_REVISING_VERBS})\b)")
_ACT_CUE_RE = re.compile(rf"(?P<cue>{_REVISING_VERBS})\b")


def _cue_kind(cue: str) -> str:
    return "repeals" if cue.startswith(("thay thế", "bãi bỏ", "hủy bỏ")) else "amends"


@dataclass
class _Found:
    """One symbol occurrence with everything read around it (clean-text offsets)."""

    symbol: Symbol
    start: int
    end: int
    symbol_start: int
    type_word: str | None
    date_written: date | None
    issuer: IssuerMatch | None
    relation: str
    own: str | None = None
    year_written: int | None = None  # "76/NQ-CP năm 2021": the issue year without the date


def _words_before(text: PlanText, pos: int) -> tuple[int, str | None, date | None]:
    """Where the reference starts before its symbol at ``pos``, the type it names (folded
    full name) and a date written ahead of the symbol."""
    view = text.view
    line_start = text.block(pos)[0]
    before = _type_word_re().search(view, max(line_start, pos - 80), pos)
    if before:
        return before.start(), " ".join(before.group("type").split()), date_from_match(before)
    abbreviation = _type_abbreviation_re().search(text.text, max(line_start, pos - 20), pos)
    if abbreviation:
        return abbreviation.start(), fold(type_by_abbreviation()[abbreviation.group("abbr")].name), None
    number_word = _NUMBER_WORD_RE.search(view, max(line_start, pos - 8), pos)
    return (number_word.start() if number_word else pos), None, None


def _read_around(text: PlanText, symbol_span: tuple[int, int], symbol: Symbol, province: str | None) -> _Found:
    view = text.view
    symbol_start, end = symbol_span
    start, type_word, date_written = _words_before(text, symbol_start)
    issuer: IssuerMatch | None = None
    year_written: int | None = None
    for _ in range(3):
        date_match = _BEFORE_DATE_RE.match(view, end)
        after = DATE_RE.match(view, date_match.end()) if date_match else None
        if date_written is None and after and (after.group(0).startswith("ngày") or date_match.end() - end <= 2):
            date_written = date_from_match(after)
            end = after.end()
            continue
        year = _YEAR_AFTER_RE.match(view, end)
        if date_written is None and year_written is None and year:
            year_written = int(year.group("year"))
            end = year.end()
            continue
        if issuer is None:
            joint = _BEFORE_ISSUER_RE.match(view, end)
            found = read_issuer(text.text, view, joint.end(), province) if joint else None
            if found is None and joint and "của" in joint.group(0):
                found = _body_of_lexicon(text, joint.end(), province)
            if found is None:
                found = _issued_by(text, end, province)
            if found:
                issuer = found
                end = found.end
                continue
        break
    if date_written is None:
        date_written, lead_issuer = _lead_date_and_issuer(text, start, province)
        issuer = issuer or lead_issuer
    issuer = issuer or _proposer(text, start, province)
    return _Found(
        symbol, start, end, symbol_start, type_word, date_written, issuer, "references", year_written=year_written
    )


def _body_of_lexicon(text: PlanText, pos: int, province: str | None) -> IssuerMatch | None:
    """An issuer no issuer phrase reads but the bodies' lexicon knows, at ``pos`` after
    "của": "của Văn phòng UBND tỉnh", "của BHXH tỉnh", "của Công an tỉnh"."""
    stop = _PHRASE_END_RE.search(text.text, pos)
    return issuer_opening(text.text[pos : stop.start() if stop else len(text.text)], province, pos)


def _issued_by(text: PlanText, pos: int, province: str | None) -> IssuerMatch | None:
    """ "do UBND tỉnh ban hành": the body "do" names, where it is the subject of "ban
    hành" (in "do Sở Nội vụ chủ trì", "do" names who leads a task, not the issuer)."""
    lead = _ISSUED_BY_RE.match(text.view, pos)
    if lead is None:
        return None
    found = read_issuer(text.text, text.view, lead.end(), province) or _body_of_lexicon(text, lead.end(), province)
    return found if found and _ISSUING_RE.match(text.view, found.end) else None


def _proposer(text: PlanText, start: int, province: str | None) -> IssuerMatch | None:
    """The body whose proposal the reference at ``start`` holds, named before it ("đề nghị
    của Giám đốc Sở Nội vụ tại Tờ trình …"): a head's position before a body is passed
    over, as the head proposes for the body."""
    clause_start, _ = text.clause(start)
    proposals = list(_PROPOSAL_RE.finditer(text.view, clause_start, start))
    if not proposals:
        return None
    pos = proposals[-1].end()
    head = opening_position(text.view[pos:start])
    for at in (pos, pos + len(head) + 1) if head else (pos,):
        found = read_issuer(text.text, text.view, at, province) or _body_of_lexicon(text, at, province)
        proposed_in = _PROPOSED_IN_RE.match(text.view, found.end) if found else None
        if proposed_in and proposed_in.end() == start:
            return found
    return None


def _lead_date_and_issuer(text: PlanText, start: int, province: str | None) -> tuple[date | None, IssuerMatch | None]:
    """ "Ngày 15/7/2021, UBND tỉnh ban hành Kế hoạch số …": the date and the issuer a clause
    names before the reference at ``start`` that it opens on."""
    clause_start, _ = text.clause(start)
    lead = _LEAD_DATE_RE.match(text.view, clause_start, start)
    if not lead or not lead.group(0).lstrip(" " + _BULLETS).startswith("ngày"):
        return None, None
    issued = _ISSUED_RE.search(text.view, lead.end(), start)
    if not issued:
        return None, None
    issuer = read_issuer(text.text, text.view, lead.end(), province)
    if issuer and issuer.end != issued.start():
        issuer = None
    return date_from_match(lead), issuer


# Items a cue heading reaches back over: a basis list is short; longer runs are tables.
_LIST_ITEMS_MAX = 40


@cache
def _list_item_re() -> re.Pattern[str]:
    """A paragraph that is one reference of a list: it opens on a type word or "số"."""
    return re.compile(rf"{_LEADING_MARKS}(?:{type_words()}|số)\b")


def _heading_cue(text: PlanText, par_start: int) -> str | None:
    """The relation a list of references takes from the paragraph heading it ("Căn cứ:",
    "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH"): the items below follow a cue as if each repeated it.
    The list ends at the first paragraph that is neither an item nor blank. A cue that
    opens a list's first item ("Căn cứ Nghị quyết số …;") reaches the items on the lines
    after it while each ends as a list's items do, on ";" or ","."""
    pos = par_start
    listed = True  # every item passed over ends on ";" or ","
    for _ in range(_LIST_ITEMS_MAX):
        if pos == 0:
            break
        start, end = text.paragraph(pos - 1)
        pos = start
        line = text.view[start:end]
        if not line.strip():
            continue
        # Judged by its block: an item may run over several lines of text copied from a PDF.
        block_start, block_end = text.block(start)
        item_ends_list = text.view[block_start:block_end].rstrip().endswith((";", ","))
        opening_cue = _CUE_RE.match(text.view, block_start, block_end)
        if opening_cue and listed and item_ends_list:
            return _CUE_RELATION[opening_cue.group("cue")]
        if _list_item_re().match(line):
            listed = listed and item_ends_list
            continue
        cue = _CUE_RE.match(line)
        heading = line.rstrip().endswith(":") or (
            len(line.split()) <= 12 and not line.rstrip().endswith((";", ".", ","))
        )
        if not heading or SYMBOL_RE.search(text.text, start, end):
            return None
        if cue:
            return _CUE_RELATION[cue.group("cue")]
        act = _plans_act(line)
        if act:
            return act
        return "basis" if _BASIS_HEADING_RE.match(line) else None
    return None


def _implemented_by_title(text: PlanText, title: tuple[int, int] | None, found: _Found) -> bool:
    """Whether the plan's own title says it carries the document out: "KẾ HOẠCH / thực hiện
    Nghị quyết số 18-NQ/TW …", "Chương trình hành động thực hiện …", "Về việc triển khai
    …" (the cue need not open the title, nor be capitalised after the type heading)."""
    if title is None or not title[0] <= found.start < title[1]:
        return False
    return bool(_TITLE_CUE_RE.search(text.view, title[0], found.start))


def _expires_by_article(text: PlanText, found: _Found) -> bool:
    """ "Điều 3. Quyết định số 980/QĐ-UBND … hết hiệu lực kể từ ngày Quyết định này có hiệu
    lực": an article of the plan's own text ends the document's force, a repeal."""
    return bool(_EXPIRES_RE.match(text.view, found.end) and _ARTICLE_RE.match(text.view, text.block(found.start)[0]))


def _plans_act(line: str) -> str | None:
    """What the plan does to the documents a heading lists: "Điều 1. Bãi bỏ các văn bản
    sau đây:", "Quyết định này thay thế các văn bản sau:"."""
    subject = _ARTICLE_ACT_RE.match(line) or _SELF_SUBJECT_RE.search(line)
    act = _ACT_CUE_RE.search(line, subject.end()) if subject else None
    return _cue_kind(act.group("cue")) if act else None


def relation_at(text: PlanText, start: int) -> str:
    """The plan's relation to a document referred to at ``start``."""
    par_start, par_end = text.block(start)
    sentence_start, _ = text.sentence(start)
    cue = _CUE_RE.match(text.view, par_start)
    if cue and cue.end() <= start and sentence_start <= cue.start("cue"):
        return _CUE_RELATION[cue.group("cue")]
    if not cue and _list_item_re().match(text.view[par_start:par_end]):
        heading = _heading_cue(text, par_start)
        if heading:
            return heading
    # What the plan itself does to the document: the cue just before it, in a sentence
    # whose subject is the plan.
    subject = _ARTICLE_ACT_RE.match(text.view, par_start) or _SELF_SUBJECT_RE.search(text.view, sentence_start, start)
    cues = list(_ACT_CUE_RE.finditer(text.view, subject.end(), start)) if subject else []
    if cues and _AMEND_TARGET_GAP_RE.match(text.view[cues[-1].end() : start]):
        return _cue_kind(cues[-1].group("cue"))
    return "references"


def _own_number_kind(text: PlanText, found: _Found, title: tuple[int, int] | None) -> str | None:
    """Whether the occurrence is the plan's own number: in the header ("Số: …"), in the
    line under the title that names the instrument issuing it ("(Ban hành kèm theo
    Quyết định số …)"), or in an annex heading ("Kèm theo Kế hoạch số …")."""
    line_start, _ = text.paragraph(found.symbol_start)
    if _HEADER_NUMBER_RE.match(text.view[line_start : found.symbol_start]) and (
        title is None or found.symbol_start < title[0]
    ):
        return "header"
    if _ANNEX_HEADING_RE.match(text.view, line_start) and found.start - line_start < 40:
        if title is not None and line_start >= title[1] and not text.text[title[1] : line_start].strip():
            return "issuing instrument"
        return "annex"
    return None


@dataclass
class CitationResult:
    citations: list[Citation]
    amendments: list[Amendment]
    not_citations: list[NotCitation]
    own_symbol: Symbol | None
    own_date: date | None
    own_issuer: IssuerMatch | None
    own_evidence: Evidence | None


def document_type(symbol: Symbol, type_word: str | None = None) -> str:
    """The type of the document a symbol numbers: the symbol's abbreviation, else the type
    word before it, else what a symbol without a type is (a law, or a letter)."""
    if symbol.type_abbr:
        return type_by_abbreviation()[symbol.type_abbr].name
    written = type_by_name().get(type_word) if type_word else None
    if written:
        return written.name
    if symbol.issuer_code.startswith("UBTVQH"):
        return "Nghị quyết"
    if symbol.issuer_code.startswith("QH"):
        return "Luật"
    return "Công văn"


def _candidates(symbol: Symbol) -> tuple[KnownDocument, ...]:
    return known_documents().get(symbol.text, ())


def _resolve_date(
    symbol: Symbol,
    written: date | None,
    plan_date: date | None,
    written_year: int | None = None,
    described: str | None = None,
) -> tuple[date | None, int | None, KnownDocument | None]:
    """Real date, issue year and the known document, from what was written (a date, or
    only a year) and the registry. Of several known documents with an undated symbol,
    the plan can cite only those issued before it, and means the one whose title its
    clause writes out (``described``)."""
    candidates = _candidates(symbol)
    year = symbol.year or (written.year if written else written_year)
    if year:
        same_year = [k for k in candidates if k.date.year == year]
        if len(same_year) == 1:
            return same_year[0].date, year, same_year[0]
        titled = _titled(candidates, described) if not symbol.year and not same_year else []
        if len(titled) == 1:
            # A mistyped year in the date: the number and the title name the document.
            return titled[0].date, titled[0].date.year, titled[0]
        # The year in a symbol is the year of issue: a date of another year is miswritten.
        return (written if written and written.year == year else None), year, None
    if plan_date:
        candidates = tuple(k for k in candidates if k.date <= plan_date)
    if len(candidates) > 1:
        candidates = tuple(_titled(candidates, described)) or candidates
    if len(candidates) == 1:
        return candidates[0].date, candidates[0].date.year, candidates[0]
    return None, None, None


def _titled(candidates: tuple[KnownDocument, ...], described: str | None) -> list[KnownDocument]:
    """The known documents whose registry title the text ``described`` writes out."""
    if not described:
        return []
    words = _title_words(described)
    return [k for k in candidates if _title_words(k.title) in words]


def _title_words(text: str) -> str:
    """A title's words as a clause would hold them: folded, without punctuation and
    without the verb a registry title opens with ("Ban hành …", "Về việc …")."""
    words = " ".join(re.sub(r"[^\w/]+", " ", fold(text)).split())
    return f" {_TITLE_OPENING.sub('', words)} "


def _bare_issuer_code(found: _Found) -> bool:
    """ "Phòng 2/UBND": a number and an issuer's code alone, with no type, year or drafting
    unit, is a letter's symbol only when "số" or a type word names it one."""
    symbol = found.symbol
    bare = not (symbol.type_abbr or symbol.year or symbol.party or "-" in symbol.issuer_code)
    return bare and found.start == found.symbol_start


def _project_by_number(found: _Found) -> bool:
    """ "Đề án 06/CP": a project is called by the number of the decision approving it; a
    symbol with no type code after "Đề án" is that name (read with the unnumbered names),
    not the symbol of a document of its own, which would carry its code ("01/ĐA-UBND")."""
    return found.type_word == "đề án" and not found.symbol.type_abbr


# Numbers written before a symbol that they share: "các Quyết định số 1291, 1292/QĐ-UBND".
_SHARED_SYMBOL_NUMBERS = re.compile(r"(?<!\w)số\s*:?\s*(?P<numbers>(?:\d{1,5}[a-zđ]?\s*(?:,|và)\s*)+)$")
_NUMBER = re.compile(r"\d{1,5}[a-zđ]?")


def _symbols_written(text: PlanText) -> list[tuple[tuple[int, int], Symbol]]:
    """Every symbol of the text with its span, in order; a number sharing the symbol after
    it stands for that symbol with its own number."""
    found: list[tuple[tuple[int, int], Symbol]] = []
    for match, symbol in find_symbols(text.text):
        shared = _SHARED_SYMBOL_NUMBERS.search(text.view, max(0, match.start() - 60), match.start())
        if shared:
            suffix = symbol.text[len(symbol.number) :]
            for number in _NUMBER.finditer(text.view, shared.start("numbers"), shared.end("numbers")):
                member = parse_symbol(number.group() + suffix)
                if member:
                    found.append((number.span(), member))
        found.append((match.span(), symbol))
    return found


def extract_citations(
    text: PlanText,
    meta: DocumentMeta,
    title: tuple[int, int] | None,
    plan_reference_date: date | None,
    own_unit: LocalUnit | None = None,
) -> CitationResult:
    """All numbered citations of a plan, merged per cited document, with amendments.

    ``own_unit``: the unit below the province whose plan it is, as its header names it."""
    province = meta.province
    found_all: list[_Found] = []
    for symbol_span, symbol in _symbols_written(text):
        found = _read_around(text, symbol_span, symbol, province)
        found.issuer = _of_own_unit(found.issuer, own_unit)
        if _bare_issuer_code(found) or _project_by_number(found):
            continue
        found.own = _own_number_kind(text, found, title)
        found.relation = "repeals" if _expires_by_article(text, found) else relation_at(text, found.start)
        if found.relation == "references" and _implemented_by_title(text, title, found):
            found.relation = "implements"
        found_all.append(found)
    _share_list_facts(text, found_all, province)
    _share_the_plans_act(text, found_all)

    own = (
        next((f for f in found_all if f.own == "header"), None)
        or next((f for f in found_all if f.own == "issuing instrument"), None)
        or next((f for f in found_all if f.own == "annex" and _type_matches(f, meta.doc_type)), None)
    )
    own_symbol = own.symbol if own else None
    own_date = next((f.date_written for f in found_all if f.own and f.symbol == own_symbol and f.date_written), None)
    own_issuer = next((f.issuer for f in found_all if f.own and f.symbol == own_symbol and f.issuer), None)
    not_citations = [
        NotCitation(
            text.text[f.start : f.end],
            f"the document's own number ({f.own or 'repeated in the text'})",
            text.clean.to_original(f.start, f.end),
        )
        for f in found_all
        if own_symbol and f.symbol == own_symbol
    ]
    cited = [f for f in found_all if not (own_symbol and f.symbol == own_symbol)]

    keyed = _assign_keys(text, cited, province, plan_reference_date)
    amendments = _amendments(text, keyed)
    _basis_not_repealed(text, keyed, amendments)
    citations = _merge(text, keyed)
    own_evidence = text.evidence(own.start, own.end) if own else None
    return CitationResult(citations, amendments, not_citations, own_symbol, own_date, own_issuer, own_evidence)


# Between two references of one list: a comma, "và", or both.
LIST_GAP_RE = re.compile(r"\s*(?:,\s*)?(?:và\s*)?")
_AND_GAP_RE = re.compile(r"\s*,?\s*và\s*")
# The documents a document replaces are listed each with its description: "thay thế Quyết
# định số 09/2015/QĐ-TTg … về ban hành Quy chế … và Nghị định số 43/2011/NĐ-CP …". (Not
# so after "sửa đổi, bổ sung": there a document named after the amended one's description
# is as often the plan's next basis.)
_REPLACED_GAP_RE = re.compile(r"\s*(?:,?\s*(?:về|quy định)\s[^;:()\n]*?)?,?\s*và\s*")


def _continues_list(text: PlanText, previous: _Found, found: _Found) -> bool:
    """Whether ``found`` is the next member of a list with ``previous`` ("Nghị quyết số
    76/NQ-CP ngày 15/7/2021 và số 30c/NQ-CP …"): joined by a comma or "và" alone, no
    issuer named between them, and the same issuer code in both symbols."""
    gap = LIST_GAP_RE.match(text.view, previous.end, found.start)
    return (
        previous.issuer is None
        and gap is not None
        and gap.end() == found.start > previous.end
        and previous.symbol.party == found.symbol.party
        and previous.symbol.issuer_code.split("-")[0] == found.symbol.issuer_code.split("-")[0]
    )


def _share_list_facts(text: PlanText, found_all: list[_Found], province: str | None) -> None:
    """An issuer (and a date) written once for a list is every member's, so a local symbol
    gets the province named there: after the last member ("… và số 30c/NQ-CP ngày
    08/11/2011 của Chính phủ"), or before the first, where the list opens on a colon ("các
    Quyết định của UBND tỉnh Hà Tĩnh: số 100/QĐ-UBND …, số 200/QĐ-UBND …")."""
    members: list[_Found] = []
    previous_end = 0
    for found in [*found_all, None]:
        if found is not None and members and _continues_list(text, members[-1], found):
            members.append(found)
            continue
        _share_list_date(members)
        if members and members[-1].issuer:
            for member in members[:-1]:
                member.issuer = members[-1].issuer
        elif members:
            lead = _issuer_before_list(text, max(previous_end, text.block(members[0].start)[0]), members[0], province)
            for member in members:
                if lead and member.symbol.issuer_name == lead.body:
                    member.issuer = lead
        previous_end = members[-1].end if members else previous_end
        members = [found] if found is not None else []


def _share_the_plans_act(text: PlanText, found_all: list[_Found]) -> None:
    """ "Kế hoạch này thay thế Kế hoạch số 11/KH-VP … và Kế hoạch số 12/KH-VP …": what the
    plan does to a document it acts on, it does to each joined to it by "và"."""
    for previous, found in itertools.pairwise(found_all):
        joined = _AND_GAP_RE.fullmatch(text.view, previous.end, found.start)
        if previous.relation in ("repeals", "amends") and found.relation == "references" and joined:
            found.relation = previous.relation


def _share_list_date(members: list[_Found]) -> None:
    """A date (or a year) written once, after the last member of a list, is every member's
    ("các Nghị quyết số 01/NQ-CP và số 02/NQ-CP ngày 06/01/2022"), unless the registry
    knows a member only from other years: the writer then left its own date out."""
    if not members or any(m.date_written or m.year_written for m in members[:-1]):
        return
    shared, shared_year = members[-1].date_written, members[-1].year_written
    year = shared.year if shared else shared_year
    if year is None:
        return
    for member in members[:-1]:
        known_years = {k.date.year for k in _candidates(member.symbol)}
        if not known_years or year in known_years:
            member.date_written, member.year_written = shared, shared_year


_OF_RE = re.compile(r"(?<!\w)của\s+")
_LIST_COLON_RE = re.compile(r"\s*:\s*")


def _issuer_before_list(text: PlanText, start: int, first: _Found, province: str | None) -> IssuerMatch | None:
    """The issuer "của …" names between ``start`` and the colon that opens a list at ``first``.
    A member takes it only when its symbol carries that issuer's code (UBND for a People's
    Committee or its Chairman): the heading may name another body."""
    for joint in reversed(list(_OF_RE.finditer(text.view, start, first.start))):
        issuer = read_issuer(text.text, text.view, joint.end(), province)
        if issuer and _LIST_COLON_RE.fullmatch(text.view, issuer.end, first.start):
            return issuer
    return None


def _type_matches(found: _Found, plan_type: str | None) -> bool:
    """Whether an annex heading names a document of the plan's own type (by symbol or word)."""
    if plan_type is None:
        return True
    written = type_by_name().get(found.type_word) if found.type_word else None
    return document_type(found.symbol, found.type_word) == plan_type or (
        written is not None and written.name == plan_type
    )


@dataclass
class _Keyed:
    found: _Found
    key: DocumentKey
    date: date | None
    known: KnownDocument | None
    issuer_province: str | None


def _assign_keys(text: PlanText, cited: list[_Found], province: str | None, plan_date: date | None) -> list[_Keyed]:
    """Identity of each occurrence: dated ones first, then undated ones by their neighbours."""
    keyed: list[_Keyed | None] = [None] * len(cited)
    for i, f in enumerate(cited):
        if f.symbol.year or f.date_written or f.year_written:
            real, year, known = _resolve_date(f.symbol, f.date_written, plan_date, f.year_written, _clause(text, f))
            keyed[i] = _Keyed(f, _key(f, year, province), real, known, _issuer_province(f, province))
    for i, f in enumerate(cited):
        if keyed[i] is not None:
            continue
        clause = _clause(text, f)
        # The known document whose title the clause writes out, whatever other mentions say:
        # "76/NQ-CP … ban hành Chương trình tổng thể … 2021 - 2030" beside "76/NQ-CP năm 2013".
        titled = _titled(_candidates(f.symbol), clause)
        if len(titled) == 1:
            known = titled[0]
            keyed[i] = _Keyed(f, _key(f, known.date.year, province), known.date, known, _issuer_province(f, province))
            continue
        dated = [k for k in keyed if k is not None and k.found.symbol.text == f.symbol.text]
        if dated:
            before = [k for k in dated if k.found.start < f.start]
            chosen = (before or dated)[-1] if len({k.key for k in dated}) > 1 else dated[0]
            keyed[i] = _Keyed(f, chosen.key, chosen.date, chosen.known, chosen.issuer_province)
            continue
        real, year, known = _resolve_date(f.symbol, None, plan_date, described=clause)
        keyed[i] = _Keyed(f, _key(f, year, province), real, known, _issuer_province(f, province))
    return [k for k in keyed if k is not None]


def _clause(text: PlanText, found: _Found) -> str:
    start, end = text.clause(found.start)
    return text.text[start:end]


def _of_own_unit(issuer: IssuerMatch | None, own_unit: LocalUnit | None) -> IssuerMatch | None:
    """A body named by a level word alone in a lower unit's plan ("của UBND huyện", "do
    Chủ tịch UBND thành phố ban hành" in a city's) is that unit's: the province's is
    written "UBND tỉnh", a centrally-run city's with its own level word ("UBND Thành phố"
    in a quận's plan)."""
    if issuer is None or own_unit is None or issuer.unit is not None or issuer.national:
        return issuer
    if not fold(issuer.name).endswith(f" {own_unit.word}"):
        return issuer
    return replace(issuer, name=f"{issuer.name} {own_unit.name}", unit=own_unit)


def _national(found: _Found) -> bool:
    """Whether a national body issued the document: its symbol's code names one ("CP",
    "BHXH") and no issuer phrase names a local one ("35/KH-BHXH … của BHXH tỉnh"), or a
    code the reference does not know comes with a national body's issuer phrase
    ("1999/QĐ-LĐTBXH … của Bộ Lao động - Thương binh và Xã hội")."""
    if found.symbol.issuer_known:
        return found.symbol.national and (found.issuer is None or found.issuer.national)
    return found.issuer is not None and found.issuer.national


def _issuer_province(found: _Found, province: str | None) -> str | None:
    if _national(found):
        return None
    return found.issuer.province if found.issuer and found.issuer.province else province


def _key(found: _Found, year: int | None, province: str | None) -> DocumentKey:
    unit = found.issuer.unit if found.issuer and not _national(found) else None
    return DocumentKey(found.symbol.text, year, _issuer_province(found, province), unit.label if unit else None)


def _issuer_name(keyed: _Keyed) -> str | None:
    if keyed.known:
        return keyed.known.issuer
    issuer = keyed.found.issuer
    if issuer and issuer.unit and keyed.issuer_province:
        return below_province(issuer, keyed.issuer_province)
    if issuer:
        return issuer.name
    symbol = keyed.found.symbol
    name = symbol.issuer_name
    if name and not symbol.national and keyed.issuer_province:
        return in_province(name, keyed.issuer_province)
    return name


def _merge(text: PlanText, keyed: list[_Keyed]) -> list[Citation]:
    by_key: dict[DocumentKey, Citation] = {}
    for k in keyed:
        f = k.found
        mention = CitationMention(
            symbol=f.symbol.text,
            evidence=text.evidence(f.start, f.end),
            relation=f.relation,
            type_word=f.type_word,
            date_written=f.date_written,
            issuer_written=f.issuer.name if f.issuer else None,
            issuer_province=k.issuer_province,
        )
        citation = by_key.get(k.key)
        if citation is None:
            citation = Citation(
                key=k.key,
                symbol=f.symbol.text,
                doc_type=document_type(f.symbol, f.type_word),
                date=k.date,
                issuer=_issuer_name(k),
                relation=f.relation,
                issuer_province=k.issuer_province,
                title=k.known.title if k.known else None,
                resolved=k.key.year is not None,
            )
            citation.co_issuers = tuple(n for n in f.symbol.joint_issuer_names if n != citation.issuer)
            by_key[k.key] = citation
        citation.mentions.append(mention)
        if RELATION_RANK[f.relation] > RELATION_RANK[citation.relation]:
            citation.relation = f.relation
        if citation.issuer is None:
            citation.issuer = _issuer_name(k)
        if citation.date is None:
            citation.date = k.date
        if f.date_written and f.date_written != citation.date:
            citation.date_as_written = f.date_written
        if f.type_word and f.symbol.type_abbr:
            written_type = type_by_name().get(f.type_word)
            if written_type and written_type.name != citation.doc_type:
                citation.note = (
                    f"written as '{written_type.name} số {f.symbol.text}': "
                    f"the symbol {f.symbol.type_abbr} makes it a {citation.doc_type}"
                )
    return list(by_key.values())


@cache
def _known_law_titles() -> tuple[tuple[re.Pattern[str], KnownDocument], ...]:
    """(folded title as a pattern, document) of the laws the reference list knows, longest
    title first; the title may be wrapped over lines."""
    laws = [(fold(k.title), k) for docs in known_documents().values() for k in docs if k.doc_type in LAW_TYPES]
    laws.sort(key=lambda law: -len(law[0]))
    return tuple((re.compile(r"\s+".join(map(re.escape, title.split())) + r"(?!\w)"), law) for title, law in laws)


def laws_titled_from(view: str, pos: int) -> list[tuple[DocumentKey, int]]:
    """The known laws named by their whole titles from ``pos`` on ("… của Luật Cán bộ, công
    chức và Luật Viên chức"), each with where its title ends; a year written after a title
    must be the law's."""
    laws: list[tuple[DocumentKey, int]] = []
    while True:
        pos = _AMEND_TARGET_LEAD_RE.match(view, pos).end()
        titled = next(((m, law) for title, law in _known_law_titles() if (m := title.match(view, pos))), None)
        if titled is None:
            return laws
        match, law = titled
        pos = match.end()
        year = _YEAR_AFTER_RE.match(view, pos)
        if year and int(year.group("year")) != law.date.year:
            return laws
        laws.append((DocumentKey(law.symbol, law.date.year), pos))


def _amended_by(text: PlanText, ordered: list[_Keyed], i: int) -> list[Amendment]:
    """ "Y về …, được sửa đổi, bổ sung bởi X (và Z)": the documents right after the passive
    cue amend ``ordered[i]``, the cue coming after it in the same clause."""
    amended = ordered[i]
    following = ordered[i + 1 :]
    if not following:
        return []
    cues = list(_AMENDED_BY_CUE_RE.finditer(text.view, amended.found.end, following[0].found.start))
    if not cues:
        return []
    kind = _cue_kind(cues[-1].group("cue"))
    _, clause_end = text.clause(amended.found.start)
    listed = _listed_after(text, following, cues[-1].end(), clause_end, _AMENDED_BY_GAP_RE, LIST_GAP_RE)
    return [
        Amendment(amending.key, amended.key, kind, text.evidence(amended.found.start, amending.found.end))
        for amending in listed
    ]


def _amending_law_named_before(text: PlanText, k: _Keyed) -> list[Amendment]:
    """ "Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức số
    52/2019/QH14": the numbered law amends each known law its name names, the name running
    up to the number in the same clause."""
    clause_start, _ = text.clause(k.found.start)
    heads = list(AMENDING_LAW_RE.finditer(text.text, clause_start, k.found.symbol_start))
    if not heads:
        return []
    named = laws_titled_from(text.view, heads[-1].end())
    if not named or _NAME_TO_NUMBER_RE.match(text.view, named[-1][1]).end() != k.found.symbol_start:
        return []
    evidence = text.evidence(heads[-1].start(), k.found.end)
    return [Amendment(amending=k.key, amended=amended, kind="amends", evidence=evidence) for amended, _ in named]


def _revising_aside(text: PlanText, following: list[_Keyed], k: _Keyed, clause_end: int) -> re.Match[str] | None:
    """ "Nghị định số 118/2025/NĐ-CP … về thực hiện thủ tục hành chính … (thay thế Nghị
    định số 61/2018/NĐ-CP)": an aside after a document's description, before any other
    document of its clause, says what that document replaces or amends."""
    end = min([clause_end, *(f.found.start for f in following)])
    return _REVISING_ASIDE_RE.search(text.view, k.found.end, end)


_PLAN_ACTS = ("basis", "implements")


def _basis_not_repealed(text: PlanText, keyed: list[_Keyed], amendments: list[Amendment]) -> None:
    """A "Căn cứ" or "Thực hiện" entry makes a basis of, or implements, the document it
    names, not those that one replaces: "Căn cứ Nghị định X (thay thế Nghị định Y)" only
    refers to Y."""
    for amendment in amendments:
        if amendment.kind != "repeals" or amendment.amended is None:
            continue
        start, end = text.clean_range(amendment.evidence.span)
        for k in keyed:
            if k.key == amendment.amended and start <= k.found.start < end and k.found.relation in _PLAN_ACTS:
                k.found.relation = "references"


def _listed_after(
    text: PlanText,
    following: list[_Keyed],
    cue_end: int,
    clause_end: int,
    lead: re.Pattern[str] = _AMEND_TARGET_GAP_RE,
    joint: re.Pattern[str] = _AND_GAP_RE,
) -> list[_Keyed]:
    """The documents a verb acts on, in its clause: the one right after it (``lead``
    between: "sửa đổi, bổ sung một số điều của Nghị định số …", passively "được sửa đổi,
    bổ sung bởi …") and those joined to it (``joint`` between: actively "và" only, as
    after a comma alone a list may go on with what the plan itself cites)."""
    listed: list[_Keyed] = []
    for k in following:
        gap = text.view[listed[-1].found.end if listed else cue_end : k.found.start]
        if k.found.start >= clause_end or not (joint if listed else lead).fullmatch(gap):
            break
        listed.append(k)
    return listed


def _amendments(text: PlanText, keyed: list[_Keyed]) -> list[Amendment]:
    """ "X sửa đổi, bổ sung Y": X amends Y when Y follows the cue directly; else Y unknown."""
    amendments: dict[tuple[DocumentKey, DocumentKey | None], Amendment] = {}
    ordered = sorted(keyed, key=lambda k: k.found.start)
    for i, k in enumerate(ordered):
        for statement in _amended_by(text, ordered, i) + _amending_law_named_before(text, k):
            amendments.setdefault((statement.amending, statement.amended), statement)
        _, clause_end = text.clause(k.found.start)
        cue = _AMEND_CUE_RE.match(text.view, k.found.end) or _revising_aside(text, ordered[i + 1 :], k, clause_end)
        if not cue:
            continue
        kind = _cue_kind(cue.group("cue"))
        joint = _REPLACED_GAP_RE if kind == "repeals" else _AND_GAP_RE
        listed = _listed_after(text, ordered[i + 1 :], cue.end(), clause_end, joint=joint)
        targets = [(t.key, t.found.end) for t in listed] or laws_titled_from(text.view, cue.end())
        for amended, evidence_end in targets or [(None, clause_end)]:
            if (k.key, amended) not in amendments:
                amendments[k.key, amended] = Amendment(
                    amending=k.key,
                    amended=amended,
                    kind=kind,
                    evidence=text.evidence(k.found.start, evidence_end),
                )
    # A statement without a target is redundant once the same document is seen amending a named one.
    named = {a.amending for a in amendments.values() if a.amended is not None}
    return [a for a in amendments.values() if a.amended is not None or a.amending not in named]
