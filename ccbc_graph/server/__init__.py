"""A standard SPARQL 1.1 endpoint over the embedded store (``ccbc-graph serve``)."""

from ccbc_graph.server.app import ServerConfig, SparqlServer

__all__ = ["ServerConfig", "SparqlServer"]
