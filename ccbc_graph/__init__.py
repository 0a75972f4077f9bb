"""ccbc-graph: a knowledge graph of Vietnamese administrative-reform plans.

The library a notebook imports; the ``ccbc-graph`` command is a thin shell over it::

    import ccbc_graph as cg
    plan = cg.extract_file("data/plans/ha-tinh-2020-tuyen-truyen-cchc.txt")
    store = cg.open_store(".ccbc/store")
    cg.build("data/plans", store)
    variables, rows = cg.run_query(store, "plans-citing", {"document": "30c/NQ-CP"})
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccbc_graph.version import __version__

if TYPE_CHECKING:
    from ccbc_graph.model import PlanExtraction
    from ccbc_graph.store import GraphStore

# Loaded on first use: `import ccbc_graph.queries` (the server's workers, the CLI) must not
# pay for spaCy and the extractors.
_LAZY = {
    "BuildReport": "ccbc_graph.build",
    "build": "ccbc_graph.build",
    "evaluate": "ccbc_graph.evaluation",
    "extract_plan": "ccbc_graph.extract",
    "extraction_to_dict": "ccbc_graph.facts_json",
    "PlanExtraction": "ccbc_graph.model",
    "list_queries": "ccbc_graph.queries",
    "load_query": "ccbc_graph.queries",
    "run_query": "ccbc_graph.queries",
    "ReadError": "ccbc_graph.reading",
    "read_source": "ccbc_graph.reading",
    "GraphStore": "ccbc_graph.store",
    "watch": "ccbc_graph.watching",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ccbc_graph' has no attribute {name!r}")


def extract_file(path: str | Path) -> PlanExtraction:
    """Read one plan file and extract its facts (raises :class:`ReadError` on a bad file)."""
    from ccbc_graph.extract import extract_plan
    from ccbc_graph.reading import read_source

    return extract_plan(read_source(Path(path)))


def open_store(path: str | Path | None = None) -> GraphStore:
    """The persistent embedded store at ``path`` (in memory when ``None``)."""
    from ccbc_graph.store import GraphStore

    return GraphStore(Path(path) if path is not None else None)


__all__ = [*_LAZY, "__version__", "extract_file", "open_store"]
