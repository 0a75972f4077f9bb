"""``ccbc-graph serve`` through real clients: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP.

Also its safety: nothing is ever fetched (a listener on 127.0.0.1 must receive no
connection), a runaway query is cancelled at the timeout while another client is still
served, answers and bodies are capped, and writes need ``allow_update`` and the token.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from server_helpers import build_store, request
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from typer.testing import CliRunner
from w3c_protocol import running_server

from ccbc_graph.cli import app
from ccbc_graph.extract import extract_plan
from ccbc_graph.queries import NamedQuery, bind, list_queries, load_query, run_query
from ccbc_graph.rdf import plan_quads
from ccbc_graph.reading import read_source
from ccbc_graph.server import ServerConfig, SparqlServer
from ccbc_graph.store import GraphStore
from ccbc_graph.uris import CCBC, RDF, entities_graph_uri, org_uri
from ccbc_graph.version import __version__

TOKEN = "s3cret-token"
ROOT = Path(__file__).resolve().parent.parent
GRAPH_COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# The fixture's three plan graphs, its reference graph, and the merged graph and the tallies a build adds.
GRAPHS = 6
# Four-way cross product of every triple: runs far past any timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("server") / "store")


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[SparqlServer]:
    config = ServerConfig(
        store_path=store_path,
        port=0,
        workers=2,
        timeout=5.0,
        max_rows=500,
        quiet=True,
        max_body=64_000,
        cors_origins=("https://ui.example",),
    )
    with running_server(config) as running:
        yield running


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[SparqlServer]:
    config = ServerConfig(
        store_path=build_store(tmp_path / "store"),
        port=0,
        workers=1,
        quiet=True,
        allow_update=True,
        update_token=TOKEN,
    )
    with running_server(config) as running:
        yield running


def get_query(server: SparqlServer, query: str, **headers: str) -> tuple[int, str, bytes]:
    return request(server, "GET", "/sparql?" + urlencode({"query": query}), **headers)


# -- real clients ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_results_format(server: SparqlServer, fmt: str) -> None:
    client = SPARQLWrapper(server.endpoint_url)
    client.setQuery(GRAPH_COUNT)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    if fmt == JSON:
        assert converted["results"]["bindings"][0]["n"]["value"] == str(GRAPHS)
    elif fmt == XML:
        assert converted.getElementsByTagName("literal")[0].firstChild.data == str(GRAPHS)
    else:
        assert converted.decode().splitlines()[1] == str(GRAPHS)


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server: SparqlServer, fmt: str) -> None:
    client = SPARQLWrapper(server.endpoint_url)
    client.setQuery("ASK { ?s a ?type }")
    client.setReturnFormat(fmt)
    converted = client.query().convert()
    assert (converted["boolean"] if fmt == JSON else "true" in converted.toxml()) is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct_in_every_rdf_format(server: SparqlServer, fmt: str) -> None:
    client = SPARQLWrapper(server.endpoint_url)
    client.setQuery("CONSTRUCT { ?s a ?type } WHERE { GRAPH ?g { ?s a ?type } }")
    client.setReturnFormat(fmt)
    graph = client.query().convert()
    if not isinstance(graph, rdflib.Graph):
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) > 10
    assert all(p == rdflib.RDF.type for p in graph.predicates())


def test_rdflib_sparqlstore(server: SparqlServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(server.endpoint_url))
    rows = list(graph.query(GRAPH_COUNT))
    assert int(rows[0][0]) == GRAPHS
    constructed = graph.query("CONSTRUCT WHERE { ?s a ?type } LIMIT 5").graph
    assert len(constructed) == 5


@pytest.mark.parametrize(
    "query", [q for q in list_queries() if not any(p.required for p in q.params)], ids=lambda q: q.name
)
def test_shipped_queries_through_the_endpoint_equal_the_store(
    server: SparqlServer, query: NamedQuery, tmp_path: Path
) -> None:
    """The union default graph makes every shipped query give the embedded store's rows.

    Sent as a plain form POST: SPARQLWrapper (which ``run_query`` uses for endpoints)
    mistakes some of these queries for ASK because their comments contain "task".
    """
    status, _, body = request(
        server,
        "POST",
        "/sparql",
        urlencode({"query": bind(query)}),
        Content_Type="application/x-www-form-urlencoded",
        Accept="application/sparql-results+json",
    )
    assert status == 200, body
    remote = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    variables = [v.value for v in remote.variables]
    with GraphStore(build_store(tmp_path / "local")) as local_store:
        local = run_query(local_store, query)
    assert variables == local.variables
    assert _lists_as_sets([tuple(row[v] for v in variables) for row in remote]) == _lists_as_sets(local.rows)


def _lists_as_sets(rows: Sequence[Sequence[object]]) -> list[tuple[object, ...]]:
    """GROUP_CONCAT (" | " lists) has no order: compare such cells as sets."""
    return [
        tuple(frozenset(t.value.split(" | ")) if isinstance(t, ox.Literal) and " | " in t.value else t for t in row)
        for row in rows
    ]


def test_cli_query_with_endpoint(server: SparqlServer) -> None:
    result = CliRunner().invoke(app, ["query", "most-cited", "--endpoint", server.endpoint_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]["bindings"]


# -- the protocol over plain HTTP ------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values;q=1, text/csv;q=0.5", "text/tab-separated-values"),
        ("text/*", "text/xml"),
        ("", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(server: SparqlServer, accept: str, media_type: str) -> None:
    status, content_type, _ = get_query(server, GRAPH_COUNT, Accept=accept)
    assert status == 200
    assert content_type.split(";")[0] in (media_type, "application/sparql-results+xml")
    if media_type != "text/xml":
        assert content_type.split(";")[0] == media_type


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_content_negotiation(
    server: SparqlServer, accept: str, media_type: str, rdf_format: ox.RdfFormat
) -> None:
    status, content_type, body = get_query(server, "CONSTRUCT WHERE { ?s a ?t } LIMIT 7", Accept=accept)
    assert (status, content_type.split(";")[0]) == (200, media_type)
    assert len(list(ox.parse(body, rdf_format))) == 7


def test_unacceptable_format_is_406(server: SparqlServer) -> None:
    status, _, body = get_query(server, GRAPH_COUNT, Accept="image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "says"),
    [
        ("GET", "/sparql?query=SELECT%20%2A%20%7B", None, {}, 400, b"invalid SPARQL"),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400, b"exactly one query"),
        ("GET", "/sparql?update=CLEAR%20ALL", None, {}, 400, b"POST"),
        ("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"}, 415, b"unsupported Content-Type"),
        ("POST", "/sparql", "ASK {}", {}, 400, b"needs a Content-Type"),
        (
            "POST",
            "/sparql",
            "query=ASK%20%7B%7D&update=CLEAR%20ALL",
            {"Content-Type": "application/x-www-form-urlencoded"},
            400,
            b"not both",
        ),
        ("POST", "/sparql", "ASK {}", {"Content-Type": "application/sparql-query; charset=latin-1"}, 415, b"UTF-8"),
        ("POST", "/sparql", b'ASK { FILTER("\xff") }', {"Content-Type": "application/sparql-query"}, 400, b"UTF-8"),
        ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri", None, {}, 400, b"not an absolute IRI"),
        ("PUT", "/sparql", "", {}, 405, b"GET and POST"),
        ("GET", "/nowhere", None, {}, 404, b"/sparql"),
        ("GET", "/rdf-graph-store", None, {}, 400, b"exactly one graph"),
        ("GET", "/rdf-graph-store?graph=http%3A%2F%2Fexample.org%2Fnone", None, {}, 404, b"no graph"),
        ("PUT", "/rdf-graph-store?default", "<a:b> <a:c> <a:d> .", {"Content-Type": "text/turtle"}, 403, b"read-only"),
        ("DELETE", "/rdf-graph-store?default", None, {}, 403, b"read-only"),
        ("POST", "/sparql", "CLEAR ALL", {"Content-Type": "application/sparql-update"}, 403, b"read-only"),
    ],
)
def test_malformed_or_refused_requests_get_a_readable_4xx(
    server: SparqlServer,
    method: str,
    path: str,
    body: str | bytes | None,
    headers: dict[str, str],
    status: int,
    says: bytes,
) -> None:
    got, content_type, text = request(server, method, path, body, **headers)
    assert (got, content_type) == (status, "text/plain; charset=utf-8")
    assert says in text


def test_graph_store_get(server: SparqlServer) -> None:
    status, _, body = request(
        server, "GET", "/rdf-graph-store?graph=" + quote(_a_graph(server), safe=""), Accept="application/n-triples"
    )
    assert status == 200
    assert len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) > 0
    status, content_type, _ = request(server, "GET", "/rdf-graph-store?default", Accept="text/turtle")
    assert (status, content_type.split(";")[0]) == (200, "text/turtle")
    status, _, body = request(server, "HEAD", "/rdf-graph-store?graph=" + quote(_a_graph(server), safe=""))
    assert (status, body) == (200, b"")


def _a_graph(server: SparqlServer) -> str:
    _, _, body = get_query(server, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g LIMIT 1")
    return json.loads(body)["results"]["bindings"][0]["g"]["value"]


def test_row_cap_and_body_cap(server: SparqlServer) -> None:
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413
    assert b"more than 500 rows" in body
    assert get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 500")[0] == 200
    big = "query=" + quote("ASK {}" + " " * 70_000)
    status, _, body = request(server, "POST", "/sparql", big, Content_Type="application/x-www-form-urlencoded")
    assert status == 413
    assert b"at most 64000" in body


def test_cors(server: SparqlServer) -> None:
    host, port = server.server_address[:2]
    for origin, allowed in (("https://ui.example", True), ("https://evil.example", False)):
        connection = http.client.HTTPConnection(host, port, timeout=60)
        connection.request("OPTIONS", "/sparql", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        response = connection.getresponse()
        response.read()
        assert response.status == 204
        assert (response.getheader("Access-Control-Allow-Origin") == origin) is allowed
        connection.close()


# -- safety: nothing fetched, runaway queries cancelled, writes guarded ----------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1 recording whatever connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
            except TimeoutError:
                continue
            connection.settimeout(1)
            try:
                received.append(connection.recv(4096) or b"(connected)")
            except TimeoutError:
                received.append(b"(connected)")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", received
    stop.set()
    thread.join()
    sock.close()


def test_service_and_load_are_never_run(
    server: SparqlServer, writable: SparqlServer, listener: tuple[str, list[bytes]]
) -> None:
    url, received = listener
    probes = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z }} LIMIT 1 # harmless\n SERVICE <{url}> {{ }}",
    ]
    for probe in probes:
        status, _, body = get_query(server, probe)
        assert status in (400, 403), probe
    auth = {"Authorization": f"Bearer {TOKEN}", "Content_Type": "application/sparql-update"}
    for update in (
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <urn:x>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ):
        status, _, body = request(writable, "POST", "/sparql", update, **auth)
        assert status == 403, body
    # FROM names a graph of the store: answered from the store, never fetched.
    status, _, body = get_query(server, f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")
    assert status == 200
    assert json.loads(body)["results"]["bindings"] == []
    jsonld = json.dumps({"@context": url, "@id": "urn:a", "name": "x"})
    status, _, _ = request(
        writable,
        "PUT",
        "/rdf-graph-store?graph=urn%3Ag",
        jsonld,
        Authorization=f"Bearer {TOKEN}",
        Content_Type="application/ld+json",
    )
    assert status == 415
    time.sleep(0.5)
    assert received == []


def test_runaway_query_is_cancelled_while_others_are_served(server: SparqlServer) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        slow["status"], _, slow["body"] = get_query(server, RUNAWAY)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)
    status = get_query(server, GRAPH_COUNT)[0]
    assert status == 200
    assert thread.is_alive()  # the other client is still waiting for its runaway query
    thread.join(timeout=60)
    assert slow["status"] == 503
    assert b"cancelled" in slow["body"]
    assert 4.0 <= slow["seconds"] < 30.0  # the timeout is 5 s; generous margins
    # The killed worker was replaced: the server goes on answering on every worker.
    for _ in range(4):
        assert get_query(server, GRAPH_COUNT)[0] == 200


def test_updates_need_the_token(writable: SparqlServer) -> None:
    update = 'INSERT DATA { GRAPH <urn:g:new> { <urn:a> <urn:p> "v" } }'
    headers = {"Content_Type": "application/sparql-update"}
    assert request(writable, "POST", "/sparql", update, **headers)[0] == 401
    assert request(writable, "POST", "/sparql", update, Authorization="Bearer wrong", **headers)[0] == 401
    assert request(writable, "POST", "/sparql", update, Authorization=f"Bearer {TOKEN}", **headers)[0] == 204
    _, _, body = get_query(writable, 'ASK { GRAPH <urn:g:new> { <urn:a> <urn:p> "v" } }')
    assert json.loads(body)["boolean"] is True


def test_graph_store_writes_with_the_token(writable: SparqlServer) -> None:
    auth = f"Bearer {TOKEN}"
    path = "/rdf-graph-store?graph=" + quote("urn:g:put", safe="")
    turtle = "<urn:a> <urn:p> 1 , 2 ."
    assert request(writable, "PUT", path, turtle, Authorization=auth, Content_Type="text/turtle")[0] == 201
    assert (
        request(writable, "PUT", path, "<urn:a> <urn:p> 3 .", Authorization=auth, Content_Type="text/turtle")[0] == 204
    )
    status, _, body = request(writable, "GET", path, Accept="application/n-triples")
    assert status == 200
    assert body.decode().strip() == '<urn:a> <urn:p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert request(writable, "POST", path, turtle, Authorization=auth, Content_Type="text/turtle")[0] == 204
    assert len(list(ox.parse(request(writable, "GET", path, Accept="text/turtle")[2], ox.RdfFormat.TURTLE))) == 3
    assert request(writable, "DELETE", path, Authorization=auth)[0] == 204
    assert request(writable, "GET", path)[0] == 404
    assert request(writable, "DELETE", path, Authorization=auth)[0] == 404


def test_a_plan_graph_written_through_the_graph_store_is_seen_by_the_shipped_queries(writable: SparqlServer) -> None:
    """A plan PUT as a build would store it joins the merged graph the queries read; DELETE takes it out."""
    plan = ROOT / "data" / "plans" / "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
    quads = plan_quads(extract_plan(read_source(plan)), version=__version__)
    graph = quads[0].graph_name
    path = "/rdf-graph-store?graph=" + quote(graph.value, safe="")
    triples = ox.serialize([q.triple for q in quads if q.graph_name == graph], format=ox.RdfFormat.N_TRIPLES)
    auth = f"Bearer {TOKEN}"
    citing = bind(next(q for q in list_queries() if q.name == "plans-citing"), {"document": "30c/NQ-CP"})

    plan_node = next(q.subject for q in quads if q.predicate == RDF.type and q.object == CCBC.Plan)

    leading = bind(load_query("bodies-leading-most-tasks"))
    home = org_uri("Sở Nội vụ tỉnh Kiên Giang")

    def plans_citing() -> set[str]:
        return {row["plan"]["value"] for row in json.loads(get_query(writable, citing)[2])["results"]["bindings"]}

    def tasks_led_by_home() -> list[str]:
        rows = json.loads(get_query(writable, leading)[2])["results"]["bindings"]
        return [row["tasks"]["value"] for row in rows if row["body"]["value"] == home]

    assert plan_node.value not in plans_citing() and tasks_led_by_home() == []
    assert request(writable, "PUT", path, triples, Authorization=auth, Content_Type="application/n-triples")[0] == 201
    assert plan_node.value in plans_citing()
    assert tasks_led_by_home() == ["6"]  # the tallies follow the graph (as the answer key's six rows)
    assert request(writable, "DELETE", path, Authorization=auth)[0] == 204
    assert plan_node.value not in plans_citing() and tasks_led_by_home() == []
    in_merged = f"ASK {{ GRAPH <{entities_graph_uri()}> {{ <{plan_node.value}> ?p ?o }} }}"
    assert json.loads(get_query(writable, in_merged)[2])["boolean"] is False
    # A graph the store cannot take (a triple term, which SPARQL 1.1 cannot spell) is refused whole.
    term = "<urn:a> <urn:p> <<( <urn:b> <urn:c> <urn:d> )>> ."
    status, _, body = request(writable, "PUT", path, term, Authorization=auth, Content_Type="application/n-triples")
    assert status == 400, body
    assert request(writable, "GET", path)[0] == 404


def test_serve_command_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "not a graph store" in result.output
    result = CliRunner().invoke(
        app,
        ["serve", "--store", str(build_store(tmp_path / "s")), "--allow-update", "--port", "0"],
        env={"CCBC_UPDATE_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert "token" in result.output
