"""The RDF mapping: shapes conform, broken graphs do not, builds repeat byte for byte."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate

from ccbc_graph.extract.citations import RELATION_RANK
from ccbc_graph.model import (
    Amendment,
    Citation,
    CitationMention,
    DocumentKey,
    DocumentMeta,
    Evidence,
    PlanExtraction,
    Span,
    UnnumberedCitation,
)
from ccbc_graph.rdf import RELATION_PROPERTY, plan_quads, reference_quads, to_nquads, to_rdflib_dataset
from ccbc_graph.uris import (
    CCBC,
    DCTERMS,
    ELI,
    OA,
    PROV,
    RDF,
    SKOS,
    XSD,
    doctype_uri,
    document_uri,
    graph_uri,
    place_2025_uri,
    place_uri,
    plan_uri,
    source_uri,
    unnumbered_uri,
)

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SHA = "61cde288daefbc05" + "0" * 48
VERSION = "0.1.0"

TEXT = (
    "Số: 259 /KH-UBND\n"
    "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08 tháng 11 năm 2011 của Chính phủ; Nghị quyết số 76/NQ-CP "
    "của Chính phủ về sửa đổi, bổ sung một số điều của Nghị quyết số 30c/NQ-CP;\n"
    "Thực hiện Kế hoạch số 164/KH-UBND ngày 09 tháng 12 năm 2019 của Ủy ban nhân dân tỉnh;\n"
    "Tuyên truyền Nghị quyết Trung ương 5, khóa X; nhắc lại Nghị quyết Trung ương 5, khóa X và "
    "Nghị quyết số 30c/NQ-CP.\n"
    "Nghị quyết 76/NQ-CP bãi bỏ một số văn bản.\n"
)


def _evidence(needle: str, occurrence: int = 0) -> Evidence:
    """Evidence for the n-th occurrence of ``needle`` in TEXT, its line as the sentence."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    line_start = TEXT.rindex("\n", 0, start) + 1
    line_end = TEXT.index("\n", start)
    return Evidence(Span(start, start + len(needle)), needle, Span(line_start, line_end), TEXT[line_start:line_end])


K30C = DocumentKey("30c/NQ-CP", 2011)
K76 = DocumentKey("76/NQ-CP", None)
K164 = DocumentKey("164/KH-UBND", 2019, "Kiên Giang")
KH_KG = "Ủy ban nhân dân tỉnh Kiên Giang"


def _extraction(*, with_symbol: bool) -> PlanExtraction:
    meta = DocumentMeta(
        doc_type="Kế hoạch",
        symbol="259/KH-UBND" if with_symbol else None,
        symbol_as_written="259 /KH-UBND" if with_symbol else None,
        date=date(2020, 3, 2) if with_symbol else None,
        year=2020,
        period=(2021, 2025),
        title="Thực hiện công tác thông tin, tuyên truyền về cải cách hành chính năm 2020",
        issuer=KH_KG,
        province="Kiên Giang",
        signer="Lê Thị Minh Phụng",
        signer_position="Phó Chủ tịch",
    )
    citations = [
        Citation(
            key=K30C,
            symbol="30c/NQ-CP",
            doc_type="Nghị quyết",
            date=date(2011, 11, 8),
            issuer="Chính phủ",
            relation="basis",
            mentions=[
                CitationMention("30c/NQ-CP", _evidence("Nghị quyết số 30c/NQ-CP"), "basis", "Nghị quyết"),
                CitationMention("30c/NQ-CP", _evidence("Nghị quyết số 30c/NQ-CP", 1), "references", "Nghị quyết"),
                CitationMention("30c/NQ-CP", _evidence("Nghị quyết số 30c/NQ-CP", 2), "references", "Nghị quyết"),
            ],
            title="Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020",
        ),
        Citation(
            key=K76,
            symbol="76/NQ-CP",
            doc_type="Nghị quyết",
            date=None,
            issuer="Chính phủ",
            relation="basis",
            mentions=[CitationMention("76/NQ-CP", _evidence("Nghị quyết số 76/NQ-CP"), "basis", "Nghị quyết")],
            resolved=False,
            note="no date in the text: 76/NQ-CP of 2013 or of 2021",
        ),
        Citation(
            key=K164,
            symbol="164/KH-UBND",
            doc_type="Kế hoạch",
            date=date(2019, 12, 9),
            issuer=KH_KG,
            relation="implements",
            mentions=[
                CitationMention(
                    "164/KH-UBND",
                    _evidence("Kế hoạch số 164/KH-UBND"),
                    "implements",
                    "Kế hoạch",
                    date_written=date(2019, 12, 9),
                    issuer_written="Ủy ban nhân dân tỉnh",
                    issuer_province="Kiên Giang",
                )
            ],
            issuer_province="Kiên Giang",
            date_as_written=date(2019, 12, 10),
        ),
    ]
    surface = "Nghị quyết Trung ương 5, khóa X"
    unnumbered = [
        UnnumberedCitation(surface, "Nghị quyết", _evidence(surface, 1), issuer="Ban Chấp hành Trung ương Đảng"),
        UnnumberedCitation(surface, "Nghị quyết", _evidence(surface), issuer="Ban Chấp hành Trung ương Đảng"),
    ]
    amendments = [
        Amendment(K76, K30C, "amends", _evidence("về sửa đổi, bổ sung một số điều của Nghị quyết số 30c/NQ-CP")),
        Amendment(K76, None, "repeals", _evidence("Nghị quyết 76/NQ-CP bãi bỏ một số văn bản")),
    ]
    return PlanExtraction(
        source_name="plans/kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt",
        sha256=SHA,
        text=TEXT,
        document=meta,
        citations=citations,
        unnumbered_citations=unnumbered,
        amendments=amendments,
    )


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "ccbc.ttl", format="turtle")


