"""The plan's own metadata, from the parts of an official document (Nghị định
30/2020/NĐ-CP, Appendix I): the header (issuing body, "Số:", place and date), the type
heading and title, the preamble ("…, Ủy ban nhân dân tỉnh ban hành Kế hoạch"), and the
signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", then the name). Exports often lose the
header; the province then comes from the names in the text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import accumulate

from ccbc_graph.extract.dates import BLANK_DATE_RE, DATE_RE, date_from_match
from ccbc_graph.extract.issuers import (
    IssuerMatch,
    LocalUnit,
    below_province,
    in_province,
    named_province,
    read_issuer,
)
from ccbc_graph.extract.symbols import BLANK_SYMBOL_RE
from ccbc_graph.extract.text import PlanText
from ccbc_graph.reference import DATA_DIR, province_by_name, type_by_name
from ccbc_graph.textnorm import fold, matching_view, modern_tones

# The type heading ("KẾ HOẠCH") stands within the first lines; a title page may push it down.
HEADING_SEARCH_LINES = 80
# The right-hand column of a header: the state's motto, or the party's name over a party document.
_NATIONAL_MOTTO = re.compile(
    r"cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*-\s*tự do\s*-\s*hạnh phúc|đảng cộng sản việt nam"
)
# "Quảng Trị, ngày …" opening a line or a column (after a tab, a pipe or a run of spaces,
# as a PDF export lays columns out); a numbered place ("Quận 3", "Phường 12") ends on its number.
_PLACE_DATE = re.compile(
    r"(?:^|[\t|]| {2,})[ \t]*(?P<place>[^\W\d_](?:[^\W\d_]|[-.'’]| (?! )){1,39}(?: \d{1,2})?),\s*(?=ngày)",
    re.MULTILINE,
)
_PERIOD = re.compile(r"giai đoạn\s+(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)")
# "năm 2022", not a horizon ("tầm nhìn đến năm 2030", "định hướng tới năm 2030").
_YEAR_IN_TITLE = re.compile(r"(?<!đến )(?<!tới )năm\s+(?P<y>(?:19|20)\d\d)(?!\s*[-–]\s*\d)")
_BODY_VERB = re.compile(
    r"\s(?:ban hành|xây dựng|triển khai|hướng dẫn|thông báo)\s+(?:kế hoạch|chương trình|quyết định|hướng dẫn|đề án)"
)
# A rule drawn under a heading or a title: dashes, underscores, stars, "---o0o---".
_RULE_LINE = re.compile(r"[-–—_*=~.·•\s]*(?:o0o|oOo|\*\*\*)?[-–—_*=~.·•\s]*")
# A letter's subject line: "V/v triển khai …", "Về việc …".
_SUBJECT = re.compile(r"[ \t]*(?:v/v|về việc)\b[\s:.]*")
_COLUMN_BREAK = re.compile(r"\t| {3,}")
_ANNEX_TITLE = re.compile(r"^\s*phụ lục\b")
# The header's line of the document's number, "Số: 12/KH-UBND" (or blank: "Số:   /KH-UBND").
_SYMBOL_LINE = re.compile(r"[\s*_]*số\s*:?\s*(?=[\d/])")
# Before a position in a signature block (Nghị định 30/2020/NĐ-CP, Appendix I): "TM."
# (thay mặt) a collective body; "KT." (ký thay), "TL." (thừa lệnh), "TUQ." (thừa ủy quyền)
# and "TTL." the head the signer signs for, whose own position is on the line below; "Q."
# (quyền) the signer's own position held as acting ("Q. GIÁM ĐỐC": Quyền Giám đốc). Party
# documents (Hướng dẫn 36-HD/VPTW) write them with a slash: "T/M BAN THƯỜNG VỤ".
SIGNATURE_PREFIX = re.compile(
    r"^(?:(?:(?P<acting>q)|tm|kt|tl|tuq|ttl)\s*[.,]|(?:t/m|k/t|t/l|t/uq)(?!\w)\.?)\s*", re.IGNORECASE
)
# The signature block is read in the last lines of the signed text. Where an export sets
# the recipients ("Nơi nhận") beside the block, each of them is a line between the
# position and the name: a long list puts the two 20 lines apart.
_SIGNATURE_LINES = 30
_DEPUTY = "phó "


def _lexicon(name: str) -> list[str]:
    with open(DATA_DIR / "lexicon" / name, encoding="utf-8", newline="") as handle:
        return [next(iter(row.values())) for row in csv.DictReader(handle)]


@cache
def _document_mark() -> re.Pattern[str]:
    """A mark stamped on a document, not part of any name: "DỰ THẢO", "MẬT", "HỎA TỐC"
    (Nghị định 30/2020/NĐ-CP: marks of draft, secrecy and urgency), over the folded text."""
    marks = sorted((fold(m) for m in _lexicon("document_marks.csv")), key=len, reverse=True)
    return re.compile(rf"\(?(?:{'|'.join(map(re.escape, marks))})(?!\w)")


@cache
def positions() -> dict[str, str]:
    """Folded position (``phó chủ tịch``) -> as written in a signature block's name (``Phó Chủ tịch``)."""
    return {fold(p): p for p in _lexicon("positions.csv")}


