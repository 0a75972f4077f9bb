"""Named SPARQL queries (``queries/*.rq``): their headers, parameters, running and output.

Each query file opens with a comment header that says what it answers and which
parameters it takes::

    # title: Plans citing a document
    # description: Every plan that cites the given document …
    #   (a description may go on over several indented lines)
    # param: document (required) — the document's symbol, e.g. 30c/NQ-CP
    # param: year (optional) — its issue year

A parameter ``NAME`` is the variable ``?NAME`` of the query. :func:`bind` gives it its
value as a string literal in a ``VALUES`` block placed first in the query's WHERE group,
so the query's FILTERs see it; an optional parameter that is not given stays unbound
(queries test it with ``!BOUND(?NAME) || …``). The text stays standard SPARQL 1.1: the
same bound query runs on the embedded store and on any remote endpoint. Values are
escaped, never pasted into the query as syntax.

One name is no variable: ``limit``, declared by a ranking that answers its first places
only (the 100 most cited documents), sets the query's one LIMIT clause. A ranking reads
one row past its last place, to see whether a tie runs on past it, so the clause holds
the number of places plus one: ``limit=20`` makes it ``LIMIT 21``, ``all`` removes it;
left out, the text's own number holds. A ranking can then join names and dates onto its
first rows alone, which at 10,000 plans is what keeps it fast.

Another is ``page``, declared by a listing that answers a page of rows at a time. Its one
LIMIT clause, in the sub-select that picks the page's rows, holds the page's size: page
``k`` adds ``OFFSET`` (k - 1) × size to it, ``all`` removes it. Pages follow the store's
order and each is sorted by the query's ORDER BY; the whole answer, sorted as a whole,
is ``page=all``. At 10,000 plans a listing runs to tens of thousands of rows, and a page
is what comes back at once: the rows of a page are picked before their names and texts
are read, so the store reads those for the page's rows only. :func:`page_note` says when
a page may not be the last.

The shipped queries name the store's own graphs (the merged graph of shared entities,
the reference graph) through ``PREFIX ccbcgraph: <https://w3id.org/ccbc-graph/graph/>``,
the default base URI's graph namespace. A store built under another base
(``CCBC_BASE_URI``) names its graphs under that base, so :func:`bind` rewrites such a
declaration to ``<{base}graph/>``; nothing else in the text changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, QuerySolutions, parse_query_results
from rich.table import Table
from rich.text import Text

from ccbc_graph.shipped import shipped
from ccbc_graph.sparql_text import QUERY_FORMS, TOKEN, json_term, query_form
from ccbc_graph.store import GraphStore, QueryError, QueryResult, Term
from ccbc_graph.textnorm import vietnamese_nfc
from ccbc_graph.uris import DEFAULT_BASE_URI, PREFIXES, base_uri

QUERIES_DIR = shipped("queries")

_HEADER_FIELD = re.compile(r"^#\s?(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>required|optional)\)\s*(?:[—–]|--?)?\s*(?P<description>.*)$"
)

# A PREFIX declaration of the default base's graph namespace (any prefix name, any case).
_GRAPH_PREFIX = re.compile(
    r"^(\s*PREFIX\s+[A-Za-z][\w.-]*:\s*)<" + re.escape(f"{DEFAULT_BASE_URI}graph/") + ">",
    re.IGNORECASE | re.MULTILINE,
)

# The parameter that sets the number of the query's LIMIT clause (see the module's docstring).
LIMIT_PARAM = "limit"
# The parameter that picks the page of a listing (see the module's docstring).
PAGE_PARAM = "page"
_LIMIT_VALUE = re.compile(r"[1-9][0-9]{0,8}|all", re.IGNORECASE)
_LIMIT_NUMBER = re.compile(r"\s+[0-9]+")

# ECHAR escapes of SPARQL string literals; other control characters are refused.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


# Widest a table cell gets before it is cut with an ellipsis.
TABLE_CELL_WIDTH = 40


class QueryNotFoundError(LookupError):
    """No query file by that name or path."""


class ParameterError(ValueError):
    """A parameter is unknown to the query, missing, or cannot be bound."""


@dataclass(frozen=True)
class QueryParam:
    """One parameter a query declares in its header."""

    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with what its header says about it."""

    name: str
    text: str
    title: str
    description: str
    params: tuple[QueryParam, ...] = ()
    path: Path | None = None


