"""From one source text to the typed facts of :mod:`ccbc_graph.model`."""

from __future__ import annotations

from ccbc_graph.extract.citations import extract_citations
from ccbc_graph.extract.metadata import read_header
from ccbc_graph.extract.symbols import Symbol
from ccbc_graph.extract.text import PlanText
from ccbc_graph.extract.unnumbered import extract_unnumbered
from ccbc_graph.model import DocumentMeta, PlanExtraction
from ccbc_graph.reading import SourceDocument
from ccbc_graph.reference import type_by_abbreviation


def extract_plan(source: SourceDocument) -> PlanExtraction:
    """Every fact the extractor finds in one source file."""
    text = PlanText(source.clean)
    header = read_header(text)
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
    found = extract_citations(text, meta, layout.title_start, header.header_date)
    if found.own_evidence:
        meta.evidence["symbol"] = found.own_evidence
    if found.own_symbol:
        meta.symbol = found.own_symbol.text
        meta.symbol_as_written = None
        meta.date = meta.date or found.own_date
        meta.doc_type = meta.doc_type or _type_of(found.own_symbol)
        if meta.issuer is None and found.own_issuer:
            meta.issuer = found.own_issuer.name
    if meta.year is None and meta.date:
        meta.year = meta.date.year
    unnumbered = extract_unnumbered(text, found.citations, meta.province)
    return PlanExtraction(
        source_name=source.path.name,
        sha256=source.sha256,
        text=source.original,
        document=meta,
        citations=found.citations,
        unnumbered_citations=unnumbered,
        amendments=found.amendments,
        not_citations=found.not_citations,
    )


def _type_of(symbol: Symbol) -> str | None:
    return type_by_abbreviation()[symbol.type_abbr].name if symbol.type_abbr else None
