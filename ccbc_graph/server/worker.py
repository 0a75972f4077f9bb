"""A query worker: a child process that runs SPARQL on a read-only store and serialises the answer.

pyoxigraph's ``query`` cannot be interrupted, so every query runs in a process of its own
that the server kills when it overruns (see :mod:`ccbc_graph.server.pool`). This file is
run as a script (``python -I worker.py``) and imports only the standard library,
pyoxigraph and the light :mod:`ccbc_graph.sparql_text` (the package loads its
extractors, which need spaCy, lazily), so starting a worker, or replacing a killed
one, stays fast.

The parent and the worker exchange length-prefixed pickle frames over the worker's
stdin and stdout. The first frame is ``{"path": store directory, "prefixes": {...}}``;
each later frame is a job (see :func:`run_job`) answered by exactly one reply frame.
"""

from __future__ import annotations

import json
import pickle
import struct
import sys
from itertools import islice
from typing import Any, BinaryIO

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse_query_results,
    serialize,
)

from ccbc_graph.sparql_text import json_term

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

_HEADER = struct.Struct("!I")


def write_frame(stream: BinaryIO, message: object) -> None:
    """Send one message: 4-byte big-endian length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> Any:
    """Receive one message; ``EOFError`` when the other side has gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the pipe closed")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the pipe closed mid-message")
    return pickle.loads(data)


def _error(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "status": status, "message": message}


def _ok(kind: str, fmt: str, body: bytes) -> dict[str, Any]:
    return {"ok": True, "kind": kind, "format": fmt, "body": body}


def run_job(store: Store, prefixes: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
    """Answer one job: ``{"op": "query", ...}``, ``{"op": "graph", ...}`` or ``{"op": "ping"}``."""
    try:
        if job["op"] == "ping":
            return _ok("ping", "", b"")
        if job["op"] == "graph":
            return _graph(store, prefixes, job)
        return _query(store, prefixes, job)
    except SyntaxError as err:
        return _error(400, f"invalid SPARQL: {err}")
    except (OSError, RuntimeError, ValueError) as err:
        return _error(500, f"the query failed: {err}")


def _query(store: Store, prefixes: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
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
        variables = [v.value for v in result.variables]
        rows = list(islice(result, max_rows + 1))
        if len(rows) > max_rows:
            return _error(413, f"the query returns more than {max_rows} rows, this endpoint's limit; add a LIMIT")
        return _ok("tabular", fmt, _solutions(variables, rows, fmt))
    fmt = job["graph_format"]
    triples = list(islice(result, max_rows + 1))
    if len(triples) > max_rows:
        return _error(413, f"the query returns more than {max_rows} triples, this endpoint's limit; add a LIMIT")
    return _ok("graph", fmt, serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes))


def _solutions(variables: list[str], rows: list[Any], fmt: str) -> bytes:
    """SELECT results in ``fmt``: written as JSON here, other formats re-serialised by pyoxigraph.

    pyoxigraph serialises only a whole live result iterator; going through JSON lets the
    row cap stop reading early and still use pyoxigraph's XML, CSV and TSV writers.
    """
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            term = row[name]
            if term is not None:
                binding[name] = json_term(term)
        bindings.append(binding)
    document = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
    data = document.encode("utf-8")
    if fmt == "json":
        return data
    return parse_query_results(data, QueryResultsFormat.JSON).serialize(format=RESULTS_FORMATS[fmt])


def _graph(store: Store, prefixes: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
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
    """Open the store read-only, then answer jobs until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by accident must not corrupt the frames.
    sys.stdout = sys.stderr
    init = read_frame(stdin)
    try:
        store = Store.read_only(init["path"])
    except OSError as err:
        write_frame(stdout, _error(500, f"cannot open the store at {init['path']}: {err}"))
        return
    write_frame(stdout, _ok("ready", "", b""))
    while True:
        try:
            job = read_frame(stdin)
        except EOFError:
            return
        write_frame(stdout, run_job(store, init["prefixes"], job))


if __name__ == "__main__":
    main()
