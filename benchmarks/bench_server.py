"""``ccbc-graph serve`` against ``oxigraph serve-read-only`` under 1, 8 and 32 concurrent clients.

Same data (a corpus replicated from the seeds, built once, exported as N-Quads and
loaded with ``oxigraph load``), same query texts (every shipped query, its required
parameters bound to SAMPLE_PARAMS, the optional ones left unbound), both servers on
127.0.0.1 in the same run. Both read the very same database directory, read-only: a
store as ``build`` leaves it is laid out differently on disk (larger, not compacted),
which would time the storage rather than the servers. For each query and number of clients, the clients send the
query over and over on keep-alive connections (``http.client``) for ``--duration``
seconds; requests/s, p50 and p99 latency are reported for each server with the ratio
ccbc / oxigraph, as medians over ``--rounds`` rounds (the two servers alternate inside
each round, so a noisy neighbour hits both). The clients run in their own processes, up
to one per CPU, and their CPU time is reported: it shows whether they could have been
the bottleneck. The raw numbers go to ``benchmarks/out/server-PLANS.json``.

    python benchmarks/bench_server.py --plans 200 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from ccbc_graph.build import build
from ccbc_graph.queries import bind, list_queries
from ccbc_graph.store import GraphStore

HERE = Path(__file__).resolve().parent
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
CCBC = Path(sys.executable).with_name("ccbc-graph")
# Values for the parameters a query requires (as bench_queries.py binds them).
SAMPLE_PARAMS = {"document": "30c/NQ-CP", "body": "Sở Nội vụ", "province": "Hải Phòng"}
ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class Server:
    """A running endpoint: its name, the path its queries go to, and its process."""

    name: str
    port: int
    path: str
    process: subprocess.Popen[bytes]


@dataclass(frozen=True)
class Measurement:
    """One load run: a query on one server with ``clients`` clients."""

    server: str
    query: str
    clients: int
    round: int
    requests: int
    errors: int
    closed: int  # connections the server closed (keep-alive should leave this at 0)
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    client_cpu: float  # CPU seconds of the client processes per wall second (cores)
    server_cpu: float  # the same for the server and its worker processes


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(plans: int, workdir: Path) -> tuple[Path, int]:
    """A database of ``plans`` plans loaded by ``oxigraph load`` from a built store's export; its quads."""
    store_dir, database, corpus = workdir / "store", workdir / "database", workdir / "corpus"
    subprocess.run([sys.executable, str(HERE / "replicate_seeds.py"), str(plans), str(corpus)], check=True)
    with GraphStore(store_dir) as store:
        build(corpus, store)
        quads = store.quad_count()
        dump = workdir / "all.nq"
        store.export("nquads", dump)
    subprocess.run([str(OXIGRAPH), "load", "--location", str(database), "--file", str(dump)], check=True)
    dump.unlink()
    return database, quads


@contextmanager
def running(name: str, command: list[str], port: int, path: str) -> Iterator[Server]:
    """Start a server, wait until it answers ``ASK {}``, stop it after."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{path}?" + urlencode({"query": "ASK {}"})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{name} did not start: {' '.join(command)}") from None
                time.sleep(0.2)
        yield Server(name, port, path, process)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _client_thread(port: int, target: str, start: float, stop: float, out: list[tuple[float, bool, bool]]) -> None:
    """One client: the same request again and again on one keep-alive connection until ``stop``.

    Records each request's seconds, whether it was answered 200, and whether the server
    closed the connection after it (http.client would then quietly open a new one).
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    time.sleep(max(0.0, start - time.time()))
    while time.time() < stop:
        began = time.perf_counter()
        connection.request("GET", target, headers={"Accept": ACCEPT})
        response = connection.getresponse()
        response.read()
        out.append((time.perf_counter() - began, response.status == 200, response.will_close))
    connection.close()


