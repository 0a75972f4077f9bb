"""Building the graph from a folder of plans: read, extract, map, store.

Each source file becomes one named graph. A file whose SHA-256 and extractor version
are unchanged is not read again (nor hashed, while its size and time say it was not
touched: :mod:`ccbc_graph.digests`); a changed file replaces only its own graph; the graph
of a file that left the folder is removed. A file that cannot be read is reported with
its reason and its previous graph, if any, is kept: nothing already stored is lost.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from ccbc_graph import tallies
from ccbc_graph.digests import FILE_NAME as DIGESTS_FILE
from ccbc_graph.digests import FileDigests
from ccbc_graph.extract import extract_plan
from ccbc_graph.merged import entity_lines, remove_plan_graph, replace_plan_graph
from ccbc_graph.rdf import plan_quads, reference_quads
from ccbc_graph.reading import SUPPORTED_SUFFIXES, UNREAD_FORMATS, ReadError, read_source
from ccbc_graph.store import GraphStore, triple_lines
from ccbc_graph.uris import CCBC, ELI, PROV, activity_uri, entities_graph_uri, graph_uri, reference_graph_uri
from ccbc_graph.version import __version__

# New plans are bulk-loaded in batches of about this many quads: memory stays bounded, and
# each batch stays within one write of Oxigraph's bulk loader, so a load is all or nothing.
BULK_QUADS = 400_000
# Below this many files per worker, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 8
# Results a worker may have waiting for the store before it is given more files.
IN_FLIGHT_PER_WORKER = 4
# Store writes that may wait behind the running one: each holds a batch in memory.
WRITES_WAITING = 1

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
    """Plan files below ``folder``, in a stable order, READMEs and hidden files left out.

    A linked folder is walked once if it leads out of ``folder`` (a corpus linked in); a
    link to a folder inside it is skipped, as its files are reached by their own path (and
    a link up the tree would be a loop). A name that stands for no readable file (a broken
    link, a loop of file links) is still listed, for the build to report it with its
    reason; pipes, sockets and devices are not, as reading them could block the build.
    """
    for _, path in named_plan_files(folder):
        yield Path(path)


def named_plan_files(folder: Path) -> list[tuple[str, str]]:
    """:func:`plan_files` as (name, path) strings, the name being the one a file is known
    by in the graph: its path inside ``folder``, with "/". Strings, as a rebuild walks
    10,000 files and a ``Path`` made of each and taken apart again cost it 0.1 s."""
    root = os.path.realpath(folder)
    top_length = len(os.fspath(folder))
    walked: set[tuple[int, int]] = set()
    found: list[tuple[list[str], str, str]] = []
    for top, dirs, files in os.walk(folder, followlinks=True):
        here = os.stat(top)
        walked.add((here.st_dev, here.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _walk_into(Path(top, d), root, walked))
        inside = top[top_length:].strip(os.sep).replace(os.sep, "/")
        for name in files:
            if not is_plan_name(name):
                continue
            path = os.path.join(top, name)
            if os.path.isfile(path) or not os.path.exists(path):
                relative = f"{inside}/{name}" if inside else name
                found.append((relative.split("/"), relative, path))
    # Ordered as Path orders them, by parts.
    found.sort(key=lambda item: item[0])
    return [(relative, path) for _, relative, path in found]


def is_plan_name(name: str) -> bool:
    """Whether a file of this name is a plan to build: a kind the readers read, or a
    document format they do not (reported as failed, never passed over), neither hidden
    nor a README, licence or changelog."""
    stem, suffix = os.path.splitext(name)
    kind = suffix.lower()
    return (
        not name.startswith(".")
        and (kind in SUPPORTED_SUFFIXES or kind in UNREAD_FORMATS)
        and not stem.lower().startswith(_NOT_PLANS)
    )


def _walk_into(directory: Path, root: str, walked: set[tuple[int, int]]) -> bool:
    """Whether to walk ``directory``: a real folder, or a linked one outside ``root`` that
    leads to no folder walked before."""
    if not directory.is_symlink():
        return True
    target = os.path.realpath(directory)
    if os.path.commonpath([root, target]) == root:
        return False
    try:
        info = os.stat(target)
    except OSError:
        return False
    key = (info.st_dev, info.st_ino)
    if key in walked:
        return False
    walked.add(key)
    return True


def build(
    folder: Path,
    store: GraphStore,
    *,
    jobs: int = 1,
    max_bytes: int | None = None,
    on_file: Callable[[str, str], None] | None = None,
    activities: dict[str, str] | None = None,
) -> BuildReport:
    """Bring ``store`` in line with the plans in ``folder``; ``on_file(name, status)`` reports progress.

    Files are read, extracted and mapped in ``jobs`` worker processes (in this one when
    ``jobs`` is 1 or there is little to do); the store is written by this process only, in
    a background thread while the next files are extracted. New plans are bulk-loaded in
    batches (atomic, and several times faster than updates); a changed plan
    replaces its own graph in one transaction. A file over ``max_bytes`` (default
    :data:`ccbc_graph.reading.MAX_BYTES`) is refused unread.

    ``activities``: the plan graphs' activities as :func:`stored_activities` reads them,
    from a caller that keeps the store open between builds (so that nothing else can write
    it) and saves reading them again: a fifth of a rebuild at 10,000 plans. The build
    brings them up to date. After a build that raised, read them again.
    """
    folder = Path(folder)
    report = BuildReport()
    store.replace_graph(reference_graph_uri(), reference_quads())
    known = stored_activities(store) if activities is None else activities
    tallies.reconcile(store, known)
    made: dict[str, str] = {}  # graph IRI -> the activity of the graph written for it
    digests = FileDigests(store.path / DIGESTS_FILE if store.path is not None else None)
    graph_of: dict[str, str] = {}  # graph IRI -> the file it is for
    writer = _StoreWriter()
    batch = _NewPlans(store, writer)
    todo: list[tuple[Path, str, bool, int | None]] = []

    def note(outcome: FileOutcome) -> None:
        _record(report, outcome)
        if on_file:
            on_file(outcome.name, outcome.status)

    for name, path in named_plan_files(folder):
        graph = graph_uri(name)
        if graph in graph_of:
            reason = f"its graph name {graph} is also that of {graph_of[graph]}: rename one of the two files"
            note(FileOutcome(name, "failed", reason))
            continue
        graph_of[graph] = name
        previous = known.get(graph)
        # Every file's digest, new ones too: so that the next build finds them in the record.
        activity = _activity(digests.sha256(path))
        if previous is not None and previous == activity:
            note(FileOutcome(name, "unchanged"))
        else:
            todo.append((Path(path), name, previous is not None, max_bytes))
    try:
        for outcome in _process_all(todo, jobs):
            graph = graph_uri(outcome.name)
            if outcome.status == "added":
                batch.add(graph, outcome)
            elif outcome.status == "changed":
                writer.submit(lambda graph=graph, lines=outcome.triples: replace_plan_graph(store, graph, list(lines)))
            if outcome.status in ("added", "changed"):
                made[graph] = activity_uri(outcome.sha256, __version__)
            note(outcome)
        batch.load()
    finally:
        writer.finish()
    known.update(made)
    for graph in sorted(set(known) - set(graph_of)):
        remove_plan_graph(store, graph)
        del known[graph]
        report.removed.append(graph)
    digests.save()
    return report


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file, as a worker process hands it back (plain data: it is pickled)."""

    name: str
    status: str  # added, changed, unchanged or failed
    reason: str = ""
    nquads: bytes = b""  # a new file's graph, to bulk-load
    triples: tuple[str, ...] = ()  # a changed file's graph as N-Triples lines, to write as a difference
    sha256: str = ""  # of the content the graph was made from
    entity_lines: tuple[str, ...] = ()  # its shared-entity triples, as N-Triples lines (in no order)
    quads: int = 0
    citations: int = 0
    findings: tuple[str, ...] = ()


