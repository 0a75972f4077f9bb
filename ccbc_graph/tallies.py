"""Tallies: the counts the rankings and listings read, kept in step with the plan graphs.

Ranking bodies by the task rows they lead, or lead/coordinator pairs by the rows they
share, counts a million rows at 10,000 plans: seconds each time it is asked. ``B
graph/tallies`` holds those counts instead, one node per body (the rows and duties it has
in each role), per lead/coordinator pair, per lead body, province and plan years (the rows
it leads and the budget they print), per plan (its rows and duties), per province
and plan year (plans, citations, documents cited) and per province, year and cited
document (plans citing it), per amendment link (plans stating it), per body any plan
names (plans naming it, giving it work; provinces naming it), and a query reads them.
Every count is a sum over plan graphs of what one graph says (each :class:`Family`
defines its counts by a SPARQL query over ``GRAPH ?graph``), so it is kept by
differences: when a plan graph changes, what its old content added is taken out and what
its new content adds is put in, in the transaction that changes the graph. The one other
kind, a count of nodes (the documents cited in a province and year, the provinces naming
a body), changes as those nodes appear and go.

The tallies graph also names every plan graph it counts (``ccbc:countsGraph``). A build
compares that list with the plan graphs and counts again what a write outside the
build's transactions left behind: a build killed between a bulk load and its count, a
graph dropped by a SPARQL Update.

The counts are of plan graphs: a plan held in two files counts twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, Triple, Variable, parse

from ccbc_graph.store import GraphChange, GraphStore, StoreError
from ccbc_graph.uris import CCBC, RDF, XSD, base_uri, tallies_graph_uri


@dataclass(frozen=True)
class Family:
    """One kind of tally node: its key terms and counts, and the query that gives, per
    plan graph and key, what that graph adds to each count.

    The query selects ``?graph``, then the ``keys``, then the ``counts``; each name is
    also the ``ccbc:`` property that links a node to that key term or count. A key may be
    unbound (a plan with no province): its node then has no such property. Rows with the
    same key terms add up.

    ``node_counts`` are counts of other nodes, not sums over graphs: (count, family) is
    how many nodes of that family have this node's key terms as their first ones and all
    their other key terms bound (the documents cited in a province and year are its
    citation nodes; the provinces naming a body its nodes with a province). They are kept when
    those nodes appear and go, so a query reads one number, not the nodes.
    """

    name: str
    kind: NamedNode
    keys: tuple[str, ...]
    counts: tuple[str, ...]
    query: str
    node_counts: tuple[tuple[str, str], ...] = ()

    @property
    def all_counts(self) -> tuple[str, ...]:
        """The names of its counts: summed over graphs, then of other nodes."""
        return self.counts + tuple(name for name, _ in self.node_counts)


# The prefixes of every family's query.
_PREFIX = f"""PREFIX ccbc: <{CCBC.iri}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
"""

# A plan graph's plan with its province, left unbound when the plan does not say.
_PLAN_PLACE = """
  ?plan a ccbc:Plan .
  OPTIONAL { ?plan dcterms:spatial ?place }
"""

# ... and the year it is for (its period's first), unbound when the plan does not say. A
# file gives one plan, so the documents it cites are its citations.
_PLAN_PLACE_YEAR = (
    _PLAN_PLACE
    + "  OPTIONAL { ?plan dcterms:temporal ?period . ?period time:hasBeginning ?beginning ."
    + " ?beginning time:inXSDGYear ?year }\n"
)

# ... and the years of its period ("2020", "2021-2030"), unbound when the plan does not say.
_PLAN_PLACE_YEARS = (
    _PLAN_PLACE
    + """  OPTIONAL {
    ?plan dcterms:temporal ?period .
    ?period time:hasBeginning/time:inXSDGYear ?from ; time:hasEnd/time:inXSDGYear ?to .
    BIND(IF(?from = ?to, STR(?from), CONCAT(STR(?from), "-", STR(?to))) AS ?planYears)
  }
