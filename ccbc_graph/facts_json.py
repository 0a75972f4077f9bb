"""The extraction as JSON, in the field names of the answer key (``tests/gold``), with
the text spans (original offsets) behind each fact."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccbc_graph.model import Evidence, PlanExtraction


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "start": evidence.span.start,
        "end": evidence.span.end,
        "text": evidence.text,
        "sentence": evidence.sentence,
    }


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
    }
