"""Make an external triplestore hold exactly the store's graphs, with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent with ``PUT <endpoint>?graph=<iri>``, which replaces the graph
on the other side: pushing again after a rebuild leaves exactly the new version. The
body is N-Triples, which every Graph Store implementation reads. A graph this tool
named (under :func:`graph_prefix`) that is on the other side but no longer in the store,
such as the graph of a plan whose file left the folder, is deleted there
(``DELETE <endpoint>?graph=<iri>``); graphs of other applications are never touched.
Finding those graphs takes a SPARQL query, sent to the triplestore's query endpoint.

Query the copy with the union of the graphs as default graph (``oxigraph serve
--union-default-graph``; Virtuoso's default), as the shipped queries expect.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import HTTPBasicAuthHandler, HTTPDigestAuthHandler, parse_http_list, parse_keqv_list

from pyoxigraph import NamedNode, QueryResultsFormat, QuerySolutions, RdfFormat, parse_query_results, serialize

from ccbc_graph.store import GraphStore
from ccbc_graph.uris import graph_uri

# Graph Store endpoints of known triplestores, and the query endpoint beside each.
_QUERY_ENDPOINTS = {
    "/store": "/query",  # Oxigraph
    "/rdf-graph-store": "/sparql",  # ccbc-graph serve --allow-update
    "/data": "/query",  # Fuseki (/DATASET/data)
    "/sparql-graph-crud": "/sparql",  # Virtuoso
    "/sparql-graph-crud-auth": "/sparql-auth",  # Virtuoso, digest authentication
}


class PushError(Exception):
    """The endpoint refused a graph or could not be reached; the message names the graph."""


class PushReport(dict[str, int]):
    """Triples sent per graph IRI (a dict, as push returned before it deleted anything);
    ``deleted`` names the graphs deleted from the endpoint because they left the store."""

    def __init__(self, sent: dict[str, int], deleted: list[str]) -> None:
        super().__init__(sent)
        self.deleted = deleted


def graph_prefix() -> str:
    """The start of the IRI of every graph this tool names (plans, reference data, shared entities)."""
    return graph_uri("")


def query_endpoint_for(endpoint: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint of Oxigraph, Fuseki, Virtuoso or ccbc-graph."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, query_path in _QUERY_ENDPOINTS.items():
        if path.endswith(suffix):
            return parts._replace(path=path.removesuffix(suffix) + query_path, query="").geturl()
    raise PushError(f"cannot tell the SPARQL query endpoint that goes with {endpoint}; name it (query_endpoint)")


def push_graphs(
    store: GraphStore,
    endpoint: str,
    *,
    query_endpoint: str | None = None,
    token: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
    progress: Callable[[str, int], None] | None = None,
) -> PushReport:
    """PUT every named graph of ``store`` to the Graph Store ``endpoint``, then delete there the
    graphs this tool named that the store no longer has.

    ``endpoint`` is the Graph Store URL (oxigraph: ``http://host:7878/store``; Virtuoso:
    ``http://host:8890/sparql-graph-crud-auth``). ``query_endpoint`` is where the graphs
    present are listed, by default the one beside ``endpoint`` (:func:`query_endpoint_for`).
    ``token`` is sent as ``Authorization: Bearer``; ``user`` and ``password`` answer HTTP
    Digest or Basic authentication. Stops at the first graph refused, before deleting anything.
    """
    for url, what in ((endpoint, "Graph Store"), (query_endpoint, "SPARQL query")):
        if url is not None and not url.startswith(("http://", "https://")):
            raise PushError(f"{url!r} is not a {what} endpoint URL (http:// or https://)")
    client = _Client(endpoint, query_endpoint or query_endpoint_for(endpoint), token, user, password, timeout)
    stale = client.remote_graphs(graph_prefix()) - set(store.graph_names())
    client.authenticate()
    sent: dict[str, int] = {}
    for name in store.graph_names():
        triples = [q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, NamedNode(name))]
        client.send("PUT", name, serialize(triples, format=RdfFormat.N_TRIPLES))
        sent[name] = len(triples)
        if progress is not None:
            progress(name, len(triples))
    deleted = sorted(stale)
    for name in deleted:
        client.send("DELETE", name)
    return PushReport(sent, deleted)


class _Client:
    """HTTP to one triplestore: Graph Store requests and the query that lists its graphs."""

    def __init__(
        self,
        endpoint: str,
        query_endpoint: str,
        token: str | None,
        user: str | None,
        password: str | None,
        timeout: float,
    ) -> None:
        self.endpoint, self.query_endpoint, self.timeout = endpoint, query_endpoint, timeout
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.digest: _DigestAuth | None = None
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, [endpoint, query_endpoint], user, password or "")
            # Digest is tried first (handler order 490), Basic when the server asks for it.
            self.digest = _DigestAuth(passwords)
            handlers += [self.digest, HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def authenticate(self) -> None:
        """Have the Graph Store endpoint challenge us with a request without a body, before any upload."""
        if self.digest is not None and self.digest.challenge is None:
            request = urllib.request.Request(self._graph_url(graph_prefix()), headers=self.headers)
            self._open(request, f"{self.endpoint} refused to authenticate", missing_ok=True)

    def remote_graphs(self, prefix: str) -> set[str]:
        """The named graphs on the other side whose IRI starts with ``prefix``."""
        literal = prefix.replace("\\", "\\\\").replace('"', '\\"')
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{literal}")) }}'
        request = urllib.request.Request(
            self.query_endpoint,
            data=urlencode({"query": query}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            }
            | self.headers,
        )
        body = self._open(request, f"{self.query_endpoint} refused the query listing its graphs")
        try:
            solutions = parse_query_results(body, QueryResultsFormat.JSON)
        except SyntaxError as err:
            raise PushError(f"{self.query_endpoint} answered the graph listing with unreadable JSON: {err}") from None
        if not isinstance(solutions, QuerySolutions):
            raise PushError(f"{self.query_endpoint} answered the graph listing with a boolean")
        graphs = {solution["g"] for solution in solutions}
        return {g.value for g in graphs if isinstance(g, NamedNode) and g.value.startswith(prefix)}

    def send(self, method: str, graph: str, body: bytes | None = None) -> None:
        """``PUT`` (replace) or ``DELETE`` one graph; deleting a graph that is already gone is fine."""
        headers = self.headers | ({"Content-Type": "application/n-triples"} if body is not None else {})
        request = urllib.request.Request(self._graph_url(graph), data=body, method=method, headers=headers)
        self._open(request, f"{self.endpoint} refused graph {graph}", missing_ok=method == "DELETE")

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}graph={quote(graph, safe='')}"

    def _open(self, request: urllib.request.Request, refused: str, *, missing_ok: bool = False) -> bytes:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            if missing_ok and err.code == 404:
                return b""
            detail = err.read().decode("utf-8", "replace").strip()
            raise PushError(f"{refused}: {err.code} {err.reason}: {detail}") from None
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise PushError(f"cannot reach {request.full_url.split('?')[0]}: {err}") from None


class _DigestAuth(HTTPDigestAuthHandler):
    """HTTP Digest authentication that answers the server's last challenge up front.

    urllib answers a challenge only after a 401, by sending the request again. A server
    that refuses an upload before reading its body (Virtuoso does) closes the connection
    while the body is still being sent, and the upload fails with a broken pipe: so
    uploads carry the answer from the start, after a first request without a body
    (:meth:`_Client.authenticate`) has brought a challenge.
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self.challenge: dict[str, str] | None = None

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> object:
        self.challenge = parse_keqv_list(filter(None, parse_http_list(auth.split(" ", 1)[1])))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request
