"""The RDF mapping: one named graph per plan, reference data in ``B graph/reference``.

Nodes are pyoxigraph terms built directly (no rdflib on this path: a build maps
thousands of plans). Every node has a content-derived URI (:mod:`ccbc_graph.uris`), no
blank nodes and no timestamps, so the same inputs give byte-identical sorted N-Quads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from ccbc_graph.extract.agencies import body_entries
from ccbc_graph.extract.citations import RELATION_RANK
from ccbc_graph.extract.symbols import Symbol, parse_symbol
from ccbc_graph.extract.text import PlanText
from ccbc_graph.model import (
    AgencyMention,
    Amendment,
    Citation,
    DocumentKey,
    Evidence,
    PlanExtraction,
    Responsibility,
    Span,
    Task,
    UnnumberedCitation,
)
from ccbc_graph.reference import (
    KnownDocument,
    Province,
    document_types,
    known_documents,
    province_by_name,
    provinces,
    type_by_abbreviation,
)
from ccbc_graph.textnorm import ascii_slug, clean, fold
from ccbc_graph.uris import (
    CCBC,
    CPOV,
    DCTERMS,
    ELI,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    VIETNAMESE,
    XSD,
    activity_uri,
    agent_uri,
    amendment_uri,
    base_uri,
    citation_uri,
    doctype_scheme_uri,
    doctype_uri,
    document_uri,
    expression_uri,
    graph_uri,
    key_slug,
    mention_uri,
    org_uri,
    parsed_symbol,
    place_2025_scheme_uri,
    place_2025_uri,
    place_scheme_uri,
    place_uri,
    plan_uri,
    reference_graph_uri,
    source_uri,
    type_abbreviation,
    unnumbered_key,
    unnumbered_uri,
)

if TYPE_CHECKING:
    import rdflib

# The ELI property each relation adds to eli:cites (rdfs:seeAlso of the concept in ccbc.ttl).
RELATION_PROPERTY: dict[str, NamedNode] = {
    "repeals": ELI.repeals,
    "amends": ELI.amends,
    "basis": ELI.based_on,
    "implements": ELI.implements,
}

# IANA media types of the source formats the reader accepts (dcterms:format). Python's
# mimetypes is not used: its answers depend on the machine's /etc/mime.types.
_MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# The levels of government a body works at (org:classification, scheme B org-level): the
# extractor's level words, with their English labels.
BODY_LEVELS: dict[str, str] = {
    "trung ương": "central",
    "tỉnh": "provincial",
    "huyện": "district",
    "xã": "commune",
}


# URIs of the coordination half: bodies' kinds and levels, tasks, responsibilities,
# budget checks (templates in ontology/README.md).


def body_kind_uri(kind: str) -> str:
    """A kind of body, one of the lexicon's kind values: ``B org-kind/{slug}``."""
    return f"{base_uri()}org-kind/{ascii_slug(kind)}"


def body_level_uri(level: str) -> str:
    """A level of government: ``B org-level/{slug}`` (``trung-uong``, ``tinh``, ``huyen``, ``xa``)."""
    return f"{base_uri()}org-level/{ascii_slug(level)}"


def task_uri(plan: str, table: int, row: int) -> str:
    """One row of a plan's task tables: ``{plan}/task/{table}-{row}``, tables counted from 1.

    Row numbers restart in a second table of the same plan, so the table's place in the
    text is part of the name; it does not move when text before the tables changes.
    """
    return f"{plan}/task/{table}-{row}"


def responsibility_uri(plan: str, duty: Span, body: str) -> str:
    """One body's duties: ``{plan}/responsibility/{start}-{end}/{slug of the body}``.

    Several bodies may share one duty ("Các sở, ban, ngành; UBND cấp huyện: …"), hence the
    body in the name.
    """
    return f"{plan}/responsibility/{duty.start}-{duty.end}/{ascii_slug(body)}"


def budget_check_uri(plan: str) -> str:
    """The check of a plan's printed budget total against its rows: ``{plan}/budget-check``."""
    return f"{plan}/budget-check"