"""
)

# A plan graph's plan and each body it names (a mention of the body) or gives work (leads
# or coordinates a task, is given or shares a duty: then ?workPlan is the plan too).
_PLAN_NAMING_BODY = """
  ?plan a ccbc:Plan .
  { ?namedBody a org:Organization . ?mention oa:hasBody ?namedBody }
  UNION { ?item ccbc:leadBody ?namedBody ; ccbc:inPlan ?workPlan }
  UNION { ?item ccbc:coordinatingBody ?namedBody ; ccbc:inPlan ?workPlan }
  UNION { ?item ccbc:responsibleBody ?namedBody ; ccbc:inPlan ?workPlan }
  UNION { ?item ccbc:partnerBody ?namedBody ; ccbc:inPlan ?workPlan }
"""

FAMILIES = (
    Family(
        "body",
        CCBC.BodyTally,
        ("body",),
        ("tasksLed", "plansLed", "tasksCoordinated", "dutiesGiven", "dutiesShared"),
        _PREFIX
        + """SELECT ?graph ?body (COUNT(DISTINCT ?led) AS ?tasksLed) (COUNT(DISTINCT ?ledPlan) AS ?plansLed)
       (COUNT(DISTINCT ?coordinated) AS ?tasksCoordinated)
       (COUNT(DISTINCT ?given) AS ?dutiesGiven) (COUNT(DISTINCT ?shared) AS ?dutiesShared)
WHERE { GRAPH ?graph {
  { ?led ccbc:leadBody ?body ; ccbc:inPlan ?ledPlan ; a ccbc:Task }
  UNION { ?coordinated ccbc:coordinatingBody ?body ; a ccbc:Task }
  UNION { ?given ccbc:responsibleBody ?body ; a ccbc:Responsibility }
  UNION { ?shared ccbc:partnerBody ?body ; a ccbc:Responsibility } } }
GROUP BY ?graph ?body""",
    ),
    Family(
        "plan",
        CCBC.PlanTally,
        ("plan",),
        ("taskRows", "responsibilities"),
        _PREFIX
        + """SELECT ?graph ?plan (COUNT(DISTINCT ?task) AS ?taskRows) (COUNT(DISTINCT ?duty) AS ?responsibilities)
WHERE { GRAPH ?graph {
  { ?task ccbc:inPlan ?plan ; a ccbc:Task } UNION { ?duty ccbc:inPlan ?plan ; a ccbc:Responsibility } } }
GROUP BY ?graph ?plan""",
    ),
    Family(
        "pair",
        CCBC.PairTally,
        ("lead", "coordinator"),
        ("sharedTasks", "sharedPlans"),
        _PREFIX
        + """SELECT ?graph ?lead ?coordinator
       (COUNT(DISTINCT ?task) AS ?sharedTasks) (COUNT(DISTINCT ?plan) AS ?sharedPlans)
WHERE { GRAPH ?graph {
  ?task ccbc:leadBody ?lead ; ccbc:coordinatingBody ?coordinator ; ccbc:inPlan ?plan ; a ccbc:Task .
  FILTER(?lead != ?coordinator) } }
GROUP BY ?graph ?lead ?coordinator""",
    ),
    Family(
        "budget",
        CCBC.BudgetTally,
        ("budgetLead", "place", "planYears"),
        ("ledRows", "ledAmounts", "ledBudget"),
        _PREFIX
        # One row per amount (and one for the rows printing none), which contributions()
        # adds up: an amount merged over several rows counts once, and a row has one.
        + """SELECT ?graph ?budgetLead ?place ?planYears
       (COUNT(DISTINCT ?task) AS ?ledRows) (COUNT(DISTINCT ?amount) AS ?ledAmounts)
       (COALESCE(SAMPLE(?value), 0) AS ?ledBudget)
WHERE { GRAPH ?graph {"""
        + _PLAN_PLACE_YEARS
        + """  ?task ccbc:leadBody ?budgetLead ; ccbc:inPlan ?plan ; a ccbc:Task .
  OPTIONAL { ?task ccbc:budget ?amount . ?amount schema:value ?value }
} }
GROUP BY ?graph ?budgetLead ?place ?planYears ?amount""",
    ),
    Family(
        "provinceYear",
        CCBC.ProvinceYearTally,
        ("place", "year"),
        ("plans", "citations"),
        _PREFIX
        + """SELECT ?graph ?place ?year (COUNT(DISTINCT ?plan) AS ?plans) (COUNT(DISTINCT ?document) AS ?citations)
