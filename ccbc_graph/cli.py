"""The ``ccbc-graph`` command: a thin shell over the library."""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from ccbc_graph.build import BuildReport, plan_files, store_statistics
from ccbc_graph.build import build as build_corpus
from ccbc_graph.evaluation import evaluate as evaluate_gold
from ccbc_graph.evaluation import format_report
from ccbc_graph.extract import extract_plan
from ccbc_graph.facts_json import extraction_to_dict
from ccbc_graph.network import ExportFormat as NetworkExportFormat
from ccbc_graph.network import NetworkName, build_network, export_network, summary, top_nodes
from ccbc_graph.push import PushError, push_graphs
from ccbc_graph.queries import (
    ParameterError,
    QueryNotFoundError,
    display_term,
    format_csv,
    format_json,
    format_table,
    list_queries,
    load_query,
    page_note,
    run_query,
    text_table,
)
from ccbc_graph.reading import MAX_BYTES, ReadError, read_source
from ccbc_graph.store import GraphStore, QueryError, StoreError
from ccbc_graph.viz import DEFAULT_NODE_LIMIT, write_html

if TYPE_CHECKING:
    import networkx as nx

app = typer.Typer(
    help="Knowledge graph of Vietnamese administrative-reform plans (kế hoạch cải cách hành chính).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
# soft_wrap: summary lines stay whole in pipes and narrow terminals.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_STORE = Path(os.environ.get("CCBC_STORE", ".ccbc/store"))
StoreOption = Annotated[Path, typer.Option("--store", help="Embedded store directory (env CCBC_STORE).")]

MaxBytesOption = Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse files larger than this, unread.")]

# Exit statuses: a partial failure (some files unreadable) is told apart from success.
EXIT_PARTIAL = 1
EXIT_ERROR = 2
# A sync in watch mode names at most this many of the files it added or changed.
WATCH_NAMES_SHOWN = 5


def _open_store(path: Path) -> GraphStore:
    try:
        return GraphStore(path)
    except StoreError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None


@app.command()
def build(
    folder: Annotated[Path, typer.Argument(help="Folder of plans (.txt, .md, .docx, .pdf, .html).")],
    store: StoreOption = DEFAULT_STORE,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Worker processes for extraction; 0: one per CPU core.")
    ] = 0,
    max_bytes: MaxBytesOption = MAX_BYTES,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures; no progress bar.")] = False,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Then keep the store in step as files change; Ctrl-C stops.")
    ] = False,
) -> None:
    """Build or update the graph from a folder of plans; print a summary.

    Only files whose content changed since the last build are read again; the graphs of
    files that left the folder are removed. With --watch the command stays running and
    does the same each time a plan file changes, without paying its start-up again.
    """
    if not folder.is_dir():
        err.print(f"[red]error:[/red] {folder}: not a folder")
        raise typer.Exit(EXIT_ERROR)
    jobs = jobs or os.cpu_count() or 1
    graph_store = _open_store(store)
    with graph_store:
        with _build_progress(folder, enabled=not quiet) as on_file:
            report = _sync(folder, graph_store, jobs=jobs, max_bytes=max_bytes, on_file=on_file)
        stats = None if quiet else store_statistics(graph_store)
        _print_failures(report)
        if stats is not None:
            out.print(f"built {folder} into {store}: {_counts(report)}")
            out.print(
                f"store: {stats['plans']} plans, {stats['documents']} cited documents, "
                f"{stats['citations']} citations in {stats['graphs']} graphs"
            )
        if watch:
            report = _watch(folder, graph_store, report, jobs=jobs, max_bytes=max_bytes, quiet=quiet)
    if not report.ok:
        raise typer.Exit(EXIT_PARTIAL)


