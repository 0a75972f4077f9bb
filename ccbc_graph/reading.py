"""Reading source files into text, with one clear error per unreadable file.

Plain text (.txt) and Markdown (.md) in any encoding :mod:`ccbc_graph.decoding` detects,
Word (.docx, and .doc of Word 97-2003), OpenDocument text (.odt), PDF with a text layer
(.pdf), HTML (.html, .htm) and web archives (.mht, .mhtml). Every reader gives the text it
read (its *original*: decoded, or rendered from the document's structure) and the cleaned
text the extractors read, with offsets back to the original.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ccbc_graph.decoding import NotText, decode_bytes
from ccbc_graph.extract.tables import TaskTable
from ccbc_graph.textnorm import CleanText, clean

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
HTML_SUFFIXES = (".html", ".htm")
WEB_ARCHIVE_SUFFIXES = (".mht", ".mhtml")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *WEB_ARCHIVE_SUFFIXES, ".docx", ".doc", ".odt", ".pdf")
# Document formats plans come in that the readers do not read, and what to do with one: a
# folder of plans holds them too, and a build that passed over them in silence would
# lose those plans without a word. A build reports each as failed, with this advice.
UNREAD_FORMATS = {
    ".rtf": "a Rich Text document (.rtf), which is not read: save it as .docx",
    # Portals hand out a plan and its annexes as one download.
    **{
        suffix: f"an archive ({suffix}), which is not read: unpack the plans it holds into the folder"
        for suffix in (".zip", ".rar", ".7z")
    },
}

# Files larger than this are refused before they are read (a plan is a few hundred KB;
# a scanned annex can reach tens of MB). Readers take ``max_bytes`` to change it.
MAX_BYTES = 50 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class ReadError(Exception):
    """A source file that cannot be read; the message says why, for the user."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SourceDocument:
    """A source file's text, its cleaned form for extraction, and its fingerprint.

    ``encoding`` says how the text was read: the character encoding of a text or HTML
    file ("utf-8", "utf-16-le", "windows-1258", "tcvn3", "vni-windows" …), or the format
    whose parser decodes the text itself ("docx", "pdf"). ``task_tables``: the task
    tables as the file's own structure gives them (a Word table knows its merged cells,
    which its text leaves empty), if it has any; else they are read from the text.
    """

    path: Path
    sha256: str
    clean: CleanText
    encoding: str = "utf-8"
    task_tables: tuple[TaskTable, ...] = ()

    @classmethod
    def of(cls, path: Path, data: bytes, text: str, encoding: str, *, markdown: bool = False) -> SourceDocument:
        """The document whose file holds ``data`` and reads as ``text``; ``markdown`` text
        has its pipe and HTML tables read as tables and the lines of a paragraph joined
        (see :func:`ccbc_graph.textnorm.clean`)."""
        return cls(path, hashlib.sha256(data).hexdigest(), clean(text, markdown=markdown), encoding)

    @property
    def original(self) -> str:
        return self.clean.original


