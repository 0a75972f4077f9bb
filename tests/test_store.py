"""The graph store: atomic graph replacement, persistence, provenance hashes, export."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from ccbc_graph.store import GraphStore, QueryError, StoreError, StoreLockedError

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
B = "https://w3id.org/ccbc-graph/"
G_HA_TINH = B + "graph/ha-tinh-2020-tuyen-truyen-cchc-txt"
G_HAI_DUONG = B + "graph/hai-duong-2020-tuyen-truyen-cchc-txt"
G_HA_NAM = B + "graph/ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030-txt"
G_REFERENCE = B + "graph/reference"
FIXTURE_QUADS = 447
EX = "http://example.org/"


def fixture_graphs() -> dict[str, list[ox.Quad]]:
    """The fixture's quads by named graph."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=FIXTURE):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    return graphs


def graph_content(store: GraphStore, graph: str) -> set[str]:
    return {str(q) for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def small_graph(graph: str, n: int, tag: str = "new") -> list[ox.Quad]:
    g, p = ox.NamedNode(graph), ox.NamedNode(EX + "p")
    return [ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(f"{tag} {i}"), g) for i in range(n)]


@pytest.fixture
def store() -> Iterator[GraphStore]:
    with GraphStore() as s:
        s.bulk_load(fixture_graphs())
        yield s


def test_bulk_load_fills_one_named_graph_per_source(store: GraphStore) -> None:
    assert store.graph_names() == sorted([G_HA_NAM, G_HA_TINH, G_HAI_DUONG, G_REFERENCE])
    assert store.graph_count() == 4
    assert store.quad_count() == FIXTURE_QUADS
    assert store.quad_count(G_REFERENCE) == 33


def test_bulk_load_refuses_graphs_already_stored(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="already in the store: " + G_HAI_DUONG):
        store.bulk_load({G_HAI_DUONG: small_graph(G_HAI_DUONG, 3), EX + "g-new": small_graph(EX + "g-new", 3)})
    assert store.quad_count() == FIXTURE_QUADS  # nothing written, not even the new graph


def test_bulk_load_checks_every_quad_before_writing(store: GraphStore) -> None:
    stray = ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"), ox.NamedNode(G_HA_TINH))
    with pytest.raises(StoreError, match="was given for graph " + EX + "g2"):
        store.bulk_load({EX + "g1": small_graph(EX + "g1", 10), EX + "g2": [stray]})
    assert store.quad_count() == FIXTURE_QUADS


def test_a_crash_during_bulk_load_leaves_nothing_behind(tmp_path: Path) -> None:
    """pyoxigraph 0.5's bulk loader commits at its end: killed before that, it wrote nothing."""
    path = tmp_path / "store"
    GraphStore(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", _IN_CHILD, str(path), EX + "g", "150000", "bulk_load"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(0.8)  # checking the quads takes about 0.1 s, loading them about 2 s
    child.send_signal(signal.SIGKILL)
    child.wait()
    with GraphStore(path) as s:
        assert s.quad_count() in (0, 150_000)


def test_replace_graph_swaps_only_that_graph(store: GraphStore) -> None:
    others = {g: graph_content(store, g) for g in (G_HA_TINH, G_HA_NAM, G_REFERENCE)}
    assert store.replace_graph(G_HAI_DUONG, small_graph(G_HAI_DUONG, 3)) == 3
    assert graph_content(store, G_HAI_DUONG) == {str(q) for q in small_graph(G_HAI_DUONG, 3)}
    assert {g: graph_content(store, g) for g in others} == others
    plans = store.query(f"SELECT ?plan WHERE {{ ?plan a <{B}ontology#Plan> }} ORDER BY ?plan").rows
    assert plans == [
        (ox.NamedNode(B + "doc/61cde288daefbc05"),),
        (ox.NamedNode(B + "eli/vn/ubnd-ha-tinh/2020/kh/444"),),
    ]


def test_replace_graph_takes_triples_and_keeps_each_fact_once(store: GraphStore) -> None:
    triple = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("Hà Tĩnh", language="vi"))
    assert store.replace_graph(ox.NamedNode(EX + "g"), [triple, triple]) == 1
    assert graph_content(store, EX + "g") == {f'<{EX}a> <{EX}p> "Hà Tĩnh"@vi <{EX}g>'}


def test_replace_graph_with_nothing_removes_it(store: GraphStore) -> None:
    assert store.replace_graph(G_HA_NAM, []) == 0
    assert G_HA_NAM not in store.graph_names()


