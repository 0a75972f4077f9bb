"""Citation and collaboration networks read from the graph, and their metrics.

Every network is built from the rows of ``queries/network-*.rq`` run through
:func:`ccbc_graph.queries.run_query`, so it comes out the same from the embedded store
and from a remote SPARQL endpoint. Those that answer a page at a time are read whole
(``page=all``). Networks:

* ``citations``: plan -> cited document (kind = the citation's relation, weight = how
  many times the plan names it) and document -> document it amends (kind ``amends``).
* ``cocitations``: documents joined when one plan cites both; weight = how many plans.
* ``agencies``: bodies joined when one leads a task the other coordinates, or one is
  given a duty the other shares; weight = how many tasks and duties.
* ``plan-agencies``: the plan–body bipartite graph (``bipartite`` 0 = plan, 1 = body).
* ``agencies-newman``: its projection onto bodies with Newman's collaboration weights
  (each plan with n bodies adds 1/(n-1) to each pair of them).

Node and edge attributes are strings, ints and floats only (never ``None`` or lists),
so GEXF, GraphML and CSV writers and readers take them as they are. The evidence
behind an edge (plan and quoted sentence) is kept whole for pictures in the graph's
``evidence`` dictionary, which the file writers leave out.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

from ccbc_graph.queries import PAGE_PARAM, load_query, page_size, run_query
from ccbc_graph.store import GraphStore, Term

# networkx takes 0.2 s to import, which every command would pay: the functions that use it import it.
if TYPE_CHECKING:
    import networkx as nx

Target = GraphStore | str

# Fixed, so the same graph always gets the same communities.
LOUVAIN_SEED = 20240611
# Longest label a node gets when it has only a title to be named by.
LABEL_WIDTH = 60
# How many pieces of evidence an edge keeps for its tooltip.
EVIDENCE_PER_EDGE = 5

_RELATION_RANK = {name: rank for rank, name in enumerate(["amends", "repeals", "basis", "implements", "references"])}
_ROLE_RANK = {name: rank for rank, name in enumerate(["lead", "coordinator", "responsible", "partner"])}


class NetworkName(StrEnum):
    citations = "citations"
    cocitations = "cocitations"
    agencies = "agencies"
    plan_agencies = "plan-agencies"
    agencies_newman = "agencies-newman"


@dataclass(frozen=True)
class Evidence:
    """Why an edge is there: the plan that says so and the sentence it says it in."""

    plan: str
    text: str


# -- reading rows -----------------------------------------------------------------------


def _rows(target: Target, query: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """All of a query's rows (every page of a listing) as dictionaries of plain strings; an
    unbound value is left out."""
    named = load_query(query)
    whole = {PAGE_PARAM: "all"} if page_size(named) is not None else {}
    variables, rows = run_query(target, named, {**(params or {}), **whole})
    return [{v: _text(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]


def _text(term: Term) -> str:
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def _local(iri: str) -> str:
    """The last part of a vocabulary IRI (``…#basis`` -> ``basis``)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _filters(province: str | None, year: str | int | None) -> dict[str, str]:
    return {k: str(v) for k, v in {"province": province, "year": year}.items() if v not in (None, "")}


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- networks ---------------------------------------------------------------------------


def _document_nodes(target: Target) -> dict[str, dict[str, Any]]:
    """Attributes of plans and cited documents, for any network that shows them."""
    nodes = {}
    for row in _rows(target, "network-documents"):
        is_plan = row.get("isPlan") == "true"
        title = row.get("title", "")
        label = row.get("label") or (
            f"{row.get('type', 'Kế hoạch')}: {_short(title)}" if title else _local(row["node"])
        )
        nodes[row["node"]] = {
            "label": label,
            "title": title,
            "kind": "plan" if is_plan else row.get("type", "document"),
            "year": row.get("year", ""),
            "issuer": row.get("issuer", ""),
            "level": row.get("level", ""),
            "province": row.get("province", ""),
        }
    return nodes


def _body_nodes(target: Target) -> dict[str, dict[str, Any]]:
    """Attributes of the bodies that take part in tasks and duties."""
    return {
        row["body"]: {
            "label": row.get("label", _local(row["body"])),
            "kind": row.get("kind", "body"),
            "level": row.get("level", ""),
            "province": row.get("province", ""),
            "year": "",
        }
        for row in _rows(target, "network-bodies")
    }


def _add_nodes(graph: nx.Graph, names: Iterable[str], attributes: dict[str, dict[str, Any]]) -> None:
    for name in names:
        if name not in graph:
            graph.add_node(
                name,
                **attributes.get(name, {"label": _local(name), "kind": "", "level": "", "province": "", "year": ""}),
            )


def _finish_edges(
    graph: nx.Graph,
    evidence: dict[tuple[str, str], list[Evidence]],
    plans: dict[tuple[str, str], set[str]],
    labels: dict[str, str],
) -> None:
    """Scalar summaries of each edge's evidence (plans named by label); the evidence goes to ``graph.graph``."""
    kept: dict[str, list[dict[str, str]]] = {}
    for (u, v), items in evidence.items():
        plan_labels = sorted(labels.get(p, p) for p in plans[(u, v)])
        graph.edges[u, v]["plans"] = " | ".join(plan_labels)
        graph.edges[u, v]["plan_count"] = len(plan_labels)
        graph.edges[u, v]["evidence"] = next((e.text for e in items if e.text), "")
        kept[f"{u}\n{v}"] = [{"plan": labels.get(e.plan, e.plan), "text": e.text} for e in items[:EVIDENCE_PER_EDGE]]
    graph.graph["evidence"] = kept


def citation_network(target: Target, province: str | None = None, year: str | int | None = None) -> nx.DiGraph:
    """Plans -> the documents they cite, and documents -> the documents they amend."""
    import networkx as nx

    graph = nx.DiGraph(name=NetworkName.citations.value)
    rows = _rows(target, "network-citations", _filters(province, year))
    nodes = _document_nodes(target)
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    plans: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        source, target_node, relation = row["source"], row["target"], _local(row["relation"])
        # A citation counts once even when no mention of it was kept.
        mentions = max(float(row.get("mentions", 1)), 1.0)
        _add_nodes(graph, (source, target_node), nodes)
        if graph.has_edge(source, target_node):
            edge = graph.edges[source, target_node]
            if _RELATION_RANK.get(relation, 99) < _RELATION_RANK.get(edge["kind"], 99):
                edge["kind"] = relation
            edge["weight"] += mentions
        else:
            graph.add_edge(source, target_node, kind=relation, weight=mentions)
        evidence[(source, target_node)].append(Evidence(row["plan"], row.get("quote", "")))
        plans[(source, target_node)].add(row["plan"])
    _finish_edges(graph, evidence, plans, {n: a["label"] for n, a in nodes.items()})
    return graph


def cocitation_network(citations: nx.DiGraph) -> nx.Graph:
    """Documents cited by the same plan, weighted by how many plans cite both."""
    import networkx as nx

    graph = nx.Graph(name=NetworkName.cocitations.value)
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    plans: dict[tuple[str, str], set[str]] = defaultdict(set)
    for plan, attributes in citations.nodes(data=True):
        if attributes.get("kind") != "plan":
            continue
        cited = sorted(citations.successors(plan))
        for u, v in itertools.combinations(cited, 2):
            graph.add_node(u, **citations.nodes[u])
            graph.add_node(v, **citations.nodes[v])
            weight = graph.edges[u, v]["weight"] + 1.0 if graph.has_edge(u, v) else 1.0
            graph.add_edge(u, v, kind="co-cited", weight=weight)
            evidence[(u, v)].append(Evidence(plan, ""))
            plans[(u, v)].add(plan)
    for plan in {p for ps in plans.values() for p in ps}:
        graph.add_node(plan, **citations.nodes[plan])
    _finish_edges(graph, evidence, plans, dict(citations.nodes(data="label")))
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    return graph


def agency_network(target: Target, province: str | None = None, year: str | int | None = None) -> nx.Graph:
    """Bodies working together on a task (lead–coordinator) or a duty (responsible–partner)."""
    import networkx as nx

    graph = nx.Graph(name=NetworkName.agencies.value)
    nodes = _body_nodes(target)
    plan_nodes = _document_nodes(target)
    items: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: {"task": set(), "responsibility": set()})
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    plans: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(target, "network-collaboration", _filters(province, year)):
        u, v = sorted((row["first"], row["second"]))
        if row["item"] not in items[(u, v)][row["via"]]:
            items[(u, v)][row["via"]].add(row["item"])
            evidence[(u, v)].append(Evidence(row["plan"], row.get("evidence", "")))
        plans[(u, v)].add(row["plan"])
    for (u, v), by_kind in items.items():
        _add_nodes(graph, (u, v), nodes)
        tasks, duties = len(by_kind["task"]), len(by_kind["responsibility"])
        kind = "task" if not duties else "responsibility" if not tasks else "task+responsibility"
        graph.add_edge(u, v, kind=kind, weight=float(tasks + duties), tasks=tasks, responsibilities=duties)
    _finish_edges(graph, evidence, plans, {n: a["label"] for n, a in plan_nodes.items()})
    return graph


