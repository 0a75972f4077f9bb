"""Bodies and responsibilities: scored against the answer key of the five seed plans, and
checked on sentences written from the grammar of official documents."""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from demo_corpus import PLANS, ROOT, gold_by_plan

from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.agencies import (
    AgencyMention,
    canonical_agencies,
    find_agencies,
    find_responsibilities,
)
from ccbc_graph.extract.issuers import LocalUnit, read_issuer
from ccbc_graph.model import PlanExtraction
from ccbc_graph.nlp import blank_vietnamese
from ccbc_graph.reading import SourceDocument
from ccbc_graph.textnorm import CleanText, clean, matching_view

# --------------------------------------------------------------------------- seeds


@dataclass
class Seed:
    name: str
    gold: dict
    text: CleanText
    province: str


@dataclass
class Tally:
    """Set comparison over all plans; the misses are kept to be printed."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, plan: str, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        self.misses += [f"{plan}: extra {x}" for x in sorted(map(str, predicted - gold))]
        self.misses += [f"{plan}: missed {x}" for x in sorted(map(str, gold - predicted))]

    @property
    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def report(self, what: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return f"{what}: P={p:.3f} R={r:.3f} F1={self.f1:.3f}" + "".join(f"\n  {m}" for m in self.misses)


@pytest.fixture(scope="module")
def seeds() -> list[Seed]:
    return [
        Seed(name, gold, clean((PLANS / name).read_text(encoding="utf-8")), gold["document"]["province"])
        for name, gold in gold_by_plan().items()
    ]


def test_seed_bodies_match_the_answer_key(seeds: list[Seed]) -> None:
    singles, groups, units = Tally(), Tally(), Tally()
    for seed in seeds:
        mentions = find_agencies(seed.text, seed.province)
        singles.add(seed.name, {m.canonical for m in mentions if not m.collective}, set(seed.gold["agencies"]))
        groups.add(
            seed.name,
            {m.canonical for m in mentions if m.collective},
            set(seed.gold.get("collective_agencies") or []),
        )
        units.add(
            seed.name,
            {(m.canonical, m.parent) for m in mentions if m.parent},
            {(s["unit"], s["parent"]) for s in seed.gold.get("sub_organizations") or []},
        )
    print("\n" + "\n".join(t.report(w) for t, w in ((singles, "agencies"), (groups, "collective"), (units, "units"))))
    assert singles.f1 >= 0.95
    assert groups.f1 >= 0.95
    assert units.f1 >= 0.95


def test_seed_responsibilities_match_the_answer_key(seeds: list[Seed]) -> None:
    agencies, pairs = Tally(), Tally()
    for seed in seeds:
        duties = find_responsibilities(seed.text, seed.province)
        gold = seed.gold["responsibilities"]
        agencies.add(seed.name, {d.agency.canonical for d in duties}, {g["agency"] for g in gold})
        pairs.add(
            seed.name,
            {(d.agency.canonical, p.canonical) for d in duties for p in d.partners},
            {(g["agency"], p) for g in gold for p in g["partners"]},
        )
    print("\n" + agencies.report("responsible bodies") + "\n" + pairs.report("(body, partner) pairs"))
    assert agencies.f1 >= 0.90
    assert pairs.f1 >= 0.90


def test_seed_spans_point_at_the_words_in_the_source(seeds: list[Seed]) -> None:
    for seed in seeds:
        for mention in find_agencies(seed.text, seed.province):
            written = seed.text.original[mention.span.start : mention.span.end]
            assert clean(written).text == mention.surface


# --------------------------------------------------------------------------- tokenizer


def test_tokenizer_keeps_symbols_and_abbreviations_whole() -> None:
    nlp = blank_vietnamese()
    words = [t.text for t in nlp("theo 30c/NQ-CP của Chính phủ; UBND, TT&TT, PT-TH, KH&CN và SGD&ĐT (18-NQ/TW).")]
    for whole in ("30c/NQ-CP", "UBND", "TT&TT", "PT-TH", "KH&CN", "SGD&ĐT", "18-NQ/TW"):
        assert whole in words
    assert words[words.index("phủ") + 1] == ";"
    # The closing mark "./." leaves the last word whole.
    assert [t.text for t in nlp("thị xã Sông Cầu./.")][-4:] == ["Cầu", ".", "/", "."]
    assert [t.text for t in nlp("Bưu điện-Văn hóa, Cổng/Trang")] == [
        "Bưu",
        "điện",
        "-",
        "Văn",
        "hóa",
        ",",
        "Cổng",
        "/",
        "Trang",
    ]


def test_tokenizer_splits_an_abbreviations_dot_off_the_next_word() -> None:
    nlp = blank_vietnamese()
    assert [t.text for t in nlp("TT.HĐND tỉnh, UBND TP.Rạch Giá, TP.HCM")] == [
        *("TT", ".", "HĐND", "tỉnh", ","),
        *("UBND", "TP", ".", "Rạch", "Giá", ","),
        *("TP", ".", "HCM"),
    ]
    # A dot between digits or inside a lower-case abbreviation stays: dates, "v.v".
    assert [t.text for t in nlp("ngày 01.01.2020 v.v.")] == ["ngày", "01.01.2020", "v.v", "."]


def test_token_norm_is_modern_tone_lower_case() -> None:
    nlp = blank_vietnamese()
    assert [t.norm_ for t in nlp("Uỷ ban Văn hoá Qúy")] == ["ủy", "ban", "văn", "hóa", "quý"]
    assert [t.norm_ for t in nlp(unicodedata.normalize("NFD", "Uỷ ban"))] == ["ủy", "ban"]


# --------------------------------------------------------------------------- bodies


def names(text: str, province: str | None = "Hà Tĩnh") -> list[str]:
    return [m.canonical for m in find_agencies(clean(text), province)]


def only(text: str, province: str | None = "Hà Tĩnh") -> AgencyMention:
    found = find_agencies(clean(text), province)
    assert len(found) == 1, [m.canonical for m in found]
    return found[0]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Sở Nội vụ chủ trì", "Sở Nội vụ tỉnh Hà Tĩnh"),
        ("giao Sở KH&CN", "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh"),
        ("Sở TT&TT phối hợp", "Sở Thông tin và Truyền thông tỉnh Hà Tĩnh"),
        ("Đài PTTH tỉnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"),
        ("Đài PT-TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"),
        ("Đài Phát thanh - Truyền hình Hà Tĩnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"),
        ("Đài PT&TH Hà Tĩnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"),
        ("Báo Hà Tĩnh", "Báo Hà Tĩnh"),
        ("Tạp chí Cẩm Thành", "Tạp chí Cẩm Thành"),
        ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy tỉnh Hà Tĩnh"),
        ("Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy tỉnh Hà Tĩnh"),
        ("UB MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Tĩnh"),
        ("Hiệp hội DN tỉnh", "Hiệp hội Doanh nghiệp tỉnh Hà Tĩnh"),
        ("Liên minh HTX", "Liên minh Hợp tác xã tỉnh Hà Tĩnh"),
        ("Trung tâm PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"),
        ("Trung tâm Văn hóa - Nghệ thuật tỉnh", "Trung tâm Văn hóa - Nghệ thuật tỉnh Hà Tĩnh"),
        ("Bưu điện tỉnh", "Bưu điện tỉnh Hà Tĩnh"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh"),
        (
            "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh",
            "Văn phòng Đoàn đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh Hà Tĩnh",
        ),
        ("Thường trực HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh Hà Tĩnh"),
        # "TT" before a body is "Thường trực", as a recipients' list writes it.
        ("- TT HĐND tỉnh;", "Thường trực Hội đồng nhân dân tỉnh Hà Tĩnh"),
        ("- TT.HĐND tỉnh;", "Thường trực Hội đồng nhân dân tỉnh Hà Tĩnh"),
        ("- TT Tỉnh ủy;", "Thường trực Tỉnh ủy tỉnh Hà Tĩnh"),
        ("Thường trực UBND tỉnh", "Thường trực Ủy ban nhân dân tỉnh Hà Tĩnh"),
        # ... and before a name, a level word: "thị trấn", with or without its dot.
        ("UBND TT Cẩm Xuyên", "Ủy ban nhân dân thị trấn Cẩm Xuyên, tỉnh Hà Tĩnh"),
        ("UBND TP. Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh"),
        ("UBND Tp. Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh"),
        ("UBND Tx. Hồng Lĩnh", "Ủy ban nhân dân thị xã Hồng Lĩnh, tỉnh Hà Tĩnh"),
        ("UBND TX.Hồng Lĩnh", "Ủy ban nhân dân thị xã Hồng Lĩnh, tỉnh Hà Tĩnh"),
        ("Đoàn TNCS HCM tỉnh", "Tỉnh đoàn tỉnh Hà Tĩnh"),
        ("Sở Tư pháp TP.HCM", "Sở Tư pháp thành phố Hồ Chí Minh"),
        ("Ủy ban nhân dân (UBND) tỉnh", "Ủy ban nhân dân tỉnh Hà Tĩnh"),
        ("Sở Nội vụ tỉnh Nghệ An", "Sở Nội vụ tỉnh Nghệ An"),
        ("UBND huyện Kỳ Anh", "Ủy ban nhân dân huyện Kỳ Anh, tỉnh Hà Tĩnh"),
        ("UBND thành phố Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh"),
        # A name's parts a comma separates written with a dash, and the other way round.
        ("Sở Văn hoá - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh"),
        ("Đài Phát thanh, Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"),
        ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh"),
        ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Tĩnh"),
        ("Ban Dân tộc tỉnh", "Ban Dân tộc tỉnh Hà Tĩnh"),
        ("Tòa án nhân dân huyện Kỳ Anh", "Tòa án nhân dân huyện Kỳ Anh, tỉnh Hà Tĩnh"),
        ("Viện Kiểm sát nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh Hà Tĩnh"),
    ],
)
def test_a_provincial_body_carries_its_province(written: str, canonical: str) -> None:
    assert only(written).canonical == canonical


def test_a_city_province_is_named_as_a_city() -> None:
    assert names("Ủy ban nhân dân thành phố và Sở Nội vụ thành phố", "Hà Nội") == [
        "Ủy ban nhân dân thành phố Hà Nội",
        "Sở Nội vụ thành phố Hà Nội",
    ]


def test_a_city_names_its_provincial_bodies_thanh_pho() -> None:
    assert names("Công an thành phố, Kho bạc Nhà nước TP và Bưu điện thành phố Hải Phòng", "Hải Phòng") == [
        "Công an thành phố Hải Phòng",
        "Kho bạc Nhà nước thành phố Hải Phòng",
        "Bưu điện thành phố Hải Phòng",
    ]
    assert names("Công an thành phố Đà Nẵng", "Kiên Giang") == ["Công an thành phố Đà Nẵng"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Thành ủy", "Thành ủy thành phố Hà Nội"),
        ("Thành ủy Hà Nội", "Thành ủy thành phố Hà Nội"),
        ("Ban Thường vụ Thành ủy", "Ban Thường vụ Thành ủy thành phố Hà Nội"),
        ("Thường trực Thành ủy", "Thường trực Thành ủy thành phố Hà Nội"),
        ("Văn phòng Thành ủy", "Văn phòng Thành ủy thành phố Hà Nội"),
        ("Ban Tổ chức Thành ủy", "Ban Tổ chức Thành ủy thành phố Hà Nội"),
        ("Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo Thành ủy thành phố Hà Nội"),
        ("Ban Dân vận Thành ủy", "Ban Dân vận Thành ủy thành phố Hà Nội"),
        ("Thành đoàn", "Thành đoàn thành phố Hà Nội"),
        ("Đoàn TNCS Hồ Chí Minh thành phố", "Thành đoàn thành phố Hà Nội"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội"),
        ("UBMTTQ TP", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội"),
        ("Hội Liên hiệp Phụ nữ thành phố", "Hội Liên hiệp Phụ nữ thành phố Hà Nội"),
        ("Liên đoàn Lao động thành phố", "Liên đoàn Lao động thành phố Hà Nội"),
        ("Hội Nông dân thành phố", "Hội Nông dân thành phố Hà Nội"),
        ("Hội Cựu chiến binh thành phố", "Hội Cựu chiến binh thành phố Hà Nội"),
        ("UBND thành phố", "Ủy ban nhân dân thành phố Hà Nội"),
        ("UBND TP", "Ủy ban nhân dân thành phố Hà Nội"),
        ("HĐND thành phố", "Hội đồng nhân dân thành phố Hà Nội"),
        ("Sở Nội vụ thành phố", "Sở Nội vụ thành phố Hà Nội"),
        ("Văn phòng UBND thành phố", "Văn phòng Ủy ban nhân dân thành phố Hà Nội"),
    ],
)
def test_a_city_names_its_party_and_mass_bodies_for_itself(written: str, canonical: str) -> None:
    assert only(written, "Hà Nội").canonical == canonical


def test_a_party_committee_is_one_body_however_written() -> None:
    # A city's "Tỉnh ủy" is its "Thành ủy"; a province's stays the "Tỉnh ủy".
    assert names("Tỉnh ủy; Thành ủy; Ban Tuyên giáo Tỉnh ủy", "Hà Nội") == [
        "Thành ủy thành phố Hà Nội",
        "Thành ủy thành phố Hà Nội",
        "Ban Tuyên giáo Thành ủy thành phố Hà Nội",
    ]
    assert names("Thành ủy TP.HCM và Thành đoàn TP. Hồ Chí Minh", "Hồ Chí Minh") == [
        "Thành ủy thành phố Hồ Chí Minh",
        "Thành đoàn thành phố Hồ Chí Minh",
    ]
    assert names("Tỉnh ủy; Đoàn TNCS Hồ Chí Minh tỉnh", "Kiên Giang") == [
        "Tỉnh ủy tỉnh Kiên Giang",
        "Tỉnh đoàn tỉnh Kiên Giang",
    ]


def test_a_lower_units_party_bodies_are_named_by_the_unit() -> None:
    """The district tier has the party bodies a province has, named with its prefix: named
    after the unit anywhere, alone only in that unit's own plan."""
    in_province = "Thành ủy Rạch Giá, Huyện ủy Châu Thành, Thành đoàn Rạch Giá, Huyện đoàn, Thành ủy"
    assert names(in_province, "Kiên Giang") == ["Thành ủy Rạch Giá", "Huyện ủy Châu Thành", "Thành đoàn Rạch Giá"]
    own = (
        "Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Ủy ban Kiểm tra Huyện ủy, Huyện đoàn"
        " và Văn phòng HUYỆN ỦY KỲ ANH"
    )
    found = find_agencies(clean(own), "Hà Tĩnh", LocalUnit("huyện", "Kỳ Anh"))
    assert [(m.canonical, m.level, m.province) for m in found] == [
        ("Ban Tuyên giáo Huyện ủy Kỳ Anh", "huyện", "Hà Tĩnh"),
        ("Ủy ban Kiểm tra Huyện ủy Kỳ Anh", "huyện", "Hà Tĩnh"),
        ("Huyện đoàn Kỳ Anh", "huyện", "Hà Tĩnh"),
        ("Văn phòng Huyện ủy Kỳ Anh", "huyện", "Hà Tĩnh"),
    ]
    communes = find_agencies(
        clean("Đảng ủy các xã, thị trấn xây dựng kế hoạch"), "Hà Tĩnh", LocalUnit("huyện", "Kỳ Anh")
    )
    assert [(m.canonical, m.collective) for m in communes] == [("Đảng ủy các xã, phường, thị trấn tỉnh Hà Tĩnh", True)]
    # A town's plan has no "Huyện" bodies of its own.
    town = find_agencies(clean("Huyện đoàn và Thị đoàn phối hợp"), "Hà Tĩnh", LocalUnit("thị xã", "Hồng Lĩnh"))
    assert [m.canonical for m in town] == ["Thị đoàn Hồng Lĩnh"]


