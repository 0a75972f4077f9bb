"""Networks from the demo corpus: shape, metrics, Newman weights, filters, export round trips, CLI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from ccbc_graph.build import build
from ccbc_graph.cli import app
from ccbc_graph.network import (
    NetworkName,
    build_network,
    export_network,
    exportable,
    plan_agency_network,
    top_nodes,
)
from ccbc_graph.queries import load_query, page_size, run_query
from ccbc_graph.store import GraphStore, QueryResult
from ccbc_graph.viz import script_json

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
B = "https://w3id.org/ccbc-graph/"
RELATIONS = {"basis", "implements", "amends", "repeals", "references"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("network") / "store"
    with GraphStore(path) as store:
        assert build(PLANS, store).ok
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[GraphStore]:
    with GraphStore(store_path) as graph_store:
        yield graph_store


def test_citation_network_has_plans_citing_documents_and_amendments(store: GraphStore) -> None:
    graph = build_network("citations", store)
    assert graph.is_directed()
    kinds = {kind for _, _, kind in graph.edges(data="kind")}
    assert kinds <= RELATIONS and "amends" in kinds
    # 76/NQ-CP amends 30c/NQ-CP, as the Kiên Giang plan says.
    edge = graph.edges[f"{B}eli/vn/cp/2013/nq/76", f"{B}eli/vn/cp/2011/nq/30c"]
    assert edge["kind"] == "amends" and "30c/NQ-CP" in edge["evidence"]
    # Each plan -> document citation is one edge (the build reports 37 citations).
    assert sum(1 for u, _ in graph.edges if graph.nodes[u]["kind"] == "plan") == 37
    assert sum(1 for _, kind in graph.nodes(data="kind") if kind == "plan") == 5


def test_metrics_on_every_node_and_communities_are_stable(store: GraphStore) -> None:
    first = build_network("agencies", store)
    second = build_network("agencies", store)
    for _, attributes in first.nodes(data=True):
        assert isinstance(attributes["degree"], int) and isinstance(attributes["community"], int)
        assert 0.0 <= attributes["betweenness"] <= 1.0 and 0.0 <= attributes["eigenvector"] <= 1.0
        assert attributes["weighted_degree"] >= attributes["degree"]
    assert dict(first.nodes(data="community")) == dict(second.nodes(data="community"))
    top = top_nodes(first, 1)[0]
    assert top["label"] == "Sở Thông tin và Truyền thông tỉnh Hà Tĩnh"


def test_agency_weights_count_tasks_and_duties(store: GraphStore) -> None:
    graph = build_network("agencies", store)
    for _, _, attributes in graph.edges(data=True):
        assert attributes["weight"] == attributes["tasks"] + attributes["responsibilities"] > 0
        assert attributes["kind"] in {"task", "responsibility", "task+responsibility"}
    pairs = run_query(store, "lead-coordinator-pairs")
    for lead, _, coordinator, _, tasks, _ in pairs.rows:
        assert graph.edges[lead.value, coordinator.value]["tasks"] >= int(tasks.value)


def test_newman_projection_weights(store: GraphStore) -> None:
    bipartite = plan_agency_network(store)
    projected = build_network("agencies-newman", store)
    # Each plan with n bodies adds 1/(n-1) to each of its n(n-1)/2 pairs: n/2 in all.
    expected = sum(
        bipartite.degree(p) / 2
        for p, side in bipartite.nodes(data="bipartite")
        if side == 0 and bipartite.degree(p) > 1
    )
    assert sum(w for _, _, w in projected.edges(data="weight")) == pytest.approx(expected)
    assert all(side == 1 for _, side in bipartite.nodes(data="bipartite") if _ in projected)


def test_cocitation_weight_is_plans_citing_both(store: GraphStore) -> None:
    citations = build_network("citations", store)
    cocitations = build_network("cocitations", store)
    for u, v, weight in cocitations.edges(data="weight"):
        both = {p for p in citations.predecessors(u) if citations.nodes[p]["kind"] == "plan"} & set(
            citations.predecessors(v)
        )
        assert weight == len(both)


def test_province_and_year_filters(store: GraphStore) -> None:
    everything = build_network("citations", store)
    hai_phong = build_network("citations", store, province="Hải Phòng")  # Hải Dương since 1 July 2025
    assert 0 < hai_phong.number_of_nodes() < everything.number_of_nodes()
    assert {p for p, k in hai_phong.nodes(data="kind") if k == "plan"} == {f"{B}eli/vn/ubnd-hai-duong/2020/kh/259"}
    assert build_network("agencies", store, year=1999).number_of_nodes() == 0


@pytest.mark.parametrize("name", list(NetworkName))
@pytest.mark.parametrize(("fmt", "reader"), [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_export_loads_back_with_all_attributes(
    store: GraphStore, tmp_path: Path, name: str, fmt: str, reader: Callable[[Path], nx.Graph]
) -> None:
    graph = build_network(name, store)
    path = tmp_path / f"{name}.{fmt}"
    export_network(graph, fmt, path)
    back = reader(path)
    clean = exportable(graph)
    assert set(back.nodes) == set(clean.nodes)
    assert back.number_of_edges() == clean.number_of_edges()
    for node, attributes in clean.nodes(data=True):
        for key, value in attributes.items():
            assert (
                back.nodes[node][key] == pytest.approx(value)
                if isinstance(value, float)
                else back.nodes[node][key] == value
            )
    for u, v, attributes in clean.edges(data=True):
        for key, value in attributes.items():
            assert (
                back.edges[u, v][key] == pytest.approx(value)
                if isinstance(value, float)
                else back.edges[u, v][key] == value
            )


def test_exported_attributes_are_plain_values(store: GraphStore) -> None:
    for name in NetworkName:
        clean = exportable(build_network(name, store))
        values = [v for _, a in clean.nodes(data=True) for v in a.values()]
        values += [v for _, _, a in clean.edges(data=True) for v in a.values()]
        assert all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values)


def test_csv_export_writes_edges_and_nodes(store: GraphStore, tmp_path: Path) -> None:
    written = export_network(build_network("agencies", store), "csv", tmp_path / "agencies.csv")
    assert [p.name for p in written] == ["agencies.csv", "agencies-nodes.csv"]
    assert written[0].read_text(encoding="utf-8").startswith("source,target,")
    assert "Sở Nội vụ tỉnh Hà Tĩnh" in written[1].read_text(encoding="utf-8")


def test_cli_stats_and_export(store_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["network", "stats", "agencies", "--store", str(store_path), "-f", "json", "-n", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["network"] == "agencies" and len(data["nodes"]) == 3
    result = runner.invoke(app, ["network", "stats", "citations", "--store", str(store_path)])
    assert result.exit_code == 0 and "citations:" in result.stdout
    out = tmp_path / "c.gexf"
    result = runner.invoke(
        app, ["network", "export", "citations", "-f", "gexf", "-o", str(out), "--store", str(store_path)]
    )
    assert result.exit_code == 0 and nx.read_gexf(out).number_of_nodes() == 35


def test_script_json_cannot_close_the_script() -> None:
    text = script_json({"t": "</script><!-- & https://x"})
    assert "<" not in text and ">" not in text and "&" not in text and "://" not in text
    assert json.loads(text) == {"t": "</script><!-- & https://x"}


NETWORK_LISTINGS = ("network-documents", "network-citations", "network-collaboration", "network-plan-bodies")


@pytest.mark.parametrize("name", NETWORK_LISTINGS)
def test_network_listings_pages_hold_the_whole_answer_once(store: GraphStore, name: str) -> None:
    """The network listings with pages of 7 rows: the pages hold every row of ``page=all``
    once, each sorted as the whole is; so do the pages of one province's plans and of one
    year's. The shipped page (200 rows) of the demo corpus is its whole answer, sorted.
    (A GROUP_CONCAT's order is the store's to choose: the roles are compared as sets.)"""
    shipped = load_query(name)
    assert page_size(shipped) == 200
    small = replace(shipped, text=shipped.text.replace("LIMIT 200", "LIMIT 7"))
    filters = [{}] if name == "network-documents" else [{}, {"province": "Hà Tĩnh"}, {"year": "2021"}]
    sizes = []
    for params in filters:
        whole = _with_role_sets(run_query(store, small, {**params, "page": "all"}))
        pages = [
            _with_role_sets(run_query(store, small, {**params, "page": str(n)})) for n in range(1, len(whole) // 7 + 3)
        ]
        assert [len(page) for page in pages[:-1]] == [7] * (len(whole) // 7) + [len(whole) % 7]
        assert pages[-1] == []
        assert Counter(row for page in pages for row in page) == Counter(whole)
        for page in pages:
            assert page == sorted(page, key=whole.index)
        sizes.append(len(whole))
    assert sizes[0] > 7 and all(0 < size < sizes[0] for size in sizes[1:])
    assert _with_role_sets(run_query(store, shipped)) == _with_role_sets(run_query(store, small, {"page": "all"}))


def _with_role_sets(result: QueryResult) -> list[tuple[object, ...]]:
    """The rows, a ``roles`` value as the set of its roles."""
    at = result.variables.index("roles") if "roles" in result.variables else None
    return [
        tuple(frozenset(term.value.split()) if i == at and term is not None else term for i, term in enumerate(row))
        for row in result.rows
    ]