def plan_agency_network(target: Target, province: str | None = None, year: str | int | None = None) -> nx.Graph:
    """The bipartite graph of plans and the bodies they give tasks or duties to."""
    import networkx as nx

    graph = nx.Graph(name=NetworkName.plan_agencies.value)
    plan_nodes, body_nodes = _document_nodes(target), _body_nodes(target)
    for row in _rows(target, "network-plan-bodies", _filters(province, year)):
        plan, body = row["plan"], row["body"]
        _add_nodes(graph, [plan], plan_nodes)
        _add_nodes(graph, [body], body_nodes)
        graph.nodes[plan]["bipartite"] = 0
        graph.nodes[body]["bipartite"] = 1
        # The roles in a fixed order: a GROUP_CONCAT's order is the store's to choose.
        roles = sorted(row.get("roles", "").split(), key=lambda role: _ROLE_RANK.get(role, len(_ROLE_RANK)))
        graph.add_edge(plan, body, kind=" ".join(roles), weight=float(row.get("items", 1)))
    graph.graph["evidence"] = {}
    return graph


def newman_projection(bipartite: nx.Graph) -> nx.Graph:
    """Bodies joined through shared plans with Newman's weights: sum over plans of 1/(n-1)."""
    import networkx as nx

    bodies = [n for n, side in bipartite.nodes(data="bipartite") if side == 1]
    graph = nx.bipartite.collaboration_weighted_projected_graph(bipartite, bodies)
    graph.graph = {"name": NetworkName.agencies_newman.value, "evidence": {}}
    for u, v, attributes in graph.edges(data=True):
        shared = sorted(set(bipartite[u]) & set(bipartite[v]))
        attributes["weight"] = float(attributes["weight"])
        attributes["kind"] = "shared plan"
        attributes["plan_count"] = len(shared)
        attributes["plans"] = " | ".join(sorted(bipartite.nodes[p].get("label", p) for p in shared))
    return graph


