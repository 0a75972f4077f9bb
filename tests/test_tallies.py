"""The tallies graph: the counts a build keeps by differences are the counts made from
scratch, and both are what counting the tasks gives."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from ccbc_graph.build import build, stored_activities
from ccbc_graph.store import GraphStore
from ccbc_graph.tallies import counted_graphs, defined_as_now, recounted, tallies_graph
from ccbc_graph.uris import CCBC, entities_graph_uri, org_uri, tallies_graph_uri

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
HA_TINH = "ha-tinh-2020-tuyen-truyen-cchc.txt"

# Counting the tasks themselves, as the ranking queries did before there were tallies.
_LEADS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?body (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?plan) AS ?plans)
WHERE {{ ?task ccbc:leadBody ?body ; ccbc:inPlan ?plan ; a ccbc:Task }} GROUP BY ?body"""
_PAIRS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?lead ?coordinator (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?plan) AS ?plans)
WHERE {{ ?task ccbc:leadBody ?lead ; ccbc:coordinatingBody ?coordinator ; ccbc:inPlan ?plan ; a ccbc:Task
         FILTER(?lead != ?coordinator) }} GROUP BY ?lead ?coordinator"""
_DUTIES = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?body (COUNT(DISTINCT ?given) AS ?givenCount) (COUNT(DISTINCT ?shared) AS ?sharedCount)
WHERE {{ {{ ?given ccbc:responsibleBody ?body ; a ccbc:Responsibility }}
         UNION {{ ?shared ccbc:partnerBody ?body ; a ccbc:Responsibility }} }} GROUP BY ?body"""
_PLANS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?plan (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?duty) AS ?duties)
WHERE {{ {{ ?task ccbc:inPlan ?plan ; a ccbc:Task }} UNION {{ ?duty ccbc:inPlan ?plan ; a ccbc:Responsibility }} }}
GROUP BY ?plan"""
# Each plan with its province, first year and each document it cites, from the merged graph.
_CITING = f"""PREFIX ccbc: <{CCBC.iri}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?plan ?place ?year ?document
WHERE {{ GRAPH <{entities_graph_uri()}> {{
  ?plan a ccbc:Plan OPTIONAL {{ ?plan dcterms:spatial ?place }} OPTIONAL {{ ?plan eli:cites ?document }}
  OPTIONAL {{ ?plan dcterms:temporal ?period }} }}
  OPTIONAL {{ ?period time:hasBeginning/time:inXSDGYear ?year }} }}"""
# The tallies by province, year and cited document, and by province and year ("" for the
# document): plans, and for a province and year also the citations and cited documents.
_TALLIED_CITING = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?place ?year ?document ?plans ?citations ?documents
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  {{ ?t ccbc:citingPlans ?plans ; ccbc:document ?document }}
  UNION {{ ?t a ccbc:ProvinceYearTally ; ccbc:plans ?plans
           OPTIONAL {{ ?t ccbc:citations ?citations }} OPTIONAL {{ ?t ccbc:documents ?documents }} }}
  OPTIONAL {{ ?t ccbc:place ?place }} OPTIONAL {{ ?t ccbc:year ?year }} }} }}"""