def _client_process(port: int, target: str, threads: int, start: float, stop: float, conn: object) -> None:
    """``threads`` clients in this process; sends back their latencies, end time and CPU seconds."""
    results: list[tuple[float, bool, bool]] = []
    workers = [
        threading.Thread(target=_client_thread, args=(port, target, start, stop, results)) for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, start - time.time()))
    cpu_start = _own_cpu()
    for worker in workers:
        worker.join()
    conn.send((results, time.time(), _own_cpu() - cpu_start))  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (from /proc)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(server: Server, query: str, text: str, clients: int, duration: float, round_: int) -> Measurement:
    """``clients`` clients on ``server`` for ``duration`` seconds, spread over up to one process per CPU."""
    target = f"{server.path}?" + urlencode({"query": text})
    processes = min(clients, os.cpu_count() or 1)
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    context = multiprocessing.get_context("fork")
    start = time.time() + 0.5
    stop = start + duration
    pipes, children = [], []
    for share in shares:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_client_process, args=(server.port, target, share, start, stop, sender))
        child.start()
        sender.close()
        pipes.append(receiver)
        children.append(child)
    time.sleep(max(0.0, start - time.time()))
    server_cpu_start = _tree_cpu(server.process.pid)
    latencies, errors, closed, ended, client_cpu = [], 0, 0, start, 0.0
    for receiver in pipes:
        results, end, cpu = receiver.recv()
        latencies.extend(seconds for seconds, ok, _ in results if ok)
        errors += sum(1 for _, ok, _ in results if not ok)
        closed += sum(1 for _, _, will_close in results if will_close)
        ended, client_cpu = max(ended, end), client_cpu + cpu
    server_cpu = _tree_cpu(server.process.pid) - server_cpu_start
    for child in children:
        child.join()
    elapsed = ended - start
    latencies.sort()
    return Measurement(
        server=server.name,
        query=query,
        clients=clients,
        round=round_,
        requests=len(latencies),
        errors=errors,
        closed=closed,
        seconds=elapsed,
        rps=len(latencies) / elapsed,
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        client_cpu=client_cpu / elapsed,
        server_cpu=server_cpu / elapsed,
    )


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (NaN when there are none)."""
    if not values:
        return math.nan
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def rows(server: Server, text: str) -> int:
    """How many rows the server answers (checked to be the same on both servers before timing)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    try:
        connection.request("GET", f"{server.path}?" + urlencode({"query": text}), headers={"Accept": ACCEPT})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{server.name} answered {response.status}: {body[:300]!r}")
        return len(json.loads(body)["results"]["bindings"])
    finally:
        connection.close()


def summarise(measurements: list[Measurement]) -> list[dict[str, object]]:
    """Per query and client count: the median over rounds of each figure, and the ccbc/oxigraph ratios."""
    groups: dict[tuple[str, int], dict[str, list[Measurement]]] = {}
    for m in measurements:
        groups.setdefault((m.query, m.clients), {}).setdefault(m.server, []).append(m)
    summary = []
    for (query, clients), by_server in groups.items():
        row: dict[str, object] = {"query": query, "clients": clients}
        for name, runs in by_server.items():
            for key in ("rps", "p50_ms", "p99_ms", "client_cpu", "server_cpu"):
                row[f"{name}_{key}"] = statistics.median(getattr(r, key) for r in runs)
            row[f"{name}_errors"] = sum(r.errors for r in runs)
            row[f"{name}_closed"] = sum(r.closed for r in runs)
        # Ratios per round (same moment on the machine for both servers), then their median.
        # CPU per request is the figure a busy machine disturbs least: it does not depend on
        # the share of the CPUs each server wins against other processes.
        pairs = zip(by_server["ccbc"], by_server["oxigraph"], strict=True)
        ratios = [(c.rps / o.rps, c.p50_ms / o.p50_ms, c.p99_ms / o.p99_ms, _cpu_ms(c) / _cpu_ms(o)) for c, o in pairs]
        for i, key in enumerate(("rps_ratio", "p50_ratio", "p99_ratio", "cpu_ratio")):
            row[key] = statistics.median(r[i] for r in ratios)
        for name, runs in by_server.items():
            row[f"{name}_cpu_ms"] = statistics.median(_cpu_ms(r) for r in runs)
        summary.append(row)
    return summary


def _cpu_ms(m: Measurement) -> float:
    """Server CPU milliseconds per answered request."""
    return m.server_cpu * m.seconds * 1000 / max(m.requests, 1)


