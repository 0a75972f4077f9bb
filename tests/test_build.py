"""Building the demo corpus into the embedded store, as a user does."""

from __future__ import annotations

import gc
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, Triple
from pyshacl import validate
from typer.testing import CliRunner

import ccbc_graph.build as building
from ccbc_graph.build import build
from ccbc_graph.cli import app
from ccbc_graph.merged import entity_triples
from ccbc_graph.queries import run_query
from ccbc_graph.store import GraphStore, StoreError
from ccbc_graph.tallies import counted_graphs, recounted
from ccbc_graph.uris import (
    CCBC,
    ELI,
    SKOS,
    entities_graph_uri,
    graph_uri,
    own_graph_uris,
    tallies_graph_uri,
)

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
SHAPES = ROOT / "ontology" / "shapes.ttl"
PROVINCE_OF = {
    "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt": "Kiên Giang",
    "ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt": "Hà Nam",
    "ha-tinh-2020-tuyen-truyen-cchc.txt": "Hà Tĩnh",
    "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt": "Quảng Ngãi",
    "hai-duong-2020-tuyen-truyen-cchc.txt": "Hải Dương",
}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("store") / "db")
    report = build(PLANS, store)
    assert sorted(report.added) == sorted(PROVINCE_OF)
    assert report.ok
    return store


def _provinces_citing(store: GraphStore, document: str) -> set[str]:
    variables, rows = run_query(store, "plans-citing", {"document": document})
    column = variables.index("province")
    return {row[column].value for row in rows}


@pytest.mark.parametrize(
    ("document", "provinces"),
    [
        ("30c/NQ-CP", {"Kiên Giang", "Hà Tĩnh"}),
        ("17/NQ-CP", {"Kiên Giang", "Hà Nam", "Quảng Ngãi"}),
        ("225/QĐ-TTg", {"Kiên Giang", "Hà Tĩnh", "Hải Dương"}),
        ("61/2018/NĐ-CP", {"Hà Nam", "Hải Dương"}),
        # Kiên Giang cites the resolution of 2013 by number; Hà Nam names that of 2021 as
        # the programme it issued.
        ("76/NQ-CP", {"Kiên Giang", "Hà Nam"}),
    ],
)
def test_plans_citing(demo_store: GraphStore, document: str, provinces: set[str]) -> None:
    assert _provinces_citing(demo_store, document) == provinces


def test_one_node_per_real_document(demo_store: GraphStore) -> None:
    _, rows = demo_store.query(
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
        "SELECT DISTINCT ?doc WHERE { ?doc eli:id_local ?s FILTER(STR(?s) IN ('17/NQ-CP', '76/NQ-CP')) }"
    )
    docs = sorted(row[0].value for row in rows)
    # 17/NQ-CP: one document although Hà Nam writes 17/3/2019 and the others 07/3/2019;
    # 76/NQ-CP: the 2013 resolution (Kiên Giang by number) and the 2021 one, which Hà Nam
    # names only as "Chương trình tổng thể … giai đoạn 2021 - 2030 của Chính phủ".
    assert [d.rsplit("/eli/vn/", 1)[1] for d in docs] == ["cp/2013/nq/76", "cp/2019/nq/17", "cp/2021/nq/76"]


def _plan_text(province: str, body: str) -> str:
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}\nSố: 12/KH-UBND\n"
        f"{province}, ngày 5 tháng 1 năm 2022\n\nKẾ HOẠCH\nCải cách hành chính năm 2022\n\n{body}\n"
    )