@cache
def _surnames() -> frozenset[str]:
    return frozenset(_lexicon("surnames.csv"))


@cache
def _qualifiers() -> dict[str, str]:
    """Folded word after a position that is part of it (``thường trực``) -> as written."""
    return {fold(q): q for q in _lexicon("position_qualifiers.csv")}


@cache
def _academic_title() -> re.Pattern[str]:
    """Titles a name may be signed with, one or more: "ThS. ", "PGS.TS. ", "TS "."""
    titles = "|".join(re.escape(t) for t in sorted(_lexicon("academic_titles.csv"), key=len, reverse=True))
    return re.compile(rf"(?:(?:{titles})\s*\.\s*)*(?:{titles})(?:\s*\.\s*|\s+)", re.IGNORECASE)


@cache
def _rank() -> re.Pattern[str]:
    """A police or army rank before a signer's name ("Đại tá", "THƯỢNG TÁ"), in modern tones."""
    ranks = sorted((modern_tones(r).lower() for r in _lexicon("ranks.csv")), key=len, reverse=True)
    spaced = (r"\s+".join(map(re.escape, rank.split())) for rank in ranks)
    return re.compile(rf"(?:{'|'.join(spaced)})\s+", re.IGNORECASE)


@dataclass
class Layout:
    """Where the parts of the document are (clean-text offsets; ``None`` if absent)."""

    heading_start: int | None
    title_start: int | None
    title_end: int | None
    main_end: int


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    spans = []
    pos = start
    stop = len(text) if end is None else end
    while pos <= stop and pos < len(text):
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        spans.append((pos, line_end))
        pos = line_end + 1
    return spans


def find_layout(text: PlanText) -> tuple[Layout, str | None]:
    """Locate the type heading ("KẾ HOẠCH"), the title below it and the end of the main part."""
    lines = _lines(text.text)
    heading: tuple[int, int] | None = None
    doc_type: str | None = None
    for start, end in lines[:HEADING_SEARCH_LINES]:
        raw = text.text[start:end].strip()
        if raw and raw == raw.upper() and fold(raw) in type_by_name():
            heading, doc_type = (start, end), type_by_name()[fold(raw)].name
            break
    title_start = title_end = None
    if heading:
        index = next(i for i, span in enumerate(lines) if span[0] == heading[0])
        after_blank = False
        for start, end in lines[index + 1 :]:
            raw = text.text[start:end].strip()
            if not raw and title_start is not None:
                after_blank = True  # the title goes on only in lower case (its lines as paragraphs)
                continue
            if not raw or _RULE_LINE.fullmatch(raw):
                if title_start is not None:
                    break
                continue
            if title_start is not None and (
                len(raw) > 160
                or raw.endswith((":", ";"))
                or raw.startswith(("(", "Căn cứ"))
                or (after_blank and not raw[0].islower())
            ):
                break
            if title_start is None:
                title_start = start + (len(text.text[start:end]) - len(text.text[start:end].lstrip()))
            title_end = start + len(text.text[start:end].rstrip())
    if heading is None:
        title_start, title_end = _subject_line(text, lines[:HEADING_SEARCH_LINES])
    main_end = len(text.text)
    search_from = title_end or 0
    for start, end in lines:
        if start > search_from and _ANNEX_TITLE.match(text.view[start:end]) and text.text[start:end].strip().isupper():
            main_end = start
            break
    return Layout(heading[0] if heading else None, title_start, title_end, main_end), doc_type


