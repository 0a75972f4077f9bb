"""Throughput per core of the extractors: body recognition (``find_agencies``), task
tables (``find_task_tables``) and the whole extraction of a plan (``extract_plan``), over
the five demo plans replicated to about 5 MB of UTF-8 text, in one process.

Run: ``.venv/bin/python benchmarks/bench_extractors.py [megabytes]``.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.agencies import find_agencies
from ccbc_graph.extract.tables import find_task_tables
from ccbc_graph.reading import SourceDocument
from ccbc_graph.textnorm import CleanText, clean

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"

Extractor = Callable[[CleanText, str], object]
EXTRACTORS: dict[str, Extractor] = {
    "find_agencies": find_agencies,
    "find_task_tables": lambda text, _province: find_task_tables(text),
    "extract_plan": lambda text, _province: extract_plan(SourceDocument(PLANS / "plan.txt", "0" * 64, text)),
}


def demo_plans() -> list[tuple[CleanText, str]]:
    """The demo plans, cleaned, each with its province (from the folder's manifest)."""
    with open(PLANS / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(clean((PLANS / r["file"]).read_text(encoding="utf-8")), r["province"]) for r in rows]


def throughput(extract: Extractor, plans: list[tuple[CleanText, str]], target_bytes: int) -> tuple[int, float]:
    """Run ``extract`` over ``plans`` again and again until ``target_bytes`` of text have
    been read; return (bytes read, seconds). One warm-up call first (pipelines, caches)."""
    extract(*plans[0])
    done = 0
    started = time.perf_counter()
    while done < target_bytes:
        for text, province in plans:
            extract(text, province)
            done += len(text.text.encode("utf-8"))
    return done, time.perf_counter() - started


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    plans = demo_plans()
    for name, extract in EXTRACTORS.items():
        done, seconds = throughput(extract, plans, int(megabytes * 1_000_000))
        print(f"{name}: {done / 1e6:.2f} MB in {seconds:.2f} s = {done / 1e6 / seconds:.2f} MB/s per core")


if __name__ == "__main__":
    main()