def print_table(summary: list[dict[str, object]], client_counts: list[int]) -> None:
    print(
        f"{'query':<28} {'N':>3} {'ccbc req/s':>10} {'oxi req/s':>10} {'ratio':>6}"
        f" {'ccbc p50/p99 ms':>17} {'oxi p50/p99 ms':>17} {'p50 x':>6} {'cpu/req x':>9} {'cli cpu':>7}"
    )
    for row in summary:
        print(
            f"{row['query']:<28} {row['clients']:>3} {row['ccbc_rps']:>10.1f} {row['oxigraph_rps']:>10.1f}"
            f" {row['rps_ratio']:>6.2f} {row['ccbc_p50_ms']:>8.1f}/{row['ccbc_p99_ms']:<8.1f}"
            f" {row['oxigraph_p50_ms']:>8.1f}/{row['oxigraph_p99_ms']:<8.1f} {row['p50_ratio']:>6.2f}"
            f" {row['cpu_ratio']:>9.2f} {max(row['ccbc_client_cpu'], row['oxigraph_client_cpu']):>7.2f}"
        )
    for clients in client_counts:
        ratios = [float(r["rps_ratio"]) for r in summary if r["clients"] == clients]
        geomean = math.exp(statistics.fmean(math.log(r) for r in ratios))
        print(
            f"{clients:>2} clients: throughput ratio ccbc/oxigraph geometric mean {geomean:.2f}, "
            f"median {statistics.median(ratios):.2f}, min {min(ratios):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load per measurement")
    parser.add_argument("--workers", type=int, help="ccbc-graph serve --workers (default: its own default)")
    parser.add_argument("--only", nargs="*", help="names of the queries to time (default: all shipped)")
    parser.add_argument("--output", type=Path, help="JSON file (default benchmarks/out/server-PLANS.json)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database, quads = prepare(args.plans, Path(tmp))
        queries = [q for q in list_queries() if not args.only or q.name in args.only]
        texts = {q.name: bind(q, {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.required}) for q in queries}
        ccbc_port, oxigraph_port = free_port(), free_port()
        # The ccbc timeout also bounds the wait for a free worker: 32 clients queue behind slow queries.
        ccbc_command = [str(CCBC), "serve", "--store", str(database), "--port", str(ccbc_port), "--quiet"]
        ccbc_command += ["--timeout", "600", "--max-rows", "10000000"]
        ccbc_command += ["--workers", str(args.workers)] if args.workers else []
        oxigraph_command = [str(OXIGRAPH), "serve-read-only", "--location", str(database)]
        oxigraph_command += ["--bind", f"127.0.0.1:{oxigraph_port}", "--union-default-graph"]
        with (
            running("ccbc", ccbc_command, ccbc_port, "/sparql") as ccbc,
            running("oxigraph", oxigraph_command, oxigraph_port, "/query") as oxigraph,
        ):
            print(f"{args.plans} plans, {quads} quads; {os.cpu_count()} CPUs; {args.duration:g} s per measurement")
            counts = {}
            for name, text in texts.items():
                counts[name] = rows(ccbc, text)
                if rows(oxigraph, text) != counts[name]:
                    raise RuntimeError(f"{name}: the two servers give different numbers of rows")
            measurements: list[Measurement] = []
            for round_ in range(args.rounds):
                for name, text in texts.items():
                    for clients in args.clients:
                        order = (ccbc, oxigraph) if round_ % 2 == 0 else (oxigraph, ccbc)
                        for server in order:
                            m = measure(server, name, text, clients, args.duration, round_)
                            measurements.append(m)
                            print(
                                f"  round {round_ + 1} {name} {clients} {server.name}: {m.rps:.1f} req/s "
                                f"p50 {m.p50_ms:.1f} ms p99 {m.p99_ms:.1f} ms, {m.errors} errors, "
                                f"{m.closed} connections closed",
                                flush=True,
                            )
        summary = summarise(measurements)
        print_table(summary, args.clients)
        output = args.output or HERE / "out" / f"server-{args.plans}.json"
        output.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "plans": args.plans,
            "quads": quads,
            "cpus": os.cpu_count(),
            "duration": args.duration,
            "rounds": args.rounds,
            "rows": counts,
            "commands": {"ccbc": ccbc_command, "oxigraph": oxigraph_command},
            "summary": summary,
            "measurements": [asdict(m) for m in measurements],
        }
        output.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