WHERE { GRAPH ?graph {"""
        + _PLAN_PLACE_YEAR
        + """  OPTIONAL { ?plan eli:cites ?document } } }
GROUP BY ?graph ?place ?year""",
        (("documents", "citing"),),
    ),
    Family(
        "citing",
        CCBC.CitationTally,
        ("place", "year", "document"),
        ("citingPlans",),
        _PREFIX
        + """SELECT ?graph ?place ?year ?document (COUNT(DISTINCT ?plan) AS ?citingPlans)
WHERE { GRAPH ?graph {"""
        + _PLAN_PLACE_YEAR
        + """  ?plan eli:cites ?document } }
GROUP BY ?graph ?place ?year ?document""",
    ),
    Family(
        "amendment",
        CCBC.AmendmentTally,
        ("amending", "amended"),
        ("statingPlans",),
        _PREFIX
        + """SELECT ?graph ?amending ?amended (COUNT(DISTINCT ?plan) AS ?statingPlans)
WHERE { GRAPH ?graph {
  ?statement ccbc:amendingDocument ?amending ; ccbc:amendedDocument ?amended ; a ccbc:AmendmentStatement .
  ?plan a ccbc:Plan } }
GROUP BY ?graph ?amending ?amended""",
    ),
    Family(
        "named",
        CCBC.NamedBodyTally,
        ("namedBody",),
        ("namingPlans", "workingPlans"),
        _PREFIX
        + """SELECT ?graph ?namedBody
       (COUNT(DISTINCT ?plan) AS ?namingPlans) (COUNT(DISTINCT ?workPlan) AS ?workingPlans)
WHERE { GRAPH ?graph {"""
        + _PLAN_NAMING_BODY
        + """} }
GROUP BY ?graph ?namedBody""",
        (("namingProvinces", "namedPlace"),),
    ),
    Family(
        "namedPlace",
        CCBC.NamedBodyPlaceTally,
        ("namedBody", "place"),
        ("namingPlansThere",),
        _PREFIX
        + """SELECT ?graph ?namedBody ?place (COUNT(DISTINCT ?plan) AS ?namingPlansThere)
WHERE { GRAPH ?graph {"""
        + _PLAN_NAMING_BODY
        + """  OPTIONAL { ?plan dcterms:spatial ?place } } }
GROUP BY ?graph ?namedBody ?place""",
    ),
)

# What the tallies count, as a 16-hex digest of the families' definitions: a store whose
# tallies were made by other definitions (an older version) is counted again from nothing,
# as what its graphs added by the old ones cannot be taken out by the new ones.
DEFINITION = hashlib.sha1(
    repr([(f.name, f.kind.value, f.keys, f.counts, f.query, f.node_counts) for f in FAMILIES]).encode("utf-8")
).hexdigest()[:16]

# A tally node: its family and key terms (as N-Triples terms).
Key = tuple[Family, tuple[str, ...]]
# What some plan graphs add to each node's counts, by count name.
Counts = dict[Key, Counter[str]]


def tallies_graph() -> NamedNode:
    """The tallies graph's name, as a node."""
    return NamedNode(tallies_graph_uri())


def contributions(store: Store, graphs: Iterable[str]) -> Counts:
    """What the plan graphs ``graphs`` (IRIs) add to each tally, read from ``store``.

    The graphs are read one at a time, each family's query given the graph as a constant
    (pyoxigraph's ``substitutions``): the planner then reads that graph alone. Joined in
    from a VALUES block instead, a graph made it read an OPTIONAL pattern (a plan's
    province, its period) over every graph of the store: 0.8 s a graph at 10,000 plans,
    against 8 ms for all the families this way.
    """
    counts: Counts = {}
    for graph in graphs:
        substitutions = {Variable("graph"): NamedNode(graph)}
        for family in FAMILIES:
            width = len(family.keys)
            for row in store.query(family.query, substitutions=substitutions):
                terms = list(row)
                key = (family, tuple("" if term is None else str(term) for term in terms[1 : 1 + width]))
                node = counts.setdefault(key, Counter())
                for name, value in zip(family.counts, terms[1 + width :], strict=True):
                    node[name] += int(value.value)
    return counts


