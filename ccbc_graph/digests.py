"""SHA-256 digests of source files, remembered by size and modification time.

A rebuild must tell changed files from unchanged ones, and hashing every file of a
10,000-plan folder reads all of it (130 MB, seconds when it is not in the page cache).
Like git's index, a file whose size, modification time (in nanoseconds) and inode are
those recorded when it was last hashed is taken to have the same digest. A file hashed
within :data:`SETTLE_NS` of its last modification is not recorded ("racily clean": it
could change again within the same clock tick), so it is hashed again next time.

The record is a JSON file inside the store's directory (RocksDB leaves files it does not
own alone), so it moves with the store. It only saves work: a lost, stale or corrupt
record means files are hashed again, never that a change is missed, as the digests are
still compared with the ones the store's graphs carry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

FILE_NAME = "ccbc-file-digests.json"
FORMAT = 1
# A file modified less than this before it was hashed is hashed again next time.
SETTLE_NS = 2_000_000_000


class FileDigests:
    """Digests of files, from the record where a file is unchanged since it was hashed."""

    def __init__(self, record: Path | None) -> None:
        """``record``: the JSON file to read and later write; ``None`` remembers nothing."""
        self.record = record
        self._known = _load(record) if record is not None else {}
        self._seen: dict[str, list[int | str]] = {}

    def sha256(self, path: str | os.PathLike[str]) -> str | None:
        """The file's SHA-256 (hex), or ``None`` when it cannot be read (the reader says why)."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        key = os.path.abspath(path)
        stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
        entry = self._known.get(key)
        if entry is not None and entry[:3] == stamp:
            self._seen[key] = entry
            return str(entry[3])
        try:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        if time.time_ns() - info.st_mtime_ns > SETTLE_NS:
            self._seen[key] = [*stamp, digest]
        return digest

    def save(self) -> None:
        """Write the record of the files looked at since this object was made, atomically."""
        if self.record is None or not self.record.parent.is_dir():
            return
        data = json.dumps({"format": FORMAT, "files": self._seen}, ensure_ascii=False, separators=(",", ":"))
        handle, temporary = tempfile.mkstemp(dir=self.record.parent, prefix=".digests-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(data)
            os.replace(temporary, self.record)
        except OSError:
            Path(temporary).unlink(missing_ok=True)  # a record not written only costs a rehash


def _load(record: Path) -> dict[str, list[int | str]]:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(files, dict):
        return {}
    return {key: entry for key, entry in files.items() if isinstance(entry, list) and len(entry) == 4}
