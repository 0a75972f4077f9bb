"""ccbc-graph: a knowledge graph of Vietnamese administrative-reform plans.

The library a notebook imports; the ``ccbc-graph`` command is a thin shell over it::

    import ccbc_graph as cg
    plan = cg.extract_file("data/plans/ha-tinh-2020-tuyen-truyen-cchc.txt")
    store = cg.open_store(".ccbc/store")
    cg.build("data/plans", store)
    variables, rows = cg.run_query(store, "plans-citing", {"document": "30c/NQ-CP"})
"""

from __future__ import annotations

from pathlib import Path

from ccbc_graph.build import BuildReport, build
from ccbc_graph.evaluation import evaluate
from ccbc_graph.extract import extract_plan
from ccbc_graph.facts_json import extraction_to_dict
from ccbc_graph.model import PlanExtraction
from ccbc_graph.queries import list_queries, load_query, run_query
from ccbc_graph.reading import ReadError, read_source
from ccbc_graph.store import GraphStore
from ccbc_graph.version import __version__


def extract_file(path: str | Path) -> PlanExtraction:
    """Read one plan file and extract its facts (raises :class:`ReadError` on a bad file)."""
    return extract_plan(read_source(Path(path)))


def open_store(path: str | Path | None = None) -> GraphStore:
    """The persistent embedded store at ``path`` (in memory when ``None``)."""
    return GraphStore(Path(path) if path is not None else None)


__all__ = [
    "BuildReport",
    "GraphStore",
    "PlanExtraction",
    "ReadError",
    "__version__",
    "build",
    "evaluate",
    "extract_file",
    "extract_plan",
    "extraction_to_dict",
    "list_queries",
    "load_query",
    "open_store",
    "read_source",
    "run_query",
]
