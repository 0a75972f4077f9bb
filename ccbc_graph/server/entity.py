"""Dereferencing: every IRI of the graph has a page on the server that serves it.

``https://w3id.org/ccbc-graph/PATH`` is answered at ``/PATH``, and any IRI of the graph at
``/resource?uri=IRI``. A browser gets an HTML page of the entity's triples (as subject
and as object, grouped by predicate) and of its evidence (the sentence quoted from the
source file, the file and the character offsets); ``Accept`` (or ``?format=``) asks for
Turtle, N-Triples, JSON-LD or RDF/XML of the same triples instead.

The triples come from one CONSTRUCT run in the worker pool. Document text is untrusted:
every piece of it is HTML-escaped, and the page runs no script.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple, serialize

from ccbc_graph.queries import display_term
from ccbc_graph.server import pooled
from ccbc_graph.server.protocol import GRAPH_OFFERS, MEDIA_TYPES, ProtocolError, negotiate
from ccbc_graph.server.ui import SECURITY_HEADERS, STATIC_POLICY, Page, asset_url
from ccbc_graph.server.worker import GRAPH_FORMATS
from ccbc_graph.uris import CCBC, OA, PREFIXES, RDF, RDFS, SKOS, XSD, base_uri

if TYPE_CHECKING:
    from ccbc_graph.server.app import SparqlServer

RESOURCE_PATH = "/resource"
ENTITY_OFFERS = [("text/html", "html"), ("application/xhtml+xml", "html"), *GRAPH_OFFERS]
# First path segments the server uses itself: an IRI starting so is linked as /resource?uri=.
RESERVED_SEGMENTS = frozenset({"", "static", "network", "queries", "resource", "sparql", "rdf-graph-store"})
# Most subjects pointing at one entity, and most pieces of evidence, a page shows.
INBOUND_LIMIT = 1000
EVIDENCE_LIMIT = 200

_PATH_SAFE = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]+")
_LABELS = (SKOS.prefLabel, RDFS.label)
_FORMAT_NAMES = {"turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}

_DESCRIBE = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX ccbc: <https://w3id.org/ccbc-graph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  {{ VALUES ?s {{ {e} }} ?s ?p ?o }}
  UNION {{ {inbound_p} VALUES ?o {{ {e} }} }}
  UNION {{
    # Evidence: the annotations about the entity (or the entity, if it is one) and
    # their source files.
    {{ SELECT DISTINCT ?annotation WHERE {{
        {{ VALUES ?annotation {{ {e} }} }}
        UNION {{ ?annotation oa:hasBody {e} }}
        UNION {{ {e} ccbc:hasMention ?annotation }}
        ?annotation oa:hasTarget ?target .
      }} ORDER BY ?annotation LIMIT {evidence} }}
    ?annotation oa:hasTarget? ?s .
    ?s ?p ?o .
  }}
  UNION {{
    # The labels of its neighbours, to name the links.
    {{ {e} ?out ?s }} UNION {{ {inbound_q} }}
    VALUES ?p {{ skos:prefLabel rdfs:label }}
    ?s ?p ?o .
  }}
}}"""
_INBOUND = "{{ SELECT DISTINCT ?s ?{p} WHERE {{ ?s ?{p} {e} }} ORDER BY ?{p} ?s LIMIT {limit} }}"


def path_iri(path: str) -> str:
    """The IRI a request path stands for: ``/org/x`` is ``{base}org/x``."""
    return base_uri() + path.lstrip("/")


def local_link(iri: str) -> str:
    """Where the server shows an IRI: its path for IRIs under the base, ``/resource?uri=`` otherwise."""
    base = base_uri()
    rest = iri[len(base) :] if iri.startswith(base) else ""
    if _PATH_SAFE.fullmatch(rest) and rest.split("/")[0] not in RESERVED_SEGMENTS:
        return "/" + rest
    return f"{RESOURCE_PATH}?uri={quote(iri, safe='')}"