def test_a_citys_groups_close_on_its_level_word() -> None:
    # "thành phố" closes a city's group as "tỉnh" a province's, so the bodies after it
    # are still read as partners.
    section = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ: chủ trì, phối hợp với các sở, ban, ngành thành phố"
        " và UBND các quận, huyện, thị xã triển khai.\n"
    )
    duties = find_responsibilities(clean(section), "Hà Nội")
    assert [(d.agency.canonical, [p.canonical for p in d.partners]) for d in duties] == [
        (
            "Sở Nội vụ thành phố Hà Nội",
            ["Các sở, ban, ngành thành phố Hà Nội", "Ủy ban nhân dân cấp huyện thành phố Hà Nội"],
        )
    ]
    assert only("các sở, ngành cấp thành phố", "Hà Nội").surface == "các sở, ngành cấp thành phố"


def test_a_provincial_citys_party_committee_is_no_provincial_body() -> None:
    # In a province's plan "Thành ủy" is a city's under the province, a district-level
    # body: named by the city's name when it follows, as the city's People's Committee
    # is named as the city's own; alone it names no one body.
    for text in ("Thành ủy", "Thành đoàn"):
        assert names(text, "Kiên Giang") == [], text
    assert names("Ban Tuyên giáo Thành ủy Rạch Giá", "Kiên Giang") == ["Ban Tuyên giáo Thành ủy Rạch Giá"]
    assert names("Thành ủy Rạch Giá, UBND thành phố Rạch Giá", "Kiên Giang") == [
        "Thành ủy Rạch Giá",
        "Ủy ban nhân dân thành phố Rạch Giá, tỉnh Kiên Giang",
    ]
    assert names("Thành ủy Hà Nội", "Kiên Giang") == ["Thành ủy thành phố Hà Nội"]


