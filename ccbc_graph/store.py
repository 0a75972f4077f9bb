"""The embedded graph store: one named graph per source plan, queried as one union graph.

A thin layer over a persistent :class:`pyoxigraph.Store` (RocksDB on disk, or memory)
that adds what a build needs and pyoxigraph leaves to its caller:

* :meth:`GraphStore.replace_graph` swaps a plan's graph in **one** SPARQL UPDATE request
  that writes only what differs (``DELETE DATA { GRAPH <g> { … } } ; INSERT DATA { … }``):
  a plan read again by a newer extractor mostly says what it said, and writing a quad
  costs Oxigraph more than reading it. pyoxigraph runs a whole update request in a single
  storage transaction: readers see the old graph or the new one, never a mix, and a
  failure or a crash midway leaves the old graph. The quads are checked and materialised
  before the request, so a bad quad or a failing iterator writes nothing.
  ``tests/test_store.py`` pins each of these behaviours.
* :meth:`GraphStore.bulk_load` is the fast path for graphs not yet in the store (a first
  build): about 5x faster than UPDATE, and in pyoxigraph 0.5 it too commits all or nothing.
  It adds quads, it does not replace, so it refuses graphs that already exist.
* :meth:`GraphStore.query` runs SELECT queries over the union of all graphs, which is how
  every shipped query sees the data (the same document appears in many plan graphs).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from ccbc_graph.uris import CCBC, PREFIXES, PROV

Term = NamedNode | BlankNode | Literal | Triple

# Export format names, as the CLI spells them, and whether the format keeps named graphs.
EXPORT_FORMATS: dict[str, tuple[RdfFormat, bool]] = {
    "trig": (RdfFormat.TRIG, True),
    "nquads": (RdfFormat.N_QUADS, True),
    "jsonld": (RdfFormat.JSON_LD, True),
    "turtle": (RdfFormat.TURTLE, False),
}

# A RocksDB database directory always holds this file; its absence means "not a store".
_ROCKSDB_MARKER = "CURRENT"


class StoreError(Exception):
    """The store cannot be opened or cannot do what was asked; the message says why."""


class StoreLockedError(StoreError):
    """Another process (or another GraphStore in this one) has the store open for writing."""


class QueryError(StoreError):
    """A SPARQL query is invalid or failed to run; the message carries the engine's reason."""


class GraphChange(NamedTuple):
    """Triples (N-Triples lines, see :func:`triple_lines`) to take out of and put into one
    graph, alongside a write to another."""

    graph: NamedNode
    retracted: list[str]
    asserted: list[str]


