"""Building the graph from a folder of plans: read, extract, map, store.

Each source file becomes one named graph. A file whose SHA-256 and extractor version
are unchanged is not read again; a changed file replaces only its own graph; the graph
of a file that left the folder is removed. A file that cannot be read is reported with
its reason and its previous graph, if any, is kept: nothing already stored is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad

from ccbc_graph.extract import extract_plan
from ccbc_graph.merged import change_for, merged_additions
from ccbc_graph.rdf import plan_quads, reference_quads
from ccbc_graph.reading import SUPPORTED_SUFFIXES, ReadError, read_source
from ccbc_graph.store import GraphStore
from ccbc_graph.uris import CCBC, PROV, activity_uri, graph_uri, reference_graph_uri
from ccbc_graph.version import __version__

# New plans are bulk-loaded this many at a time (memory stays bounded on large corpora).
BULK_BATCH = 500

# Files that document a folder rather than being plans in it.
_NOT_PLANS = ("readme", "license", "changelog")


@dataclass
class BuildReport:
    """What a build did, file by file."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    findings: dict[str, list[str]] = field(default_factory=dict)
    citations: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def plan_files(folder: Path) -> Iterator[Path]:
    """Plan files below ``folder``, in a stable order, READMEs and hidden files left out."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES and not path.stem.lower().startswith(_NOT_PLANS):
            yield path


def source_name(folder: Path, path: Path) -> str:
    """The name a file is known by in the graph: its path inside the built folder."""
    return path.relative_to(folder).as_posix()


def build(
    folder: Path,
    store: GraphStore,
    *,
    on_file: Callable[[str, str], None] | None = None,
) -> BuildReport:
    """Bring ``store`` in line with the plans in ``folder``; ``on_file(name, status)`` reports progress.

    New plans are loaded in batches with the bulk loader (atomic, and several times
    faster than updates); a changed plan replaces its own graph in one transaction.
    """
    folder = Path(folder)
    report = BuildReport()
    store.replace_graph(reference_graph_uri(), reference_quads())
    known = stored_activities(store)
    seen: set[str] = set()
    pending: dict[str, list[Quad]] = {}
    for path in plan_files(folder):
        name = source_name(folder, path)
        graph = graph_uri(name)
        seen.add(graph)
        status, quads = _build_one(path, name, known.get(graph), report)
        if status == "added":
            pending[graph] = quads
            if len(pending) >= BULK_BATCH:
                _load_new(store, pending)
        elif status == "changed":
            store.replace_graph(graph, quads, also=change_for(store, graph, quads))
        if on_file:
            on_file(name, status)
    _load_new(store, pending)
    for graph in sorted(set(known) - seen):
        store.remove_graph(graph, also=change_for(store, graph, []))
        report.removed.append(graph)
    return report


def _load_new(store: GraphStore, pending: dict[str, list[Quad]]) -> None:
    """Bulk-load new plan graphs and their shared entities, atomically, and empty ``pending``."""
    if pending:
        store.bulk_load(pending, also=merged_additions(pending.values()))
        pending.clear()


def _build_one(path: Path, name: str, previous: str | None, report: BuildReport) -> tuple[str, list[Quad]]:
    """Read, extract and map one file: its status and, if it is new or changed, its quads."""
    try:
        data = path.read_bytes()
    except OSError as err:
        report.failed[name] = f"cannot read: {err.strerror or err}"
        return "failed", []
    # The activity IRI names both the file's SHA-256 and the extractor version.
    if previous == activity_uri(hashlib.sha256(data).hexdigest(), __version__):
        report.unchanged.append(name)
        return "unchanged", []
    try:
        extraction = extract_plan(read_source(path))
    except ReadError as err:
        report.failed[name] = err.reason
        return "failed", []
    except Exception as err:  # one plan's extractor bug must not stop the corpus
        report.failed[name] = f"extraction failed ({type(err).__name__}: {err}); please report this file"
        return "failed", []
    extraction.source_name = name
    report.citations += len(extraction.citations)
    stated, total = extraction.stated_budget_total_vnd, extraction.budget_total_vnd
    if stated is not None and stated != total:
        report.findings.setdefault(name, []).append(
            f"printed budget total {stated:,} đồng differs from the sum of the task rows {total or 0:,} đồng"
        )
    status = "changed" if previous else "added"
    (report.changed if previous else report.added).append(name)
    return status, plan_quads(extraction, version=__version__)


def stored_activities(store: GraphStore) -> dict[str, str]:
    """Plan graph IRI -> the extraction activity that made it (file hash + extractor version)."""
    rows = store.query(
        f"SELECT ?g ?activity WHERE {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy.value}> ?activity }} }}"
    ).rows
    return {g.value: activity.value for g, activity in rows if g is not None and activity is not None}


def store_statistics(store: GraphStore) -> dict[str, int]:
    """Counts for a build summary: plans, distinct cited documents, citations, graphs, quads."""
    variables, rows = store.query(
        f"""SELECT (COUNT(DISTINCT ?plan) AS ?plans) (COUNT(DISTINCT ?doc) AS ?documents)
                   (COUNT(DISTINCT ?citation) AS ?citations)
            WHERE {{ ?plan a <{CCBC.Plan.value}> .
                     OPTIONAL {{ ?citation <{CCBC.citingDocument.value}> ?plan ;
                                           <{CCBC.citedDocument.value}> ?doc }} }}"""
    )
    counts = {name: int(term.value) if term is not None else 0 for name, term in zip(variables, rows[0], strict=True)}
    counts["graphs"] = store.graph_count()
    counts["quads"] = store.quad_count()
    return counts
