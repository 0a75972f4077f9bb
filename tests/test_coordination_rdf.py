"""The coordination half of the graph: bodies, tasks, budgets, budget checks and
responsibilities, mapped from the five demo plans and checked against tests/gold, the
shapes, and the queries that read them."""

from __future__ import annotations

import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from demo_corpus import PLANS, ROOT, gold_by_plan
from pyshacl import validate

from ccbc_graph.build import build
from ccbc_graph.extract import extract_plan
from ccbc_graph.model import (
    AgencyMention,
    DocumentMeta,
    Evidence,
    PlanExtraction,
    Responsibility,
    Span,
    Task,
)
from ccbc_graph.queries import load_query, page_size, run_query
from ccbc_graph.rdf import (
    BODY_LEVELS,
    body_kind_uri,
    body_level_uri,
    budget_check_uri,
    plan_quads,
    reference_quads,
    responsibility_uri,
    task_uri,
    to_nquads,
    to_rdflib_dataset,
)
from ccbc_graph.reading import read_source
from ccbc_graph.store import GraphStore
from ccbc_graph.tallies import tally_triples
from ccbc_graph.uris import (
    CCBC,
    CPOV,
    DCTERMS,
    OA,
    ORG,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
    org_uri,
    place_uri,
    plan_uri,
    source_uri,
)

ONTOLOGY = ROOT / "ontology"
VERSION = "0.1.0"

KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
HA_TINH = "ha-tinh-2020-tuyen-truyen-cchc.txt"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc.txt"
QUANG_NGAI = "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt"
HA_NAM = "ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt"
DEMO = (KIEN_GIANG, HA_NAM, HA_TINH, QUANG_NGAI, HAI_DUONG)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractions() -> dict[str, PlanExtraction]:
    return {name: extract_plan(read_source(PLANS / name)) for name in DEMO}


@pytest.fixture(scope="module")
def graphs(extractions: dict[str, PlanExtraction]) -> dict[str, list[ox.Quad]]:
    return {name: plan_quads(extraction, version=VERSION) for name, extraction in extractions.items()}


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    """Gold annotations by demo file name."""
    return gold_by_plan()


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "ccbc.ttl", format="turtle")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("coordination") / "db")
    assert build(PLANS, store).ok
    return store


# --- helpers -----------------------------------------------------------------------------


class Triples:
    """The triples of one plan graph, with the look-ups the tests need."""

    def __init__(self, quads: list[ox.Quad]) -> None:
        self.triples = {(q.subject, q.predicate, q.object) for q in quads}

    def objects(self, subject: ox.NamedNode, predicate: ox.NamedNode) -> set:
        return {o for s, p, o in self.triples if s == subject and p == predicate}

    def subjects(self, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal) -> set:
        return {s for s, p, o in self.triples if p == predicate and o == obj}

    def value(self, subject: ox.NamedNode, predicate: ox.NamedNode) -> ox.NamedNode | ox.Literal:
        (found,) = self.objects(subject, predicate)
        return found

    def label(self, node: ox.NamedNode) -> str:
        return self.value(node, SKOS.prefLabel).value


def _org(name: str) -> ox.NamedNode:
    return ox.NamedNode(org_uri(name))


def _vi(text: str) -> ox.Literal:
    return ox.Literal(text, language="vi")


def _validate(quads: list[ox.Quad], shapes: rdflib.Graph) -> tuple[bool, str]:
    """Validate each named graph on its own (pyshacl validates a Dataset's union)."""
    results = []
    for graph in to_rdflib_dataset(quads).graphs():
        if len(graph):
            conforms, _, report = validate(graph, shacl_graph=shapes, advanced=True)
            results.append((bool(conforms), str(report)))
    assert results, "nothing was validated"
    return all(c for c, _ in results), "\n".join(r for _, r in results)


def _column(result: tuple[list[str], list[tuple]], name: str) -> list:
    variables, rows = result
    index = variables.index(name)
    return [None if row[index] is None else row[index].value for row in rows]


def _records(result: tuple[list[str], list[tuple]], *names: str) -> list[tuple]:
    columns = [_column(result, name) for name in names]
    return [tuple(values) for values in zip(*columns, strict=True)]


def _offsets(t: Triples, annotation: ox.NamedNode) -> tuple[int, int]:
    return int(t.value(annotation, CCBC.startOffset).value), int(t.value(annotation, CCBC.endOffset).value)


def _gold_bodies(plan: dict) -> set[str]:
    units = {unit["unit"] for unit in plan.get("sub_organizations", [])}
    return set(plan["agencies"]) | set(plan["collective_agencies"]) | units


# --- bodies ------------------------------------------------------------------------------


