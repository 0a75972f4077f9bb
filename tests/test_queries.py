"""The shipped queries on the fixture, parameter binding, remote endpoints, output formats."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
import rdflib
from rich.console import Console
from server_helpers import fixture_graphs, with_merged_graph

from ccbc_graph.build import build
from ccbc_graph.merged import entity_triples
from ccbc_graph.queries import (
    NamedQuery,
    ParameterError,
    QueryNotFoundError,
    bind,
    display_term,
    format_csv,
    format_json,
    format_table,
    list_queries,
    load_query,
    page_note,
    page_size,
    parse_query,
    run_query,
)
from ccbc_graph.store import GraphStore, QueryError, QueryResult
from ccbc_graph.uris import DEFAULT_BASE_URI

B = "https://w3id.org/ccbc-graph/"
CCBC = "https://w3id.org/ccbc-graph/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
P1 = B + "eli/vn/ubnd-ha-tinh/2020/kh/444"
P2 = B + "eli/vn/ubnd-hai-duong/2020/kh/259"
P3 = B + "doc/61cde288daefbc05"
P1_TITLE = "Kế hoạch tuyên truyền cải cách hành chính năm 2020"
P2_TITLE = "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2020"
P3_TITLE = "Kế hoạch thông tin, tuyên truyền cải cách hành chính giai đoạn 2021 - 2030"
D30C = B + "eli/vn/cp/2011/nq/30c"
D76_2013 = B + "eli/vn/cp/2013/nq/76"
D76_2021 = B + "eli/vn/cp/2021/nq/76"
D225 = B + "eli/vn/ttg/2016/qd/225"
D61 = B + "eli/vn/cp/2018/nd/61"
D107 = B + "eli/vn/cp/2021/nd/107"
D63 = B + "eli/vn/cp/2010/nd/63"
D1216 = B + "eli/vn/btttt/unresolved/qd/1216"
UNNUMBERED = B + "ref/5f0c2a9e1b7d4c36"
PROGRAMME = "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030"

Row = tuple[str | None, ...]


def values(result: QueryResult) -> list[Row]:
    """Rows as plain strings: an IRI's text, a literal's lexical form, None when unbound."""
    return [tuple(None if t is None else t.value for t in row) for row in result.rows]


PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
# Values for the parameters some shipped queries require.
REQUIRED = {"document": "30c/NQ-CP", "body": "Sở Nội vụ", "province": "Hải Phòng"}


@pytest.fixture(scope="module")
def store() -> Iterator[GraphStore]:
    """The fixture as a build loads it: its graphs and the merged graph of their shared entities."""
    with GraphStore() as s:
        s.bulk_load(with_merged_graph(fixture_graphs()))
        yield s


@pytest.fixture(scope="module")
def fixture_nquads(store: GraphStore) -> bytes:
    """Every graph of the fixture store (the merged graph included), for other engines."""
    return nquads(store)


def nquads(store: GraphStore) -> bytes:
    out = io.BytesIO()
    store.export("nquads", out)
    return out.getvalue()


def rdflib_rows(data: bytes, name: str, params: dict[str, str]) -> list[Row]:
    """The rows rdflib, a second SPARQL 1.1 engine, gives for a shipped query over ``data``
    (N-Quads; the default graph the union, as the store's), as :func:`values` gives ours."""
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    return [tuple(None if t is None else str(t) for t in row) for row in dataset.query(bind(load_query(name), params))]


# -- the query files ----------------------------------------------------------------------


def test_list_queries_reads_every_header() -> None:
    queries = {q.name: q for q in list_queries()}
    assert {
        "amendment-chains",
        "citations-by-province-year",
        "most-cited",
        "plan-basis-vs-implements",
        "plans-citing",
        "two-hop-citations",
    } <= set(queries)
    for query in queries.values():  # every shipped file keeps to the header format
        assert query.title and query.title != query.name
        assert len(query.description) > 40 and "\n" not in query.description
    citing = queries["plans-citing"]
    assert [(p.name, p.required) for p in citing.params] == [("document", True), ("year", False), ("page", False)]
    assert citing.params[0].description.startswith("the document's symbol, e.g. 30c/NQ-CP")
    assert "give the year to keep one." in citing.description  # continuation lines joined
    assert [(p.name, p.required) for p in queries["plan-basis-vs-implements"].params] == [
        ("plan", False),
        ("page", False),
    ]
    assert not queries["amendment-chains"].params
    assert [(p.name, p.required) for p in queries["two-hop-citations"].params] == [("page", False)]
    assert [(p.name, p.required) for p in queries["most-cited"].params] == [("limit", False)]


def test_parse_query_header_variants() -> None:
    query = parse_query(
        "# title: T\n# description: first\n#    second line\n# param: a (required) - with a hyphen\n"
        "# param: b (optional) -- two hyphens\n#   and more\nSELECT ?a WHERE { }\n# not header\n",
        name="x",
    )
    assert (query.title, query.description) == ("T", "first second line")
    assert [(p.name, p.required, p.description) for p in query.params] == [
        ("a", True, "with a hyphen"),
        ("b", False, "two hyphens and more"),
    ]
    assert parse_query("SELECT * WHERE { }", name="bare").title == "bare"
    with pytest.raises(ParameterError, match="cannot read '# param: year maybe'"):
        parse_query("# param: year maybe\nSELECT * { }")
    with pytest.raises(ParameterError, match="declares parameter 'a' twice"):
        parse_query("# param: a (optional) — x\n# param: a (required) — y\nSELECT * { }")


def test_load_query_by_name_path_or_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_query("most-cited").name == "most-cited"
    assert load_query("most-cited.rq").name == "most-cited"
    own = tmp_path / "mine.rq"
    own.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert (load_query(own).title, load_query(str(own)).path) == ("Mine", own)
    monkeypatch.setattr("sys.stdin", io.StringIO("# title: Piped\nSELECT * WHERE { ?s ?p ?o }"))
    assert load_query("-").title == "Piped"
    with pytest.raises(QueryNotFoundError, match=r"no query 'most-citd': not a file, and not one of: .*most-cited"):
        load_query("most-citd")
    with pytest.raises(QueryNotFoundError):
        load_query(tmp_path / "missing.rq")


# -- binding ------------------------------------------------------------------------------

ECHO = parse_query(
    "# param: value (required) — anything\n# param: other (optional) — more\nSELECT ?value ?other WHERE { }"
)

NASTY = [
    'quote " inside',
    'backslash \\ and \\" escaped quote',
    '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "triple '''quotes''' and \"\"\"more\"\"\"",
    "newline\nand\ttab and carriage\rreturn",
    "# not a comment > <http://x> ?var $var",
    "Nghị quyết số 76/ NQ-CP",
]


@pytest.mark.parametrize("value", NASTY)
def test_bound_values_arrive_intact(store: GraphStore, value: str) -> None:
    """Whatever the value, the engine reads back exactly that string: nothing was parsed as syntax."""
    assert values(run_query(store, ECHO, {"value": value})) == [(value, None)]
    rdflib_rows = list(rdflib.Graph().query(bind(ECHO, {"value": value})))
    assert [tuple(None if t is None else str(t) for t in row) for row in rdflib_rows] == [(value, None)]


def test_bind_normalises_values() -> None:
    decomposed = "Ha\u0300 Ti\u0303nh"  # NFD, as some keyboards and macOS file names give it
    text = bind(ECHO, {"value": f"  {decomposed}  ", "other": "   "})
    assert 'VALUES (?value) { ("Hà Tĩnh") }' in text
    # An eth typed for Đ, as Latin-1 keyboards and fonts give it.
    assert 'VALUES (?value) { ("61/2018/NĐ-CP") }' in bind(ECHO, {"value": "61/2018/N\u00d0-CP"})


def test_bind_names_the_parameter_it_refuses() -> None:
    with pytest.raises(
        ParameterError, match=r"unknown parameter 'yaer' for query plans-citing \(it takes: document, page, year\)"
    ):
        bind(load_query("plans-citing"), {"document": "30c/NQ-CP", "yaer": "2011"})
    with pytest.raises(ParameterError, match=r"unknown parameter 'x' for query most-cited \(it takes: limit\)"):
        bind(load_query("most-cited"), {"x": "1"})
    with pytest.raises(
        ParameterError, match=r"unknown parameter 'x' for query amendment-chains \(it takes: no parameters\)"
    ):
        bind(load_query("amendment-chains"), {"x": "1"})
    with pytest.raises(ParameterError, match="missing required parameter 'document' for query plans-citing"):
        bind(load_query("plans-citing"), {"year": "2013"})
    with pytest.raises(ParameterError, match="missing required parameter 'document'"):
        bind(load_query("plans-citing"), {"document": "  "})
    with pytest.raises(ParameterError, match=r"'value' contains a control character \(U\+0000\)"):
        bind(ECHO, {"value": "a\x00b"})


def test_bind_without_values_leaves_the_text_alone() -> None:
    query = load_query("plan-basis-vs-implements")
    assert bind(query, {}) == bind(query, {"plan": ""}) == query.text


@pytest.mark.parametrize(
    "text",
    [
        # a brace in a comment, a string and an IRI fragment before the WHERE group
        "# {\nPREFIX ex: <http://example.org/x#>\nSELECT ?v (\"{\" AS ?brace) ('''}''' AS ?b) WHERE { }",
        # the keyword's look-alikes: a variable, prefixed names
        "PREFIX where: <http://example.org/>\nSELECT ?v ?where (where:WHERE AS ?w) { }",
        # a graph pattern inside the SELECT clause
        "SELECT ?v (EXISTS { ?s ?p ?o } AS ?e) WHERE { }",
        # lower case, no WHERE keyword, a sub-select inside the group
        "select ?v { { SELECT ?x WHERE { } } }",
    ],
)
def test_values_go_into_the_where_group(store: GraphStore, text: str) -> None:
    query = parse_query("# param: v (required) — a value\n" + text)
    result = run_query(store, query, {"v": "bound"})
    assert result.rows[0][result.variables.index("v")] == ox.Literal("bound")


def test_values_go_into_the_where_group_of_construct() -> None:
    text = bind(parse_query("# param: v (required) — x\nCONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?o }"), {"v": "x"})
    assert text.endswith('CONSTRUCT { ?s ?p ?v } WHERE {\n  VALUES (?v) { ("x") }\n ?s ?p ?o }')
    text = bind(parse_query("# param: v (required) — x\nCONSTRUCT WHERE { ?s ?p ?v }"), {"v": "x"})
    assert text.endswith('CONSTRUCT WHERE {\n  VALUES (?v) { ("x") }\n ?s ?p ?v }')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DESCRIBE <http://example.org/x>", "no WHERE group"),
        ("SELECT * WHERE { SELECT ?s WHERE { ?s ?p ?o } }", "bare sub-SELECT"),
    ],
)
def test_queries_without_a_place_for_values_are_refused(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        bind(parse_query("# param: v (required) — x\n" + text), {"v": "x"})


# -- the shipped queries on the fixture ----------------------------------------------------

FIRST_30C_SENTENCE = (
    "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình tổng thể "
    "cải cách hành chính nhà nước giai đoạn 2011 - 2020;"
)
P2_30C_SENTENCE = "Triển khai Nghị quyết số 30c/NQ-CP của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:"
P3_30C_SENTENCE = "Tổng kết việc tuyên truyền Nghị quyết số 30c/NQ-CP giai đoạn 2011 - 2020."
P1_76_SENTENCE = (
    "Căn cứ Nghị quyết số 76/NQ-CP ngày 13/6/2013 của Chính phủ sửa đổi, bổ sung một số điều của "
    "Nghị quyết số 30c/NQ-CP;"
)
P3_76_SENTENCE = (
    "Căn cứ Nghị quyết số 76/ NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể "
    "cải cách hành chính nhà nước giai đoạn 2021 - 2030;"
)
P1_76 = (P1, P1_TITLE, "Hà Tĩnh", "2020", D76_2013, "2013", CCBC + "basis", P1_76_SENTENCE)
P3_76 = (P3, P3_TITLE, "Hà Nam", "2021", D76_2021, "2021", CCBC + "basis", P3_76_SENTENCE)


def test_plans_citing_one_row_per_plan_with_its_first_mention(store: GraphStore) -> None:
    result = run_query(store, "plans-citing", {"document": "30c/NQ-CP"})
    assert result.variables == [
        "plan",
        "planTitle",
        "province",
        "planYear",
        "cited",
        "citedYear",
        "relation",
        "quote",
    ]
    assert values(result) == [
        (P1, P1_TITLE, "Hà Tĩnh", "2020", D30C, "2011", CCBC + "basis", FIRST_30C_SENTENCE),
        (P2, P2_TITLE, "Hải Dương", "2020", D30C, "2011", CCBC + "implements", P2_30C_SENTENCE),
        (P3, P3_TITLE, "Hà Nam", "2021", D30C, "2011", CCBC + "references", P3_30C_SENTENCE),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"document": "76/NQ-CP"}, [P1_76, P3_76]),
        ({"document": "76/ NQ-CP"}, [P1_76, P3_76]),
        ({"document": " 76 / NQ-CP "}, [P1_76, P3_76]),
        ({"document": "76/NQ-CP", "year": "2013"}, [P1_76]),
        ({"document": "76/NQ-CP", "year": "2021"}, [P3_76]),
        ({"document": "76/NQ-CP", "year": "2020"}, []),
        ({"document": "176/NQ-CP"}, []),
        ({"document": "1216/QĐ-BTTTT", "year": "2021"}, []),  # unresolved: no year to match
    ],
)
def test_plans_citing_matches_the_symbol_and_year(store: GraphStore, params: dict[str, str], expected: list) -> None:
    assert values(run_query(store, "plans-citing", params)) == expected


def test_most_cited(store: GraphStore) -> None:
    result = run_query(store, "most-cited")
    assert result.variables == ["document", "label", "date", "issuer", "plans"]
    assert values(result) == [
        (D30C, "Nghị quyết 30c/NQ-CP", "2011-11-08", "Chính phủ", "3"),
        (D61, "Nghị định 61/2018/NĐ-CP", "2018-04-23", "Chính phủ", "2"),
        (D225, "Quyết định 225/QĐ-TTg", "2016-02-04", "Thủ tướng Chính phủ", "2"),
        (UNNUMBERED, PROGRAMME, None, None, "1"),
        (D76_2013, "Nghị quyết 76/NQ-CP", "2013-06-13", "Chính phủ", "1"),
        (D76_2021, "Nghị quyết 76/NQ-CP", "2021-07-15", "Chính phủ", "1"),
        (D107, "Nghị định 107/2021/NĐ-CP", "2021-12-06", "Chính phủ", "1"),
        (D63, "Nghị định 63/2010/NĐ-CP", "2010-06-08", "Chính phủ", "1"),
        (D1216, "Quyết định 1216/QĐ-BTTTT", None, "Bộ Thông tin và Truyền thông", "1"),
    ]


def test_most_cited_leaves_a_tie_past_the_last_place_out_whole(store: GraphStore) -> None:
    everything = values(run_query(store, "most-cited", {"limit": "all"}))
    assert [row[4] for row in everything] == ["3", "2", "2", "1", "1", "1", "1", "1", "1"]
    assert values(run_query(store, "most-cited")) == everything  # 100 places by default: all nine here
    assert values(run_query(store, "most-cited", {"limit": "9"})) == everything  # exactly as many as places
    # Places 4 to 9 are a tie of six documents at one plan each: no place from the fourth
    # to the eighth takes some of them, and the ninth takes them all.
    for places in ("3", "4", "8"):
        assert values(run_query(store, "most-cited", {"limit": places})) == everything[:3]
    # Places 2 and 3 are a tie: one place gives the first document alone.
    assert values(run_query(store, "most-cited", {"limit": "2"})) == everything[:1]
    assert values(run_query(store, "most-cited", {"limit": "1"})) == everything[:1]


def test_most_cited_shows_the_first_place_whole_however_wide() -> None:
    """Three documents each cited by two plans, one by a single plan: with one place or
    two, the three tied at the first place are all shown, never a pick among them."""
    citing = {"p1": "abc", "p2": "abcd", "p3": ""}
    triples = [
        ox.Triple(ox.NamedNode(B + plan), ox.NamedNode(ELI + "cites"), ox.NamedNode(B + f"doc/{document}"))
        for plan, documents in citing.items()
        for document in documents
    ]
    with GraphStore() as s:
        s.bulk_load({B + "graph/entities": triples})
        counts = {
            limit: [(row[0], row[4]) for row in values(run_query(s, "most-cited", {"limit": limit}))]
            for limit in ("1", "2", "3", "all")
        }
    first_place = [(B + f"doc/{document}", "2") for document in "abc"]
    assert counts["1"] == counts["2"] == counts["3"] == first_place
    assert counts["all"] == [*first_place, (B + "doc/d", "1")]


def test_most_cited_gives_one_row_per_document_whatever_dates_plans_give_it(tmp_path: Path) -> None:
    """Two plans date one earlier plan a day apart (as a misread day does): one row, the
    earlier date, counted for both plans."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for name, day in (("a", "05"), ("b", "06")):
        (folder / f"{name}.txt").write_text(
            f"ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH HÀ TĨNH\tĐộc lập - Tự do - Hạnh phúc\n"
            f"Số: 3{day}/KH-UBND\tHà Tĩnh, ngày 10 tháng 3 năm 2021\n\nKẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
            f"Thực hiện Kế hoạch số 12/KH-UBND ngày {day}/01/2020 của UBND tỉnh Hà Tĩnh.\n",
            encoding="utf-8",
        )
    with GraphStore() as s:
        assert build(folder, s).ok
        rows = values(run_query(s, "most-cited"))
    assert [(row[1], row[2], row[4]) for row in rows] == [("Kế hoạch 12/KH-UBND", "2020-01-05", "2")]


LIMITED = parse_query(
    "# param: limit (optional) — rows\n# param: value (optional) — v\n"
    'SELECT ?value WHERE { { SELECT ?value WHERE { VALUES ?value { "a" "b" } } LIMIT 10 } }  # LIMIT 3 in a comment\n'
)


def test_the_limit_parameter_sets_the_one_limit_clause_one_past_the_places() -> None:
    assert bind(LIMITED, {}) == LIMITED.text
    assert "} } LIMIT 3 } }" in bind(LIMITED, {"limit": " 2 "})  # one row past the last place
    assert "} }  } }  # LIMIT 3" in bind(LIMITED, {"limit": "ALL"})
    both = bind(LIMITED, {"limit": "1", "value": "b"})
    assert 'VALUES (?value) { ("b") }' in both and "LIMIT 2 }" in both


PAGED = parse_query(
    "# param: page (optional) — which page\n# param: above (optional) — a lower bound\n"
    "SELECT ?value WHERE {\n"
    '  { SELECT ?value WHERE { VALUES ?value { "1" "2" "3" } FILTER(!BOUND(?above) || ?value > ?above) } LIMIT 2 }\n'
    "}\n"
    "ORDER BY ?value  # LIMIT 9 in a comment\n",
    name="paged",
)


def test_the_page_parameter_cuts_the_page_after_the_listings_own_filters() -> None:
    assert page_size(PAGED) == 2 and page_size(LIMITED) is None
    assert bind(PAGED, {}) == PAGED.text
    assert "} LIMIT 2 }" in bind(PAGED, {"page": " 1 "})
    assert "} LIMIT 2 OFFSET 4 }" in bind(PAGED, {"page": "3"})
    assert "}  }" in bind(PAGED, {"page": "ALL"}) and "LIMIT 9 in a comment" in bind(PAGED, {"page": "all"})
    # A parameter is bound in the group the page's LIMIT follows, before the page is cut.
    bound = bind(PAGED, {"above": "x", "page": "2"})
    assert bound.index('VALUES (?above) { ("x") }') > bound.index("{ SELECT ?value WHERE {")


@pytest.mark.parametrize(("param", "query"), [("limit", LIMITED), ("page", PAGED)])
def test_limit_and_page_take_a_whole_number_or_all_and_need_one_limit_clause(param: str, query: NamedQuery) -> None:
    for bad in ("0", "-1", "2.5", "ten", "1 OFFSET 5"):
        with pytest.raises(ParameterError, match=f"parameter '{param}' must be a whole number from 1, or 'all'; got"):
            bind(query, {param: bad})
    without = parse_query(f"# param: {param} (optional) — p\nSELECT ?s WHERE {{ ?s ?p ?o }}", name="u")
    with pytest.raises(ParameterError, match=f"query u declares parameter '{param}' but has 0 LIMIT clauses, not one"):
        bind(without, {param: "2"})


def test_pages_of_a_listing_run_on_the_store_and_say_when_more_may_follow() -> None:
    with GraphStore() as s:
        pages = [[row[0].value for row in run_query(s, PAGED, {"page": page}).rows] for page in ("1", "2", "3")]
        assert sorted(pages[0] + pages[1]) == ["1", "2", "3"] and pages[2] == []
        assert [row[0].value for row in run_query(s, PAGED, {"page": "all"}).rows] == ["1", "2", "3"]
        # Filtered before the cut: the first page holds two rows that pass.
        assert [row[0].value for row in run_query(s, PAGED, {"above": "1"}).rows] == ["2", "3"]
    assert page_note(PAGED, {}, 2) == (
        "page 1 of paged is full (2 rows): more may follow on page=2; page=all gives the whole answer, sorted"
    )
    assert "on page=4;" in page_note(PAGED, {"page": "3"}, 2)
    assert page_note(PAGED, {}, 1) is None
    assert page_note(PAGED, {"page": "all"}, 3) is None
    assert page_note(LIMITED, {}, 10) is None


def test_citations_by_province_and_year(store: GraphStore) -> None:
    result = run_query(store, "citations-by-province-year")
    assert result.variables == [
        "province",
        "provinceCode",
        "province2025",
        "planYear",
        "plans",
        "citations",
        "documents",
    ]
    assert values(result) == [
        ("Hà Nam", "35", "Ninh Bình", "2021", "1", "4", "4"),
        ("Hà Tĩnh", "42", "Hà Tĩnh", "2020", "1", "4", "4"),
        ("Hải Dương", "30", "Hải Phòng", "2020", "1", "5", "5"),
    ]


def _split_lists(rows: list[Row], column: int) -> list[Row]:
    """GROUP_CONCAT has no order: compare that column as a set."""
    return [(*row[:column], frozenset((row[column] or "").split(" | ")), *row[column + 1 :]) for row in rows]


PLAN_RELATIONS = {
    P2: [
        (P2, "259/KH-UBND", CCBC + "basis", "2", {"Quyết định 225/QĐ-TTg (2016)", "Nghị định 61/2018/NĐ-CP"}),
        (P2, "259/KH-UBND", CCBC + "implements", "1", {"Nghị quyết 30c/NQ-CP (2011)"}),
        (P2, "259/KH-UBND", CCBC + "references", "2", {"Nghị định 63/2010/NĐ-CP", "Quyết định 1216/QĐ-BTTTT"}),
    ],
    P1: [
        (P1, "444/KH-UBND", CCBC + "basis", "2", {"Nghị quyết 30c/NQ-CP (2011)", "Nghị quyết 76/NQ-CP (2013)"}),
        (P1, "444/KH-UBND", CCBC + "implements", "1", {"Quyết định 225/QĐ-TTg (2016)"}),
        (P1, "444/KH-UBND", CCBC + "references", "1", {"Nghị định 61/2018/NĐ-CP"}),
    ],
    P3: [
        (P3, P3_TITLE, CCBC + "basis", "1", {"Nghị quyết 76/NQ-CP (2021)"}),
        (P3, P3_TITLE, CCBC + "implements", "1", {"Nghị định 107/2021/NĐ-CP"}),
        (P3, P3_TITLE, CCBC + "references", "2", {"Nghị quyết 30c/NQ-CP (2011)", PROGRAMME}),
    ],
}


@pytest.mark.parametrize(
    ("params", "plans"),
    [
        ({}, [P2, P1, P3]),  # by label: symbols, then titles
        ({"plan": "444/KH-UBND"}, [P1]),
        ({"plan": "444 /KH-UBND"}, [P1]),
        ({"plan": P3}, [P3]),
        ({"plan": "GIAI ĐOẠN 2021"}, [P3]),  # words of the title, any case; not the cited 76/NQ-CP's title
        ({"plan": "tuyên truyền"}, [P2, P1, P3]),
        ({"plan": "Kiên Giang"}, []),
    ],
)
def test_plan_basis_vs_implements(store: GraphStore, params: dict[str, str], plans: list[str]) -> None:
    result = run_query(store, "plan-basis-vs-implements", params)
    assert result.variables == ["planIri", "planLabel", "relation", "count", "documents"]
    expected = [(*row[:4], frozenset(row[4])) for plan in plans for row in PLAN_RELATIONS[plan]]
    assert _split_lists(values(result), 4) == expected


def test_amendment_chains(store: GraphStore) -> None:
    result = run_query(store, "amendment-chains")
    assert result.variables == [
        "chainStart",
        "chainEnd",
        "length",
        "step",
        "amending",
        "amendingName",
        "amended",
        "amendedName",
        "plans",
        "statedBy",
    ]
    n107, n61, n63 = "Nghị định 107/2021/NĐ-CP", "Nghị định 61/2018/NĐ-CP", "Nghị định 63/2010/NĐ-CP"
    assert values(result) == [
        (D107, D63, "2", "1", D107, n107, D61, n61, "1", P3_TITLE),
        (D107, D63, "2", "2", D61, n61, D63, n63, "1", "259/KH-UBND"),
        (
            D76_2013,
            D30C,
            "1",
            "1",
            D76_2013,
            "Nghị quyết 76/NQ-CP (2013)",
            D30C,
            "Nghị quyết 30c/NQ-CP (2011)",
            "1",
            "444/KH-UBND",
        ),
    ]


def test_amendment_chains_name_at_most_ten_stating_plans(tmp_path: Path) -> None:
    """Past ten plans a link's cell gives the count, not every name."""
    folder = tmp_path / "plans"
    folder.mkdir()
    stating = (
        "KẾ HOẠCH\nCải cách hành chính năm 2022 ({})\n\n"
        "Thực hiện Nghị định số 107/2021/NĐ-CP sửa đổi Nghị định số 61/2018/NĐ-CP.\n"
    )
    for count in (10, 11):
        for n in range(count):
            (folder / f"{n:02}.txt").write_text(stating.format(f"{n:02}"), encoding="utf-8")
        with GraphStore() as s:
            assert build(folder, s).ok
            [row] = values(run_query(s, "amendment-chains"))
            [theirs] = rdflib_rows(nquads(s), "amendment-chains", {})  # the same, names in any order
            assert (theirs[:9], sorted(theirs[9].split(" | "))) == (row[:9], sorted(row[9].split(" | ")))
            assert row[8] == str(count)
            titles = [f"Cải cách hành chính năm 2022 ({n:02})" for n in range(count)]
            if count <= 10:
                assert sorted(row[9].split(" | ")) == titles
            else:
                assert row[9] == f"… ({count} plans)"


def test_two_hop_citations(store: GraphStore) -> None:
    result = run_query(store, "two-hop-citations")
    assert result.variables == ["plan", "planLabel", "via", "viaName", "relation", "target", "targetName"]
    # P2 also reaches 63/2010 through 61/2018 and P1 reaches 30c through 76/2013, but
    # both cite those documents themselves.
    assert values(result) == [
        (P1, "444/KH-UBND", D61, "Nghị định 61/2018/NĐ-CP", ELI + "amends", D63, "Nghị định 63/2010/NĐ-CP"),
        (P3, P3_TITLE, D107, "Nghị định 107/2021/NĐ-CP", ELI + "amends", D61, "Nghị định 61/2018/NĐ-CP"),
    ]


def test_no_shipped_query_repeats_a_row(store: GraphStore) -> None:
    """Three plans cite 30c/NQ-CP, 225/QĐ-TTg and 61/2018/NĐ-CP and describe each of them in
    their own graphs; a query reads a shared fact once (in the merged graph), so none of
    those descriptions multiplies a row."""
    for query in list_queries():
        params = {p.name: REQUIRED[p.name] for p in query.params if p.required}
        result = run_query(store, query, params)
        assert len(set(result.rows)) == len(result.rows), query.name


def test_shared_facts_count_once_however_many_plans_describe_them() -> None:
    """A fourth plan graph describing the same documents and bodies (as another plan would)
    changes no count: the merged graph holds each of their facts once. (Not P1 itself: a
    second file giving one plan counts on its own in the tallies, as the README says.)"""
    graphs = fixture_graphs()
    p1_graph = next(g for g, quads in graphs.items() if any(q.subject.value == P1 for q in quads))
    extra = B + "graph/describes-the-same-txt"
    shared = sorted((t for t in entity_triples(graphs[p1_graph]) if not t.subject.value.startswith(P1)), key=str)
    graphs[extra] = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(extra)) for t in shared]
    with GraphStore() as s:
        s.bulk_load(with_merged_graph(graphs))
        assert values(run_query(s, "most-cited"))[0] == (D30C, "Nghị quyết 30c/NQ-CP", "2011-11-08", "Chính phủ", "3")
        assert [row[4:] for row in values(run_query(s, "citations-by-province-year"))] == [
            ("1", "4", "4"),
            ("1", "4", "4"),
            ("1", "5", "5"),
        ]
        assert [row[0] for row in values(run_query(s, "plans-citing", {"document": "30c/NQ-CP"}))] == [P1, P2, P3]


# -- the graphs' namespace follows the base URI --------------------------------------------

GRAPH_PREFIX = f"PREFIX ccbcgraph: <{DEFAULT_BASE_URI}graph/>"


def test_shipped_queries_name_the_merged_graph_by_the_default_prefix() -> None:
    for query in list_queries():
        assert GRAPH_PREFIX in query.text, query.name
    # Under the default base the text is left alone.
    assert bind(load_query("most-cited")) == load_query("most-cited").text
    assert display_term(ox.NamedNode(f"{DEFAULT_BASE_URI}graph/entities")) == "ccbcgraph:entities"


def test_the_graph_prefix_follows_the_configured_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCBC_BASE_URI", "http://example.org/kg")
    text = bind(load_query("plans-citing"), {"document": "30c/NQ-CP"})
    assert "PREFIX ccbcgraph: <http://example.org/kg/graph/>" in text
    assert f"{DEFAULT_BASE_URI}graph/" not in text
    assert 'VALUES (?document) { ("30c/NQ-CP") }' in text
    # Any prefix name and case; an IRI written in full elsewhere is the query's own business.
    own = parse_query(
        f"prefix g: <{DEFAULT_BASE_URI}graph/>\n"
        f"SELECT * WHERE {{ GRAPH <{DEFAULT_BASE_URI}graph/entities> {{ ?s ?p ?o }} GRAPH g:reference {{ ?a ?b ?c }} }}"
    )
    rewritten = bind(own)
    assert rewritten.startswith("prefix g: <http://example.org/kg/graph/>\n")
    assert f"GRAPH <{DEFAULT_BASE_URI}graph/entities>" in rewritten


def test_queries_find_the_merged_graph_of_a_store_built_under_another_base(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    base = "http://example.org/kg/"
    monkeypatch.setenv("CCBC_BASE_URI", base)
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ha-tinh.txt").write_bytes((PLANS / "ha-tinh-2020-tuyen-truyen-cchc.txt").read_bytes())
    with GraphStore() as s:
        assert build(folder, s).ok
        assert base + "graph/entities" in s.graph_names()
        rows = values(run_query(s, "plans-citing", {"document": "30c/NQ-CP"}))
        assert [(row[0], row[4]) for row in rows] == [
            (base + "eli/vn/ubnd-ha-tinh/2019/kh/444", base + "eli/vn/cp/2011/nq/30c")
        ]
        cited = values(run_query(s, "most-cited"))
        assert cited and all(row[0].startswith(base) and row[4] == "1" for row in cited)


RUNS = [
    ("plans-citing", {"document": "30c/NQ-CP"}, None),
    ("plans-citing", {"document": "76/ NQ-CP", "year": "2021"}, None),
    ("most-cited", {}, None),
    ("citations-by-province-year", {}, None),
    ("plan-basis-vs-implements", {}, 4),
    ("plan-basis-vs-implements", {"plan": "giai đoạn"}, 4),
    ("amendment-chains", {}, 9),
    ("two-hop-citations", {}, None),
]


@pytest.mark.parametrize(("name", "params", "concatenated"), RUNS)
def test_queries_are_portable_sparql(
    store: GraphStore, fixture_nquads: bytes, name: str, params: dict, concatenated: int | None
) -> None:
    """rdflib, a second SPARQL 1.1 engine, gives the same rows for the same bound text."""
    theirs = rdflib_rows(fixture_nquads, name, params)
    ours = values(run_query(store, name, params))
    if concatenated is not None:
        ours, theirs = _split_lists(ours, concatenated), _split_lists(theirs, concatenated)
    assert ours  # every run above has rows
    assert sorted(ours, key=repr) == sorted(theirs, key=repr)


def test_queries_sort_plans_without_a_number_or_province_on_every_engine(tmp_path: Path) -> None:
    """A sort key left unbound (a plan with no number, no province) is no error in either
    engine: rdflib cannot compare two of them and gives up on the whole query."""
    folder = tmp_path / "plans"
    folder.mkdir()
    unnumbered = "KẾ HOẠCH\nCải cách hành chính tỉnh Hà Tĩnh năm 2021 ({})\n\nThực hiện Nghị quyết số 30c/NQ-CP.\n"
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(unnumbered.format(name), encoding="utf-8")
    for name in ("c", "d"):
        (folder / f"{name}.txt").write_text(
            f"KẾ HOẠCH\nCải cách hành chính năm 2021 ({name})\n\nThực hiện Nghị quyết số 30c/NQ-CP.\n", encoding="utf-8"
        )
    with GraphStore() as s:
        assert build(folder, s).ok
        data = nquads(s)
        for name, params, plans in (
            ("plans-by-province", {"province": "Hà Tĩnh"}, 2),
            ("plans-citing", {"document": "30c/NQ-CP"}, 4),
        ):
            ours = values(run_query(s, name, params))
            assert len(ours) == plans
            assert ours == rdflib_rows(data, name, params)


# -- a remote SPARQL endpoint ----------------------------------------------------------------


class _Endpoint(BaseHTTPRequestHandler):
    """The SPARQL 1.1 protocol's POST form, over the fixture, union default graph."""

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        try:
            results = self.server.dataset.query(form["query"][0], use_default_graph_as_union=True)  # type: ignore[attr-defined]
            body, status = results.serialize(format=ox.QueryResultsFormat.JSON), 200
        except SyntaxError as err:
            body, status = str(err).encode(), 400
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for an access log."""


@pytest.fixture(scope="module")
def endpoint(fixture_nquads: bytes) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    server.dataset = ox.Store()  # type: ignore[attr-defined]
    server.dataset.load(fixture_nquads, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("name", "params", "concatenated"), RUNS)
def test_a_remote_endpoint_gives_the_same_rows(
    store: GraphStore, endpoint: str, name: str, params: dict, concatenated: int | None
) -> None:
    theirs, ours = run_query(endpoint, name, params), run_query(store, name, params)
    assert theirs.variables == ours.variables
    if concatenated is None:
        assert theirs.rows == ours.rows
    else:  # GROUP_CONCAT has no order
        assert _split_lists(values(theirs), concatenated) == _split_lists(values(ours), concatenated)


def test_remote_errors_are_query_errors(endpoint: str) -> None:
    with pytest.raises(QueryError, match="not a SPARQL endpoint URL"):
        run_query("localhost:7878", "most-cited")
    with pytest.raises(QueryError, match="only SELECT queries"):
        run_query(endpoint, parse_query("ASK { ?s ?p ?o }"))
    with pytest.raises(QueryError, match=endpoint):
        run_query(endpoint, parse_query("SELECT * WHERE { ?s ?p }"))


# -- output --------------------------------------------------------------------------------

SAMPLE = QueryResult(
    ["doc", "label", "n", "note"],
    [
        (ox.NamedNode(D30C), ox.Literal("Nghị quyết 30c/NQ-CP", language="vi"), ox.Literal(3), None),
        (ox.BlankNode("b1"), ox.Literal('say "hi", [bold]no markup[/bold]'), None, ox.Literal("x")),
    ],
)


def test_format_csv_follows_the_sparql_csv_format() -> None:
    assert format_csv(*SAMPLE) == (
        f'doc,label,n,note\r\n{D30C},Nghị quyết 30c/NQ-CP,3,\r\n_:b1,"say ""hi"", [bold]no markup[/bold]",,x\r\n'
    )


def test_format_json_round_trips_through_a_sparql_json_parser() -> None:
    text = format_json(*SAMPLE)
    document = json.loads(text)
    assert document["head"] == {"vars": ["doc", "label", "n", "note"]}
    assert document["results"]["bindings"][0]["label"] == {
        "type": "literal",
        "value": "Nghị quyết 30c/NQ-CP",
        "xml:lang": "vi",
    }
    parsed = ox.parse_query_results(text, ox.QueryResultsFormat.JSON)
    rows = [tuple(solution[v] for v in SAMPLE.variables) for solution in parsed]
    assert [v.value for v in parsed.variables] == SAMPLE.variables
    assert rows[0] == SAMPLE.rows[0]
    assert rows[1][1:] == SAMPLE.rows[1][1:] and isinstance(rows[1][0], ox.BlankNode)


def test_format_table_shortens_iris_and_shows_text_as_text(store: GraphStore) -> None:
    console = Console(record=True, width=300)
    console.print(format_table(*SAMPLE, title="Sample"))
    console.print(format_table(*run_query(store, "two-hop-citations")))
    screen = console.export_text()
    assert "Sample" in screen
    assert "<eli/vn/cp/2011/nq/30c>" in screen and "eli:amends" in screen
    assert "[bold]no markup[/bold]" in screen
    assert B not in screen


def test_the_named_query_api_accepts_objects_too(store: GraphStore) -> None:
    query = load_query("most-cited")
    assert isinstance(query, NamedQuery)
    variables, rows = run_query(store, query)
    assert variables[0] == "document" and len(rows) == 9
