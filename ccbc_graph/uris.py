"""URIs of the graph, built from content only (ontology/README.md is the specification).

Every URI is derived from what a document *is* (its symbol, year, issuer, province) or
from the source file's SHA-256, never from counters or run order, so two builds of the
same inputs name every node the same way.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from functools import cache

from pyoxigraph import NamedNode

from ccbc_graph.extract.symbols import Symbol, parse_symbol
from ccbc_graph.model import DocumentKey, PlanExtraction, Span
from ccbc_graph.reference import document_types, type_by_name
from ccbc_graph.textnorm import ascii_slug, fold

DEFAULT_BASE_URI = "https://w3id.org/ccbc-graph/"


class Vocabulary:
    """A namespace whose terms are pyoxigraph nodes: ``ELI.cites``; ``ELI.iri`` is the string.

    The string form suits rdflib (``rdflib.Namespace(ELI.iri)``) and SPARQL prefixes.
    """

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = NamedNode(self.iri + name)
        setattr(self, name, node)
        return node

    def __str__(self) -> str:
        return self.iri


RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#")
OWL = Vocabulary("http://www.w3.org/2002/07/owl#")
ELI = Vocabulary("http://data.europa.eu/eli/ontology#")
SKOS = Vocabulary("http://www.w3.org/2004/02/skos/core#")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
DCTERMS = Vocabulary("http://purl.org/dc/terms/")
OA = Vocabulary("http://www.w3.org/ns/oa#")
ORG = Vocabulary("http://www.w3.org/ns/org#")
CPOV = Vocabulary("http://data.europa.eu/m8g/")
TIME = Vocabulary("http://www.w3.org/2006/time#")
SCHEMA = Vocabulary("https://schema.org/")
CCBC = Vocabulary("https://w3id.org/ccbc-graph/ontology#")

PREFIXES: dict[str, str] = {
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "xsd": XSD.iri,
    "owl": OWL.iri,
    "eli": ELI.iri,
    "skos": SKOS.iri,
    "prov": PROV.iri,
    "dcterms": DCTERMS.iri,
    "oa": OA.iri,
    "org": ORG.iri,
    "cpov": CPOV.iri,
    "time": TIME.iri,
    "schema": SCHEMA.iri,
    "ccbc": CCBC.iri,
    # The store's own graphs (graph/entities, graph/reference, one per plan file) under the
    # default base; a store built under another CCBC_BASE_URI shows them base-relative.
    "ccbcgraph": DEFAULT_BASE_URI + "graph/",
}

# The EU Publications Office language table, which ELI uses for eli:language.
VIETNAMESE = NamedNode("http://publications.europa.eu/resource/authority/language/VIE")


def base_uri() -> str:
    """The base ``B`` of all data URIs, read from ``CCBC_BASE_URI`` on each call (tests set it)."""
    base = os.environ.get("CCBC_BASE_URI") or DEFAULT_BASE_URI
    return base if base.endswith("/") else base + "/"


def type_abbreviation(symbol: Symbol | None, doc_type_name: str | None) -> str | None:
    """The type abbreviation a document's URIs use: the symbol's own, else the named type's.

    A letter (Công văn) is ``CV``, though the state writes no type in its symbols; an
    unknown type name stands for itself; ``None`` when nothing says the type.
    """
    if symbol and symbol.type_abbr:
        return symbol.type_abbr
    if not doc_type_name:
        return None
    known = type_by_name().get(fold(doc_type_name))
    return known.abbreviation if known else doc_type_name


@cache
def _type_slugs() -> dict[str, str]:
    """Abbreviation -> slug. ``HĐ``/``HD`` and ``ĐA``/``DA`` fold to the same ASCII; where
    two types would share a slug, ``Đ`` is written ``dd`` so they never share a URI."""
    plain = Counter(ascii_slug(t.abbreviation) for t in document_types() if t.abbreviation)
    return {
        t.abbreviation: ascii_slug(t.abbreviation.replace("Đ", "DD"))
        if plain[ascii_slug(t.abbreviation)] > 1
        else ascii_slug(t.abbreviation)
        for t in document_types()
        if t.abbreviation
    }


def type_slug(abbreviation: str | None) -> str:
    """The URI segment of a document type: ``QĐ`` -> ``qd``, ``HĐ`` -> ``hdd``, a letter -> ``cv``."""
    if not abbreviation:
        # A symbol without a type abbreviation is a letter (see extract.symbols.parse_match).
        return "cv"
    return _type_slugs().get(abbreviation) or ascii_slug(abbreviation) or "cv"


def issuer_slug(symbol: Symbol, province: str | None, unit: str | None = None) -> str:
    """``CP`` -> ``cp``; a local issuer carries its province: ``ubnd-kien-giang``, and a
    body of a unit below it that unit too: ``ubnd-huyen-ky-anh-ha-tinh``. A national
    body's code written by its provincial office (``BHXH`` of Bảo hiểm xã hội tỉnh Bình
    Định) carries the province its key gives: ``bhxh-binh-dinh``.

    A local issuer whose province is unknown keeps the bare code (``ubnd``): the
    document is then not fully identified, and the URI says no more than the text.
    """
    slug = ascii_slug(symbol.issuer_code)
    if province:
        slug = "-".join(ascii_slug(part) for part in (symbol.issuer_code, unit, province) if part)
    return slug


def parsed_symbol(text: str) -> Symbol:
    """The parsed symbol of a numbered document; a ``ValueError`` if ``text`` is none."""
    symbol = parse_symbol(text)
    if symbol is None:
        raise ValueError(f"not a document symbol: {text!r}")
    return symbol


def document_uri(key: DocumentKey, doc_type_name: str) -> str:
    """The ELI-style URI of a numbered document: ``B eli/vn/{issuer}/{year}/{type}/{number}``."""
    symbol = parsed_symbol(key.symbol)
    year = key.year or symbol.year
    return (
        f"{base_uri()}eli/vn/{issuer_slug(symbol, key.province, key.unit)}/{year or 'unresolved'}/"
        f"{type_slug(type_abbreviation(symbol, doc_type_name))}/{ascii_slug(symbol.number)}"
    )


def expression_uri(work: str) -> str:
    """The Vietnamese expression (text) of a work: ``{work}/vie``."""
    return f"{work}/vie"


def plan_key(extraction: PlanExtraction) -> DocumentKey | None:
    """The plan's own key when its symbol parses and its year is known, else ``None``."""
    meta = extraction.document
    year = meta.date.year if meta.date else meta.year
    if not meta.symbol or year is None or parse_symbol(meta.symbol) is None:
        return None
    return DocumentKey(meta.symbol, year, meta.province, meta.unit)


