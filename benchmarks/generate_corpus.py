"""Write N synthetic administrative-reform plans, deterministic from a seed, for load tests.

The seeds (data/plans) are five; a benchmark at 10,000 plans needs plans that differ as
real ones do: other provinces and issuers, other years, other documents cited, other
tables. Each plan is built from the project's reference data (provinces, issuers, the
registry of known national documents with their real symbols, dates and titles) and its
lexicon (departments, bodies, abbreviations, table headers, positions, surnames), in the
layout of real plans: a two-column header, "Số: …/KH-…", a place-date line, the title, a
preamble citing documents ("Căn cứ …", "Thực hiện …"), numbered sections of objectives
and tasks with their lead and coordinating bodies, a task table in one of the shapes
``ccbc_graph.extract.tables`` reads (tab rows, one cell per tab-started line, Markdown
pipes; cut by page breaks) with budgets and a printed total, and a signature block. Noise
as in the seeds: decomposed Unicode, old tone placement, receiving and e-signature stamps,
page numbers, "(Đã ký)", Markdown emphasis.

OUT_DIR/expected.json lists, per file, what was planted: the cited documents (with the
relation their paragraph's cue gives), amendments, each table's rows and budgets and
printed total, so a test can check that extraction finds them.

    python benchmarks/generate_corpus.py OUT_DIR --plans 1000 --seed 1
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# Bumped when the output for a given seed changes, so cached corpora are rebuilt.
GENERATOR_VERSION = 1

# When a plan names a document several times, the strongest relation is the plan's (as the extractor merges them).
RELATION_RANK = {"basis": 3, "implements": 2, "references": 1}
_NESTED = re.compile(r"(Nghị quyết|Quyết định|Nghị định) số (\S+) ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


# ---------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Doc:
    """A document a plan can cite: registry entries and the province's own documents."""

    symbol: str
    date: date
    doc_type: str
    issuer: str
    title: str

    @property
    def label(self) -> str:
        """How the extractor names the document: ``76/NQ-CP@2021``; a symbol with its year stands alone."""
        return self.symbol if f"/{self.date.year}/" in self.symbol else f"{self.symbol}@{self.date.year}"


@dataclass(frozen=True)
class Province:
    """A province (or centrally governed city) and its kind, "tỉnh" or "thành phố"."""

    name: str
    kind: str

    @property
    def place(self) -> str:
        return "Thành phố Hồ Chí Minh" if self.name == "Hồ Chí Minh" else self.name

    @property
    def full(self) -> str:
        return f"{self.kind} {self.name}"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Reference:
    """What the generator draws from data/: provinces, registry, departments, names."""

    provinces: tuple[Province, ...]
    registry: tuple[Doc, ...]
    departments: tuple[str, ...]
    short_forms: dict[str, tuple[str, ...]]
    columns: dict[str, tuple[str, ...]]
    surnames: tuple[str, ...]


@cache
def reference() -> Reference:
    """The reference data and lexicon, read once."""
    provinces = tuple(Province(r["name"], r["kind"]) for r in _csv(DATA / "reference" / "provinces.csv"))
    registry = tuple(
        Doc(r["symbol"], date.fromisoformat(r["date"]), r["doc_type"], r["issuer"], r["title"])
        for r in _csv(DATA / "reference" / "known_documents.csv")
    )
    # Departments of the plans' years (2016-2025): the merged Sở Nông nghiệp và Môi trường came later.
    departments = tuple(
        r["sector"]
        for r in _csv(DATA / "lexicon" / "sectors.csv")
        if r["department"] == "true" and r["sector"] != "Nông nghiệp và Môi trường"
    )
    short: dict[str, list[str]] = {}
    for r in _csv(DATA / "lexicon" / "abbreviations.csv"):
        short.setdefault(r["expansion"], []).append(r["abbreviation"])
    columns: dict[str, list[str]] = {}
    for r in _csv(DATA / "lexicon" / "table_columns.csv"):
        columns.setdefault(r["role"], []).append(r["header"])
    surnames = tuple(r["surname"] for r in _csv(DATA / "lexicon" / "surnames.csv"))
    return Reference(
        provinces,
        registry,
        departments,
        {k: tuple(v) for k, v in short.items()},
        {k: tuple(v) for k, v in columns.items()},
        surnames,
    )


# Departments only some provinces have; culture is one department or two.
_SOME_PROVINCES = (
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa và Thể thao",
    "Du lịch",
    "Ngoại vụ",
    "Quy hoạch - Kiến trúc",
)


@cache
def departments_of(province: Province) -> tuple[str, ...]:
    """The departments (Sở) of a province, the same in every plan of it."""
    rng = random.Random(f"departments|{province.name}")
    have = [s for s in reference().departments if s not in _SOME_PROVINCES]
    have += ["Văn hóa và Thể thao", "Du lịch"] if rng.random() < 0.15 else ["Văn hóa, Thể thao và Du lịch"]
    if rng.random() < 0.4:
        have.append("Ngoại vụ")
    if province.name in ("Hà Nội", "Hồ Chí Minh"):
        have.append("Quy hoạch - Kiến trúc")
    return tuple(s for s in have if s in reference().departments)


# ---------------------------------------------------------------------------- text banks