def test_a_plan_of_the_city_of_hue_is_thua_thien_hues() -> None:
    # Huế became a centrally-run city on 1 January 2025: its name is another name of
    # the unit Thừa Thiên Huế, while "thành phố Huế" in an older plan is the city inside.
    assert names("Sở Nội vụ", "Huế") == ["Sở Nội vụ tỉnh Thừa Thiên Huế"]
    assert names("UBND thành phố Huế", "Thừa Thiên Huế") == ["Ủy ban nhân dân thành phố Huế, tỉnh Thừa Thiên Huế"]
    header = "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"
    issuer = read_issuer(header, matching_view(header), 0, None)
    assert issuer is not None
    assert (issuer.name, issuer.province) == ("Ủy ban nhân dân thành phố Huế", "Thừa Thiên Huế")


def test_a_councils_committee_is_not_the_provinces_board_of_that_name() -> None:
    # The council's ethnic committee ("Ban Dân tộc HĐND") is named as its other committees
    # are ("Ban Pháp chế HĐND"): by the council; the province's board is "Ban Dân tộc" alone.
    assert names("Ban Dân tộc HĐND tỉnh", "Hà Tĩnh") == names("Ban Pháp chế HĐND tỉnh", "Hà Tĩnh")
    assert names("Ban Dân tộc tỉnh", "Hà Tĩnh") == ["Ban Dân tộc tỉnh Hà Tĩnh"]


def test_the_police_of_a_provincial_city_is_no_provincial_body() -> None:
    # "thành phố Rạch Giá" is a city under Kiên Giang; in a province's plan a bare
    # "thành phố" is such a city too: its police, as its committee, is the city's.
    assert names("Công an thành phố Rạch Giá", "Kiên Giang") == ["Công an thành phố Rạch Giá, tỉnh Kiên Giang"]
    assert names("Công an thành phố", "Kiên Giang") == ["Công an cấp huyện tỉnh Kiên Giang"]
    assert names("Công an thành phố", "Hải Phòng") == ["Công an thành phố Hải Phòng"]


@pytest.mark.parametrize(
    ("written", "canonical", "kind"),
    [
        ("Bộ Nội vụ", "Bộ Nội vụ", "ministry"),
        ("Bộ TT&TT", "Bộ Thông tin và Truyền thông", "ministry"),
        ("Ủy ban Dân tộc", "Ủy ban Dân tộc", "ethnic affairs committee"),
        ("Học viện Hành chính Quốc gia", "Học viện Hành chính Quốc gia", "academy"),
        ("Chính phủ", "Chính phủ", "government"),
        ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "government"),
        ("Văn phòng Chính phủ", "Văn phòng Chính phủ", "office"),
        ("Bộ Chính trị", "Bộ Chính trị", "party body"),
    ],
)
def test_national_bodies_carry_no_province(written: str, canonical: str, kind: str) -> None:
    mention = only(f"của {written} về", "Kiên Giang")
    assert (mention.canonical, mention.kind, mention.level, mention.province) == (canonical, kind, "trung ương", None)


def test_kind_and_level_come_with_the_identity() -> None:
    department = only("Sở Tư pháp")
    assert (department.kind, department.level, department.province, department.collective) == (
        "department",
        "tỉnh",
        "Hà Tĩnh",
        False,
    )
    assert only("Đài PTTH tỉnh").kind == "broadcaster"
    assert only("Báo Hà Tĩnh").kind == "newspaper"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Các Sở: Nội vụ, Tư pháp, Thông tin và Truyền thông", ["Nội vụ", "Tư pháp", "Thông tin và Truyền thông"]),
        (
            "Các Sở: Kế hoạch và Đầu tư; Nội vụ; Tài nguyên và Môi trường.",
            ["Kế hoạch và Đầu tư", "Nội vụ", "Tài nguyên và Môi trường"],
        ),
    ],
)
def test_a_list_of_departments_distributes(written: str, expected: list[str]) -> None:
    assert names(written) == [f"Sở {sector} tỉnh Hà Tĩnh" for sector in expected]


def test_a_list_of_ministries_distributes() -> None:
    assert names("- Các Bộ: Nội vụ, Thông tin và Truyền thông;") == ["Bộ Nội vụ", "Bộ Thông tin và Truyền thông"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("UBND các huyện, thành phố, thị xã", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("UBND cấp huyện", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("UBND các huyện, TP, TX", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("UBND các xã, phường, thị trấn", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh"),
        ("các sở, ban, ngành", "Các sở, ban, ngành tỉnh Hà Tĩnh"),
        ("các sở, ban, ngành (có liên quan)", "Các sở, ban, ngành tỉnh Hà Tĩnh"),
        ("các Sở, ngành có liên quan", "Các sở, ban, ngành tỉnh Hà Tĩnh"),
        ("các cơ quan báo chí", "Các cơ quan báo chí tỉnh Hà Tĩnh"),
        ("các cơ quan có liên quan", "Các cơ quan có liên quan tỉnh Hà Tĩnh"),
        ("các doanh nglệp", "Các doanh nghiệp tỉnh Hà Tĩnh"),
        ("Cơ quan hành chính, đơn vị sự nghiệp", "Các cơ quan hành chính, đơn vị sự nghiệp tỉnh Hà Tĩnh"),
        ("Văn phòng HĐND-UBND các huyện", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("Phòng Tư pháp", "Phòng Tư pháp cấp huyện tỉnh Hà Tĩnh"),
    ],
)
def test_groups_are_collective_bodies_named_by_level(written: str, canonical: str) -> None:
    mention = only(written)
    assert mention.collective
    assert mention.canonical == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("UBND các tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân cấp tỉnh"),
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc TW", "Ủy ban nhân dân cấp tỉnh"),
        ("UBND các tỉnh, thành phố", "Ủy ban nhân dân cấp tỉnh"),
        ("Sở Tư pháp các tỉnh, thành phố trực thuộc Trung ương", "Sở Tư pháp cấp tỉnh"),
    ],
)
def test_the_bodies_of_every_province_are_one_group_of_no_province(written: str, canonical: str) -> None:
    """A ministry's plan addresses the provinces' bodies together; "thành phố" after
    "các tỉnh" is a centrally-run city, not a district-tier one."""
    for province in (None, "Hà Tĩnh"):
        mention = only(written, province)
        assert (mention.canonical, mention.collective, mention.province) == (canonical, True, None)


def test_units_under_a_body_are_one_group_named_with_it() -> None:
    text = (
        "BỘ TƯ PHÁP\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 125/KH-BTP\tHà Nội, ngày 20 tháng 01 năm 2022\n\nKẾ HOẠCH\nCải cách hành chính năm 2022\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Văn phòng Bộ chủ trì theo dõi, đôn đốc các đơn vị thuộc Bộ thực hiện Kế hoạch này.\n"
        "2. Các cơ quan, đơn vị trực thuộc Bộ căn cứ Kế hoạch này xây dựng kế hoạch của đơn vị mình.\n"
    )
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))
    groups = [m for m in plan.agencies if m.canonical == "Các đơn vị thuộc Bộ Tư pháp"]
    assert [m.surface for m in groups] == ["các đơn vị thuộc Bộ", "Các cơ quan, đơn vị trực thuộc Bộ"]
    assert all(m.collective and m.parent is None for m in groups)
    # Under a named body; and no group where the bare "Bộ" is no issuer of the plan.
    assert names("Thủ trưởng các cơ quan, đơn vị trực thuộc UBND tỉnh") == [
        "Các đơn vị thuộc Ủy ban nhân dân tỉnh Hà Tĩnh",
        "Ủy ban nhân dân tỉnh Hà Tĩnh",
    ]
    assert names("các đơn vị thuộc Bộ") == []