def contributions_of_lines(graph: str, lines: Iterable[str]) -> Counts:
    """What one plan graph holding ``lines`` (N-Triples) would add to each tally."""
    scratch = Store()
    try:
        scratch.load("\n".join(lines).encode("utf-8"), RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
    except SyntaxError as err:  # a term pyoxigraph accepted but N-Triples cannot spell
        raise StoreError(f"cannot write graph {graph}: {err}") from err
    return contributions(scratch, [graph])


def node_iri(key: Key) -> str:
    """``B tally/{family}/{first 16 hex of the SHA-1 of its key terms}``."""
    family, terms = key
    digest = hashlib.sha1(" ".join(terms).encode("utf-8")).hexdigest()[:16]
    return f"{base_uri()}tally/{family.name}/{digest}"


def defined_as_now(store: GraphStore) -> bool:
    """Whether the store's tallies were made by these families' definitions."""
    graph = tallies_graph()
    return Quad(graph, CCBC.talliesDefinition, Literal(DEFINITION), graph) in store.oxigraph


def counted_graphs(store: GraphStore) -> set[str]:
    """The plan graphs the tallies count now."""
    graph = tallies_graph()
    return {q.object.value for q in store.oxigraph.quads_for_pattern(graph, CCBC.countsGraph, None, graph)}


def change(
    store: GraphStore,
    *,
    removed: Counts | None = None,
    added: Counts | None = None,
    counted: Iterable[str] = (),
    uncounted: Iterable[str] = (),
) -> GraphChange:
    """How the tallies graph changes when ``removed`` is taken out of the counts and
    ``added`` put in, and the plan graphs ``counted`` join the list of those it counts
    (``uncounted`` leave it). A node whose counts all fall to 0 goes."""
    delta: Counts = {}
    for sign, counts in ((-1, removed or {}), (1, added or {})):
        for key, values in counts.items():
            node = delta.setdefault(key, Counter())
            for name, value in values.items():
                node[name] += sign * value
    graph = tallies_graph()
    before = {key: _stored_counts(store, key) for key, differences in delta.items() if any(differences.values())}
    for key, (target, name) in _counted_nodes(list(before)):
        was = any(before[key].values())
        now = any(before[key][n] + delta[key][n] for n in key[0].counts)
        if was != now:
            delta.setdefault(target, Counter())[name] += 1 if now else -1
            before.setdefault(target, _stored_counts(store, target))
    retracted: list[str] = []
    asserted: list[str] = []
    for key, was in before.items():
        after = {name: was[name] + delta[key][name] for name in was}
        node = NamedNode(node_iri(key))
        for name in was:
            if was[name] != after[name]:
                retracted += [_count_line(node, name, was[name])] if was[name] else []
                asserted += [_count_line(node, name, after[name])] if after[name] else []
        if any(was.values()) and not any(after.values()):
            retracted += _frame_lines(key)
        elif any(after.values()) and not any(was.values()):
            asserted += _frame_lines(key)
    retracted += [_counted_line(g) for g in uncounted]
    asserted += [_counted_line(g) for g in counted]
    return GraphChange(graph, retracted=retracted, asserted=asserted)


def _stored_counts(store: GraphStore, key: Key) -> dict[str, int]:
    """A node's counts as the store holds them (0 for those it lacks)."""
    stored = {
        q.predicate.value: q.object.value
        for q in store.oxigraph.quads_for_pattern(NamedNode(node_iri(key)), None, None, tallies_graph())
    }
    return {name: int(stored.get(CCBC.iri + name, 0)) for name in key[0].all_counts}


def _counted_nodes(keys: Iterable[Key]) -> Iterable[tuple[Key, tuple[Key, str]]]:
    """Each of ``keys`` whose node another node counts, with that node's key and count."""
    for key in keys:
        family, terms = key
        for target in FAMILIES:
            for name, counted in target.node_counts:
                if counted == family.name and all(terms[len(target.keys) :]):
                    yield key, ((target, terms[: len(target.keys)]), name)


def plan_change(store: GraphStore, graph: str, lines: list[str]) -> GraphChange:
    """How the tallies change when plan graph ``graph`` comes to hold ``lines`` (none: it goes).

    Its old content is taken out only if the tallies count it by these definitions (see
    :func:`reconcile`)."""
    tallies = tallies_graph()
    was_counted = defined_as_now(store) and Quad(tallies, CCBC.countsGraph, NamedNode(graph), tallies) in store.oxigraph
    return change(
        store,
        removed=contributions(store.oxigraph, [graph]) if was_counted else None,
        added=contributions_of_lines(graph, lines) if lines else None,
        counted=[graph] if lines else [],
        uncounted=[graph] if was_counted and not lines else [],
    )


def count_new(store: GraphStore, graphs: Collection[str]) -> None:
    """Add the counts of plan graphs just loaded, in a transaction of its own."""
    store.apply(change(store, added=contributions(store.oxigraph, graphs), counted=graphs))


def reconcile(store: GraphStore, plan_graphs: Collection[str]) -> None:
    """Make the tallies count exactly ``plan_graphs``: add the graphs they miss; count
    everything again if they count a graph no longer there (its content is gone, so what
    it added cannot be taken out) or were made by other definitions."""
    counted = counted_graphs(store)
    if counted - set(plan_graphs) or not defined_as_now(store):
        store.replace_graph(tallies_graph(), recounted(store, plan_graphs))
    elif set(plan_graphs) - counted:
        count_new(store, sorted(set(plan_graphs) - counted))


def recounted(store: GraphStore, graphs: Collection[str]) -> list[Triple]:
    """The tallies graph counting ``graphs`` of ``store`` as they are now, made from nothing."""
    return _triples(contributions(store.oxigraph, graphs), graphs)


def tally_triples(graphs: Mapping[str, Iterable[Quad | Triple]]) -> list[Triple]:
    """The tallies graph of plan graphs loaded by other means than a build (fixtures, dumps)."""
    scratch = Store()
    for name, quads in graphs.items():
        scratch.extend(Quad(q.subject, q.predicate, q.object, NamedNode(name)) for q in quads)
    return _triples(contributions(scratch, list(graphs)), graphs)


def _triples(counts: Counts, graphs: Iterable[str]) -> list[Triple]:
    """The tallies graph holding ``counts`` of ``graphs`` and nothing else."""
    graph = tallies_graph()
    lines = [f"{graph} {CCBC.talliesDefinition} {Literal(DEFINITION)} ."]
    lines += [_counted_line(g) for g in graphs]
    nodes = {key: Counter(values) for key, values in counts.items() if any(values.values())}
    for _, (target, name) in _counted_nodes(list(nodes)):
        nodes.setdefault(target, Counter())[name] += 1
    for key, values in nodes.items():
        lines += _frame_lines(key)
        lines += [_count_line(NamedNode(node_iri(key)), name, n) for name, n in values.items() if n]
    return [quad.triple for quad in parse("\n".join(lines), RdfFormat.N_TRIPLES)]


def _counted_line(plan_graph: str) -> str:
    """The N-Triples line listing ``plan_graph`` among those the tallies count."""
    return f"{tallies_graph()} {CCBC.countsGraph} <{plan_graph}> ."


def _frame_lines(key: Key) -> list[str]:
    """A node's type and key terms (N-Triples lines), which it has while any count is not 0.

    A key term the query left unbound ("") is left out: the node has no such property."""
    family, terms = key
    node = node_iri(key)
    return [f"<{node}> {RDF.type} {family.kind} ."] + [
        f"<{node}> {_property(name)} {term} ." for name, term in zip(family.keys, terms, strict=True) if term
    ]


def _property(name: str) -> NamedNode:
    return NamedNode(CCBC.iri + name)


def _count_line(node: NamedNode, name: str, value: int) -> str:
    return f"{node} {_property(name)} {Literal(str(value), datatype=XSD.integer)} ."