# The areas of a CCHC plan (Nghị quyết 30c/NQ-CP to 2020, 76/NQ-CP from 2021), each with
# tasks as plans word them and the department that usually leads them.
AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Cải cách thể chế",
        "Tư pháp",
        (
            "Xây dựng, ban hành văn bản quy phạm pháp luật của tỉnh bảo đảm đúng trình tự, thủ tục theo quy định",
            "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc thẩm quyền ban hành của Hội đồng nhân dân, "
            "Ủy ban nhân dân tỉnh",
            "Kiểm tra, xử lý văn bản quy phạm pháp luật theo thẩm quyền",
            "Theo dõi tình hình thi hành pháp luật trên địa bàn tỉnh",
            "Tổ chức phổ biến, giáo dục pháp luật cho cán bộ, công chức, viên chức và Nhân dân",
        ),
    ),
    (
        "Cải cách thủ tục hành chính",
        "Văn phòng UBND",
        (
            "Rà soát, đánh giá thủ tục hành chính và đề xuất phương án đơn giản hóa",
            "Công bố, công khai danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của các cấp chính quyền",
            "Thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
            "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        ),
    ),
    (
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "Nội vụ",
        (
            "Rà soát, sắp xếp tổ chức bộ máy của các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh theo hướng tinh gọn",
            "Thực hiện tinh giản biên chế và cơ cấu lại đội ngũ cán bộ, công chức, viên chức",
            "Quản lý, sử dụng biên chế công chức, số lượng người làm việc trong đơn vị sự nghiệp công lập",
            "Đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
        ),
    ),
    (
        "Cải cách chế độ công vụ",
        "Nội vụ",
        (
            "Xây dựng vị trí việc làm và cơ cấu ngạch công chức, cơ cấu viên chức theo chức danh nghề nghiệp",
            "Tổ chức tuyển dụng, thi nâng ngạch công chức, thăng hạng chức danh nghề nghiệp viên chức",
            "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức theo kế hoạch được phê duyệt",
            "Kiểm tra công vụ, kỷ luật, kỷ cương hành chính tại các cơ quan, đơn vị",
        ),
    ),
    (
        "Cải cách tài chính công",
        "Tài chính",
        (
            "Thực hiện cơ chế tự chủ tài chính đối với các đơn vị sự nghiệp công lập",
            "Triển khai cơ chế tự chủ, tự chịu trách nhiệm về sử dụng biên chế và kinh phí quản lý hành chính",
            "Quản lý, sử dụng tài sản công theo quy định",
            "Công khai dự toán, quyết toán ngân sách nhà nước theo quy định",
        ),
    ),
    (
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        "Thông tin và Truyền thông",
        (
            "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
            "Cung cấp dịch vụ công trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia",
            "Duy trì, cập nhật thông tin trên Cổng thông tin điện tử của tỉnh",
            "Triển khai hệ thống quản lý văn bản và điều hành, chữ ký số chuyên dùng",
            "Duy trì, cải tiến hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia TCVN ISO 9001:2015",
        ),
    ),
    (
        "Công tác thông tin, tuyên truyền cải cách hành chính",
        "Thông tin và Truyền thông",
        (
            "Duy trì chuyên mục cải cách hành chính trên sóng phát thanh, truyền hình của tỉnh",
            "Đăng tải tin, bài về cải cách hành chính trên báo in và báo điện tử của tỉnh",
            "Tổ chức Hội thi tìm hiểu về cải cách hành chính cho cán bộ, công chức, viên chức",
            "In ấn, phát hành tờ gấp, pano, áp phích tuyên truyền về cải cách hành chính",
        ),
    ),
)
PRODUCTS = (
    "Văn bản được ban hành",
    "Báo cáo kết quả thực hiện",
    "Quyết định công bố",
    "Kế hoạch được phê duyệt",
    "Kết luận kiểm tra",
    "Các chuyên mục, tin, bài",
    "Hệ thống được nâng cấp, vận hành ổn định",
    "Lớp bồi dưỡng",
    "Bộ tài liệu tuyên truyền",
    "Quyết định phê duyệt",
)
UNFUNDED = (
    "Kinh phí thường xuyên của đơn vị",
    "Lồng ghép trong kinh phí được giao",
    "Các đơn vị tự bố trí",
    "Nguồn kinh phí chi thường xuyên",
)
OBJECTIVES = (
    "Tiếp tục đẩy mạnh cải cách hành chính theo hướng hiện đại, chuyên nghiệp, lấy người dân, doanh nghiệp làm "
    "trung tâm phục vụ",
    "Nâng cao nhận thức, trách nhiệm của người đứng đầu các cơ quan, đơn vị, địa phương trong chỉ đạo, tổ chức thực "
    "hiện nhiệm vụ cải cách hành chính",
    "Cải thiện thứ hạng Chỉ số cải cách hành chính (PAR INDEX), Chỉ số hài lòng về sự phục vụ hành chính (SIPAS), "
    "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) của tỉnh",
    "Xây dựng đội ngũ cán bộ, công chức, viên chức có phẩm chất, năng lực, đáp ứng yêu cầu nhiệm vụ",
    "Tăng cường kỷ luật, kỷ cương hành chính; nâng cao hiệu lực, hiệu quả quản lý nhà nước",
)
TARGETS = (
    "{p}% thủ tục hành chính đủ điều kiện được cung cấp dưới hình thức dịch vụ công trực tuyến toàn trình",
    "{p}% hồ sơ thủ tục hành chính được giải quyết đúng hạn",
    "{p}% văn bản trao đổi giữa các cơ quan hành chính nhà nước dưới dạng điện tử",
    "Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước đạt trên {p}%",
    "{p}% cán bộ, công chức cấp xã đạt chuẩn theo quy định",
    "{p}% hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
)
DUTIES = (
    "theo dõi, đôn đốc, kiểm tra việc triển khai thực hiện Kế hoạch này; định kỳ quý, 6 tháng, năm tổng hợp, "
    "báo cáo Ủy ban nhân dân tỉnh",
    "tham mưu bố trí kinh phí thực hiện các nhiệm vụ cải cách hành chính theo phân cấp ngân sách hiện hành",
    "hướng dẫn, kiểm tra việc thực hiện cơ chế một cửa, một cửa liên thông tại các cơ quan, đơn vị, địa phương",
    "tăng cường thời lượng, nâng cao chất lượng các chuyên mục, tin, bài tuyên truyền về cải cách hành chính",
    "chủ động xây dựng kế hoạch và tổ chức thực hiện nhiệm vụ cải cách hành chính thuộc ngành, lĩnh vực quản lý",
)
TIMEFRAMES = ("Quý I/{y}", "Quý II/{y}", "Quý III/{y}", "Quý IV/{y}", "Thường xuyên", "Cả năm {y}", "Tháng 6/{y}")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Hữu", "Đức", "Quang", "Thanh", "Ngọc", "Xuân", "Hồng", "Duy", "Anh")
GIVEN_NAMES = ("Hùng", "Tuấn", "Hải", "Lan", "Hương", "Dũng", "Thắng", "Phương", "Trí", "Bình", "Sơn", "Long", "Nam")
DISTRICTS = "UBND các huyện, thị xã, thành phố"
# Bodies other than departments, by key, with the ways plans write them ({p} province, {lv} its level).
OTHER_BODIES = {
    "Văn phòng UBND": ("Văn phòng UBND {lv}", "Văn phòng Ủy ban nhân dân {lv}"),
    "Đài PTTH": (
        "Đài Phát thanh và Truyền hình {p}",
        "Đài PT-TH {lv}",
        "Đài PTTH {lv}",
        "Đài Phát thanh - Truyền hình {lv}",
    ),
    "Báo": ("Báo {p}",),
    "Công an": ("Công an {lv}",),
    "Bưu điện": ("Bưu điện {lv}",),
    "Tỉnh đoàn": ("Tỉnh đoàn",),
    "Ban Tuyên giáo": ("Ban Tuyên giáo Tỉnh ủy",),
    "Mặt trận": ("Ủy ban Mặt trận Tổ quốc Việt Nam {lv}", "UBMTTQ {lv}"),
    "Trung tâm PVHCC": ("Trung tâm Phục vụ hành chính công {lv}",),
    "Kho bạc": ("Kho bạc Nhà nước {lv}",),
}
# The plenum of the Central Committee that passed a party resolution of the registry.
PLENUMS = {"18-NQ/TW": "sáu", "19-NQ/TW": "sáu", "26-NQ/TW": "bảy"}
TABLE_CAPTIONS = ("Các nhiệm vụ trọng tâm", "Các nhiệm vụ thông tin, tuyên truyền")
# Old tone placement, as older documents and typists write it.
OLD_TONES = (
    ("hóa", "hoá"),
    ("Hóa", "Hoá"),
    ("hòa", "hoà"),
    ("Hòa", "Hoà"),
    ("khóa", "khoá"),
    ("Ủy", "Uỷ"),
    ("ủy", "uỷ"),
    ("ỦY", "UỶ"),
    ("Quý", "Qúy"),
    ("thủy", "thuỷ"),
)


