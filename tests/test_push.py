"""``ccbc-graph push`` to a real ``oxigraph serve`` (PyPI package ``oxigraph``), then queries there.

Push makes the remote hold exactly the store's graphs: a graph that left the store is
deleted there too, but only among the graphs this tool names (``graph_prefix``).

The test starts the server itself on 127.0.0.1 on a free port with
``--union-default-graph`` (the shipped queries read the union of the plan graphs) and
stops it after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from server_helpers import build_store, free_port, wait_until_answering
from typer.testing import CliRunner
from w3c_protocol import running_server

from ccbc_graph.build import build
from ccbc_graph.cli import app
from ccbc_graph.push import PushError, graph_prefix, push_graphs, query_endpoint_for
from ccbc_graph.queries import format_csv, list_queries, parse_query, run_query
from ccbc_graph.server import ServerConfig
from ccbc_graph.store import GraphStore, QueryResult

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
# Values for the parameters some shipped queries require.
REQUIRED = {"document": "30c/NQ-CP", "body": "Sở Nội vụ", "province": "Hải Phòng"}

pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server (PyPI oxigraph) is needed")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """Base URL of an ``oxigraph serve`` on 127.0.0.1, stopped after the test."""
    port = free_port()
    process = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(tmp_path / "oxigraph"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/query?query=ASK%7B%7D", process, 60, 0.1, lambda: "oxigraph serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    with GraphStore(build_store(tmp_path / "store")) as graph_store:
        yield graph_store


def _rows(result: QueryResult) -> tuple[list[str], list[tuple[str, ...]]]:
    """Rows as sorted text; a GROUP_CONCAT list is compared as a set (its order is not fixed)."""

    def cell(term: object) -> str:
        text = "" if term is None else str(term)
        return ", ".join(sorted(text.split(", "))) if ", " in text else text

    return result.variables, sorted(tuple(cell(t) for t in row) for row in result.rows)


def test_push_demo_corpus_then_every_shipped_query_gives_the_same_rows(oxigraph: str, tmp_path: Path) -> None:
    with GraphStore(tmp_path / "demo") as demo:
        build(PLANS, demo)
        sent = push_graphs(demo, f"{oxigraph}/store")
        assert sorted(sent) == demo.graph_names()
        assert sum(sent.values()) == demo.quad_count()
        assert sent.deleted == []
        for query in list_queries():
            params = {p.name: REQUIRED[p.name] for p in query.params if p.required}
            remote = run_query(f"{oxigraph}/query", query, params)
            assert _rows(remote) == _rows(run_query(demo, query, params)), query.name


def test_push_replaces_the_old_version(store: GraphStore, oxigraph: str) -> None:
    push_graphs(store, f"{oxigraph}/store")
    graph = store.graph_names()[0]
    store.replace_graph(graph, [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("new"))])
    push_graphs(store, f"{oxigraph}/store")
    query = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    with urllib.request.urlopen(
        urllib.request.Request(f"{oxigraph}/query?query={urllib.request.quote(query)}", headers={"Accept": "text/csv"})
    ) as response:
        assert response.read().decode().split() == ["o", "new"]


def test_cli_push_and_query(store: GraphStore, oxigraph: str, tmp_path: Path) -> None:
    expected = run_query(store, "most-cited")
    assert expected.rows  # the comparison below is between real answers
    store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["push", "--endpoint", f"{oxigraph}/store", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "pushed 6 graphs" in result.stdout  # three plans, the reference, the merged graph and the tallies
    result = runner.invoke(app, ["query", "most-cited", "--endpoint", f"{oxigraph}/query", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == format_csv(*expected).replace("\r\n", "\n")


def _remote_graphs(oxigraph: str) -> list[str]:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    with urllib.request.urlopen(
        urllib.request.Request(f"{oxigraph}/query?query={urllib.request.quote(query)}", headers={"Accept": "text/csv"})
    ) as response:
        return response.read().decode().split()[1:]


def test_push_deletes_the_graphs_that_left_the_store_and_only_those(store: GraphStore, oxigraph: str) -> None:
    foreign = "https://example.org/another-application/graph"
    request = urllib.request.Request(
        f"{oxigraph}/store?graph={urllib.request.quote(foreign, safe='')}",
        data=b"<urn:s> <urn:p> <urn:o> .",
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(request).close()
    first = push_graphs(store, f"{oxigraph}/store")
    assert first.deleted == []
    assert _remote_graphs(oxigraph) == sorted([*store.graph_names(), foreign])
    gone = store.graph_names()[1]
    assert gone.startswith(graph_prefix())
    store.remove_graph(gone)
    second = push_graphs(store, f"{oxigraph}/store")
    assert second.deleted == [gone]
    assert sorted(second) == store.graph_names()
    # The remote now equals the store, and the other application's graph is still there.
    assert _remote_graphs(oxigraph) == sorted([*store.graph_names(), foreign])
    assert push_graphs(store, f"{oxigraph}/store", query_endpoint=f"{oxigraph}/query").deleted == []


def test_push_with_a_token_to_ccbc_graph_serve(store: GraphStore, tmp_path: Path) -> None:
    """Another ``ccbc-graph serve --allow-update`` is a Graph Store too: the token opens it."""
    with GraphStore(tmp_path / "remote"):
        pass
    config = ServerConfig(
        store_path=tmp_path / "remote", port=0, workers=1, quiet=True, allow_update=True, update_token="t0ken"
    )
    with running_server(config) as server:
        endpoint = server.endpoint_url.replace("/sparql", "/rdf-graph-store")
        with pytest.raises(PushError, match="401"):
            push_graphs(store, endpoint, token="wrong")
        assert sorted(push_graphs(store, endpoint, token="t0ken")) == store.graph_names()
        gone = store.graph_names()[0]
        store.remove_graph(gone)
        assert push_graphs(store, endpoint, token="t0ken").deleted == [gone]
        listing = parse_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        assert [g.value for (g,) in run_query(server.endpoint_url, listing).rows] == store.graph_names()


def test_query_endpoint_beside_known_graph_stores() -> None:
    assert query_endpoint_for("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_for("http://h:8000/rdf-graph-store") == "http://h:8000/sparql"
    assert query_endpoint_for("http://h:3030/plans/data") == "http://h:3030/plans/query"
    assert query_endpoint_for("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql-auth"
    assert query_endpoint_for("http://h:8890/sparql-graph-crud/") == "http://h:8890/sparql"
    with pytest.raises(PushError, match="name it"):
        query_endpoint_for("http://h/graphs")


def test_push_errors_name_the_endpoint(store: GraphStore) -> None:
    with pytest.raises(PushError, match="not a Graph Store endpoint URL"):
        push_graphs(store, "localhost:7878/store")
    with pytest.raises(PushError, match="not a SPARQL query endpoint URL"):
        push_graphs(store, "http://localhost:7878/store", query_endpoint="localhost:7878/query")
    with pytest.raises(PushError, match="cannot reach"):
        push_graphs(store, f"http://127.0.0.1:{free_port()}/store", timeout=5)