# Each body any plan names (a mention in its graph) or gives work, with the plans naming it,
# those giving it work and their provinces, as bodies-in-several-plans counted them.
_NAMED = f"""PREFIX ccbc: <{CCBC.iri}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?body (COUNT(DISTINCT ?plan) AS ?plans) (COUNT(DISTINCT ?workPlan) AS ?withWork)
       (COUNT(DISTINCT ?place) AS ?provinces)
WHERE {{
  {{ GRAPH ?g {{ ?mention oa:hasBody ?body . ?plan a ccbc:Plan }}
     GRAPH <{entities_graph_uri()}> {{ ?body a org:Organization }} }}
  UNION {{ ?item ccbc:leadBody|ccbc:coordinatingBody|ccbc:responsibleBody|ccbc:partnerBody ?body ;
                 ccbc:inPlan ?plan BIND(?plan AS ?workPlan) }}
  OPTIONAL {{ GRAPH <{entities_graph_uri()}> {{ ?plan dcterms:spatial ?place }} }} }}
GROUP BY ?body"""
_TALLIED_NAMED = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?body ?plans (COALESCE(?w, 0) AS ?withWork) (COALESCE(?p, 0) AS ?provinces)
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:namedBody ?body ; ccbc:namingPlans ?plans
  OPTIONAL {{ ?t ccbc:workingPlans ?w }} OPTIONAL {{ ?t ccbc:namingProvinces ?p }} }} }}"""
_TALLIED_AMENDMENTS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?amending ?amended ?plans
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:amending ?amending ; ccbc:amended ?amended ; ccbc:statingPlans ?plans }} }}"""
# Each task with its lead, its plan's province and period years, and the amount it prints.
_LED_AMOUNTS = f"""PREFIX ccbc: <{CCBC.iri}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?lead ?place ?from ?to ?task ?amount ?value
WHERE {{
  ?task ccbc:leadBody ?lead ; ccbc:inPlan ?plan ; a ccbc:Task .
  OPTIONAL {{ ?task ccbc:budget ?amount . ?amount schema:value ?value }}
  OPTIONAL {{ GRAPH <{entities_graph_uri()}> {{ ?plan dcterms:spatial ?place }} }}
  OPTIONAL {{ GRAPH <{entities_graph_uri()}> {{ ?plan dcterms:temporal ?period }}
             ?period time:hasBeginning/time:inXSDGYear ?from ; time:hasEnd/time:inXSDGYear ?to }} }}"""
_TALLIED_BUDGETS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?lead ?place ?years ?rows (COALESCE(?a, 0) AS ?amounts) (COALESCE(?b, 0) AS ?budget)
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:budgetLead ?lead ; ccbc:ledRows ?rows
  OPTIONAL {{ ?t ccbc:place ?place }} OPTIONAL {{ ?t ccbc:planYears ?years }}
  OPTIONAL {{ ?t ccbc:ledAmounts ?a }} OPTIONAL {{ ?t ccbc:ledBudget ?b }} }} }}"""
_TALLIED_LEADS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?body ?tasks ?plans
WHERE {{ GRAPH <{tallies_graph_uri()}> {{ ?t ccbc:body ?body ; ccbc:tasksLed ?tasks ; ccbc:plansLed ?plans }} }}"""
_TALLIED_DUTIES = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?body (COALESCE(?g, 0) AS ?given) (COALESCE(?s, 0) AS ?shared)
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:body ?body OPTIONAL {{ ?t ccbc:dutiesGiven ?g }} OPTIONAL {{ ?t ccbc:dutiesShared ?s }}
  FILTER(BOUND(?g) || BOUND(?s)) }} }}"""
_TALLIED_PLANS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?plan (COALESCE(?r, 0) AS ?tasks) (COALESCE(?d, 0) AS ?duties)
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:plan ?plan OPTIONAL {{ ?t ccbc:taskRows ?r }} OPTIONAL {{ ?t ccbc:responsibilities ?d }} }} }}"""
_TALLIED_PAIRS = f"""PREFIX ccbc: <{CCBC.iri}>
SELECT ?lead ?coordinator ?tasks ?plans
WHERE {{ GRAPH <{tallies_graph_uri()}> {{
  ?t ccbc:lead ?lead ; ccbc:coordinator ?coordinator ; ccbc:sharedTasks ?tasks ; ccbc:sharedPlans ?plans }} }}"""


def _rows(store: GraphStore, query: str) -> set[tuple[str, ...]]:
    return {tuple(term.value for term in row if term is not None) for row in store.query(query).rows}


def _citing(store: GraphStore) -> Counter[tuple[str, ...]]:
    """Plans by province, year and cited document, and plans, citations and cited documents
    by province and year."""
    counts: Counter[tuple[str, ...]] = Counter()
    rows = {tuple(term.value if term else "" for term in row) for row in store.query(_CITING).rows}
    for _plan, place, year in {row[:3] for row in rows}:
        counts[place, year, "", "plans"] += 1
    for _, place, year, document in rows:
        counts[place, year, document, "plans"] += 1 if document else 0
        counts[place, year, "", "citations"] += 1 if document else 0
    for place, year, document in {row[1:] for row in rows}:
        counts[place, year, "", "documents"] += 1 if document else 0
    return +counts