def _subject_line(text: PlanText, lines: list[tuple[int, int]]) -> tuple[int | None, int | None]:
    """The subject of a letter, its title: "V/v …" or "Về việc …" under its number, in the
    left column (a letter has no type heading)."""
    for start, end in lines:
        subject = _SUBJECT.match(text.view, start, end)
        if subject:
            cell_end = _COLUMN_BREAK.search(text.text, subject.end(), end)
            stop = cell_end.start() if cell_end else end
            title_end = subject.end() + len(text.text[subject.end() : stop].rstrip())
            return (subject.end(), title_end) if title_end > subject.end() else (None, None)
    return None, None


def _header_issuer(text: PlanText, layout: Layout) -> tuple[IssuerMatch | None, str | None, tuple[str, ...]]:
    """The issuing body printed at the top left, any province it names, and the left cells
    when no issuer phrase reads the lowest (see :func:`read_header`).

    The header is a two-column block: the issuer's lines on the left ("UBND TỈNH HÀ NAM",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), the national motto on the right, often exported side
    by side on one line. The left cells are read as one phrase; the last body named in it
    is the issuer, a province named before it is its province: also one named with no
    body, as a party header names the province's party organisation above a lower
    committee ("ĐẢNG BỘ TỈNH HÀ TĨNH", "HUYỆN ỦY KỲ ANH"). A lower unit's name ends with
    its cell: "UBND HUYỆN TAM NÔNG" over "PHÒNG NỘI VỤ" names huyện Tam Nông. A mark
    stamped below ("DỰ THẢO", "MẬT") is no cell of it, nor is anything after the line of
    the document's number (a receipt stamp: "CÔNG VĂN ĐẾN / Số: 381").
    """
    stop = layout.heading_start if layout.heading_start is not None else min(len(text.text), 600)
    left: list[str] = []
    for start, end in _lines(text.text, 0, stop):
        if _SYMBOL_LINE.match(text.view, start, end):
            break  # the issuer is printed above its document's number; a stamp may follow
        cells = _cells(text, start, end)
        if not cells:
            continue
        cell = cells[0]
        folded = fold(cell)
        if (
            cell == cell.upper()
            and any(c.isalpha() for c in cell)
            and not _NATIONAL_MOTTO.search(folded)
            and not _document_mark().match(folded)
        ):
            left.append(cell)
    phrase = " ".join(left)
    view = matching_view(phrase)
    cell_ends = {end - 1 for end in accumulate(len(cell) + 1 for cell in left)}
    found: IssuerMatch | None = None
    province: str | None = None
    pos = 0
    while pos < len(phrase):
        match = read_issuer(phrase, view, pos, province)
        if match and match.unit and match.end not in cell_ends:
            cut = max((end for end in cell_ends if pos < end < match.end), default=None)
            shorter = read_issuer(phrase[:cut], view[:cut], pos, province) if cut else None
            match = shorter if shorter and shorter.unit else match
        if match:
            found, pos = match, match.end
            province = match.province or province
            continue
        unit = named_province(phrase, view, pos)
        if unit:
            province, pos = province or unit[0], unit[1]
            continue
        next_space = phrase.find(" ", pos + 1)
        pos = len(phrase) if next_space < 0 else next_space
    lowest_unread = bool(left) and (found is None or found.end <= len(phrase) - len(left[-1]))
    return found, province, tuple(left) if lowest_unread else ()


def _place_and_date(text: PlanText, layout: Layout) -> tuple[str | None, date | None, int | None]:
    stop = layout.heading_start if layout.heading_start is not None else min(len(text.text), 600)
    for start, end in _lines(text.text, 0, stop):
        place = _PLACE_DATE.search(text.view, start, end)
        if not place:
            continue
        rest = place.end()
        written = DATE_RE.match(text.view, rest)
        if written:
            day = date_from_match(written)
            return place.group("place").strip(), day, day.year if day else None
        blank = BLANK_DATE_RE.match(text.view, rest)
        if blank:
            return place.group("place").strip(), None, int(blank.group("y"))
    return None, None, None


def _province_name(name: str | None) -> str | None:
    if not name:
        return None
    province = province_by_name().get(fold(name))
    return province.name if province else None