def test_ha_tinh_broadcaster(graphs: dict[str, list[ox.Quad]], extractions: dict[str, PlanExtraction]) -> None:
    t = Triples(graphs[HA_TINH])
    station_name = "Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"
    station = _org(station_name)
    assert station.value == "https://w3id.org/ccbc-graph/org/dai-phat-thanh-va-truyen-hinh-tinh-ha-tinh"
    assert t.objects(station, RDF.type) == {ORG.Organization, CPOV.PublicOrganisation}
    assert t.objects(station, SKOS.prefLabel) == {_vi("Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh")}
    # The ways the gold README says the plan writes it, among the altLabels.
    assert {_vi("Đài PTTH tỉnh"), _vi("Đài Phát thanh - Truyền hình Hà Tĩnh")} <= t.objects(station, SKOS.altLabel)
    assert _vi("Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh") not in t.objects(station, SKOS.altLabel)
    assert t.objects(station, ORG.classification) == {
        ox.NamedNode(body_kind_uri("broadcaster")),
        ox.NamedNode(body_level_uri("tỉnh")),
    }
    assert t.objects(station, DCTERMS.spatial) == {ox.NamedNode(place_uri("42"))}
    # The first place the text writes it in each of its ways is a mention whose words are
    # the source's own (the Hà Tĩnh text mixes decomposed Unicode in: the quote keeps it,
    # the labels are NFC).
    extraction = extractions[HA_TINH]
    named = sorted((m for m in extraction.agencies if m.canonical == station_name), key=lambda m: m.span)
    first: dict[str, Span] = {}
    for m in named:
        first.setdefault(" ".join(m.surface.split()), m.span)
    assert len(named) == 13 and len(first) == 6
    mentions = t.subjects(OA.hasBody, station)
    assert {_offsets(t, mention) for mention in mentions} == {(s.start, s.end) for s in first.values()}
    written = {unicodedata.normalize("NFC", t.value(mention, CCBC.quotedText).value) for mention in mentions}
    assert {label.value for label in t.objects(station, SKOS.altLabel)} <= {" ".join(w.split()) for w in written}
    for mention in mentions:
        assert t.objects(mention, RDF.type) == {CCBC.Mention}
        assert t.value(mention, OA.hasTarget) == ox.NamedNode(source_uri(extraction.sha256))
        assert t.value(mention, OA.motivatedBy) == OA.identifying
        start, end = _offsets(t, mention)
        assert mention.value == f"{plan_uri(extraction)}/mention/{start}-{end}"
        assert t.value(mention, CCBC.quotedText).value == extraction.text[start:end]
        assert t.value(mention, CCBC.quotedSentence).value


@pytest.mark.parametrize("name", DEMO)
def test_collective_bodies_are_the_gold_ones(name: str, graphs: dict[str, list[ox.Quad]], gold: dict) -> None:
    t = Triples(graphs[name])
    collective = {t.label(body) for body in t.subjects(RDF.type, CCBC.CollectiveBody)}
    assert collective == set(gold[name]["collective_agencies"])


@pytest.mark.parametrize("name", [KIEN_GIANG, HAI_DUONG, QUANG_NGAI])
def test_named_bodies_are_the_gold_ones(name: str, graphs: dict[str, list[ox.Quad]], gold: dict) -> None:
    """Bodies the plan names (classified ones; issuers of cited documents are not)."""
    t = Triples(graphs[name])
    named = {t.label(s) for s, p, _ in t.triples if p == ORG.classification}
    assert named == _gold_bodies(gold[name])


@pytest.mark.parametrize("name", DEMO)
def test_units_belong_to_their_parents(name: str, graphs: dict[str, list[ox.Quad]], gold: dict) -> None:
    t = Triples(graphs[name])
    units = {(t.label(s), t.label(o)) for s, p, o in t.triples if p == ORG.subOrganizationOf}
    assert units == {(u["unit"], u["parent"]) for u in gold[name].get("sub_organizations", [])}


@pytest.mark.parametrize("name", DEMO)
def test_every_named_body_has_a_kind_a_level_and_nfc_labels(name: str, graphs: dict[str, list[ox.Quad]]) -> None:
    t = Triples(graphs[name])
    levels = {ox.NamedNode(body_level_uri(level)) for level in BODY_LEVELS}
    kinds = {s for s, p, o in t.triples if p == ORG.classification and "/org-kind/" in o.value}
    for body in {s for s, p, _ in t.triples if p == ORG.classification}:
        classes = t.objects(body, ORG.classification)
        assert len(classes & levels) == 1, t.label(body)
        assert body in kinds
        for label in t.objects(body, SKOS.prefLabel) | t.objects(body, SKOS.altLabel):
            assert unicodedata.is_normalized("NFC", label.value), label
            assert label.value == " ".join(label.value.split()), label


def test_ha_tinh_collective_levels(graphs: dict[str, list[ox.Quad]]) -> None:
    t = Triples(graphs[HA_TINH])
    districts = _org("Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh")
    communes = _org("Ủy ban nhân dân cấp xã tỉnh Hà Tĩnh")
    assert ox.NamedNode(body_level_uri("huyện")) in t.objects(districts, ORG.classification)
    assert ox.NamedNode(body_level_uri("xã")) in t.objects(communes, ORG.classification)
    assert {_vi("UBND các huyện, thành phố, thị xã"), _vi("UBND các huyện, TP, TX")} <= t.objects(
        districts, SKOS.altLabel
    )


# --- tasks and budgets -------------------------------------------------------------------


def test_kien_giang_tasks_and_budgets(graphs: dict[str, list[ox.Quad]], extractions: dict, gold: dict) -> None:
    t = Triples(graphs[KIEN_GIANG])
    plan = ox.NamedNode(plan_uri(extractions[KIEN_GIANG]))
    tasks = t.subjects(CCBC.inPlan, plan) & t.subjects(RDF.type, CCBC.Task)
    expected = gold[KIEN_GIANG]["tasks"]
    assert len(tasks) == len(expected) == 6
    total = 0
    for row in expected:
        task = ox.NamedNode(task_uri(plan.value, 1, row["row"]))
        assert task in tasks
        assert t.value(task, CCBC.rowNumber) == ox.Literal(str(row["row"]), datatype=XSD.integer)
        assert t.value(task, DCTERMS.title) == _vi(row["task"])
        assert {t.label(b) for b in t.objects(task, CCBC.leadBody)} == set(row["lead"])
        assert {t.label(b) for b in t.objects(task, CCBC.coordinatingBody)} == set(row["coordinators"])
        assert t.value(task, CCBC.timeframeText) == _vi(row["timeframe"])
        budget = t.value(task, CCBC.budget)
        assert budget == ox.NamedNode(f"{task.value}/budget")
        assert t.value(budget, RDF.type) == SCHEMA.MonetaryAmount
        assert t.value(budget, SCHEMA.currency) == ox.Literal("VND")
        assert t.value(budget, SCHEMA.value) == ox.Literal(str(row["budget_vnd"]), datatype=XSD.integer)
        total += int(t.value(budget, SCHEMA.value).value)
    assert total == gold[KIEN_GIANG]["budget_total_vnd"] == 664800000