def build_network(
    name: NetworkName | str, target: Target, province: str | None = None, year: str | int | None = None
) -> nx.Graph:
    """The named network, with its metrics added to every node."""
    name = NetworkName(name)
    builders: dict[NetworkName, Callable[[], nx.Graph]] = {
        NetworkName.citations: lambda: citation_network(target, province, year),
        NetworkName.cocitations: lambda: cocitation_network(citation_network(target, province, year)),
        NetworkName.agencies: lambda: agency_network(target, province, year),
        NetworkName.plan_agencies: lambda: plan_agency_network(target, province, year),
        NetworkName.agencies_newman: lambda: newman_projection(plan_agency_network(target, province, year)),
    }
    graph = builders[name]()
    add_metrics(graph)
    return graph


# -- metrics ----------------------------------------------------------------------------

METRICS = ("degree", "weighted_degree", "betweenness", "eigenvector", "community")


def add_metrics(graph: nx.Graph) -> None:
    """Degree, weighted degree, betweenness, eigenvector centrality and Louvain community per node.

    Betweenness walks shortest paths where a strong tie is short (distance = 1/weight).
    Eigenvector centrality is computed in each connected component on its own (it is
    not defined across components) on the undirected graph: a citation network is
    nearly acyclic, where directed eigenvector centrality is zero almost everywhere.
    Communities are Louvain's with a fixed seed, numbered from the largest.
    """
    import networkx as nx

    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    for *_, attributes in graph.edges(data=True):
        attributes["distance"] = 1.0 / attributes["weight"] if attributes.get("weight", 0) > 0 else math.inf
    betweenness = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    eigenvector: dict[str, float] = {}
    for component in nx.connected_components(undirected):
        if len(component) < 2:
            eigenvector.update(dict.fromkeys(component, 0.0))
            continue
        sub = undirected.subgraph(component)
        eigenvector.update(nx.eigenvector_centrality(sub, weight="weight", max_iter=5000, tol=1e-9))
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=LOUVAIN_SEED) if graph else []
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community_of = {node: index for index, members in enumerate(ordered) for node in members}
    for node, attributes in graph.nodes(data=True):
        attributes["degree"] = int(graph.degree(node))
        attributes["weighted_degree"] = float(graph.degree(node, weight="weight"))
        attributes["betweenness"] = round(float(betweenness[node]), 9)
        attributes["eigenvector"] = round(float(eigenvector[node]), 9)
        attributes["community"] = community_of[node]
    graph.graph["communities"] = len(ordered)
    graph.graph["modularity"] = (
        round(nx.community.modularity(undirected, ordered, weight="weight"), 6) if graph.number_of_edges() else 0.0
    )