def read_file_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (default :data:`MAX_BYTES`).

    The size is checked on the file's status before reading, and again on what is read,
    so that neither a huge file nor one growing meanwhile is loaded whole; a directory, a
    pipe or a device (which could block forever) is refused without opening it.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        info = path.stat()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(path, "cannot read: it is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
        raise ReadError(path, f"cannot read: it is {kind}, not a regular file")
    if info.st_size > limit:
        raise ReadError(path, f"too large: {info.st_size:,} bytes, over the limit of {limit:,} bytes")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > limit:
        raise ReadError(path, f"too large: over the limit of {limit:,} bytes")
    return data


def check_package(path: Path, data: bytes, max_bytes: int | None, kind: str) -> None:
    """Refuse what is no sound ZIP package of a ``kind`` document (".docx", ".odt"): an
    empty file, one with no ZIP directory (truncated, or of another format), or one whose
    parts declare more than ``max_bytes`` (default :data:`MAX_BYTES`): a few kilobytes of
    ZIP can unpack to gigabytes, and Python's zipfile never inflates a part beyond its
    declared size, so the declared sizes bound the work."""
    if not data:
        raise ReadError(path, "empty file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        article = "an" if kind[1] in "aeiou" else "a"
        raise ReadError(path, f"not {article} {kind}: no ZIP package (the file is truncated, or of another format)")
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(part.file_size for part in package.infolist())
    except (zipfile.BadZipFile, ValueError) as err:
        raise ReadError(path, f"damaged {kind}: {err}") from None
    except NotImplementedError as err:  # a ZIP feature Python's zipfile lacks (e.g. version 6.4)
        raise ReadError(path, f"damaged or unsupported {kind} package: {err}") from None
    if unpacked > limit:
        raise ReadError(
            path, f"too large unpacked: its parts hold {unpacked:,} bytes, over the limit of {limit:,} bytes"
        )


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a plain-text file (newlines as ``\\n``) and its encoding, or a
    :class:`ReadError` naming the file and why it is no text."""
    try:
        decoded = decode_bytes(data)
    except NotText as err:
        raise ReadError(path, str(err)) from None
    return decoded.text.replace("\r\n", "\n").replace("\r", "\n"), decoded.encoding


# What a ".doc" holds: an old Word document, or, as portals serve Word files under the old
# name, a web page, a single-file web archive, a .docx or an .odt.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003
_ZIP = b"PK\x03\x04"
# An OpenDocument package opens with its "mimetype" part, stored: its name at byte 30.
_ODF_TEXT = re.compile(rb"PK\x03\x04.{26}mimetypeapplication/vnd\.oasis\.opendocument\.text", re.DOTALL)
# A MIME message's header lines, "MIME-Version:" among them: a web archive.
_MIME_HEADERS = re.compile(rb"(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?MIME-Version:", re.IGNORECASE)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE | re.DOTALL)


def _doc_format(path: Path, data: bytes) -> str:
    """The suffix of the format a ".doc" file's bytes are in: ".doc" (Word 97-2003),
    ".docx", ".odt", ".html" or ".mht", which are read; else a :class:`ReadError` saying what it is."""
    if not data.strip():
        raise ReadError(path, "empty file")
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith(_OLE):
        return ".doc"
    if _ODF_TEXT.match(head):
        return ".odt"
    if head.startswith(_ZIP):
        return ".docx"
    if _HTML_START.match(head):
        return ".html"
    if _MIME_HEADERS.match(head):
        return ".mht"
    if head.lstrip().startswith(b"{\\rtf"):
        raise ReadError(path, UNREAD_FORMATS[".rtf"].replace("(.rtf)", "(.rtf, named .doc)"))
    raise ReadError(path, "not a Word document: neither Word 97-2003 nor .docx, nor a web page")


def read_source(path: Path, *, max_bytes: int | None = None) -> SourceDocument:
    """Read one plan file; raises :class:`ReadError` with the reason when it cannot.

    ``max_bytes`` (default :data:`MAX_BYTES`) refuses larger files before reading them.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(path, UNREAD_FORMATS.get(suffix, f"unsupported file type {path.suffix or '(none)'}"))
    data = read_file_bytes(path, max_bytes)
    if suffix == ".doc":
        suffix = _doc_format(path, data)
    # The format readers build on this module, hence their imports here.
    if suffix == ".docx":
        from ccbc_graph.docx_reader import docx_from_bytes

        return docx_from_bytes(path, data, max_bytes).source()
    if suffix == ".doc":
        from ccbc_graph.doc_reader import doc_source

        return doc_source(path, data)
    if suffix == ".odt":
        from ccbc_graph.odt_reader import odt_source

        return odt_source(path, data, max_bytes)
    if suffix == ".pdf":
        from ccbc_graph.pdf_reader import pdf_source

        return pdf_source(path, data)
    if suffix in WEB_ARCHIVE_SUFFIXES:
        from ccbc_graph.html_reader import mhtml_source

        return mhtml_source(path, data)
    if suffix in HTML_SUFFIXES:
        from ccbc_graph.html_reader import html_source

        return html_source(path, data)
    text, encoding = decode_text(path, data)
    return SourceDocument.of(path, data, text, encoding, markdown=suffix in MARKDOWN_SUFFIXES)
