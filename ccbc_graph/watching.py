"""Keep a store in step with a folder while its files change (``ccbc-graph build --watch``).

A rebuild from the command line pays for Python, the CLI and spaCy before it reads a
file: about 1.5 s of the 3.5 s a one-change rebuild takes at 10,000 plans. A resident process pays
that once. File events only wake it up: each sync is an ordinary incremental
:func:`ccbc_graph.build.build` of the whole folder. An event missed, merged with another or
caused by a file that did not really change costs at most one sync, and what the store
holds never depends on the events being complete.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import watchfiles

from ccbc_graph.build import BuildReport, build, is_plan_name, stored_activities
from ccbc_graph.store import GraphStore

# After the first event, changes are gathered until none came for STEP_MS (an editor's
# save is a burst of events), but for at most DEBOUNCE_MS.
STEP_MS = 50
DEBOUNCE_MS = 1_000
# The watcher wakes this often without events: its first wake-up says it is live.
IDLE_WAKE_MS = 500


class FolderGoneError(Exception):
    """The watched folder is no longer there (deleted, moved, unmounted)."""


class StopSignal(Protocol):
    """Anything with ``is_set()``: a ``threading.Event``, for instance."""

    def is_set(self) -> bool: ...


class PlanChanges:
    """Which file events can change what a build makes of ``folder``.

    Files the build reads (:func:`ccbc_graph.build.is_plan_name`), and folders (a folder
    of plans moved in or out gives one event for the folder), hidden ones left out as the
    build leaves them; not anything under the store's directory: a store inside the
    watched folder would otherwise wake the watcher with its own writes.
    """

    def __init__(self, store_path: Path | None) -> None:
        self._store = os.path.realpath(store_path) if store_path is not None else None

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if self._store is not None and (path == self._store or path.startswith(self._store + os.sep)):
            return False
        name = os.path.basename(path)
        if is_plan_name(name):
            return True
        if name.startswith("."):
            return False
        return os.path.isdir(path) or (change == watchfiles.Change.deleted and not os.path.splitext(name)[1])


def watch(
    folder: Path,
    store: GraphStore,
    *,
    on_sync: Callable[[BuildReport, float], None],
    on_ready: Callable[[], None] | None = None,
    jobs: int = 1,
    max_bytes: int | None = None,
    stop: StopSignal | None = None,
) -> None:
    """Sync ``store`` with ``folder`` each time plan files change, until ``stop`` is set
    (or Ctrl-C, which raises ``KeyboardInterrupt``).

    Once the watcher is live ``on_ready()`` is called and the folder is synced once, for
    the changes it could not see (made during a first build, say); then each batch of
    changes gets a sync. ``on_sync(report, seconds)`` is called after each sync with what
    it did and how long it took. If the folder itself goes away, :class:`FolderGoneError`
    is raised before any sync, as a sync of a missing folder would remove every plan from
    the store. Nothing else may write ``store`` while it is watched: what its graphs hold is
    read once and then kept up to date by the syncs.
    """
    changes = watchfiles.watch(
        os.path.realpath(folder),
        watch_filter=PlanChanges(store.path),
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=IDLE_WAKE_MS,
        yield_on_timeout=True,
    )
    activities = stored_activities(store)
    live = False
    for batch in changes:
        if live and not batch:
            continue
        if not live:
            live = True
            if on_ready is not None:
                on_ready()
        if not os.path.isdir(folder):
            raise FolderGoneError(f"{folder}: the watched folder is gone")
        started = time.perf_counter()
        report = build(folder, store, jobs=jobs, max_bytes=max_bytes, activities=activities)
        on_sync(report, time.perf_counter() - started)
