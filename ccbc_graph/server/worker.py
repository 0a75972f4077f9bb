"""A query worker: a child process that runs SPARQL on a read-only store and serialises the answer.

pyoxigraph's ``query`` cannot be interrupted, so every query runs in a process of its own
that the server kills when it overruns (see :mod:`ccbc_graph.server.pool`). A worker
lives on between queries with the store open, so a query costs no process start. This
file is run as a script (``python -I worker.py``) and imports only the standard library
and pyoxigraph, so starting a worker, or replacing a killed one, stays fast (a writer
imports the package's merged-graph code when it writes a plan graph).

The parent and the worker exchange frames over the worker's stdin and stdout: a header
with two lengths, a pickled message, then a raw body (the serialised answer), which is
never pickled, so a large answer is copied as few times as possible. The first frame is
``{"path": store directory, "prefixes": {...}, "writable": bool}``; each later frame is a
job (see :func:`run_job`) answered by exactly one reply frame. A writable worker (the
server starts one per write, see :mod:`ccbc_graph.server.pool`) answers write jobs too,
flushes after each, and closes the store when its input closes.
"""

from __future__ import annotations

import pickle
import struct
import sys
from itertools import islice
from typing import Any, BinaryIO

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)

# Format names the parent negotiates, mapped to pyoxigraph's formats.
RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}

_HEADER = struct.Struct("!II")


def write_frame(stream: BinaryIO, message: object, body: bytes = b"") -> None:
    """Send one message: the lengths of its pickle and of ``body``, the pickle, then ``body`` as is."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data), len(body)) + data)
    if body:
        stream.write(body)
    stream.flush()


def read_frame(stream: BinaryIO) -> tuple[Any, bytes]:
    """Receive one message and its body; ``EOFError`` when the other side has gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the pipe closed")
    size, body_size = _HEADER.unpack(header)
    data = stream.read(size)
    body = stream.read(body_size) if body_size else b""
    if len(data) < size or len(body) < body_size:
        raise EOFError("the pipe closed mid-message")
    return pickle.loads(data), body


Reply = tuple[dict[str, Any], bytes]


def _error(status: int, message: str) -> Reply:
    return {"ok": False, "status": status, "message": message}, b""


def _ok(kind: str, fmt: str, body: bytes = b"") -> Reply:
    return {"ok": True, "kind": kind, "format": fmt}, body


def run_job(store: Store, prefixes: dict[str, str], job: dict[str, Any], body: bytes = b"") -> Reply:
    """Answer one job: reply and body.

    Reading: ``{"op": "query", ...}``, ``{"op": "graph", ...}``, ``{"op": "ping"}``;
    writing (on a writable store): ``{"op": "update", ...}``, ``{"op": "graph_write", ...}``
    with the uploaded graph as ``body``.
    """
    if job["op"] in ("update", "graph_write"):
        return _write(store, job, body)
    try:
        if job["op"] == "ping":
            return _ok("ping", "")
        if job["op"] == "graph":
            return _graph(store, prefixes, job)
        return _query(store, prefixes, job)
    except SyntaxError as err:
        return _error(400, f"invalid SPARQL: {err}")
    except (OSError, RuntimeError, ValueError) as err:
        return _error(500, f"the query failed: {err}")


def _write(store: Store, job: dict[str, Any], body: bytes) -> Reply:
    """Run a SPARQL Update or a Graph Store write, then flush; ``existed`` tells whether the graph was there."""
    if job["op"] == "update":
        try:
            store.update(job["update"], base_iri=job["base_iri"])
        except SyntaxError as err:
            return _error(400, f"invalid SPARQL update: {err}")
        except (OSError, RuntimeError, ValueError) as err:
            return _error(500, f"the update failed: {err}")
        store.flush()
        return {"ok": True, "kind": "written", "format": "", "existed": True}, b""
    graph = NamedNode(job["graph"]) if job["graph"] is not None else None
    existed = graph is None or store.contains_named_graph(graph)
    method = job["method"]
    if method == "DELETE" and not existed:
        return _error(404, f"no graph {job['graph']} in this store")
    triples = []
    if method != "DELETE":
        media_type = job["media_type"]
        try:
            rdf_format = RdfFormat.from_media_type(media_type)
            triples = [q.triple for q in parse(body, rdf_format, base_iri=job["base_iri"])]
        except SyntaxError as err:
            return _error(400, f"cannot read the {media_type} body: {err}")
    if graph is not None and graph.value not in job.get("own_graphs", ()):
        failure = _write_plan_graph(store, graph, method, triples)
        if failure is not None:
            return failure
    else:
        target = graph if graph is not None else DefaultGraph()
        if method in ("PUT", "DELETE"):
            store.clear_graph(target)
        if graph is not None and method == "DELETE":
            store.remove_graph(graph)
        elif graph is not None:
            store.add_graph(graph)
        store.extend([Quad(t.subject, t.predicate, t.object, target) for t in triples])
    store.flush()
    return {"ok": True, "kind": "written", "format": "", "existed": existed}, b""