def process_file(path: Path, name: str, changed: bool, max_bytes: int | None = None) -> FileOutcome:
    """Read, extract and map one file: its graph (N-Quads if new, N-Triples lines if
    changed), or why it has none.

    ``changed``: the store holds an older graph of the file (else the file is new).
    """
    try:
        extraction = extract_plan(read_source(path, max_bytes=max_bytes))
    except ReadError as err:
        return FileOutcome(name, "failed", err.reason)
    except Exception as err:  # one plan's extractor bug must not stop the corpus
        return FileOutcome(name, "failed", f"extraction failed ({type(err).__name__}: {err}); please report this file")
    extraction.source_name = name
    findings = []
    stated, total = extraction.stated_budget_total_vnd, extraction.budget_total_vnd
    if stated is not None and stated != total:
        findings.append(
            f"printed budget total {stated:,} đồng differs from the sum of the task rows {total or 0:,} đồng"
        )
    quads = plan_quads(extraction, version=__version__)
    lines = triple_lines(quads)
    return FileOutcome(
        name,
        "changed" if changed else "added",
        nquads=b"" if changed else serialize(quads, format=RdfFormat.N_QUADS),
        triples=tuple(lines) if changed else (),
        sha256=extraction.sha256,
        entity_lines=tuple(entity_lines(lines)),
        quads=len(quads),
        citations=len(extraction.citations),
        findings=tuple(findings),
    )


def _activity(sha256: str | None) -> str | None:
    """The activity IRI a graph of a file with this digest made by this extractor version carries."""
    return activity_uri(sha256, __version__) if sha256 is not None else None


