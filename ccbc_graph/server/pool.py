"""A pool of query worker processes, each killed and replaced when a query overruns its time.

pyoxigraph's ``Store.query`` has no timeout and holds its thread until it ends, so a
runaway query can only be stopped by ending the process that runs it. Each request
borrows an idle worker, sends it the job and waits at most ``timeout`` seconds; a worker
that does not answer in time is killed and a fresh one takes its place, while the other
workers go on serving other clients.

Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need the store open for writing, and
a read-only RocksDB opener keeps seeing the data as it was when it opened: :meth:`WorkerPool.write`
takes every worker back and stops it, runs the write in a writer process of its own,
waits for that process to end (the only sure way to close RocksDB: pyoxigraph's ``Store``
has no ``close``), and starts fresh workers that see the new data.

A worker that cannot be started (the machine is out of memory or processes, the store is
unreadable) leaves its slot empty rather than shrinking the pool for good: the next
request that finds no idle worker tries to start one again.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ccbc_graph.server.worker import read_frame, write_frame

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
# How long a writer may take to close the store and exit once its write is answered.
WRITER_EXIT_TIMEOUT = 60.0

Reply = tuple[dict[str, Any], bytes]


class WorkerError(Exception):
    """A job could not be answered by a worker; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Worker:
    """One worker process with its pipes; ``writable`` opens the store for writing."""

    def __init__(self, store_path: Path, prefixes: dict[str, str], *, writable: bool = False) -> None:
        self.writable = writable
        # -I: no user site or environment paths; the worker imports only pyoxigraph.
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._stdin, self._stdout = self.process.stdin, self.process.stdout
        write_frame(self._stdin, {"path": str(store_path), "prefixes": prefixes, "writable": writable})

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker to have opened the store; ``WorkerError`` (and the worker ended) if it did not."""
        reply, _ = self._answer(timeout, "opening of the store")
        if not reply["ok"]:
            self.kill()
            raise WorkerError(reply["status"], reply["message"])

    def run(self, job: dict[str, Any], timeout: float, body: bytes = b"", *, task: str = "query") -> Reply:
        """Send a job and wait for its reply and body (see :meth:`_answer`)."""
        try:
            write_frame(self._stdin, job, body)
        except OSError:
            self.kill()
            raise WorkerError(500, f"the worker had died before the {task}") from None
        return self._answer(timeout, task)

    def _answer(self, timeout: float, task: str) -> Reply:
        """The worker's next reply. One that does not answer in ``timeout`` seconds, or
        dies, is killed: ``WorkerError`` 503 or 500 naming the ``task``."""
        try:
            ready, _, _ = select.select([self._stdout], [], [], timeout)
            if ready:
                return read_frame(self._stdout)
        except (EOFError, OSError):
            self.kill()
            raise WorkerError(500, f"the worker died during the {task}") from None
        self.kill()
        raise WorkerError(503, f"the {task} ran longer than {timeout:g} s and was cancelled")

    def finish(self, timeout: float) -> None:
        """Close the worker's input so it ends on its own (closing its store), killing it after ``timeout`` s."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self._stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
        self.kill()

    def kill(self) -> None:
        """End the process at once (a query in pyoxigraph cannot be interrupted any other way)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self._stdin, self._stdout):
            with contextlib.suppress(OSError):
                stream.close()


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
        # Guards _missing and _writing.
        self._lock = threading.Lock()
        # Slots whose worker was stopped or could not be started; started again on demand.
        self._missing = 0
        # True while a write has every worker stopped: no worker may open the store then.
        self._writing = False
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has the store open; ``WorkerError`` if one cannot."""
        started, error = self._spawn(self.size)
        if error is not None:
            for worker in started:
                worker.kill()
            raise error
        for worker in started:
            self._idle.put(worker)

    def _spawn(self, count: int) -> tuple[list[Worker], WorkerError | None]:
        """Start ``count`` workers at once; those that opened the store, and the first failure."""
        workers = [Worker(self.store_path, self.prefixes) for _ in range(count)]
        ready: list[Worker] = []
        error: WorkerError | None = None
        for worker in workers:
            try:
                worker.wait_ready(self.start_timeout)
            except WorkerError as err:
                error = error or err
            else:
                ready.append(worker)
        return ready, error

    def run(self, job: dict[str, Any], timeout: float, *, wait: float) -> Reply:
        """Run a job on an idle worker (waiting ``wait`` seconds for one); the worker's reply and body.

        A worker that overruns ``timeout`` is killed and replaced: ``WorkerError`` 503.
        """
        worker = self._borrow(wait)
        try:
            reply = worker.run(job, timeout)
        except WorkerError:
            self._release_slots(1)  # the worker was killed; its slot is filled again on demand
            raise
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)
        return reply

    def _borrow(self, wait: float) -> Worker:
        """An idle worker, or one started in an empty slot, waiting up to ``wait`` s for either."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            if self._claim_missing_slot():
                started, error = self._spawn(1)
                if error is not None:
                    self._release_slots(1)
                    raise error
                return started[0]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerError(503, f"every query worker stayed busy for {wait:g} s; try again later")
            try:
                # Wake now and then: a slot may become free to start while we wait.
                return self._idle.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue

    def _claim_missing_slot(self) -> bool:
        with self._lock:
            if self._missing == 0 or self._writing or self._closed:
                return False
            self._missing -= 1
            return True

    def _release_slots(self, count: int) -> None:
        with self._lock:
            self._missing += count

    def write(self, job: dict[str, Any], body: bytes, timeout: float, *, wait: float) -> Reply:
        """Run a write job in a writer process while no query worker has the store open; its reply.

        Waits up to ``wait`` s for running queries to end, and up to ``timeout`` s for the write.
        """
        with self._write_lock:
            self._stop_all_workers(wait)
            try:
                writer = Worker(self.store_path, self.prefixes, writable=True)
                try:
                    writer.wait_ready(self.start_timeout)
                    # A writer killed mid-update writes nothing: Oxigraph commits an update whole.
                    reply = writer.run(job, timeout, body, task="write")
                except BaseException:
                    writer.kill()
                    raise
                writer.finish(WRITER_EXIT_TIMEOUT)
                return reply
            finally:
                self._restart_workers()

    def _stop_all_workers(self, wait: float) -> None:
        """Take back and kill every running worker, waiting up to ``wait`` s for busy ones."""
        with self._lock:
            self._writing = True
        taken: list[Worker] = []
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                running = self.size - self._missing
            if len(taken) >= running:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                for worker in taken:
                    self._idle.put(worker)
                with self._lock:
                    self._writing = False
                raise WorkerError(503, f"queries kept the store busy for {wait:g} s; try the write again")
            try:
                taken.append(self._idle.get(timeout=min(remaining, 0.5)))
            except queue.Empty:
                continue
        for worker in taken:
            worker.kill()
        self._release_slots(len(taken))

    def _restart_workers(self) -> None:
        """Start the stopped workers again; slots that fail stay empty and are retried on demand."""
        with self._lock:
            self._writing = False
            count, self._missing = self._missing, 0
        started, _ = self._spawn(count) if count and not self._closed else ([], None)
        self._release_slots(count - len(started))
        for worker in started:
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