STAT_COLUMNS = ("node", "label", "kind", "province", *METRICS)


def top_nodes(graph: nx.Graph, limit: int | None = 20, kind: str | None = None) -> list[dict[str, Any]]:
    """Nodes ranked by weighted degree, then betweenness, then label; optionally of one kind."""
    rows = [
        {"node": node, **{c: attributes.get(c, "") for c in STAT_COLUMNS if c != "node"}}
        for node, attributes in graph.nodes(data=True)
        if kind is None or attributes.get("kind") == kind
    ]
    rows.sort(key=lambda r: (-r["weighted_degree"], -r["betweenness"], r["label"], r["node"]))
    return rows if limit is None else rows[:limit]


def summary(graph: nx.Graph) -> dict[str, Any]:
    """Size and shape of a network, for the line printed above its table."""
    import networkx as nx

    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    return {
        "network": graph.graph.get("name", ""),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "components": nx.number_connected_components(undirected) if graph else 0,
        "communities": graph.graph.get("communities", 0),
        "modularity": graph.graph.get("modularity", 0.0),
    }


# -- export -----------------------------------------------------------------------------


class ExportFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"


def exportable(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes every reader accepts: str, int, finite float; no graph extras."""
    clean = graph.__class__()
    clean.graph["name"] = str(graph.graph.get("name", ""))
    for node, attributes in graph.nodes(data=True):
        clean.add_node(node, **_scalars(attributes))
    for u, v, attributes in graph.edges(data=True):
        clean.add_edge(u, v, **_scalars(attributes))
    return clean


def _scalars(attributes: dict[str, Any]) -> dict[str, str | int | float]:
    clean: dict[str, str | int | float] = {}
    for key, value in attributes.items():
        if isinstance(value, float) and not math.isfinite(value):
            continue  # a distance of an edge of weight 0: no reader wants "inf"
        if isinstance(value, bool):
            clean[key] = int(value)
        elif isinstance(value, (str, int, float)):
            clean[key] = value
        elif value is not None:
            clean[key] = " | ".join(map(str, value)) if isinstance(value, (list, tuple, set)) else str(value)
    return clean


def export_network(graph: nx.Graph, fmt: ExportFormat | str, path: Path) -> list[Path]:
    """Write ``graph`` as GEXF, GraphML or CSV; returns the files written.

    CSV is two files: the edges at ``path`` and the nodes beside it (``…-nodes.csv``).
    """
    import networkx as nx

    fmt = ExportFormat(fmt)
    clean = exportable(graph)
    if fmt is ExportFormat.gexf:
        nx.write_gexf(clean, path)
        return [path]
    if fmt is ExportFormat.graphml:
        nx.write_graphml(clean, path)
        return [path]
    nodes_path = path.with_name(f"{path.stem}-nodes.csv")
    _write_csv(nodes_path, ["id"], ((n, a) for n, a in clean.nodes(data=True)))
    _write_csv(path, ["source", "target"], (((u, v), a) for u, v, a in clean.edges(data=True)))
    return [path, nodes_path]


def _write_csv(path: Path, key_columns: list[str], items: Iterable[tuple[Any, dict[str, Any]]]) -> None:
    rows = list(items)
    columns = sorted({k for _, attributes in rows for k in attributes})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*key_columns, *columns])
        for key, attributes in rows:
            keys = list(key) if isinstance(key, tuple) else [key]
            writer.writerow([*keys, *(attributes.get(c, "") for c in columns)])