# ---------------------------------------------------------------------------- small helpers


def vnd(amount: int) -> str:
    """48000000 -> "48.000.000" (dots group thousands)."""
    return f"{amount:,}".replace(",", ".")


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _three(n: int, full: bool) -> str:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = [f"{_DIGITS[hundreds]} trăm"] if full or hundreds else []
    if tens == 0 and units:
        words.append(("lẻ " if words else "") + _DIGITS[units])
    elif tens:
        words.append("mười" if tens == 1 else f"{_DIGITS[tens]} mươi")
        if units:
            words.append("mốt" if units == 1 and tens > 1 else "lăm" if units == 5 else _DIGITS[units])
    return " ".join(words)


def in_words(amount: int) -> str:
    """The amount in words, as printed under a total: "(Sáu trăm sáu mươi bốn triệu, ... đồng)"."""
    groups, parts = [], []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    scales = ("", "nghìn", "triệu", "tỷ")
    for i in range(len(groups) - 1, -1, -1):
        if groups[i]:
            parts.append(f"{_three(groups[i], i < len(groups) - 1)} {scales[i]}".strip())
    text = ", ".join(parts) + " đồng"
    return f"({text[0].upper()}{text[1:]})"


def written_date(day: date, rng: random.Random) -> str:
    """A date in one of the ways plans write it."""
    form = rng.random()
    if form < 0.45:
        return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    if form < 0.55:
        return f"ngày {day.day} tháng {day.month} năm {day.year}"
    if form < 0.85:
        return f"ngày {day.day:02d}/{day.month:02d}/{day.year}"
    return f"ngày {day.day}/{day.month}/{day.year}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def person(rng: random.Random, names: Reference) -> str:
    return f"{rng.choice(names.surnames)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def issuer_code(sector: str) -> str:
    """A department's symbol code from its sector's initials: "Thông tin và Truyền thông" -> "STTTT"."""
    words = [w for w in re.split(r"[\s,\-]+", sector) if w and w != "và"]
    return "S" + "".join(w[0].upper() for w in words)


# ---------------------------------------------------------------------------- one plan


@dataclass
class Table:
    """A task table as planted: its shape, each row's budget (None: no amount), the printed
    total, and the features of its layout (page break, merged cells, the total row's form …)."""

    shape: str
    budgets: list[int | None]
    total: int | None
    features: set[str]
    text: str = ""


