"""Replays the W3C SPARQL 1.1 Protocol tests against a running endpoint, and starts such endpoints.

The manifests (``/work/shared/w3c-sparql11-protocol-tests``) describe each test as HTTP
requests in the W3C HTTP-in-RDF vocabulary; :func:`load_protocol_tests` reads them with
rdflib and :func:`run_protocol_test` sends each request with ``http.client`` and checks
the expected status class, result format and ASK answer. An update test that a read-only
server answers 403 is reported as refused by design, not as a failure.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from ccbc_graph.server import ServerConfig, SparqlServer

TESTS_DIR = Path(os.environ.get("W3C_PROTOCOL_TESTS", "/work/shared/w3c-sparql11-protocol-tests"))
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
DATA_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"

_RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
_RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass(frozen=True)
class HttpRequest:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: frozenset[int]  # 2, 3, 4 for 2xx, 3xx, 4xx
    expected_format: str | None  # "boolean", "tabular", "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """A manifest entry: its local name, title and requests, in order."""

    name: str
    title: str
    requests: tuple[HttpRequest, ...]

    @property
    def is_update(self) -> bool:
        """Whether the test is about updates (a read-only endpoint refuses the valid ones by design).

        The manifest names every update test so (``update_*``, ``bad_update_*``, ``bad_multiple_updates``).
        """
        return "update" in self.name


@dataclass
class Outcome:
    """How a test went: ``passed``, ``failed`` or ``refused`` (an update a read-only server declined)."""

    test: str
    result: str
    details: list[str] = field(default_factory=list)


def load_protocol_tests(manifest: Path = TESTS_DIR / "protocol__manifest.ttl") -> list[ProtocolTest]:
    """The tests of a protocol manifest, in the manifest's order."""
    graph = Graph()
    graph.parse(manifest, format="turtle")
    root = next(graph.subjects(RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(root, MF.entries))
    tests = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, node) for node in Collection(graph, graph.value(action, HT.requests)))
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), requests))
    return tests


def _request(graph: Graph, node: URIRef) -> HttpRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(node, HT.body)
    body = str(graph.value(body_node, CNT.chars)).encode("utf-8") if body_node is not None else None
    response = graph.value(node, HT.resp)
    classes = frozenset(
        int(str(s).removeprefix(str(HTS))[len("StatusCode")]) for s in graph.objects(response, MF.expectedStatus)
    )
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return HttpRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        status_classes=classes,
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=expected_boolean.toPython() if expected_boolean is not None else None,
    )


def protocol_data_graphs(manifest: Path = TESTS_DIR / "protocol__manifest.ttl") -> dict[str, Path]:
    """Graph name -> local data file, from the manifests' ``ut:graphData`` (nothing is fetched)."""
    graph = Graph()
    graph.parse(manifest, format="turtle")
    found = {}
    for data in graph.objects(None, UT.graphData):
        file_name = str(graph.value(data, UT.graph)).rsplit("/", 1)[-1]
        found[str(graph.value(data, RDFS.label))] = manifest.parent / f"protocol__{file_name}"
    return found


def load_test_data(store_path: Path) -> None:
    """Create a store holding the protocol tests' data graphs under their names."""
    store = Store(str(store_path))
    for name, path in protocol_data_graphs().items():
        graph = NamedNode(name)
        store.extend(
            Quad(q.subject, q.predicate, q.object, graph) for q in parse(path=str(path), format=RdfFormat.N_TRIPLES)
        )
    store.flush()
    del store


def run_protocol_test(
    endpoint: str, test: ProtocolTest, *, headers: dict[str, str] | None = None, read_only: bool = False
) -> Outcome:
    """Send the test's requests to ``endpoint`` (the URL of ``/sparql``) and check each response."""
    parts = urlsplit(endpoint)
    outcome = Outcome(test.name, "passed")
    for index, request in enumerate(test.requests):
        path = parts.path + request.path.removeprefix("/sparql/").removeprefix("/sparql")
        send_headers = {**request.headers, **(headers or {})}
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request(request.method, path, body=request.body, headers=send_headers)
            response = connection.getresponse()
            status, content_type, payload = response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()
        if read_only and test.is_update and index == 0 and status == 403 and 4 not in request.status_classes:
            return Outcome(test.name, "refused", ["read-only server: update refused (403) by design"])
        outcome.details.extend(_check(request, status, content_type, payload))
    if outcome.details:
        outcome.result = "failed"
    return outcome


def _check(request: HttpRequest, status: int, content_type: str, payload: bytes) -> list[str]:
    problems = []
    if status // 100 not in request.status_classes:
        wanted = "/".join(f"{c}xx" for c in sorted(request.status_classes))
        problems.append(f"{request.method} {request.path}: status {status}, expected {wanted}: {payload[:200]!r}")
        return problems
    media_type = content_type.split(";")[0].strip().lower()
    if request.expected_format in ("boolean", "tabular") and media_type not in _RESULT_TYPES:
        problems.append(f"expected SPARQL results, got {content_type}")
    if request.expected_format == "RDF" and media_type not in _RDF_TYPES:
        problems.append(f"expected RDF, got {content_type}")
    if request.expected_boolean is not None:
        answer = _boolean(media_type, payload)
        if answer is not request.expected_boolean:
            problems.append(f"expected ASK answer {request.expected_boolean}, got {answer} ({payload[:200]!r})")
    return problems


def _boolean(media_type: str, payload: bytes) -> bool | None:
    if media_type == "application/sparql-results+json":
        return json.loads(payload).get("boolean")
    if media_type == "application/sparql-results+xml":
        text = payload.decode("utf-8")
        if "<boolean>true</boolean>" in text:
            return True
        if "<boolean>false</boolean>" in text:
            return False
    return None


@contextmanager
def running_server(config: ServerConfig) -> Iterator[SparqlServer]:
    """Serve ``config`` (port 0: a free one) from a background thread; stop it after."""
    server = SparqlServer(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