def test_a_document_named_by_number_or_by_name_is_one_node_cited_once_per_plan(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_text(
        _plan_text("Nam Định", "Căn cứ Luật số 58/2010/QH12 ngày 15/11/2010;"), encoding="utf-8"
    )
    (folder / "b.txt").write_text(_plan_text("Thái Bình", "Căn cứ Luật Viên chức năm 2010;"), encoding="utf-8")
    both = "Căn cứ Luật Viên chức ngày 15 tháng 11 năm 2010;\nThực hiện Luật số 58/2010/QH12."
    (folder / "c.txt").write_text(_plan_text("Ninh Bình", both), encoding="utf-8")
    # A law the reference list does not know: one node however its date is written.
    (folder / "d.txt").write_text(
        _plan_text("Hà Nam", "Căn cứ Luật Thanh niên ngày 16 tháng 6 năm 2020;"), encoding="utf-8"
    )
    (folder / "e.txt").write_text(_plan_text("Nam Định", "Căn cứ Luật Thanh niên năm 2020;"), encoding="utf-8")
    with GraphStore(tmp_path / "db") as store:
        assert build(folder, store).ok
        assert _provinces_citing(store, "58/2010/QH12") == {"Nam Định", "Thái Bình", "Ninh Bình"}
        rows = store.query(
            f"SELECT ?plan (COUNT(DISTINCT ?citation) AS ?citations) (COUNT(?mention) AS ?mentions) "
            f"WHERE {{ GRAPH ?g {{ ?citation <{CCBC.citedDocument.value}> <{_document_iri(store, '58/2010/QH12')}> ; "
            f"<{CCBC.citingDocument.value}> ?plan ; <{CCBC.hasMention.value}> ?mention }} }} "
            "GROUP BY ?plan ORDER BY ?mentions"
        ).rows
        assert [(int(row[1].value), int(row[2].value)) for row in rows] == [(1, 1), (1, 1), (1, 2)]
        youth = store.query(
            f"SELECT DISTINCT ?law WHERE {{ ?plan <{ELI.cites.value}> ?law . "
            f'?law <{SKOS.prefLabel.value}> ?label FILTER(STRSTARTS(STR(?label), "Luật Thanh niên")) }}'
        ).rows
        assert len(youth) == 1


def test_an_amending_law_named_without_its_number_links_the_laws_it_amends(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    law = (
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
        "địa phương ngày 22 tháng 11 năm 2019;"
    )
    (folder / "a.txt").write_text(_plan_text("Nam Định", law), encoding="utf-8")
    with GraphStore(tmp_path / "db") as store:
        assert build(folder, store).ok
        rows = store.query(
            f"SELECT DISTINCT ?amending ?amended WHERE {{ ?a <{ELI.amends.value}> ?b . "
            f"?a <{ELI.id_local.value}> ?amending . ?b <{ELI.id_local.value}> ?amended }} ORDER BY ?amended"
        ).rows
        assert [(r[0].value, r[1].value) for r in rows] == [
            ("47/2019/QH14", "76/2015/QH13"),
            ("47/2019/QH14", "77/2015/QH13"),
        ]
        assert _provinces_citing(store, "47/2019/QH14") == {"Nam Định"}


def test_a_joint_document_is_passed_by_each_of_its_issuers(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    joint = "Căn cứ Thông tư liên tịch số 01/2015/TTLT-BNV-BTC ngày 14/4/2015 của Bộ Nội vụ và Bộ Tài chính;"
    (folder / "a.txt").write_text(_plan_text("Nam Định", joint), encoding="utf-8")
    with GraphStore(tmp_path / "db") as store:
        assert build(folder, store).ok
        document = _document_iri(store, "01/2015/TTLT-BNV-BTC")
        rows = store.query(
            f"SELECT DISTINCT ?name WHERE {{ <{document}> <{ELI.passed_by.value}> ?org . "
            f"?org <{SKOS.prefLabel.value}> ?name }} ORDER BY ?name"
        ).rows
        assert [r[0].value for r in rows] == ["Bộ Nội vụ", "Bộ Tài chính"]


def test_a_districts_plan_is_not_its_provinces_plan_of_the_same_number(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    # Both are "12/KH-UBND" of 2022: the province's and the district's.
    (folder / "province.txt").write_text(_plan_text("Hà Tĩnh", "Căn cứ Luật số 58/2010/QH12;"), encoding="utf-8")
    district = _plan_text("Hà Tĩnh", "Căn cứ Luật số 58/2010/QH12;").replace("TỈNH HÀ TĨNH", "HUYỆN KỲ ANH")
    (folder / "district.txt").write_text(district, encoding="utf-8")
    citing = "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2022 của UBND huyện Kỳ Anh;"
    (folder / "commune.txt").write_text(_plan_text("Hà Tĩnh", citing).replace("Số: 12/", "Số: 30/"), encoding="utf-8")
    with GraphStore(tmp_path / "db") as store:
        assert build(folder, store).ok
        rows = store.query(
            f"SELECT DISTINCT ?plan ?name WHERE {{ GRAPH ?g {{ ?plan a <{CCBC.Plan.value}> ; "
            f'<{ELI.id_local.value}> "12/KH-UBND" ; <{ELI.passed_by.value}> ?org }} '
            f"?org <{SKOS.prefLabel.value}> ?name }} ORDER BY ?name"
        ).rows
        assert [r[1].value for r in rows] == [
            "Ủy ban nhân dân huyện Kỳ Anh, tỉnh Hà Tĩnh",
            "Ủy ban nhân dân tỉnh Hà Tĩnh",
        ]
        district_plan = rows[0][0]
        cited = store.query(
            f'SELECT DISTINCT ?d WHERE {{ ?plan <{ELI.cites.value}> ?d . ?plan <{ELI.id_local.value}> "30/KH-UBND" }}'
        ).rows
        assert [r[0] for r in cited] == [district_plan]


def test_every_plan_graph_conforms_to_the_shapes(demo_store: GraphStore) -> None:
    shapes = rdflib.Graph().parse(SHAPES)
    for name in PROVINCE_OF:
        # The iterator lives in the comprehension alone: a frame that held it could be freed
        # on a store writer's thread, where PyO3 leaks it and the store with it.
        lines = [
            f"{q.subject} {q.predicate} {q.object} ."
            for q in demo_store.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph_uri(name)))
        ]
        graph = rdflib.Graph().parse(data="\n".join(lines), format="nt")
        assert len(graph) > 100
        conforms, _, report = validate(graph, shacl_graph=shapes)
        assert conforms, f"{name}:\n{report}"


def _node(iri: str) -> NamedNode:
    return NamedNode(iri)


def _nquads(store: GraphStore, path: Path) -> list[str]:
    store.export("nquads", path)
    return sorted(line for line in path.read_text(encoding="utf-8").splitlines() if line)


def test_two_builds_give_identical_graphs(tmp_path: Path) -> None:
    first, second = GraphStore(tmp_path / "a"), GraphStore(tmp_path / "b")
    build(PLANS, first)
    build(PLANS, second)
    assert _nquads(first, tmp_path / "a.nq") == _nquads(second, tmp_path / "b.nq")


def test_activities_kept_by_the_caller_follow_the_store(tmp_path: Path) -> None:
    """A caller that hands its activities from build to build (the watcher) sees the store's."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in list(PROVINCE_OF)[:3]:
        shutil.copy(PLANS / name, folder / name)
    store = GraphStore(tmp_path / "db")
    activities: dict[str, str] = {}
    build(folder, store, activities=activities)
    assert activities == building.stored_activities(store) and len(activities) == 3
    first, second, third = sorted(folder.iterdir())
    first.write_text(first.read_text(encoding="utf-8") + "\nCăn cứ Luật Ngân sách nhà nước;\n", encoding="utf-8")
    second.unlink()
    shutil.copy(PLANS / list(PROVINCE_OF)[3], folder)
    third.write_bytes(b"\x00\x01")  # fails: its old graph stays, and so does its activity
    report = build(folder, store, activities=activities)
    assert (len(report.added), len(report.changed), len(report.removed), len(report.failed)) == (1, 1, 1, 1)
    assert activities == building.stored_activities(store) and len(activities) == 3
    assert build(folder, store, activities=activities).changed == []


def test_incremental_rebuild_replaces_only_the_changed_plan(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store = GraphStore(tmp_path / "db")
    build(folder, store)
    before = {name: store.quad_count(graph_uri(name)) for name in PROVINCE_OF}
    changed = folder / "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nCăn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;\n",
        encoding="utf-8",
    )
    (folder / "hai-duong-2020-tuyen-truyen-cchc.txt").unlink()
    report = build(folder, store)
    assert report.changed == [changed.name]
    assert len(report.unchanged) == 3
    assert report.removed == [graph_uri("hai-duong-2020-tuyen-truyen-cchc.txt")]
    after = {name: store.quad_count(graph_uri(name)) for name in PROVINCE_OF}
    assert after[changed.name] > before[changed.name]
    assert after["hai-duong-2020-tuyen-truyen-cchc.txt"] == 0
    for name in set(PROVINCE_OF) - {changed.name, "hai-duong-2020-tuyen-truyen-cchc.txt"}:
        assert after[name] == before[name]
    assert "Quảng Ngãi" in _provinces_citing(store, "45/2020/NĐ-CP")
    assert _merged(store) == _entity_triples_of_plan_graphs(store)
    # Hà Nam cites 61/2018/NĐ-CP too: the document stays when Hải Dương's plan goes.
    assert _provinces_citing(store, "61/2018/NĐ-CP") == {"Hà Nam"}


def _merged(store: GraphStore) -> set[Triple]:
    merged = NamedNode(entities_graph_uri())
    return {
        Triple(q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, merged)
    }


def _entity_triples_of_plan_graphs(store: GraphStore) -> set[Triple]:
    plan_graphs = [g for g in store.graph_names() if g not in own_graph_uris()]
    graphs = (store.oxigraph.quads_for_pattern(None, None, None, NamedNode(g)) for g in plan_graphs)
    return set().union(*(entity_triples(quads) for quads in graphs))


def test_the_merged_graph_holds_each_shared_fact_once_and_follows_every_change(tmp_path: Path) -> None:
    """After adds, a change, a removal and a re-add, it is exactly the union of the plans' entity facts."""
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store = GraphStore(tmp_path / "db")
    build(folder, store)
    first = _merged(store)
    assert first == _entity_triples_of_plan_graphs(store)
    label = Triple(
        _node(_document_iri(store, "30c/NQ-CP")), SKOS.prefLabel, Literal("Nghị quyết 30c/NQ-CP", language="vi")
    )
    assert label in first
    assert len(list(store.oxigraph.quads_for_pattern(label.subject, label.predicate, label.object, None))) == 3

    kien_giang = folder / "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
    ha_tinh = folder / "ha-tinh-2020-tuyen-truyen-cchc.txt"
    kept = kien_giang.read_bytes()
    kien_giang.unlink()
    ha_tinh.write_text(ha_tinh.read_text(encoding="utf-8").replace("30c/NQ-CP", "31/NQ-CP"), encoding="utf-8")
    build(folder, store)
    assert _merged(store) == _entity_triples_of_plan_graphs(store)
    assert label not in _merged(store)  # no plan cites 30c/NQ-CP any more

    kien_giang.write_bytes(kept)
    build(folder, store)
    assert label in _merged(store)
    assert _merged(store) == _entity_triples_of_plan_graphs(store)


def _document_iri(store: GraphStore, symbol: str) -> str:
    rows = store.query(f'SELECT DISTINCT ?d WHERE {{ ?d <{ELI.id_local.value}> "{symbol}" }}').rows
    assert len(rows) == 1
    return rows[0][0].value


def test_bad_files_are_named_and_the_rest_is_built(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store_path = tmp_path / "db"
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(folder), "--store", str(store_path)]).exit_code == 0
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Kế hoạch".encode("utf-16-le")[:7] + "Căn cứ".encode("cp1258", "replace"))
    # A plan that was good and is now broken keeps its previous graph.
    (folder / "ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt").write_bytes(b"\xff\xfe\x00broken")
    result = runner.invoke(app, ["build", str(folder), "--store", str(store_path)])
    assert result.exit_code == 1, result.output
    assert "empty.txt: empty file" in result.output
    assert "binary.txt: binary content" in result.output
    assert "latin1.txt" in result.output and "ha-nam-2021" in result.output
    store = GraphStore(store_path)
    assert "Hà Nam" in _provinces_citing(store, "61/2018/NĐ-CP")
    store.close()


def test_files_of_one_name_in_two_folders_are_two_plans_and_a_shared_graph_name_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    seeds = {"2020": "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt", "2021": "ha-tinh-2020-tuyen-truyen-cchc.txt"}
    for year, name in seeds.items():
        (folder / year).mkdir(parents=True)
        shutil.copy(PLANS / name, folder / year / "ke-hoach.txt")
    store = GraphStore(tmp_path / "db")
    report = build(folder, store)
    assert sorted(report.added) == ["2020/ke-hoach.txt", "2021/ke-hoach.txt"]
    assert _provinces_citing(store, "30c/NQ-CP") == {"Kiên Giang", "Hà Tĩnh"}
    # "2020-ke-hoach.txt" slugs as "2020/ke-hoach.txt" does: refused with the reason, nothing hidden.
    shutil.copy(PLANS / "hai-duong-2020-tuyen-truyen-cchc.txt", folder / "2020-ke-hoach.txt")
    report = build(folder, store)
    assert report.added == [] and report.changed == []
    assert sorted(report.unchanged) == ["2020/ke-hoach.txt", "2021/ke-hoach.txt"]
    assert list(report.failed) == ["2020-ke-hoach.txt"]
    assert report.failed["2020-ke-hoach.txt"].startswith("its graph name ")
    assert report.failed["2020-ke-hoach.txt"].endswith("is also that of 2020/ke-hoach.txt: rename one of the two files")
    assert _provinces_citing(store, "30c/NQ-CP") == {"Kiên Giang", "Hà Tĩnh"}
    store.close()


def test_cli_query_extract_evaluate_export(demo_store: GraphStore, tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "db")
    assert runner.invoke(app, ["build", str(PLANS), "--store", store]).exit_code == 0
    csv_out = runner.invoke(app, ["query", "most-cited", "--format", "csv", "--store", store])
    assert csv_out.exit_code == 0, csv_out.output
    assert "225/QĐ-TTg" in csv_out.output.splitlines()[1] or "225/QĐ-TTg" in csv_out.output
    extracted = runner.invoke(app, ["extract", str(PLANS / "ha-tinh-2020-tuyen-truyen-cchc.txt"), "--format", "json"])
    facts = json.loads(extracted.output)
    assert facts["document"]["symbol"] == "444/KH-UBND"
    assert {"symbol", "doc_type", "date", "issuer", "relation"} <= set(facts["citations"][0])
    evaluated = runner.invoke(app, ["evaluate", str(ROOT / "tests" / "gold"), "--plans", str(PLANS)])
    assert evaluated.output.rstrip().splitlines()[-1] == "citations F1 1.00"
    trig = tmp_path / "graph.trig"
    exported = runner.invoke(app, ["export", "--format", "trig", "-o", str(trig), "--store", store])
    assert exported.exit_code == 0, exported.output
    dataset = rdflib.Dataset()
    dataset.parse(trig, format="trig")
    assert len(list(dataset.graphs())) >= 6


def test_a_printed_total_that_differs_from_the_rows_is_a_finding(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    source = (PLANS / "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt").read_text(encoding="utf-8")
    (folder / "kien-giang.txt").write_text(source.replace("48.000.000", "58.000.000"), encoding="utf-8")
    report = build(folder, GraphStore(tmp_path / "db"))
    assert report.findings == {
        "kien-giang.txt": [
            "printed budget total 664,800,000 đồng differs from the sum of the task rows 674,800,000 đồng"
        ]
    }
    assert report.ok


def _corpus_of_copies(folder: Path, copies: int) -> None:
    """The demo plans, each under ``copies`` names: as many plan graphs (of the same plans)."""
    folder.mkdir()
    for plan in PROVINCE_OF:
        for copy in range(copies):
            shutil.copy(PLANS / plan, folder / f"{Path(plan).stem}-{copy}.txt")


def test_a_parallel_build_gives_the_same_graph_as_a_serial_one(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    _corpus_of_copies(folder, 4)
    serial, parallel = GraphStore(tmp_path / "serial"), GraphStore(tmp_path / "parallel")
    assert len(build(folder, serial, jobs=1).added) == 20
    report = build(folder, parallel, jobs=2)
    assert len(report.added) == 20 and report.ok
    assert _nquads(serial, tmp_path / "s.nq") == _nquads(parallel, tmp_path / "p.nq")


def test_batches_loaded_while_the_next_files_are_extracted_give_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    _corpus_of_copies(folder, 4)
    whole = GraphStore(tmp_path / "whole")
    build(folder, whole)
    monkeypatch.setattr(building, "BULK_QUADS", 1)  # a load for each plan, queued behind each other
    batched = GraphStore(tmp_path / "batched")
    loads = _count_calls(monkeypatch, batched, "bulk_load_nquads")
    assert len(build(folder, batched, jobs=2).added) == 20
    assert len(loads) == 20
    assert _nquads(whole, tmp_path / "w.nq") == _nquads(batched, tmp_path / "b.nq")


def test_a_store_write_that_fails_stops_the_build_and_keeps_what_was_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    _corpus_of_copies(folder, 2)
    monkeypatch.setattr(building, "BULK_QUADS", 1)
    store = GraphStore(tmp_path / "db")
    loads = _count_calls(monkeypatch, store, "bulk_load_nquads", fail_on=3)
    with pytest.raises(StoreError, match="disk full"):
        build(folder, store)
    assert len(loads) == 3  # the build stopped at the failed write: no write was started after it
    loaded = [g for batch in loads[:2] for g in batch]
    assert loaded and set(loaded) <= set(store.graph_names())
    assert not set(loads[2]) & set(store.graph_names())


def _count_calls(
    monkeypatch: pytest.MonkeyPatch, store: GraphStore, method: str, fail_on: int | None = None
) -> list[list[str]]:
    """Record the graphs of each call to ``store.method``; the ``fail_on``-th call raises."""
    calls: list[list[str]] = []
    real = getattr(store, method)

    def recorded(graphs: list[str], *args: object) -> None:
        calls.append(list(graphs))
        if len(calls) == fail_on:
            raise StoreError("disk full")
        real(graphs, *args)

    monkeypatch.setattr(store, method, recorded)
    return calls


class _DiskFull:
    """A pyoxigraph store whose bulk loader finds the disk full."""

    def __init__(self, store: object) -> None:
        self._store = store

    def bulk_load(self, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def __contains__(self, quad: object) -> bool:  # not found by __getattr__, as a dunder
        return quad in self._store


def test_a_full_disk_stops_the_build_command_with_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "db")
    monkeypatch.setattr(GraphStore, "oxigraph", property(lambda self: _DiskFull(self._store)))
    result = CliRunner().invoke(app, ["build", str(PLANS), "--store", store, "--quiet"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot write to the store: [Errno 28] No space left on device" in result.output
    assert "the same build command adds what is missing" in result.output


_KILLED_BUILD = """
import sys
from pathlib import Path
import ccbc_graph.build as building
from ccbc_graph.store import GraphStore
folder, store = sys.argv[1:]
building.BULK_QUADS = 10_000  # many small loads, so the kill falls between and inside them
def tell(name, status):
    print(status, name, flush=True)
building.build(Path(folder), GraphStore(store), on_file=tell)
print("finished", flush=True)
"""


def test_a_build_killed_midway_leaves_the_previous_graph_intact_and_queryable(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store_path = tmp_path / "db"
    with GraphStore(store_path) as store:
        build(folder, store)
        before = {g: graph_content_of(store, g) for g in store.graph_names()}
    changed = folder / "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("30c/NQ-CP", "31/NQ-CP"), encoding="utf-8")
    _corpus_of_copies(folder / "more", 6)

    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(folder), str(store_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    done = [child.stdout.readline() for _ in range(18)]  # the changed plan, then new ones
    assert all(done) and not any(line.startswith("finished") for line in done)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL

    reference = GraphStore(tmp_path / "reference")
    build(folder, reference)
    with GraphStore(store_path) as store:
        graphs = set(store.graph_names())
        assert set(before) <= graphs  # nothing already stored was lost
        for graph in graphs:
            content = graph_content_of(store, graph)
            if graph in (entities_graph_uri(), tallies_graph_uri()):
                continue
            # Each graph is whole: as before the build, or as the finished build makes it.
            assert content in (before.get(graph), graph_content_of(reference, graph)), graph
        assert _merged(store) == _entity_triples_of_plan_graphs(store)
        # The tallies count exactly the graphs they name (the next build counts the rest).
        tallies = graph_content_of(store, tallies_graph_uri())
        assert tallies == {
            str(Quad(*t, NamedNode(tallies_graph_uri()))) for t in recounted(store, counted_graphs(store))
        }
        # Queryable: the plans the store held before the build are all there.
        plans = store.query(f"SELECT DISTINCT ?plan WHERE {{ ?plan a <{CCBC.Plan.value}> }}").rows
        assert len(plans) >= len(PROVINCE_OF)
        report = build(folder, store)
        assert report.ok
        assert {g: graph_content_of(store, g) for g in store.graph_names()} == {
            g: graph_content_of(reference, g) for g in reference.graph_names()
        }


def graph_content_of(store: GraphStore, graph: str) -> set[str]:
    return {str(q) for q in store.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph))}


def test_the_store_writer_lets_go_of_the_iterators_it_made_so_the_store_can_be_opened_again(tmp_path: Path) -> None:
    """PyO3 leaks a pyoxigraph iterator freed on another thread than the one that made it,
    and with it the store's lock: a write's reference cycles and a failed write's frames
    must be let go of on the writer's thread (collected here on the test's, they would
    keep the store open)."""
    path = tmp_path / "db"
    store = GraphStore(path)
    node = NamedNode("https://example.org/x")
    store.oxigraph.add(Quad(node, node, node, node))

    def leave_a_cycle() -> None:
        cycle: dict[str, object] = {"quads": store.oxigraph.quads_for_pattern(None, None, None, None)}
        cycle["itself"] = cycle

    def fail_holding_an_iterator() -> None:
        quads = store.oxigraph.quads_for_pattern(None, None, None, None)
        raise StoreError(f"cannot write: {quads!r}")

    writer = building._StoreWriter()
    writer.submit(leave_a_cycle)
    writer.finish()
    writer = building._StoreWriter()
    writer.submit(fail_holding_an_iterator)
    with pytest.raises(StoreError) as failed:
        writer.finish()
    del failed
    gc.collect()
    store.close()
    GraphStore(path).close()