def parse_query(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read the header of a query's text (a query without one has no title and no parameters)."""
    fields: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER_FIELD.match(line)
        if match:
            fields.append([match[1], match[2].strip()])
        elif fields and line.lstrip("#").strip():
            fields[-1][1] = f"{fields[-1][1]} {line.lstrip('#').strip()}".strip()
    title, description, params = name, "", []
    for key, value in fields:
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            params.append(_parse_param(value, name))
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ParameterError(f"query {name} declares parameter {duplicates[0]!r} twice")
    return NamedQuery(name, text, title, description, tuple(params), path)


def _parse_param(value: str, query_name: str) -> QueryParam:
    match = _PARAM.match(value)
    if not match:
        raise ParameterError(
            f"query {query_name}: cannot read '# param: {value}'; "
            "expected '# param: NAME (required|optional) — meaning'"
        )
    return QueryParam(match["name"], match["kind"] == "required", match["description"].strip())


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The shipped queries, by name."""
    return [_read_file(path) for path in sorted(directory.glob("*.rq"))]


def load_query(name_or_path: str | Path, directory: Path = QUERIES_DIR) -> NamedQuery:
    """A query by name (``most-cited``), by file path, or ``-`` for the text on standard input."""
    if str(name_or_path) == "-":
        return parse_query(sys.stdin.read(), name="stdin")
    path = Path(name_or_path)
    if path.is_file():
        return _read_file(path)
    candidate = directory / f"{path.name.removesuffix('.rq')}.rq"
    if path.name == str(name_or_path) and candidate.is_file():
        return _read_file(candidate)
    available = ", ".join(q.name for q in list_queries(directory)) or "none"
    raise QueryNotFoundError(f"no query {str(name_or_path)!r}: not a file, and not one of: {available}")


def _read_file(path: Path) -> NamedQuery:
    return parse_query(path.read_text(encoding="utf-8"), name=path.stem, path=path)


def bind(query: NamedQuery | str, params: Mapping[str, str] | None = None) -> str:
    """The query's text with its parameters bound; raises :class:`ParameterError` naming the parameter.

    Values are Unicode-normalised (NFC, Đ for its look-alikes, as the graph's text is)
    and stripped; an empty optional value counts as not given. The graph namespace
    follows the base URI (:func:`graphs_under_base`).
    """
    named = query if isinstance(query, NamedQuery) else parse_query(query)
    given = dict(params or {})
    declared = {p.name for p in named.params}
    unknown = sorted(set(given) - declared)
    if unknown:
        takes = ", ".join(sorted(declared)) if declared else "no parameters"
        raise ParameterError(f"unknown parameter {unknown[0]!r} for query {named.name} (it takes: {takes})")
    values: dict[str, str] = {}
    for param in named.params:
        value = vietnamese_nfc(str(given.get(param.name) or "")).strip()
        if value:
            values[param.name] = value
        elif param.required:
            raise ParameterError(
                f"missing required parameter {param.name!r} for query {named.name}: {param.description}"
            )
    text = graphs_under_base(named.text)
    if LIMIT_PARAM in declared:
        text = _with_limit(text, values.pop(LIMIT_PARAM, None), named.name)
    page_group = None
    if PAGE_PARAM in declared:
        # A listing's parameters choose its rows before the page is cut: they are bound
        # in the group the page's LIMIT follows, which comes before the clause.
        clause = _limit_clause(text, named.name, PAGE_PARAM)
        page_group = _group_closed_before(text, clause[0], named.name)
        text = _with_page(text, clause, values.pop(PAGE_PARAM, None))
    if not values:
        return text
    at = _where_group_start(text, named.name) if page_group is None else page_group
    names = " ".join(f"?{name}" for name in values)
    literals = " ".join(_string_literal(name, value) for name, value in values.items())
    return f"{text[:at]}\n  VALUES ({names}) {{ ({literals}) }}\n{text[at:]}"


def graphs_under_base(text: str) -> str:
    """``text`` with ``PREFIX x: <https://w3id.org/ccbc-graph/graph/>`` following the configured base URI.

    Unchanged under the default base, or when the query declares no such prefix.
    """
    base = base_uri()
    if base == DEFAULT_BASE_URI:
        return text
    return _GRAPH_PREFIX.sub(lambda match: f"{match[1]}<{base}graph/>", text)


def _string_literal(name: str, value: str) -> str:
    """``value`` as a SPARQL string literal: quotes and backslashes escaped, nothing left to parse."""
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in _ESCAPES), None)
    if bad is not None:
        raise ParameterError(f"parameter {name!r} contains a control character (U+{ord(bad):04X})")
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'


def _with_limit(text: str, value: str | None, name: str) -> str:
    """``text`` with its one LIMIT clause set to ``value`` places (a whole number; ``all`` drops it).

    The clause gets one more than the places: the row past the last place (see the module's docstring).
    """
    start, end, _ = _limit_clause(text, name, LIMIT_PARAM)
    if value is None:
        return text
    _check_whole_number_or_all(LIMIT_PARAM, value)
    clause = "" if value.lower() == "all" else f"LIMIT {int(value) + 1}"
    return f"{text[:start]}{clause}{text[end:]}"


def _with_page(text: str, clause: tuple[int, int, int], value: str | None) -> str:
    """``text`` answering page ``value`` (a whole number from 1; ``all`` drops the LIMIT
    ``clause``: its start, end and page size)."""
    start, end, size = clause
    if value is None:
        return text
    _check_whole_number_or_all(PAGE_PARAM, value)
    if value.lower() == "all":
        clause = ""
    elif int(value) == 1:
        clause = f"LIMIT {size}"
    else:
        clause = f"LIMIT {size} OFFSET {(int(value) - 1) * size}"
    return f"{text[:start]}{clause}{text[end:]}"


def _check_whole_number_or_all(param: str, value: str) -> None:
    """A :class:`ParameterError` unless ``value`` of ``param`` (limit, page) is a whole number from 1 or 'all'."""
    if not _LIMIT_VALUE.fullmatch(value):
        raise ParameterError(f"parameter {param!r} must be a whole number from 1, or 'all'; got {value!r}")


def _limit_clause(text: str, name: str, param: str) -> tuple[int, int, int]:
    """Where the query's one LIMIT clause starts and ends, and its number; a
    :class:`ParameterError` when ``param`` needs one and the text has none or several."""
    clauses = [
        (token.start(), number.end(), int(number.group()))
        for token in TOKEN.finditer(text)
        if token.lastgroup == "word"
        and token.group().upper() == "LIMIT"
        and (number := _LIMIT_NUMBER.match(text, token.end()))
    ]
    if len(clauses) != 1:
        raise ParameterError(f"query {name} declares parameter {param!r} but has {len(clauses)} LIMIT clauses, not one")
    return clauses[0]


def _group_closed_before(text: str, offset: int, name: str) -> int:
    """Offset just inside the ``{`` of the group that the last ``}`` before ``offset`` closes."""
    opened: list[int] = []
    closed = None
    for token in TOKEN.finditer(text, 0, offset):
        if token.group() == "{":
            opened.append(token.end())
        elif token.group() == "}" and opened:
            closed = opened.pop()
    if closed is None:
        raise ParameterError(f"query {name}: no group before its LIMIT clause to bind parameters into")
    return closed


def page_size(query: NamedQuery) -> int | None:
    """The number of rows in a page of a listing; None for a query that is no listing."""
    if all(p.name != PAGE_PARAM for p in query.params):
        return None
    return _limit_clause(query.text, query.name, PAGE_PARAM)[2]


def page_note(query: NamedQuery, params: Mapping[str, str], rows: int) -> str | None:
    """What to tell a reader of a listing's page that is full, so that more rows may follow; else None."""
    size = page_size(query)
    page = str(params.get(PAGE_PARAM) or "1").strip()
    if size is None or page.lower() == "all" or rows < size:
        return None
    return (
        f"page {page} of {query.name} is full ({rows} rows): more may follow on page={int(page) + 1}; "
        "page=all gives the whole answer, sorted"
    )


def _where_group_start(text: str, name: str) -> int:
    """Offset just inside the ``{`` that opens the query's WHERE group.

    That is the first ``{`` outside brackets, comments, strings and IRIs, except in a
    CONSTRUCT query, whose first one opens the template: there it is the first after WHERE.
    """
    depth, parens, form, after_where, found = 0, 0, None, False, None
    for token in TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        if found is not None:
            if value.isspace() or value.startswith("#"):
                continue
            if kind == "word" and value.upper() == "SELECT":
                raise ParameterError(
                    f"query {name}: its WHERE group is a bare sub-SELECT; wrap it in {{ }} to take parameters"
                )
            return found
        if kind == "word" and depth == 0 and parens == 0:
            if value.upper() in QUERY_FORMS and form is None:
                form = value.upper()
            elif value.upper() == "WHERE":
                after_where = True
        elif kind in ("open", "close"):
            if value == "{" and depth == 0 and parens == 0 and (form != "CONSTRUCT" or after_where):
                found = token.end()
            depth += {"{": 1, "}": -1}.get(value, 0)
            parens += {"(": 1, ")": -1}.get(value, 0)
    if found is None:
        raise ParameterError(f"query {name}: no WHERE group to bind parameters into")
    return found


def run_query(
    target: GraphStore | str,
    query: NamedQuery | str,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float = 120.0,
) -> QueryResult:
    """Run a named query (or a path, or ``-``) on the embedded store or a SPARQL endpoint URL.

    A remote endpoint must expose the union of the plan graphs as its default graph
    (``oxigraph serve --union-default-graph``; Virtuoso does by default).
    """
    named = query if isinstance(query, NamedQuery) else load_query(query)
    text = bind(named, params)
    if isinstance(target, GraphStore):
        return target.query(text)
    return _remote_select(target, text, timeout)


def _remote_select(endpoint: str, text: str, timeout: float) -> QueryResult:
    """SELECT over the SPARQL 1.1 protocol; the JSON results are read by pyoxigraph's parser."""
    # Here: every command imports this module, and SPARQLWrapper takes 40 ms to import.
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if not endpoint.startswith(("http://", "https://")):
        raise QueryError(f"{endpoint!r} is not a SPARQL endpoint URL (http:// or https://)")
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    if query_form(text) != "SELECT":
        raise QueryError("only SELECT queries give rows; this is an ASK, CONSTRUCT or DESCRIBE query")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    try:
        payload = client.query().response.read()
        solutions = parse_query_results(payload, QueryResultsFormat.JSON)
    except (SPARQLWrapperException, OSError, SyntaxError) as err:
        raise QueryError(f"{endpoint}: {err}") from err
    if not isinstance(solutions, QuerySolutions):
        raise QueryError(f"{endpoint} answered a SELECT query with a boolean")
    variables = [v.value for v in solutions.variables]
    return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in solutions])


# -- output -------------------------------------------------------------------------------


def format_table(
    variables: Sequence[str],
    rows: Sequence[Sequence[Term | None]],
    *,
    title: str | None = None,
    width: int | None = None,
) -> Table:
    """A rich table of query results: IRIs shortened with the usual prefixes, literals as text."""
    cells = [[display_term(term) for term in row] for row in rows]
    return text_table(variables, cells, title=title, width=width)


def text_table(
    headers: Sequence[str], cells: Sequence[Sequence[str]], *, title: str | None = None, width: int | None = None
) -> Table:
    """A rich table of text cells, one line each (long values end in an ellipsis; CSV and
    JSON keep them whole). Given the terminal ``width``, the widest columns give way
    first, so that every column stays on screen."""
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(headers)]
    widths = [min(TABLE_CELL_WIDTH, w) for w in widths]
    if width is not None:
        # Borders and padding take three characters a column, plus one. The first column
        # (what the row is about) keeps 24 characters as long as others can give way.
        while sum(widths) + 3 * len(widths) + 1 > width and max(widths) > 6:
            others = widths[1:] if len(widths) > 1 and widths[0] <= 24 and max(widths[1:]) > 6 else widths
            widest = widths.index(max(others), 1 if others is not widths else 0)
            widths[widest] -= 1
    table = Table(title=title, title_justify="left")
    for name, column_width in zip(headers, widths, strict=True):
        table.add_column(name, overflow="ellipsis", no_wrap=True, width=column_width)
    for row in cells:
        # Text cells: a value containing [brackets] is shown, never read as rich markup.
        table.add_row(*(Text(value) for value in row))
    return table


def display_term(term: Term | None) -> str:
    """A term as a reader wants it: prefixed IRIs, base-relative data IRIs, literal text."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and _is_local_name(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        base = base_uri()
        return f"<{iri[len(base) :]}>" if iri.startswith(base) else f"<{iri}>"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def _is_local_name(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_-" for c in name)


def format_csv(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 CSV results: IRIs in full, literals as their text, an unbound value empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else t.value if isinstance(t, (NamedNode, Literal)) else str(t) for t in row])
    return out.getvalue()


def format_json(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {variable: json_term(term) for variable, term in zip(variables, row, strict=True) if term is not None}
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
