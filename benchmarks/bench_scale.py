"""Build and query at corpus scale: the issue's targets measured on synthetic plans.

For each --plans N: the corpus of benchmarks/generate_corpus.py (cached in
benchmarks/out/corpus-N), built by the ``ccbc-graph build`` command as a user runs it,
in a subprocess whose memory is watched; then each shipped query on the built store, in a
fresh process; then a rebuild with nothing changed and one with one plan changed, each
as a new command, the one-change rebuild again in a running ``build --watch``, and a
rebuild re-reading every plan (as after an extractor upgrade). Writes
benchmarks/out/scale-N.json and prints a table. Targets (issue 6, for information): 10,000
plans built in <= 10 min with peak memory <= 4 GB; each shipped query <= 100 ms p50 at
10k; one changed plan rebuilt in <= 2 s.

Memory: the peak, over samples every 0.5 s, of the summed RSS and PSS of the build
process and all its descendants (PSS counts pages shared by forked workers once, so it
is the memory the build really holds; a spike shorter than a sample can be missed), and
the largest RSS of any single process of the tree (from wait4, exact).

    python benchmarks/bench_scale.py --plans 1000 [--plans 10000] --jobs 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench_queries import SAMPLE_PARAMS, median_time
from generate_corpus import GENERATOR_VERSION, generate

from ccbc_graph.build import plan_files
from ccbc_graph.queries import list_queries, run_query
from ccbc_graph.store import GraphStore
from ccbc_graph.uris import PROV
from ccbc_graph.version import __version__

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
# Every 0.1 s the sampler itself took a fifth of a core (it walks /proc for the tree).
SAMPLE_SECONDS = 0.5
# Each rebuild is timed this many times (median reported): a 2 s run is at the mercy of noise.
REBUILD_RUNS = 3
# Appended to one plan for the one-change rebuild: a citation it did not have.
CHANGE = "\nThực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.\n"


# ---------------------------------------------------------------------------- memory


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/*/stat (this kernel has no /proc/*/children)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone meanwhile
        # The command name may hold spaces and parentheses: fields follow the last ")".
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it has exited."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            fields = dict(line.split(":", 1) for line in handle if line.startswith(("Rss:", "Pss:")))
    except OSError:
        return 0, 0
    return int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])


class TreeSampler(threading.Thread):
    """Samples the summed memory of a process and its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.most_processes = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree = _children()
            pids, stack = [], [self.pid]
            while stack:
                pid = stack.pop()
                pids.append(pid)
                stack += tree.get(pid, [])
            usage = [_memory_kb(pid) for pid in pids]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(rss for rss, _ in usage))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss for _, pss in usage))
            self.most_processes = max(self.most_processes, sum(1 for rss, _ in usage if rss))
            self.done.wait(SAMPLE_SECONDS)


@dataclass
class Run:
    """One command: wall and CPU time (its whole tree), exit status, what it printed, its memory."""

    seconds: float
    cpu_seconds: float
    status: int
    stdout: str
    stderr: str
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float
    max_process_rss_mb: float
    most_processes: int


def run_measured(command: list[str], log: Path) -> Run:
    """Run ``command``, timing it and sampling its process tree's memory; output to ``log``."""
    with open(log.with_suffix(".out"), "w+b") as out, open(log.with_suffix(".err"), "w+b") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4, not Popen.wait: its rusage gives the largest RSS in the child's tree.
        _, wait_status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        sampler.done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    return Run(
        seconds,
        usage.ru_utime + usage.ru_stime,
        process.returncode,
        stdout,
        stderr,
        sampler.peak_rss_kb / 1024,
        sampler.peak_pss_kb / 1024,
        usage.ru_maxrss / 1024,
        sampler.most_processes,
    )


# ---------------------------------------------------------------------------- steps


def corpus(plans: int, seed: int) -> tuple[Path, float | None]:
    """The corpus of ``plans`` plans (reused when expected.json says it is the same); seconds to write it."""
    folder = OUT / f"corpus-{plans}"
    manifest = folder / "expected.json"
    if manifest.is_file():
        known = json.loads(manifest.read_text(encoding="utf-8"))
        if (known["generator_version"], known["seed"], known["plans"]) == (GENERATOR_VERSION, seed, plans):
            return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    generate(folder, plans, seed)
    return folder, time.perf_counter() - start


def ccbc_graph() -> str:
    """The ccbc-graph command of this Python environment."""
    found = shutil.which("ccbc-graph", path=str(Path(sys.executable).parent)) or shutil.which("ccbc-graph")
    if found is None:
        sys.exit("ccbc-graph is not installed (pip install -e .)")
    return found


