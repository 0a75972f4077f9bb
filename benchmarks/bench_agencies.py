"""Throughput of body recognition: ``find_agencies`` over the five demo plans, replicated
to about 5 MB of UTF-8 text, in one process (so the figure is per core).

Run: ``.venv/bin/python benchmarks/bench_agencies.py [megabytes]``.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from ccbc_graph.extract.agencies import find_agencies
from ccbc_graph.textnorm import CleanText, clean

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


def demo_plans() -> list[tuple[CleanText, str]]:
    """The demo plans, cleaned, each with its province (from the folder's manifest)."""
    with open(PLANS / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(clean((PLANS / r["file"]).read_text(encoding="utf-8")), r["province"]) for r in rows]


def throughput(plans: list[tuple[CleanText, str]], target_bytes: int) -> tuple[int, float]:
    """Run ``find_agencies`` over ``plans`` again and again until ``target_bytes`` of text
    have been read; return (bytes read, seconds). The pipeline is built before timing."""
    find_agencies(plans[0][0], plans[0][1])
    done = 0
    started = time.perf_counter()
    while done < target_bytes:
        for text, province in plans:
            find_agencies(text, province)
            done += len(text.text.encode("utf-8"))
    return done, time.perf_counter() - started


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    plans = demo_plans()
    done, seconds = throughput(plans, int(megabytes * 1_000_000))
    print(f"find_agencies: {done / 1e6:.2f} MB in {seconds:.2f} s = {done / 1e6 / seconds:.2f} MB/s per core")


if __name__ == "__main__":
    main()
