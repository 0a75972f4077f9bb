"""``ccbc-graph push`` to a real ``oxigraph serve`` (PyPI package ``oxigraph``), then queries there.

The test starts the server itself on 127.0.0.1 on a free port with
``--union-default-graph`` (the shipped queries read the union of the plan graphs) and
stops it after.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ccbc_graph.build import build
from ccbc_graph.cli import app
from ccbc_graph.push import PushError, push_graphs
from ccbc_graph.queries import format_csv, list_queries, run_query
from ccbc_graph.store import GraphStore, QueryResult

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
# Values for the parameters some shipped queries require.
REQUIRED = {"document": "30c/NQ-CP", "body": "Sở Nội vụ", "province": "Hải Phòng"}

pytestmark = pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server (PyPI oxigraph) is needed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """Base URL of an ``oxigraph serve`` on 127.0.0.1, stopped after the test."""
    port = _free_port()
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
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=FIXTURE):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    with GraphStore(tmp_path / "store") as graph_store:
        graph_store.bulk_load(graphs)
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
    store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["push", "--endpoint", f"{oxigraph}/store", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "pushed 4 graphs" in result.stdout
    result = runner.invoke(app, ["query", "most-cited", "--endpoint", f"{oxigraph}/query", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == format_csv(*expected).replace("\r\n", "\n")


def test_push_errors_name_the_endpoint(store: GraphStore) -> None:
    with pytest.raises(PushError, match="not a Graph Store endpoint URL"):
        push_graphs(store, "localhost:7878/store")
    with pytest.raises(PushError, match="cannot reach"):
        push_graphs(store, f"http://127.0.0.1:{_free_port()}/store", timeout=5)