def _budgets(store: GraphStore) -> set[tuple[str, ...]]:
    """Per lead body, province and plan years ("2021-2030"): the rows it leads, the amounts
    they print and their sum, an amount printed once for several rows counted once."""
    rows: dict[tuple[str, ...], set[str]] = {}
    amounts: dict[tuple[str, ...], dict[str, int]] = {}
    for row in store.query(_LED_AMOUNTS).rows:
        lead, place, start, end, task, amount, value = (term.value if term else "" for term in row)
        years = "" if not start else start if start == end else f"{start}-{end}"
        key = (lead, place, years)
        rows.setdefault(key, set()).add(task)
        if amount:
            amounts.setdefault(key, {})[amount] = int(value)
    counted = {key: amounts.get(key, {}) for key in rows}
    return {
        (*(x for x in (*key, str(len(tasks))) if x), str(len(counted[key])), str(sum(counted[key].values())))
        for key, tasks in rows.items()
    }


def _tallied_citing(store: GraphStore) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for row in store.query(_TALLIED_CITING).rows:
        place, year, document, plans, citations, documents = (term.value if term else "" for term in row)
        counts[place, year, document, "plans"] += int(plans)
        counts[place, year, document, "citations"] += int(citations or 0)
        counts[place, year, document, "documents"] += int(documents or 0)
    return +counts


def _amendments(store: GraphStore) -> set[tuple[str, ...]]:
    """Each amendment link with the number of graphs holding a statement of it, read quad by
    quad (a statement of a repeal may name no repealed document: it states no link)."""
    amended = {
        (q.graph_name.value, q.subject.value): q.object.value
        for q in store.oxigraph.quads_for_pattern(None, CCBC.amendedDocument, None, None)
    }
    graphs: dict[tuple[str, str], set[str]] = {}
    for q in store.oxigraph.quads_for_pattern(None, CCBC.amendingDocument, None, None):
        if (q.graph_name.value, q.subject.value) in amended:
            link = (q.object.value, amended[q.graph_name.value, q.subject.value])
            graphs.setdefault(link, set()).add(q.graph_name.value)
    return {(*link, str(len(names))) for link, names in graphs.items()}


def _tallies(store: GraphStore) -> set[str]:
    return {str(q.triple) for q in store.oxigraph.quads_for_pattern(None, None, None, tallies_graph())}


def _from_scratch(store: GraphStore, graphs: set[str]) -> set[str]:
    return {str(t) for t in recounted(store, graphs)}


def assert_tallies_count_every_task(store: GraphStore, plan_graphs: set[str]) -> None:
    assert counted_graphs(store) == plan_graphs
    assert _tallies(store) == _from_scratch(store, plan_graphs)
    assert _rows(store, _TALLIED_LEADS) == _rows(store, _LEADS)
    assert _rows(store, _TALLIED_PAIRS) == _rows(store, _PAIRS)
    assert _rows(store, _TALLIED_BUDGETS) == _budgets(store)
    assert _rows(store, _TALLIED_DUTIES) == _rows(store, _DUTIES)
    assert _rows(store, _TALLIED_PLANS) == _rows(store, _PLANS)
    assert _tallied_citing(store) == _citing(store)
    assert _rows(store, _TALLIED_AMENDMENTS) == _amendments(store)
    assert _rows(store, _TALLIED_NAMED) == _rows(store, _NAMED)


