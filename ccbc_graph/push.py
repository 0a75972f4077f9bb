"""Copy the plan graphs to an external triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent with ``PUT <endpoint>?graph=<iri>``, which replaces the graph
on the other side: pushing again after a rebuild leaves exactly the new version. The
body is N-Triples, which every Graph Store implementation reads. Query the copy with
the union of the graphs as default graph (``oxigraph serve --union-default-graph``), as
the shipped queries expect.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import quote

from pyoxigraph import NamedNode, RdfFormat, serialize

from ccbc_graph.store import GraphStore


class PushError(Exception):
    """The endpoint refused a graph or could not be reached; the message names the graph."""


def push_graphs(
    store: GraphStore,
    endpoint: str,
    *,
    token: str | None = None,
    timeout: float = 120.0,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """PUT every named graph of ``store`` to the Graph Store endpoint; graph IRI -> triples sent.

    ``endpoint`` is the Graph Store URL (oxigraph: ``http://host:7878/store``). ``token``
    is sent as ``Authorization: Bearer``. Stops at the first graph refused.
    """
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint!r} is not a Graph Store endpoint URL (http:// or https://)")
    separator = "&" if "?" in endpoint else "?"
    headers = {"Content-Type": "application/n-triples"} | ({"Authorization": f"Bearer {token}"} if token else {})
    sent: dict[str, int] = {}
    for name in store.graph_names():
        triples = [q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, NamedNode(name))]
        body = serialize(triples, format=RdfFormat.N_TRIPLES)
        request = urllib.request.Request(
            f"{endpoint}{separator}graph={quote(name, safe='')}",
            data=body,
            method="PUT",
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip()
            raise PushError(f"{endpoint} refused graph {name}: {err.code} {err.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as err:
            raise PushError(f"cannot reach {endpoint}: {err}") from None
        sent[name] = len(triples)
        if progress is not None:
            progress(name, len(triples))
    return sent