def test_a_ministrys_groups_of_units_named_alone_are_its_own() -> None:
    """ "Các Vụ, Cục, Thanh tra Bộ, các đơn vị thuộc Bộ …": the ministry's departments and
    agencies as groups, its inspectorate, its units; an item opening with them gives each
    the duty. A unit's name never opens with a comma nor holds a group ("Vụ , Cục, …")."""
    text = (
        "BỘ TƯ PHÁP\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 125/KH-BTP\tHà Nội, ngày 20 tháng 01 năm 2022\n\nKẾ HOẠCH\nCải cách hành chính năm 2022\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Văn phòng Bộ chủ trì theo dõi việc thực hiện Kế hoạch này.\n"
        "2. Các Vụ, Cục, Thanh tra Bộ, các đơn vị thuộc Bộ căn cứ nhiệm vụ được giao chủ động triển khai.\n"
        "3. Các Vụ thuộc Bộ rà soát thủ tục hành chính.\n"
    )
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))
    assert [(d.agency.canonical, d.agency.collective) for d in plan.responsibilities] == [
        ("Văn phòng Bộ Tư pháp", False),
        ("Các vụ, cục thuộc Bộ Tư pháp", True),
        ("Thanh tra Bộ Tư pháp", False),
        ("Các đơn vị thuộc Bộ Tư pháp", True),
        ("Các vụ thuộc Bộ Tư pháp", True),
    ]
    assert not [m.canonical for m in plan.agencies if " , " in m.canonical or m.canonical.startswith("Vụ ,")]
    # A group written to a parent that does not come is none; nor one in a province's plan.
    assert names("các đơn vị trực thuộc triển khai") == []
    assert names("Các Vụ, Cục triển khai") == []


def test_a_sector_read_as_a_verb_before_its_object_names_no_body() -> None:
    """ "Sở/Bộ xây dựng kế hoạch": the issuer builds a plan; the Construction body is
    named only where "Xây dựng" is not followed by what is built."""
    assert names("Sở xây dựng kế hoạch thực hiện như sau:") == []
    assert names("Bộ Xây dựng chương trình hành động") == []
    assert names("Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính xây dựng đề án") == [
        "Sở Xây dựng tỉnh Hà Tĩnh",
        "Sở Tài chính tỉnh Hà Tĩnh",
    ]
    assert names("Bộ Xây dựng; Bộ Tài chính") == ["Bộ Xây dựng", "Bộ Tài chính"]


def test_one_phrase_can_name_two_levels() -> None:
    found = find_agencies(clean("UBND cấp huyện, cấp xã"), "Hà Tĩnh")
    assert [(m.canonical, m.level) for m in found] == [
        ("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh", "huyện"),
        ("Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh", "xã"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "phát triển Chính phủ điện tử",
        "Báo cáo kết quả thực hiện",
        "các cơ quan báo chí Trung ương, tỉnh bạn",
        "UBND các cấp",
        "cổng thông tin điện tử chính phủ",
        "Tạp chí Thông tin tư tưởng",
        "Phòng, chống tham nhũng",
    ],
)
def test_words_that_only_look_like_bodies(text: str) -> None:
    assert names(text) == []


def test_units_inside_a_body() -> None:
    issued_by_a_department = (
        "Sở Văn hóa, Thể thao và Du lịch Quảng Ngãi xây dựng kế hoạch như sau:\n"
        "I. MỤC ĐÍCH\na) Văn phòng Sở\nb) Phòng Quản lý Văn hóa\n"
    )
    units = {(m.canonical, m.parent) for m in find_agencies(clean(issued_by_a_department), "Quảng Ngãi") if m.parent}
    department = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi"
    assert units == {
        (f"Văn phòng {department}", department),
        (f"Phòng Quản lý Văn hóa, {department}", department),
    }
    chi_cuc = find_agencies(clean("Báo Hải Dương; Chi cục tiêu chuẩn đo lường chất lượng - Sở KH và CN"), "Hải Dương")
    assert [(m.canonical, m.parent) for m in chi_cuc] == [
        ("Báo Hải Dương", None),
        (
            "Chi cục Tiêu chuẩn Đo lường Chất lượng, Sở Khoa học và Công nghệ tỉnh Hải Dương",
            "Sở Khoa học và Công nghệ tỉnh Hải Dương",
        ),
        ("Sở Khoa học và Công nghệ tỉnh Hải Dương", None),
    ]
    vu = [m for m in find_agencies(clean("- Vụ CCHC - Bộ Nội vụ;"), "Hải Dương") if m.parent]
    assert [(m.canonical, m.parent, m.province) for m in vu] == [
        ("Vụ Cải cách hành chính, Bộ Nội vụ", "Bộ Nội vụ", None)
    ]


def test_old_tones_and_decomposed_unicode_match() -> None:
    for text in ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", unicodedata.normalize("NFD", "Uỷ ban nhân dân tỉnh")):
        mention = only(text)
        assert mention.canonical == "Ủy ban nhân dân tỉnh Hà Tĩnh"
        assert mention.span.start == 0 and mention.span.end == len(text)
    old = only("Sở Văn hoá, Thể thao và Du lịch")
    assert old.canonical == "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"
    assert unicodedata.is_normalized("NFC", old.canonical)


def test_spans_are_offsets_in_the_original_text() -> None:
    original = "Giao **Sở Nội vụ** và " + unicodedata.normalize("NFD", "Đài PTTH tỉnh") + " thực hiện."
    found = find_agencies(clean(original), "Hà Tĩnh")
    assert [original[m.span.start : m.span.end] for m in found] == [
        "Sở Nội vụ",
        unicodedata.normalize("NFD", "Đài PTTH tỉnh"),
    ]


def test_without_a_province_names_stay_unqualified() -> None:
    assert names("Sở Nội vụ; UBND tỉnh; UBND cấp huyện", None) == [
        "Sở Nội vụ",
        "Ủy ban nhân dân tỉnh",
        "Ủy ban nhân dân cấp huyện",
    ]


# --------------------------------------------------------------------------- a lower unit's plan

DUTIES = (
    "III. TỔ CHỨC THỰC HIỆN\n"
    "1. Phòng Nội vụ chủ trì, tham mưu UBND huyện theo dõi việc thực hiện.\n"
    "2. Phòng Tư pháp phối hợp với Văn phòng HĐND và UBND huyện rà soát văn bản.\n"
    "3. UBND các xã, thị trấn xây dựng kế hoạch của đơn vị.\n"
)


def plan_of(header: str, preamble: str) -> PlanExtraction:
    """A whole plan under ``header``, its province named in the basis as plans name it."""
    body = (
        "KẾ HOẠCH\nCải cách hành chính năm 2022\n\n"
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2022 của UBND tỉnh Hà Tĩnh;\n"
        f"{preamble} ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\nNâng cao chất lượng.\n\n{DUTIES}"
    )
    return extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(header + body)))


def duty_table(plan: PlanExtraction) -> list[tuple[str, bool, list[str]]]:
    return [(d.agency.canonical, d.agency.collective, [p.canonical for p in d.partners]) for d in plan.responsibilities]


DISTRICT_HEADER = "ỦY BAN NHÂN DÂN\nHUYỆN CAN LỘC\n\nSố: 35/KH-UBND\tCan Lộc, ngày 18 tháng 01 năm 2022\n\n"
PROVINCE_HEADER = "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n\nSố: 35/KH-UBND\tHà Tĩnh, ngày 18 tháng 01 năm 2022\n\n"
CAN_LOC = "huyện Can Lộc, tỉnh Hà Tĩnh"