@cache
def _province_mentions_re() -> re.Pattern[str]:
    names = sorted(province_by_name(), key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def province_from_text(text: PlanText) -> str | None:
    """The province named most often in the text, when no header names one."""
    counts = Counter(m.group(1) for m in _province_mentions_re().finditer(text.view))
    if not counts:
        return None
    return province_by_name()[counts.most_common(1)[0][0]].name


def _preamble_issuer(text: PlanText, layout: Layout, province: str | None) -> IssuerMatch | None:
    """ "…, Sở Văn hóa, Thể thao và Du lịch Quảng Ngãi xây dựng kế hoạch …"."""
    start = layout.title_end or 0
    window_end = min(layout.main_end, start + 3000)
    verb = _BODY_VERB.search(text.view, start, window_end)
    while verb:
        candidates = [
            m.end() for m in re.finditer(r"[,;:]\s*", text.view[max(start, verb.start() - 150) : verb.start()])
        ]
        base = max(start, verb.start() - 150)
        for offset in candidates:
            match = read_issuer(text.text, text.view, base + offset, province)
            if match and text.view[match.end : verb.start()].strip() == "":
                return match
        verb = _BODY_VERB.search(text.view, verb.end(), window_end)
    return None


def _is_person_name(line: str, *, known_surname: bool = True) -> bool:
    """ "Nguyễn Duy Tuấn" (or "NGUYỄN DUY TUẤN"): two to five capitalised words of letters,
    the first a known surname unless ``known_surname`` is False."""
    words = (line.title() if line.isupper() else line).split()
    if not 2 <= len(words) <= 5 or not all(w.isalpha() for w in words):
        return False
    if not all(w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words):
        return False
    return not known_surname or modern_tones(words[0]) in _surnames()


def _signer_name(cell: str, *, known_surname: bool) -> str | None:
    """The name on a signature's name line, without the rank or title it may be signed
    with ("Đại tá Nguyễn Đức Hải", "ThS. Trần Thị Lan"). A line in capitals that reads as
    a position or a body is no name: "PHÓ CHỦ TỊCH THƯỜNG TRỰC" ("Phó" is a surname too),
    or the header of a document issued with this one, repeated under its signature ("ỦY
    BAN NHÂN DÂN", "TỈNH BẮC GIANG")."""
    rank = _rank().match(modern_tones(cell))  # the same length: tones only move
    cell = cell[rank.end() :] if rank else cell
    title = _academic_title().match(cell)
    name = cell[title.end() :] if title else cell
    if not _is_person_name(name, known_surname=known_surname) or _position_line(name.upper()):
        return None
    view = matching_view(name)
    if fold(name) in type_by_name() or read_issuer(name, view, 0, None) or named_province(name, view, 0):
        return None
    return name.title() if name.isupper() else name


@dataclass(frozen=True)
class _PositionLine:
    """A position read on a signature line: ``position`` as a signer's is named ("Phó Chủ
    tịch Thường trực", "Quyền Giám đốc"); ``for_head`` when it is the head's, for whom the
    signer signs ("KT. CHỦ TỊCH"); ``unit`` the words after it, the unit a signer heads
    ("sở nội vụ" in "GIÁM ĐỐC SỞ NỘI VỤ" under "TUQ. CHỦ TỊCH")."""

    position: str
    for_head: bool
    unit: str


def _position_line(cell: str) -> _PositionLine | None:
    """A cell in capitals (as a signature block prints positions) opening on a position of
    the lexicon, after any "KT."/"Q."; a qualifier of the lexicon after it is part of it."""
    if cell != cell.upper():
        return None
    words = fold(cell)
    prefix = SIGNATURE_PREFIX.match(words)
    bare = words[prefix.end() :] if prefix else words
    # "Phó" before any position of the lexicon is its deputy: "PHÓ TRƯỞNG PHÒNG".
    deputy = bare.startswith(_DEPUTY) and opening_position(bare) is None
    head = bare[len(_DEPUTY) :] if deputy else bare
    found = opening_position(head)
    if found is None:
        return None
    position, rest = f"{'Phó ' if deputy else ''}{positions()[found]}", head[len(found) :].strip()
    qualifier = next((q for q in _qualifiers() if rest == q or rest.startswith(q + " ")), None)
    if qualifier:
        position, rest = f"{position} {_qualifiers()[qualifier]}", rest[len(qualifier) :].strip()
    acting = bool(prefix and prefix.group("acting"))
    return _PositionLine(f"Quyền {position}" if acting else position, bool(prefix) and not acting, rest)


@cache
def _positions_longest_first() -> list[str]:
    """Folded positions, longest first: a line is read as the longest it opens on."""
    return sorted(positions(), key=len, reverse=True)


def opening_position(words: str) -> str | None:
    """The folded position ``words`` (folded) open on, the longest that fits; else ``None``."""
    return next((p for p in _positions_longest_first() if words == p or words.startswith(p + " ")), None)


def _signed_end(text: PlanText, layout: Layout) -> int:
    """Where the signed text ends: at its annex, or at a document issued with it, whose
    type heading follows the signature ("KẾ HOẠCH" after a decision's "KT. CHỦ TỊCH"),
    often under its issuer's header: the signature is read before them, not in the last
    lines of both."""
    # Type headings are few: the lines before one are searched for a signature only then.
    searched_to = layout.title_end or 0
    for start, end in _lines(text.text, searched_to, layout.main_end):
        raw = text.text[start:end].strip()
        if not (raw and raw == raw.upper() and fold(raw) in type_by_name()):
            continue
        before = _lines(text.text, searched_to, start)
        if any(text.text[s:e].strip() and _read_position(text, (s, e), with_unit=False) for s, e in before):
            return start
        searched_to = end
    return layout.main_end


def _cells(text: PlanText, start: int, end: int) -> list[str]:
    """A line's cells: exports of two-column blocks put "Nơi nhận" and the signature side by side."""
    return [c.strip() for c in _COLUMN_BREAK.split(text.text[start:end]) if c.strip()]


def _read_position(text: PlanText, span: tuple[int, int], *, with_unit: bool) -> _PositionLine | None:
    """The last position on a line; ``with_unit``: also one followed by the unit it heads."""
    lines = (_position_line(cell) for cell in reversed(_cells(text, *span)))
    return next((p for p in lines if p and (with_unit or not p.unit)), None)


def _signers_position(text: PlanText, lines: list[tuple[int, int]]) -> tuple[str | None, int | None]:
    """The signer's position in the last lines and the index of its line. A position
    followed by a unit ("GIÁM ĐỐC SỞ") is read only where no line holds one alone."""
    last = range(len(lines) - 1, max(-1, len(lines) - _SIGNATURE_LINES), -1)
    for with_unit in (False, True):
        for i in last:
            found = _read_position(text, lines[i], with_unit=with_unit)
            if not found:
                continue
            below = _read_position(text, lines[i + 1], with_unit=True) if i + 1 < len(lines) else None
            if found.for_head and below and not below.for_head:
                return below.position, i + 1
            return found.position, i
    return None, None


def _signature(text: PlanText, layout: Layout) -> tuple[str | None, str | None]:
    """Signer and position from the block after the text's last paragraph. The position is
    the signer's own: under "KT. CHỦ TỊCH", "TL. …" or "TUQ. …" the line below names it,
    with the unit the signer heads ("GIÁM ĐỐC SỞ NỘI VỤ": Giám đốc)."""
    spans = _lines(text.text, layout.title_end or 0, _signed_end(text, layout))
    lines = [(s, e) for s, e in spans if text.text[s:e].strip()]
    position, position_index = _signers_position(text, lines)
    below = position_index + 1 if position_index is not None else None
    candidates = lines[below : below + _SIGNATURE_LINES] if below is not None else lines[-1:]
    # Under a position, a name need not have a surname of the list (Đầu Thanh Tùng).
    for known_surname in (True, False) if position_index is not None else (True,):
        for s, e in candidates:
            names = [n for cell in _cells(text, s, e) if (n := _signer_name(cell, known_surname=known_surname))]
            if names:
                return names[-1], position
    return None, position


@dataclass
class HeaderFacts:
    """What the header, title and signature say, before citations are read."""

    layout: Layout
    doc_type: str | None
    title: str | None
    year: int | None
    period: tuple[int, int] | None
    province: str | None
    issuer: IssuerMatch | None
    header_date: date | None
    blank_symbol: str | None
    signer: str | None
    signer_position: str | None


# The body a header's left lines name when no issuer phrase reads the lowest, looked up
# among the bodies of the lexicon (given the lines, and the province and the unit below
# it that the header names).
HeaderBody = Callable[[tuple[str, ...], str | None, LocalUnit | None], IssuerMatch | None]

# A word of a body's name in a header line: letters, or the dash and ampersand that join
# parts of one ("VĂN HÓA - NGHỆ THUẬT", "GD&ĐT").
_NAME_WORD = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)?|[-–]")


