"""The query worker on its own: answers written by pyoxigraph through capped TSV, and its frames.

A SELECT answer is written as TSV first (one line per row, so the row cap counts lines
as they stream), then converted to the format asked for: the conversion must give what
pyoxigraph writes directly, for every kind of term.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from ccbc_graph.server.worker import RESULTS_FORMATS, _TooManyRows, _TsvRowCap, read_frame, run_job, write_frame

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("http://example.org/a%20b"),
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal("Sở Nội vụ", language="vi"),
    ox.Literal("ltr", language="en", direction=ox.BaseDirection.LTR),
    ox.Literal('tab\there\nnew line\r"quoted" back\\slash \u2028 \x0b'),
    ox.Literal("42", datatype=ox.NamedNode(f"{XSD}integer")),
    ox.Literal("1.5", datatype=ox.NamedNode(f"{XSD}double")),
    ox.Literal("1.5", datatype=ox.NamedNode(f"{XSD}decimal")),
    ox.Literal("true", datatype=ox.NamedNode(f"{XSD}boolean")),
    ox.Literal("not a number", datatype=ox.NamedNode(f"{XSD}integer")),
    ox.Literal("x", datatype=ox.NamedNode("http://example.org/type")),
    ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")),
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i, term in enumerate(TERMS):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), term))
    return store


def _job(query: str, fmt: str = "json", max_rows: int = 1000) -> dict[str, object]:
    return {"op": "query", "query": query, "results_format": fmt, "graph_format": "turtle", "max_rows": max_rows}


@pytest.mark.parametrize("fmt", sorted(RESULTS_FORMATS))
@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o OPTIONAL { ?s <urn:none> ?unbound } } ORDER BY ?s",
        "SELECT * WHERE { }",
        "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF } }",
        "SELECT ?s WHERE { ?s <urn:none> ?o }",
    ],
)
def test_answers_equal_what_pyoxigraph_writes_directly(store: ox.Store, query: str, fmt: str) -> None:
    reply, body = run_job(store, {}, _job(query, fmt))
    assert reply == {"ok": True, "kind": "tabular", "format": fmt}
    assert body == store.query(query).serialize(format=RESULTS_FORMATS[fmt])


def test_the_row_cap_counts_rows_exactly(store: ox.Store) -> None:
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    reply, body = run_job(store, {}, _job(query, max_rows=len(TERMS)))
    assert reply["ok"]
    assert len(list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))) == len(TERMS)
    reply, body = run_job(store, {}, _job(query, max_rows=len(TERMS) - 1))
    assert (reply["ok"], reply["status"], body) == (False, 413, b"")
    assert f"more than {len(TERMS) - 1} rows" in reply["message"]


def test_the_row_cap_stops_the_writer_at_the_first_row_too_many() -> None:
    sink = _TsvRowCap(max_rows=2)
    sink.write(b"?x\n1\n")
    sink.write(b"2\n")
    with pytest.raises(_TooManyRows):
        sink.write(b"3\n4\n")
    assert b"".join(sink.chunks) == b"?x\n1\n2\n"


def test_a_million_rows_against_a_cap_of_ten_are_refused() -> None:
    digits = "{ 0 1 2 3 4 5 6 7 8 9 }"
    query = "SELECT * WHERE { " + " ".join(f"VALUES ?{v} {digits}" for v in "abcdef") + " }"
    reply, body = run_job(ox.Store(), {}, _job(query, max_rows=10))
    assert (reply["ok"], reply["status"], body) == (False, 413, b"")


def test_frames_carry_the_body_apart_from_the_message() -> None:
    pipe = io.BytesIO()
    write_frame(pipe, {"ok": True, "format": "json"}, b"\x00" * 100_000)
    write_frame(pipe, {"op": "ping"})
    pipe.seek(0)
    assert read_frame(pipe) == ({"ok": True, "format": "json"}, b"\x00" * 100_000)
    assert read_frame(pipe) == ({"op": "ping"}, b"")
    with pytest.raises(EOFError):
        read_frame(pipe)