def test_a_district_plan_names_its_own_bodies_without_its_name() -> None:
    plan = plan_of(DISTRICT_HEADER, "Ủy ban nhân dân huyện Can Lộc")
    assert duty_table(plan) == [
        (f"Phòng Nội vụ {CAN_LOC}", False, []),
        (f"Phòng Tư pháp {CAN_LOC}", False, [f"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {CAN_LOC}"]),
        ("Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh", True, []),
    ]
    # Its lone "UBND huyện", and the "ỦY BAN NHÂN DÂN" of its header, are the issuer itself,
    # named as the body lists name it: one body, one name.
    assert plan.document.issuer == f"Ủy ban nhân dân {CAN_LOC}"
    committees = {(m.surface, m.canonical, m.collective) for m in plan.agencies if m.kind == "people's committee"}
    assert committees == {
        ("ỦY BAN NHÂN DÂN", f"Ủy ban nhân dân {CAN_LOC}", False),
        ("UBND tỉnh Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh", False),
        ("Ủy ban nhân dân huyện Can Lộc", f"Ủy ban nhân dân {CAN_LOC}", False),
        ("UBND huyện", f"Ủy ban nhân dân {CAN_LOC}", False),
        ("UBND các xã, thị trấn", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh", True),
    }


def test_the_same_duties_in_a_provinces_plan_name_the_districts_bodies() -> None:
    province = plan_of(PROVINCE_HEADER, "Ủy ban nhân dân tỉnh")
    assert duty_table(province) == [
        ("Phòng Nội vụ cấp huyện tỉnh Hà Tĩnh", True, []),
        (
            "Phòng Tư pháp cấp huyện tỉnh Hà Tĩnh",
            True,
            ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"],
        ),
        ("Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh", True, []),
    ]
    lone = [m for m in province.agencies if m.surface == "UBND huyện"]
    assert [(m.canonical, m.collective) for m in lone] == [("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh", True)]
    # Only whose plan it is tells the two readings apart.
    district = plan_of(DISTRICT_HEADER, "Ủy ban nhân dân huyện Can Lộc")
    assert duty_table(district)[0] == (f"Phòng Nội vụ {CAN_LOC}", False, [])


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("UBND các xã, thị trấn", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh"),
        ("UBND cấp xã", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh"),
        ("UBND 12 xã", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh"),
        ("UBND xã", "Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh"),
        ("UBND huyện, thị xã", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"),
        ("Phòng Tư pháp các huyện", "Phòng Tư pháp cấp huyện tỉnh Hà Tĩnh"),
        ("các sở, ban, ngành", "Các sở, ban, ngành tỉnh Hà Tĩnh"),
    ],
)
def test_groups_stay_groups_in_a_district_plan(written: str, canonical: str) -> None:
    # A plural, a level or a list of level words names every unit of a level, as in a
    # province's plan; the district's own office beside it is one body.
    found = find_agencies(clean(f"Phòng Nội vụ phối hợp với {written}"), "Hà Tĩnh", LocalUnit("huyện", "Can Lộc"))
    assert [(m.canonical, m.collective) for m in found] == [(f"Phòng Nội vụ {CAN_LOC}", False), (canonical, True)]


@pytest.mark.parametrize(
    ("unit", "province", "written", "canonical"),
    [
        (("quận", "3"), "Hồ Chí Minh", "Phòng Nội vụ Quận", "Phòng Nội vụ quận 3, thành phố Hồ Chí Minh"),
        (("quận", "3"), "Hồ Chí Minh", "UBND Quận", "Ủy ban nhân dân quận 3, thành phố Hồ Chí Minh"),
        (("quận", "3"), "Hồ Chí Minh", "UBND Quận 1", "Ủy ban nhân dân quận 1, thành phố Hồ Chí Minh"),
        (("thị xã", "Hồng Lĩnh"), "Hà Tĩnh", "Phòng Nội vụ thị xã", "Phòng Nội vụ thị xã Hồng Lĩnh, tỉnh Hà Tĩnh"),
        (("thành phố", "Hà Tĩnh"), "Hà Tĩnh", "UBND thành phố", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh"),
        (("thành phố", "Hà Tĩnh"), "Hà Tĩnh", "Phòng Tư pháp", "Phòng Tư pháp thành phố Hà Tĩnh, tỉnh Hà Tĩnh"),
        (("xã", "Thạch Kênh"), "Hà Tĩnh", "UBND xã", "Ủy ban nhân dân xã Thạch Kênh, tỉnh Hà Tĩnh"),
    ],
)
def test_a_lower_units_own_bodies(unit: tuple[str, str], province: str, written: str, canonical: str) -> None:
    found = find_agencies(clean(written), province, LocalUnit(*unit))
    assert [(m.canonical, m.collective) for m in found] == [(canonical, False)]


WARD = LocalUnit("phường", "Thủ Dầu Một")
WARD_NAME = "phường Thủ Dầu Một, thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # Bodies every unit has, and the offices a commune has since 1 July 2025.
        ("UBMTTQ phường", f"Ủy ban Mặt trận Tổ quốc Việt Nam {WARD_NAME}"),
        ("Hội Nông dân phường", f"Hội Nông dân {WARD_NAME}"),
        ("Trung tâm Phục vụ hành chính công phường", f"Trung tâm Phục vụ hành chính công {WARD_NAME}"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", f"Phòng Kinh tế, Hạ tầng và Đô thị {WARD_NAME}"),
        ("Phòng Văn hóa - Xã hội", f"Phòng Văn hóa - Xã hội {WARD_NAME}"),
        # The province's own are still the province's.
        ("UBMTTQ Thành phố", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hồ Chí Minh"),
    ],
)
def test_a_wards_bodies_after_the_two_level_reform(written: str, canonical: str) -> None:
    found = find_agencies(clean(f"{written} thực hiện."), "Hồ Chí Minh", WARD.as_of(date(2025, 8, 5), 2025))
    assert [(m.canonical, m.collective) for m in found] == [(canonical, False)]


def test_a_district_office_is_a_communes_own_once_the_districts_ended() -> None:
    commune = LocalUnit("xã", "Vĩnh Thạnh Trung")
    text = clean("Phòng Kinh tế phối hợp thực hiện.")
    after = find_agencies(text, "An Giang", commune.as_of(None, 2026))
    assert [(m.canonical, m.collective) for m in after] == [("Phòng Kinh tế xã Vĩnh Thạnh Trung, tỉnh An Giang", False)]
    # Before, a commune's plan naming one means the district's.
    before = find_agencies(text, "An Giang", commune.as_of(date(2025, 6, 30), 2025))
    assert [(m.canonical, m.collective) for m in before] == [("Phòng Kinh tế cấp huyện tỉnh An Giang", True)]


@pytest.mark.parametrize(
    ("unit", "day", "year", "ended"),
    [
        (("xã", "Vĩnh Thạnh Trung"), date(2025, 7, 1), 2025, True),
        (("phường", "Thủ Dầu Một"), None, 2026, True),
        (("xã", "Vĩnh Thạnh Trung"), date(2025, 6, 30), 2025, False),
        # A year alone that the reform splits says nothing.
        (("xã", "Vĩnh Thạnh Trung"), None, 2025, False),
        (("huyện", "Can Lộc"), date(2025, 5, 1), 2025, False),
    ],
)
def test_a_unit_as_its_plans_date_finds_it(unit: tuple[str, str], day: date | None, year: int, ended: bool) -> None:
    assert LocalUnit(*unit).as_of(day, year).districts_ended is ended


def test_the_province_stays_the_province_in_a_lower_units_plan() -> None:
    district = find_agencies(clean("Phòng Nội vụ Quận báo cáo UBND Thành phố"), "Hồ Chí Minh", LocalUnit("quận", "3"))
    assert [(m.canonical, m.collective) for m in district] == [
        ("Phòng Nội vụ quận 3, thành phố Hồ Chí Minh", False),
        ("Ủy ban nhân dân thành phố Hồ Chí Minh", False),
    ]
    town = find_agencies(clean("Phòng Nội vụ báo cáo UBND tỉnh"), "Hà Tĩnh", LocalUnit("thị xã", "Hồng Lĩnh"))
    assert [(m.canonical, m.collective) for m in town] == [
        ("Phòng Nội vụ thị xã Hồng Lĩnh, tỉnh Hà Tĩnh", False),
        ("Ủy ban nhân dân tỉnh Hà Tĩnh", False),
    ]


def test_a_lower_units_name_ends_with_its_header_line() -> None:
    header = "ỦY BAN NHÂN DÂN QUẬN 3"
    issuer = read_issuer(header, matching_view(header), 0, "Hồ Chí Minh")
    assert issuer is not None
    assert (issuer.name, issuer.unit) == ("Ủy ban nhân dân quận 3", LocalUnit("quận", "3"))
    # A number in the next cell of a table is not the unit's name.
    cells = "UBND quận\t3\tNăm 2023"
    in_table = read_issuer(cells, matching_view(cells), 0, "Hồ Chí Minh")
    assert in_table is not None and in_table.unit is None
    department = plan_of(
        "UBND HUYỆN CAN LỘC\nPHÒNG NỘI VỤ\n\nSố: 21/KH-PNV\tCan Lộc, ngày 05 tháng 02 năm 2022\n\n", "Phòng Nội vụ"
    )
    # The header's lowest line issues (the line above is its superior), as the unit's.
    assert department.document.issuer == f"Phòng Nội vụ {CAN_LOC}"
    assert duty_table(department)[0] == (f"Phòng Nội vụ {CAN_LOC}", False, [])


@pytest.mark.parametrize("mark", ["DỰ THẢO", "MẬT", "HỎA TỐC", "(DỰ THẢO LẦN 2)"])
def test_a_mark_stamped_under_the_header_is_no_part_of_the_issuers_name(mark: str) -> None:
    plan = plan_of(
        f"ỦY BAN NHÂN DÂN\nHUYỆN CAN LỘC\nSố:      /KH-UBND\tCan Lộc, ngày   tháng   năm 2022\n\n{mark}\n\n",
        "Ủy ban nhân dân huyện",
    )
    assert plan.document.issuer == f"Ủy ban nhân dân {CAN_LOC}"


# --------------------------------------------------------------------------- table cells


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Sở Nội vụ; Báo Hải Dương", ["Sở Nội vụ tỉnh Hải Dương", "Báo Hải Dương"]),
        (
            "Các Sở: Kế hoạch và Đầu tư; Nội vụ; Tư pháp; Thông tin và Truyền thông; Tài nguyên và Môi trường.",
            [
                "Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
                "Sở Nội vụ tỉnh Hải Dương",
                "Sở Tư pháp tỉnh Hải Dương",
                "Sở Thông tin và Truyền thông tỉnh Hải Dương",
                "Sở Tài nguyên và Môi trường tỉnh Hải Dương",
            ],
        ),
        (
            "- Cấp tỉnh: Sở Tư pháp.\n- Cấp huyện: Văn phòng HĐND-UBND các huyện; Phòng Tư pháp",
            [
                "Sở Tư pháp tỉnh Hải Dương",
                "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân cấp huyện tỉnh Hải Dương",
                "Phòng Tư pháp cấp huyện tỉnh Hải Dương",
            ],
        ),
        (
            "Đài PTTH; Sở Nội vụ; Đài PTTH tỉnh",
            ["Đài Phát thanh và Truyền hình tỉnh Hải Dương", "Sở Nội vụ tỉnh Hải Dương"],
        ),
        (
            "Chi cục tiêu chuẩn đo lường chất lượng - Sở KH và CN",
            ["Chi cục Tiêu chuẩn Đo lường Chất lượng, Sở Khoa học và Công nghệ tỉnh Hải Dương"],
        ),
    ],
)
def test_cells_name_each_body_once(cell: str, expected: list[str]) -> None:
    assert [m.canonical for m in canonical_agencies(cell, "Hải Dương")] == expected


# --------------------------------------------------------------------------- duties

SECTION = """II. KINH PHÍ
Sở Tài chính bố trí kinh phí.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ: Chủ trì, phối hợp với Sở Tư pháp và Đài PTTH tỉnh tổ chức chuyên mục.
2. Báo Hà Tĩnh, Đài Phát thanh và Truyền hình tỉnh: phối hợp với Sở Nội vụ đưa tin.
3. Đề nghị Ban Tuyên giáo Tỉnh ủy định hướng các cơ quan báo chí.
### 4. Sở Thông tin và Truyền thông
- Phối hợp với Ủy ban nhân dân các huyện, thị xã chỉ đạo các đài truyền thanh.
- Báo cáo Ủy ban nhân dân tỉnh.
5. Về kinh phí
- Kinh phí lồng ghép, phối hợp với Sở Tài chính.
Trong quá trình thực hiện, nếu có vướng mắc, phản ánh về Sở Nội vụ.
"""


def test_each_item_opening_with_bodies_is_a_responsibility() -> None:
    duties = find_responsibilities(clean(SECTION), "Hà Tĩnh")
    table = [(d.agency.canonical, [p.canonical for p in d.partners]) for d in duties]
    assert table == [
        ("Sở Nội vụ tỉnh Hà Tĩnh", ["Sở Tư pháp tỉnh Hà Tĩnh", "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"]),
        ("Báo Hà Tĩnh", ["Sở Nội vụ tỉnh Hà Tĩnh"]),
        ("Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh", ["Sở Nội vụ tỉnh Hà Tĩnh"]),
        ("Ban Tuyên giáo Tỉnh ủy tỉnh Hà Tĩnh", []),
        ("Sở Thông tin và Truyền thông tỉnh Hà Tĩnh", ["Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh"]),
    ]


def test_duty_text_runs_to_the_next_item_and_keeps_its_span() -> None:
    text = clean(SECTION)
    duties = find_responsibilities(text, "Hà Tĩnh")
    first, heading = duties[0], duties[-1]
    assert first.duty_text == "Chủ trì, phối hợp với Sở Tư pháp và Đài PTTH tỉnh tổ chức chuyên mục."
    assert text.original[first.duty_span.start : first.duty_span.end] == first.duty_text
    assert heading.duty_text.startswith("Phối hợp với Ủy ban nhân dân")
    assert heading.duty_text.endswith("Báo cáo Ủy ban nhân dân tỉnh.")


@pytest.mark.parametrize(
    "signature",
    [
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nĐầu Thanh Tùng",
        "GIÁM ĐỐC\n\nLê Văn Hùng",
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        # A party document's "thay mặt" is written with a slash.
        "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ",
    ],
)
def test_the_last_duty_ends_where_the_signature_begins(signature: str) -> None:
    plan = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ chủ trì theo dõi việc thực hiện Kế hoạch.\n"
        f"2. Sở Tài chính bố trí kinh phí thực hiện.\n\n{signature}\n"
    )
    duties = find_responsibilities(clean(plan), "Hà Tĩnh")
    assert [d.duty_text for d in duties] == ["chủ trì theo dõi việc thực hiện Kế hoạch.", "bố trí kinh phí thực hiện."]


def test_a_lettered_unit_item_in_a_department_plan() -> None:
    plan = (
        "Sở Văn hóa, Thể thao và Du lịch xây dựng kế hoạch như sau:\nI. MỤC ĐÍCH\n"
        "2. Tổ chức thực hiện:\na) Văn phòng Sở\n- Chủ trì tổng hợp.\n"
        "b) Trung tâm Văn hóa - Nghệ thuật tỉnh:\n- Phối hợp với Văn phòng Sở biên tập tin bài.\n"
    )
    duties = find_responsibilities(clean(plan), "Quảng Ngãi")
    office = "Văn phòng Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi"
    assert [(d.agency.canonical, [p.canonical for p in d.partners]) for d in duties] == [
        (office, []),
        ("Trung tâm Văn hóa - Nghệ thuật tỉnh Quảng Ngãi", [office]),
    ]


def _duty_table(plan: str) -> list[tuple[str, list[str]]]:
    duties = find_responsibilities(clean(plan), "Hà Tĩnh")
    return [(d.agency.canonical, [p.canonical for p in d.partners]) for d in duties]


def test_an_adverb_or_another_preposition_between_the_partner_cue_and_the_bodies() -> None:
    plan = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế: Phối hợp chặt chẽ với Sở Nội vụ xây dựng chuyên mục.\n"
        "2. Sở Tư pháp: Phối hợp cùng Sở Xây dựng lồng ghép tuyên truyền.\n"
        "3. Sở Tài chính: Phối hợp thường xuyên, kịp thời với Sở Công Thương theo dõi.\n"
    )
    assert _duty_table(plan) == [
        ("Sở Y tế tỉnh Hà Tĩnh", ["Sở Nội vụ tỉnh Hà Tĩnh"]),
        ("Sở Tư pháp tỉnh Hà Tĩnh", ["Sở Xây dựng tỉnh Hà Tĩnh"]),
        ("Sở Tài chính tỉnh Hà Tĩnh", ["Sở Công Thương tỉnh Hà Tĩnh"]),
    ]


