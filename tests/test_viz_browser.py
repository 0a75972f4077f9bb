"""The pictures in a real browser: Debian's chromium, headless, offline, pages from file://.

Chromium is required (CI installs it: ``apt-get install -y chromium``); without it these
tests fail, they do not skip. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import ARTIFACTS, PROBE, ROOT, run_browser
from pyoxigraph import Literal, NamedNode, Triple

from ccbc_graph.build import build
from ccbc_graph.merged import merged_triples
from ccbc_graph.network import build_network
from ccbc_graph.store import GraphStore
from ccbc_graph.tallies import tally_triples
from ccbc_graph.uris import ELI, ORG, entities_graph_uri, tallies_graph_uri
from ccbc_graph.viz import write_html

B = "https://w3id.org/ccbc-graph/"
CCBC = "https://w3id.org/ccbc-graph/ontology#"


def body_attributes(dom: str) -> dict[str, str]:
    match = re.search(r"<body([^>]*)>", dom)
    assert match, dom[:500]
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', match[1]))


def probe_store() -> GraphStore:
    """A plan whose title holds ``</script>`` and whose task's lead body is named with an HTML probe."""
    plan, task = NamedNode(f"{B}doc/probe"), NamedNode(f"{B}doc/probe/task/1-1")
    lead, partner = NamedNode(f"{B}org/probe"), NamedNode(f"{B}org/so-noi-vu")
    cited, citation = NamedNode(f"{B}eli/vn/cp/2011/nq/30c"), NamedNode(f"{B}doc/probe/citation/30c")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    c = lambda name: NamedNode(CCBC + name)  # noqa: E731
    resource, organisation = ELI.LegalResource, ORG.Organization
    triples = [
        Triple(plan, rdf_type, c("Plan")),
        Triple(plan, rdf_type, resource),
        Triple(cited, rdf_type, resource),
        Triple(lead, rdf_type, organisation),
        Triple(partner, rdf_type, organisation),
        Triple(plan, label, Literal("Kế hoạch </script><script>document.body.setAttribute('data-pwned','2')</script>")),
        Triple(task, rdf_type, c("Task")),
        Triple(task, c("inPlan"), plan),
        Triple(task, c("leadBody"), lead),
        Triple(task, c("coordinatingBody"), partner),
        Triple(task, NamedNode("http://purl.org/dc/terms/title"), Literal(f"Tuyên truyền {PROBE} </script>")),
        Triple(lead, label, Literal(PROBE)),
        Triple(partner, label, Literal("Sở Nội vụ")),
        Triple(citation, rdf_type, c("Citation")),
        Triple(citation, c("citingDocument"), plan),
        Triple(citation, c("citedDocument"), cited),
        Triple(citation, c("relation"), c("basis")),
        Triple(cited, label, Literal("Nghị quyết 30c/NQ-CP")),
    ]
    store = GraphStore()
    store.replace_graph(f"{B}graph/probe", triples)
    store.replace_graph(entities_graph_uri(), merged_triples([triples]))  # as a build adds them
    store.replace_graph(tallies_graph_uri(), tally_triples({f"{B}graph/probe": triples}))
    return store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("viz") / "store")
    assert build(ROOT / "data" / "plans", store).ok
    return store


@pytest.mark.parametrize("name", ["citations", "agencies"])
def test_demo_pages_draw_offline_with_the_graph_counts(demo_store: GraphStore, tmp_path: Path, name: str) -> None:
    graph = build_network(name, demo_store)
    page = tmp_path / f"{name}.html"
    write_html(graph, page, title=f"demo {name}")
    text = page.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    attributes = body_attributes(run_browser(page, tmp_path, "--dump-dom"))
    assert attributes["ready"] == "1"
    assert int(attributes["painted"]) > 1000  # the canvas drew
    assert int(attributes["nodes"]) == graph.number_of_nodes()
    assert int(attributes["edges"]) == graph.number_of_edges()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"demo-{name}.png"
    run_browser(page, tmp_path, f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("name", ["citations", "agencies"])
def test_injection_probe_does_not_fire(tmp_path: Path, name: str) -> None:
    with probe_store() as store:
        graph = build_network(name, store)
    page = tmp_path / f"probe-{name}.html"
    write_html(graph, page, title="probe </script>")
    assert page.read_text(encoding="utf-8").count("</script>") == 3  # the page's own three scripts
    # #q= selects the probe node and shows its evidence in the side panel.
    dom = run_browser(page, tmp_path, "--dump-dom", fragment="#q=" + ("img" if name == "agencies" else "script"))
    attributes = body_attributes(dom)
    assert attributes["ready"] == "1" and "pwned" not in attributes
    assert "selected" in attributes
    # Shown as text in the side panel: the body's name, or the plan's title.
    assert ("&lt;img src=x onerror" if name == "agencies" else "Kế hoạch &lt;/script&gt;&lt;script&gt;") in dom
    ARTIFACTS.mkdir(exist_ok=True)
    run_browser(
        page,
        tmp_path,
        f"--screenshot={ARTIFACTS / f'probe-{name}.png'}",
        fragment="#q=" + ("img" if name == "agencies" else "script"),
    )


def test_node_limit_says_what_was_cut(demo_store: GraphStore, tmp_path: Path) -> None:
    graph = build_network("agencies", demo_store)
    page = tmp_path / "cut.html"
    shown = write_html(graph, page, title="cut", node_limit=10)
    assert shown["nodes"] == 10 and "nodes cut" in shown["cut"]
    attributes = body_attributes(run_browser(page, tmp_path, "--dump-dom"))
    assert attributes["nodes"] == "10" and attributes["total-nodes"] == str(graph.number_of_nodes())
