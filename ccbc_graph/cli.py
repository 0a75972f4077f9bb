"""The ``ccbc-graph`` command: a thin shell over the library."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ccbc_graph.build import build as build_corpus
from ccbc_graph.build import store_statistics
from ccbc_graph.evaluation import evaluate as evaluate_gold
from ccbc_graph.evaluation import format_report
from ccbc_graph.extract import extract_plan
from ccbc_graph.facts_json import extraction_to_dict
from ccbc_graph.queries import (
    ParameterError,
    QueryNotFoundError,
    format_csv,
    format_json,
    format_table,
    list_queries,
    load_query,
    run_query,
)
from ccbc_graph.reading import ReadError, read_source
from ccbc_graph.store import GraphStore, QueryError, StoreError

app = typer.Typer(
    help="Knowledge graph of Vietnamese administrative-reform plans (kế hoạch cải cách hành chính).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# soft_wrap: summary lines stay whole in pipes and narrow terminals.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_STORE = Path(os.environ.get("CCBC_STORE", ".ccbc/store"))
StoreOption = Annotated[Path, typer.Option("--store", help="Embedded store directory (env CCBC_STORE).")]

# Exit statuses: a partial failure (some files unreadable) is told apart from success.
EXIT_PARTIAL = 1
EXIT_ERROR = 2


def _open_store(path: Path) -> GraphStore:
    try:
        return GraphStore(path)
    except StoreError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_ERROR) from None


@app.command()
def build(
    folder: Annotated[Path, typer.Argument(help="Folder of plans (.txt, .md).")],
    store: StoreOption = DEFAULT_STORE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
) -> None:
    """Build or update the graph from a folder of plans; print a summary."""
    if not folder.is_dir():
        err.print(f"[red]error:[/red] {folder}: not a folder")
        raise typer.Exit(EXIT_ERROR)
    graph_store = _open_store(store)
    with graph_store:
        report = build_corpus(folder, graph_store)
        stats = store_statistics(graph_store)
    for name, reason in report.failed.items():
        err.print(f"[red]failed:[/red] {name}: {reason}")
    if not quiet:
        out.print(
            f"built {folder} into {store}: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, {len(report.failed)} failed"
        )
        out.print(
            f"store: {stats['plans']} plans, {stats['documents']} cited documents, "
            f"{stats['citations']} citations, {stats['quads']} quads in {stats['graphs']} graphs"
        )
    if not report.ok:
        raise typer.Exit(EXIT_PARTIAL)


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
    if fmt is ResultFormat.csv:
        sys.stdout.write(format_csv(variables, rows))
    elif fmt is ResultFormat.json:
        sys.stdout.write(format_json(variables, rows))
    else:
        out.print(format_table(variables, rows))


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
) -> None:
    """Print every fact found in one file, with its text spans."""
    try:
        extraction = extract_plan(read_source(file))
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


if __name__ == "__main__":
    app()