def takes_jobs(command: str) -> bool:
    """Whether ``build`` takes --jobs (the option came while this benchmark was written)."""
    help_text = subprocess.run([command, "build", "--help"], capture_output=True, text=True, check=True).stdout
    return "--jobs" in help_text


def disk_usage_mb(folder: Path) -> float:
    """What ``du -s`` reports: blocks allocated, in MB."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 1e6


def _time_queries(store_path: str, repeat: int, budget: float) -> tuple[float, list[dict[str, object]]]:
    """In a fresh process: seconds to open the store, then each shipped query's p50.

    A query whose warm-up run takes long is run fewer times, so that its timed runs fit in
    about ``budget`` seconds (at least one run); ``runs`` says how many were timed.
    """
    start = time.perf_counter()
    store = GraphStore(Path(store_path))
    opened = time.perf_counter() - start
    timings = []
    for query in list_queries():
        params = {p.name: SAMPLE_PARAMS[p.name] for p in query.params if p.required}
        start = time.perf_counter()
        run_query(store, query, params)  # warm-up: caches, first read of the files
        warm_up = time.perf_counter() - start
        runs = max(1, min(repeat, int(budget / warm_up))) if warm_up > 0 else repeat
        p50, result = median_time(lambda q=query, p=params: run_query(store, q, p), runs)
        timings.append({"query": query.name, "p50_ms": p50 * 1000, "runs": runs, "rows": len(result.rows)})
        print(f"  {query.name}: {p50 * 1000:.1f} ms p50 of {runs}", file=sys.stderr, flush=True)
    store.close()
    return opened, timings


def time_queries(store: Path, repeat: int, budget: float) -> tuple[float, list[dict[str, object]]]:
    """The query timings, in a spawned process: the store opened afresh, as by a user's command."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_time_queries, (str(store), repeat, budget))


def _summary(stdout: str) -> dict[str, int]:
    """The counts of the build's summary line ("3 added, 0 changed, …")."""
    return {kind: int(n) for n, kind in re.findall(r"(\d+) (added|changed|unchanged|removed|failed)", stdout)}


# ---------------------------------------------------------------------------- one size


def bench(plans: int, jobs: int, seed: int, repeat: int, budget: float) -> dict[str, object]:
    folder, generated = corpus(plans, seed)
    files = list(plan_files(folder))
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    store = store_dir(plans)
    shutil.rmtree(store, ignore_errors=True)
    build, jobs_option = build_command(folder, store, jobs)
    load = os.getloadavg()

    fresh = run_measured(build, OUT / f"scale-{plans}-build")
    if fresh.status not in (0, 1):
        sys.exit(f"build failed ({fresh.status}): {fresh.stderr[-2000:]}")
    store_mb = disk_usage_mb(store)
    print(f"built in {fresh.seconds:.1f} s; timing the queries", file=sys.stderr, flush=True)
    opened, queries = time_queries(store, repeat, budget)
    rebuilds = time_rebuilds(build, files, plans, REBUILD_RUNS)

    return {
        "plans": len(files),
        "corpus_mb": megabytes,
        "corpus_generated_s": generated,
        "seed": seed,
        "jobs": jobs if jobs_option else None,
        "jobs_option": jobs_option,
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": load,
            "ld_preload": os.environ.get("LD_PRELOAD", ""),
            "load_after": os.getloadavg(),
            "python": platform.python_version(),
            "ccbc_graph": __version__,
        },
        "build": {
            **{k: v for k, v in asdict(fresh).items() if k not in ("stdout", "stderr")},
            "mb_per_s": megabytes / fresh.seconds,
            "plans_per_s": len(files) / fresh.seconds,
            "summary": _summary(fresh.stdout),
            "failed_files": fresh.stderr.count("failed:"),
            "budget_total_findings": fresh.stderr.count("data quality:"),
        },
        "store_mb": store_mb,
        "store_mb_after_rebuilds": disk_usage_mb(store),
        "store_open_s": opened,
        "queries": queries,
        **rebuilds,
    }


def store_dir(plans: int) -> Path:
    """Where the store of the N-plan corpus is built (and kept for later runs)."""
    return OUT / f"store-{plans}"


def build_command(folder: Path, store: Path, jobs: int) -> tuple[list[str], bool]:
    """The build command line, and whether this ccbc-graph takes --jobs."""
    command = ccbc_graph()
    jobs_option = takes_jobs(command)
    jobs_args = ["--jobs", str(jobs)] if jobs_option else []
    return [command, "build", str(folder), "--store", str(store), *jobs_args], jobs_option


