"""The merged graph of shared entities: what the plans say about documents and bodies, each fact once.

Every plan graph describes the documents it cites and the bodies it names, so that it
stands alone as the record of what one file says. Across plans those descriptions repeat:
over the union of 10,000 plan graphs, "30c/NQ-CP has this label" is 10,000 quads, and a
query joining on it multiplies its rows by as many. ``B graph/entities`` holds the set
union of those descriptions instead, each triple once, and the shipped queries read
shared entities there.

The graph is kept in step with the plan graphs in the same transaction that changes
them: a plan's triples are added when the plan is loaded, and a triple leaves only when no
other plan graph still states it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad, Triple

from ccbc_graph.store import GraphChange, GraphStore
from ccbc_graph.uris import ELI, ORG, PROV, RDF, entities_graph_uri

# Nodes several plans describe alike: documents (plans included, as another plan may cite
# them), their expressions, bodies, and the extractor agent.
SHARED_TYPES = frozenset({ELI.LegalResource, ELI.LegalExpression, ORG.Organization, PROV.SoftwareAgent})


def entity_triples(quads: Iterable[Quad | Triple]) -> set[Triple]:
    """The triples of ``quads`` that describe a shared entity (by its type in the same quads)."""
    items = list(quads)
    shared = {q.subject for q in items if q.predicate == RDF.type and q.object in SHARED_TYPES}
    return {Triple(q.subject, q.predicate, q.object) for q in items if q.subject in shared}


def change_for(
    store: GraphStore,
    graph_iri: str,
    new_quads: Iterable[Quad | Triple],
    stored_quads: Iterable[Quad] | None = None,
) -> GraphChange:
    """How the merged graph changes when ``graph_iri`` comes to hold ``new_quads`` (or nothing).

    Every triple of the new content is (re)asserted, so a merged graph that missed some
    heals; a triple only the old content stated is retracted unless another plan graph
    states it too. ``stored_quads``: the plan graph as just read, if it was.
    """
    merged = NamedNode(entities_graph_uri())
    plan_graph = NamedNode(graph_iri)
    new = entity_triples(new_quads)
    old = entity_triples(store.graph_quads(plan_graph) if stored_quads is None else stored_quads)
    retracted = [t for t in old - new if not _stated_elsewhere(store, t, {merged, plan_graph})]
    return GraphChange(merged, retracted=retracted, asserted=sorted(new, key=str))


def replace_plan_graph(
    store: GraphStore, graph_iri: str | NamedNode, quads: list[Quad | Triple], stored: list[Quad] | None = None
) -> int:
    """Write a plan graph and the merged graph's change in one transaction; returns its
    size. The stored graph is read once, for both (reading is most of the work);
    ``stored``: what it holds, if the caller has just read it."""
    graph = graph_iri.value if isinstance(graph_iri, NamedNode) else graph_iri
    if stored is None:
        stored = store.graph_quads(graph)
    return store.replace_graph(graph, quads, current=stored, also=change_for(store, graph, quads, stored))


def _stated_elsewhere(store: GraphStore, triple: Triple, excluded: set[NamedNode]) -> bool:
    quads = store.oxigraph.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return any(q.graph_name not in excluded for q in quads)


def merged_triples(graphs: Iterable[Iterable[Quad | Triple]]) -> list[Triple]:
    """The merged graph of plan graphs loaded by other means than a build (fixtures, dumps)."""
    merged: set[Triple] = set()
    for quads in graphs:
        merged |= entity_triples(quads)
    return sorted(merged, key=str)
