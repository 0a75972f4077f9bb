"""The W3C SPARQL 1.1 Protocol and Service Description tests, replayed against ``ccbc-graph serve``.

Every test runs twice: on a read-only server (the default), where the update tests must
be refused by design and every other test must pass, and on a server started with
``allow_update`` and a token, where every test must pass.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from w3c_protocol import Outcome, ProtocolTest, load_protocol_tests, load_test_data, run_protocol_test, running_server

from ccbc_graph.server import ServerConfig, SparqlServer

TOKEN = "conformance-token"
TESTS = load_protocol_tests()
SD = "http://www.w3.org/ns/sparql-service-description#"


def _config(store: Path, **options: object) -> ServerConfig:
    return ServerConfig(store_path=store, port=0, workers=2, timeout=30.0, quiet=True, **options)


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    store = tmp_path_factory.mktemp("read-only") / "store"
    load_test_data(store)
    with running_server(_config(store)) as server:
        yield server


@pytest.fixture(scope="module")
def update_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """All tests in manifest order on one writable server (the update tests clear the store)."""
    store = tmp_path_factory.mktemp("writable") / "store"
    load_test_data(store)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with running_server(_config(store, allow_update=True, update_token=TOKEN)) as server:
        return {test.name: run_protocol_test(server.endpoint_url, test, headers=headers) for test in TESTS}


def test_manifest_is_complete() -> None:
    assert len(TESTS) == 34
    assert sum(test.is_update for test in TESTS) == 14


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_read_only_server(read_only_server: SparqlServer, test: ProtocolTest) -> None:
    outcome = run_protocol_test(read_only_server.endpoint_url, test, read_only=True)
    expected = "refused" if test.is_update and 4 not in test.requests[0].status_classes else "passed"
    assert outcome.result == expected, outcome.details


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_update_enabled_server(update_outcomes: dict[str, Outcome], test: ProtocolTest) -> None:
    outcome = update_outcomes[test.name]
    assert outcome.result == "passed", outcome.details


def test_service_description(read_only_server: SparqlServer) -> None:
    """returns-rdf, has-endpoint-triple, conforms-to-schema (an sd:Service with its languages)."""
    request = urllib.request.Request(read_only_server.endpoint_url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request) as response:
        assert response.headers.get_content_type() == "text/turtle"
        triples = list(parse(response.read(), RdfFormat.TURTLE))
    endpoint = NamedNode(read_only_server.endpoint_url)
    services = [t.subject for t in triples if t.predicate == NamedNode(SD + "endpoint") and t.object == endpoint]
    assert len(services) == 1
    about = {(t.predicate.value, t.object) for t in triples if t.subject == services[0]}
    assert (SD + "supportedLanguage", NamedNode(SD + "SPARQL11Query")) in about
    assert (SD + "supportedLanguage", NamedNode(SD + "SPARQL11Update")) not in about
