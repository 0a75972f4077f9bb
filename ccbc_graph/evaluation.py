"""Scoring the extraction against a hand-made answer key (``tests/gold``).

Each gold file names its source (``file``). The source is looked up in the plan
folders given, by that name or through a folder's ``manifest.csv`` (readable name <-
source file name). Scores are micro-averaged over all plans, one line per fact kind.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccbc_graph.extract import extract_plan
from ccbc_graph.facts_json import extraction_to_dict
from ccbc_graph.reading import read_source
from ccbc_graph.textnorm import fold

DOCUMENT_FIELDS = (
    "doc_type",
    "symbol",
    "date",
    "year",
    "period",
    "title",
    "issuer",
    "province",
    "signer",
    "signer_position",
)


@dataclass
class Score:
    """Counts for one fact kind, and the facts behind the errors."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, plan: str, predicted: set[Any], gold: set[Any]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        self.errors += [f"{plan}: extra {item}" for item in sorted(predicted - gold, key=str)]
        self.errors += [f"{plan}: missing {item}" for item in sorted(gold - predicted, key=str)]


def _norm(value: Any) -> Any:
    """Compare text the way a reader would: NFC, modern tones, case and spacing folded."""
    if isinstance(value, str):
        return re.sub(r"\s*([-–,;.])\s*", r"\1", fold(value)).strip(" .;,")
    if isinstance(value, list):
        return tuple(value)
    return value


def _year_of(citation: dict[str, Any]) -> Any:
    if citation.get("date"):
        return int(citation["date"][:4])
    match = re.search(r"/((?:19|20)\d\d)/", citation["symbol"])
    return int(match.group(1)) if match else None


def _citation_key(citation: dict[str, Any]) -> str:
    return f"{citation['symbol']}@{_year_of(citation)}"


def _keyed(citations: Iterable[dict[str, Any]], attribute: Callable[[dict[str, Any]], Any]) -> set[tuple[str, Any]]:
    return {(_citation_key(c), attribute(c)) for c in citations}


def _surface_match(a: str, b: str) -> bool:
    fa, fb = _norm(a), _norm(b)
    if fa in fb or fb in fa:
        return True
    ta, tb = set(fa.split()), set(fb.split())
    return len(ta & tb) / max(1, len(ta | tb)) >= 0.6


