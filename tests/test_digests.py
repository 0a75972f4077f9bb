"""The record of file digests that spares a rebuild from hashing untouched files."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from ccbc_graph import digests
from ccbc_graph.build import build
from ccbc_graph.digests import FileDigests
from ccbc_graph.store import GraphStore

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
HOUR_AGO = time.time() - 3600


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed (read in full) from now on."""
    names: list[str] = []
    real = hashlib.file_digest

    def counting(handle, algorithm):
        names.append(Path(handle.name).name)
        return real(handle, algorithm)

    monkeypatch.setattr(digests.hashlib, "file_digest", counting)
    return names


def _settled(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (HOUR_AGO, HOUR_AGO))
    return path


def test_an_untouched_file_is_not_read_again(tmp_path: Path, hashed: list[str]) -> None:
    plan = _settled(tmp_path / "a.txt", "Căn cứ Nghị quyết số 30c/NQ-CP")
    record = tmp_path / "record.json"
    first = FileDigests(record)
    expected = hashlib.sha256(plan.read_bytes()).hexdigest()
    assert first.sha256(plan) == expected
    first.save()
    assert FileDigests(record).sha256(plan) == expected
    assert hashed == ["a.txt"]


def test_a_touched_file_is_hashed_again_and_its_new_digest_given(tmp_path: Path, hashed: list[str]) -> None:
    plan = _settled(tmp_path / "a.txt", "Căn cứ Nghị quyết số 30c/NQ-CP")
    record = tmp_path / "record.json"
    first = FileDigests(record)
    first.sha256(plan)
    first.save()
    _settled(plan, "Căn cứ Nghị quyết số 30c/NQ-CP.")  # one byte more, an hour-old time again
    assert FileDigests(record).sha256(plan) == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert hashed == ["a.txt", "a.txt"]


def test_a_file_hashed_just_after_it_was_written_is_not_trusted_to_the_record(
    tmp_path: Path, hashed: list[str]
) -> None:
    plan = tmp_path / "a.txt"
    plan.write_text("Căn cứ Nghị quyết số 30c/NQ-CP", encoding="utf-8")  # modified now
    record = tmp_path / "record.json"
    first = FileDigests(record)
    first.sha256(plan)
    first.save()
    FileDigests(record).sha256(plan)
    assert hashed == ["a.txt", "a.txt"]


@pytest.mark.parametrize("content", ["", "{not json", '{"format": 99, "files": {}}', '{"format": 1, "files": [1]}'])
def test_a_corrupt_or_foreign_record_only_costs_a_rehash(tmp_path: Path, content: str) -> None:
    plan = _settled(tmp_path / "a.txt", "Căn cứ Nghị quyết số 30c/NQ-CP")
    record = tmp_path / "record.json"
    record.write_text(content, encoding="utf-8")
    assert FileDigests(record).sha256(plan) == hashlib.sha256(plan.read_bytes()).hexdigest()


def test_an_unreadable_file_has_no_digest(tmp_path: Path) -> None:
    assert FileDigests(tmp_path / "record.json").sha256(tmp_path / "missing.txt") is None


def test_a_rebuild_hashes_only_the_file_that_changed(tmp_path: Path, hashed: list[str]) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for plan in sorted(PLANS.glob("*.txt")):
        shutil.copy(plan, folder / plan.name)
        os.utime(folder / plan.name, (HOUR_AGO, HOUR_AGO))
    with GraphStore(tmp_path / "store") as store:
        build(folder, store)
    assert (tmp_path / "store" / digests.FILE_NAME).is_file()
    changed = sorted(folder.glob("*.txt"))[2]
    with changed.open("a", encoding="utf-8") as out:
        out.write("\nThực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.\n")
    hashed.clear()
    with GraphStore(tmp_path / "store") as store:
        report = build(folder, store)
    assert report.changed == [changed.name]
    assert len(report.unchanged) == 4
    assert hashed == [changed.name]