def test_each_sentence_giving_a_duty_to_other_bodies_opens_their_item() -> None:
    plan = (
        "II. TỔ CHỨC THỰC HIỆN\n"
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp theo dõi. Giao Sở Tài chính chủ trì, phối hợp "
        "với Sở Xây dựng bố trí kinh phí. Sở Y tế phối hợp với Sở Công Thương tuyên truyền.\n"
        # The same body again, and a sentence naming a body that is given nothing.
        "2. Sở Tư pháp chủ trì kiểm tra. Sở Tư pháp báo cáo kết quả. Văn phòng UBND tỉnh theo dõi, "
        "đôn đốc. Sở Nội vụ, Sở Y tế và các đơn vị liên quan.\n"
    )
    assert _duty_table(plan) == [
        ("Sở Nội vụ tỉnh Hà Tĩnh", ["Sở Tư pháp tỉnh Hà Tĩnh"]),
        ("Sở Tài chính tỉnh Hà Tĩnh", ["Sở Xây dựng tỉnh Hà Tĩnh"]),
        ("Sở Y tế tỉnh Hà Tĩnh", ["Sở Công Thương tỉnh Hà Tĩnh"]),
        ("Sở Tư pháp tỉnh Hà Tĩnh", []),
        ("Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh", []),
    ]
    duties = find_responsibilities(clean(plan), "Hà Tĩnh")
    assert duties[1].duty_text == "chủ trì, phối hợp với Sở Xây dựng bố trí kinh phí."
    assert duties[3].duty_text == "chủ trì kiểm tra. Sở Tư pháp báo cáo kết quả."