def _score_unnumbered(score: Score, plan: str, predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> None:
    unmatched = list(predicted)
    for item in gold:
        hit = next((p for p in unmatched if _surface_match(p["surface"], item["surface"])), None)
        if hit is None:
            score.fn += 1
            score.errors.append(f"{plan}: missing {item['surface']!r}")
        else:
            unmatched.remove(hit)
            score.tp += 1
    score.fp += len(unmatched)
    score.errors += [f"{plan}: extra {p['surface']!r}" for p in unmatched]


def _score_field(score: Score, plan: str, name: str, predicted: Any, gold: Any) -> None:
    p, g = _norm(predicted), _norm(gold)
    if g is None and p is None:
        return
    if p == g:
        score.tp += 1
        return
    if p is not None:
        score.fp += 1
    if g is not None:
        score.fn += 1
    score.errors.append(f"{plan}: {name} is {predicted!r}, gold {gold!r}")


def score_plan(scores: dict[str, Score], plan: str, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
    """Add one plan's comparison to ``scores`` (kind -> Score)."""
    pc, gc = predicted["citations"], gold.get("citations", [])

    def get(kind: str) -> Score:
        return scores.setdefault(kind, Score())

    get("citations").add_sets(plan, {_citation_key(c) for c in pc}, {_citation_key(c) for c in gc})
    get("citation dates").add_sets(plan, _keyed(pc, lambda c: c.get("date")), _keyed(gc, lambda c: c.get("date")))
    get("citation dates as written").add_sets(
        plan,
        _keyed([c for c in pc if c.get("date_as_written")], lambda c: c["date_as_written"]),
        _keyed([c for c in gc if c.get("date_as_written")], lambda c: c["date_as_written"]),
    )
    get("citation types").add_sets(plan, _keyed(pc, lambda c: c["doc_type"]), _keyed(gc, lambda c: c["doc_type"]))
    get("citation issuers").add_sets(
        plan, _keyed(pc, lambda c: _norm(c.get("issuer"))), _keyed(gc, lambda c: _norm(c.get("issuer")))
    )
    get("citation issuer provinces").add_sets(
        plan,
        _keyed(pc, lambda c: c.get("issuer_province")),
        _keyed(gc, lambda c: c.get("issuer_province")),
    )
    get("citation relations").add_sets(plan, _keyed(pc, lambda c: c["relation"]), _keyed(gc, lambda c: c["relation"]))
    _score_unnumbered(
        get("unnumbered citations"), plan, predicted["unnumbered_citations"], gold.get("unnumbered_citations", [])
    )
    get("amendments").add_sets(
        plan,
        {(a["amending"], a["amended"]) for a in predicted["amendments"]},
        {(a["amending"], a["amended"]) for a in gold.get("amendments", [])},
    )
    for name in DOCUMENT_FIELDS:
        _score_field(get(f"document {name}"), plan, name, predicted["document"].get(name), gold["document"].get(name))
    _score_bodies(get, plan, predicted, gold)
    _score_tasks(get, plan, predicted, gold)


def _score_bodies(get: Callable[[str], Score], plan: str, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
    def names(values: Iterable[str] | None) -> set[str]:
        return {_norm(v) for v in values or []}

    get("agencies").add_sets(plan, names(predicted["agencies"]), names(gold.get("agencies")))
    get("collective agencies").add_sets(
        plan, names(predicted["collective_agencies"]), names(gold.get("collective_agencies"))
    )
    get("sub-organizations").add_sets(
        plan,
        {(_norm(s["unit"]), _norm(s["parent"])) for s in predicted["sub_organizations"]},
        {(_norm(s["unit"]), _norm(s["parent"])) for s in gold.get("sub_organizations") or []},
    )
    if "responsibilities" in gold:
        get("responsibilities").add_sets(
            plan,
            {_norm(r["agency"]) for r in predicted["responsibilities"]},
            {_norm(r["agency"]) for r in gold["responsibilities"]},
        )
        get("responsibility partners").add_sets(
            plan,
            {(_norm(r["agency"]), _norm(p)) for r in predicted["responsibilities"] for p in r["partners"]},
            {(_norm(r["agency"]), _norm(p)) for r in gold["responsibilities"] for p in r["partners"]},
        )


def _score_tasks(get: Callable[[str], Score], plan: str, predicted: dict[str, Any], gold: dict[str, Any]) -> None:
    """Task rows by row number: the row itself, its lead set, coordinator set and budget."""
    if "tasks" not in gold:
        return
    ptasks, gtasks = predicted["tasks"], gold["tasks"]
    get("task rows").add_sets(plan, {t["row"] for t in ptasks}, {t["row"] for t in gtasks})
    for kind, field_name in (("task lead sets", "lead"), ("task coordinator sets", "coordinators")):
        get(kind).add_sets(
            plan,
            {(t["row"], frozenset(_norm(b) for b in t[field_name])) for t in ptasks},
            {(t["row"], frozenset(_norm(b) for b in t[field_name])) for t in gtasks},
        )
    get("task budgets").add_sets(
        plan,
        {(t["row"], t["budget_vnd"]) for t in ptasks if t.get("budget_vnd") is not None},
        {(t["row"], t["budget_vnd"]) for t in gtasks if t.get("budget_vnd") is not None},
    )
    get("task texts").add_sets(
        plan, {(t["row"], _norm(t["task"])) for t in ptasks}, {(t["row"], _norm(t["task"])) for t in gtasks}
    )
    for name in ("budget_total_vnd", "stated_budget_total_vnd"):
        _score_field(get(name.replace("_", " ")), plan, name, predicted.get(name), gold.get(name))


def _manifest_names(folder: Path) -> dict[str, str]:
    manifest = folder / "manifest.csv"
    if not manifest.is_file():
        return {}
    with open(manifest, encoding="utf-8", newline="") as handle:
        return {row["source_file"]: row["file"] for row in csv.DictReader(handle)}


def locate_source(name: str, folders: Iterable[Path]) -> Path | None:
    """The plan file a gold file describes, by its own name or through a manifest."""
    for folder in folders:
        direct = folder / name
        if direct.is_file():
            return direct
        renamed = _manifest_names(folder).get(name)
        if renamed and (folder / renamed).is_file():
            return folder / renamed
    return None


@dataclass
class Evaluation:
    scores: dict[str, Score]
    missing_sources: list[str]
    plans: int


def evaluate(gold_dir: Path, plan_dirs: Iterable[Path]) -> Evaluation:
    """Extract every plan the answer key describes and score it."""
    folders = [Path(p) for p in plan_dirs] + [Path(gold_dir)]
    scores: dict[str, Score] = {}
    missing: list[str] = []
    plans = 0
    for gold_file in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        source = locate_source(gold["file"], folders)
        if source is None:
            missing.append(gold["file"])
            continue
        predicted = extraction_to_dict(extract_plan(read_source(source)))
        score_plan(scores, source.name, predicted, gold)
        plans += 1
    return Evaluation(scores, missing, plans)


def format_report(evaluation: Evaluation, details: bool = True) -> str:
    """One line per fact kind, the errors, and last ``citations F1 x.xx``."""
    lines = [f"{'fact kind':<34} {'P':>5} {'R':>5} {'F1':>5}   tp  fp  fn"]
    for kind, s in evaluation.scores.items():
        lines.append(f"{kind:<34} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {s.tp:4d}{s.fp:4d}{s.fn:4d}")
    if details:
        errors = [f"  [{kind}] {e}" for kind, s in evaluation.scores.items() for e in s.errors]
        if errors:
            lines += ["", "errors:", *errors]
    if evaluation.missing_sources:
        lines += ["", "sources not found: " + ", ".join(evaluation.missing_sources)]
    lines += ["", f"plans scored: {evaluation.plans}"]
    citations = evaluation.scores.get("citations", Score())
    lines.append(f"citations F1 {citations.f1:.2f}")
    return "\n".join(lines)
