"""The typed facts the extractor finds in one plan.

Every fact keeps the span of text it came from, as character offsets into the
*original* text of the source file (before any normalisation), so that a reader of
the graph can always go back to the sentence behind a triple.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccbc_graph.extract.text import PlanText


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in the original source text."""

    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the exact words and the sentence around them."""

    span: Span
    text: str
    sentence_span: Span
    sentence: str


@dataclass(frozen=True)
class DocumentKey:
    """What identifies a legal document across plans.

    A symbol without a year is unique only with its issue year, and a local symbol
    (``…/KH-UBND``) only with its issuer's province as well, and the unit below the
    province when the issuer is that unit's body (``unit`` "huyện Kỳ Anh": a district's
    12/KH-UBND is not the province's). ``year`` is ``None`` when the document could not be
    dated: the reference then stays unresolved.
    """

    symbol: str
    year: int | None
    province: str | None = None
    unit: str | None = None

    @property
    def label(self) -> str:
        """The gold files' way of writing a key: ``76/NQ-CP@2013``; a symbol that
        carries its year (``92/2017/NĐ-CP``) stands alone."""
        if not self.year or f"/{self.year}/" in self.symbol:
            return self.symbol
        return f"{self.symbol}@{self.year}"


@dataclass
class CitationMention:
    """One place in the text where a numbered document is named."""

    symbol: str
    evidence: Evidence
    relation: str
    type_word: str | None = None
    date_written: date | None = None
    issuer_written: str | None = None
    issuer_province: str | None = None


@dataclass
class Citation:
    """A numbered document the plan cites, merged over all its mentions."""

    key: DocumentKey
    symbol: str
    doc_type: str
    date: date | None
    issuer: str | None
    relation: str
    mentions: list[CitationMention] = field(default_factory=list)
    issuer_province: str | None = None
    date_as_written: date | None = None
    title: str | None = None
    resolved: bool = True
    note: str | None = None
    co_issuers: tuple[str, ...] = ()  # of a joint document (liên tịch), after ``issuer``


@dataclass
class UnnumberedCitation:
    """A reference to a document that the text names without a number.

    ``name`` is the surface without the issue date written after it, and ``year`` that
    date's year: together they identify the document across plans ("Luật Viên chức ngày
    15/11/2010" and "Luật Viên chức năm 2010" are one law). ``resolved_to`` is the
    numbered document of the reference list that the name and year designate, if any.
    """

    surface: str
    doc_type: str
    evidence: Evidence
    issuer: str | None = None
    date: date | None = None
    relation: str = "references"
    name: str = ""
    year: int | None = None
    resolved_to: DocumentKey | None = None

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.surface


@dataclass
class Amendment:
    """One cited document amending (or repealing) another, as the text states it."""

    amending: DocumentKey
    amended: DocumentKey | None
    kind: str
    evidence: Evidence


@dataclass
class NotCitation:
    """Something shaped like a citation that is not one (the plan's own number)."""

    surface: str
    why: str
    span: Span


@dataclass(frozen=True)
class AgencyMention:
    """One place where a body is named, and who it is.

    ``span`` is in the original text; ``parent`` is the canonical name of the body a
    unit belongs to; ``collective`` marks a group named by its level or kind.
    """

    surface: str
    span: Span
    canonical: str
    kind: str
    level: str
    province: str | None
    collective: bool
    parent: str | None = None


@dataclass(frozen=True)
class Responsibility:
    """A body given duties in the plan's "Tổ chức thực hiện" section."""

    agency: AgencyMention
    duty_text: str
    duty_span: Span
    partners: list[AgencyMention]


@dataclass
class Task:
    """One row of the plan's task table, its bodies mapped to canonical identities.

    ``cells`` holds the evidence of each cell read (task, lead, coordinators, budget …);
    ``inherited`` names the cells taken from a merged cell of the row above.
    """

    row: int
    task: str
    lead: list[AgencyMention]
    coordinators: list[AgencyMention]
    cells: dict[str, Evidence]
    product: str | None = None
    timeframe: str | None = None
    budget_vnd: int | None = None
    budget_text: str | None = None
    inherited: set[str] = field(default_factory=set)


@dataclass
class DocumentMeta:
    """The plan itself, as its header, title, annex heading and signature give it."""

    doc_type: str | None = None
    symbol: str | None = None
    symbol_as_written: str | None = None
    date: date | None = None
    year: int | None = None
    period: tuple[int, int] | None = None
    title: str | None = None
    issuer: str | None = None
    province: str | None = None
    unit: str | None = None  # below the province, whose body issued the plan: "huyện Kỳ Anh"
    signer: str | None = None
    signer_position: str | None = None
    evidence: dict[str, Evidence] = field(default_factory=dict)


@dataclass
class PlanExtraction:
    """Everything found in one source file."""

    source_name: str
    sha256: str
    text: str
    document: DocumentMeta
    citations: list[Citation] = field(default_factory=list)
    unnumbered_citations: list[UnnumberedCitation] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    not_citations: list[NotCitation] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # The plan's printed total: the sum of its tables' "Tổng cộng" amounts, each the
    # evidence of one; None unless every table with amounts prints its total.
    stated_budget_total_vnd: int | None = None
    stated_budget_total_evidence: tuple[Evidence, ...] = ()
    responsibilities: list[Responsibility] = field(default_factory=list)
    # The text as the extractor read it (cleaned, its lines and views worked out), so that
    # the RDF mapping cuts the evidence of bodies and duties from it without doing that
    # again. Not a fact: not compared, not written out.
    text_read: PlanText | None = field(default=None, repr=False, compare=False)

    @property
    def budget_total_vnd(self) -> int | None:
        """Sum of the task budgets; a budget cell merged over several rows counts once."""
        amounts = [t.budget_vnd for t in self.tasks if t.budget_vnd is not None and "budget" not in t.inherited]
        return sum(amounts) if amounts else None