def test_kien_giang_budget_check_matches(graphs: dict[str, list[ox.Quad]], extractions: dict, gold: dict) -> None:
    t = Triples(graphs[KIEN_GIANG])
    plan = ox.NamedNode(plan_uri(extractions[KIEN_GIANG]))
    check = ox.NamedNode(budget_check_uri(plan.value))
    assert t.subjects(RDF.type, CCBC.BudgetCheck) == {check}
    assert t.value(check, CCBC.inPlan) == plan
    stated = gold[KIEN_GIANG]["stated_budget_total_vnd"]
    assert t.value(t.value(check, CCBC.statedTotal), SCHEMA.value) == ox.Literal(str(stated), datatype=XSD.integer)
    assert t.value(t.value(check, CCBC.rowSum), SCHEMA.value) == ox.Literal("664800000", datatype=XSD.integer)
    assert t.value(check, CCBC.totalMatches) == ox.Literal("true", datatype=XSD.boolean)
    (evidence,) = t.subjects(OA.hasBody, check)
    assert t.value(evidence, CCBC.quotedText) == ox.Literal("664.800.000")
    assert t.value(evidence, CCBC.quotedSentence) == _vi("Tổng cộng 664.800.000")


@pytest.mark.parametrize("name", [HA_TINH, HAI_DUONG, KIEN_GIANG])
def test_tasks_match_the_gold(name: str, graphs: dict[str, list[ox.Quad]], extractions: dict, gold: dict) -> None:
    t = Triples(graphs[name])
    plan = plan_uri(extractions[name])
    for row in gold[name]["tasks"]:
        task = ox.NamedNode(task_uri(plan, 1, row["row"]))
        assert t.value(task, DCTERMS.title) == _vi(row["task"])
        assert {t.label(b) for b in t.objects(task, CCBC.leadBody)} == set(row["lead"])
        assert {t.label(b) for b in t.objects(task, CCBC.coordinatingBody)} == set(row["coordinators"])
        amounts = {int(t.value(b, SCHEMA.value).value) for b in t.objects(task, CCBC.budget)}
        assert amounts == ({row["budget_vnd"]} if row["budget_vnd"] is not None else set())
        assert t.objects(task, CCBC.budgetText) == ({_vi(row["budget_text"])} if row.get("budget_text") else set())
    # No budget check where the plan prints no total.
    assert bool(t.subjects(RDF.type, CCBC.BudgetCheck)) == (gold[name]["stated_budget_total_vnd"] is not None)


def test_task_cells_are_evidence(graphs: dict[str, list[ox.Quad]], extractions: dict) -> None:
    t = Triples(graphs[HA_TINH])
    text = extractions[HA_TINH].text
    task = ox.NamedNode(task_uri(plan_uri(extractions[HA_TINH]), 1, 3))
    cells = {t.value(cell, CCBC.column).value: cell for cell in t.subjects(OA.hasBody, task)}
    assert {"task", "lead", "coordinators", "budget"} <= set(cells)
    for column, cell in cells.items():
        assert cell == ox.NamedNode(f"{task.value}/cell/{column}")
        start, end = _offsets(t, cell)
        assert t.value(cell, CCBC.quotedText).value == text[start:end]
    start, end = _offsets(t, cells["lead"])
    assert unicodedata.normalize("NFC", text[start:end]) == "Đài PTTH tỉnh"
    start, end = _offsets(t, cells["budget"])
    assert text[start:end] == "70.000.000"


# --- responsibilities --------------------------------------------------------------------


@pytest.mark.parametrize("name", [KIEN_GIANG, HAI_DUONG, QUANG_NGAI])
def test_responsibilities_match_the_gold(name: str, graphs: dict[str, list[ox.Quad]], gold: dict) -> None:
    t = Triples(graphs[name])
    found = Counter()
    for node in t.subjects(RDF.type, CCBC.Responsibility):
        (body,) = t.objects(node, CCBC.responsibleBody)
        partners = frozenset(t.label(p) for p in t.objects(node, CCBC.partnerBody))
        found[(t.label(body), partners)] += 1
        assert node.value.endswith("/" + body.value.rsplit("/", 1)[1])
        assert t.value(node, CCBC.dutyText).value
    expected = Counter((r["agency"], frozenset(r["partners"])) for r in gold[name]["responsibilities"])
    assert found == expected


def test_shared_duty_gives_one_responsibility_per_body(graphs: dict, extractions: dict) -> None:
    t = Triples(graphs[KIEN_GIANG])
    extraction = extractions[KIEN_GIANG]
    shared = [r for r in extraction.responsibilities if r.duty_span == extraction.responsibilities[0].duty_span]
    assert len(shared) == 2
    plan = plan_uri(extraction)
    for responsibility in shared:
        node = ox.NamedNode(responsibility_uri(plan, responsibility.duty_span, responsibility.agency.canonical))
        assert t.objects(node, CCBC.responsibleBody) == {_org(responsibility.agency.canonical)}
        (duty,) = t.subjects(OA.hasBody, node)
        assert duty == ox.NamedNode(f"{node.value}/duty")
        start, end = _offsets(t, duty)
        assert t.value(duty, CCBC.quotedText).value == extraction.text[start:end]
        assert extraction.text[start:end].startswith("căn cứ Kế hoạch này")


# --- a small plan: two tables, a merged budget cell, a total that does not match ----------

