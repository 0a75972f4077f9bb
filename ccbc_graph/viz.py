"""One self-contained HTML page per network: works offline, runs no document text as HTML.

pyvis's own pages load vis-network and Bootstrap from CDNs and put node titles into
``innerHTML`` (DESIGN.md §7), so the page is made here from ``viz_template.html``:
vis-network is inlined from the copy in ``ccbc_graph/vendor``, the graph goes in as JSON
inside a ``<script type="application/json">`` with ``<``, ``>``, ``&`` and ``/`` escaped
(so ``</script>`` in a title cannot end the script and no text reads as a URL), and
the page's script writes all text with ``textContent``. A Content-Security-Policy
forbids every network load. IRIs are shown relative to the data's base, so the page
holds no ``http://`` or ``https://`` at all.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccbc_graph.uris import base_uri

if TYPE_CHECKING:
    import networkx as nx

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE = PACKAGE_DIR / "viz_template.html"
VIS_NETWORK = PACKAGE_DIR / "vendor" / "vis-network-9.1.2.min.js"

# Above this many nodes a page gets slow to lay out: the least connected are cut.
DEFAULT_NODE_LIMIT = 3000

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "/": "\\/", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no ``<!--``, no URL-looking text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(c, c) for c in text)


def _vis_network_js() -> str:
    """The vendored vis-network, its URLs (licence comments, the SVG namespace) spelled ``:\\/\\/``.

    Every ``://`` in the file is inside a string literal or a comment, where ``\\/``
    means ``/``: the code runs the same and the page names no remote resource.
    """
    return VIS_NETWORK.read_text(encoding="utf-8").replace("://", ":\\/\\/")


def _short_iri(iri: str) -> str:
    base = base_uri()
    return iri[len(base) :] if iri.startswith(base) else iri.replace("://", ":\u2215\u2215")


def select_for_page(
    graph: nx.Graph, *, min_weight: float = 0.0, node_limit: int = DEFAULT_NODE_LIMIT
) -> tuple[nx.Graph, str]:
    """The part of ``graph`` a page shows, and a sentence saying what was left out ("" if nothing).

    Edges lighter than ``min_weight`` go, and then the nodes they leave alone; above
    ``node_limit`` nodes the most connected (weighted degree, then betweenness) are kept.
    """
    shown = graph.copy()
    if min_weight > 0:
        shown.remove_edges_from([(u, v) for u, v, w in graph.edges(data="weight", default=1.0) if w < min_weight])
        shown.remove_nodes_from([n for n in list(shown) if shown.degree(n) == 0])
    if shown.number_of_nodes() <= node_limit:
        return shown, ""
    ranked = sorted(
        shown.nodes(data=True),
        key=lambda item: (-item[1].get("weighted_degree", 0.0), -item[1].get("betweenness", 0.0), str(item[0])),
    )
    cut = shown.number_of_nodes() - node_limit
    shown.remove_nodes_from([node for node, _ in ranked[node_limit:]])
    return shown, f"{cut} of {graph.number_of_nodes()} nodes cut (the least connected; limit {node_limit})"


def page_data(
    graph: nx.Graph, *, title: str, min_weight: float = 0.0, node_limit: int = DEFAULT_NODE_LIMIT
) -> dict[str, Any]:
    """What the page's script draws: nodes and edges with their attributes and evidence."""
    shown, cut = select_for_page(graph, min_weight=min_weight, node_limit=node_limit)
    index = {node: i for i, node in enumerate(shown)}
    evidence = graph.graph.get("evidence", {})
    nodes = [
        {
            "id": index[node],
            "iri": _short_iri(str(node)),
            "label": str(a.get("label", node)),
            "title": str(a.get("title", "")),
            **{k: str(a.get(k, "")) for k in ("kind", "level", "province", "year")},
            "degree": int(a.get("degree", 0)),
            "weighted_degree": float(a.get("weighted_degree", 0.0)),
            "betweenness": float(a.get("betweenness", 0.0)),
            "eigenvector": float(a.get("eigenvector", 0.0)),
            "community": int(a.get("community", 0)),
        }
        for node, a in shown.nodes(data=True)
    ]
    edges = []
    for u, v, a in shown.edges(data=True):
        items = evidence.get(f"{u}\n{v}") or evidence.get(f"{v}\n{u}") or []
        edges.append(
            {
                "from": index[u],
                "to": index[v],
                "kind": str(a.get("kind", "")),
                "weight": float(a.get("weight", 1.0)),
                "plans": str(a.get("plans", "")),
                "evidence": [{"plan": str(e["plan"]), "text": str(e["text"])} for e in items],
            }
        )
    return {
        "title": title,
        "directed": graph.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "total_nodes": graph.number_of_nodes(),
        "total_edges": graph.number_of_edges(),
        "min_weight": min_weight,
        "cut": cut,
    }


def render_html(graph: nx.Graph, *, title: str, min_weight: float = 0.0, node_limit: int = DEFAULT_NODE_LIMIT) -> str:
    """The whole page as text (UTF-8 when written)."""
    return _page(page_data(graph, title=title, min_weight=min_weight, node_limit=node_limit))


def _page(data: dict[str, Any]) -> str:
    page = TEMPLATE.read_text(encoding="utf-8").replace("{{TITLE}}", html.escape(data["title"]))
    page = page.replace("/*GRAPH_DATA*/", script_json(data), 1)
    return page.replace("/*VIS_NETWORK*/", _vis_network_js(), 1)


def write_html(
    graph: nx.Graph, path: Path, *, title: str, min_weight: float = 0.0, node_limit: int = DEFAULT_NODE_LIMIT
) -> dict[str, Any]:
    """Write the page; returns how many nodes and edges it shows and what it cut."""
    data = page_data(graph, title=title, min_weight=min_weight, node_limit=node_limit)
    path.write_text(_page(data), encoding="utf-8")
    return {"nodes": len(data["nodes"]), "edges": len(data["edges"]), "cut": data["cut"]}
