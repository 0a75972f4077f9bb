"""The extraction as JSON, in the field names of the answer key (``tests/gold``), with
the text spans (original offsets) behind each fact."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccbc_graph.model import AgencyMention, Evidence, PlanExtraction, Span


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "start": evidence.span.start,
        "end": evidence.span.end,
        "text": evidence.text,
        "sentence": evidence.sentence,
    }


def _span(span: Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _names(bodies: list[AgencyMention]) -> list[str]:
    return _unique([b.canonical for b in bodies])


def _agency_facts(extraction: PlanExtraction) -> dict[str, Any]:
    """Bodies once each (gold fields), then every mention with its span and identity."""
    mentions = extraction.agencies
    responsibilities: dict[str, dict[str, Any]] = {}
    for r in extraction.responsibilities:
        entry = responsibilities.setdefault(
            r.agency.canonical, {"agency": r.agency.canonical, "partners": [], "duties": []}
        )
        entry["partners"] = _unique(entry["partners"] + _names(r.partners))
        entry["duties"].append({"text": r.duty_text, **_span(r.duty_span)})
    return {
        "agencies": _unique([m.canonical for m in mentions if not m.collective]),
        "collective_agencies": _unique([m.canonical for m in mentions if m.collective]),
        "sub_organizations": [
            {"unit": unit, "parent": parent}
            for unit, parent in dict.fromkeys((m.canonical, m.parent) for m in mentions if m.parent)
        ],
        "agency_mentions": [
            {
                "surface": m.surface,
                "canonical": m.canonical,
                "kind": m.kind,
                "level": m.level,
                "province": m.province,
                "collective": m.collective,
                "parent": m.parent,
                **_span(m.span),
            }
            for m in mentions
        ],
        "responsibilities": list(responsibilities.values()),
    }


def _task_facts(extraction: PlanExtraction) -> dict[str, Any]:
    tasks = []
    for t in extraction.tasks:
        item: dict[str, Any] = {
            "row": t.row,
            "task": t.task,
            "lead": _names(t.lead),
            "coordinators": _names(t.coordinators),
            "timeframe": t.timeframe,
            "budget_vnd": t.budget_vnd,
        }
        if t.budget_text:
            item["budget_text"] = t.budget_text
        if t.product:
            item["product"] = t.product
        if t.inherited:
            item["inherited"] = sorted(t.inherited)
        item["cells"] = {name: _evidence(e) for name, e in t.cells.items()}
        tasks.append(item)
    total, stated = extraction.budget_total_vnd, extraction.stated_budget_total_vnd
    facts: dict[str, Any] = {
        "tasks": tasks,
        "budget_total_vnd": total,
        "stated_budget_total_vnd": stated,
    }
    if stated is not None:
        facts["budget_check"] = {
            "stated": stated,
            "sum_of_rows": total,
            "matches": stated == total,
            "evidence": [_evidence(e) for e in extraction.stated_budget_total_evidence],
        }
    return facts


def extraction_to_dict(extraction: PlanExtraction) -> dict[str, Any]:
    """Every fact of one plan, ready for ``json.dumps``."""
    doc = extraction.document
    document: dict[str, Any] = {
        "doc_type": doc.doc_type,
        "symbol": doc.symbol,
        "date": _iso(doc.date),
        "year": doc.year,
        "title": doc.title,
        "issuer": doc.issuer,
        "province": doc.province,
        "signer": doc.signer,
        "signer_position": doc.signer_position,
    }
    if doc.symbol_as_written:
        document["symbol_as_written"] = doc.symbol_as_written
    if doc.period:
        document["period"] = list(doc.period)
    document["evidence"] = {name: _evidence(evidence) for name, evidence in sorted(doc.evidence.items())}
    citations = []
    for c in extraction.citations:
        item: dict[str, Any] = {
            "symbol": c.symbol,
            "doc_type": c.doc_type,
            "date": _iso(c.date),
            "issuer": c.issuer,
            "relation": c.relation,
        }
        if c.co_issuers:
            item["co_issuers"] = list(c.co_issuers)
        if c.issuer_province:
            item["issuer_province"] = c.issuer_province
        if c.date_as_written:
            item["date_as_written"] = _iso(c.date_as_written)
        if c.note:
            item["note"] = c.note
        item["key"] = c.key.label
        item["resolved"] = c.resolved
        if c.title:
            item["title"] = c.title
        item["mentions"] = [{"relation": m.relation, **_evidence(m.evidence)} for m in c.mentions]
        citations.append(item)
    return {
        "file": extraction.source_name,
        "sha256": extraction.sha256,
        "document": document,
        "citations": citations,
        "unnumbered_citations": [
            {
                "surface": u.surface,
                "doc_type": u.doc_type,
                "issuer": u.issuer,
                "relation": u.relation,
                "year": u.year,
                "resolved_to": u.resolved_to.label if u.resolved_to else None,
                "evidence": _evidence(u.evidence),
            }
            for u in extraction.unnumbered_citations
        ],
        "not_citations": [
            {"surface": n.surface, "why": n.why, "start": n.span.start, "end": n.span.end}
            for n in extraction.not_citations
        ],
        "amendments": [
            {
                "amending": a.amending.label,
                "amended": a.amended.label if a.amended else None,
                "kind": a.kind,
                "evidence": _evidence(a.evidence),
            }
            for a in extraction.amendments
        ],
        **_agency_facts(extraction),
        **_task_facts(extraction),
    }