def _sync(
    folder: Path, store: GraphStore, *, jobs: int, max_bytes: int, on_file: Callable[[str, str], None] | None
) -> BuildReport:
    """One build; a store error ends the command with the reassurance that nothing is lost."""
    try:
        return build_corpus(folder, store, jobs=jobs, max_bytes=max_bytes, on_file=on_file)
    except StoreError as error:
        _stop_on_store_error(error)


def _stop_on_store_error(error: StoreError) -> NoReturn:
    err.print(
        f"[red]error:[/red] {error}\nThe graphs written before this error are kept; "
        "once the cause is fixed, the same build command adds what is missing."
    )
    raise typer.Exit(EXIT_ERROR) from None


def _watch(
    folder: Path, store: GraphStore, first: BuildReport, *, jobs: int, max_bytes: int, quiet: bool
) -> BuildReport:
    """Sync on every change until Ctrl-C or SIGTERM; the last sync's report.

    SIGTERM (a service manager, ``kill``) lets the sync under way finish; Ctrl-C stops at
    once, which leaves the store as consistent (every write is one transaction). A file
    that still fails is retried at each sync but reported again only if its reason changed.
    """
    from ccbc_graph.watching import FolderGoneError, watch

    last = first
    terminated = threading.Event()

    def on_sync(report: BuildReport, seconds: float) -> None:
        nonlocal last
        # The report is kept before anything is printed: a Ctrl-C while printing still
        # ends the command with this sync's status.
        previous, last = last, report
        _print_failures(report, already=previous.failed)
        if not quiet and (report.added or report.changed or report.removed):
            names = [*report.added, *report.changed]
            more = ", ..." if len(names) > WATCH_NAMES_SHOWN else ""
            shown = f" ({', '.join(names[:WATCH_NAMES_SHOWN])}{more})" if names else ""
            out.print(f"{time.strftime('%H:%M:%S')} synced in {seconds:.2f} s: {_counts(report)}{shown}")
        sys.stdout.flush()

    def on_ready() -> None:
        if not quiet:
            out.print(f"watching {folder} for changes (Ctrl-C stops)")
        sys.stdout.flush()

    previous_handler = signal.signal(signal.SIGTERM, lambda *_: terminated.set())
    try:
        watch(folder, store, on_sync=on_sync, on_ready=on_ready, jobs=jobs, max_bytes=max_bytes, stop=terminated)
    except KeyboardInterrupt:
        pass
    except StoreError as error:
        _stop_on_store_error(error)
    except FolderGoneError as error:
        err.print(f"[red]error:[/red] {error}; the store keeps the plans of the last sync")
        raise typer.Exit(EXIT_ERROR) from None
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    if not quiet:
        out.print("stopped watching")
    return last


def _counts(report: BuildReport) -> str:
    return (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.failed)} failed"
    )


def _print_failures(report: BuildReport, already: dict[str, str] | None = None) -> None:
    """The files that failed and the data-quality findings; not the failures in ``already``."""
    for name, reason in report.failed.items():
        if (already or {}).get(name) != reason:
            err.print(f"[red]failed:[/red] {name}: {reason}")
    for name, findings in report.findings.items():
        for finding in findings:
            err.print(f"[yellow]data quality:[/yellow] {name}: {finding}")


