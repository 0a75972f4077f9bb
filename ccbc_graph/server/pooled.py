"""Queries of the web pages, run in the worker pool like any query sent to ``/sparql``.

The entity and network pages read the store through the same workers, time limit and
row cap as the endpoint: a page that takes too long is cancelled like a slow query, and
the server process never opens the store itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, Triple, parse, parse_query_results

from ccbc_graph.store import GraphStore, QueryResult, StoreError, Term

if TYPE_CHECKING:
    from ccbc_graph.server.app import SparqlServer


def _run(server: SparqlServer, text: str) -> bytes:
    """The worker's answer to one query (SELECT as JSON results, CONSTRUCT as N-Triples)."""
    return server.run(server.query_job(text, results_format="json", graph_format="ntriples"))[1]


def select(server: SparqlServer, text: str) -> QueryResult:
    """A SELECT query's rows over the union of the plan graphs."""
    solutions = parse_query_results(_run(server, text), QueryResultsFormat.JSON)
    if not isinstance(solutions, QuerySolutions):
        raise StoreError("only SELECT queries give rows; this is an ASK query")
    variables = [v.value for v in solutions.variables]
    return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in solutions])


def construct(server: SparqlServer, text: str) -> list[Triple]:
    """A CONSTRUCT query's triples, each once (a triple stated in several plan graphs comes back once per graph)."""
    return list(dict.fromkeys(quad.triple for quad in parse(_run(server, text), RdfFormat.N_TRIPLES)))


class PooledStore(GraphStore):
    """A :class:`GraphStore` whose ``query`` runs in the server's pool: what network.py builds from.

    ``network.build_network`` reads through ``queries.run_query``, which takes a GraphStore
    or an endpoint URL; this spares the server an HTTP round trip to itself.
    """

    def __init__(self, server: SparqlServer) -> None:
        self.path = None
        self._store = None
        self._server = server

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        if bindings:
            raise StoreError("queries run in the worker pool take their values in the text, not as bindings")
        return select(self._server, sparql)