def plan_uri(extraction: PlanExtraction) -> str:
    """The plan's ELI URI when its own symbol and year are known, else ``B doc/{sha[:16]}``."""
    key = plan_key(extraction)
    if key is None:
        return f"{base_uri()}doc/{extraction.sha256[:16]}"
    return document_uri(key, extraction.document.doc_type or "")


def key_slug(key: DocumentKey) -> str:
    """A document key as one path segment: ``76/NQ-CP@2013`` -> ``76-nq-cp-2013``."""
    parts = [key.symbol, str(key.year) if key.year else "", key.province or "", key.unit or ""]
    return ascii_slug(" ".join(parts))


def unnumbered_key(name: str, year: int | None = None) -> str:
    """First 16 hex of the SHA-1 of the folded name, then a space and the issue year when
    the text gives one: the same document however its date is written."""
    key = f"{fold(name)} {year}" if year else fold(name)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def unnumbered_uri(name: str, year: int | None = None) -> str:
    """A document cited without a number: ``B ref/{key}``."""
    return f"{base_uri()}ref/{unnumbered_key(name, year)}"


def citation_uri(plan: str, cited_key: str) -> str:
    """The qualified citation of one cited document: ``{plan}/citation/{key slug}``."""
    return f"{plan}/citation/{cited_key}"


