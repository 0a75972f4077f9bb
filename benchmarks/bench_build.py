"""Build throughput on a corpus replicated from the seeds (benchmarks/replicate_seeds.py).

Reports, for a fresh store: MB/s and plans/s of the whole build (read, extract, map,
store), then the time of a rebuild with nothing changed and with one plan changed.
Repeats the fresh build and prints every run, so a noisy machine shows itself.

    python benchmarks/bench_build.py --plans 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ccbc_graph.build import build, plan_files
from ccbc_graph.store import GraphStore

HERE = Path(__file__).resolve().parent


def make_corpus(count: int, folder: Path) -> None:
    subprocess.run([sys.executable, str(HERE / "replicate_seeds.py"), str(count), str(folder)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(args.plans, corpus)
        files = list(plan_files(corpus))
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {len(files)} plans, {megabytes:.1f} MB")
        times = []
        for run in range(args.repeat):
            store_dir = Path(tmp) / f"store-{run}"
            store = GraphStore(store_dir)
            start = time.perf_counter()
            report = build(corpus, store)
            store.flush()
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            print(
                f"  fresh build {run + 1}: {elapsed:.1f} s, {megabytes / elapsed:.2f} MB/s, "
                f"{len(report.added) / elapsed:.1f} plans/s, {store.quad_count()} quads"
            )
            if run < args.repeat - 1:
                store.close()
                shutil.rmtree(store_dir)
        best = min(times)
        print(
            f"fresh build (best of {args.repeat}): {best:.1f} s = {megabytes / best:.2f} MB/s, "
            f"{len(files) / best:.1f} plans/s (median {statistics.median(times):.1f} s)"
        )
        start = time.perf_counter()
        build(corpus, store)
        print(f"rebuild, nothing changed: {time.perf_counter() - start:.2f} s")
        changed = files[len(files) // 2]
        changed.write_text(changed.read_text(encoding="utf-8") + "\nThực hiện Kế hoạch số 9/KH-UBND.\n", "utf-8")
        start = time.perf_counter()
        report = build(corpus, store)
        print(f"rebuild, one plan changed: {time.perf_counter() - start:.2f} s ({report.changed})")
        store.close()


if __name__ == "__main__":
    main()
