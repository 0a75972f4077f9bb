"""What the tests of ``ccbc-graph serve``, of the queries and of push share: stores built from
the miniature graph as a build stores it, an injection probe to add to them, and plain
HTTP requests, and waiting for a triplestore process to answer."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pyoxigraph as ox
from browser import PROBE

from ccbc_graph.merged import merged_triples
from ccbc_graph.server import SparqlServer
from ccbc_graph.store import GraphStore
from ccbc_graph.tallies import tally_triples
from ccbc_graph.uris import entities_graph_uri, reference_graph_uri, tallies_graph_uri

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
B = "https://w3id.org/ccbc-graph/"
CCBC = "https://w3id.org/ccbc-graph/ontology#"
OA = "http://www.w3.org/ns/oa#"


def fixture_graphs(extra: Iterable[ox.Quad] = ()) -> dict[str, list[ox.Quad]]:
    """The miniature graph's graphs (``fixtures/mini.trig``: three plans and the reference
    graph) with ``extra`` quads, by graph IRI."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in [*ox.parse(path=FIXTURE), *extra]:
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    return graphs


def with_merged_graph(graphs: dict[str, list[ox.Quad]]) -> dict[str, list[ox.Quad] | list[ox.Triple]]:
    """``graphs`` and, as a build adds them, the merged graph of their shared entities and
    the tallies of their plan graphs."""
    plans = {name: quads for name, quads in graphs.items() if name != reference_graph_uri()}
    return {**graphs, entities_graph_uri(): merged_triples(graphs.values()), tallies_graph_uri(): tally_triples(plans)}


def build_store(path: Path, extra: Iterable[ox.Quad] = ()) -> Path:
    """A store at ``path`` holding the miniature graph and ``extra`` quads, as a build stores them."""
    with GraphStore(path) as store:
        store.bulk_load(with_merged_graph(fixture_graphs(extra)))
    return path


def _iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(B + path)


def probe_quads() -> list[ox.Quad]:
    """A plan whose task is led by a body named with an HTML probe, with evidence quoting it."""
    graph = _iri("graph/probe")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    c, oa = (lambda name: ox.NamedNode(CCBC + name)), (lambda name: ox.NamedNode(OA + name))
    plan, task, body = _iri("doc/probe"), _iri("doc/probe/task/1-1"), _iri("org/probe")
    mention, source = _iri("doc/probe/mention/10-20"), _iri("source/probe")
    offset = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    triples = [
        (plan, rdf_type, c("Plan")),
        (plan, rdf_type, ox.NamedNode("http://data.europa.eu/eli/ontology#LegalResource")),
        (plan, label, ox.Literal("Kế hoạch </title><script>document.body.setAttribute('data-pwned','2')</script>")),
        (task, rdf_type, c("Task")),
        (task, c("inPlan"), plan),
        (task, c("leadBody"), body),
        (task, c("coordinatingBody"), _iri("org/chinh-phu")),
        (body, rdf_type, ox.NamedNode("http://www.w3.org/ns/org#Organization")),
        (body, label, ox.Literal(PROBE, language="vi")),
        (mention, rdf_type, c("Mention")),
        (mention, oa("hasBody"), body),
        (mention, c("quotedSentence"), ox.Literal(f"Giao {PROBE} chủ trì </blockquote><script>x()</script>")),
        (mention, oa("hasTarget"), source),
        (mention, c("startOffset"), ox.Literal("10", datatype=offset)),
        (mention, c("endOffset"), ox.Literal("20", datatype=offset)),
        (mention, c("quotedText"), ox.Literal(PROBE)),
        (source, c("fileName"), ox.Literal("probe<b>.txt")),
    ]
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


def fetch(server: SparqlServer, method: str, path: str, body: bytes | str | None = None, **headers: str) -> Reply:
    """One plain HTTP request (headers given with _ for -), with the whole reply."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def request(
    server: SparqlServer, method: str, path: str, body: bytes | str | None = None, **headers: str
) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of one plain HTTP request (headers given with _ for -)."""
    reply = fetch(server, method, path, body, **headers)
    return reply.status, reply.content_type, reply.body


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(
    url: str, process: subprocess.Popen, seconds: float, interval: float, why_not: Callable[[], str]
) -> None:
    """Wait until GET ``url`` answers; raise with ``why_not()`` once ``process`` died or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(why_not()) from None
            time.sleep(interval)
