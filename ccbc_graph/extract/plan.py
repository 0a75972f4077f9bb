"""Every extractor over one source file: metadata, citations, bodies, tasks, duties."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ccbc_graph.extract.agencies import canonical_agencies, find_bodies_and_duties, header_body
from ccbc_graph.extract.citations import document_type, extract_citations
from ccbc_graph.extract.metadata import read_header
from ccbc_graph.extract.tables import TableCell, TaskRow, TaskTable, find_task_tables, rejoined_lines
from ccbc_graph.extract.text import PlanText
from ccbc_graph.extract.unnumbered import amendments_by_amending_laws, extract_unnumbered
from ccbc_graph.model import AgencyMention, DocumentMeta, Evidence, PlanExtraction, Span, Task
from ccbc_graph.reading import SourceDocument


def extract_plan(source: SourceDocument) -> PlanExtraction:
    """Every fact the extractor finds in one source file."""
    text = PlanText(source.clean)
    header = read_header(text, header_body)
    meta = DocumentMeta(
        doc_type=header.doc_type,
        title=header.title,
        year=header.year,
        period=header.period,
        province=header.province,
        issuer=header.issuer.name if header.issuer else None,
        signer=header.signer,
        signer_position=header.signer_position,
        date=header.header_date,
        symbol_as_written=header.blank_symbol,
    )
    layout = header.layout
    if layout.title_start is not None and layout.title_end is not None:
        meta.evidence["title"] = text.evidence(layout.title_start, layout.title_end)
    title = (layout.title_start, layout.title_end) if layout.title_start is not None and layout.title_end else None
    header_unit = header.issuer.unit if header.issuer else None
    found = extract_citations(text, meta, title, header.header_date, header_unit)
    if found.own_evidence:
        meta.evidence["symbol"] = found.own_evidence
    if found.own_symbol:
        meta.symbol = found.own_symbol.text
        meta.symbol_as_written = None
        meta.date = meta.date or found.own_date
        meta.doc_type = meta.doc_type or document_type(found.own_symbol)
        if meta.issuer is None and found.own_issuer:
            meta.issuer = found.own_issuer.name
    if meta.year is None and meta.date:
        meta.year = meta.date.year
    issuer = header.issuer or found.own_issuer
    # A plan is dated no earlier than the documents it cites: the latest of them dates a
    # plan whose own date was left blank ("ngày   tháng 8 năm 2025").
    not_before = meta.date or max((c.date for c in found.citations if c.date), default=None)
    unit = issuer.unit.as_of(not_before, meta.year) if issuer and issuer.unit else None
    meta.unit = unit.label if unit else None
    unnumbered = extract_unnumbered(text, found.citations, meta.province)
    tables = list(source.task_tables) or find_task_tables(source.clean)
    totals = _printed_totals(tables)
    # A plan of a unit below the province names that unit's bodies without its name.
    bodies, duties, plan_body = find_bodies_and_duties(text, meta.province, unit, meta.issuer)

    def cell_bodies(cell: TableCell | None) -> list[AgencyMention]:
        """The bodies a lead/coordinator cell names (units without a parent are the plan's
        issuer's); their evidence is the cell."""
        if cell is None:
            return []
        names = "\n".join(rejoined_lines(cell.text))
        return [replace(b, span=cell.span) for b in canonical_agencies(names, meta.province, unit, plan_body)]

    return PlanExtraction(
        source_name=source.path.name,
        sha256=source.sha256,
        text=source.original,
        document=meta,
        citations=found.citations,
        unnumbered_citations=unnumbered,
        amendments=found.amendments + amendments_by_amending_laws(text, unnumbered),
        not_citations=found.not_citations,
        agencies=bodies,
        tasks=[_task(text, row, cell_bodies) for table in tables for row in table.rows],
        stated_budget_total_vnd=sum(amount for amount, _ in totals) if totals else None,
        stated_budget_total_evidence=tuple(_span_evidence(text, span) for _, span in totals if span),
        responsibilities=duties,
        text_read=text,
    )


def _printed_totals(tables: list[TaskTable]) -> list[tuple[int, Span | None]]:
    """The printed totals that add up to the plan's, with their spans, in order.

    The plan's total is checked against the sum of all its rows, so it is known only when
    every table with amounts (on its rows or in a "Tổng cộng" row) prints its total; else
    none: a table without one would leave its rows set against nothing.
    """
    priced = [t for t in tables if t.stated_total_vnd is not None or t.budget_sum_vnd is not None]
    totals = [(t.stated_total_vnd, t.total_span) for t in priced if t.stated_total_vnd is not None]
    return totals if len(totals) == len(priced) else []


def _span_evidence(text: PlanText, span: Span) -> Evidence:
    return text.evidence(*text.clean_range(span))


def _task(text: PlanText, row: TaskRow, cell_bodies: Callable[[TableCell | None], list[AgencyMention]]) -> Task:
    cells = {
        name: _span_evidence(text, cell.span)
        for name in ("task", "product", "lead", "coordinators", "timeframe", "budget")
        if (cell := getattr(row, name)) is not None
    }
    return Task(
        row=row.row,
        task=row.task.words,
        lead=cell_bodies(row.lead),
        coordinators=cell_bodies(row.coordinators),
        cells=cells,
        product=row.product.words if row.product else None,
        timeframe=row.timeframe.words if row.timeframe else None,
        budget_vnd=row.budget_vnd,
        budget_text=row.budget_text,
        inherited=set(row.inherited),
    )
