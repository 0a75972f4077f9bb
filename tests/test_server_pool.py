"""The worker pool: writes run in a writer process of their own, and a pool whose workers
could not be started heals on the next request instead of staying empty."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ccbc_graph.server import pool as pool_module
from ccbc_graph.server.pool import WorkerError, WorkerPool

QUERY = {
    "op": "query",
    "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "base_iri": None,
    "results_format": "tsv",
    "graph_format": "turtle",
    "max_rows": 10,
}


def _insert(value: int) -> dict[str, object]:
    return {
        "op": "update",
        "update": f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:s> <urn:p> {value} }} }}",
        "base_iri": None,
    }


def _count(pool: WorkerPool) -> int:
    reply, body = pool.run(QUERY, 30, wait=30)
    assert reply["ok"], reply
    return int(body.decode().splitlines()[1].split("^^")[0].strip('"'))


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[WorkerPool]:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("0"), ox.NamedNode("urn:g")))
    store.flush()
    del store
    running = WorkerPool(tmp_path / "store", 2, {})
    running.start()
    yield running
    running.close()


def test_workers_see_each_write_and_the_pool_keeps_its_size(pool: WorkerPool) -> None:
    for value in (1, 2, 3):
        reply, _ = pool.write(_insert(value), b"", 30, wait=30)
        assert reply["ok"], reply
        assert _count(pool) == 1 + value
    assert pool._idle.qsize() == pool.size


def test_the_server_process_never_holds_the_write_lock(pool: WorkerPool) -> None:
    """The writer ends before the write returns: the store can be opened for writing at once."""
    pool.write(_insert(1), b"", 30, wait=30)
    writer = ox.Store(str(pool.store_path))  # RocksDB refuses a second writer with "lock hold"
    assert len(writer) == 2
    del writer


def test_a_syntax_error_in_an_update_is_a_400_and_changes_nothing(pool: WorkerPool) -> None:
    reply, _ = pool.write({"op": "update", "update": "INSERT DATA {", "base_iri": None}, b"", 30, wait=30)
    assert (reply["ok"], reply["status"]) == (False, 400)
    assert _count(pool) == 1


def test_a_runaway_update_is_stopped_and_writes_nothing(pool: WorkerPool) -> None:
    values = " ".join(f"<urn:s> <urn:p> {value} ." for value in range(1, 40))
    pool.write(
        {"op": "update", "update": f"INSERT DATA {{ GRAPH <urn:g> {{ {values} }} }}", "base_iri": None},
        b"",
        30,
        wait=30,
    )
    runaway = {
        "op": "update",
        "update": "INSERT { GRAPH <urn:out> { ?a ?b ?c } } WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } "
        "GRAPH ?g3 { ?g ?h ?i } GRAPH ?g4 { ?j ?k ?l } GRAPH ?g5 { ?m ?n ?o } GRAPH ?g6 { ?q ?r ?t } }",
        "base_iri": None,
    }
    with pytest.raises(WorkerError) as stopped:
        pool.write(runaway, b"", 2, wait=30)
    assert stopped.value.status == 503
    assert _count(pool) == 40
    assert pool._idle.qsize() == pool.size


def test_workers_that_cannot_start_are_started_again_later(
    pool: WorkerPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker dying as it starts (out of memory, say) empties its slot for now, not for good."""
    dying = tmp_path / "dying.py"
    dying.write_text("raise SystemExit(1)\n")
    monkeypatch.setattr(pool_module, "WORKER_SCRIPT", dying)
    with pytest.raises(WorkerError) as failed:
        pool.write(_insert(1), b"", 30, wait=30)
    assert failed.value.message == "the worker died during the opening of the store"
    with pytest.raises(WorkerError) as failed:
        pool.run(QUERY, 30, wait=1)  # no idle worker, and starting one fails at once
    assert failed.value.status == 500
    monkeypatch.undo()
    # Both slots come back: two queries at once each get a worker of their own.
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(_count(pool))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert counts == [1, 1]
    reply, _ = pool.write(_insert(1), b"", 30, wait=30)
    assert reply["ok"], reply
    assert _count(pool) == 2
    assert pool._idle.qsize() == pool.size