@contextmanager
def _build_progress(folder: Path, *, enabled: bool) -> Iterator[Callable[[str, str], None] | None]:
    """A progress bar on standard error while a build runs, when a person watches a terminal."""
    if not enabled or not err.is_terminal:
        yield None
        return
    columns = (*Progress.get_default_columns(), MofNCompleteColumn(), TextColumn("{task.fields[file]}"))
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("building", total=sum(1 for _ in plan_files(folder)), file="")
        yield lambda name, status: progress.update(task, advance=1, file=f"{status}: {name}")


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A query of queries/ by name, a .rq file, or - for standard input.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Parameter as name=value.")] = None,
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    store: StoreOption = DEFAULT_STORE,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="A SPARQL 1.1 endpoint URL to query instead of the store.")
    ] = None,
) -> None:
    """Run a SPARQL query on the store (or on a remote SPARQL endpoint)."""
    params: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            err.print(f"[red]error:[/red] --param {item!r}: expected name=value")
            raise typer.Exit(EXIT_ERROR)
        params[key] = value
    try:
        named = load_query(name)
        if endpoint:
            variables, rows = run_query(endpoint, named, params)
        else:
            with _open_store(store) as graph_store:
                variables, rows = run_query(graph_store, named, params)
    except (QueryError, QueryNotFoundError, ParameterError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None
    if note := page_note(named, params, len(rows)):
        err.print(f"[yellow]note:[/yellow] {note}")
    if fmt is ResultFormat.csv:
        sys.stdout.write(format_csv(variables, rows))
    elif fmt is ResultFormat.json:
        sys.stdout.write(format_json(variables, rows))
    else:
        # A column needs its header (up to 10 characters) and borders to stay readable.
        if sum(min(len(name), 10) + 3 for name in variables) + 1 <= out.width:
            out.print(format_table(variables, rows, width=out.width))
        else:
            # Too many columns for the terminal: one block per row, as psql's \x does.
            for number, row in enumerate(rows, 1):
                out.print(f"[bold]— {number}[/bold]")
                for name, term in zip(variables, row, strict=True):
                    out.print(Text(f"  {name}: {display_term(term)}", overflow="ellipsis", no_wrap=True))


@app.command("queries")
def queries_list() -> None:
    """List the ready-made queries with what they answer and their parameters."""
    for item in list_queries():
        params = ", ".join(f"{p.name}{'' if p.required else '?'}" for p in item.params)
        out.print(f"[bold]{item.name}[/bold]  {item.title}" + (f"  [dim]({params})[/dim]" if params else ""))


class ExtractFormat(StrEnum):
    json = "json"
    summary = "summary"


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One plan file.")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.json,
    max_bytes: MaxBytesOption = MAX_BYTES,
) -> None:
    """Print every fact found in one file, with its text spans."""
    try:
        extraction = extract_plan(read_source(file, max_bytes=max_bytes))
    except ReadError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None
    facts = extraction_to_dict(extraction)
    if fmt is ExtractFormat.json:
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=1) + "\n")
        return
    doc = facts["document"]
    out.print(f"{doc['doc_type']} {doc['symbol'] or '(no number)'} {doc['date'] or doc['year']}: {doc['title']}")
    out.print(f"  issuer {doc['issuer']}, province {doc['province']}, signed {doc['signer_position']} {doc['signer']}")
    for c in facts["citations"]:
        out.print(f"  {c['relation']:<10} {c['key']:<24} {c['doc_type']}, {c['issuer']}, {c['date']}")
    for u in facts["unnumbered_citations"]:
        out.print(f"  {u['relation']:<10} (no number) {u['surface']}")
    for a in facts["amendments"]:
        out.print(f"  {a['amending']} {a['kind']} {a['amended'] or '(not named)'}")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Folder of gold JSON files.")],
    plans: Annotated[
        list[Path] | None, typer.Option("--plans", help="Where the plans are (default data/plans).")
    ] = None,
    details: Annotated[bool, typer.Option("--details/--no-details", help="List each error.")] = True,
) -> None:
    """Precision, recall and F1 of the extraction against an answer key."""
    if not gold.is_dir():
        err.print(f"[red]error:[/red] {gold}: not a folder")
        raise typer.Exit(EXIT_ERROR)
    result = evaluate_gold(gold, plans or [Path("data/plans")])
    sys.stdout.write(format_report(result, details=details) + "\n")
    if result.missing_sources:
        raise typer.Exit(EXIT_PARTIAL)


