"""Each shipped query on the embedded pyoxigraph store vs rdflib's in-memory store.

Same data (a corpus replicated from the seeds and built once; rdflib gets the same named
graphs in an in-memory Dataset whose default graph is their union, as the store's), same
query text, same run; the median of several runs for each engine, reported with the
ratio rdflib / pyoxigraph. The store is closed after the build and opened again, as
``ccbc-graph query`` opens it, and each query is run once untimed before it is timed (the
first run reads the store's pages from disk). The store is timed before rdflib's graph is
loaded into the process, so that its garbage collections do not count against the store.
rdflib runs in this process with a time limit: a query it has not answered by then is
reported as "> limit", and its ratio as a lower bound. (In a forked process each garbage
collection would copy the pages of the loaded graph it touches, and rdflib would be timed
a third slower than it runs.) A query rdflib answers within QUICK_S seconds is run again,
and the median taken, as for the store: there the ratio is closest to the target and one
run's noise matters most.

    python benchmarks/bench_queries.py --plans 1000
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rdflib

from ccbc_graph.build import build
from ccbc_graph.queries import bind, list_queries
from ccbc_graph.store import GraphStore

# Values for the parameters a query requires, taken from the demo corpus.
SAMPLE_PARAMS = {"document": "30c/NQ-CP", "body": "Sở Nội vụ", "province": "Hải Phòng", "plan": "Kế hoạch"}


def median_time(run: Callable[[], object], repeat: int, quick: float = float("inf")) -> tuple[float, object]:
    """The median time of ``repeat`` runs, and the last run's result; only one run when it
    took ``quick`` seconds or more."""
    times, result = [], None
    while len(times) < repeat and (not times or times[0] < quick):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# rdflib runs a query again (up to --rdflib-repeat times) only if its first run took less.
QUICK_S = 10.0


class _TimeLimit(BaseException):
    """rdflib ran past the time limit: a BaseException, which no ``except Exception`` on its way swallows."""


def _stop(signum: int, frame: object) -> None:
    raise _TimeLimit


def rdflib_time(graph: rdflib.Dataset, text: str, repeat: int, limit: float) -> tuple[float, int] | None:
    """(median seconds, rows), or None when rdflib did not answer within ``limit`` seconds."""

    def run() -> list[object]:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return list(graph.query(text))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, _stop)
    try:
        elapsed, rows = median_time(run, repeat, quick=QUICK_S)
    except _TimeLimit:
        return None
    except Exception as err:  # rdflib cannot run this query: reported, the others go on
        raise RuntimeError(f"rdflib failed: {err}") from err
    finally:
        signal.signal(signal.SIGALRM, previous)
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rdflib-repeat", type=int, default=3, help=f"runs of a query rdflib answers within {QUICK_S:g} s"
    )
    parser.add_argument("--rdflib-limit", type=float, default=120.0, help="seconds per rdflib run")
    parser.add_argument("--only", nargs="*", help="names of the queries to time (default: all shipped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        here = Path(__file__).resolve().parent
        subprocess.run([sys.executable, str(here / "replicate_seeds.py"), str(args.plans), str(corpus)], check=True)
        with GraphStore(Path(tmp) / "store") as built:
            build(corpus, built)
        store = GraphStore(Path(tmp) / "store")
        dump = Path(tmp) / "all.nq"
        store.export("nquads", dump)
        queries = [q for q in list_queries() if not args.only or q.name in args.only]
        texts = {q.name: bind(q, {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.required}) for q in queries}
        # The store is timed before rdflib's graph is in this process: its millions of
        # objects would make every garbage collection during a query slow.
        oxigraph = {}
        for name, text in texts.items():
            store.query(text)  # untimed: the first run reads the store's pages from disk
            ox_time, ox_result = median_time(lambda t=text: store.query(t), args.repeat)
            oxigraph[name] = (ox_time, len(ox_result.rows))
        start = time.perf_counter()
        graph = rdflib.Dataset(default_union=True)
        graph.parse(dump, format="nquads")
        print(
            f"{args.plans} plans, {store.quad_count()} quads; rdflib Dataset loaded in "
            f"{time.perf_counter() - start:.1f} s"
        )
        print(f"{'query':<34} {'pyoxigraph':>11} {'rdflib':>10} {'ratio':>8}  rows")
        ratios = []
        for name, text in texts.items():
            ox_time, rows = oxigraph[name]
            try:
                answer = rdflib_time(graph, text, args.rdflib_repeat, args.rdflib_limit)
            except RuntimeError as err:  # rdflib cannot run this query: no ratio, the others go on
                print(f"{name:<34} {ox_time * 1000:9.1f}ms  {err}")
                continue
            if answer is None:
                ratio = args.rdflib_limit / ox_time
                ratios.append(ratio)
                limit = f">{args.rdflib_limit:g}"
                print(f"{name:<34} {ox_time * 1000:9.1f}ms {limit:>9}s >{ratio:6.0f}x  {rows}")
                continue
            rdf_time, rdf_rows = answer
            if rows != rdf_rows:
                print(f"  note: {name}: pyoxigraph {rows} rows, rdflib {rdf_rows} rows")
            ratio = rdf_time / ox_time if ox_time else float("inf")
            ratios.append(ratio)
            print(f"{name:<34} {ox_time * 1000:9.1f}ms {rdf_time:9.2f}s {ratio:7.0f}x  {rows}")
        print(f"smallest ratio {min(ratios):.0f}x, median {statistics.median(ratios):.0f}x")
        store.close()


if __name__ == "__main__":
    main()
