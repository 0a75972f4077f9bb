"""Reading source files into text, with one clear error per unreadable file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ccbc_graph.textnorm import CleanText, clean

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx")


class ReadError(Exception):
    """A source file that cannot be read; the message says why, for the user."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SourceDocument:
    """A source file's text, its cleaned form for extraction, and its fingerprint."""

    path: Path
    sha256: str
    clean: CleanText

    @property
    def original(self) -> str:
        return self.clean.original


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) or a clear :class:`ReadError`."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if _looks_binary(data):
        raise ReadError(path, "binary content, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(path, f"not valid UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: Path) -> SourceDocument:
    """Read one plan file; raises :class:`ReadError` with the reason when it cannot."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        # docx_reader builds on this module, hence the import here.
        from ccbc_graph.docx_reader import read_docx

        return read_docx(path).source()
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(path, f"unsupported file type {path.suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from None
    text = decode_text(path, data)
    return SourceDocument(path, hashlib.sha256(data).hexdigest(), clean(text))
