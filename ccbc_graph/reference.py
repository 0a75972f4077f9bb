"""Domain reference data read from ``data/``: document types, issuers, provinces,
known documents. Loaded once, on first use."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from ccbc_graph.shipped import shipped
from ccbc_graph.textnorm import fold

DATA_DIR = shipped("data")
REFERENCE_DIR = DATA_DIR / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class DocumentType:
    abbreviation: str
    name: str
    normative: bool


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    national: bool


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    kind: str
    merged_into_code: str
    merged_into_name: str
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownDocument:
    symbol: str
    date: date
    doc_type: str
    issuer: str
    title: str


@cache
def document_types() -> tuple[DocumentType, ...]:
    return tuple(
        DocumentType(r["abbreviation"], r["name"], r["normative"] == "true") for r in _rows("document_types.csv")
    )


@cache
def type_by_abbreviation() -> dict[str, DocumentType]:
    """Abbreviation (as written in symbols, case kept: ``QyĐ``, ``CTr``) -> type."""
    return {t.abbreviation: t for t in document_types() if t.abbreviation}


@cache
def type_by_name() -> dict[str, DocumentType]:
    """Folded type name (``nghị quyết``) -> type; the first row of a name wins."""
    table: dict[str, DocumentType] = {}
    for t in document_types():
        table.setdefault(fold(t.name), t)
    return table


@cache
def generic_document_words() -> tuple[str, ...]:
    """Folded words that name a document without naming its type (``văn bản``): written
    before a symbol as a type word is, they belong to the reference but type nothing."""
    return tuple(fold(r["word"]) for r in _rows("generic_document_words.csv"))


@cache
def issuer_list() -> tuple[Issuer, ...]:
    """Every issuing body the data knows, with or without a symbol code."""
    return tuple(Issuer(r["code"], r["name"], r["level"] == "national") for r in _rows("issuers.csv"))


@cache
def issuers() -> dict[str, Issuer]:
    """Issuer code of a symbol (``CP``, ``TTg``, ``UBND``, a department's ``SNV``) -> issuer."""
    listed = {i.code: i for i in issuer_list() if i.code}
    return {**_department_issuers(), **listed}


@cache
def _department_issuers() -> dict[str, Issuer]:
    """A province's departments by the code their documents carry: S and the initials of
    the sector, "và" left out ("SNV", "STTTT", "SLĐTBXH"). Where two sectors share
    initials (Nội vụ, Ngoại vụ), the one listed first in the lexicon keeps the code."""
    departments: dict[str, Issuer] = {}
    with open(DATA_DIR / "lexicon" / "sectors.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["department"] == "true":
                code = "S" + "".join(sector_initials(row["sector"]))
                departments.setdefault(code, Issuer(code, f"Sở {row['sector']}", False))
    return departments


def sector_initials(sector: str) -> tuple[str, ...]:
    """The initials of a sector's name, part by part: a part ends at "và", a comma or a
    dash ("Lao động - Thương binh và Xã hội": LĐ, TB, XH)."""
    parts = re.split(r"\s*(?:,|\s-\s|\bvà\b)\s*", sector)
    return tuple("".join(word[0].upper() for word in part.split()) for part in parts if part.strip())


@cache
def provinces() -> tuple[Province, ...]:
    return tuple(
        Province(
            r["code"],
            r["name"],
            r["kind"],
            r["merged_into_code"],
            r["merged_into_name"],
            tuple(n for n in r["other_names"].split("|") if n),
        )
        for r in _rows("provinces.csv")
    )


@cache
def province_by_name() -> dict[str, Province]:
    """Folded province name -> province (pre-2025 units), also under the other names a
    unit has gone by: a plan of "thành phố Huế" (a city since 2025) is Thừa Thiên Huế's."""
    return {fold(name): p for p in provinces() for name in (p.name, *p.other_names)}


@cache
def known_documents() -> dict[str, tuple[KnownDocument, ...]]:
    """Symbol -> the known documents bearing it (``76/NQ-CP`` has two)."""
    table: dict[str, list[KnownDocument]] = {}
    for r in _rows("known_documents.csv"):
        doc = KnownDocument(r["symbol"], date.fromisoformat(r["date"]), r["doc_type"], r["issuer"], r["title"])
        table.setdefault(doc.symbol, []).append(doc)
    return {symbol: tuple(docs) for symbol, docs in table.items()}