class _Graph:
    """The triples of one named graph in the order they were first stated; a fact stated
    twice is kept once. Not sorted: the store keeps a set, and sorting every plan's quads
    cost a tenth of a build; :func:`to_nquads` gives the canonical order."""

    def __init__(self, name: str) -> None:
        self.name = NamedNode(name)
        self.quads: dict[Quad, None] = {}

    def add(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        self.quads[Quad(subject, predicate, obj, self.name)] = None

    def as_list(self) -> list[Quad]:
        return list(self.quads)


def _vi(text: str) -> Literal:
    return Literal(text, language="vi")


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def _offset(value: int) -> Literal:
    # xsd:integer, not the Web Annotation range xsd:nonNegativeInteger: Oxigraph stores
    # integer-derived literals as xsd:integer, and the graph must read back as written.
    return Literal(str(value), datatype=XSD.integer)


def relation_concept(relation: str) -> NamedNode:
    """The ccbc:CitationRelations concept of a relation code (its skos:notation); unknown codes are an error."""
    if relation not in RELATION_RANK:
        raise ValueError(f"unknown citation relation {relation!r}; expected one of {sorted(RELATION_RANK)}")
    return NamedNode(CCBC.iri + relation)


def _province(name: str | None) -> Province | None:
    return province_by_name().get(fold(name)) if name else None


def _org(g: _Graph, name: str) -> NamedNode:
    node = NamedNode(org_uri(name))
    g.add(node, RDF.type, ORG.Organization)
    g.add(node, RDF.type, CPOV.PublicOrganisation)
    g.add(node, SKOS.prefLabel, _vi(name))
    return node


def _expression(g: _Graph, work: NamedNode, title: str | None) -> NamedNode:
    node = NamedNode(expression_uri(work.value))
    g.add(work, ELI.is_realized_by, node)
    g.add(node, RDF.type, ELI.LegalExpression)
    g.add(node, ELI.realizes, work)
    g.add(node, ELI.language, VIETNAMESE)
    if title:
        g.add(node, ELI.title, _vi(title))
    return node


def _describe(
    g: _Graph,
    node: NamedNode,
    symbol: Symbol | None,
    doc_type: str | None,
    *,
    day: date | None,
    year: int | None,
    issuer: str | None,
    province: str | None,
) -> None:
    """What the plan and every numbered document share: identity, type, date, issuer, place."""
    g.add(node, RDF.type, ELI.LegalResource)
    if symbol:
        g.add(node, ELI.id_local, Literal(symbol.text))
        g.add(node, ELI.number, Literal(symbol.number))
        type_name = type_by_abbreviation()[symbol.type_abbr].name if symbol.type_abbr else doc_type
        g.add(node, SKOS.prefLabel, _vi(f"{type_name} {symbol.text}" if type_name else symbol.text))
    abbreviation = type_abbreviation(symbol, doc_type)
    if abbreviation is not None:
        g.add(node, ELI.type_document, NamedNode(doctype_uri(abbreviation)))
    if day:
        g.add(node, ELI.date_document, _date(day))
    issue_year = day.year if day else year
    if issue_year:
        g.add(node, CCBC.issueYear, _year(issue_year))
    if issuer:
        g.add(node, ELI.passed_by, _org(g, issuer))
    place = _province(province)
    if place:
        g.add(node, DCTERMS.spatial, NamedNode(place_uri(place.code)))


def _document(
    g: _Graph,
    key: DocumentKey,
    doc_type: str,
    *,
    day: date | None,
    issuer: str | None,
    province: str | None,
    title: str | None,
) -> NamedNode:
    """A numbered document with its Vietnamese expression when a title is known."""
    node = NamedNode(document_uri(key, doc_type))
    symbol = parsed_symbol(key.symbol)
    _describe(g, node, symbol, doc_type, day=day, year=key.year or symbol.year, issuer=issuer, province=province)
    if title:
        _expression(g, node, title)
    return node


def _known(g: _Graph, known: KnownDocument, province: str | None) -> NamedNode:
    """A document of the reference list (data/reference/known_documents.csv)."""
    key = DocumentKey(known.symbol, known.date.year, province)
    return _document(g, key, known.doc_type, day=known.date, issuer=known.issuer, province=province, title=known.title)


def _known_document(g: _Graph, key: DocumentKey) -> NamedNode:
    """A document of the reference list that the plan names only through an amendment, or
    by its name without its number: described from the list."""
    for known in known_documents().get(key.symbol, ()):
        if known.date.year == key.year:
            return _known(g, known, key.province)
    return _document(g, key, "", day=None, issuer=None, province=key.province, title=None)


def _target(g: _Graph, annotation: NamedNode, source: NamedNode, evidence: Evidence) -> None:
    """The words an annotation points at, in the compact form (ontology/README.md, Evidence):
    the source file as target, the offsets and words in its text, and their sentence.

    Five triples instead of the eleven of an oa:SpecificResource with position and quote
    selectors: evidence is most of a plan's graph, and every triple costs build time and
    index space. ``ontology/web-annotation.rq`` gives the selector form for tools that
    want it.
    """
    g.add(annotation, OA.hasTarget, source)
    g.add(annotation, CCBC.startOffset, _offset(evidence.span.start))
    g.add(annotation, CCBC.endOffset, _offset(evidence.span.end))
    g.add(annotation, CCBC.quotedText, Literal(evidence.text))
    g.add(annotation, CCBC.quotedSentence, _vi(evidence.sentence))


def _cite(
    g: _Graph,
    plan: NamedNode,
    source: NamedNode,
    document: NamedNode,
    cited_key: str,
    relation: str,
    mentions: Iterable[tuple[Evidence, str, date | None]],
    *,
    date_as_written: date | None = None,
    note: str | None = None,
) -> None:
    """``<plan> eli:cites <doc>`` (plus the relation's ELI property) and the qualified citation."""
    concept = relation_concept(relation)
    g.add(plan, ELI.cites, document)
    if relation in RELATION_PROPERTY:
        g.add(plan, RELATION_PROPERTY[relation], document)
    citation = NamedNode(citation_uri(plan.value, cited_key))
    g.add(citation, RDF.type, CCBC.Citation)
    g.add(citation, CCBC.citingDocument, plan)
    g.add(citation, CCBC.citedDocument, document)
    g.add(citation, CCBC.relation, concept)
    if date_as_written:
        g.add(citation, CCBC.dateAsWritten, _date(date_as_written))
    if note:
        g.add(citation, CCBC.note, Literal(note))
    for evidence, mention_relation, date_written in mentions:
        mention = NamedNode(mention_uri(plan.value, evidence.span))
        g.add(citation, CCBC.hasMention, mention)
        g.add(mention, RDF.type, CCBC.Mention)
        g.add(mention, OA.motivatedBy, OA.identifying)
        g.add(mention, OA.hasBody, document)
        g.add(mention, CCBC.relation, relation_concept(mention_relation))
        if date_written:
            g.add(mention, CCBC.dateAsWritten, _date(date_written))
        _target(g, mention, source, evidence)


def _citation(
    g: _Graph, plan: NamedNode, source: NamedNode, citation: Citation, by_name: list[UnnumberedCitation]
) -> None:
    """A numbered document the plan cites, with the mentions ``by_name`` that name it without its number."""
    province = citation.issuer_province or citation.key.province
    document = _document(
        g,
        citation.key,
        citation.doc_type,
        day=citation.date,
        issuer=citation.issuer,
        province=province,
        title=citation.title,
    )
    for co_issuer in citation.co_issuers:
        g.add(document, ELI.passed_by, _org(g, co_issuer))
    if not citation.resolved:
        g.add(document, RDF.type, CCBC.UnresolvedDocument)
        for known in known_documents().get(citation.key.symbol, ()):
            candidate = _known(g, known, None)
            if candidate != document:
                g.add(document, CCBC.candidate, candidate)
    mentions = [(m.evidence, m.relation, m.date_written) for m in citation.mentions]
    mentions += [(u.evidence, u.relation, None) for u in by_name]
    # The strongest relation; one that is not known goes on to _cite, which refuses it.
    relation = max([citation.relation, *(u.relation for u in by_name)], key=lambda r: RELATION_RANK.get(r, 0))
    _cite(
        g,
        plan,
        source,
        document,
        key_slug(citation.key),
        relation,
        mentions,
        date_as_written=citation.date_as_written,
        note=citation.note,
    )


def _unnumbered(g: _Graph, plan: NamedNode, source: NamedNode, group: list[UnnumberedCitation]) -> None:
    """One document cited without a number, however many times: the first mention describes
    it. Named as a document of the reference list, it is that numbered document."""
    group = sorted(group, key=lambda u: u.evidence.span)
    first = group[0]
    relation = max((u.relation for u in group), key=RELATION_RANK.__getitem__)
    mentions = [(u.evidence, u.relation, None) for u in group]
    if first.resolved_to:
        document = _known_document(g, first.resolved_to)
        _cite(g, plan, source, document, key_slug(first.resolved_to), relation, mentions)
        return
    key = unnumbered_key(first.name, first.year)
    document = NamedNode(unnumbered_uri(first.name, first.year))
    g.add(document, RDF.type, CCBC.UnnumberedDocument)
    _describe(g, document, None, first.doc_type, day=first.date, year=first.year, issuer=first.issuer, province=None)
    g.add(document, SKOS.prefLabel, _vi(first.surface))
    _cite(g, plan, source, document, f"ref-{key}", relation, mentions)


def _amendment(
    g: _Graph, plan: NamedNode, source: NamedNode, amendment: Amendment, cited: dict[DocumentKey, Citation]
) -> None:
    def document(key: DocumentKey) -> NamedNode:
        citation = cited.get(key)
        return NamedNode(document_uri(key, citation.doc_type)) if citation else _known_document(g, key)

    repeals = amendment.kind == "repeals"
    statement = NamedNode(amendment_uri(plan.value, amendment.evidence.span))
    amending = document(amendment.amending)
    g.add(statement, RDF.type, CCBC.AmendmentStatement)
    g.add(statement, OA.motivatedBy, OA.describing)
    g.add(statement, CCBC.relation, relation_concept("repeals" if repeals else "amends"))
    g.add(statement, CCBC.amendingDocument, amending)
    g.add(statement, OA.hasBody, amending)
    if amendment.amended:
        amended = document(amendment.amended)
        g.add(amending, ELI.repeals if repeals else ELI.amends, amended)
        g.add(statement, CCBC.amendedDocument, amended)
        g.add(statement, OA.hasBody, amended)
    _target(g, statement, source, amendment.evidence)


def _plan(g: _Graph, extraction: PlanExtraction, plan: NamedNode, source: NamedNode) -> None:
    meta = extraction.document
    symbol = parse_symbol(meta.symbol) if meta.symbol else None
    year = meta.date.year if meta.date else meta.year
    g.add(plan, RDF.type, CCBC.Plan)
    _describe(g, plan, symbol, meta.doc_type, day=meta.date, year=year, issuer=meta.issuer, province=meta.province)
    if meta.symbol_as_written:
        g.add(plan, CCBC.symbolAsWritten, Literal(meta.symbol_as_written))
    # The years the plan is for ("năm 2020", "giai đoạn 2021 - 2030"), which may differ
    # from its issue year (a plan for 2020 signed in December 2019).
    if meta.period:
        _period(g, plan, *meta.period)
    elif meta.year:
        _period(g, plan, meta.year, meta.year)
    if meta.signer:
        g.add(plan, CCBC.signerName, Literal(meta.signer))
    if meta.signer_position:
        g.add(plan, CCBC.signerPosition, _vi(meta.signer_position))
    g.add(_expression(g, plan, meta.title), ELI.is_embodied_by, source)


def _period(g: _Graph, plan: NamedNode, first: int, last: int) -> None:
    interval = NamedNode(f"{plan.value}/period")
    g.add(plan, DCTERMS.temporal, interval)
    g.add(interval, RDF.type, TIME.Interval)
    g.add(interval, RDF.type, DCTERMS.PeriodOfTime)
    for relation, name, value in ((TIME.hasBeginning, "beginning", first), (TIME.hasEnd, "end", last)):
        instant = NamedNode(f"{interval.value}/{name}")
        g.add(interval, relation, instant)
        g.add(instant, RDF.type, TIME.Instant)
        g.add(instant, TIME.inXSDGYear, _year(value))


def _provenance(g: _Graph, extraction: PlanExtraction, source: NamedNode, version: str) -> None:
    """The graph was derived from the file by one run of one extractor version (no time: builds repeat)."""
    name = PurePath(extraction.source_name).name
    activity = NamedNode(activity_uri(extraction.sha256, version))
    agent = NamedNode(agent_uri(version))
    g.add(g.name, RDF.type, PROV.Entity)
    g.add(g.name, PROV.wasDerivedFrom, source)
    g.add(g.name, PROV.wasGeneratedBy, activity)
    g.add(source, RDF.type, CCBC.SourceFile)
    g.add(source, RDF.type, PROV.Entity)
    g.add(source, RDF.type, ELI.Format)
    g.add(source, CCBC.fileName, Literal(name))
    g.add(source, CCBC.sha256, Literal(extraction.sha256))
    media_type = _MEDIA_TYPES.get(PurePath(name).suffix.lower())
    if media_type:
        g.add(source, DCTERMS.format, NamedNode(_IANA_MEDIA_TYPES + media_type))
    g.add(activity, RDF.type, PROV.Activity)
    g.add(activity, PROV.used, source)
    g.add(activity, PROV.wasAssociatedWith, agent)
    g.add(agent, RDF.type, PROV.SoftwareAgent)
    g.add(agent, RDFS.label, Literal(f"ccbc-graph {version}"))
    g.add(agent, CCBC.extractorVersion, Literal(version))


# --- coordination: bodies, tasks, budgets, responsibilities ------------------------------


def _words(text: str) -> str:
    """Text on one line: cells and duties run over several lines in the exports."""
    return " ".join(text.split())


def _money(g: _Graph, uri: str, amount: int) -> NamedNode:
    node = NamedNode(uri)
    g.add(node, RDF.type, SCHEMA.MonetaryAmount)
    # xsd:integer: Oxigraph stores integer subtypes as xsd:integer, and amounts are whole đồng.
    g.add(node, SCHEMA.value, Literal(str(amount), datatype=XSD.integer))
    g.add(node, SCHEMA.currency, Literal("VND"))
    return node


def _evidence_of(
    g: _Graph, annotation: NamedNode, body: NamedNode, source: NamedNode, evidence: Evidence, motivation: NamedNode
) -> None:
    """``annotation`` is a ccbc:Mention of ``body`` at ``evidence`` in the source file."""
    g.add(annotation, RDF.type, CCBC.Mention)
    g.add(annotation, OA.motivatedBy, motivation)
    g.add(annotation, OA.hasBody, body)
    _target(g, annotation, source, evidence)


def _text_evidence(text: PlanText, span: Span) -> Evidence:
    """Evidence for an original span the extractor gives without one: exact words and clause."""
    return text.evidence(*text.clean_range(span))


def _body_mentions(extraction: PlanExtraction) -> dict[str, list[AgencyMention]]:
    """Each body (canonical name) with every mention of it: in the text, the task cells, the duties."""
    found: dict[str, list[AgencyMention]] = {}
    mentions = list(extraction.agencies)
    for task in extraction.tasks:
        mentions += [*task.lead, *task.coordinators]
    for responsibility in extraction.responsibilities:
        mentions += [responsibility.agency, *responsibility.partners]
    for mention in mentions:
        found.setdefault(mention.canonical, []).append(mention)
    return found


def _identity(mentions: list[AgencyMention]) -> AgencyMention:
    """The reading of a body (kind, level, province, group, parent) most of its mentions
    agree on; ties go to the first in sort order, so the choice does not depend on order."""

    def reading(m: AgencyMention) -> tuple[str, str, str, bool, str]:
        return m.kind, m.level, m.province or "", m.collective, m.parent or ""

    counts = Counter(reading(m) for m in mentions)
    best = min(counts, key=lambda r: (-counts[r], r))
    return next(m for m in mentions if reading(m) == best)


def _bodies(g: _Graph, extraction: PlanExtraction) -> dict[str, NamedNode]:
    """Every body the plan names: types, labels, kind and level, parent, province."""
    mentions = _body_mentions(extraction)
    identities = {name: _identity(found) for name, found in mentions.items()}
    nodes: dict[str, NamedNode] = {}
    for name in sorted(identities):
        who = identities[name]
        node = nodes[name] = _org(g, name)
        for surface in {_words(m.surface) for m in mentions[name]} - {name, ""}:
            g.add(node, SKOS.altLabel, _vi(surface))
        if who.collective:
            g.add(node, RDF.type, CCBC.CollectiveBody)
        if who.kind:
            g.add(node, ORG.classification, NamedNode(body_kind_uri(who.kind)))
        # A unit the lexicon gives no level works at its parent's.
        parent = identities.get(who.parent) if who.parent else None
        level = who.level or (parent.level if parent else "")
        if level in BODY_LEVELS:
            g.add(node, ORG.classification, NamedNode(body_level_uri(level)))
        if who.parent:
            g.add(node, ORG.subOrganizationOf, _org(g, who.parent))
        place = _province(who.province)
        if place:
            g.add(node, DCTERMS.spatial, NamedNode(place_uri(place.code)))
    return nodes


def _mentions_of_bodies(
    g: _Graph,
    plan: NamedNode,
    source: NamedNode,
    extraction: PlanExtraction,
    text: PlanText,
    bodies: dict[str, NamedNode],
) -> None:
    """A ccbc:Mention for the first place the text writes a body in each of its ways.

    Each skos:altLabel (and the prefLabel, when the text writes it) keeps its evidence;
    a body's later mentions in the same words add nothing the graph states. A plan names
    its bodies about three times per way of writing them, and evidence is most of a plan
    graph. A list naming two bodies is one place, one mention with both as bodies.
    """
    first: dict[tuple[str, str], Span] = {}
    for mention in sorted(extraction.agencies, key=lambda m: m.span):
        first.setdefault((mention.canonical, _words(mention.surface)), mention.span)
    for span, name in sorted({(span, name) for (name, _), span in first.items()}):
        evidence = _text_evidence(text, span)
        mention = NamedNode(mention_uri(plan.value, evidence.span))
        _evidence_of(g, mention, bodies[name], source, evidence, OA.identifying)


def _row_position(task: Task) -> tuple[int, int]:
    """Where a row stands in the text: its first cell of its own (not merged from above)."""
    own = [e.span.start for column, e in task.cells.items() if column not in task.inherited]
    starts = own or [e.span.start for e in task.cells.values()]
    return min(starts, default=0), task.row


def _tasks(g: _Graph, plan: NamedNode, source: NamedNode, tasks: list[Task], bodies: dict[str, NamedNode]) -> None:
    """The rows of the task tables; a new table starts where the row numbers start again."""
    table, previous_row = 0, 0
    budget: NamedNode | None = None
    for task in sorted(tasks, key=_row_position):
        if table == 0 or task.row <= previous_row:
            table, budget = table + 1, None
        previous_row = task.row
        node = NamedNode(task_uri(plan.value, table, task.row))
        g.add(node, RDF.type, CCBC.Task)
        g.add(node, CCBC.inPlan, plan)
        g.add(node, CCBC.rowNumber, Literal(str(task.row), datatype=XSD.integer))
        g.add(node, DCTERMS.title, _vi(_words(task.task)))
        for lead in task.lead:
            g.add(node, CCBC.leadBody, bodies[lead.canonical])
        for coordinator in task.coordinators:
            g.add(node, CCBC.coordinatingBody, bodies[coordinator.canonical])
        for predicate, value in (
            (CCBC.product, task.product),
            (CCBC.timeframeText, task.timeframe),
            (CCBC.budgetText, task.budget_text),
        ):
            if value and _words(value):
                g.add(node, predicate, _vi(_words(value)))
        # A budget cell merged over several rows is one amount for them all: the rows
        # below share the node of the row that prints it, so sums count it once.
        if "budget" in task.inherited and budget is not None:
            g.add(node, CCBC.budget, budget)
        elif task.budget_vnd is not None:
            budget = _money(g, f"{node.value}/budget", task.budget_vnd)
            g.add(node, CCBC.budget, budget)
        else:
            budget = None
        for column, evidence in sorted(task.cells.items()):
            cell = NamedNode(f"{node.value}/cell/{ascii_slug(column)}")
            _evidence_of(g, cell, node, source, evidence, OA.describing)
            g.add(cell, CCBC.column, Literal(column))


def _budget_check(g: _Graph, plan: NamedNode, source: NamedNode, extraction: PlanExtraction) -> None:
    """The printed total ("Tổng cộng", summed over the tables) against the sum of the rows,
    kept whether or not they agree; each printed total is evidence."""
    stated = extraction.stated_budget_total_vnd
    if stated is None:
        return
    rows = extraction.budget_total_vnd or 0
    check = NamedNode(budget_check_uri(plan.value))
    g.add(check, RDF.type, CCBC.BudgetCheck)
    g.add(check, CCBC.inPlan, plan)
    g.add(check, CCBC.statedTotal, _money(g, f"{check.value}/stated-total", stated))
    g.add(check, CCBC.rowSum, _money(g, f"{check.value}/row-sum", rows))
    g.add(check, CCBC.totalMatches, Literal(str(stated == rows).lower(), datatype=XSD.boolean))
    printed = extraction.stated_budget_total_evidence
    for n, evidence in enumerate(printed, 1):
        # One printed total keeps the plain name; the totals of several tables are numbered.
        mention = NamedNode(f"{check.value}/evidence" + (f"/{n}" if len(printed) > 1 else ""))
        _evidence_of(g, mention, check, source, evidence, OA.describing)


def _responsibility(
    g: _Graph,
    plan: NamedNode,
    source: NamedNode,
    responsibility: Responsibility,
    text: PlanText,
    bodies: dict[str, NamedNode],
) -> None:
    """A body's duties in the "Tổ chức thực hiện" section and the bodies it is to work with."""
    node = NamedNode(responsibility_uri(plan.value, responsibility.duty_span, responsibility.agency.canonical))
    g.add(node, RDF.type, CCBC.Responsibility)
    g.add(node, CCBC.inPlan, plan)
    g.add(node, CCBC.responsibleBody, bodies[responsibility.agency.canonical])
    for partner in responsibility.partners:
        g.add(node, CCBC.partnerBody, bodies[partner.canonical])
    g.add(node, CCBC.dutyText, _vi(_words(responsibility.duty_text)))
    evidence = _text_evidence(text, responsibility.duty_span)
    _evidence_of(g, NamedNode(f"{node.value}/duty"), node, source, evidence, OA.describing)


def _coordination(g: _Graph, plan: NamedNode, source: NamedNode, extraction: PlanExtraction) -> None:
    """Who does what in the plan: bodies and their mentions, tasks, budgets, duties."""
    bodies = _bodies(g, extraction)
    if extraction.agencies or extraction.responsibilities:
        # The extractor gives body and duty spans without sentences: cut them here, the
        # way the extractor cuts every other piece of evidence.
        text = extraction.text_read or PlanText(clean(extraction.text))
        _mentions_of_bodies(g, plan, source, extraction, text, bodies)
        for responsibility in extraction.responsibilities:
            _responsibility(g, plan, source, responsibility, text, bodies)
    _tasks(g, plan, source, extraction.tasks, bodies)
    _budget_check(g, plan, source, extraction)


def plan_quads(extraction: PlanExtraction, *, version: str) -> list[Quad]:
    """Every fact of one plan, in its own named graph; the same extraction gives the same list."""
    g = _Graph(graph_uri(extraction.source_name))
    plan = NamedNode(plan_uri(extraction))
    source = NamedNode(source_uri(extraction.sha256))
    _provenance(g, extraction, source, version)
    _plan(g, extraction, plan, source)
    cited = {citation.key: citation for citation in extraction.citations}
    # A document named both by its number and without it is one citation.
    by_name: dict[DocumentKey, list[UnnumberedCitation]] = {}
    groups: dict[DocumentKey | str, list[UnnumberedCitation]] = {}
    for unnumbered in extraction.unnumbered_citations:
        if unnumbered.resolved_to in cited:
            by_name.setdefault(unnumbered.resolved_to, []).append(unnumbered)
        else:
            group = unnumbered.resolved_to or unnumbered_key(unnumbered.name, unnumbered.year)
            groups.setdefault(group, []).append(unnumbered)
    for citation in extraction.citations:
        _citation(g, plan, source, citation, by_name.get(citation.key, []))
    for group in groups.values():
        _unnumbered(g, plan, source, group)
    for amendment in extraction.amendments:
        _amendment(g, plan, source, amendment, cited)
    _coordination(g, plan, source, extraction)
    return g.as_list()


def reference_quads() -> list[Quad]:
    """Document types and provinces (before and after the 1 July 2025 merger) as SKOS schemes."""
    g = _Graph(reference_graph_uri())
    types = NamedNode(doctype_scheme_uri())
    g.add(types, RDF.type, SKOS.ConceptScheme)
    g.add(types, SKOS.prefLabel, _vi("Loại văn bản"))
    g.add(types, SKOS.prefLabel, Literal("Document types", language="en"))
    for doc_type in document_types():
        concept = NamedNode(doctype_uri(doc_type.abbreviation))
        g.add(concept, RDF.type, SKOS.Concept)
        g.add(concept, RDF.type, ELI.ResourceType)
        g.add(concept, SKOS.inScheme, types)
        g.add(concept, SKOS.prefLabel, _vi(doc_type.name))
        if doc_type.abbreviation:
            g.add(concept, SKOS.notation, Literal(doc_type.abbreviation))
    before = NamedNode(place_scheme_uri())
    after = NamedNode(place_2025_scheme_uri())
    g.add(before, RDF.type, SKOS.ConceptScheme)
    g.add(before, SKOS.prefLabel, _vi("Tỉnh, thành phố trực thuộc trung ương (đến 30/6/2025)"))
    g.add(after, RDF.type, SKOS.ConceptScheme)
    g.add(after, SKOS.prefLabel, _vi("Tỉnh, thành phố trực thuộc trung ương (từ 1/7/2025)"))
    for province in provinces():
        old = NamedNode(place_uri(province.code))
        new = NamedNode(place_2025_uri(province.merged_into_code))
        for node, scheme, code, name in (
            (old, before, province.code, province.name),
            (new, after, province.merged_into_code, province.merged_into_name),
        ):
            g.add(node, RDF.type, SKOS.Concept)
            g.add(node, RDF.type, ELI.AdministrativeArea)
            g.add(node, RDF.type, DCTERMS.Location)
            g.add(node, SKOS.inScheme, scheme)
            g.add(node, SKOS.notation, Literal(code))
            g.add(node, DCTERMS.identifier, Literal(code))
            g.add(node, SKOS.prefLabel, _vi(name))
        g.add(old, CCBC.unitKind, _vi(province.kind))
        g.add(old, SKOS.altLabel, _vi(f"{province.kind} {province.name}"))
        g.add(old, DCTERMS.isReplacedBy, new)
        g.add(new, DCTERMS.replaces, old)
    _body_schemes(g)
    return g.as_list()


def _body_schemes(g: _Graph) -> None:
    """The kinds of body (the lexicon's kind values) and the levels of government, as SKOS schemes."""
    kinds = NamedNode(f"{base_uri()}org-kind")
    levels = NamedNode(f"{base_uri()}org-level")
    g.add(kinds, RDF.type, SKOS.ConceptScheme)
    g.add(kinds, SKOS.prefLabel, _vi("Loại cơ quan, tổ chức"))
    g.add(kinds, SKOS.prefLabel, Literal("Kinds of body", language="en"))
    g.add(levels, RDF.type, SKOS.ConceptScheme)
    g.add(levels, SKOS.prefLabel, _vi("Cấp hành chính"))
    g.add(levels, SKOS.prefLabel, Literal("Levels of government", language="en"))
    # The lexicon names kinds in English only (data/lexicon/agency_names.csv, "kind").
    for kind in sorted({entry.kind for entry in body_entries() if entry.kind}):
        concept = NamedNode(body_kind_uri(kind))
        g.add(concept, RDF.type, SKOS.Concept)
        g.add(concept, SKOS.inScheme, kinds)
        g.add(concept, SKOS.notation, Literal(kind))
        g.add(concept, SKOS.prefLabel, Literal(kind, language="en"))
    for level, english in BODY_LEVELS.items():
        concept = NamedNode(body_level_uri(level))
        g.add(concept, RDF.type, SKOS.Concept)
        g.add(concept, SKOS.inScheme, levels)
        g.add(concept, SKOS.notation, Literal(ascii_slug(level)))
        g.add(concept, SKOS.prefLabel, _vi(level))
        g.add(concept, SKOS.prefLabel, Literal(english, language="en"))


def to_nquads(quads: Iterable[Quad]) -> str:
    """Sorted N-Quads text: the canonical form two builds are compared in."""
    lines = serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8").splitlines()
    return "".join(f"{line}\n" for line in sorted(lines))


def to_rdflib_dataset(quads: Iterable[Quad]) -> rdflib.Dataset:
    """The quads as an rdflib Dataset, for pyshacl and rdflib's serializers (not the hot path)."""
    import rdflib  # here: a build never needs it, and it takes a tenth of a second to import

    dataset = rdflib.Dataset()
    dataset.parse(data=serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return dataset