class QueryResult(NamedTuple):
    """The answer to a SELECT query: variable names, and one tuple of terms per row.

    An unbound variable is ``None`` in its row. Unpacks as ``variables, rows = result``.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]]


class GraphStore:
    """A persistent (``path``) or in-memory (``None``) dataset of plan graphs."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._store: Store | None = _open(self.path)

    @classmethod
    def around(cls, store: Store, path: str | os.PathLike[str] | None = None) -> GraphStore:
        """This layer over a store opened elsewhere (the server's writer process opens its own)."""
        graph_store = cls.__new__(cls)
        graph_store.path = Path(path) if path is not None else None
        graph_store._store = store
        return graph_store

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def oxigraph(self) -> Store:
        """The underlying pyoxigraph store, for what this class does not cover."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def flush(self) -> None:
        """Make every committed write durable on disk now rather than in the background."""
        if self.path is not None:
            self.oxigraph.flush()

    def close(self) -> None:
        """Flush and release the store (and its lock: another process may then open it)."""
        if self._store is not None:
            self.flush()
            self._store = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def graph_lines(self, graph_iri: str | NamedNode) -> list[str]:
        """What a named graph holds now, as N-Triples lines (written by Oxigraph: reading
        the terms out of the store is the cost, and Python objects would add to it)."""
        dump = self.oxigraph.dump(format=RdfFormat.N_TRIPLES, from_graph=_graph_node(graph_iri))
        return dump.decode("utf-8").splitlines()

    def replace_graph(
        self, graph_iri: str | NamedNode, quads: Iterable[Quad | Triple], *, also: Sequence[GraphChange] = ()
    ) -> int:
        """Make ``graph_iri`` hold exactly ``quads``, atomically; returns how many quads it holds.

        Triples go into ``graph_iri``; a quad naming another graph is an error (raised
        before anything is written), so this never touches any other graph but those of
        the changes ``also``, which are made in the same transaction.
        """
        graph = _graph_node(graph_iri)
        return self.replace_graph_lines(graph, triple_lines(_graph_content(graph, quads)), also=also)

    def replace_graph_lines(
        self,
        graph_iri: str | NamedNode,
        lines: Iterable[str],
        *,
        stored: list[str] | None = None,
        also: Sequence[GraphChange] = (),
    ) -> int:
        """:meth:`replace_graph` for triples pyoxigraph wrote as N-Triples lines (a build's
        worker did), which are not checked again.

        Only the lines that differ from the stored ones are written. ``stored``: the
        graph's lines as the caller just read them (:meth:`graph_lines`), so that they are
        not read twice; the caller is the store's one writer, so they are still what the
        store holds. New blank nodes get fresh identifiers, as INSERT DATA gives them; if
        a stored triple to take out holds one, which no request can name, the graph is
        dropped and written whole (the plan graphs have none).
        """
        graph = _graph_node(graph_iri)
        content = list(dict.fromkeys(lines))
        if stored is None:
            stored = self.graph_lines(graph) if content else []  # dropping needs no reading
        request = _difference(graph, stored, content) + _change_request(also)
        if request:
            self._update(graph, request)
        return len(content)

    def bulk_load(self, graphs: Mapping[str | NamedNode, Iterable[Quad | Triple]]) -> int:
        """Load several new graphs at once (first build); returns the number of quads loaded.

        Refuses, before writing anything, any graph already in the store: the bulk loader
        adds quads and would merge old and new content. Use :meth:`replace_graph` for those.
        """
        contents = {_graph_node(name): quads for name, quads in graphs.items()}
        self._refuse_existing(contents)
        checked = [quad for graph, quads in contents.items() for quad in _graph_content(graph, quads)]
        self.oxigraph.bulk_extend(checked)
        return len(checked)

    def bulk_load_nquads(self, graphs: Iterable[str | NamedNode], nquads: bytes) -> None:
        """Load N-Quads text holding the new ``graphs`` (and additions to existing ones) at once.

        The build's fast path: the text is parsed by Oxigraph, not turned into Python
        objects. Any of ``graphs`` already in the store is refused before anything is
        written; the caller vouches that the text adds nothing else to an existing graph
        but what it means to add (the merged entities graph), and that pyoxigraph wrote
        it: its terms were checked when they were made, so their IRIs are not checked
        again (a twentieth of the load).
        """
        self._refuse_existing([_graph_node(name) for name in graphs])
        try:
            self.oxigraph.bulk_load(nquads, RdfFormat.N_QUADS, lenient=True)
        except SyntaxError as err:
            raise StoreError(f"cannot load the new graphs: {err}") from err
        except OSError as err:  # the disk is full, or the store's files went away
            raise StoreError(f"cannot write to the store: {err}") from err

    def _refuse_existing(self, graphs: Iterable[NamedNode]) -> None:
        existing = sorted(g.value for g in graphs if self.oxigraph.contains_named_graph(g))
        if existing:
            raise StoreError(f"bulk_load only adds new graphs; already in the store: {', '.join(existing)}")

    def remove_graph(self, graph_iri: str | NamedNode, *, also: Sequence[GraphChange] = ()) -> bool:
        """Remove a named graph (and make the changes ``also``) atomically; ``False`` if there was no such graph."""
        graph = _graph_node(graph_iri)
        if not self.oxigraph.contains_named_graph(graph):
            return False
        self._update(graph, f"DROP GRAPH {graph} ;\n" + _change_request(also))
        return True

    def apply(self, change: GraphChange) -> None:
        """Make one graph's change alone, in a transaction of its own."""
        request = _change_request([change])
        if request:
            self._update(change.graph, request)

    def _update(self, graph: NamedNode, request: str) -> None:
        try:
            self.oxigraph.update(request)
        except SyntaxError as err:  # a term pyoxigraph accepted but SPARQL cannot spell
            raise StoreError(f"cannot write graph {graph.value}: {err}") from err
        except OSError as err:
            raise StoreError(f"cannot write graph {graph.value} to the store: {err}") from err

    # -- reading -----------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SELECT query with the union of all graphs as its default graph.

        ``bindings`` fixes variables to terms through pyoxigraph's substitutions (SEP-0007):
        each variable must be in the query's SELECT list. Query files with parameters are
        bound portably by :func:`ccbc_graph.queries.bind` instead.
        """
        substitutions = {Variable(name): term for name, term in (bindings or {}).items()}
        try:
            result = self.oxigraph.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
            if not isinstance(result, QuerySolutions):
                raise QueryError("only SELECT queries give rows; this is an ASK, CONSTRUCT or DESCRIBE query")
            variables = [v.value for v in result.variables]
            # A solution iterates over its values in the order of the variables (None where
            # unbound): a third faster on large answers than looking each variable up.
            rows = [tuple(solution) for solution in result]
        except (SyntaxError, RuntimeError, OSError) as err:
            raise QueryError(str(err)) from err
        return QueryResult(variables, rows)

    def source_hashes(self) -> dict[str, str]:
        """SHA-256 of the source file of each plan graph, from its provenance triples.

        A build compares these with the files on disk to skip unchanged plans.
        """
        rows = self.query(
            f"""SELECT ?g ?sha WHERE {{ GRAPH ?g {{
                  ?g <{PROV.wasDerivedFrom.value}> ?source .
                  ?source a <{CCBC.SourceFile.value}> ; <{CCBC.sha256.value}> ?sha .
                }} }} ORDER BY ?g ?sha"""
        ).rows
        return {g.value: sha.value for g, sha in rows if g is not None and sha is not None}

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.oxigraph.named_graphs())

    def graph_count(self) -> int:
        """How many named graphs the store holds."""
        return sum(1 for _ in self.oxigraph.named_graphs())

    def quad_count(self, graph_iri: str | NamedNode | None = None) -> int:
        """Quads in the whole store, or in one named graph (a full scan: not for hot loops)."""
        if graph_iri is None:
            return len(self.oxigraph)
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, _graph_node(graph_iri)))

    # -- export ------------------------------------------------------------------------

    def export(self, format: str, out: str | os.PathLike[str] | BinaryIO) -> None:
        """Write the store as ``trig``, ``nquads``, ``jsonld`` (all graphs) or ``turtle``.

        Turtle has no named graphs: it gets the union of all graphs, each triple once. A
        file path is written through a temporary file and renamed, so an interrupted
        export never leaves a truncated file behind.
        """
        if format not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}")
        if isinstance(out, (str, os.PathLike)):
            target = Path(out)
            if not target.parent.is_dir():
                raise StoreError(f"cannot write {target}: there is no folder {target.parent}")
            with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as tmp:
                try:
                    self._write(format, tmp)
                    tmp.close()
                    os.replace(tmp.name, target)
                except BaseException:
                    Path(tmp.name).unlink(missing_ok=True)
                    raise
        else:
            self._write(format, out)

    def _write(self, format: str, out: BinaryIO) -> None:
        rdf_format, keeps_graphs = EXPORT_FORMATS[format]
        if keeps_graphs:
            self.oxigraph.dump(out, rdf_format, prefixes=PREFIXES)
            return
        union = self.oxigraph.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        serialize(union, out, rdf_format, prefixes=PREFIXES)


def _open(path: Path | None) -> Store:
    """Open or create the store, turning RocksDB's errors into ones a user can act on."""
    if path is None:
        return Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory")
    if path.is_dir() and any(path.iterdir()) and not (path / _ROCKSDB_MARKER).exists():
        raise StoreError(f"{path} is a non-empty directory that is not a graph store; choose an empty or new one")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return Store(path)
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreLockedError(
                f"the store at {path} is already open for writing by another process "
                "(or another GraphStore in this one); close it first"
            ) from err
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def triple_lines(quads: Iterable[Quad | Triple]) -> list[str]:
    """Each item's triple as an N-Triples line (its graph left out), as Oxigraph writes it."""
    return [f"{q.subject} {q.predicate} {q.object} ." for q in quads]


