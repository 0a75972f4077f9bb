"""A pool of query worker processes, each killed and replaced when a query overruns its time.

pyoxigraph's ``Store.query`` has no timeout and holds its thread until it ends, so a
runaway query can only be stopped by ending the process that runs it. Each request
borrows an idle worker, sends it the job and waits at most ``timeout`` seconds; a worker
that does not answer in time is killed and a fresh one takes its place, while the other
workers go on serving other clients.

Writes (SPARQL Update, Graph Store PUT/DELETE) need the store open for writing, which
RocksDB does not allow next to read-only openers: :meth:`WorkerPool.exclusive` takes
every worker back, stops them, lets the caller write, and starts fresh workers that see
the new data.
"""

from __future__ import annotations

import os
import queue
import select
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ccbc_graph.server.worker import read_frame, write_frame

WORKER_SCRIPT = Path(__file__).with_name("worker.py")


class WorkerError(Exception):
    """A job could not be answered by a worker; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Worker:
    """One worker process with its pipes."""

    def __init__(self, store_path: Path, prefixes: dict[str, str]) -> None:
        # -I: no user site or environment paths; the worker imports only pyoxigraph.
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._stdin, self._stdout = self.process.stdin, self.process.stdout
        write_frame(self._stdin, {"path": str(store_path), "prefixes": prefixes})

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker to have opened the store; raise if it could not."""
        reply, _ = self._receive(timeout)
        if not reply["ok"]:
            self.kill()
            raise WorkerError(reply["status"], reply["message"])

    def run(self, job: dict[str, Any], timeout: float) -> tuple[dict[str, Any], bytes]:
        """Send a job and wait for its reply and body; ``TimeoutError`` if none comes in ``timeout`` seconds."""
        try:
            write_frame(self._stdin, job)
        except OSError as err:
            raise EOFError(f"the worker has gone: {err}") from err
        return self._receive(timeout)

    def _receive(self, timeout: float) -> tuple[dict[str, Any], bytes]:
        ready, _, _ = select.select([self._stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        return read_frame(self._stdout)

    def kill(self) -> None:
        """End the process at once (a query in pyoxigraph cannot be interrupted any other way)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._stdin.close()
        self._stdout.close()


class WorkerPool:
    """``size`` workers over the store at ``store_path``, opened read-only."""

    def __init__(self, store_path: Path, size: int, prefixes: dict[str, str], *, start_timeout: float = 60.0) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_path = store_path
        self.size = size
        self.prefixes = prefixes
        self.start_timeout = start_timeout
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._write_lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has the store open."""
        for worker in self._spawn(self.size):
            self._idle.put(worker)

    def _spawn(self, count: int) -> list[Worker]:
        workers = [Worker(self.store_path, self.prefixes) for _ in range(count)]
        try:
            for worker in workers:
                worker.wait_ready(self.start_timeout)
        except BaseException:
            for worker in workers:
                worker.kill()
            raise
        return workers

    def run(self, job: dict[str, Any], timeout: float, *, wait: float) -> tuple[dict[str, Any], bytes]:
        """Run a job on an idle worker (waiting ``wait`` seconds for one); the worker's reply and body.

        A worker that overruns ``timeout`` is killed and replaced: ``WorkerError`` 503.
        """
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise WorkerError(503, f"every query worker stayed busy for {wait:g} s; try again later") from None
        try:
            reply = worker.run(job, timeout)
        except TimeoutError:
            self._replace(worker)
            raise WorkerError(503, f"the query ran longer than {timeout:g} s and was cancelled") from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerError(500, "the query worker died while running the query") from None
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)
        return reply

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        if not self._closed:
            self._idle.put(self._spawn(1)[0])

    @contextmanager
    def exclusive(self, wait: float) -> Iterator[None]:
        """Stop every worker (waiting up to ``wait`` s for running queries), run the block, restart them."""
        with self._write_lock:
            taken: list[Worker] = []
            try:
                for _ in range(self.size):
                    taken.append(self._idle.get(timeout=wait))
            except queue.Empty:
                for worker in taken:
                    self._idle.put(worker)
                raise WorkerError(503, f"queries kept the store busy for {wait:g} s; try the write again") from None
            for worker in taken:
                worker.kill()
            try:
                yield
            finally:
                for worker in self._spawn(self.size):
                    self._idle.put(worker)

    def close(self) -> None:
        """Stop the idle workers (a busy one is stopped when its request returns it)."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


def default_pool_size() -> int:
    """Workers to start by default: twice the CPUs this process may use, at most 16.

    Queries are CPU-bound, but with one worker per CPU two long queries hold every worker
    of a two-CPU machine and short ones queue behind them: measured, a 1 ms query took up
    to 4 s behind two 3 s queries with 2 workers, and 9 ms (p50) with 4, the kernel sharing
    the CPUs between the workers. A worker costs about 50 MB.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(2, min(16, 2 * cpus))
