"""The web side of ``ccbc-graph serve`` over plain HTTP: the page at ``/``, its static files,
the shipped queries' texts, the network pages and the dereferenceable entities.

The store is the miniature graph plus a probe plan whose body, sentence and file name are
HTML that would run if any page pasted document text into markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from browser import PROBE
from server_helpers import CCBC, B, build_store, fetch, fixture_graphs, probe_quads, with_merged_graph
from w3c_protocol import running_server

from ccbc_graph.merged import merged_triples
from ccbc_graph.network import build_network
from ccbc_graph.queries import bind, list_queries
from ccbc_graph.server import ServerConfig, SparqlServer
from ccbc_graph.server.entity import local_link
from ccbc_graph.server.networks import PAGES
from ccbc_graph.server.ui import assets, example_value
from ccbc_graph.store import GraphStore
from ccbc_graph.uris import entities_graph_uri

TOKEN = "ui-token"
CITED = f"{B}eli/vn/cp/2011/nq/30c"


def memory_store() -> GraphStore:
    """The served data in memory, to compute what the pages must show."""
    store = GraphStore()
    store.bulk_load(with_merged_graph(fixture_graphs(probe_quads())))
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    store = build_store(tmp_path_factory.mktemp("ui") / "store", probe_quads())
    with running_server(ServerConfig(store_path=store, port=0, workers=2, timeout=10.0, quiet=True)) as running:
        yield running


# -- the index page and its files --------------------------------------------------------------


def test_index_lists_every_shipped_query_and_the_network_pages(server: SparqlServer) -> None:
    reply = fetch(server, "GET", "/")
    assert (reply.status, reply.content_type) == (200, "text/html; charset=utf-8")
    page = reply.body.decode()
    shipped = list_queries()
    assert len(shipped) >= 19
    listed = re.findall(r'<form class="query" data-name="([^"]+)" data-title="([^"]*)">', page)
    assert listed == [(q.name, html.escape(q.title)) for q in shipped]
    for query in shipped:
        assert f"<p>{html.escape(query.description)}</p>" in page
        for param in query.params:
            assert f'name="{param.name}"' in page
    for name in PAGES:
        assert f'href="network/{name}"' in page
    # Everything it loads is on this server, under a policy that allows nothing else.
    assert re.findall(r'(?:src|href)="(https?:[^"]*)"', page) == []
    policy = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "connect-src 'self'" in policy
    assert "unsafe" not in policy


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
        ("yasgui/yasgui.min.css", "text/css; charset=utf-8"),
        ("yasgui/LICENSE", "text/plain; charset=utf-8"),
        ("yasgui/THIRD-PARTY-NOTICES.txt", "text/plain; charset=utf-8"),
        ("index.js", "text/javascript; charset=utf-8"),
        ("ccbc.css", "text/css; charset=utf-8"),
    ],
)
def test_static_files_with_types_and_caching(server: SparqlServer, name: str, content_type: str) -> None:
    asset = assets()[name]
    assert f"static/{name}?v={asset.version}" in fetch(server, "GET", "/").body.decode()
    versioned = fetch(server, "GET", f"/static/{name}?v={asset.version}")
    assert (versioned.status, versioned.content_type, versioned.body) == (200, content_type, asset.body)
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["X-Content-Type-Options"] == "nosniff"
    plain = fetch(server, "GET", f"/static/{name}")
    assert plain.headers["Cache-Control"] == "no-cache"
    revalidated = fetch(server, "GET", f"/static/{name}", If_None_Match=plain.headers["ETag"])
    assert (revalidated.status, revalidated.body) == (304, b"")


@pytest.mark.parametrize("path", ["/static/nothing.js", "/static/../app.py", "/static/yasgui/README.md.bak"])
def test_unknown_static_files_are_404(server: SparqlServer, path: str) -> None:
    assert fetch(server, "GET", path).status == 404


def test_the_vendored_yasgui_is_the_pinned_release() -> None:
    readme = (Path(__file__).resolve().parent.parent / "ccbc_graph/server/static/yasgui/README.md").read_text()
    lock = json.loads((Path(__file__).resolve().parent.parent / "tools/yasgui/package-lock.json").read_text())
    assert lock["packages"]["node_modules/@zazuko/yasgui"]["version"] == "4.6.2"
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert assets()[f"yasgui/{name}"].etag.strip('"') in readme


def test_every_required_parameter_has_an_example_to_start_from() -> None:
    for query in list_queries():
        for param in query.params:
            if param.required:
                assert example_value(param), f"{query.name}: give '{param.name}' an example (e.g. …)"


def test_a_query_comes_bound_with_its_parameters(server: SparqlServer) -> None:
    reply = fetch(server, "GET", "/queries/plans-citing.rq?document=30c/NQ-CP")
    assert (reply.status, reply.content_type) == (200, "application/sparql-query; charset=utf-8")
    query = next(q for q in list_queries() if q.name == "plans-citing")
    assert reply.body.decode() == bind(query, {"document": "30c/NQ-CP"})
    assert fetch(server, "GET", "/queries/most-cited.rq").body.decode() == bind(
        next(q for q in list_queries() if q.name == "most-cited")
    )


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/queries/plans-citing.rq", 400, b"missing required parameter 'document'"),
        ("/queries/plans-citing.rq?document=x&colour=red", 400, b"unknown parameter 'colour'"),
        ("/queries/nothing.rq", 404, b"no shipped query"),
        ("/queries/..%2F..%2Fpyproject.toml", 404, b"no shipped query"),
        ("/queries/most-cited", 404, b"no shipped query"),
    ],
)
def test_query_texts_refuse_what_they_cannot_bind(server: SparqlServer, path: str, status: int, says: bytes) -> None:
    reply = fetch(server, "GET", path)
    assert (reply.status, reply.content_type) == (status, "text/plain; charset=utf-8")
    assert says in reply.body


def test_pages_are_read_only(server: SparqlServer) -> None:
    reply = fetch(server, "POST", "/", b"x", Content_Type="text/plain")
    assert (reply.status, reply.headers["Allow"]) == (405, "GET, HEAD")


# -- network pages ---------------------------------------------------------------------------


def graph_data(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL)
    assert match
    return json.loads(match[1])


@pytest.mark.parametrize(("page", "network"), [("citation", "citations"), ("collaboration", "agencies")])
def test_network_pages_draw_the_served_store(server: SparqlServer, page: str, network: str) -> None:
    reply = fetch(server, "GET", f"/network/{page}")
    assert (reply.status, reply.content_type) == (200, "text/html; charset=utf-8")
    with memory_store() as store:
        expected = build_network(network, store)
    data = graph_data(reply.body.decode())
    assert (len(data["nodes"]), len(data["edges"])) == (expected.number_of_nodes(), expected.number_of_edges())
    assert expected.number_of_edges() > 0
    # Its two inline scripts run by hash; nothing else may run or load.
    policy = reply.headers["Content-Security-Policy"]
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", policy)) == 2
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert PROBE not in reply.body.decode()


def test_network_filters_and_unknown_networks(server: SparqlServer) -> None:
    with memory_store() as store:
        expected = build_network("citations", store, province="Hà Tĩnh")
    one_province = graph_data(fetch(server, "GET", "/network/citation?province=H%C3%A0%20T%C4%A9nh").body.decode())
    everything = graph_data(fetch(server, "GET", "/network/citation").body.decode())
    assert len(one_province["nodes"]) == expected.number_of_nodes() < len(everything["nodes"])
    reply = fetch(server, "GET", "/network/nothing")
    assert reply.status == 404 and b"collaboration" in reply.body


def test_network_pages_follow_writes(tmp_path: Path) -> None:
    """A page is cached by the store's state: a Graph Store write gives the next visit the new graph."""
    config = ServerConfig(
        store_path=build_store(tmp_path / "store"), port=0, workers=1, quiet=True, allow_update=True, update_token=TOKEN
    )
    with running_server(config) as running:
        before = graph_data(fetch(running, "GET", "/network/collaboration").body.decode())
        assert graph_data(fetch(running, "GET", "/network/collaboration").body.decode()) == before
        body = ox.serialize([q.triple for q in probe_quads()], format=ox.RdfFormat.N_TRIPLES)
        reply = fetch(
            running,
            "PUT",
            "/rdf-graph-store?graph=" + quote(f"{B}graph/probe", safe=""),
            body,
            Content_Type="application/n-triples",
            Authorization=f"Bearer {TOKEN}",
        )
        assert reply.status == 201
        # A raw Graph Store write leaves the merged graph to its writer (a build keeps it itself).
        entities = ox.serialize(merged_triples([probe_quads()]), format=ox.RdfFormat.N_TRIPLES)
        reply = fetch(
            running,
            "POST",
            "/rdf-graph-store?graph=" + quote(entities_graph_uri(), safe=""),
            entities,
            Content_Type="application/n-triples",
            Authorization=f"Bearer {TOKEN}",
        )
        assert reply.status == 204, reply.body
        after = graph_data(fetch(running, "GET", "/network/collaboration").body.decode())
    assert (len(before["edges"]), len(after["edges"])) == (0, 1)