def mention_uri(plan: str, span: Span) -> str:
    """One mention (evidence) of a cited document: ``{plan}/mention/{start}-{end}``."""
    return f"{plan}/mention/{span.start}-{span.end}"


def amendment_uri(plan: str, span: Span) -> str:
    """One amendment statement: ``{plan}/amendment/{start}-{end}``."""
    return f"{plan}/amendment/{span.start}-{span.end}"


def graph_uri(source_name: str) -> str:
    """The named graph of one source file: ``B graph/{slug of its path in the built folder}``.

    The path, not the file name: ``2020/ke-hoach.docx`` and ``2021/ke-hoach.docx`` are two
    plans. Two paths can still share a slug ("a/b.txt", "a-b.txt"): the build refuses the
    second file with that reason rather than let one graph hide the other.
    """
    return f"{base_uri()}graph/{ascii_slug(source_name)}"


def reference_graph_uri() -> str:
    """The graph of reference data (document types, provinces): ``B graph/reference``."""
    return f"{base_uri()}graph/reference"


def entities_graph_uri() -> str:
    """The merged graph of shared entities (documents, bodies): ``B graph/entities``.

    Plan graph slugs always end in their file suffix (``-txt``), so none can be ``entities``.
    """
    return f"{base_uri()}graph/entities"


def tallies_graph_uri() -> str:
    """The graph of counts the queries read (:mod:`ccbc_graph.tallies`): ``B graph/tallies``."""
    return f"{base_uri()}graph/tallies"


def own_graph_uris() -> tuple[str, ...]:
    """The store's own graphs, which are no plan's: the merged, reference and tallies graphs."""
    return (entities_graph_uri(), reference_graph_uri(), tallies_graph_uri())


def source_uri(sha256: str) -> str:
    """A source file, named by its content: ``B source/{sha256}``."""
    return f"{base_uri()}source/{sha256}"


def activity_uri(sha256: str, version: str) -> str:
    """One extraction run over one file: ``B activity/{sha[:16]}-{version}``."""
    return f"{base_uri()}activity/{sha256[:16]}-{_version_segment(version)}"


def agent_uri(version: str) -> str:
    """The extractor software at one version: ``B agent/ccbc-graph/{version}``."""
    return f"{base_uri()}agent/ccbc-graph/{_version_segment(version)}"


@cache
def _version_segment(version: str) -> str:
    # Versions such as "0.1.0+local.2" keep their dots; anything not URI-safe becomes "-".
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-_~") else "-" for c in version)


def org_uri(name: str) -> str:
    """A body (agency), named by the slug of its canonical name: ``B org/chinh-phu``."""
    return f"{base_uri()}org/{ascii_slug(name)}"


def place_uri(code: str) -> str:
    """A province as it was until 30 June 2025: ``B place/vn/{official code}``."""
    return f"{place_scheme_uri()}/{code}"


def place_2025_uri(code: str) -> str:
    """A province from 1 July 2025: ``B place/vn-2025/{official code}``."""
    return f"{place_2025_scheme_uri()}/{code}"


def place_scheme_uri() -> str:
    """The concept scheme of the provinces until 30 June 2025: ``B place/vn``."""
    return f"{base_uri()}place/vn"


def place_2025_scheme_uri() -> str:
    """The concept scheme of the provinces from 1 July 2025: ``B place/vn-2025``."""
    return f"{base_uri()}place/vn-2025"


def doctype_uri(abbreviation: str | None) -> str:
    """A document type: ``B doctype/{slug of abbreviation}``; a letter is ``cv``."""
    return f"{doctype_scheme_uri()}/{type_slug(abbreviation)}"


def doctype_scheme_uri() -> str:
    """The concept scheme of document types: ``B doctype``."""
    return f"{base_uri()}doctype"