def _data_block(operation: str, graph: NamedNode, lines: Collection[str]) -> str:
    """A DELETE DATA or INSERT DATA operation on N-Triples ``lines``; nothing if there are none."""
    if not lines:
        return ""
    body = "\n".join(lines)
    return f"{operation} DATA {{ GRAPH {graph} {{\n{body}\n}} }} ;\n"


def _difference(graph: NamedNode, stored: list[str], content: list[str]) -> str:
    """The update that makes ``graph`` hold ``content`` instead of ``stored`` (N-Triples
    lines): the lines that went and the new ones; the whole graph again if a line to take
    out names a blank node; nothing if nothing differs."""
    if not content:
        return f"DROP SILENT GRAPH {graph} ;\n"
    wanted, kept = set(content), set(stored)
    gone = [line for line in stored if line not in wanted]
    if any(_names_blank_node(line) for line in gone):
        return f"DROP SILENT GRAPH {graph} ;\n" + _data_block("INSERT", graph, content)
    return _data_block("DELETE", graph, gone) + _data_block("INSERT", graph, [x for x in content if x not in kept])


def _names_blank_node(line: str) -> bool:
    """Whether an N-Triples line's subject or object is a blank node (or a quoted triple,
    which may hold one). An IRI holds no space, so the object starts after the second."""
    subject, _, rest = line.partition(" ")
    return subject.startswith("_:") or rest.partition(" ")[2].startswith(("_:", "<<"))


def _change_request(changes: Sequence[GraphChange]) -> str:
    """The DELETE DATA / INSERT DATA operations of ``changes``, to append to an update request."""
    return "".join(
        _data_block("DELETE", change.graph, change.retracted) + _data_block("INSERT", change.graph, change.asserted)
        for change in changes
    )


def _graph_node(graph_iri: str | NamedNode) -> NamedNode:
    if isinstance(graph_iri, NamedNode):
        return graph_iri
    try:
        return NamedNode(graph_iri)
    except ValueError as err:
        raise StoreError(f"invalid graph IRI {graph_iri!r}: {err}") from err


def _graph_content(graph: NamedNode, quads: Iterable[Quad | Triple]) -> list[Quad]:
    """The quads of ``graph``, each once, in input order; anything else is refused up front."""
    content: dict[Quad, None] = {}
    for item in quads:
        if isinstance(item, Triple):
            item = Quad(item.subject, item.predicate, item.object, graph)
        elif not isinstance(item, Quad):
            raise StoreError(f"expected a pyoxigraph Quad or Triple for graph {graph.value}, got {item!r}")
        elif item.graph_name != graph:
            where = "the default graph" if isinstance(item.graph_name, DefaultGraph) else str(item.graph_name)
            raise StoreError(f"a quad for {where} was given for graph {graph.value}: {item}")
        content[item] = None
    return list(content)