def test_a_body_the_lexicon_does_not_know_does_not_end_the_list_its_cue_opens() -> None:
    plan = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Y tế chủ trì, phối hợp với Ngân hàng Nhà nước chi nhánh tỉnh, Bưu điện tỉnh triển khai chi trả.\n"
        "2. Sở Tư pháp: Phối hợp với Viettel Hà Tĩnh, VNPT Hà Tĩnh và Sở Xây dựng triển khai.\n"
        "3. Đề nghị Ban Tuyên giáo Thị ủy, Ủy ban MTTQ Việt Nam tỉnh phối hợp tuyên truyền.\n"
        # Words before a comma are no list item unless they look like a name: this
        # partner list ends at the clause, and a line's own opening is not a list.
        "4. Sở Tài chính phối hợp với các đơn vị tổ chức tuyên truyền, Sở Xây dựng theo dõi.\n"
        "Hằng năm, Sở Công Thương báo cáo.\n"
    )
    assert _duty_table(plan) == [
        ("Sở Y tế tỉnh Hà Tĩnh", ["Bưu điện tỉnh Hà Tĩnh"]),
        ("Sở Tư pháp tỉnh Hà Tĩnh", ["Sở Xây dựng tỉnh Hà Tĩnh"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Tĩnh", []),
        ("Sở Tài chính tỉnh Hà Tĩnh", []),
    ]


def test_a_duty_given_to_the_head_of_a_body_is_the_bodys() -> None:
    plan = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các huyện, thành phố:\n"
        "- Quán triệt, triển khai Kế hoạch.\n"
        "2. Sở Tư pháp: Phối hợp với Giám đốc Sở Xây dựng kiểm tra.\n"
    )
    assert _duty_table(plan) == [
        ("Các sở, ban, ngành tỉnh Hà Tĩnh", []),
        ("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh", []),
        ("Sở Tư pháp tỉnh Hà Tĩnh", ["Sở Xây dựng tỉnh Hà Tĩnh"]),
    ]


def test_items_numbered_deeper_belong_to_the_body_heading_them() -> None:
    plan = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ:\na) Chủ trì theo dõi việc thực hiện.\n"
        "b) Phối hợp với Sở Tư pháp kiểm tra.\n1.1. Phối hợp với Văn phòng UBND tỉnh tổng hợp.\n"
        "2. Sở Tài chính bố trí kinh phí.\n3. Chế độ báo cáo định kỳ, phối hợp với Sở Xây dựng.\n"
        # The next part ends the section, whose heading it numbers alike.
        "IV. KIẾN NGHỊ\nSở Y tế phối hợp với Sở Nội vụ.\n"
    )
    assert _duty_table(plan) == [
        ("Sở Nội vụ tỉnh Hà Tĩnh", ["Sở Tư pháp tỉnh Hà Tĩnh", "Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh"]),
        ("Sở Tài chính tỉnh Hà Tĩnh", []),
    ]


def test_a_wrapped_line_opening_with_a_body_goes_on_with_its_sentence() -> None:
    # Text out of a PDF, cut at a width: the second line opens with a body mid-sentence.
    plan = (
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Công an tỉnh chủ trì, phối hợp với Sở Thông tin và Truyền thông, Sở Tư pháp và\n"
        "UBND các huyện triển khai các nhiệm vụ của Đề án 06 trên địa bàn toàn tỉnh năm 2023.\n"
        "2. Sở Tư pháp chủ trì, phối hợp với Sở Y tế triển khai liên thông thủ tục hành chính.\n"
    )
    assert _duty_table(plan) == [
        (
            "Công an tỉnh Hà Tĩnh",
            [
                "Sở Thông tin và Truyền thông tỉnh Hà Tĩnh",
                "Sở Tư pháp tỉnh Hà Tĩnh",
                "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh",
            ],
        ),
        ("Sở Tư pháp tỉnh Hà Tĩnh", ["Sở Y tế tỉnh Hà Tĩnh"]),
    ]


def test_roman_numbers_under_a_part_heading_number_the_bodies() -> None:
    plan = (
        "PHẦN THỨ BA\nTỔ CHỨC THỰC HIỆN\nI. SỞ NỘI VỤ\n"
        "1. Chủ trì, phối hợp với Văn phòng UBND tỉnh tham mưu triển khai Kế hoạch.\n"
        "2. Tổng hợp báo cáo định kỳ.\nII. SỞ TƯ PHÁP\nPhối hợp với Sở Nội vụ rà soát quy định.\n"
        "PHẦN THỨ TƯ\nCHẾ ĐỘ BÁO CÁO\nSở Tài chính báo cáo kết quả.\n"
    )
    assert _duty_table(plan) == [
        ("Sở Nội vụ tỉnh Hà Tĩnh", ["Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh"]),
        ("Sở Tư pháp tỉnh Hà Tĩnh", ["Sở Nội vụ tỉnh Hà Tĩnh"]),
    ]


def test_no_section_no_responsibilities() -> None:
    assert find_responsibilities(clean("1. Sở Nội vụ: phối hợp với Sở Tư pháp."), "Hà Tĩnh") == []


# --------------------------------------------------------------------------- throughput


def test_throughput_helper_measures_without_asserting_speed() -> None:
    spec = importlib.util.spec_from_file_location("bench_extractors", ROOT / "benchmarks" / "bench_extractors.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    plans = bench.demo_plans()
    for name, extract in bench.EXTRACTORS.items():
        done, seconds = bench.throughput(extract, plans, 50_000)
        assert done >= 50_000 and seconds > 0
        print(f"\n{name}: {done / 1e6 / seconds:.2f} MB/s on this machine")


DEPARTMENT_PLAN = (
    "UBND TỈNH ĐẮK LẮK\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ TƯ PHÁP\tĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 214/KH-STP\tĐắk Lắk, ngày 29 tháng 01 năm 2024\n\nKẾ HOẠCH\nCải cách hành chính năm 2024\n\n"
    "II. NHIỆM VỤ CỤ THỂ\n"
    "TT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n"
    "1\tRà soát văn bản\tPhòng Xây dựng và Kiểm tra văn bản QPPL\tCác sở, ban, ngành\tTháng 12/2024\n"
    "2\tĐơn giản hóa thủ tục hành chính nội bộ\tVăn phòng Sở\tPhòng Hành chính tư pháp; Phòng Bổ trợ tư pháp"
    "\tQuý III/2024\n"
    "3\tTuyên truyền pháp luật\tPhòng Phổ biến, giáo dục pháp luật\tBáo Đắk Lắk\tQuý II/2024\n"
    "4\tTrợ giúp pháp lý\tTrung tâm Trợ giúp pháp lý nhà nước tỉnh\tCông an tỉnh\tCả năm\n"
)


def test_a_departments_table_names_its_own_units_in_full() -> None:
    """A Sở's plan names its own units without the Sở, their names in lower case after the
    first word, as official names are written."""
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(DEPARTMENT_PLAN)))
    sở = "Sở Tư pháp tỉnh Đắk Lắk"
    assert plan.document.issuer == sở
    assert [([b.canonical for b in t.lead], [b.canonical for b in t.coordinators]) for t in plan.tasks] == [
        ([f"Phòng Xây dựng và Kiểm tra văn bản QPPL, {sở}"], ["Các sở, ban, ngành tỉnh Đắk Lắk"]),
        ([f"Văn phòng {sở}"], [f"Phòng Hành chính tư pháp, {sở}", f"Phòng Bổ trợ tư pháp, {sở}"]),
        ([f"Phòng Phổ biến, giáo dục pháp luật, {sở}"], ["Báo Đắk Lắk"]),
        (["Trung tâm Trợ giúp pháp lý nhà nước tỉnh Đắk Lắk"], ["Công an tỉnh Đắk Lắk"]),
    ]
    # The bodies read over the whole text, its table's rows with them, carry the same names;
    # "VỤ" of the heading "NHIỆM VỤ CỤ THỂ", in capitals, is no unit (Vụ).
    in_tasks = {b.canonical for t in plan.tasks for b in t.lead + t.coordinators}
    assert in_tasks <= {m.canonical for m in plan.agencies}
    assert not [m.canonical for m in plan.agencies if m.canonical.startswith("Vụ")]


