"""The HTTP server: SPARQL 1.1 Protocol at ``/sparql``, Graph Store Protocol at ``/rdf-graph-store``.

Built on the standard library's :class:`http.server.ThreadingHTTPServer`: each connection
gets a thread, and each query is handed to a worker process (:mod:`.pool`), so a slow
query holds one worker, never the server. Safe by default: read-only unless started with
``allow_update`` and a token, no outbound requests (SERVICE and LOAD are refused before
anything runs), a time limit per query, caps on result rows and request bodies, and no
CORS headers unless origins are configured.
"""

from __future__ import annotations

import hmac
import signal
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pyoxigraph import RdfFormat, parse, serialize

from ccbc_graph.server.entity import RESOURCE_PATH, entity_page, path_iri
from ccbc_graph.server.networks import PAGES as NETWORK_PAGES
from ccbc_graph.server.networks import network_page
from ccbc_graph.server.pool import WorkerError, WorkerPool, default_pool_size
from ccbc_graph.server.protocol import (
    GRAPH_OFFERS,
    MEDIA_TYPES,
    RESULTS_OFFERS,
    Operation,
    ProtocolError,
    apply_using,
    check_iri,
    check_safe,
    has_dataset_clause,
    negotiate,
    parse_sparql_request,
)
from ccbc_graph.server.ui import NETWORK_PREFIX, QUERIES_PREFIX, STATIC_PREFIX, bound_query, index_page, static_file
from ccbc_graph.sparql_text import query_form
from ccbc_graph.uris import PREFIXES, own_graph_uris

SPARQL_PATH = "/sparql"
GRAPH_STORE_PATH = "/rdf-graph-store"
# Every other path is a page of the web UI or an entity: read-only.
_WEB_ALLOW = {"Allow": "GET, HEAD"}


@dataclass(frozen=True)
class ServerConfig:
    """What ``ccbc-graph serve`` is started with; the defaults are the safe ones."""

    store_path: Path
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = field(default_factory=default_pool_size)
    timeout: float = 30.0
    max_rows: int = 100_000
    max_body: int = 1_048_576
    allow_update: bool = False
    update_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.allow_update and not self.update_token:
            raise ValueError("updates need a token: clients must send it as 'Authorization: Bearer TOKEN'")


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server that owns the worker pool."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.pool = WorkerPool(config.store_path, config.workers, PREFIXES)
        self.pool.start()
        try:
            super().__init__((config.host, config.port), SparqlHandler)
        except OSError:
            self.pool.close()
            raise

    @property
    def endpoint_url(self) -> str:
        """The URL of ``/sparql``, also the base IRI of queries and updates."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{SPARQL_PATH}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    def query_job(
        self,
        text: str,
        *,
        results_format: str,
        graph_format: str,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        has_from: bool = False,
    ) -> dict[str, object]:
        """A query for the workers, under this server's base IRI and row cap."""
        return {
            "op": "query",
            "query": text,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "has_from": has_from,
            "base_iri": self.endpoint_url,
            "results_format": results_format,
            "graph_format": graph_format,
            "max_rows": self.config.max_rows,
        }

    def run(self, job: dict[str, object]) -> tuple[str, bytes]:
        """The answer's format name and body, within the time limit; a :class:`ProtocolError` when it fails."""
        reply, body = self.pool.run(job, self.config.timeout, wait=self.config.timeout)
        if not reply["ok"]:
            raise ProtocolError(reply["status"], reply["message"])
        return reply["format"], body

    def write(self, job: dict[str, object], body: bytes = b"") -> bool:
        """Run a write job; whether the graph it names existed before. A :class:`ProtocolError` when it fails."""
        reply, _ = self.pool.write(job, body, self.config.timeout, wait=self.config.timeout)
        if not reply["ok"]:
            raise ProtocolError(reply["status"], reply["message"])
        return reply["existed"]

    def serve_until_stopped(self) -> None:
        """Serve until SIGINT or SIGTERM, then stop the workers; what ``ccbc-graph serve`` runs."""

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.server_close()