def _triples(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def _iri(value: str) -> str:
    return f"<{value}>"


def _validate(quads: list[ox.Quad], shapes: rdflib.Graph) -> tuple[bool, str]:
    """Validate each named graph on its own: a plan graph must be complete in itself.

    (pyshacl, given a whole Dataset, validates the union of its graphs.)
    """
    dataset = to_rdflib_dataset(quads)
    assert len(list(dataset.quads((None, None, None, None)))) == len(set(quads)), "every quad reached rdflib"
    results = []
    for graph in dataset.graphs():
        if len(graph):
            conforms, _, report = validate(graph, shacl_graph=shapes, advanced=True)
            results.append((bool(conforms), str(report)))
    assert results, "nothing was validated"
    return all(conforms for conforms, _ in results), "\n".join(report for _, report in results)


@pytest.mark.parametrize("with_symbol", [True, False], ids=["numbered-plan", "unnumbered-plan"])
def test_plan_graph_conforms_to_shapes(with_symbol: bool, shapes: rdflib.Graph) -> None:
    conforms, report = _validate(plan_quads(_extraction(with_symbol=with_symbol), version=VERSION), shapes)
    assert conforms, report


def test_two_plan_graphs_conform_alone_and_together(shapes: rdflib.Graph) -> None:
    other = _extraction(with_symbol=False)
    other.source_name = "copy-of-the-same-file.md"
    quads = [*plan_quads(_extraction(with_symbol=True), version=VERSION), *plan_quads(other, version=VERSION)]
    assert len({q.graph_name for q in quads}) == 2
    conforms, report = _validate(quads, shapes)
    assert conforms, report
    conforms, _, union_report = validate(to_rdflib_dataset(quads), shacl_graph=shapes, advanced=True)
    assert conforms, union_report


def _drop(quads: list[ox.Quad], predicate: ox.NamedNode, subject_part: str = "") -> list[ox.Quad]:
    return [q for q in quads if not (q.predicate == predicate and subject_part in q.subject.value)]


def _replace_object(quads: list[ox.Quad], predicate: ox.NamedNode, new: ox.Literal | ox.NamedNode) -> list[ox.Quad]:
    """Replace the object of the first quad with ``predicate`` (quads are sorted: deterministic)."""
    index = next(i for i, q in enumerate(quads) if q.predicate == predicate)
    broken = list(quads)
    quad = broken[index]
    broken[index] = ox.Quad(quad.subject, quad.predicate, new, quad.graph_name)
    return broken


def _second_date(quads: list[ox.Quad]) -> list[ox.Quad]:
    dated = next(q for q in quads if q.predicate == ELI.date_document)
    other = ox.Literal("1999-01-01", datatype=XSD.date)
    return [ox.Quad(dated.subject, dated.predicate, other, dated.graph_name)]


# How to break a good plan graph, and the SHACL constraint component that must catch it.
BREAKAGES = {
    "mention-without-target": (lambda qs: _drop(qs, OA.hasTarget, "/mention/"), "MinCount"),
    "mention-without-sentence": (lambda qs: _drop(qs, CCBC.quotedSentence, "/mention/"), "MinCount"),
    "start-after-end": (
        lambda qs: _replace_object(qs, CCBC.startOffset, ox.Literal("999999", datatype=XSD.integer)),
        "LessThanOrEquals",
    ),
    "negative-offset": (
        lambda qs: _replace_object(qs, CCBC.endOffset, ox.Literal("-1", datatype=XSD.integer)),
        "MinInclusive",
    ),
    "quoted-words-missing": (lambda qs: _drop(qs, CCBC.quotedText, "/mention/"), "MinCount"),
    "target-not-the-source-file": (
        lambda qs: _replace_object(qs, OA.hasTarget, ox.NamedNode("https://example.org/elsewhere")),
        "Class",
    ),
    "bad-sha256": (lambda qs: _replace_object(qs, CCBC.sha256, ox.Literal("ABC")), "Pattern"),
    "relation-outside-scheme": (lambda qs: _replace_object(qs, CCBC.relation, ELI.corrects), "In"),
    "citation-without-mention": (lambda qs: _drop(qs, CCBC.hasMention), "MinCount"),
    "citation-without-eli-cites": (lambda qs: _drop(qs, ELI.cites), "SPARQL"),
    "cited-not-a-legal-resource": (
        lambda qs: [q for q in qs if not (q.object == ELI.LegalResource and "/kh/164" in q.subject.value)],
        "Class",
    ),
    "two-dates": (lambda qs: [*qs, *_second_date(qs)], "MaxCount"),
    "date-not-a-date": (lambda qs: _replace_object(qs, ELI.date_document, ox.Literal("08/11/2011")), "Datatype"),
    "type-document-literal": (lambda qs: _replace_object(qs, ELI.type_document, ox.Literal("NQ")), "NodeKind"),
    "no-provenance": (
        lambda qs: [q for q in qs if "/activity/" not in str(q) and q.predicate != PROV.wasDerivedFrom],
        "SPARQL",
    ),
    "unnumbered-without-label": (
        lambda qs: [q for q in qs if not (q.predicate == SKOS.prefLabel and "/ref/" in q.subject.value)],
        "MinCount",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_broken_graph_does_not_conform(breakage: str, shapes: rdflib.Graph) -> None:
    quads = plan_quads(_extraction(with_symbol=True), version=VERSION)
    breaking, component = BREAKAGES[breakage]
    broken = breaking(quads)
    assert broken != quads
    conforms, report = _validate(broken, shapes)
    assert not conforms, f"{breakage}: shapes accepted a broken graph"
    assert f"Constraint Violation in {component}ConstraintComponent" in report, report


def test_mapping_twice_gives_identical_nquads() -> None:
    first = to_nquads(plan_quads(_extraction(with_symbol=True), version=VERSION))
    second = to_nquads(plan_quads(_extraction(with_symbol=True), version=VERSION))
    assert first == second
    assert first.encode("utf-8") == second.encode("utf-8")
    assert plan_quads(_extraction(with_symbol=True), version=VERSION) == plan_quads(
        _extraction(with_symbol=True), version=VERSION
    )


def test_list_order_does_not_change_the_graph() -> None:
    extraction = _extraction(with_symbol=False)
    reordered = _extraction(with_symbol=False)
    reordered.citations.reverse()
    reordered.unnumbered_citations.reverse()
    reordered.amendments.reverse()
    assert to_nquads(plan_quads(extraction, version=VERSION)) == to_nquads(plan_quads(reordered, version=VERSION))


@pytest.mark.parametrize("with_symbol", [True, False])
def test_no_blank_nodes_and_one_named_graph(with_symbol: bool) -> None:
    extraction = _extraction(with_symbol=with_symbol)
    quads = plan_quads(extraction, version=VERSION)
    graph = ox.NamedNode(graph_uri(extraction.source_name))
    for quad in [*quads, *reference_quads()]:
        assert isinstance(quad.subject, ox.NamedNode), quad
        assert isinstance(quad.object, ox.NamedNode | ox.Literal), quad
    assert {q.graph_name for q in quads} == {graph}
    assert "_:" not in to_nquads(quads)


def test_no_timestamps_in_plan_graph() -> None:
    quads = plan_quads(_extraction(with_symbol=True), version=VERSION)
    assert not [q for q in quads if isinstance(q.object, ox.Literal) and q.object.datatype.value.endswith("dateTime")]


def _ccbc_terms(quads: list[ox.Quad]) -> set[str]:
    terms = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(CCBC.iri):
                terms.add(term.value)
    return terms


def test_ontology_declares_every_ccbc_term_the_mapping_uses(ontology: rdflib.Graph) -> None:
    quads = [
        *plan_quads(_extraction(with_symbol=True), version=VERSION),
        *plan_quads(_extraction(with_symbol=False), version=VERSION),
        *reference_quads(),
    ]
    used = _ccbc_terms(quads)
    assert len(used) > 20
    undeclared = sorted(term for term in used if (rdflib.URIRef(term), rdflib.RDF.type, None) not in ontology)
    assert not undeclared
    labelled = {str(s) for s in ontology.subjects(rdflib.RDFS.label, None)} | {
        str(s) for s in ontology.subjects(rdflib.SKOS.prefLabel, None)
    }
    assert used <= labelled


def test_ontology_relation_concepts_match_the_mapping(ontology: rdflib.Graph) -> None:
    skos = rdflib.SKOS
    scheme = rdflib.URIRef(CCBC.iri + "CitationRelations")
    concepts = set(ontology.subjects(skos.inScheme, scheme))
    notations = {str(ontology.value(c, skos.notation)): c for c in concepts}
    assert set(notations) == set(RELATION_RANK)
    for notation, concept in notations.items():
        labels = {(lit.language, str(lit)) for lit in ontology.objects(concept, skos.prefLabel)}
        assert {lang for lang, _ in labels} == {"en", "vi"}
        expected = RELATION_PROPERTY.get(notation, ELI.cites).value
        assert str(ontology.value(concept, rdflib.RDFS.seeAlso)) == expected
    assert ("vi", "căn cứ") in {
        (lit.language, str(lit)) for lit in ontology.objects(notations["basis"], skos.prefLabel)
    }
    note = str(ontology.value(scheme, skos.note))
    strongest_first = sorted(RELATION_RANK, key=RELATION_RANK.__getitem__, reverse=True)
    assert sorted(strongest_first, key=note.index) == strongest_first


def test_ontology_header_carries_the_uri_templates(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef("https://w3id.org/ccbc-graph/ontology")
    assert (header, rdflib.RDF.type, rdflib.OWL.Ontology) in ontology
    templates = str(ontology.value(header, rdflib.SKOS.note))
    for template in ("eli/vn/{issuer}/{year}/{type}/{number}", "doc/{first 16 hex", "{plan}/mention/{start}-{end}"):
        assert template in templates


def test_plan_content() -> None:
    extraction = _extraction(with_symbol=True)
    triples = _triples(plan_quads(extraction, version=VERSION))
    plan = _iri(plan_uri(extraction))
    assert plan == "<https://w3id.org/ccbc-graph/eli/vn/ubnd-kien-giang/2020/kh/259>"
    d30c = _iri(document_uri(K30C, "Nghị quyết"))
    d76 = _iri(document_uri(K76, "Nghị quyết"))
    d164 = _iri(document_uri(K164, "Kế hoạch"))
    ref = _iri(unnumbered_uri("Nghị quyết Trung ương 5, khóa X"))
    assert d76 == "<https://w3id.org/ccbc-graph/eli/vn/cp/unresolved/nq/76>"
    expected = {
        (plan, str(ELI.cites), d30c),
        (plan, str(ELI.based_on), d30c),
        (plan, str(ELI.based_on), d76),
        (plan, str(ELI.implements), d164),
        (plan, str(ELI.cites), ref),
        (plan, str(ELI.id_local), '"259/KH-UBND"'),
        (plan, str(CCBC.symbolAsWritten), '"259 /KH-UBND"'),
        (plan, str(DCTERMS.spatial), _iri(place_uri("91"))),
        (plan, str(ELI.type_document), _iri(doctype_uri("KH"))),
        (plan, str(CCBC.issueYear), '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
        (d30c, str(SKOS.prefLabel), '"Nghị quyết 30c/NQ-CP"@vi'),
        (d30c, str(ELI.date_document), '"2011-11-08"^^<http://www.w3.org/2001/XMLSchema#date>'),
        (d164, str(DCTERMS.spatial), _iri(place_uri("91"))),
        (d76, str(RDF.type), str(CCBC.UnresolvedDocument)),
        (d76, str(CCBC.candidate), _iri(document_uri(DocumentKey("76/NQ-CP", 2013), "Nghị quyết"))),
        (d76, str(CCBC.candidate), _iri(document_uri(DocumentKey("76/NQ-CP", 2021), "Nghị quyết"))),
        (d76, str(ELI.amends), d30c),
        (ref, str(RDF.type), str(CCBC.UnnumberedDocument)),
        (ref, str(SKOS.prefLabel), '"Nghị quyết Trung ương 5, khóa X"@vi'),
        (ref, str(ELI.passed_by), "<https://w3id.org/ccbc-graph/org/ban-chap-hanh-trung-uong-dang>"),
    }
    assert expected <= triples
    # "references" adds nothing beyond eli:cites; the strongest relation wins (basis for 30c).
    assert (plan, str(ELI.implements), d30c) not in triples
    # the repeal without a target states no eli:repeals and no amended document
    assert not [t for t in triples if t[1] == str(ELI.repeals)]
    statements = {t[0] for t in triples if t[2] == str(CCBC.AmendmentStatement)}
    assert len(statements) == 2
    assert len([t for t in triples if t[1] == str(CCBC.amendedDocument)]) == 1
    # the unnumbered document is cited twice but is one citation with two mentions
    ref_citations = {t[0] for t in triples if t[1] == str(CCBC.citedDocument) and t[2] == ref}
    assert len(ref_citations) == 1
    assert len([t for t in triples if t[0] in ref_citations and t[1] == str(CCBC.hasMention)]) == 2


def test_evidence_offsets_point_into_the_original_text() -> None:
    extraction = _extraction(with_symbol=False)
    quads = plan_quads(extraction, version=VERSION)
    names = {CCBC.startOffset: "start", CCBC.endOffset: "end", CCBC.quotedText: "exact"}
    values: dict[str, dict[str, str]] = {}
    for quad in quads:
        if quad.predicate in names:
            values.setdefault(quad.subject.value, {})[names[quad.predicate]] = quad.object.value
    assert len(values) == 3 + 1 + 1 + 2 + 2  # 30c x3, 76, 164, unnumbered x2, amendments x2
    for annotation, found in values.items():
        start, end = int(found["start"]), int(found["end"])
        assert TEXT[start:end] == found["exact"], annotation
        assert annotation.endswith(f"/{start}-{end}")


def test_web_annotation_view_writes_the_selector_form() -> None:
    """ontology/web-annotation.rq gives every piece of evidence as a Web Annotation with a
    SpecificResource on the source file and position and quote selectors of the same words."""
    extraction = _extraction(with_symbol=False)
    store = ox.Store()
    store.extend(plan_quads(extraction, version=VERSION))
    view: dict[ox.NamedNode, dict[ox.NamedNode, set]] = {}
    for t in store.query((ONTOLOGY / "web-annotation.rq").read_text(), use_default_graph_as_union=True):
        view.setdefault(t.subject, {}).setdefault(t.predicate, set()).add(t.object)

    def one(node: ox.NamedNode, predicate: ox.NamedNode) -> ox.NamedNode | ox.Literal:
        (value,) = view[node][predicate]
        return value

    annotations = [node for node, said in view.items() if OA.Annotation in said.get(RDF.type, ())]
    assert len(annotations) == 3 + 1 + 1 + 2 + 2  # every mention and amendment statement
    for annotation in annotations:
        target = one(annotation, OA.hasTarget)
        assert one(target, RDF.type) == OA.SpecificResource
        assert one(target, OA.hasSource) == ox.NamedNode(source_uri(SHA))
        selectors = {one(selector, RDF.type): selector for selector in view[target][OA.hasSelector]}
        assert set(selectors) == {OA.TextPositionSelector, OA.TextQuoteSelector}
        position = selectors[OA.TextPositionSelector]
        start, end = int(one(position, OA.start).value), int(one(position, OA.end).value)
        assert one(selectors[OA.TextQuoteSelector], OA.exact).value == TEXT[start:end]
        assert annotation.value.endswith(f"/{start}-{end}")
        assert one(annotation, OA.motivatedBy) in {OA.identifying, OA.describing}
        assert view[annotation][OA.hasBody]
        assert one(annotation, CCBC.quotedSentence).value


def test_reference_graph() -> None:
    triples = _triples(reference_quads())
    hai_duong = _iri(place_uri("30"))
    assert (hai_duong, str(DCTERMS.isReplacedBy), _iri(place_2025_uri("31"))) in triples
    assert (hai_duong, str(SKOS.notation), '"30"') in triples
    assert (hai_duong, str(SKOS.prefLabel), '"Hải Dương"@vi') in triples
    assert (hai_duong, str(CCBC.unitKind), '"tỉnh"@vi') in triples
    assert (_iri(doctype_uri("QĐ")), str(SKOS.notation), '"QĐ"') in triples
    assert (_iri(doctype_uri("")), str(SKOS.prefLabel), '"Công văn"@vi') in triples
    # every concept has exactly one Vietnamese prefLabel: no two types share a URI
    labels: dict[str, int] = {}
    for s, p, _ in triples:
        if p == str(SKOS.prefLabel) and "/doctype/" in s:
            labels[s] = labels.get(s, 0) + 1
    assert set(labels.values()) == {1}


@pytest.mark.parametrize(
    ("key", "doc_type", "expected"),
    [
        (DocumentKey("30c/NQ-CP", 2011), "Nghị quyết", "eli/vn/cp/2011/nq/30c"),
        (DocumentKey("164/KH-UBND", 2019, "Kiên Giang"), "Kế hoạch", "eli/vn/ubnd-kien-giang/2019/kh/164"),
        (DocumentKey("76/NQ-CP", None), "Nghị quyết", "eli/vn/cp/unresolved/nq/76"),
        (DocumentKey("17/NQ-CP", 2019), "Nghị định", "eli/vn/cp/2019/nq/17"),
        (DocumentKey("80/2015/QH13", 2015), "Luật", "eli/vn/qh13/2015/l/80"),
        (DocumentKey("61/2018/NĐ-CP", None), "Nghị định", "eli/vn/cp/2018/nd/61"),
        (DocumentKey("225/QĐ-TTg", 2016), "Quyết định", "eli/vn/ttg/2016/qd/225"),
        (DocumentKey("18-NQ/TW", 2017), "Nghị quyết", "eli/vn/tw/2017/nq/18"),
        (DocumentKey("22/2016/NQ-HĐND", 2016, "Hà Tĩnh"), "Nghị quyết", "eli/vn/hdnd-ha-tinh/2016/nq/22"),
        (DocumentKey("2180/SGD&ĐT-KTKĐCLGD", 2020, "Hà Nam"), "Công văn", "eli/vn/sgd-dt-ktkdclgd-ha-nam/2020/cv/2180"),
        (DocumentKey("12/HĐ-UBND", 2020, "Hà Tĩnh"), "Hợp đồng", "eli/vn/ubnd-ha-tinh/2020/hdd/12"),
        (DocumentKey("12/HD-UBND", 2020, "Hà Tĩnh"), "Hướng dẫn", "eli/vn/ubnd-ha-tinh/2020/hd/12"),
        # A unit below the province; a national body's code written by its provincial office.
        (
            DocumentKey("12/KH-UBND", 2022, "Hà Tĩnh", "huyện Kỳ Anh"),
            "Kế hoạch",
            "eli/vn/ubnd-huyen-ky-anh-ha-tinh/2022/kh/12",
        ),
        (DocumentKey("35/KH-BHXH", 2023, "Bình Định"), "Kế hoạch", "eli/vn/bhxh-binh-dinh/2023/kh/35"),
        (DocumentKey("35/KH-BHXH", 2023), "Kế hoạch", "eli/vn/bhxh/2023/kh/35"),
    ],
)
def test_document_uri(key: DocumentKey, doc_type: str, expected: str) -> None:
    assert document_uri(key, doc_type) == "https://w3id.org/ccbc-graph/" + expected


def test_uris_follow_the_base_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCBC_BASE_URI", "http://example.org/kg")
    extraction = _extraction(with_symbol=False)
    assert plan_uri(extraction) == "http://example.org/kg/doc/61cde288daefbc05"
    assert (
        graph_uri("ha-tinh-2020-tuyen-truyen-cchc.txt")
        == "http://example.org/kg/graph/ha-tinh-2020-tuyen-truyen-cchc-txt"
    )
    assert all(q.subject.value.startswith("http://example.org/kg/") for q in plan_quads(extraction, version="1"))


def test_plan_without_symbol_is_named_by_its_source() -> None:
    extraction = _extraction(with_symbol=False)
    assert plan_uri(extraction) == "https://w3id.org/ccbc-graph/doc/61cde288daefbc05"
    triples = _triples(plan_quads(extraction, version=VERSION))
    assert not [t for t in triples if t[0] == _iri(plan_uri(extraction)) and t[1] == str(ELI.id_local)]


def test_unknown_relation_is_an_error() -> None:
    extraction = _extraction(with_symbol=True)
    extraction.citations[0].relation = "annex"
    with pytest.raises(ValueError, match="annex"):
        plan_quads(extraction, version=VERSION)
