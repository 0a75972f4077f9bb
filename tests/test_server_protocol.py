"""The protocol rules of ``ccbc_graph.server.protocol``, without a server."""

from __future__ import annotations

import pytest

from ccbc_graph.server.protocol import (
    GRAPH_OFFERS,
    RESULTS_OFFERS,
    Operation,
    ProtocolError,
    apply_using,
    check_safe,
    has_dataset_clause,
    negotiate,
    parse_sparql_request,
)
from ccbc_graph.sparql_text import query_form


@pytest.mark.parametrize(
    ("accept", "offers", "param", "expected"),
    [
        (None, RESULTS_OFFERS, None, "json"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", RESULTS_OFFERS, None, "xml"),
        ("*/*;q=0.1, text/tab-separated-values", RESULTS_OFFERS, None, "tsv"),
        ("text/turtle;q=0, */*", GRAPH_OFFERS, None, "ntriples"),
        ("image/png", GRAPH_OFFERS, None, None),
        ("text/html", RESULTS_OFFERS, "csv", "csv"),
        ("text/html", RESULTS_OFFERS, "turtle", None),
    ],
)
def test_negotiate(accept: str | None, offers: list[tuple[str, str]], param: str | None, expected: str | None) -> None:
    assert negotiate(accept, offers, param) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o } # x\nservice <http://x/> {}",
        "SELECT * { ?o <p> 1 .SERVICE ?e { } }",
    ],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        check_safe(Operation("query", text))
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s <http://x/SERVICE> "SERVICE" } # SERVICE',
        "SELECT ?service { ?service a <urn:LOAD> . ?s ex:service ?o }",
    ],
)
def test_the_word_in_names_strings_and_comments_is_fine(text: str) -> None:
    check_safe(Operation("query", text))


def test_load_is_refused_in_updates() -> None:
    with pytest.raises(ProtocolError, match="LOAD is refused"):
        check_safe(Operation("update", "load <http://x/>"))


def test_query_form_and_dataset_clause() -> None:
    assert query_form("PREFIX ask: <urn:a#> # SELECT\n CONSTRUCT { ?s ask:p 1 } WHERE {}") == "CONSTRUCT"
    assert has_dataset_clause("SELECT * FROM <urn:g> { }")
    assert not has_dataset_clause("SELECT * { ?s <urn:FROM> ?o }")


def test_using_parameters_become_using_clauses() -> None:
    operation = Operation("update", "INSERT { ?s a 1 } WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c }", ("urn:g",))
    assert apply_using(operation) == ("INSERT { ?s a 1 } USING <urn:g> WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c }")
    with pytest.raises(ProtocolError, match="cannot be combined"):
        apply_using(Operation("update", "WITH <urn:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("urn:g",)))


def test_form_post_merges_url_and_body() -> None:
    operation = parse_sparql_request(
        "POST", "default-graph-uri=urn%3Ag", "application/x-www-form-urlencoded", b"query=ASK%20%7B%7D"
    )
    assert operation == Operation("query", "ASK {}", ("urn:g",), None, operation.params)
    assert parse_sparql_request("GET", "", None, b"") is None