@dataclass
class Plan:
    """One synthetic plan being written: its blocks of text and what was planted in them."""

    rng: random.Random
    ref: Reference
    province: Province
    year: int
    sector: str | None  # None: the province's People's Committee issues the plan
    markdown: bool
    cited: dict[str, str] = field(default_factory=dict)  # label -> relation
    amendments: list[tuple[str, str]] = field(default_factory=list)
    noise: set[str] = field(default_factory=set)

    # -- bodies

    @property
    def local(self) -> str:
        """ "tỉnh" or "thành phố": how the text names the province's level."""
        return self.province.kind

    @property
    def departments(self) -> tuple[str, ...]:
        return departments_of(self.province)

    def name(self, key: str) -> str:
        """How the plan writes body ``key`` this time: a department (its sector), or one of OTHER_BODIES."""
        forms = OTHER_BODIES.get(key)
        if forms:
            return self.rng.choice(forms).format(p=self.province.name, lv=self.local)
        shorts = [s for s in self.ref.short_forms.get(key, ()) if len(s) > 2]
        if shorts and self.rng.random() < 0.25:
            return f"Sở {self.rng.choice(shorts)}"
        return f"Sở {key}"

    def body_key(self) -> str:
        """A provincial body: a department or another body of the province."""
        return self.rng.choice(self.departments if self.rng.random() < 0.6 else tuple(OTHER_BODIES))

    def bodies(self, count: int, besides: str) -> str:
        """Coordinating bodies as a list (never the lead, ``besides``), maybe closing with a group."""
        keys = [k for k in dict.fromkeys(self.body_key() for _ in range(count)) if k != besides]
        names = [self.name(k) for k in keys] or ["các cơ quan có liên quan"]
        if self.rng.random() < 0.5:
            names.append(self.rng.choice(("các sở, ban, ngành", DISTRICTS, "các cơ quan có liên quan")))
        return self.rng.choice(("; ", ", ")).join(names)

    @property
    def issuer(self) -> str:
        if self.sector is None:
            return f"Ủy ban nhân dân {self.province.full}"
        return f"Sở {self.sector} {self.province.full}"

    # -- markup

    def bold(self, text: str) -> str:
        return f"**{text}**" if self.markdown else text

    def heading(self, text: str) -> str:
        if not self.markdown:
            return text
        return self.rng.choice((f"**{text}**", f"## **{text}**", f"### {text}"))

    def bullet(self, text: str) -> str:
        return f"\\- {text}" if self.markdown and self.rng.random() < 0.3 else f"- {text}"

    # -- citations

    def cite(self, doc: Doc, relation: str, with_date: bool = True) -> str:
        """A citation as plans write it; records the document and any it names in its title."""
        rng = self.rng
        symbol = doc.symbol
        if rng.random() < 0.05 and "/" in symbol:
            number, rest = symbol.split("/", 1)
            symbol = rng.choice((f"{number} /{rest}", f"{number}/ {rest}"))
        if self.markdown and rng.random() < 0.1:
            symbol = f"**{symbol}**"
        type_word = doc.doc_type
        if type_word in ("Nghị quyết", "Quyết định") and rng.random() < 0.02:
            type_word = "Nghị định"  # a slip the symbol corrects, as "Nghị định số 17/NQ-CP" in a seed
            self.noise.add("type-word-slip")
        if doc.doc_type == "Luật":
            words = f"{doc.title} số {symbol}"
        else:
            words = f"{type_word} {'' if rng.random() < 0.12 else 'số '}{symbol}"
        if not with_date:
            self._record(doc, relation)
            return words
        issuer = doc.issuer
        if issuer == "Ủy ban nhân dân":
            issuer = rng.choice(("Ủy ban nhân dân", "UBND")) + f" {self.local}"
        elif issuer == "Ban Chấp hành Trung ương Đảng" and rng.random() < 0.5:
            issuer += " khóa XII"
        day = doc.date
        if rng.random() < 0.03:
            # Written wrongly in the right year, as "17/3/2019" for 07/3/2019 in a seed.
            day = day.replace(day=day.day % 28 + 1)
            self.noise.add("date-written-wrong")
        if doc.symbol in PLENUMS and rng.random() < 0.3:
            words += f" {written_date(day, rng)}, Hội nghị lần thứ {PLENUMS[doc.symbol]} {issuer}"
        else:
            words += f" {written_date(day, rng)} của {issuer}"
        if doc.doc_type != "Luật":
            title = doc.title
            if title.startswith(("Về ", "Ban hành", "Phê duyệt", "Sửa đổi")):
                words += f" {lower_first(title)}"
            else:
                words += f" về {lower_first(title)}"
            for match in _NESTED.finditer(title):
                nested = Doc(match[2], date(int(match[5]), int(match[4]), int(match[3])), match[1], "", "")
                self.cited[nested.label] = _stronger(self.cited.get(nested.label), relation)
                if title.startswith(("Về việc sửa đổi", "Sửa đổi")):
                    self.amendments.append((doc.label, nested.label))
        self._record(doc, relation)
        return words

    def _record(self, doc: Doc, relation: str) -> None:
        self.cited[doc.label] = _stronger(self.cited.get(doc.label), relation)


def _stronger(old: str | None, new: str) -> str:
    return new if old is None or RELATION_RANK[new] > RELATION_RANK[old] else old


# ---------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Spec:
    """What varies between plans, drawn first so the rest of a plan follows from it."""

    province: Province
    year: int
    sector: str | None
    markdown: bool
    own_number: int
    plan_date: date | None
    signed: date


def _local_docs(province: Province, year: int, seed: int) -> list[Doc]:
    """The province's own documents a plan of ``year`` may cite, the same in every plan of the corpus."""
    rng = random.Random(f"{seed}|{province.name}|{year}")
    kind = province.kind
    docs = [
        Doc(
            f"{rng.randint(150, 420)}/KH-UBND",
            date(year - 1, 12, rng.randint(5, 28)),
            "Kế hoạch",
            "Ủy ban nhân dân",
            f"Về cải cách hành chính nhà nước {kind} {province.name} năm {year}",
        ),
        Doc(
            f"{rng.randint(150, 420)}/KH-UBND",
            date(year - 2, 12, rng.randint(5, 28)),
            "Kế hoạch",
            "Ủy ban nhân dân",
            f"Về cải cách hành chính năm {year - 1}",
        ),
    ]
    start = 2016 if year <= 2020 else 2021
    program = random.Random(f"{seed}|{province.name}|{start}")
    docs.append(
        Doc(
            f"{program.randint(1000, 3900)}/QĐ-UBND",
            date(start, program.randint(3, 9), program.randint(1, 28)),
            "Quyết định",
            "Ủy ban nhân dân",
            f"Ban hành Kế hoạch cải cách hành chính nhà nước giai đoạn {start} - {start + (4 if start == 2016 else 9)}",
        )
    )
    return docs


def _spec(rng: random.Random, ref: Reference) -> Spec:
    """Province, year, issuer and dates: a People's Committee signs its plan around the new
    year, a department after it (implementing the province's plan)."""
    province = rng.choice(ref.provinces)
    year = rng.randint(2016, 2025)
    sector = None if rng.random() < 0.55 else rng.choice(departments_of(province))
    if sector is None:
        signed = date(year - 1, 12, rng.randint(10, 31)) if rng.random() < 0.6 else date(year, 1, rng.randint(2, 28))
    else:
        signed = date(year, rng.randint(1, 3), rng.randint(1, 28))
    return Spec(
        province,
        year,
        sector,
        markdown=rng.random() < 0.25,
        own_number=rng.randint(1, 480),
        plan_date=None if rng.random() < 0.06 else signed,
        signed=signed,
    )