def test_replace_graph_writes_only_what_differs(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan read again mostly says what it said: only the changed quads are in the request."""
    graph = EX + "g"
    store.replace_graph(graph, small_graph(graph, 50, "old"))
    requests: list[str] = []
    write = store._update
    monkeypatch.setattr(store, "_update", lambda g, request: (requests.append(request), write(g, request)))
    content = small_graph(graph, 50, "old")
    content[7] = small_graph(graph, 8, "new")[7]
    assert store.replace_graph(graph, content) == 50
    assert graph_content(store, graph) == {str(q) for q in content}
    (request,) = requests
    assert request.count('"old') == 1 and request.count('"new') == 1
    assert "DELETE DATA" in request and "INSERT DATA" in request and "DROP" not in request
    store.replace_graph(graph, content)
    assert len(requests) == 1  # nothing differs: nothing written


def test_replace_graph_with_blank_nodes(store: GraphStore) -> None:
    """A stored blank node cannot be named in a request: such a graph is written whole;
    one kept as it was read stays itself."""
    graph, p = ox.NamedNode(EX + "g"), ox.NamedNode(EX + "p")
    store.replace_graph(graph, [ox.Quad(ox.BlankNode(), p, ox.Literal("old"), graph)])
    store.replace_graph(graph, [ox.Quad(ox.NamedNode(EX + "s"), p, ox.Literal("new"), graph)])
    assert graph_content(store, graph.value) == {f'<{EX}s> <{EX}p> "new" <{graph.value}>'}
    store.replace_graph(graph, [ox.Quad(ox.BlankNode(), p, ox.Literal("kept"), graph)])
    stored = list(store.oxigraph.quads_for_pattern(None, None, None, graph))
    added = ox.Quad(ox.NamedNode(EX + "s"), p, ox.Literal("added"), graph)
    store.replace_graph(graph, [*stored, added])
    assert set(store.oxigraph.quads_for_pattern(None, None, None, graph)) == {*stored, added}


def test_replace_graph_writes_literals_that_need_escaping(store: GraphStore) -> None:
    nasty = 'Quote " backslash \\ newline \n tab \t } ; DROP ALL ; # not a comment'
    quads = [ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal(nasty), ox.NamedNode(EX + "g"))]
    store.replace_graph(EX + "g", quads)
    (stored,) = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(EX + "g"))
    assert stored.object.value == nasty
    assert store.quad_count() == FIXTURE_QUADS + 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"), ox.NamedNode(G_HA_TINH)), "for "),
        (ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x")), "default graph"),
        ("<a> <b> <c> .", "expected a pyoxigraph Quad or Triple"),
    ],
)
def test_a_bad_item_is_refused_before_anything_is_written(store: GraphStore, bad: object, message: str) -> None:
    before = graph_content(store, G_HAI_DUONG)
    with pytest.raises(StoreError, match=message):
        store.replace_graph(G_HAI_DUONG, [*small_graph(G_HAI_DUONG, 5), bad])  # type: ignore[list-item]
    assert graph_content(store, G_HAI_DUONG) == before
    assert store.quad_count() == FIXTURE_QUADS


def test_an_exception_midway_leaves_the_old_graph(store: GraphStore) -> None:
    before = graph_content(store, G_HAI_DUONG)

    def failing() -> Iterator[ox.Quad]:
        yield from small_graph(G_HAI_DUONG, 100)
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError, match="extractor crashed"):
        store.replace_graph(G_HAI_DUONG, failing())
    assert graph_content(store, G_HAI_DUONG) == before


def test_one_update_request_is_one_transaction(store: GraphStore) -> None:
    """What replace_graph relies on: pyoxigraph rolls back a whole failing UPDATE request."""
    before = graph_content(store, G_HAI_DUONG)
    with pytest.raises(RuntimeError):
        store.oxigraph.update(
            f'DROP SILENT GRAPH <{G_HAI_DUONG}> ; INSERT DATA {{ GRAPH <{G_HAI_DUONG}> {{ <{EX}a> <{EX}p> "x" }} }} ; '
            f"DROP GRAPH <{EX}no-such-graph>"  # fails at run time, after the first two operations
        )
    assert graph_content(store, G_HAI_DUONG) == before


def test_a_reader_sees_the_old_graph_or_the_new_one_never_a_mix() -> None:
    store = GraphStore()
    graph = EX + "g"
    sizes = (20_000, 10)
    store.replace_graph(graph, small_graph(graph, sizes[1], "v0"))
    counts: list[int] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            _, rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            counts.append(int(rows[0][0].value))  # type: ignore[union-attr]

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for version in range(1, 5):
            store.replace_graph(graph, small_graph(graph, sizes[version % 2], f"v{version}"))
    finally:
        done.set()
        thread.join()
    assert counts and set(counts) <= set(sizes)


def test_a_crash_during_replace_leaves_the_old_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    graph = EX + "g"
    with GraphStore(path) as s:
        s.replace_graph(graph, small_graph(graph, 100, "old"))
    child = subprocess.Popen(
        [sys.executable, "-c", _IN_CHILD, str(path), graph, "60000", "replace_graph"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with GraphStore(path) as s:
        assert s.quad_count(graph) in (100, 60_000)
        assert s.quad_count() == s.quad_count(graph)


_IN_CHILD = """
import sys
import pyoxigraph as ox
from ccbc_graph.store import GraphStore
path, graph, size, method = sys.argv[1:]
store = GraphStore(path)
g, p = ox.NamedNode(graph), ox.NamedNode("http://example.org/p")
quads = [ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(f"new {i}"), g) for i in range(int(size))]
print("ready", flush=True)
if method == "bulk_load":
    store.bulk_load({graph: quads})