def describe_query(iri: str) -> str:
    """The CONSTRUCT giving everything an entity's page shows (``iri`` is checked before)."""
    e = str(NamedNode(iri))
    # The same subjects twice: for the triples (predicate ?p) and for their labels (?q, as ?p is the label's).
    inbound_p, inbound_q = (_INBOUND.format(e=e, p=p, limit=INBOUND_LIMIT) for p in ("p", "q"))
    return _DESCRIBE.format(e=e, inbound_p=inbound_p, inbound_q=inbound_q, evidence=EVIDENCE_LIMIT)


def entity_page(server: SparqlServer, iri: str, accept: str | None, format_param: str | None) -> Page:
    """The entity in the negotiated format; 406 for formats it has none in, 404 for an IRI the graph lacks."""
    fmt = negotiate(accept, ENTITY_OFFERS, format_param)
    if fmt is None:
        raise ProtocolError(
            406,
            f"an entity is served as text/html, text/turtle, application/n-triples, application/ld+json "
            f"or application/rdf+xml, not {accept}",
        )
    try:
        entity = NamedNode(iri)
    except ValueError:
        raise ProtocolError(404, f"{iri!r} is not an IRI of this graph; the SPARQL endpoint is at /sparql") from None
    triples = pooled.construct(server, describe_query(iri))
    if not any(t.subject == entity or t.object == entity for t in triples):
        raise ProtocolError(
            404, f"nothing is known about <{iri}> in this graph; the queries are at /, the SPARQL endpoint at /sparql"
        )
    headers = {"Vary": "Accept", **SECURITY_HEADERS}
    if fmt == "html":
        body = render_html(entity, triples).encode("utf-8")
        return Page(body, "text/html; charset=utf-8", {"Content-Security-Policy": STATIC_POLICY, **headers})
    body = serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
    return Page(body, MEDIA_TYPES[fmt], headers)


# -- the HTML page -------------------------------------------------------------------------


def render_html(entity: NamedNode, triples: list[Triple]) -> str:
    """The entity's page: title, evidence, its properties and what points at it, all text escaped."""
    labels = _labels(triples)
    outgoing = [t for t in triples if t.subject == entity]
    incoming = [t for t in triples if t.object == entity]
    title = labels.get(entity) or display_term(entity)
    self_link = local_link(entity.value)
    separator = "&" if "?" in self_link else "?"
    formats = " · ".join(
        f'<a href="{html.escape(f"{self_link}{separator}format={name}")}">{label}</a>'
        for name, label in _FORMAT_NAMES.items()
    )
    alternates = "".join(
        f'<link rel="alternate" type="{MEDIA_TYPES[name].split(";")[0]}" '
        f'href="{html.escape(f"{self_link}{separator}format={name}")}">\n'
        for name in _FORMAT_NAMES
    )
    incoming_note = (
        f'<p class="note">The first {INBOUND_LIMIT} are shown; the SPARQL endpoint has them all.</p>'
        if len({(t.subject, t.predicate) for t in incoming}) >= INBOUND_LIMIT
        else ""
    )
    evidence = _evidence_html(entity, triples)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · ccbc-graph</title>
