"""The synthetic corpus of benchmarks/generate_corpus.py against the extractor.

The generator writes plans for load tests and lists in expected.json what it planted in
each. A benchmark on that corpus measures real work only if the extractor reads the plans
as the generator meant them, so this checks the list on a small corpus: every cited
document with its relation, the amendments, each task table's rows, budgets and printed
total, the plan's own number, date, province and issuer; and that a seed gives the same
bytes every time. The layouts these checks once found misread are kept at the end, each
in its smallest form.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.agencies import canonical_agencies
from ccbc_graph.extract.tables import find_task_tables
from ccbc_graph.model import PlanExtraction
from ccbc_graph.reading import SourceDocument, read_source
from ccbc_graph.textnorm import clean

ROOT = Path(__file__).resolve().parent.parent
PLANS = 24
SEED = 21


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_corpus", ROOT / "benchmarks" / "generate_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generator = _generator()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    folder = tmp_path_factory.mktemp("corpus")
    generator.generate(folder, PLANS, SEED)
    return folder, json.loads((folder / "expected.json").read_text(encoding="utf-8"))["files"]


@pytest.fixture(scope="module")
def extracted(corpus: tuple[Path, dict[str, dict]]) -> dict[str, tuple[SourceDocument, PlanExtraction]]:
    folder, files = corpus
    found = {}
    for name in files:
        source = read_source(folder / name)
        found[name] = source, extract_plan(source)
    return found


def test_the_corpus_is_what_expected_json_lists(corpus: tuple[Path, dict[str, dict]]) -> None:
    folder, files = corpus
    on_disk = sorted(p.name for p in folder.iterdir() if p.name != "expected.json")
    assert on_disk == sorted(files) and len(files) == PLANS
    assert {name.rsplit(".", 1)[1] for name in files} == {"txt", "md"}
    sizes = [(folder / name).stat().st_size for name in files]
    assert min(sizes) > 4_000 and max(sizes) < 80_000  # the seeds are 8-31 kB
    for name, planted in files.items():
        text = (folder / name).read_text(encoding="utf-8")
        assert planted["citations"], name
        if "nfd" in planted["noise"]:
            assert not unicodedata.is_normalized("NFC", text), name
        text = unicodedata.normalize("NFC", text)
        if "old-tones" in planted["noise"]:
            assert "oá" in text or "uỷ" in text.lower(), name


def test_a_corpus_of_some_size_has_every_kind_of_noise(tmp_path: Path) -> None:
    # Some kinds are rare (a whole text in NFD): 24 plans need not draw each one.
    generator.generate(tmp_path, 200, SEED)
    files = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))["files"]
    noise = {kind for planted in files.values() for kind in planted["noise"]}
    assert {"nfd", "nfd-partly", "old-tones", "page-numbers", "no-header", "e-signature", "received-stamp"} <= noise


def test_every_planted_citation_is_found_with_its_relation(
    corpus: tuple[Path, dict[str, dict]], extracted: dict[str, tuple[SourceDocument, PlanExtraction]]
) -> None:
    _, files = corpus
    wrong = {}
    for name, planted in files.items():
        found = {c.key.label: c.relation for c in extracted[name][1].citations}
        if found != planted["citations"]:
            missed = {k: v for k, v in planted["citations"].items() if found.get(k) != v}
            extra = {k: v for k, v in found.items() if k not in planted["citations"]}
            wrong[name] = {"missed or other relation": missed, "not planted": extra}
    assert wrong == {}
    relations = Counter(r for planted in files.values() for r in planted["citations"].values())
    assert relations["basis"] and relations["implements"] and relations["references"]


def test_planted_amendments_are_found(
    corpus: tuple[Path, dict[str, dict]], extracted: dict[str, tuple[SourceDocument, PlanExtraction]]
) -> None:
    _, files = corpus
    planted = {(name, tuple(pair)) for name, p in files.items() for pair in p["amendments"]}
    found = {
        (name, (a.amending.label, a.amended.label))
        for name, (_, plan) in extracted.items()
        for a in plan.amendments
        if a.amended is not None
    }
    assert planted and planted <= found


def test_task_tables_have_the_planted_rows_budgets_and_totals(
    corpus: tuple[Path, dict[str, dict]], extracted: dict[str, tuple[SourceDocument, PlanExtraction]]
) -> None:
    _, files = corpus
    checked: Counter[str] = Counter()
    wrong = {}
    for name, planted in files.items():
        tables = find_task_tables(extracted[name][0].clean)
        read = [
            {"rows": len(t.rows), "budgets": [r.budget_vnd for r in t.rows], "total": t.stated_total_vnd}
            for t in tables
        ]
        meant = [{k: t[k] for k in ("rows", "budgets", "total")} for t in planted["tables"]]
        if read != meant:
            wrong[name] = {"read": read, "planted": meant}
        checked.update(t["shape"] for t in planted["tables"])
    assert wrong == {}
    # Each shape the reader knows is really checked, with and without a page break.
    assert checked["flat"] >= 3 and checked["stacked"] >= 3 and checked["pipes"] >= 1, checked
    features = {f for p in files.values() for t in p["tables"] for f in t["features"]}
    assert {"page-break", "merged-task-cell", "total-merged-cells", "amount-in-words"} <= features


def test_own_number_date_province_and_issuer(
    corpus: tuple[Path, dict[str, dict]], extracted: dict[str, tuple[SourceDocument, PlanExtraction]]
) -> None:
    _, files = corpus
    wrong = {}
    for name, planted in files.items():
        meta = extracted[name][1].document
        read = {"symbol": meta.symbol, "date": meta.date.isoformat() if meta.date else None}
        meant = {"symbol": planted["symbol"], "date": planted["date"]}
        if planted["header"]:
            read["province"], meant["province"] = meta.province, planted["province"]
            read["issuer"], meant["issuer"] = meta.issuer, planted["issuer"]
        if read != meant:
            wrong[name] = {"read": read, "planted": meant}
    assert wrong == {}


def test_a_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generator.generate(first, 6, 11)
    generator.generate(again, 6, 11)
    generator.generate(other, 6, 12)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert all((first / n).read_bytes() == (again / n).read_bytes() for n in names)
    assert (first / "expected.json").read_bytes() != (other / "expected.json").read_bytes()


# ---------------------------------------------------------------------------- known misses
# Realistic layouts the generator writes that the extractor once misread.


def test_once_missed_stacked_amount_after_an_empty_cell() -> None:
    text = (
        "\tTT\n\tNội dung\n\tChủ trì\n\tThời gian\n\tKinh phí\n\n\t1\n\tTuyên truyền\n\tSở Nội vụ\n\t\n\t48.000.000\n\n"
    )
    (table,) = find_task_tables(clean(text))
    assert [r.budget_vnd for r in table.rows] == [48_000_000]


def test_once_missed_stacked_total_after_empty_cells() -> None:
    text = (
        "\tTT\n\tNội dung\n\tChủ trì\n\tKinh phí\n\tGhi chú\n\n\t1\n\tTuyên truyền\n\tSở Nội vụ\n\t48.000.000\n\t\n\n"
        "\tTổng cộng\n\t\n\t\n\t48.000.000\n\t\n\nTiếp theo.\n"
    )
    (table,) = find_task_tables(clean(text))
    assert len(table.rows) == 1 and table.stated_total_vnd == 48_000_000


def test_once_missed_two_stacked_tables_with_a_caption_between() -> None:
    table = "\tTT\n\tNội dung\n\tChủ trì\n\tThời gian\n\n\t1\n\tTuyên truyền\n\tSở Nội vụ\n\tQuý I/2024\n\n"
    text = f"{table}\nBiểu số 02: Các nhiệm vụ thông tin, tuyên truyền\n{table}\nTiếp theo.\n"
    assert len(find_task_tables(clean(text))) == 2


def test_once_missed_issuer_of_a_hyphenated_province() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH BÀ RỊA - VŨNG TÀU\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-UBND\tBà Rịa - Vũng Tàu, ngày 05 tháng 3 năm 2024\n\nKẾ HOẠCH\nCải cách hành chính năm 2024\n"
    )
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))
    assert plan.document.issuer == "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"


def test_once_missed_provincial_bodies_of_a_city() -> None:
    for name in ("Công an thành phố", "Kho bạc Nhà nước thành phố", "Bưu điện thành phố"):
        assert canonical_agencies(name, "Hải Phòng"), name


def test_once_missed_budget_check_of_a_plan_with_two_tables() -> None:
    header = "TT\tNội dung\tChủ trì\tThời gian\tKinh phí"
    first = f"{header}\n1\tTuyên truyền\tSở Nội vụ\tQuý I/2024\t48.000.000\nTổng cộng\t\t\t\t48.000.000"
    second = f"{header}\n1\tTập huấn\tSở Tư pháp\tQuý II/2024\t20.000.000\nTổng cộng\t\t\t\t20.000.000"
    text = f"KẾ HOẠCH\nCải cách hành chính năm 2024\n\nBiểu số 01\n{first}\n\nBiểu số 02\n{second}\n"
    plan = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))
    # Both tables are read right (48 and 20 million, each its own total), yet build reports
    # "printed budget total 48,000,000 đồng differs from the sum of the task rows 68,000,000".
    assert plan.stated_budget_total_vnd == plan.budget_total_vnd