else:
    store.replace_graph(graph, quads)
"""


def test_the_store_persists_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "store"
    with GraphStore(path) as s:
        s.bulk_load(fixture_graphs())
        s.replace_graph(G_HA_NAM, small_graph(G_HA_NAM, 2))
    with GraphStore(path) as s:
        assert s.quad_count(G_HA_NAM) == 2
        assert s.graph_count() == 4
        assert set(s.source_hashes()) == {G_HA_TINH, G_HAI_DUONG}


def test_source_hashes_come_from_each_graphs_provenance(store: GraphStore) -> None:
    assert store.source_hashes() == {
        G_HA_TINH: "1" * 64,
        G_HAI_DUONG: "2" * 64,
        G_HA_NAM: "61cde288daefbc05" + "3" * 48,
    }


def test_remove_graph(store: GraphStore) -> None:
    before = graph_content(store, G_HA_TINH)
    assert store.remove_graph(G_HAI_DUONG) is True
    assert store.remove_graph(G_HAI_DUONG) is False
    assert G_HAI_DUONG not in store.source_hashes()
    assert graph_content(store, G_HA_TINH) == before


def test_query_sees_the_union_of_all_graphs(store: GraphStore) -> None:
    # 30c/NQ-CP is described in three plan graphs: the union repeats it, DISTINCT does not.
    query = 'SELECT ?d WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> "30c/NQ-CP" }'
    variables, rows = store.query(query)
    assert variables == ["d"]
    assert rows == [(ox.NamedNode(B + "eli/vn/cp/2011/nq/30c"),)] * 3
    distinct = store.query(query.replace("SELECT", "SELECT DISTINCT")).rows
    assert distinct == [(ox.NamedNode(B + "eli/vn/cp/2011/nq/30c"),)]


def test_query_gives_none_for_unbound_and_takes_bindings(store: GraphStore) -> None:
    query = "SELECT ?g ?missing WHERE { GRAPH ?g { ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?s } }"
    result = store.query(query, bindings={"g": ox.NamedNode(G_HA_NAM)})
    assert result.rows == [(ox.NamedNode(G_HA_NAM), None)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT WHERE", "expected"),
        ("ASK { ?s ?p ?o }", "only SELECT queries"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "only SELECT queries"),
    ],
)
def test_query_errors_are_clear(store: GraphStore, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        store.query(query)


def _union_triple_count(store: GraphStore) -> int:
    _, rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    return int(rows[0][0].value)  # type: ignore[union-attr]


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_export_with_named_graphs_round_trips(store: GraphStore, tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    target = tmp_path / f"out.{fmt}"
    store.export(fmt, target)
    dataset = rdflib.Dataset()
    dataset.parse(target, format=rdflib_format)
    quads = list(dataset.quads((None, None, None, None)))
    assert len(quads) == FIXTURE_QUADS
    assert {str(g) for _, _, _, g in quads} == set(store.graph_names())
    year = rdflib.Literal("2011", datatype=rdflib.XSD.gYear)
    assert any(o == year for _, _, o, _ in quads)
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_export_turtle_is_the_union_graph(store: GraphStore) -> None:
    out = io.BytesIO()
    store.export("turtle", out)
    graph = rdflib.Graph()
    graph.parse(data=out.getvalue(), format="turtle")
    assert len(graph) == _union_triple_count(store) < FIXTURE_QUADS
    assert out.getvalue().startswith(b"@prefix")


def test_export_errors_are_clear(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown export format 'rdfxml'"):
        store.export("rdfxml", tmp_path / "out.rdf")
    with pytest.raises(StoreError, match="there is no folder"):
        store.export("trig", tmp_path / "missing" / "out.trig")
    assert not list(tmp_path.iterdir())


def test_a_store_open_elsewhere_is_reported_as_locked(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore(path):
        with pytest.raises(StoreLockedError, match="already open"):
            GraphStore(path)
        other = subprocess.run(
            [sys.executable, "-c", f"from ccbc_graph.store import GraphStore; GraphStore({str(path)!r})"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert other.returncode != 0
        assert "StoreLockedError: the store at" in other.stderr
    with GraphStore(path) as reopened:  # closing released the lock
        assert reopened.quad_count() == 0


def test_paths_that_are_not_stores_are_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a store")
    with pytest.raises(StoreError, match="is a file, not a store directory"):
        GraphStore(a_file)
    with pytest.raises(StoreError, match="not a graph store"):
        GraphStore(tmp_path)  # a non-empty folder that is no store: left untouched
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.quad_count()