class ExportFormat(StrEnum):
    trig = "trig"
    nquads = "nquads"
    turtle = "turtle"
    jsonld = "jsonld"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.trig,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write the whole graph (named graphs kept in TriG, N-Quads and JSON-LD)."""
    with _open_store(store) as graph_store:
        if output is None:
            graph_store.export(fmt.value, sys.stdout.buffer)
        else:
            with open(output, "wb") as handle:
                graph_store.export(fmt.value, handle)
            out.print(f"wrote {output}")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 8000,
    store: StoreOption = DEFAULT_STORE,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Query worker processes (default: twice the CPUs, at most 16).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run before it is cancelled.")] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Most rows (or triples) one answer may have.")] = 100_000,
    max_body: Annotated[int, typer.Option("--max-body", help="Largest request body accepted, in bytes.")] = 1_048_576,
    allow_update: Annotated[
        bool, typer.Option("--allow-update", help="Accept SPARQL Update and Graph Store writes (needs a token).")
    ] = False,
    update_token: Annotated[
        str | None,
        typer.Option("--update-token", envvar="CCBC_UPDATE_TOKEN", help="Bearer token writers must send."),
    ] = None,
    cors_origin: Annotated[
        list[str] | None, typer.Option("--cors-origin", help="An origin allowed by CORS ('*' for any); repeatable.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log each request.")] = False,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at /sparql (read-only unless --allow-update)."""
    # Imported here: the server's modules are of no use to the other commands' start-up.
    from ccbc_graph.server import ServerConfig, SparqlServer
    from ccbc_graph.server.pool import WorkerError

    if not (store / "CURRENT").is_file():
        err.print(f"[red]error:[/red] {store} is not a graph store; build one with 'ccbc-graph build'")
        raise typer.Exit(EXIT_ERROR)
    try:
        config = ServerConfig(
            store_path=store,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            max_body=max_body,
            allow_update=allow_update,
            update_token=update_token,
            cors_origins=tuple(cors_origin or ()),
            quiet=quiet,
            **({"workers": workers} if workers else {}),
        )
        server = SparqlServer(config)
    except (ValueError, OSError, WorkerError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None
    out.print(f"serving {store} at {server.endpoint_url} ({'read-write' if allow_update else 'read-only'})")
    sys.stdout.flush()
    server.serve_until_stopped()


network_app = typer.Typer(help="Citation and agency networks: metrics and export.", no_args_is_help=True)
app.add_typer(network_app, name="network")

EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", help="A SPARQL 1.1 endpoint URL to read instead of the store.")
]
ProvinceOption = Annotated[
    str | None, typer.Option("--province", help="Only plans of this province (then or since 1 July 2025).")
]
YearOption = Annotated[int | None, typer.Option("--year", help="Only plans for this year.")]