# -- entities ----------------------------------------------------------------------------------


def described(iri: str) -> set[ox.Triple]:
    """The triples whose subject or object is ``iri``, from the data itself."""
    with memory_store() as store:
        quads = store.oxigraph.quads_for_pattern(ox.NamedNode(iri), None, None)
        inbound = store.oxigraph.quads_for_pattern(None, None, ox.NamedNode(iri))
        return {q.triple for q in [*quads, *inbound]}


@pytest.mark.parametrize(
    ("media_type", "format_param", "rdf_format"),
    [
        ("text/turtle", "turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "ntriples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_entity_in_rdf(server: SparqlServer, media_type: str, format_param: str, rdf_format: ox.RdfFormat) -> None:
    reply = fetch(server, "GET", "/eli/vn/cp/2011/nq/30c", Accept=media_type)
    assert (reply.status, reply.content_type.split(";")[0], reply.headers["Vary"]) == (200, media_type, "Accept")
    triples = {q.triple for q in ox.parse(reply.body, rdf_format)}
    # Everything said of it and pointing at it, plus its evidence and its neighbours' labels.
    assert described(CITED) <= triples
    mention = ox.NamedNode(f"{B}eli/vn/ubnd-ha-tinh/2020/kh/444/mention/412-421")
    assert ox.Triple(mention, ox.NamedNode(CCBC + "quotedText"), ox.Literal("30c/NQ-CP")) in triples
    source = ox.NamedNode(f"{B}source/{'1' * 64}")
    file_name = ox.Literal("ha-tinh-2020-tuyen-truyen-cchc.txt")
    assert ox.Triple(source, ox.NamedNode(CCBC + "fileName"), file_name) in triples
    # A browser cannot set Accept: ?format= asks for the same.
    by_param = fetch(server, "GET", f"/eli/vn/cp/2011/nq/30c?format={format_param}")
    assert by_param.content_type.split(";")[0] == media_type
    assert {q.triple for q in ox.parse(by_param.body, rdf_format)} == triples


def test_entity_page_in_html(server: SparqlServer) -> None:
    for headers in ({}, {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}):
        reply = fetch(server, "GET", "/eli/vn/cp/2011/nq/30c", **headers)
        assert (reply.status, reply.content_type) == (200, "text/html; charset=utf-8")
    page = reply.body.decode()
    assert "<title>Nghị quyết 30c/NQ-CP · ccbc-graph</title>" in page
    # Evidence: the sentence with the cited words marked, the file and the offsets.
    assert "Căn cứ Nghị quyết số <mark>30c/NQ-CP</mark> ngày 08/11/2011" in page
    assert "ha-tinh-2020-tuyen-truyen-cchc.txt</a> · characters 412–421" in page
    # Both directions, grouped by predicate; links to IRIs of the graph stay on the server.
    assert re.search(r">eli:passed_by</th><td><ul><li><a href=\"/org/chinh-phu\"[^>]*>Chính phủ</a>", page)
    assert re.search(r">eli:cites</th>.*Kế hoạch 444/KH-UBND", page)
    links = re.findall(r'href="([^"]*)"', page)
    assert links and all(link.startswith("/") for link in links)
    assert 'href="/resource?uri=http%3A%2F%2Fdata.europa.eu%2Feli%2Fontology%23LegalResource"' in page
    assert "script-src" not in reply.headers["Content-Security-Policy"]
    assert "<script" not in page


def test_every_link_of_an_entity_page_resolves(server: SparqlServer) -> None:
    page = fetch(server, "GET", "/eli/vn/ubnd-ha-tinh/2020/kh/444").body.decode()
    links = sorted({html.unescape(link) for link in re.findall(r'<a href="(/[^"]*)"', page)} - {"/", "/sparql"})
    assert len(links) > 15
    for link in links:
        assert fetch(server, "GET", link).status == 200, link


def test_any_iri_of_the_graph_by_resource(server: SparqlServer) -> None:
    iri = "http://data.europa.eu/eli/ontology#LegalResource"
    reply = fetch(server, "GET", f"/resource?uri={quote(iri, safe='')}", Accept="application/n-triples")
    assert reply.status == 200
    triples = {q.triple for q in ox.parse(reply.body, ox.RdfFormat.N_TRIPLES)}
    # What points at it (the things of that type), and their labels.
    assert described(iri) <= triples
    assert {t.predicate.value for t in triples - described(iri)} == {"http://www.w3.org/2004/02/skos/core#prefLabel"}
    same = fetch(server, "GET", f"/resource?uri={quote(CITED, safe='')}", Accept="application/n-triples")
    assert same.body == fetch(server, "GET", "/eli/vn/cp/2011/nq/30c", Accept="application/n-triples").body


def test_local_links() -> None:
    assert local_link(CITED) == "/eli/vn/cp/2011/nq/30c"
    assert local_link(f"{B}ontology#Plan") == "/resource?uri=https%3A%2F%2Fw3id.org%2Fccbc-graph%2Fontology%23Plan"
    assert local_link(f"{B}static/x") == "/resource?uri=https%3A%2F%2Fw3id.org%2Fccbc-graph%2Fstatic%2Fx"
    assert local_link("http://example.org/a").startswith("/resource?uri=http%3A")


@pytest.mark.parametrize(
    ("path", "headers", "status", "says"),
    [
        ("/org/nobody", {}, 404, b"nothing is known about <https://w3id.org/ccbc-graph/org/nobody>"),
        ("/resource?uri=http%3A%2F%2Fexample.org%2Fnone", {"Accept": "text/turtle"}, 404, b"nothing is known"),
        ("/eli/vn/cp/2011/nq/30c", {"Accept": "image/png"}, 406, b"text/turtle"),
        ("/resource", {}, 400, b"?uri=IRI"),
        ("/resource?uri=not%20an%20iri", {}, 400, b"not an absolute IRI"),
    ],
)
def test_entity_errors_are_readable(
    server: SparqlServer, path: str, headers: dict[str, str], status: int, says: bytes
) -> None:
    reply = fetch(server, "GET", path, **headers)
    assert (reply.status, reply.content_type) == (status, "text/plain; charset=utf-8")
    assert says in reply.body


def test_head_of_an_entity(server: SparqlServer) -> None:
    head, get = fetch(server, "HEAD", "/eli/vn/cp/2011/nq/30c"), fetch(server, "GET", "/eli/vn/cp/2011/nq/30c")
    assert (head.status, head.body, head.headers["Content-Length"]) == (200, b"", str(len(get.body)))


@pytest.mark.parametrize("path", ["/org/probe", "/doc/probe/mention/10-20", "/doc/probe", "/source/probe"])
def test_document_text_is_escaped(server: SparqlServer, path: str) -> None:
    page = fetch(server, "GET", path).body.decode()
    assert "<img" not in page and "<b>" not in page and "</blockquote><script>" not in page
    assert page.count("<script") == 0 and page.count("</title>") == 1
    if path != "/doc/probe":
        assert html.escape(PROBE) in page or html.escape("probe<b>.txt") in page
    if path == "/org/probe":
        # The probe's mention is its evidence, with its words marked.
        assert f"Giao <mark>{html.escape(PROBE)}</mark> chủ trì" in page
        assert "probe&lt;b&gt;.txt</a> · characters 10–20" in page
