"""Watch mode: the store follows a folder as plans are added, edited, broken and removed.

Real file-system events on a real folder, a real store; the command-line test runs
``ccbc-graph build --watch`` as a user does and stops it with Ctrl-C (SIGINT) or SIGTERM.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchfiles

from ccbc_graph.build import BuildReport, build
from ccbc_graph.store import GraphStore
from ccbc_graph.uris import graph_uri
from ccbc_graph.watching import FolderGoneError, PlanChanges, watch

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
HA_NAM = "ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt"
HA_TINH = "ha-tinh-2020-tuyen-truyen-cchc.txt"
# Long enough for a sync on a loaded machine; the tests wait on events, not on this.
PATIENCE_S = 60
CITATION = "\nCăn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;\n"


class Watcher:
    """``watch`` in a thread, its syncs handed over one by one."""

    def __init__(self, folder: Path, store: GraphStore) -> None:
        self.syncs: queue.Queue[BuildReport] = queue.Queue()
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(folder, store), daemon=True)
        self._thread.start()

    def _run(self, folder: Path, store: GraphStore) -> None:
        try:
            on_sync = lambda report, _seconds: self.syncs.put(report)  # noqa: E731
            watch(folder, store, on_sync=on_sync, on_ready=self.ready.set, stop=self.stop)
        except BaseException as error:  # handed to the test, which re-raises it
            self.error = error
            self.syncs.put(BuildReport())

    def next_sync(self) -> BuildReport:
        report = self.syncs.get(timeout=PATIENCE_S)
        if self.error is not None:
            raise self.error
        return report

    def until(self, done: Callable[[BuildReport], bool]) -> BuildReport:
        """Syncs until one satisfies ``done`` (a change can arrive as more than one batch)."""
        while not done(report := self.next_sync()):
            pass
        return report

    def close(self) -> None:
        self.stop.set()
        self._thread.join(PATIENCE_S)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in (KIEN_GIANG, HA_NAM):
        shutil.copy(PLANS / name, plans / name)
    return plans


@pytest.fixture
def watched(folder: Path, tmp_path: Path) -> Iterator[tuple[GraphStore, Watcher]]:
    store = GraphStore(tmp_path / "store")
    assert build(folder, store).ok
    watcher = Watcher(folder, store)
    assert watcher.ready.wait(PATIENCE_S)
    catch_up = watcher.next_sync()  # the sync after the watcher went live: nothing to do
    assert not (catch_up.added or catch_up.changed or catch_up.removed or catch_up.failed)
    yield store, watcher
    watcher.close()
    store.close()


def test_added_changed_and_removed_plans_reach_the_store(folder: Path, watched: tuple[GraphStore, Watcher]) -> None:
    store, watcher = watched
    quads_before = store.quad_count(graph_uri(KIEN_GIANG))

    shutil.copy(PLANS / HA_TINH, folder / HA_TINH)
    report = watcher.until(lambda r: r.added)
    assert report.added == [HA_TINH]
    assert store.quad_count(graph_uri(HA_TINH)) > 0

    with (folder / KIEN_GIANG).open("a", encoding="utf-8") as plan:
        plan.write(CITATION)
    report = watcher.until(lambda r: r.changed)
    assert report.changed == [KIEN_GIANG]
    assert store.quad_count(graph_uri(KIEN_GIANG)) > quads_before

    (folder / HA_NAM).unlink()
    report = watcher.until(lambda r: r.removed)
    assert report.removed == [graph_uri(HA_NAM)]
    assert store.quad_count(graph_uri(HA_NAM)) == 0
    assert sorted(report.unchanged) == [HA_TINH, KIEN_GIANG]


def test_a_bad_file_is_reported_and_the_rest_is_kept(folder: Path, watched: tuple[GraphStore, Watcher]) -> None:
    store, watcher = watched
    quads = store.quad_count(graph_uri(HA_NAM))
    (folder / HA_NAM).write_bytes(b"\x00\x01\x02 not a plan")
    report = watcher.until(lambda r: r.failed)
    assert HA_NAM in report.failed
    # The plan's graph is the last good one until the file is mended.
    assert store.quad_count(graph_uri(HA_NAM)) == quads
    shutil.copy(PLANS / HA_NAM, folder / HA_NAM)
    report = watcher.until(lambda r: not r.failed)
    assert report.ok and store.quad_count(graph_uri(HA_NAM)) == quads


def test_a_folder_that_goes_away_stops_the_watch_and_keeps_the_store(
    folder: Path, watched: tuple[GraphStore, Watcher]
) -> None:
    store, watcher = watched
    shutil.rmtree(folder)
    with pytest.raises(FolderGoneError):
        watcher.until(lambda r: False)
    assert store.quad_count(graph_uri(KIEN_GIANG)) > 0
    assert store.quad_count(graph_uri(HA_NAM)) > 0


@pytest.mark.parametrize(
    ("relative", "change", "wakes"),
    [
        ("plans/a.txt", watchfiles.Change.modified, True),
        ("plans/a.DOCX", watchfiles.Change.added, True),
        ("plans/old", watchfiles.Change.deleted, True),  # a folder of plans moved away
        ("plans/.a.txt.swp", watchfiles.Change.modified, False),
        ("plans/notes.log", watchfiles.Change.added, False),
        ("plans/store/000012.log", watchfiles.Change.added, False),
        ("plans/store/CURRENT", watchfiles.Change.deleted, False),
        ("plans/store/a.txt", watchfiles.Change.added, False),
    ],
)
def test_events_that_wake_the_watcher(tmp_path: Path, relative: str, change: watchfiles.Change, wakes: bool) -> None:
    (tmp_path / "plans" / "store").mkdir(parents=True)
    plan_changes = PlanChanges(tmp_path / "plans" / "store")
    assert plan_changes(change, os.path.join(os.path.realpath(tmp_path), relative)) is wakes


def test_a_folder_of_plans_wakes_the_watcher(tmp_path: Path) -> None:
    (tmp_path / "moved-in").mkdir()
    assert PlanChanges(None)(watchfiles.Change.added, str(tmp_path / "moved-in"))


def _line_with(stream: Iterator[str], text: str) -> str:
    for line in stream:
        if text in line:
            return line
    raise AssertionError(f"the command ended without printing {text!r}")


def _interruptible() -> None:
    """In the child: Ctrl-C's default, which a test run in the background may have ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_build_watch_from_the_command_line(folder: Path, tmp_path: Path, stop_signal: signal.Signals) -> None:
    store_path = tmp_path / "store"
    command = [sys.executable, "-m", "ccbc_graph.cli", "build", str(folder), "--store", str(store_path), "--watch"]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        preexec_fn=_interruptible,
    )
    try:
        assert "2 added" in _line_with(child.stdout, "built ")
        _line_with(child.stdout, "watching ")
        shutil.copy(PLANS / HA_TINH, folder / HA_TINH)
        synced = _line_with(child.stdout, "synced in")
        assert "1 added" in synced and HA_TINH in synced
        (folder / "broken.txt").write_bytes(b"\xff\xfe\x00\x00\x01")
        failure = _line_with(child.stderr, "failed:")
        assert "broken.txt" in failure
    finally:
        child.send_signal(stop_signal)
        stdout, _ = child.communicate(timeout=PATIENCE_S)
    assert "stopped watching" in stdout
    assert child.returncode == 1  # the last sync had a file it could not read
    store = GraphStore(store_path)
    try:
        assert all(store.quad_count(graph_uri(name)) > 0 for name in (KIEN_GIANG, HA_NAM, HA_TINH))
    finally:
        store.close()