def department_plan_with(duties: str) -> PlanExtraction:
    """The department plan's header over a duties section."""
    header = DEPARTMENT_PLAN[: DEPARTMENT_PLAN.index("II.")]
    return extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(header + duties)))


def duties_and_partners(plan: PlanExtraction) -> list[tuple[str, list[str]]]:
    return [(d.agency.canonical, [p.canonical for p in d.partners]) for d in plan.responsibilities]


DEPARTMENT = "Sở Tư pháp tỉnh Đắk Lắk"


def test_a_departments_units_in_running_text() -> None:
    """A name in lower case runs on where a mark or a level word closes it before any verb."""
    duties = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Xây dựng và kiểm tra văn bản; Phòng Hành chính tư pháp; Trung tâm Trợ giúp pháp lý "
        "nhà nước tỉnh thực hiện nhiệm vụ được giao.\n"
        "2. Văn phòng Sở chủ trì, phối hợp với Trung tâm Thông tin và các đơn vị thuộc Sở tổng hợp kết quả.\n"
    )
    plan = department_plan_with(duties)
    assert duties_and_partners(plan) == [
        (f"Phòng Xây dựng và kiểm tra văn bản, {DEPARTMENT}", []),
        (f"Phòng Hành chính tư pháp, {DEPARTMENT}", []),
        ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh Đắk Lắk", []),
        (f"Văn phòng {DEPARTMENT}", [f"Trung tâm Thông tin, {DEPARTMENT}", f"Các đơn vị thuộc {DEPARTMENT}"]),
    ]


@pytest.mark.parametrize(("part", "item"), [("II.", "1."), ("II-", "1-"), ("II–", "1–"), ("II.", "a-")])
def test_numbers_closed_by_a_dash_mark_parts_and_items_as_dots_do(part: str, item: str) -> None:
    """Party documents and older state ones write "III- TỔ CHỨC THỰC HIỆN", "1- …"."""
    duties = (
        f"{part} TỔ CHỨC THỰC HIỆN\n"
        f"{item} Văn phòng Sở chủ trì, phối hợp với Thanh tra Sở theo dõi việc thực hiện.\n"
        f"{item.replace('1', '2').replace('a', 'b')} Phòng Hành chính tư pháp tổng hợp kết quả.\n"
    )
    plan = department_plan_with(duties)
    assert duties_and_partners(plan) == [
        (f"Văn phòng {DEPARTMENT}", [f"Thanh tra {DEPARTMENT}"]),
        (f"Phòng Hành chính tư pháp, {DEPARTMENT}", []),
    ]


def test_a_units_name_in_sentence_case_runs_on_to_a_verb_a_few_words_on() -> None:
    """Official names are written in sentence case: "Tổ chức cán bộ" up to "chủ trì"; a
    longer lower-case run before the verb is the sentence's object."""
    duties = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Tổ chức cán bộ chủ trì, phối hợp với Phòng Quản lý chất lượng theo dõi việc thực hiện.\n"
        "2. Phòng Tài chính hành chính sự nghiệp triển khai; báo cáo về Phòng Kế toán trước ngày 15/12.\n"
        "3. Trung tâm Hành chính công tiếp nhận hồ sơ theo quy định.\n"
    )
    plan = department_plan_with(duties)
    assert duties_and_partners(plan)[:2] == [
        (f"Phòng Tổ chức cán bộ, {DEPARTMENT}", [f"Phòng Quản lý chất lượng, {DEPARTMENT}"]),
        (f"Phòng Tài chính hành chính sự nghiệp, {DEPARTMENT}", []),
    ]
    units = {m.canonical for m in plan.agencies}
    assert f"Phòng Kế toán, {DEPARTMENT}" in units
    assert not [u for u in units if "tiếp nhận" in u]


def test_a_units_name_in_sentence_case_runs_on_to_its_parent() -> None:
    """The name's parent closes a lower-case run as a verb does: "Vụ Tổ chức cán bộ, Bộ Tư
    pháp" is one unit, not "Vụ Tổ chức" of the ministry."""
    text = (
        "BỘ TƯ PHÁP\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 4512/KH-BTP\tHà Nội, ngày 28 tháng 12 năm 2022\n\nKẾ HOẠCH\nCải cách hành chính năm 2023\n\n"
        "Theo đề nghị của Vụ trưởng Vụ Tổ chức cán bộ, Bộ Tư pháp ban hành Kế hoạch như sau:\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Vụ Tổ chức cán bộ chủ trì theo dõi việc thực hiện Kế hoạch.\n"
        "2. Phòng Tổ chức cán bộ - Tổng cục Thi hành án dân sự rà soát đội ngũ công chức.\n"
    )
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))
    units = {m.canonical for m in plan.agencies}
    assert "Vụ Tổ chức cán bộ, Bộ Tư pháp" in units
    assert not [u for u in units if u.startswith("Vụ Tổ chức,")]
    assert [d.agency.canonical for d in plan.responsibilities][:1] == ["Vụ Tổ chức cán bộ, Bộ Tư pháp"]


@pytest.mark.parametrize(
    ("written", "canonical", "collective"),
    [
        # Police and social insurance have an office at each level, as councils and committees do.
        ("Công an tỉnh", "Công an tỉnh Hà Tĩnh", False),
        ("Công an các huyện, thị xã, thành phố", "Công an cấp huyện tỉnh Hà Tĩnh", True),
        ("Công an các xã, phường, thị trấn", "Công an cấp xã tỉnh Hà Tĩnh", True),
        ("Công an huyện Kỳ Anh", "Công an huyện Kỳ Anh, tỉnh Hà Tĩnh", False),
        ("BHXH các huyện", "Bảo hiểm xã hội cấp huyện tỉnh Hà Tĩnh", True),
        ("Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam", False),
        ("Bộ Công an", "Bộ Công an", False),
    ],
)
def test_bodies_with_an_office_at_each_level(written: str, canonical: str, collective: bool) -> None:
    assert [(b.canonical, b.collective) for b in canonical_agencies(written, "Hà Tĩnh")] == [(canonical, collective)]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # A sector in initials, its parts joined by nothing, a hyphen, "&" or a comma.
        ("Sở LĐ-TBXH", "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh"),
        ("Sở NN-PTNT", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh"),
        ("Sở GD-ĐT", "Sở Giáo dục và Đào tạo tỉnh Hà Tĩnh"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường tỉnh Hà Tĩnh"),
        ("Sở DT&TG", "Sở Dân tộc và Tôn giáo tỉnh Hà Tĩnh"),
        ("Sở XD", "Sở Xây dựng tỉnh Hà Tĩnh"),
        # Nội vụ and Ngoại vụ share their initials: the one listed first keeps them.
        ("Sở NV", "Sở Nội vụ tỉnh Hà Tĩnh"),
        ("Bộ LĐTB&XH", "Bộ Lao động - Thương binh và Xã hội"),
    ],
)
def test_a_sector_written_in_initials(written: str, canonical: str) -> None:
    assert [b.canonical for b in canonical_agencies(written, "Hà Tĩnh")] == [canonical]


def test_the_people_s_police_as_a_force_is_no_body() -> None:
    assert canonical_agencies("trong Công an nhân dân năm 2023", "Hà Tĩnh") == ()


def test_a_cell_lists_bodies_where_text_would_name_a_parent() -> None:
    """In a cell a comma separates bodies ("Unit, Parent" is how names are written out,
    not how cells list them); a head before "các" names a group of units, not one."""
    (department,) = canonical_agencies("Sở Nông nghiệp và Môi trường", "Tuyên Quang")
    cell = "Phòng Quản lý đất đai, Trung tâm PVHCC tỉnh"
    assert [b.canonical for b in canonical_agencies(cell, "Tuyên Quang", None, department)] == [
        "Phòng Quản lý đất đai, Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
        "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
    ]
    assert canonical_agencies("Trung tâm Y tế các huyện, thị xã", "Hà Tĩnh", None, department) == ()