TEXT = (
    "KẾ HOẠCH\n"
    "TT\tNội dung\tChủ trì\tPhối hợp\tKinh phí\n"
    "1\tChuyên mục trên Đài\tSở Nội vụ\tĐài PTTH tỉnh\t48.000.000\n"
    "2\tPano tuyên truyền\tUBND cấp huyện\tSở Nội vụ\t10.000.000\n"
    "Tổng cộng\t60.000.000\n"
    "TT\tNội dung\tChủ trì\tPhối hợp\tKinh phí\n"
    "1\tHội nghị\tSở Nội vụ\tCác sở, ban, ngành\t20.000.000\n"
    "2\tTập huấn\tSở Nội vụ\tCác sở, ban, ngành\t\n"
    "3\tTọa đàm\tSở Nội vụ\t\tKinh phí thường xuyên\n"
    "Tổ chức thực hiện\n"
    "1. Sở Nội vụ: chủ trì, phối hợp với Đài PTTH tỉnh triển khai Kế hoạch.\n"
)
PROVINCE = "Kiên Giang"
SO_NOI_VU = "Sở Nội vụ tỉnh Kiên Giang"
DAI = "Đài Phát thanh và Truyền hình tỉnh Kiên Giang"


def _span(needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return Span(start, start + len(needle))


def _cell(needle: str, occurrence: int = 0) -> Evidence:
    span = _span(needle, occurrence)
    line_start = TEXT.rindex("\n", 0, span.start) + 1
    line_end = TEXT.index("\n", span.start)
    return Evidence(span, needle, Span(line_start, line_end), TEXT[line_start:line_end])


def _body(
    surface: str, canonical: str, kind: str, level: str, occurrence: int = 0, *, collective: bool = False
) -> AgencyMention:
    return AgencyMention(surface, _span(surface, occurrence), canonical, kind, level, PROVINCE, collective)


def _small_plan() -> PlanExtraction:
    noi_vu = [_body("Sở Nội vụ", SO_NOI_VU, "department", "tỉnh", i) for i in range(6)]
    dai = [_body("Đài PTTH tỉnh", DAI, "broadcaster", "tỉnh", i) for i in range(2)]
    districts = _body(
        "UBND cấp huyện", "Ủy ban nhân dân cấp huyện tỉnh Kiên Giang", "people's committee", "huyện", collective=True
    )
    sectors = [
        _body("Các sở, ban, ngành", "Các sở, ban, ngành tỉnh Kiên Giang", "collective", "tỉnh", i, collective=True)
        for i in range(2)
    ]

    def task(row: int, name: str, lead: AgencyMention, coordinators: list[AgencyMention], table: int) -> Task:
        cells = {"task": _cell(name), "lead": Evidence(lead.span, lead.surface, lead.span, lead.surface)}
        if coordinators:
            first = coordinators[0]
            cells["coordinators"] = Evidence(first.span, first.surface, first.span, first.surface)
        return Task(row, name, [lead], coordinators, cells, timeframe=f"Bảng {table}")

    rows = [
        task(1, "Chuyên mục trên Đài", noi_vu[0], [dai[0]], 1),
        task(2, "Pano tuyên truyền", districts, [noi_vu[1]], 1),
        task(1, "Hội nghị", noi_vu[2], [sectors[0]], 2),
        task(2, "Tập huấn", noi_vu[3], [sectors[1]], 2),
        task(3, "Tọa đàm", noi_vu[4], [], 2),
    ]
    for row, amount, needle in ((rows[0], 48_000_000, "48.000.000"), (rows[1], 10_000_000, "10.000.000")):
        row.budget_vnd, row.cells["budget"] = amount, _cell(needle)
    # The second table's amount is a cell merged over its first two rows.
    rows[2].budget_vnd = rows[3].budget_vnd = 20_000_000
    rows[2].cells["budget"] = rows[3].cells["budget"] = _cell("20.000.000")
    rows[3].inherited = {"budget"}
    rows[4].budget_text = "Kinh phí thường xuyên"
    rows[4].cells["budget"] = _cell("Kinh phí thường xuyên")
    duty = _span("chủ trì, phối hợp với Đài PTTH tỉnh triển khai Kế hoạch.")
    responsibility = Responsibility(noi_vu[5], TEXT[duty.start : duty.end], duty, [dai[1]])
    return PlanExtraction(
        source_name="small-plan.txt",
        sha256="ab" * 32,
        text=TEXT,
        document=DocumentMeta(doc_type="Kế hoạch", year=2020, province=PROVINCE, title="Kế hoạch nhỏ"),
        agencies=[*noi_vu, *dai, districts, *sectors],
        tasks=rows,
        stated_budget_total_vnd=60_000_000,
        stated_budget_total_evidence=(_cell("60.000.000"),),
        responsibilities=[responsibility],
    )


def test_small_plan_tables_budgets_and_check(shapes: rdflib.Graph) -> None:
    extraction = _small_plan()
    quads = plan_quads(extraction, version=VERSION)
    t = Triples(quads)
    plan = plan_uri(extraction)
    tasks = {s.value.removeprefix(plan) for s in t.subjects(RDF.type, CCBC.Task)}
    assert tasks == {"/task/1-1", "/task/1-2", "/task/2-1", "/task/2-2", "/task/2-3"}
    merged = ox.NamedNode(f"{plan}/task/2-1/budget")
    assert t.objects(ox.NamedNode(f"{plan}/task/2-2"), CCBC.budget) == {merged}
    assert not t.objects(ox.NamedNode(f"{plan}/task/2-3"), CCBC.budget)
    assert t.objects(ox.NamedNode(f"{plan}/task/2-3"), CCBC.budgetText) == {_vi("Kinh phí thường xuyên")}
    check = ox.NamedNode(budget_check_uri(plan))
    assert extraction.budget_total_vnd == 78_000_000
    assert t.value(t.value(check, CCBC.rowSum), SCHEMA.value).value == "78000000"
    assert t.value(t.value(check, CCBC.statedTotal), SCHEMA.value).value == "60000000"
    assert t.value(check, CCBC.totalMatches) == ox.Literal("false", datatype=XSD.boolean)
    assert ORG.Organization in t.objects(_org(DAI), RDF.type)
    assert CCBC.CollectiveBody in t.objects(_org("Các sở, ban, ngành tỉnh Kiên Giang"), RDF.type)
    assert t.objects(_org(SO_NOI_VU), SKOS.altLabel) == {_vi("Sở Nội vụ")}
    conforms, report = _validate(quads, shapes)
    assert conforms, report


def _drop(predicate: ox.NamedNode, subject_part: str = "") -> Callable[[list[ox.Quad]], list[ox.Quad]]:
    return lambda qs: [q for q in qs if not (q.predicate == predicate and subject_part in q.subject.value)]


def _set(
    predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal, subject_part: str = ""
) -> Callable[[list[ox.Quad]], list[ox.Quad]]:
    """Replace the object of the first quad (quads are sorted) with ``predicate`` on a matching subject."""

    def change(quads: list[ox.Quad]) -> list[ox.Quad]:
        index = next(i for i, q in enumerate(quads) if q.predicate == predicate and subject_part in q.subject.value)
        quad = quads[index]
        return [*quads[:index], ox.Quad(quad.subject, predicate, value, quad.graph_name), *quads[index + 1 :]]

    return change


def _add(
    subject_part: str, predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal, kind: ox.NamedNode | None = None
) -> Callable:
    """Add a fact to the first node (by IRI) whose IRI ends with ``subject_part`` and, if
    given, whose type is ``kind``."""

    def change(quads: list[ox.Quad]) -> list[ox.Quad]:
        of_kind = {q.subject for q in quads if q.predicate == RDF.type and q.object == kind}
        subject = min(
            (
                q.subject
                for q in quads
                if q.subject.value.endswith(subject_part) and (kind is None or q.subject in of_kind)
            ),
            key=lambda node: node.value,
        )
        return [*quads, ox.Quad(subject, predicate, value, quads[0].graph_name)]

    return change


def _matches_the_rows(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Claim the total matches where it does not: the check contradicts its own amounts."""
    return _set(CCBC.totalMatches, ox.Literal("true", datatype=XSD.boolean))(quads)


# How to break the small plan's graph, and the SHACL constraint component that must catch it.
BREAKAGES: dict[str, tuple[Callable[[list[ox.Quad]], list[ox.Quad]], str]] = {
    "org-without-preflabel": (_drop(SKOS.prefLabel, "/org/so-noi-vu"), "MinCount"),
    "org-with-two-preflabels": (_add("/org/so-noi-vu-tinh-kien-giang", SKOS.prefLabel, _vi("Sở Nội vụ")), "MaxCount"),
    "org-preflabel-not-vietnamese": (_set(SKOS.prefLabel, ox.Literal("Home Affairs"), "/org/so-noi-vu"), "Datatype"),
    "lead-body-without-level": (
        lambda qs: [q for q in qs if not (q.predicate == ORG.classification and "/org-level/" in q.object.value)],
        "Node",
    ),
    "org-with-two-kinds": (
        _add("/org/so-noi-vu-tinh-kien-giang", ORG.classification, ox.NamedNode(body_kind_uri("office"))),
        "QualifiedValueShape",
    ),
    "level-outside-scheme": (
        lambda qs: [
            ox.Quad(q.subject, q.predicate, ox.NamedNode(body_level_uri("quận")), q.graph_name)
            if q.predicate == ORG.classification and q.object.value.endswith("/org-level/tinh")
            else q
            for q in qs
        ],
        "Node",
    ),
    "task-without-lead": (_drop(CCBC.leadBody), "MinCount"),
    "task-in-two-plans": (_add("/task/1-1", CCBC.inPlan, ox.NamedNode("https://example.org/other-plan")), "MaxCount"),
    "task-without-row-number": (_drop(CCBC.rowNumber, "/task/1-2"), "MinCount"),
    "task-without-title": (_drop(DCTERMS.title, "/task/"), "MinCount"),
    "task-without-evidence": (lambda qs: [q for q in qs if "/cell/" not in q.subject.value], "MinCount"),
    "budget-in-dollars": (_set(SCHEMA.currency, ox.Literal("USD")), "In"),
    "negative-budget": (_set(SCHEMA.value, ox.Literal("-5", datatype=XSD.integer)), "MinInclusive"),
    "budget-as-text": (_set(SCHEMA.value, ox.Literal("48.000.000")), "Or"),
    "budget-as-nonnegative-integer": (_set(SCHEMA.value, ox.Literal("5", datatype=XSD.nonNegativeInteger)), "Or"),
    "budget-without-currency": (_drop(SCHEMA.currency), "MinCount"),
    "check-contradicts-its-amounts": (_matches_the_rows, "SPARQL"),
    "check-without-evidence": (
        lambda qs: [q for q in qs if "/budget-check/evidence" not in q.subject.value],
        "MinCount",
    ),
    "check-without-stated-total": (_drop(CCBC.statedTotal), "MinCount"),
    "responsibility-of-two-bodies": (
        _add("/so-noi-vu-tinh-kien-giang", CCBC.responsibleBody, ox.NamedNode(org_uri(DAI)), CCBC.Responsibility),
        "MaxCount",
    ),
    "responsibility-without-body": (_drop(CCBC.responsibleBody), "MinCount"),
    "responsibility-without-duty": (_drop(CCBC.dutyText), "MinCount"),
    "cell-outside-columns": (_set(CCBC.column, ox.Literal("remarks")), "In"),
    "mention-of-an-undescribed-body": (
        lambda qs: [
            q
            for q in qs
            if not (q.predicate == RDF.type and q.subject.value.endswith("/org/so-noi-vu-tinh-kien-giang"))
        ],
        "Or",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_broken_coordination_graph_does_not_conform(breakage: str, shapes: rdflib.Graph) -> None:
    quads = plan_quads(_small_plan(), version=VERSION)
    breaking, component = BREAKAGES[breakage]
    broken = breaking(quads)
    assert broken != quads
    conforms, report = _validate(broken, shapes)
    assert not conforms, f"{breakage}: shapes accepted a broken graph"
    assert f"Constraint Violation in {component}ConstraintComponent" in report, report


# --- the demo plans as a whole -----------------------------------------------------------


@pytest.mark.parametrize("name", DEMO)
def test_demo_plan_graph_conforms(name: str, graphs: dict[str, list[ox.Quad]], shapes: rdflib.Graph) -> None:
    conforms, report = _validate(graphs[name], shapes)
    assert conforms, report


def test_mapping_is_deterministic(extractions: dict[str, PlanExtraction], graphs: dict) -> None:
    for name, extraction in extractions.items():
        again = plan_quads(extraction, version=VERSION)
        assert to_nquads(again) == to_nquads(graphs[name])
        reordered = replace(
            extraction,
            agencies=list(reversed(extraction.agencies)),
            tasks=list(reversed(extraction.tasks)),
            responsibilities=list(reversed(extraction.responsibilities)),
        )
        assert to_nquads(plan_quads(reordered, version=VERSION)) == to_nquads(graphs[name]), name


def test_ontology_declares_every_ccbc_term(graphs: dict, ontology: rdflib.Graph) -> None:
    tallies = tally_triples({quads[0].graph_name.value: quads for quads in graphs.values()})
    used = {
        term.value
        for quads in [*graphs.values(), plan_quads(_small_plan(), version=VERSION), reference_quads(), tallies]
        for quad in quads
        for term in (quad.subject, quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(CCBC.iri)
    }
    new_terms = {
        "CollectiveBody", "Task", "Responsibility", "BudgetCheck", "inPlan", "rowNumber", "leadBody",
        "coordinatingBody", "product", "timeframeText", "budget", "budgetText", "column", "responsibleBody",
        "partnerBody", "dutyText", "statedTotal", "rowSum", "totalMatches",
    }  # fmt: skip
    assert {CCBC.iri + term for term in new_terms} <= used
    for term in used:
        node = rdflib.URIRef(term)
        assert (node, rdflib.RDF.type, None) in ontology, term
        labels = {lit.language for lit in ontology.objects(node, rdflib.RDFS.label)} | {
            lit.language for lit in ontology.objects(node, rdflib.SKOS.prefLabel)
        }
        assert {"en", "vi"} <= labels, term
        assert ontology.value(node, rdflib.RDFS.comment) or ontology.value(node, rdflib.SKOS.definition), term
    header = str(ontology.value(rdflib.URIRef("https://w3id.org/ccbc-graph/ontology"), rdflib.SKOS.note))
    for template in ("{plan}/task/{table}-{row}", "{task}/budget", "{plan}/budget-check", "/responsibility/"):
        assert template in header


def test_reference_graph_has_every_kind_and_level_used(graphs: dict) -> None:
    reference = Triples(reference_quads())
    concepts = reference.subjects(RDF.type, SKOS.Concept)
    levels = {c for c in concepts if "/org-level/" in c.value}
    assert {reference.value(c, SKOS.notation).value for c in levels} == {"trung-uong", "tinh", "huyen", "xa"}
    for quads in graphs.values():
        used = {q.object for q in quads if q.predicate == ORG.classification}
        assert used <= concepts
    kind = ox.NamedNode(body_kind_uri("people's committee"))
    assert kind.value.endswith("/org-kind/people-s-committee")
    assert reference.objects(kind, SKOS.prefLabel) == {ox.Literal("people's committee", language="en")}


# --- queries over the demo corpus --------------------------------------------------------


def _gold_leads(gold: dict) -> Counter:
    return Counter(lead for plan in gold.values() for task in plan["tasks"] for lead in task["lead"])


def test_bodies_leading_most_tasks(demo_store: GraphStore, gold: dict) -> None:
    result = run_query(demo_store, "bodies-leading-most-tasks")
    rows = _records(result, "name", "tasks", "plans")
    expected = _gold_leads(gold)
    coordinated = Counter(c for plan in gold.values() for task in plan["tasks"] for c in set(task["coordinators"]))
    assert dict(zip(_column(result, "name"), map(int, _column(result, "coordinated")), strict=True)) == {
        name: coordinated[name] for name in expected
    }
    assert rows[0] == ("Sở Thông tin và Truyền thông tỉnh Hà Tĩnh", "11", "1")
    assert {name: int(tasks) for name, tasks, _ in rows} == dict(expected)
    assert [int(tasks) for _, tasks, _ in rows] == sorted((int(r[1]) for r in rows), reverse=True)
    assert _column(result, "body")[0] == org_uri("Sở Thông tin và Truyền thông tỉnh Hà Tĩnh")


@pytest.mark.parametrize("query", ["bodies-leading-most-tasks", "lead-coordinator-pairs"])
def test_a_ranking_of_bodies_shows_its_first_places_whole(demo_store: GraphStore, query: str) -> None:
    """``limit`` places: the rows counting more than the row past the last place, and the
    first place whatever its width; never a pick among equals."""
    result = run_query(demo_store, query, {"limit": "all"})
    every = [tuple(term.value for term in row) for row in result.rows]
    counts = [int(n) for n in _column(result, "tasks")]  # the rows led or shared, the ranking's key
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 3
    assert [tuple(t.value for t in row) for row in run_query(demo_store, query).rows] == every  # under 100 places
    for places in range(1, len(every) + 2):
        cut = counts[places] if places < len(counts) else 0
        shown = [tuple(term.value for term in row) for row in run_query(demo_store, query, {"limit": str(places)}).rows]
        assert shown == [row for row, n in zip(every, counts, strict=True) if n > cut or n == counts[0]], places


def test_budget_by_lead_body(demo_store: GraphStore, gold: dict) -> None:
    rows = _records(run_query(demo_store, "budget-by-lead-body"), "leadName", "provinceName", "year", "budget", "tasks")
    expected: Counter = Counter()
    for plan in gold.values():
        for task in plan["tasks"]:
            for lead in task["lead"]:
                expected[(lead, plan["document"]["province"], str(plan["document"]["year"]))] += task["budget_vnd"] or 0
    assert {(name, province, year): int(budget) for name, province, year, budget, _ in rows} == dict(expected)
    assert ("Sở Nội vụ tỉnh Kiên Giang", "Kiên Giang", "2020", "664800000", "6") in rows
    assert rows[0] == ("Sở Thông tin và Truyền thông tỉnh Hà Tĩnh", "Hà Tĩnh", "2020", "810000000", "11")


@pytest.mark.parametrize(
    ("province", "plan"), [("Hải Phòng", HAI_DUONG), ("tỉnh Hải Dương", HAI_DUONG), ("An Giang", KIEN_GIANG)]
)
def test_budget_by_lead_body_in_a_province(demo_store: GraphStore, gold: dict, province: str, plan: str) -> None:
    result = run_query(demo_store, "budget-by-lead-body", {"province": province})
    leads = {lead for task in gold[plan]["tasks"] for lead in task["lead"]}
    assert set(_column(result, "leadName")) == leads
    assert set(_column(result, "provinceName")) == {gold[plan]["document"]["province"]}


def test_lead_coordinator_pairs(demo_store: GraphStore, gold: dict) -> None:
    rows = _records(run_query(demo_store, "lead-coordinator-pairs"), "leadName", "coordinatorName", "tasks")
    expected = Counter(
        (lead, coordinator)
        for plan in gold.values()
        for task in plan["tasks"]
        for lead in task["lead"]
        for coordinator in task["coordinators"]
        if lead != coordinator
    )
    assert {(lead, coordinator): int(n) for lead, coordinator, n in rows} == dict(expected)
    assert rows[0] == ("Sở Thông tin và Truyền thông tỉnh Hà Tĩnh", "Ủy ban nhân dân cấp huyện tỉnh Hà Tĩnh", "6")


def test_bodies_in_several_plans(demo_store: GraphStore, gold: dict) -> None:
    rows = _records(run_query(demo_store, "bodies-in-several-plans"), "name", "plans", "provinces", "plansWithWork")
    # National bodies are the ones several provinces' plans name. The gold lists of Hà Nam
    # leave out Chính phủ and Thủ tướng Chính phủ, which its text names ("Cơ cấu Chính phủ
    # nhiệm kỳ 2021 - 2026", "… của Chính phủ"): the graph counts them, hence 5 and 4.
    assert rows == [
        ("Chính phủ", "5", "5", "0"),
        ("Thủ tướng Chính phủ", "4", "4", "0"),
        ("Bộ Nội vụ", "3", "3", "0"),
        ("Bộ Thông tin và Truyền thông", "2", "2", "1"),
    ]
    provinces: dict[str, set[str]] = {}
    for plan in gold.values():
        for body in _gold_bodies(plan):
            provinces.setdefault(body, set()).add(plan["document"]["province"])
    in_several = {body: len(found) for body, found in provinces.items() if len(found) > 1}
    for name, plans, _, _ in rows:
        assert int(plans) >= in_several[name]
    assert set(in_several) == {name for name, *_ in rows}


def test_tasks_without_budget(demo_store: GraphStore, gold: dict) -> None:
    rows = _records(run_query(demo_store, "tasks-without-budget"), "provinceName", "row", "title", "budgetText")
    expected = {
        (plan["document"]["province"], str(task["row"]), task["task"], task.get("budget_text"))
        for plan in gold.values()
        for task in plan["tasks"]
        if task["budget_vnd"] is None
    }
    assert set(rows) == expected
    assert len(rows) == len(expected) == 19
    in_hai_phong = run_query(demo_store, "tasks-without-budget", {"province": "Hải Phòng"})
    assert set(_column(in_hai_phong, "provinceName")) == {"Hải Dương"}
    assert len(in_hai_phong.rows) == len(gold[HAI_DUONG]["tasks"]) == 10


def test_tasks_without_budget_pages_cover_the_answer_once(demo_store: GraphStore) -> None:
    """The shipped listing with pages of 4 rows: the pages hold every row of the whole
    answer once, each page sorted as the whole is, and a province's pages only its rows."""
    shipped = load_query("tasks-without-budget")
    assert page_size(shipped) == 200
    assert run_query(demo_store, shipped).rows == run_query(demo_store, shipped, {"page": "all"}).rows
    small = replace(shipped, text=shipped.text.replace("LIMIT 200", "LIMIT 4"))
    assert page_size(small) == 4
    for params, total in (({}, 19), ({"province": "Hải Phòng"}, 10)):
        whole = run_query(demo_store, small, {**params, "page": "all"}).rows
        assert len(whole) == total
        pages = [run_query(demo_store, small, {**params, "page": str(n)}).rows for n in range(1, 7)]
        assert [len(page) for page in pages] == [4] * (total // 4) + [total % 4] + [0] * (5 - total // 4)
        assert Counter(row for page in pages for row in page) == Counter(whole)
        for page in pages:
            assert page == sorted(page, key=whole.index)
    second = run_query(demo_store, small, {"province": "Hải Phòng", "page": "2"})
    assert set(_column(second, "provinceName")) == {"Hải Dương"}


def test_budget_pages_follow_the_budget(demo_store: GraphStore) -> None:
    """budget-by-lead-body with pages of 4 rows: page after page, largest budget first,
    they hold the whole answer's rows once; a province's pages hold only its rows."""
    shipped = load_query("budget-by-lead-body")
    assert page_size(shipped) == 200
    small = replace(shipped, text=shipped.text.replace("LIMIT 200", "LIMIT 4"))
    for params in ({}, {"province": "tỉnh Hà Tĩnh"}):
        whole = run_query(demo_store, small, {**params, "page": "all"})
        pages = [run_query(demo_store, small, {**params, "page": str(n)}) for n in range(1, 8)]
        assert not pages[-1].rows and len(pages[0].rows) == 4
        rows = [row for page in pages for row in page.rows]
        assert Counter(rows) == Counter(whole.rows) and len(rows) > 4
        budgets = [int(b) for page in pages for b in _column(page, "budget")]
        assert budgets == sorted(budgets, reverse=True) and budgets[0] > budgets[-1]
    provinces = {name for page in pages for name in _column(page, "provinceName")}
    assert provinces == {"Hà Tĩnh"}


def test_no_budget_mismatch_in_the_demo_corpus(demo_store: GraphStore) -> None:
    assert run_query(demo_store, "budget-total-mismatches").rows == []


def test_budget_mismatch_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    text = (PLANS / KIEN_GIANG).read_text(encoding="utf-8")
    assert text.count("48.000.000") == 1
    (folder / KIEN_GIANG).write_text(text.replace("48.000.000", "58.000.000"), encoding="utf-8")
    shutil.copy(PLANS / HAI_DUONG, folder / HAI_DUONG)
    store = GraphStore(tmp_path / "db")
    assert build(folder, store).ok
    result = run_query(store, "budget-total-mismatches")
    assert _records(result, "planLabel", "stated", "rowSum", "difference", "quote") == [
        (
            "Thực hiện công tác thông tin, tuyên truyền về cải cách hành chính năm 2020",
            "664800000",
            "674800000",
            "-10000000",
            "Tổng cộng 664.800.000",
        )
    ]
    store.close()


def test_body_responsibilities(demo_store: GraphStore, gold: dict) -> None:
    result = run_query(demo_store, "body-responsibilities", {"body": "Sở Nội vụ tỉnh Kiên Giang"})
    assert set(_column(result, "orgName")) == {"Sở Nội vụ tỉnh Kiên Giang"}
    roles = Counter(_column(result, "role"))
    plan = gold[KIEN_GIANG]
    assert (
        roles
        == {
            "lead": sum("Sở Nội vụ tỉnh Kiên Giang" in t["lead"] for t in plan["tasks"]),
            "responsible": sum(r["agency"] == "Sở Nội vụ tỉnh Kiên Giang" for r in plan["responsibilities"]),
            "partner": sum("Sở Nội vụ tỉnh Kiên Giang" in r["partners"] for r in plan["responsibilities"]),
        }
        == {"lead": 6, "responsible": 1, "partner": 2}
    )
    assert sorted(int(row) for row in _column(result, "row") if row) == [1, 2, 3, 4, 5, 6]


def test_body_responsibilities_by_part_of_a_name(demo_store: GraphStore, gold: dict) -> None:
    """ "sở nội vụ" (any case) is every province's Sở Nội vụ."""
    result = run_query(demo_store, "body-responsibilities", {"body": "sở nội vụ"})
    found = Counter(zip(_column(result, "orgName"), _column(result, "role"), strict=True))
    expected: Counter = Counter()
    for plan in gold.values():
        for task in plan["tasks"]:
            for role, bodies in (("lead", task["lead"]), ("coordinator", task["coordinators"])):
                expected.update((body, role) for body in set(bodies) if "sở nội vụ" in body.lower())
        for duty in plan["responsibilities"]:
            if "sở nội vụ" in duty["agency"].lower():
                expected[(duty["agency"], "responsible")] += 1
            expected.update((body, "partner") for body in duty["partners"] if "sở nội vụ" in body.lower())
    assert found == expected
    assert {name for name, _ in found} == {
        f"Sở Nội vụ tỉnh {p}" for p in ("Kiên Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương")
    }


@pytest.mark.parametrize(
    ("province", "plan"),
    [
        ("Hải Phòng", HAI_DUONG),
        ("Hải Dương", HAI_DUONG),
        ("tỉnh Hải Dương", HAI_DUONG),
        ("An Giang", KIEN_GIANG),
        ("Kiên Giang", KIEN_GIANG),
        ("Ninh Bình", HA_NAM),
    ],
)
def test_plans_by_province(demo_store: GraphStore, gold: dict, province: str, plan: str) -> None:
    result = run_query(demo_store, "plans-by-province", {"province": province})
    document = gold[plan]["document"]
    years = document.get("period") or [document["year"], document["year"]]
    year = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
    assert _records(result, "symbol", "title", "year", "provinceName", "tasks") == [
        (document["symbol"], document["title"], year, document["province"], str(len(gold[plan]["tasks"])))
    ]


def test_plans_by_province_needs_a_province(demo_store: GraphStore) -> None:
    from ccbc_graph.queries import ParameterError

    with pytest.raises(ParameterError, match="province"):
        run_query(demo_store, "plans-by-province")
    assert run_query(demo_store, "plans-by-province", {"province": "Hà Nội"}).rows == []