def test_tallies_follow_every_add_change_and_removal(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store = GraphStore(tmp_path / "db")
    build(folder, store)
    assert_tallies_count_every_task(store, set(stored_activities(store)))
    leads = _rows(store, _TALLIED_LEADS)
    kien_giang_home = org_uri("Sở Nội vụ tỉnh Kiên Giang")
    assert any(body == kien_giang_home for body, *_ in leads)
    assert len(leads) >= 20 and len(_rows(store, _TALLIED_PAIRS)) >= 20
    assert len(_rows(store, _TALLIED_DUTIES)) >= 10
    citing = _tallied_citing(store)
    assert sum(n for (_, _, document, count), n in citing.items() if document) >= 30
    assert sum(n for (_, _, _, count), n in citing.items() if count == "citations") >= 30
    assert sum(n for (_, _, _, count), n in citing.items() if count == "documents") >= 30
    assert _rows(store, _TALLIED_AMENDMENTS)
    assert sum(int(provinces) > 1 for *_, provinces in _rows(store, _TALLIED_NAMED)) >= 3
    budgets = {(lead, int(budget)) for lead, *_, budget in _rows(store, _TALLIED_BUDGETS)}
    assert (kien_giang_home, 664_800_000) in budgets and sum(b > 0 for _, b in budgets) >= 5
    plans = _rows(store, _TALLIED_PLANS)
    assert len(plans) == 5 and sum(int(tasks) > 0 and int(duties) > 0 for _, tasks, duties in plans) >= 3

    # A changed plan: every task of Hà Tĩnh's led by its Sở Nội vụ is now its Sở Tư pháp's.
    ha_tinh = folder / HA_TINH
    ha_tinh.write_text(ha_tinh.read_text(encoding="utf-8").replace("Sở Nội vụ", "Sở Tư pháp"), encoding="utf-8")
    kept = (folder / KIEN_GIANG).read_bytes()
    (folder / KIEN_GIANG).unlink()
    report = build(folder, store)
    assert report.changed == [HA_TINH] and report.removed
    assert_tallies_count_every_task(store, set(stored_activities(store)))
    after = _rows(store, _TALLIED_LEADS)
    assert after != leads
    assert not any(body == kien_giang_home for body, *_ in after)  # its counts fell to 0: the node went
    assert f"<{kien_giang_home}>" not in " ".join(_tallies(store))

    (folder / KIEN_GIANG).write_bytes(kept)
    build(folder, store)
    assert_tallies_count_every_task(store, set(stored_activities(store)))
    assert any(body == kien_giang_home for body, *_ in _rows(store, _TALLIED_LEADS))
    store.close()


def test_a_build_counts_again_what_writes_outside_it_left_behind(tmp_path: Path) -> None:
    """A graph dropped by a SPARQL Update, or the tallies lost: the next build counts right again."""
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store = GraphStore(tmp_path / "db")
    build(folder, store)
    plans = set(stored_activities(store))
    counted = _tallies(store)

    store.oxigraph.update(f"DROP GRAPH <{tallies_graph_uri()}>")
    assert _tallies(store) == set()
    assert build(folder, store).unchanged  # nothing to read again, yet everything counted again
    assert _tallies(store) == counted

    dropped = sorted(plans)[0]
    store.oxigraph.update(f"DROP GRAPH <{dropped}>")  # its counts stay behind: nothing took them out
    assert dropped in counted_graphs(store)
    assert _tallies(store) != _from_scratch(store, plans - {dropped})
    report = build(folder, store)
    assert len(report.added) == 1
    assert_tallies_count_every_task(store, plans)
    assert _tallies(store) == counted
    store.close()


def test_tallies_another_version_made_are_counted_again(tmp_path: Path) -> None:
    """Tallies counted by other definitions (an older version without the plans' counts):
    what a changed graph added by them cannot be taken out by these, so a build counts anew."""
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    store = GraphStore(tmp_path / "db")
    build(folder, store)
    counted = _tallies(store)
    graph = f"<{tallies_graph_uri()}>"
    store.oxigraph.update(
        f"""PREFIX ccbc: <{CCBC.iri}>
        DELETE {{ GRAPH {graph} {{ ?t ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?t a ccbc:PlanTally ; ?p ?o }} }};
        DELETE {{ GRAPH {graph} {{ {graph} ccbc:talliesDefinition ?d }} }}
        INSERT {{ GRAPH {graph} {{ {graph} ccbc:talliesDefinition "an older one" }} }}
        WHERE {{ GRAPH {graph} {{ {graph} ccbc:talliesDefinition ?d }} }}"""
    )
    assert not defined_as_now(store)
    ha_tinh = folder / HA_TINH
    ha_tinh.write_text(ha_tinh.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(folder, store).changed == [HA_TINH]
    assert defined_as_now(store)
    assert_tallies_count_every_task(store, set(stored_activities(store)))
    assert _tallies(store) == counted
    store.close()