def _write_plan_graph(store: Store, graph: NamedNode, method: str, triples: list[Any]) -> Reply | None:
    """Write a plan graph as a build does, in one transaction with the merged graph's and the tallies' change;
    an error reply if the store refused it (then nothing was written).

    Imported here, not at the top: only the writer process needs the package's modules.
    """
    from ccbc_graph.merged import remove_plan_graph, replace_plan_graph
    from ccbc_graph.store import GraphStore, StoreError, triple_lines

    graph_store = GraphStore.around(store)
    try:
        if method == "DELETE":
            remove_plan_graph(graph_store, graph)
            return None
        stored = graph_store.graph_lines(graph)
        lines = triple_lines(triples)
        replace_plan_graph(graph_store, graph, stored + lines if method == "POST" else lines, stored)
    except StoreError as err:
        return _error(400, str(err))
    store.add_graph(graph)  # an empty PUT still leaves the graph, as the protocol says
    return None


def _query(store: Store, prefixes: dict[str, str], job: dict[str, Any]) -> Reply:
    options: dict[str, Any] = {"base_iri": job.get("base_iri")}
    default_graphs, named_graphs = job.get("default_graphs"), job.get("named_graphs")
    if default_graphs is None and named_graphs is None:
        # The store's default graph is the union of the plan graphs, unless the query names its own dataset.
        options["use_default_graph_as_union"] = not job.get("has_from", False)
    else:
        options["default_graph"] = [NamedNode(g) for g in default_graphs or []]
        options["named_graphs"] = [NamedNode(g) for g in named_graphs or []]
    result = store.query(job["query"], **options)
    max_rows: int = job["max_rows"]
    if isinstance(result, QueryBoolean):
        fmt = job["results_format"]
        return _ok("boolean", fmt, result.serialize(format=RESULTS_FORMATS[fmt]))
    if isinstance(result, QuerySolutions):
        fmt = job["results_format"]
        try:
            return _ok("tabular", fmt, _solutions(result, fmt, max_rows))
        except _TooManyRows:
            return _error(413, f"the query returns more than {max_rows} rows, this endpoint's limit; add a LIMIT")
    fmt = job["graph_format"]
    triples = list(islice(result, max_rows + 1))
    if len(triples) > max_rows:
        return _error(413, f"the query returns more than {max_rows} triples, this endpoint's limit; add a LIMIT")
    return _ok("graph", fmt, serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes))


class _TooManyRows(Exception):
    """Raised from inside pyoxigraph's serializer to stop it at the row cap."""


class _TsvRowCap:
    """A file-like sink for pyoxigraph's TSV results writer that refuses more than ``max_rows`` rows.

    The TSV results format writes one line per row after the header line, and escapes
    line breaks inside terms, so counting ``\\n`` counts rows exactly while they stream:
    the answer stops growing at the cap, as it did when rows were read one by one.
    """

    def __init__(self, max_rows: int) -> None:
        self.chunks: list[bytes] = []
        self._lines_left = max_rows + 1  # the header line, then the rows

    def write(self, data: bytes) -> int:
        self._lines_left -= data.count(b"\n")
        if self._lines_left < 0:
            raise _TooManyRows
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the chunks stay in memory."""


def _solutions(result: QuerySolutions, fmt: str, max_rows: int) -> bytes:
    """SELECT results in ``fmt``, written by pyoxigraph (Rust): first as capped TSV, then converted.

    TSV is lossless (its terms are in SPARQL syntax), so the conversion gives what
    pyoxigraph writes directly (tests/test_server_worker.py checks every kind of term).
    """
    sink = _TsvRowCap(max_rows)
    result.serialize(sink, format=QueryResultsFormat.TSV)
    data = b"".join(sink.chunks)
    if fmt == "tsv":
        return data
    return parse_query_results(data, QueryResultsFormat.TSV).serialize(format=RESULTS_FORMATS[fmt])


def _graph(store: Store, prefixes: dict[str, str], job: dict[str, Any]) -> Reply:
    """Graph Store Protocol GET: one named graph, or (``graph`` None) the union default graph."""
    fmt, max_rows = job["graph_format"], job["max_rows"]
    if job["graph"] is None:
        result = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        triples = list(islice(result, max_rows + 1))
    else:
        graph = NamedNode(job["graph"])
        if not store.contains_named_graph(graph):
            return _error(404, f"no graph {graph.value} in this store")
        quads = islice(store.quads_for_pattern(None, None, None, graph), max_rows + 1)
        triples = [q.triple for q in quads]
    if len(triples) > max_rows:
        return _error(413, f"the graph has more than {max_rows} triples, this endpoint's limit")
    return _ok("graph", fmt, serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes))


def main() -> None:
    """Open the store (read-only unless asked to write), then answer jobs until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by accident must not corrupt the frames.
    sys.stdout = sys.stderr
    init, _ = read_frame(stdin)
    writable = init.get("writable", False)
    try:
        store = Store(init["path"]) if writable else Store.read_only(init["path"])
    except OSError as err:
        write_frame(stdout, *_error(500, f"cannot open the store at {init['path']}: {err}"))
        return
    write_frame(stdout, *_ok("ready", ""))
    while True:
        try:
            job, body = read_frame(stdin)
        except EOFError:
            return
        if job["op"] in ("update", "graph_write") and not writable:
            write_frame(stdout, *_error(500, "this worker has the store open read-only"))
            continue
        write_frame(stdout, *run_job(store, init["prefixes"], job, body))


if __name__ == "__main__":
    main()