def _header(plan: Plan, spec: Spec, code: str, own: str | None) -> str:
    """The two-column header: side by side on tab-separated lines, or one block after the
    other (as Markdown exports give it), sometimes with a receiving stamp."""
    rng = plan.rng
    province = plan.province
    left = ["ỦY BAN NHÂN DÂN", f"{province.full.upper()}"]
    if spec.sector is not None:
        left = [f"UBND {province.full.upper()}", f"SỞ {spec.sector.upper()}"]
    motto = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    number = f"Số: {own}" if own else f"Số: /KH-{code}"
    if spec.plan_date:
        place = f"{province.place}, {written_date(spec.plan_date, rng)}"
    else:
        place = f"{province.place}, ngày tháng năm {spec.signed.year}"
    if rng.random() < 0.55:
        lines = [f"{a}\t{b}" for a, b in zip(left, motto, strict=True)]
        return "\n".join([*lines, "\t", f"{number}\t{place}"])
    stamp = ""
    if rng.random() < 0.2:
        received = spec.signed + timedelta(days=rng.randint(2, 9))
        stamp = f"\n\nCÔNG VĂN ĐẾN\nSố: {rng.randint(10, 999)}\nNgày: {received.day}/{received.month}/{received.year}"
        plan.noise.add("received-stamp")
    issuer_block = plan.bold("\n".join(left))
    return f"{issuer_block}\n\n{plan.bold(chr(10).join(motto))}\n\n{number}{stamp}\n\n{place}"


def _title(plan: Plan) -> str:
    where = plan.rng.choice(("", f" trên địa bàn {plan.province.full}", " của Sở" if plan.sector else ""))
    subject = plan.rng.choice(
        ("Cải cách hành chính", "Cải cách hành chính nhà nước", "Thực hiện công tác cải cách hành chính")
    )
    lines = ["KẾ HOẠCH", f"{subject} năm {plan.year}{where}"]
    if plan.markdown:
        return "  \n".join(f"**{line}**" for line in lines)
    return "\n".join(lines)


def _citable(plan: Plan, spec: Spec, seed: int) -> tuple[list[Doc], list[Doc]]:
    """(national, local) documents issued before the plan, the period's programme first."""
    cutoff = spec.signed - timedelta(days=20)
    national = [d for d in plan.ref.registry if d.date <= cutoff]
    program = "30c/NQ-CP" if plan.year <= 2020 else "76/NQ-CP"
    national.sort(key=lambda d: (d.symbol != program or (d.symbol == "76/NQ-CP" and d.date.year != 2021), d.symbol))
    # A People's Committee's plan does not cite the province's plan of the same year: it is one.
    province_docs = _local_docs(plan.province, plan.year, seed)[0 if spec.sector else 1 :]
    local = [d for d in province_docs if d.date <= cutoff]
    return national, local