def time_rebuilds(build: list[str], files: list[Path], plans: int, runs: int) -> dict[str, object]:
    """Medians of ``runs`` rebuilds with nothing changed, and with one plan changed (then put back)."""
    unchanged = [run_measured(build, OUT / f"scale-{plans}-rebuild-none") for _ in range(runs)]
    changed_file = files[len(files) // 2]
    original = changed_file.read_bytes()
    one_change = []
    try:
        for _ in range(runs):
            changed_file.write_bytes(original + CHANGE.encode("utf-8"))
            one_change.append(run_measured(build, OUT / f"scale-{plans}-rebuild-one"))
            changed_file.write_bytes(original)
            run_measured(build, OUT / f"scale-{plans}-rebuild-back")  # the store as the corpus is again
    finally:
        changed_file.write_bytes(original)
    watched = time_watched_changes(build, changed_file, runs)
    upgraded = time_upgrade(build, store_dir(plans), plans)
    return {
        "rebuild_runs": runs,
        **watched,
        "rebuild_all_changed_s": upgraded.seconds,
        "rebuild_all_changed_cpu_s": upgraded.cpu_seconds,
        "rebuild_all_changed_summary": _summary(upgraded.stdout),
        "rebuild_all_changed_peak_tree_pss_mb": upgraded.peak_tree_pss_mb,
        "rebuild_no_change_s": statistics.median(r.seconds for r in unchanged),
        "rebuild_no_change_all_s": [r.seconds for r in unchanged],
        "rebuild_no_change_cpu_s": statistics.median(r.cpu_seconds for r in unchanged),
        "rebuild_no_change_summary": _summary(unchanged[-1].stdout),
        "rebuild_one_change_s": statistics.median(r.seconds for r in one_change),
        "rebuild_one_change_all_s": [r.seconds for r in one_change],
        "rebuild_one_change_cpu_s": statistics.median(r.cpu_seconds for r in one_change),
        "rebuild_one_change_summary": _summary(one_change[-1].stdout),
        "rebuild_peak_tree_pss_mb": max(r.peak_tree_pss_mb for r in unchanged + one_change),
    }


def time_upgrade(build: list[str], store: Path, plans: int) -> Run:
    """One rebuild after every plan graph was made by an older extractor, as after an upgrade.

    Each graph's activity is renamed to another version's, so the build re-reads every
    file, and each new graph differs from the stored one by its provenance, as a newer
    extractor's mostly does (by the one triple here; by seven in a real upgrade).
    """
    with GraphStore(store) as graphs:
        graphs.oxigraph.update(
            f"""DELETE {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy.value}> ?made }} }}
                INSERT {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy.value}> ?older }} }}
                WHERE {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy.value}> ?made }}
                        BIND(IRI(CONCAT(STR(?made), "-older")) AS ?older) }}"""
        )
    return run_measured(build, OUT / f"scale-{plans}-rebuild-all")


def time_watched_changes(build: list[str], changed_file: Path, runs: int) -> dict[str, object]:
    """Seconds from writing a change to one plan until ``build --watch`` says its sync is done.

    The time a user waits: the file-event delay, the watcher's 50 ms of gathering, and
    the sync (scan, extraction, the graph replaced), as the watcher's own line reports.
    """
    original = changed_file.read_bytes()
    process = subprocess.Popen([*build, "--watch"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    waits, syncs = [], []

    def synced() -> float:
        for line in process.stdout:
            if "synced in" in line:
                return float(re.search(r"synced in ([\d.]+) s", line).group(1))
        raise RuntimeError("build --watch ended before it synced")

    try:
        for line in process.stdout:
            if line.startswith("watching "):
                break
        for _ in range(runs):
            start = time.perf_counter()
            changed_file.write_bytes(original + CHANGE.encode("utf-8"))
            syncs.append(synced())
            waits.append(time.perf_counter() - start)
            changed_file.write_bytes(original)
            synced()
    finally:
        changed_file.write_bytes(original)
        process.send_signal(signal.SIGTERM)  # Ctrl-C is ignored by a benchmark run in the background
        process.communicate(timeout=600)
    return {
        "watch_one_change_s": statistics.median(waits),
        "watch_one_change_all_s": waits,
        "watch_one_change_sync_s": statistics.median(syncs),
    }


def rebuilds_only(plans: int, jobs: int, seed: int) -> dict[str, object]:
    """Only the rebuilds, on the store a full run left (the 10k build takes tens of minutes)."""
    folder, _ = corpus(plans, seed)
    store = store_dir(plans)
    if not (store / "CURRENT").is_file():
        sys.exit(f"no store at {store}: run without --rebuilds-only first")
    files = list(plan_files(folder))
    build, _ = build_command(folder, store, jobs)
    return {
        "plans": len(files),
        "load_before": os.getloadavg(),
        "ld_preload": os.environ.get("LD_PRELOAD", ""),
        **time_rebuilds(build, files, plans, REBUILD_RUNS),
    }


def queries_only(plans: int, repeat: int, budget: float) -> dict[str, object]:
    """Only the query timings, on the store a full run left (after a change to the queries)."""
    store = store_dir(plans)
    if not (store / "CURRENT").is_file():
        sys.exit(f"no store at {store}: run without --queries-only first")
    opened, queries = time_queries(store, repeat, budget)
    return {
        "plans": plans,
        "load_before": os.getloadavg(),
        "ld_preload": os.environ.get("LD_PRELOAD", ""),
        "store_open_s": opened,
        "queries": queries,
    }


def query_lines(queries: list[dict]) -> list[str]:
    return [f"  {'query':<34} {'p50':>10}  runs  rows"] + [
        f"  {q['query']:<34} {q['p50_ms']:8.1f}ms  {q['runs']:4}  {q['rows']}" for q in queries
    ]


def report(result: dict) -> str:
    build = result["build"]
    jobs = f"--jobs {result['jobs']}" if result["jobs_option"] else "one process (this ccbc-graph has no --jobs)"
    generated = result["corpus_generated_s"]
    lines = [
        f"{result['plans']} plans, {result['corpus_mb']:.1f} MB "
        f"({f'generated in {generated:.1f} s' if generated is not None else 'cached corpus'}); build with {jobs}; "
        f"{result['machine']['cpus']} CPUs, load {result['machine']['load_before'][0]:.1f} before, "
        f"{result['machine']['load_after'][0]:.1f} after",
        f"  build                    {build['seconds']:8.1f} s   {build['mb_per_s']:.3f} MB/s   "
        f"{build['plans_per_s']:.1f} plans/s   ({build['cpu_seconds']:.0f} s CPU)",
        f"  build exit {build['status']}: {build['summary']}; {build['failed_files']} failed files, "
        f"{build['budget_total_findings']} budget-total findings",
        f"  peak memory              {build['peak_tree_pss_mb']:8.0f} MB PSS, {build['peak_tree_rss_mb']:.0f} MB RSS "
        f"summed over up to {build['most_processes']} processes; largest process {build['max_process_rss_mb']:.0f} MB",
        f"  store on disk            {result['store_mb']:8.1f} MB after the build, "
        f"{result['store_mb_after_rebuilds']:.1f} MB after the rebuilds (opened in {result['store_open_s']:.2f} s)",
        *rebuild_lines(result),
        *query_lines(result["queries"]),
    ]
    return "\n".join(lines)


def rebuild_lines(result: dict) -> list[str]:
    return [
        f"  rebuild, nothing changed {result['rebuild_no_change_s']:8.2f} s median of {result['rebuild_runs']}   "
        f"({result['rebuild_no_change_cpu_s']:.1f} s CPU) {result['rebuild_no_change_summary']}",
        f"  rebuild, one plan changed{result['rebuild_one_change_s']:8.2f} s median of {result['rebuild_runs']}   "
        f"({result['rebuild_one_change_cpu_s']:.1f} s CPU) {result['rebuild_one_change_summary']}",
        f"  same, in build --watch   {result['watch_one_change_s']:8.2f} s median of {result['rebuild_runs']}   "
        f"(change written to sync done; the sync itself {result['watch_one_change_sync_s']:.2f} s)",
        f"  rebuild, all re-read     {result['rebuild_all_changed_s']:8.2f} s once   "
        f"({result['rebuild_all_changed_cpu_s']:.0f} s CPU, "
        f"{result['rebuild_all_changed_peak_tree_pss_mb']:.0f} MB PSS; as after an extractor upgrade) "
        f"{result['rebuild_all_changed_summary']}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, action="append", help="corpus size; repeat for several (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for ccbc-graph build --jobs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each query, after one warm-up")
    parser.add_argument("--query-budget", type=float, default=60.0, help="seconds of timed runs for a slow query")
    parser.add_argument(
        "--rebuilds-only", action="store_true", help="only time the rebuilds, on the store a full run left"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="only time the queries, on the store a full run left"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for plans in args.plans or [1000]:
        if args.rebuilds_only:
            result = rebuilds_only(plans, args.jobs, args.seed)
            (OUT / f"scale-{plans}-rebuilds.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            print(f"{result['plans']} plans", *rebuild_lines(result), sep="\n", flush=True)
            continue
        if args.queries_only:
            result = queries_only(plans, args.repeat, args.query_budget)
            (OUT / f"scale-{plans}-queries.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            print(f"{result['plans']} plans", *query_lines(result["queries"]), sep="\n", flush=True)
            continue
        result = bench(plans, args.jobs, args.seed, args.repeat, args.query_budget)
        (OUT / f"scale-{plans}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(report(result), flush=True)


if __name__ == "__main__":
    main()
