"""The SPARQL 1.1 Protocol without the HTTP plumbing: reading requests, negotiating formats, safety.

Everything here is a pure function of the request's parts, so the rules (which requests
are malformed, which query text is refused, which format a client gets) are tested
without a server. :class:`ProtocolError` carries the HTTP status and a message a person
can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from pyoxigraph import NamedNode

from ccbc_graph.sparql_text import TOKEN, unescape_codepoints


class ProtocolError(Exception):
    """A request the endpoint will not answer; ``status`` is the HTTP status (4xx)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """One SPARQL query or update with its protocol dataset (``None``: not given)."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    params: dict[str, list[str]] = field(default_factory=dict)


QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"

# Media types offered, best first, with the format name the worker knows them by.
RESULTS_OFFERS: list[tuple[str, str]] = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
]
GRAPH_OFFERS: list[tuple[str, str]] = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("text/plain", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
]
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# Values of the non-standard but common ``format``/``output`` parameters, as format names.
_FORMAT_PARAMS: dict[str, str] = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "rdf+xml": "rdfxml",
    "rdfxml": "rdfxml",
}


def parse_sparql_request(method: str, query_string: str, content_type: str | None, body: bytes) -> Operation | None:
    """The operation a request to the SPARQL endpoint asks for; ``None`` for a bare GET (service description)."""
    url_params = _form(query_string)
    if method in ("GET", "HEAD"):
        if "update" in url_params:
            raise ProtocolError(400, "an update must be sent with POST, not GET")
        if "query" not in url_params:
            return None
        return _operation("query", url_params)
    if method != "POST":
        raise ProtocolError(405, f"the SPARQL endpoint answers GET and POST, not {method}")
    media_type, charset = _content_type(content_type)
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"the request body must be UTF-8, not {charset}")
    if media_type is None:
        raise ProtocolError(400, f"a POST needs a Content-Type: {FORM_TYPE}, {QUERY_TYPE} or {UPDATE_TYPE}")
    if media_type == FORM_TYPE:
        body_params = _form(_utf8(body))
        overlap = {"query", "update"} & set(url_params)
        if overlap:
            raise ProtocolError(400, f"with a form POST, {sorted(overlap)[0]} goes in the body, not the URL")
        params = {**url_params}
        for key, values in body_params.items():
            params[key] = params.get(key, []) + values
        if "query" in params and "update" in params:
            raise ProtocolError(400, "a request carries either query or update, not both")
        if "query" in params:
            return _operation("query", params)
        if "update" in params:
            return _operation("update", params)
        raise ProtocolError(400, "the form has neither a query nor an update parameter")
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        kind = "query" if media_type == QUERY_TYPE else "update"
        if kind in url_params:
            raise ProtocolError(400, f"the {kind} is the body of a {media_type} POST; it cannot also be in the URL")
        return _operation(kind, {**url_params, kind: [_utf8(body)]})
    raise ProtocolError(415, f"unsupported Content-Type {media_type}; use {FORM_TYPE}, {QUERY_TYPE} or {UPDATE_TYPE}")


def _operation(kind: str, params: dict[str, list[str]]) -> Operation:
    texts = params[kind]
    if len(texts) != 1:
        raise ProtocolError(400, f"exactly one {kind} parameter is allowed, got {len(texts)}")
    if kind == "query":
        default_key, named_key = "default-graph-uri", "named-graph-uri"
    else:
        default_key, named_key = "using-graph-uri", "using-named-graph-uri"
    default_graphs = _graph_iris(params, default_key)
    named_graphs = _graph_iris(params, named_key)
    return Operation(kind, texts[0], default_graphs, named_graphs, params)


def _graph_iris(params: dict[str, list[str]], key: str) -> tuple[str, ...] | None:
    if key not in params:
        return None
    for value in params[key]:
        check_iri(value, key)
    return tuple(params[key])


def check_iri(value: str, what: str) -> str:
    """``value`` when it is an absolute IRI; a 400 naming ``what`` otherwise."""
    try:
        NamedNode(value)
    except ValueError as err:
        raise ProtocolError(400, f"{what} {value!r} is not an absolute IRI: {err}") from None
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value):
        raise ProtocolError(400, f"{what} {value!r} is not an absolute IRI")
    return value


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"the form is not UTF-8 after percent-decoding: {err}") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"the request body is not UTF-8: {err}") from None


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """Media type (lower case) and charset parameter of a Content-Type header."""
    if not header:
        return None, None
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower() or None, charset


# -- content negotiation -----------------------------------------------------------------


def negotiate(accept: str | None, offers: list[tuple[str, str]], format_param: str | None = None) -> str | None:
    """The format name to answer with; ``None`` when the client accepts none of ``offers``.

    A ``format``/``output`` parameter naming an offered format wins (browsers cannot set
    Accept); otherwise the highest ``q`` wins, ties going to the earlier offer. No Accept
    header means anything goes.
    """
    names = [name for _, name in offers]
    if format_param:
        wanted = _FORMAT_PARAMS.get(format_param.strip().lower())
        if wanted is None:
            wanted = next((name for media, name in offers if media == format_param.strip().lower()), None)
        if wanted in names:
            return wanted
    if not accept or not accept.strip():
        return names[0]
    ranges = _accept_ranges(accept)
    # A format's media types are aliases: the most specific mention of any of them decides its q.
    matches: dict[str, tuple[int, float]] = {}
    for media, name in offers:
        # Tuples compare by specificity first, then q.
        matches[name] = max(matches.get(name, (-1, 0.0)), _quality(media, ranges))
    best, best_q = None, 0.0
    for name in dict.fromkeys(names):
        q = matches[name][1]
        if q > best_q:
            best, best_q = name, q
    return best


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[int, float]:
    """How specifically (2 exact, 1 type/*, 0 */*, -1 not at all) and with which q ``media`` is accepted."""
    main = media.split("/")[0]
    best_specificity, q = -1, 0.0
    for pattern, pattern_q in ranges:
        if pattern == media:
            specificity = 2
        elif pattern == f"{main}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, q = specificity, pattern_q
    return best_specificity, q


# -- reading query text --------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    text: str
    depth: int
    start: int
    previous: str | None  # the previous significant token (word or bracket), upper-cased


def _words(text: str) -> list[_Word]:
    """The keywords and names of a query, each with its bracket depth and the token before it."""
    words, depth, previous = [], 0, None
    for token in TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        if kind == "word":
            words.append(_Word(value.upper(), depth, token.start(), previous))
            previous = value.upper()
        elif kind == "open":
            depth += 1
            previous = value
        elif kind == "close":
            depth -= 1
            previous = value
        elif kind in ("skip", "other"):
            previous = value if kind == "other" else "?"
    return words


def check_safe(operation: Operation) -> None:
    """Refuse what would make the server fetch something: SERVICE (queries, updates) and LOAD.

    The endpoint never makes an outbound request; FROM and FROM NAMED only name graphs
    already in the store (pyoxigraph does not dereference them).
    """
    refused = {"SERVICE"} | ({"LOAD"} if operation.kind == "update" else set())
    for word in _words(unescape_codepoints(operation.text)):
        if word.text in refused:
            raise ProtocolError(403, f"{word.text} is refused: this endpoint never fetches anything from the network")


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset with FROM / FROM NAMED (outside sub-queries' bodies)."""
    return any(w.text == "FROM" and w.depth == 0 for w in _words(unescape_codepoints(text)))