def _network(name: NetworkName, store: Path, endpoint: str | None, province: str | None, year: int | None) -> nx.Graph:
    """Build a network from the store or an endpoint; a query failure is a clean error."""
    try:
        if endpoint:
            return build_network(name, endpoint, province, year)
        with _open_store(store) as graph_store:
            return build_network(name, graph_store, province, year)
    except (QueryError, ParameterError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None


@network_app.command("stats")
def network_stats(
    name: Annotated[NetworkName, typer.Argument(help="Which network.")],
    top: Annotated[int, typer.Option("--top", "-n", help="How many nodes to list.")] = 20,
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    store: StoreOption = DEFAULT_STORE,
    endpoint: EndpointOption = None,
    province: ProvinceOption = None,
    year: YearOption = None,
) -> None:
    """The most central bodies or documents: degree, weighted degree, betweenness, eigenvector, community."""
    graph = _network(name, store, endpoint, province, year)
    rows = top_nodes(graph, top)
    columns = list(rows[0]) if rows else ["node", "label"]
    if fmt is ResultFormat.json:
        sys.stdout.write(json.dumps({"summary": summary(graph), "nodes": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is ResultFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    info = summary(graph)
    shown = [c for c in columns if c != "node"]
    cells = [[f"{row[c]:.4f}" if isinstance(row[c], float) else str(row[c]) for c in shown] for row in rows]
    title = (
        f"{info['network']}: {info['nodes']} nodes, {info['edges']} edges, {info['components']} components, "
        f"{info['communities']} communities (modularity {info['modularity']})"
    )
    out.print(text_table(shown, cells, title=title, width=out.width))


@network_app.command("export")
def network_export(
    name: Annotated[NetworkName, typer.Argument(help="Which network.")],
    fmt: Annotated[NetworkExportFormat, typer.Option("--format", "-f")] = NetworkExportFormat.graphml,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (CSV: edges; nodes beside it).")] = Path(
        "network.graphml"
    ),
    store: StoreOption = DEFAULT_STORE,
    endpoint: EndpointOption = None,
    province: ProvinceOption = None,
    year: YearOption = None,
) -> None:
    """Write a network with its metrics as GEXF (Gephi), GraphML or CSV."""
    graph = _network(name, store, endpoint, province, year)
    if not output.parent.is_dir():
        err.print(f"[red]error:[/red] cannot write {output}: there is no folder {output.parent}")
        raise typer.Exit(EXIT_ERROR)
    for path in export_network(graph, fmt, output):
        out.print(f"wrote {path}")


@app.command()
def viz(
    name: Annotated[NetworkName, typer.Argument(help="Which network.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("network.html"),
    min_weight: Annotated[float, typer.Option("--min-weight", help="Leave out lighter edges.")] = 0.0,
    node_limit: Annotated[int, typer.Option("--node-limit", help="Most nodes drawn; the rest is cut.")] = (
        DEFAULT_NODE_LIMIT
    ),
    store: StoreOption = DEFAULT_STORE,
    endpoint: EndpointOption = None,
    province: ProvinceOption = None,
    year: YearOption = None,
) -> None:
    """An interactive picture of a network in one HTML file that needs no network connection."""
    graph = _network(name, store, endpoint, province, year)
    scope = ", ".join(str(v) for v in (province, year) if v)
    title = f"ccbc-graph: {name.value}" + (f" ({scope})" if scope else "")
    if not output.parent.is_dir():
        err.print(f"[red]error:[/red] cannot write {output}: there is no folder {output.parent}")
        raise typer.Exit(EXIT_ERROR)
    shown = write_html(graph, output, title=title, min_weight=min_weight, node_limit=node_limit)
    out.print(
        f"wrote {output}: {shown['nodes']} nodes, {shown['edges']} edges"
        + (f"; {shown['cut']}" if shown["cut"] else "")
    )


@app.command()
def push(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="Graph Store Protocol URL, e.g. http://localhost:7878/store (oxigraph).")
    ],
    store: StoreOption = DEFAULT_STORE,
    token: Annotated[
        str | None, typer.Option("--token", envvar="CCBC_PUSH_TOKEN", help="Bearer token the endpoint needs.")
    ] = None,
    query_endpoint: Annotated[
        str | None,
        typer.Option("--query-endpoint", help="SPARQL query URL of the same store, when it cannot be derived."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="CCBC_PUSH_USER", help="User for HTTP Digest or Basic auth."),
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="CCBC_PUSH_PASSWORD", help="Password for --user.")
    ] = None,
) -> None:
    """Upload every graph to an external triplestore, replacing the old version of each.

    Graphs this tool named there that the store no longer has are deleted; others are left alone.
    """
    with _open_store(store) as graph_store:
        try:
            sent = push_graphs(
                graph_store, endpoint, query_endpoint=query_endpoint, token=token, user=user, password=password
            )
        except PushError as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(EXIT_ERROR) from None
    out.print(
        f"pushed {len(sent)} graphs ({sum(sent.values())} triples) to {endpoint}; "
        f"deleted {len(sent.deleted)} graphs that left the store"
    )


if __name__ == "__main__":
    app()