def _unknown_lowest_body(text: PlanText, line: str, superior: IssuerMatch) -> IssuerMatch | None:
    """The header's lowest line as the issuer when no body the lexicon knows reads it
    ("TRƯỜNG ĐẠI HỌC QUY NHƠN" under "BỘ GIÁO DỤC VÀ ĐÀO TẠO"): the body above is its
    superior, not the issuer. Named as the text writes it in mixed case ("Trường Đại học
    Quy Nhơn ban hành …"), else with each word capitalised; of the superior's level and
    unit below the province ("BAN QUẢN LÝ DỰ ÁN" under "UBND HUYỆN KỲ ANH" is the huyện's)."""
    words = line.split()
    if len(words) < 2 or not all(_NAME_WORD.fullmatch(word) for word in words):
        return None
    written_as = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in fold(line).split()) + r"(?!\w)"
    for match in re.finditer(written_as, text.view):
        name = " ".join(text.text[match.start() : match.end()].split())
        if name != name.upper():
            break
    else:
        name = " ".join(word.capitalize() for word in words)
    if superior.unit:
        name = f"{name} {superior.unit.label}"
    return IssuerMatch(len(line), name, None, superior.national, unit=superior.unit)


def read_header(text: PlanText, header_body: HeaderBody | None = None) -> HeaderFacts:
    """The header, title and signature. The issuer is the header's lowest left line
    (NĐ 30/2020, Phụ lục I: the body above it is its superior): where no issuer phrase
    reads that line ("CÔNG AN TỈNH NGHỆ AN" under "BỘ CÔNG AN"), ``header_body`` names it
    from the lexicon, else the line itself names it."""
    layout, doc_type = find_layout(text)
    title = None
    if layout.title_start is not None and layout.title_end is not None:
        title = " ".join(text.text[layout.title_start : layout.title_end].split())
    header_issuer, header_province, unread = _header_issuer(text, layout)
    unit = header_issuer.unit if header_issuer else None
    lowest = header_body(unread, header_province, unit) if unread and header_body else None
    if lowest is None and unread and header_issuer:
        lowest = _unknown_lowest_body(text, unread[-1], header_issuer)
    header_issuer = lowest or header_issuer
    place, header_date, header_year = _place_and_date(text, layout)
    title_view = text.view[layout.title_start : layout.title_end] if title else ""
    title_province = None
    if title_view:
        mention = _province_mentions_re().search(title_view)
        title_province = province_by_name()[mention.group(1)].name if mention else None
    province = header_province or _province_name(place) or title_province or province_from_text(text)
    issuer = header_issuer or _preamble_issuer(text, layout, province)
    if issuer and issuer.national:
        # A ministry's or the Government's plan belongs to no province: the place it was
        # signed in ("Hà Nội, ngày …") or the provinces its text names are not its own.
        province = header_province
    elif issuer and issuer.unit and province:
        issuer = replace(issuer, name=below_province(issuer, province), province=province)
    elif issuer and issuer.province is None and province:
        issuer = replace(issuer, name=in_province(issuer.name, province), province=province)
    period_match = _PERIOD.search(title_view)
    period = (int(period_match.group("a")), int(period_match.group("b"))) if period_match else None
    year_match = _YEAR_IN_TITLE.search(title_view)
    year = int(year_match.group("y")) if year_match else header_year
    blank_symbol = None
    stop = layout.heading_start if layout.heading_start is not None else 0
    for start, end in _lines(text.text, 0, stop):
        number_line = _SYMBOL_LINE.match(text.view, start, end)
        if number_line and text.view.startswith("/", number_line.end()):
            symbol = BLANK_SYMBOL_RE.match(text.text, number_line.end())
            if symbol:
                blank_symbol = re.sub(r"\s+", "", symbol.group(0))
    signer, position = _signature(text, layout)
    return HeaderFacts(
        layout,
        doc_type,
        title,
        year or (period[0] if period else None),
        period,
        province,
        issuer,
        header_date,
        blank_symbol,
        signer,
        position,
    )