def _preamble(plan: Plan, spec: Spec, national: list[Doc], local: list[Doc]) -> list[str]:
    """ "Căn cứ …" (basis) and "Thực hiện …" (implements) paragraphs, the last one closing
    with the issuer's "… ban hành Kế hoạch … như sau:"."""
    rng = plan.rng
    head, rest = national[:1], national[1:]
    chosen = head + rng.sample(rest, min(len(rest), rng.randint(1, 4)))
    paragraphs = []
    basis = [d for d in chosen if rng.random() < 0.6]
    if basis and rng.random() < 0.5:
        paragraphs += [f"Căn cứ {plan.cite(d, 'basis')};" for d in basis]
    elif basis:
        paragraphs.append("Căn cứ " + "; ".join(plan.cite(d, "basis") for d in basis) + ";")
    implemented = [d for d in chosen if d not in basis] + rng.sample(local, min(len(local), rng.randint(0, 2)))
    issuer_short = "Ủy ban nhân dân tỉnh" if spec.sector is None else f"Sở {spec.sector}"
    if plan.local != "tỉnh":
        issuer_short = issuer_short.replace("tỉnh", plan.local)
    closing = f"{issuer_short} {rng.choice(('ban hành', 'xây dựng'))} Kế hoạch cải cách hành chính năm {plan.year}"
    closing += rng.choice((" như sau:", ", cụ thể như sau:", " với những nội dung sau:"))
    if implemented:
        cue = rng.choice(("Thực hiện", "Triển khai")) if rng.random() < 0.3 else "Thực hiện"
        paragraphs.append(f"{cue} " + "; ".join(plan.cite(d, "implements") for d in implemented) + f", {closing}")
    else:
        paragraphs[-1] = f"{paragraphs[-1][:-1]}, {closing}"
    if rng.random() < 0.2:
        law = rng.choice(("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "Luật Cán bộ, công chức"))
        paragraphs.insert(0, f"Căn cứ {law};")
    return paragraphs


def _objectives(plan: Plan) -> list[str]:
    rng = plan.rng
    blocks = [
        plan.heading("I. MỤC ĐÍCH, YÊU CẦU" if rng.random() < 0.5 else "I. MỤC TIÊU"),
        plan.bold("1. Mục tiêu chung"),
    ]
    blocks += [plan.bullet(o + ".") for o in rng.sample(OBJECTIVES, rng.randint(2, 4))]
    blocks.append(plan.bold("2. Chỉ tiêu cụ thể"))
    blocks += [
        plan.bullet(t.format(p=rng.choice((80, 90, 95, 100))) + ";") for t in rng.sample(TARGETS, rng.randint(2, 5))
    ]
    return blocks


def _tasks(plan: Plan, national: list[Doc], big: bool) -> list[str]:
    """Section II: per area, tasks with their lead, coordinators and time, and now and then
    a document named in the text (a plain reference)."""
    rng = plan.rng
    blocks = [plan.heading("II. NHIỆM VỤ, GIẢI PHÁP")]
    areas = rng.sample(AREAS, len(AREAS) if big else rng.randint(3, len(AREAS)))
    for number, (area, lead, tasks) in enumerate(areas, 1):
        blocks.append(plan.bold(f"{number}. {area}"))
        chosen = tasks if big else rng.sample(tasks, rng.randint(2, len(tasks)))
        for letter, task in zip("abcdefgh", chosen, strict=False):
            blocks.append(f"{letter}) {task}.")
            head, partners = plan.name(lead), plan.bodies(rng.randint(1, 3), besides=lead)
            if rng.random() < 0.7:
                blocks.append(plan.bullet(f"Cơ quan chủ trì: {head}."))
                blocks.append(plan.bullet(f"Cơ quan phối hợp: {partners}."))
                blocks.append(plan.bullet(f"Thời gian thực hiện: {rng.choice(TIMEFRAMES).format(y=plan.year)}."))
            else:
                blocks.append(f"Chủ trì: {head}; phối hợp: {partners}.")
        if rng.random() < 0.35:
            # A document named again, or for the first time, in the body: a plain reference.
            doc = rng.choice(national)
            unique = sum(d.symbol == doc.symbol for d in plan.ref.registry) == 1
            again = doc.label in plan.cited and unique and rng.random() < 0.5
            blocks.append(plan.bullet(f"Tuyên truyền, phổ biến {plan.cite(doc, 'references', with_date=not again)}."))
    return blocks


def _duties(plan: Plan) -> list[str]:
    rng = plan.rng
    blocks = [plan.heading("V. TỔ CHỨC THỰC HIỆN")]
    leads = ["Nội vụ", *rng.sample(plan.departments, rng.randint(2, 5))]
    for number, sector in enumerate(dict.fromkeys(leads), 1):
        partners = plan.bodies(rng.randint(1, 2), besides=sector)
        blocks.append(f"{number}. {plan.name(sector)}: Chủ trì, phối hợp với {partners} {rng.choice(DUTIES)}.")
    closing = "Sở Nội vụ" if plan.sector is None else "Văn phòng Sở"
    blocks.append(
        "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, địa phương phản ánh "
        f"về {closing} để tổng hợp, báo cáo {'UBND ' + plan.local if plan.sector is None else 'Giám đốc Sở'} "
        "xem xét, giải quyết./."
    )
    return blocks


def _signature(plan: Plan) -> str:
    rng = plan.rng
    recipients = [
        "Bộ Nội vụ;",
        "TT Tỉnh ủy, TT HĐND tỉnh;",
        "Các sở, ban, ngành tỉnh;",
        f"{DISTRICTS};",
        "Lưu: VT, NC.",
    ]
    if plan.sector is None:
        position = rng.choice((["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["CHỦ TỊCH"]))
    else:
        position = rng.choice((["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]))
    signed = ["(Đã ký)"] if rng.random() < 0.4 else []
    if signed:
        plan.noise.add("signed-mark")
    name = person(rng, plan.ref)
    if rng.random() < 0.4:
        left = [plan.bold("Nơi nhận:"), *(f"- {r}" for r in recipients)]
        right = [*position, *signed, "", name]
        width = max(len(left), len(right))
        left += [""] * (width - len(left))
        right += [""] * (width - len(right))
        return "\n".join(f"{a}\t{b}".rstrip("\t") for a, b in zip(left, right, strict=True))
    return "\n\n".join(
        [
            plan.bold("Nơi nhận:") + "\n" + "\n".join(f"- {r}" for r in recipients),
            plan.bold("\n".join(position)),
            *signed,
            plan.bold(name),
        ]
    )


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class _Row:
    label: str
    task: str
    product: str
    lead: str
    coordinators: str
    timeframe: str
    budget: int | None
    budget_text: str
    note: str = ""


def _header_cells(rng: random.Random, ref: Reference, with_budget: bool, millions: bool) -> list[tuple[str, str]]:
    """(role, header text) of each column: the lexicon's headers, capitalised as printed."""
    roles = ["index", "task", "product", "lead", "coordinators", "timeframe"]
    if with_budget:
        roles.append("budget")
    if rng.random() < 0.3:
        roles.append("note")
    heads = []
    for role in roles:
        text = rng.choice(ref.columns[role])
        if role == "index":
            text = text.upper()
        elif role == "budget" and millions:
            text = f"{text} (triệu đồng)"
        else:
            text = text[0].upper() + text[1:]
        heads.append((role, text))
    return heads


def _table_rows(plan: Plan, table: Table, count: int, with_budget: bool, millions: bool) -> list[_Row]:
    rng = plan.rng
    rows = []
    label_style = rng.choice(("{n}", "{n:02d}", "{n}."))
    for n in range(1, count + 1):
        _, lead_sector, tasks = rng.choice(AREAS)
        budget: int | None = None
        text = ""
        if with_budget:
            if rng.random() < 0.8:
                budget = rng.randint(5, 400) * (1_000_000 if millions or rng.random() < 0.5 else 100_000)
                text = vnd(budget // 1_000_000) if millions else vnd(budget)
                if not millions and rng.random() < 0.15 and budget % 1_000_000 == 0:
                    text = f"{budget // 1_000_000} triệu đồng"
                    table.features.add("amount-with-unit")
            else:
                text = rng.choice(UNFUNDED)
                table.features.add("unfunded-row")
        timeframe = rng.choice(TIMEFRAMES).format(y=plan.year)
        if rng.random() < 0.02:
            timeframe = ""  # left empty: the budget cell then follows an empty cell
            if budget is not None:
                table.features.add("empty-cell-before-amount")
        lead = lead_sector if rng.random() < 0.7 else plan.body_key()
        rows.append(
            _Row(
                label_style.format(n=n),
                rng.choice(tasks),
                rng.choice(PRODUCTS),
                plan.name(lead),
                plan.bodies(rng.randint(1, 3), besides=lead),
                timeframe,
                budget,
                text,
            )
        )
    return rows


def _cells(row: _Row, roles: Sequence[str]) -> list[str]:
    by_role = {
        "index": row.label,
        "task": row.task,
        "product": row.product,
        "lead": row.lead,
        "coordinators": row.coordinators,
        "timeframe": row.timeframe,
        "budget": row.budget_text,
        "note": row.note,
    }
    return [by_role[r] for r in roles]


def _split_words(text: str, rng: random.Random) -> tuple[str, str]:
    """A cell cut by a page break: its first words before, the rest after."""
    words = text.split()
    cut = rng.randint(1, len(words) - 1)
    return " ".join(words[:cut]), " ".join(words[cut:])


def _total_text(total: int, millions: bool) -> str:
    return vnd(total // 1_000_000) if millions else vnd(total)


def _flat_table(plan: Plan, table: Table, heads: list[tuple[str, str]], rows: list[_Row], pipes: bool) -> str:
    """One row per line, cells between tabs (or Markdown pipes); a page break may cut a row."""
    rng = plan.rng
    roles = [r for r, _ in heads]
    millions = "triệu" in heads[-1][1] or "triệu" in heads[-2][1]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |" if pipes else "\t".join(cells)

    header = [line([h for _, h in heads])]
    if pipes:
        header.append(line(["---"] * len(heads)))
    out = list(header)
    task = roles.index("task")
    cut = rng.randint(1, len(rows) - 1) if rng.random() < 0.5 else None
    for i, row in enumerate(rows):
        cells = _cells(row, roles)
        if i != cut:
            out.append(line(cells))
            continue
        # A page break: the row's task cell goes on under the header printed again.
        cells[task], rest = _split_words(cells[task], rng)
        tail = [""] * len(cells)
        tail[task] = rest
        out += [line(cells), "", rng.choice(("{n}", "- {n} -", "Trang {n}")).format(n=rng.randint(2, 9)), *header]
        out.append(line(tail))
        table.features.add("page-break")
    if table.total is not None:
        cells = [""] * len(heads)
        cells[0] = plan.bold("Tổng cộng")
        cells[roles.index("budget")] = plan.bold(_total_text(table.total, millions))
        out.append(line(cells))
        if not pipes and not millions and rng.random() < 0.5:
            out.append(line([in_words(table.total)] + [""] * (len(heads) - 1)))
            table.features.add("amount-in-words")
    return "\n".join(out)


def _stacked_table(plan: Plan, table: Table, heads: list[tuple[str, str]], rows: list[_Row]) -> str:
    """A Word table exported one cell per tab-started line; merged task cells left empty."""
    rng = plan.rng
    roles = [r for r, _ in heads]
    task, product = roles.index("task"), roles.index("product")
    millions = "triệu" in heads[-1][1] or "triệu" in heads[-2][1]

    def cells_text(cells: Sequence[str]) -> list[str]:
        return [f"\t{c}" for c in cells] + [""]

    header = [f"\t{h.upper().replace(' ', chr(10), 1) if rng.random() < 0.3 else h.upper()}" for _, h in heads]
    out = [*header, ""]
    cut = rng.randint(1, len(rows) - 2) if rng.random() < 0.4 else None
    for i, row in enumerate(rows):
        cells = _cells(row, roles)
        cells[0] += " "
        if i and row.task == rows[i - 1].task:
            cells[task] = ""  # merged with the cell above
            table.features.add("merged-task-cell")
        if rng.random() < 0.3:
            cells[product] = f"- {row.product};\n- Báo cáo kết quả thực hiện."
            table.features.add("cell-over-lines")
        if i == cut and cells[task]:
            cells[task], rest = _split_words(cells[task], rng)
            tail = [""] * len(cells)
            tail[task] = rest
            out += cells_text(cells) + header + ["", *cells_text(tail)]
            table.features.add("page-break")
        else:
            out += cells_text(cells)
    if table.total is not None:
        amount = _total_text(table.total, millions)
        if rng.random() < 0.5:
            # The label cell merged across the columns before the amount: fewer cells.
            out += cells_text(["Tổng cộng", amount, ""][: 2 if roles[-1] == "budget" else 3])
            table.features.add("total-merged-cells")
        else:
            cells = [""] * len(heads)
            cells[0] = "Tổng cộng"
            cells[roles.index("budget")] = amount
            out += cells_text(cells)
            table.features.add("total-after-empty-cells")
    return "\n".join(out)


def _table(plan: Plan, big: bool) -> Table:
    """A task table in one of the shapes the reader knows; 85% with a budget column."""
    rng = plan.rng
    with_budget = rng.random() < 0.85
    millions = with_budget and rng.random() < 0.15
    heads = _header_cells(rng, plan.ref, with_budget, millions)
    shape = rng.choice(["flat", "stacked"] + (["pipes"] if plan.markdown else []))
    table = Table(shape, [], None, set())
    if millions:
        table.features.add("millions-unit")
    rows = _table_rows(plan, table, rng.randint(14, 30) if big else rng.randint(4, 14), with_budget, millions)
    if rng.random() < 0.25:
        # Rows sharing a task (a merged cell in Word): the next row repeats the task above.
        for i in range(1, len(rows)):
            if rng.random() < 0.3:
                rows[i] = _Row(**{**rows[i].__dict__, "task": rows[i - 1].task})
    table.budgets = [r.budget for r in rows]
    amounts = [b for b in table.budgets if b is not None]
    table.total = sum(amounts) if amounts and rng.random() < 0.85 else None
    if shape == "stacked":
        table.text = _stacked_table(plan, table, heads, rows)
    else:
        table.text = _flat_table(plan, table, heads, rows, pipes=shape == "pipes")
    return table


# ---------------------------------------------------------------------------- noise


def _old_tones(text: str) -> str:
    for new, old in OLD_TONES:
        text = text.replace(new, old)
    return text


def _page_numbers(blocks: list[str], rng: random.Random) -> list[str]:
    """Page numbers left between paragraphs by a PDF or Word export, one per 30 paragraphs or so."""
    breaks = set(rng.sample(range(1, len(blocks)), max(1, len(blocks) // 30)))
    out, page = [], 2
    for i, block in enumerate(blocks):
        out.append(block)
        if i in breaks:
            out.append(rng.choice((f"{page}", f"- {page} -", f"Trang {page}")))
            page += 1
    return out


def _e_signature(plan: Plan, spec: Spec) -> str:
    when = spec.signed
    return (
        f"Ký bởi: {plan.issuer}\nCơ quan: {plan.issuer}\n"
        f"Thời gian ký: {when.day:02d}.{when.month:02d}.{when.year} 10:{plan.rng.randint(10, 59)}:05 +07:00"
    )


# ---------------------------------------------------------------------------- assembly


def write_plan(seed: int, index: int) -> tuple[str, str, dict[str, object]]:
    """(file name, text, what was planted) of plan ``index`` of the corpus of ``seed``."""
    ref = reference()
    rng = random.Random(f"{seed}:{index}")
    spec = _spec(rng, ref)
    plan = Plan(rng, ref, spec.province, spec.year, spec.sector, spec.markdown)
    code = "UBND" if spec.sector is None else issuer_code(spec.sector)
    national, local = _citable(plan, spec, seed)
    taken = {d.symbol for d in local}
    own_number = spec.own_number
    while f"{own_number}/KH-{code}" in taken:
        own_number += 1
    own = f"{own_number}/KH-{code}" if spec.plan_date else None

    blocks: list[str] = []
    if rng.random() < 0.15:
        blocks.append(_e_signature(plan, spec))
        plan.noise.add("e-signature")
    has_header = rng.random() < 0.92
    if has_header:
        blocks.append(_header(plan, spec, code, own))
    else:
        plan.noise.add("no-header")
    blocks.append(_title(plan))
    blocks += _preamble(plan, spec, national, local)
    blocks += _objectives(plan)
    big = rng.random() < 0.15
    blocks += _tasks(plan, national, big)
    table_count = rng.choices((0, 1, 2), (15, 70, 15))[0]
    tables = [_table(plan, big) for _ in range(table_count)]
    table_blocks: list[str] = []
    for number, table in enumerate(tables, 1):
        if number < len(tables):
            table.features.add("followed-by-table")
        if len(tables) > 1:
            table_blocks.append(plan.bold(f"Biểu số {number:02d}: {TABLE_CAPTIONS[number - 1]}"))
        table_blocks += [table.text, ""]
    annex = bool(tables) and rng.random() < 0.6
    blocks.append(plan.heading("III. NHIỆM VỤ TRỌNG TÂM"))
    blocks += ["(Có Phụ lục kèm theo)"] if annex else table_blocks
    blocks.append(plan.heading("IV. KINH PHÍ THỰC HIỆN"))
    blocks.append(
        f"Kinh phí thực hiện Kế hoạch được bố trí trong dự toán ngân sách năm {plan.year} của các cơ quan, đơn vị, "
        "địa phương theo phân cấp ngân sách hiện hành."
    )
    blocks += _duties(plan)
    blocks.append(_signature(plan))
    if annex:
        blocks.append(plan.bold("PHỤ LỤC"))
        blocks.append(f"DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {plan.year}")
        if own:
            issued = (
                f" ngày {spec.plan_date.day}/{spec.plan_date.month}/{spec.plan_date.year}" if spec.plan_date else ""
            )
            blocks.append(f"(Kèm theo Kế hoạch số {own}{issued} của {plan.issuer})")
        blocks += table_blocks

    if rng.random() < 0.35:
        blocks = _page_numbers(blocks, rng)
        plan.noise.add("page-numbers")
    separator = "\n\n" if plan.markdown or rng.random() < 0.5 else "\n"
    text = separator.join(blocks).rstrip("\n") + "\n"
    if rng.random() < 0.2:
        text = _old_tones(text)
        plan.noise.add("old-tones")
    roll = rng.random()
    if roll < 0.08:
        text = unicodedata.normalize("NFD", text)
        plan.noise.add("nfd")
    elif roll < 0.15:
        paragraphs = text.split("\n")
        text = "\n".join(unicodedata.normalize("NFD", p) if rng.random() < 0.3 else p for p in paragraphs)
        plan.noise.add("nfd-partly")

    slug = _slug(spec.province.name)
    name = f"{slug}-{spec.year}-{code.lower()}-{index:05d}.{'md' if plan.markdown else 'txt'}"
    expected: dict[str, object] = {
        "province": spec.province.name,
        "year": spec.year,
        "issuer": plan.issuer,
        "symbol": own if has_header or annex else None,
        "date": spec.plan_date.isoformat() if spec.plan_date and (has_header or annex) else None,
        "header": has_header,
        "citations": dict(sorted(plan.cited.items())),
        "amendments": sorted(set(plan.amendments)),
        "tables": [
            {
                "shape": t.shape,
                "rows": len(t.budgets),
                "budgets": t.budgets,
                "total": t.total,
                "features": sorted(t.features),
            }
            for t in tables
        ],
        "noise": sorted(plan.noise),
    }
    return name, text, expected


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in plain if not unicodedata.combining(c)).lower()).strip("-")


def generate(out_dir: Path, plans: int, seed: int, progress: Callable[[int], None] | None = None) -> dict:
    """Write ``plans`` plans and expected.json into ``out_dir``; return what expected.json holds."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, object]] = {}
    for index in range(plans):
        name, text, expected = write_plan(seed, index)
        (out_dir / name).write_text(text, encoding="utf-8")
        files[name] = expected
        if progress and (index + 1) % 1000 == 0:
            progress(index + 1)
    manifest = {"generator_version": GENERATOR_VERSION, "seed": seed, "plans": plans, "files": files}
    (out_dir / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out_dir.resolve().is_relative_to(DATA.resolve()):
        parser.error("the corpus is synthetic: write it outside data/")
    start = time.perf_counter()
    generate(args.out_dir, args.plans, args.seed, progress=lambda n: print(f"  {n} plans", flush=True))
    size = sum(p.stat().st_size for p in args.out_dir.iterdir() if p.suffix in (".txt", ".md"))
    print(f"wrote {args.plans} plans ({size / 1e6:.1f} MB) to {args.out_dir} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
