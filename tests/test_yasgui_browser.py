"""The page at ``/`` in a real browser: Debian's chromium, headless, unable to reach any
network but the test's server, driven over the DevTools protocol (tests/browser.py).

A click on a shipped query opens it in YASGUI, a click on YASGUI's run button runs it
against ``/sparql``, and the rows YASGUI's table shows must be the store's answer; the
page must ask nothing of any other host and break none of its Content-Security-Policy.
Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from browser import ARTIFACTS, PROBE, ROOT, DevTools
from server_helpers import B, probe_quads
from w3c_protocol import running_server

from ccbc_graph.build import build
from ccbc_graph.network import build_network
from ccbc_graph.queries import NamedQuery, bind, list_queries, run_query
from ccbc_graph.server import ServerConfig, SparqlServer
from ccbc_graph.store import GraphStore, QueryResult, Term

# Runs before the page's own scripts: keeps every CSP violation where the test can read it.
WATCH_VIOLATIONS = """window.violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""
QUERIES = [("most-cited", {}), ("plans-citing", {"document": "30c/NQ-CP"})]
ACTIVE = ".tabPanel.active"
XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
TABLE_ROWS = f"[...document.querySelectorAll('{ACTIVE} .yasr table.dataTable tbody tr')]"


@dataclass(frozen=True)
class Served:
    """The server, and what the data it serves must answer (computed before the server opens the store)."""

    server: SparqlServer
    answers: dict[str, QueryResult]
    networks: dict[str, int]

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demo corpus as ``ccbc-graph build`` stores it, plus the probe plan."""
    path = tmp_path_factory.mktemp("yasgui") / "store"
    with GraphStore(path) as store:
        assert build(ROOT / "data" / "plans", store).ok
        store.replace_graph(f"{B}graph/probe", probe_quads())
        answers = {name: run_query(store, name, params) for name, params in QUERIES}
        networks = {network: build_network(network, store).number_of_nodes() for network in ("citations", "agencies")}
    config = ServerConfig(store_path=path, port=0, workers=2, timeout=10.0, quiet=True)
    with running_server(config) as server:
        yield Served(server, answers, networks)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    devtools = DevTools(tmp_path / "profile")
    devtools.call("Page.addScriptToEvaluateOnNewDocument", session=True, source=WATCH_VIOLATIONS)
    try:
        yield devtools
    finally:
        devtools.close()


def as_shown(query: NamedQuery, rows: list[tuple[Term | None, ...]]) -> list[list[str]]:
    """Rows written as YASGUI's table writes them: IRIs in <> or with the query's prefixes,
    plain strings as they are, other literals in N-Triples syntax, unbound cells empty."""
    prefixes = re.findall(r"PREFIX\s+(\w*):\s*<([^>]+)>", query.text)

    def shown(term: Term | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            for prefix, namespace in prefixes:
                if term.value.startswith(namespace):
                    return f"{prefix}:{term.value[len(namespace) :]}"
        if isinstance(term, ox.Literal) and term.datatype == XSD_STRING:
            return term.value
        return str(term)

    return [[shown(term) for term in row] for row in rows]


@pytest.mark.parametrize(("name", "params"), QUERIES)
def test_a_shipped_query_runs_in_yasgui(served: Served, browser: DevTools, name: str, params: dict[str, str]) -> None:
    browser.navigate(served.origin + "/")
    browser.wait_for("document.body && document.body.dataset.ready === '1'")
    query = next(q for q in list_queries() if q.name == name)
    # A required parameter comes filled in with its example: the click alone opens a runnable query.
    form = f"document.querySelector('form.query[data-name={json.dumps(name)}]')"
    assert browser.evaluate(f"Object.fromEntries([...new FormData({form})].filter(([, v]) => v))") == params
    browser.evaluate(f"{form}.querySelector('button').click()")
    editor = f"document.querySelector('{ACTIVE} .CodeMirror').CodeMirror"
    browser.wait_for(f"{editor}.getValue() === {json.dumps(bind(query, params))}")
    assert browser.evaluate("document.querySelector('.tabsList .tab.active span').textContent") == query.title
    # The completers that would ask lov.linkeddata.es are off in the settings every editor starts from.
    assert browser.evaluate("Yasgui.Yasqe.defaults.autocompleters") == ["variables", "prefixes"]

    browser.evaluate(f"document.querySelector('{ACTIVE} .yasqe_queryButton').click()")
    browser.wait_for(f"{TABLE_ROWS}.length > 0 && !document.querySelector('{ACTIVE} .yasqe_queryButton.busy')")
    header = browser.evaluate(
        f"[...document.querySelectorAll('{ACTIVE} .yasr table.dataTable thead th')].map((th) => th.textContent)"
    )
    rows = browser.evaluate(f"{TABLE_ROWS}.map((tr) => [...tr.cells].map((td) => td.textContent))")
    variables, expected = served.answers[name].variables, as_shown(query, served.answers[name].rows)
    assert expected, "the test needs a query with an answer"
    # The first column is YASGUI's row number.
    assert header[1:] == variables
    assert [row[1:] for row in rows] == expected
    assert [row[0] for row in rows] == [str(i) for i in range(1, len(expected) + 1)]

    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / f"yasgui-{name}.png")
    # Dragging a column edge adds the resizer's second <style>: the policy allows it too.
    browser.evaluate(
        "(() => { const grip = document.querySelector('.grip-handle').firstElementChild;"
        " grip.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
        " document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); })()"
    )
    assert browser.evaluate("window.violations") == [], browser.console()
    assert all(url.startswith(served.origin + "/") for url in browser.requested_urls()), browser.requested_urls()


def test_iris_in_results_open_on_this_server(served: Served, browser: DevTools) -> None:
    browser.navigate(served.origin + "/")
    browser.wait_for("document.body && document.body.dataset.ready === '1'")
    browser.evaluate("document.querySelector('form.query[data-name=\"most-cited\"] button').click()")
    title = next(q.title for q in list_queries() if q.name == "most-cited")
    browser.wait_for(f"document.querySelector('.tabsList .tab.active span').textContent === {json.dumps(title)}")
    browser.evaluate(f"document.querySelector('{ACTIVE} .yasqe_queryButton').click()")
    browser.wait_for(f"!!document.querySelector('{ACTIVE} .yasr a.iri')")
    # The click is held back after the page's handler has seen it, so the link's new target can be read.
    href = browser.evaluate(
        "(() => { const link = document.querySelector('.tabPanel.active .yasr a.iri');"
        " document.addEventListener('click', (e) => e.preventDefault(), {once: true});"
        " link.click(); return link.href; })()"
    )
    assert href.startswith(served.origin + "/resource?uri=https%3A%2F%2Fw3id.org%2Fccbc-graph%2F"), href
    assert browser.evaluate(f"fetch({json.dumps(href)}).then((r) => r.status)") == 200


@pytest.mark.parametrize(("page", "network"), [("citation", "citations"), ("collaboration", "agencies")])
def test_network_pages_draw_under_their_policy(served: Served, browser: DevTools, page: str, network: str) -> None:
    """The page's scripts run by their hashes, draw every node, and the probe in a body's name stays text."""
    browser.navigate(f"{served.origin}/network/{page}#q=img")
    browser.wait_for("document.body && document.body.dataset.ready === '1'")
    assert int(browser.evaluate("document.body.dataset.nodes")) == served.networks[network]
    assert int(browser.evaluate("document.body.dataset.painted")) > 1000
    assert browser.evaluate("document.body.dataset.pwned") is None
    assert browser.evaluate("window.violations") == [], browser.console()
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / f"served-network-{page}.png")


def test_entity_page_shows_the_probe_as_text(served: Served, browser: DevTools) -> None:
    browser.navigate(f"{served.origin}/org/probe")
    mark = browser.wait_for("document.querySelector('ol.evidence mark')?.textContent")
    assert mark == browser.evaluate("document.querySelector('main h1').textContent") == PROBE
    assert browser.evaluate("document.body.dataset.pwned") is None
    assert browser.evaluate("document.querySelectorAll('img, script').length") == 0
    assert browser.evaluate("window.violations") == [], browser.console()
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "entity-probe.png")