<link rel="stylesheet" href="/{asset_url("ccbc.css")}">
{alternates}</head>
<body class="entity">
<header><p class="site"><a href="/">ccbc-graph</a></p>
<p>SPARQL endpoint: <a href="/sparql"><code>/sparql</code></a></p></header>
<main>
<h1>{html.escape(title)}</h1>
<p class="iri"><code>{html.escape(entity.value)}</code> · as {formats}</p>
{evidence}<section><h2>Properties</h2>
{_table(outgoing, lambda t: t.object, labels)}
</section>
<section><h2>Referred to by</h2>
{incoming_note}{_table(incoming, lambda t: t.subject, labels)}
</section>
</main>
</body>
</html>
"""


def _labels(triples: list[Triple]) -> dict[NamedNode, str]:
    """A label for every labelled node: Vietnamese first, then the smallest."""
    found: dict[NamedNode, list[Literal]] = defaultdict(list)
    for t in triples:
        if t.predicate in _LABELS and isinstance(t.subject, NamedNode) and isinstance(t.object, Literal):
            found[t.subject].append(t.object)
    return {
        node: min(values, key=lambda label: (label.language != "vi", label.value)).value
        for node, values in found.items()
    }


def _table(triples: list[Triple], value: Callable[[Triple], object], labels: dict[NamedNode, str]) -> str:
    """Triples grouped by predicate (rdf:type first), one row each, the other end of each triple listed."""
    if not triples:
        return '<p class="note">None.</p>'
    grouped: dict[NamedNode, list[str]] = defaultdict(list)
    for t in triples:
        grouped[t.predicate].append(_term_html(value(t), labels))
    order = sorted(grouped, key=lambda p: (p != RDF.type, display_term(p)))
    rows = "\n".join(
        f'<tr><th title="{html.escape(p.value)}">{html.escape(display_term(p))}</th>'
        f"<td><ul>{''.join(f'<li>{item}</li>' for item in sorted(set(grouped[p])))}</ul></td></tr>"
        for p in order
    )
    return f'<table class="triples">\n{rows}\n</table>'


def _term_html(term: object, labels: dict[NamedNode, str]) -> str:
    if isinstance(term, NamedNode):
        text = html.escape(labels.get(term) or display_term(term))
        return f'<a href="{html.escape(local_link(term.value))}" title="{html.escape(term.value)}">{text}</a>'
    if isinstance(term, Literal):
        out = html.escape(term.value)
        if term.language:
            return out + f'<span class="lang">@{html.escape(term.language)}</span>'
        if term.datatype != XSD.string:
            return out + f'<span class="datatype">{html.escape(display_term(term.datatype))}</span>'
        return out
    return html.escape(str(term))


def _evidence_html(entity: NamedNode, triples: list[Triple]) -> str:
    """Each annotation about the entity: the quoted sentence with its words marked, the file and offsets."""
    about: dict[object, dict[NamedNode, list[object]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        about[t.subject][t.predicate].append(t.object)
    annotations = {t.subject for t in triples if t.predicate == OA.hasBody and t.object == entity}
    annotations |= {t.object for t in triples if t.subject == entity and t.predicate == CCBC.hasMention}
    if about[entity][OA.hasTarget]:
        annotations.add(entity)
    items = [_evidence_item(annotation, about) for annotation in annotations if about[annotation][OA.hasTarget]]
    if not items:
        return ""
    items.sort()
    return (
        '<section><h2>Evidence</h2>\n<ol class="evidence">\n'
        + "\n".join(item for _, item in items)
        + "\n</ol>\n</section>\n"
    )


def _first(values: list[object]) -> str:
    return next((v.value for v in values if isinstance(v, Literal)), "")


def _evidence_item(
    annotation: object, about: dict[object, dict[NamedNode, list[object]]]
) -> tuple[tuple[str, int], str]:
    """One piece of evidence as HTML, with the key it is listed by (file, start)."""
    said = about[annotation]
    sentence = _first(said[CCBC.quotedSentence])
    exact, start, end = _first(said[CCBC.quotedText]), _first(said[CCBC.startOffset]), _first(said[CCBC.endOffset])
    source = next(iter(said[OA.hasTarget]), None)
    file_name = _first(about[source][CCBC.fileName]) if source is not None else ""
    if exact and exact in sentence:
        before, _, after = sentence.partition(exact)
        quoted = f"{html.escape(before)}<mark>{html.escape(exact)}</mark>{html.escape(after)}"
    else:
        quoted = html.escape(sentence or exact)
    where = []
    if isinstance(source, NamedNode):
        where.append(f'<a href="{html.escape(local_link(source.value))}">{html.escape(file_name or "source file")}</a>')
    if start and end:
        where.append(f"characters {html.escape(start)}–{html.escape(end)}")
    column = _first(about[annotation][CCBC.column])
    if column:
        where.append(f"column {html.escape(column)}")
    if isinstance(annotation, NamedNode):
        where.append(f'<a href="{html.escape(local_link(annotation.value))}">annotation</a>')
    item = f'<li><blockquote>{quoted}</blockquote><p class="where">{" · ".join(where)}</p></li>'
    return (file_name, int(start) if start.isdigit() else 0), item