def _process_all(work: list[tuple[Path, str, bool, int | None]], jobs: int) -> Iterator[FileOutcome]:
    """``process_file`` over ``work``, in order, in up to ``jobs`` processes.

    At most a few results per worker wait to be stored, so memory stays bounded however
    far the workers run ahead of the store.
    """
    if jobs <= 1 or len(work) < MIN_FILES_PER_WORKER * 2:
        for item in work:
            yield process_file(*item)
        return
    # spawn, not fork: the parent holds the store's RocksDB threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[FileOutcome]] = deque()
        for item in work:
            pending.append(pool.submit(process_file, *item))
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _record(report: BuildReport, outcome: FileOutcome) -> None:
    if outcome.status == "failed":
        report.failed[outcome.name] = outcome.reason
        return
    getattr(report, outcome.status).append(outcome.name)
    report.citations += outcome.citations
    if outcome.findings:
        report.findings.setdefault(outcome.name, []).extend(outcome.findings)


class _StoreWriter:
    """The build's store writes, run one at a time and in order in a background thread.

    pyoxigraph lets go of the GIL while it writes, so the files of the next batch are read
    and extracted while a batch loads: a bulk load takes as long as extracting the batch.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccbc-store-writer")
        self._writes: deque[Future[None]] = deque()

    def submit(self, write: Callable[[], None]) -> None:
        """Queue ``write``; waits while :data:`WRITES_WAITING` writes already wait.

        A write that failed raises here (or in :meth:`finish`), and the build stops.
        """
        while self._writes and (self._writes[0].done() or len(self._writes) > WRITES_WAITING):
            self._writes.popleft().result()
        self._writes.append(self._thread.submit(_write_here, write))

    def finish(self) -> None:
        """Wait for the writes asked for; on an error, the ones not started are dropped.

        Last, the writer thread collects its own reference cycles: PyO3 frees a pyoxigraph
        iterator only on the thread that made it and leaks one freed elsewhere, and a leaked
        iterator keeps the store, and its lock, open for the life of the process.
        """
        try:
            while self._writes:
                self._writes.popleft().result()
        finally:
            for pending in self._writes:
                pending.cancel()
            self._thread.submit(gc.collect)
            self._thread.shutdown(wait=True)


def _write_here(write: Callable[[], None]) -> None:
    """Run ``write``; if it fails, let go of its frames' locals on this thread before the
    error travels to the build's (see :meth:`_StoreWriter.finish`)."""
    try:
        write()
    except BaseException as err:
        traceback.clear_frames(err.__traceback__)
        raise


class _NewPlans:
    """New plan graphs waiting to be bulk-loaded, with the shared-entity triples they add."""

    def __init__(self, store: GraphStore, writer: _StoreWriter) -> None:
        self.store = store
        self.writer = writer
        self._start()

    def _start(self) -> None:
        self.graphs: list[str] = []
        self.nquads: list[bytes] = []
        self.entity_lines: set[str] = set()
        self.quads = 0

    def add(self, graph: str, outcome: FileOutcome) -> None:
        self.graphs.append(graph)
        self.nquads.append(outcome.nquads)
        self.entity_lines.update(outcome.entity_lines)
        self.quads += outcome.quads
        if self.quads >= BULK_QUADS:
            self.load()

    def load(self) -> None:
        """Queue what waits for one atomic bulk load, and start a new batch."""
        if not self.graphs:
            return
        graphs, nquads, entity_lines = self.graphs, self.nquads, self.entity_lines
        self.writer.submit(lambda: _bulk_load(self.store, graphs, nquads, entity_lines))
        self._start()


def _bulk_load(store: GraphStore, graphs: list[str], nquads: list[bytes], entity_lines: set[str]) -> None:
    merged = f" <{entities_graph_uri()}> .\n"
    entities = "".join(line.removesuffix(" .") + merged for line in sorted(entity_lines))
    store.bulk_load_nquads(graphs, b"".join(nquads) + entities.encode("utf-8"))
    tallies.count_new(store, graphs)


def stored_activities(store: GraphStore) -> dict[str, str]:
    """Plan graph IRI -> the extraction activity that made it (file hash + extractor version).

    Read by quad pattern rather than SPARQL: a third of the time on a large store.
    """
    generated_by = store.oxigraph.quads_for_pattern(None, PROV.wasGeneratedBy, None, None)
    return {graph.value: activity.value for graph, _, activity, in_graph in generated_by if graph == in_graph}


def store_statistics(store: GraphStore) -> dict[str, int]:
    """Counts for a build summary: plans, distinct cited documents, citations, graphs.

    Each is read where it is stated once (plans and their citing links in the merged
    graph), so the summary stays quick on a large store; it counts no quads, as that
    would scan the whole store.
    """
    merged = entities_graph_uri()
    counts = {}
    for name, where in (
        ("plans", f"GRAPH <{merged}> {{ ?x a <{CCBC.Plan.value}> }}"),
        ("documents", f"{{ SELECT DISTINCT ?x WHERE {{ GRAPH <{merged}> {{ ?plan <{ELI.cites.value}> ?x }} }} }}"),
        ("citations", f"?x a <{CCBC.Citation.value}>"),
    ):
        term = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0]
        counts[name] = int(term.value) if term is not None else 0
    counts["graphs"] = store.graph_count()
    return counts