class SparqlHandler(BaseHTTPRequestHandler):
    """Routes requests and turns every failure into a status with a readable message."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "ccbc-graph"
    # Headers and body go out in two writes: without TCP_NODELAY the second waits for the
    # client's delayed ACK (about 40 ms on Linux) on every keep-alive request.
    disable_nagle_algorithm = True

    # -- routing -------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._read_body()
        self._send(HTTPStatus.NO_CONTENT, b"", None, {"Allow": "GET, HEAD, POST, PUT, DELETE, OPTIONS"})

    def _dispatch(self) -> None:
        try:
            url = urlsplit(self.path)
            path = url.path
            body = self._read_body()
            if path.rstrip("/") == SPARQL_PATH:
                self._sparql(body)
            elif path.rstrip("/") == GRAPH_STORE_PATH:
                self._graph_store(body)
            elif self.command in ("GET", "HEAD"):
                self._web(path, parse_qs(url.query, keep_blank_values=True))
            else:
                message = f"{path} answers GET and HEAD; the SPARQL endpoint is {SPARQL_PATH}\n"
                self._send(HTTPStatus.METHOD_NOT_ALLOWED, message.encode(), "text/plain; charset=utf-8", _WEB_ALLOW)
        except (ProtocolError, WorkerError) as error:
            self._send_text(error.status, error.message)
        except Exception as error:
            # A bug must still answer the client, and must not end the server.
            self.log_error("internal error: %r", error)
            self._send_text(500, f"internal server error: {error}")

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise ProtocolError(411, "send the body with a Content-Length, not chunked")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise ProtocolError(400, "Content-Length is not a number") from None
        if length > self.server.config.max_body:
            self.close_connection = True
            raise ProtocolError(
                413, f"the request body is {length} bytes; this endpoint takes at most {self.server.config.max_body}"
            )
        return self.rfile.read(length) if length > 0 else b""

    # -- web UI and entity pages -----------------------------------------------------------

    def _web(self, path: str, params: dict[str, list[str]]) -> None:
        """The page at ``/``, its static files and query texts, the network pages, and every
        other path as the entity of the graph it names (``/resource?uri=`` for any IRI)."""
        accept, format_param = self.headers.get("Accept"), _first(params, "format")
        if path == "/":
            page = index_page({name: title for name, (_, title) in NETWORK_PAGES.items()})
        elif path.startswith(STATIC_PREFIX):
            page = static_file(path.removeprefix(STATIC_PREFIX), params, self.headers.get("If-None-Match"))
        elif path.startswith(QUERIES_PREFIX):
            page = bound_query(unquote(path.removeprefix(QUERIES_PREFIX)), params)
        elif path.startswith(NETWORK_PREFIX):
            page = network_page(self.server, path.removeprefix(NETWORK_PREFIX), params)
        elif path.rstrip("/") == RESOURCE_PATH:
            uri = _first(params, "uri")
            if uri is None:
                raise ProtocolError(400, f"name the entity: {RESOURCE_PATH}?uri=IRI")
            page = entity_page(self.server, check_iri(uri, "uri"), accept, format_param)
        else:
            page = entity_page(self.server, path_iri(path), accept, format_param)
        self._send(page.status, page.body, page.content_type, page.headers)

    # -- SPARQL protocol -------------------------------------------------------------------

    def _sparql(self, body: bytes) -> None:
        operation = parse_sparql_request(
            self.command, urlsplit(self.path).query, self.headers.get("Content-Type"), body
        )
        if operation is None:
            self._service_description()
        elif operation.kind == "update":
            self._update(operation)
        else:
            self._query(operation)

    def _query(self, operation: Operation) -> None:
        form, has_from = _read_query(operation.text)
        format_param = _first(operation.params, "format") or _first(operation.params, "output")
        accept = self.headers.get("Accept")
        results_format = negotiate(accept, RESULTS_OFFERS, format_param)
        graph_format = negotiate(accept, GRAPH_OFFERS, format_param)
        if form in ("SELECT", "ASK") and results_format is None:
            raise ProtocolError(406, f"cannot answer a {form} query in {accept}; try application/sparql-results+json")
        if form in ("CONSTRUCT", "DESCRIBE") and graph_format is None:
            raise ProtocolError(406, f"cannot answer a {form} query in {accept}; try text/turtle")
        job = self.server.query_job(
            operation.text,
            results_format=results_format or "json",
            graph_format=graph_format or "turtle",
            default_graphs=operation.default_graphs,
            named_graphs=operation.named_graphs,
            has_from=has_from,
        )
        self._answer(job)

    def _answer(self, job: dict[str, object]) -> None:
        answer_format, body = self.server.run(job)
        self._send(HTTPStatus.OK, body, MEDIA_TYPES[answer_format], {"Vary": "Accept"})

    def _update(self, operation: Operation) -> None:
        self._check_write_allowed()
        check_safe(operation)
        job = {"op": "update", "update": apply_using(operation), "base_iri": self.server.endpoint_url}
        self.server.write(job)
        self._send(HTTPStatus.NO_CONTENT, b"", None)

    def _check_write_allowed(self) -> None:
        config = self.server.config
        if not config.allow_update or config.update_token is None:
            raise ProtocolError(403, "this endpoint is read-only (start it with --allow-update and a token to write)")
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), config.update_token.encode()):
            raise ProtocolError(401, "writing needs the header 'Authorization: Bearer <token>' with the server's token")

    def _service_description(self) -> None:
        fmt = negotiate(self.headers.get("Accept"), GRAPH_OFFERS) or "turtle"
        description = service_description(self.server.endpoint_url, self.server.config.allow_update)
        triples = parse(description.encode("utf-8"), RdfFormat.TURTLE)
        body = serialize(triples, format=_RDF_FORMATS[fmt], prefixes=_SD_PREFIXES)
        self._send(HTTPStatus.OK, body, MEDIA_TYPES[fmt], {"Vary": "Accept"})

    # -- Graph Store protocol --------------------------------------------------------------

    def _graph_store(self, body: bytes) -> None:
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        graphs, default = params.get("graph", []), "default" in params
        if len(graphs) + default != 1:
            raise ProtocolError(400, "name exactly one graph: ?graph=IRI or ?default")
        graph = check_iri(graphs[0], "graph") if graphs else None
        if self.command in ("GET", "HEAD"):
            fmt = negotiate(self.headers.get("Accept"), GRAPH_OFFERS)
            if fmt is None:
                raise ProtocolError(406, "graphs are served as Turtle, N-Triples, JSON-LD or RDF/XML")
            self._answer({"op": "graph", "graph": graph, "graph_format": fmt, "max_rows": self.server.config.max_rows})
        elif self.command in ("PUT", "POST", "DELETE"):
            self._graph_write(graph, body)
        else:
            raise ProtocolError(405, f"the graph store answers GET, HEAD, PUT, POST and DELETE, not {self.command}")

    def _graph_write(self, graph: str | None, body: bytes) -> None:
        self._check_write_allowed()
        job = {
            "op": "graph_write",
            "method": self.command,
            "graph": graph,
            "base_iri": self.server.endpoint_url,
            # Written as sent; any other named graph is a plan's, kept in step with the merged graph and the tallies.
            "own_graphs": own_graph_uris(),
        }
        if self.command != "DELETE":
            job["media_type"] = self._upload_media_type()
        existed = self.server.write(job, body)
        status = HTTPStatus.CREATED if self.command != "DELETE" and not existed else HTTPStatus.NO_CONTENT
        self._send(status, b"", None)

    def _upload_media_type(self) -> str:
        """The media type of an uploaded graph, refused unless it is a plain graph syntax (read by the writer)."""
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        rdf_format = RdfFormat.from_media_type(media_type) if media_type else None
        if rdf_format is None or rdf_format.supports_datasets:
            raise ProtocolError(415, f"send the graph as Turtle, N-Triples or RDF/XML, not {media_type or 'no type'}")
        if rdf_format in (RdfFormat.JSON_LD, RdfFormat.STREAMING_JSON_LD):
            raise ProtocolError(415, "JSON-LD uploads are refused: their contexts could make the server fetch IRIs")
        return media_type

    # -- responses -------------------------------------------------------------------------

    def _send_text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self._cors_headers()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _cors_headers(self) -> None:
        origins = self.server.config.cors_origins
        origin = self.headers.get("Origin")
        if not origins or origin is None:
            return
        if "*" in origins:
            self.send_header("Access-Control-Allow-Origin", "*")
        elif origin in origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        else:
            return
        if self.command == "OPTIONS":
            self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.config.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


_RDF_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
_SD_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#"}


# Longest query text whose reading is remembered (512 of them at most: 8 MB).
_CACHED_TEXT_LENGTH = 16_384


def _read_query(text: str) -> tuple[str | None, bool]:
    """The form of a query and whether it has FROM, once SERVICE is refused (``check_safe``).

    Clients send the same texts again and again, and reading one with the tokenizer costs
    as much as running a small query, so short texts are read once.
    """
    if len(text) > _CACHED_TEXT_LENGTH:
        return _read_query_text.__wrapped__(text)
    return _read_query_text(text)


@lru_cache(maxsize=512)
def _read_query_text(text: str) -> tuple[str | None, bool]:
    check_safe(Operation("query", text))
    return query_form(text), has_dataset_clause(text)


def _first(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[0] if values else None


def service_description(endpoint: str, allow_update: bool) -> str:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if allow_update else "")
    result_formats = ", ".join(
        f"<http://www.w3.org/ns/formats/{name}>"
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    )
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {languages} ;
  sd:resultFormat {result_formats} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
