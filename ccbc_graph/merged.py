"""The merged graph of shared entities: what the plans say about documents and bodies, each fact once.

Every plan graph describes the documents it cites and the bodies it names, so that it
stands alone as the record of what one file says. Across plans those descriptions repeat:
over the union of 10,000 plan graphs, "30c/NQ-CP has this label" is 10,000 quads, and a
query joining on it multiplies its rows by as many. ``B graph/entities`` holds the set
union of those descriptions instead, each triple once, and the shipped queries read
shared entities there.

The graph is kept in step with the plan graphs in the same transaction that changes
them: a plan's triples are added when the plan is loaded, and a triple leaves only when no
other plan graph still states it. The same transaction keeps the counts of
:mod:`ccbc_graph.tallies` in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from ccbc_graph import tallies
from ccbc_graph.store import GraphChange, GraphStore, triple_lines
from ccbc_graph.uris import ELI, ORG, PROV, RDF, entities_graph_uri

# Nodes several plans describe alike: documents (plans included, as another plan may cite
# them), their expressions, bodies, and the extractor agent.
SHARED_TYPES = frozenset({ELI.LegalResource, ELI.LegalExpression, ORG.Organization, PROV.SoftwareAgent})
# How an N-Triples line types its subject as one of them: "<s> <rdf:type> <T> .".
_SHARED_TYPE_ENDS = frozenset(f" {RDF.type} {kind} ." for kind in SHARED_TYPES)


def entity_lines(lines: Iterable[str]) -> set[str]:
    """The N-Triples lines (as :func:`~ccbc_graph.store.triple_lines` writes them) that
    describe a shared entity, by its type among the same lines. Read as text: a build
    handles plans as lines, and a subject holds no space."""
    items = list(lines)
    subject = {line: line[: line.find(" ")] for line in items}
    shared = {subject[line] for line in items if line[len(subject[line]) :] in _SHARED_TYPE_ENDS}
    return {line for line in items if subject[line] in shared}


def entity_triples(quads: Iterable[Quad | Triple]) -> set[Triple]:
    """The triples of ``quads`` that describe a shared entity (by its type in the same quads)."""
    lines = entity_lines(triple_lines(quads))
    return {quad.triple for quad in parse("\n".join(lines), RdfFormat.N_TRIPLES)}


def change_for(
    store: GraphStore, graph_iri: str, new_lines: Iterable[str], stored_lines: list[str] | None = None
) -> GraphChange:
    """How the merged graph changes when ``graph_iri`` comes to hold ``new_lines`` (N-Triples,
    or nothing).

    Every triple of the new content is (re)asserted, so a merged graph that missed some
    heals; a triple only the old content stated is retracted unless another plan graph
    states it too. ``stored_lines``: the plan graph as just read, if it was.
    """
    merged = NamedNode(entities_graph_uri())
    plan_graph = NamedNode(graph_iri)
    new = entity_lines(new_lines)
    old = entity_lines(store.graph_lines(plan_graph) if stored_lines is None else stored_lines)
    retracted = [line for line in old - new if not _stated_elsewhere(store, line, {merged, plan_graph})]
    return GraphChange(merged, retracted=retracted, asserted=sorted(new))


def replace_plan_graph(
    store: GraphStore, graph_iri: str | NamedNode, lines: list[str], stored: list[str] | None = None
) -> int:
    """Write a plan graph (N-Triples ``lines``) with the merged graph's and the tallies'
    change in one transaction; returns its size. The stored graph's lines are read once,
    for the write and the merged graph's change (reading is most of the work); the
    tallies query only the counts it adds. ``stored``: its lines, if the caller has just
    read them."""
    graph = _iri(graph_iri)
    if stored is None:
        stored = store.graph_lines(graph)
    also = [change_for(store, graph, lines, stored), tallies.plan_change(store, graph, lines)]
    return store.replace_graph_lines(graph, lines, stored=stored, also=also)


def remove_plan_graph(store: GraphStore, graph_iri: str | NamedNode) -> bool:
    """Remove a plan graph with the merged graph's and the tallies' change in one
    transaction; ``False`` if there was no such graph."""
    graph = _iri(graph_iri)
    return store.remove_graph(graph, also=[change_for(store, graph, []), tallies.plan_change(store, graph, [])])


def _iri(graph_iri: str | NamedNode) -> str:
    return graph_iri.value if isinstance(graph_iri, NamedNode) else graph_iri


def _stated_elsewhere(store: GraphStore, line: str, excluded: set[NamedNode]) -> bool:
    (triple,) = (quad.triple for quad in parse(line, RdfFormat.N_TRIPLES))
    quads = store.oxigraph.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return any(q.graph_name not in excluded for q in quads)


def merged_triples(graphs: Iterable[Iterable[Quad | Triple]]) -> list[Triple]:
    """The merged graph of plan graphs loaded by other means than a build (fixtures, dumps)."""
    merged: set[Triple] = set()
    for quads in graphs:
        merged |= entity_triples(quads)
    return sorted(merged, key=str)