def apply_using(operation: Operation) -> str:
    """The update's text with ``using-graph-uri`` / ``using-named-graph-uri`` written as USING clauses.

    pyoxigraph's ``update`` takes no protocol dataset, so the clauses are put in front of
    each top-level WHERE (except ``DELETE WHERE``, which has no USING form). The protocol
    forbids giving both the parameters and USING or WITH in the text: that is a 400.
    """
    if operation.default_graphs is None and operation.named_graphs is None:
        return operation.text
    text = unescape_codepoints(operation.text)
    words = _words(text)
    if any(w.text in ("USING", "WITH") and w.depth == 0 for w in words):
        raise ProtocolError(400, "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH")
    clauses = " ".join(
        [f"USING <{g}>" for g in operation.default_graphs or ()]
        + [f"USING NAMED <{g}>" for g in operation.named_graphs or ()]
    )
    if not operation.default_graphs:
        # Only named graphs given: the default graph of the WHERE is then empty, as the protocol says.
        clauses = f"USING <urn:ccbc-graph:empty> {clauses}"
    out, last = [], 0
    for word in words:
        if word.text == "WHERE" and word.depth == 0 and word.previous != "DELETE":
            out.append(text[last : word.start])
            out.append(clauses + " ")
            last = word.start
    out.append(text[last:])
    return "".join(out)
