"""Files that cannot be read: each gives a ReadError naming the file and saying why, the
walk of a folder survives links that loop, and a build reports the bad files and builds
the good plans around them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from demo_corpus import PLANS
from docx import Document
from plan_formats import docx_document, encrypted_pdf, html_page, scanned_pdf, seed_text

from ccbc_graph import reading
from ccbc_graph.build import build, named_plan_files
from ccbc_graph.docx_reader import read_docx
from ccbc_graph.queries import run_query
from ccbc_graph.reading import ReadError, read_source
from ccbc_graph.store import GraphStore

KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
NOBODY = 65534


def _truncated_docx(fraction: float) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        data = docx_document(seed_text(KIEN_GIANG))
        path.write_bytes(data[: int(len(data) * fraction)])

    return write


def _sparse(size: int) -> Callable[[Path], None]:
    """A file of ``size`` bytes that takes no room on disk."""

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return write


def _link_loop(path: Path) -> None:
    other = path.with_name("other-" + path.name)
    path.symlink_to(other.name)
    other.symlink_to(path.name)


def _unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    # file name -> (how to make it, what the reason says)
    "empty.txt": (lambda p: p.write_bytes(b""), "^empty file$"),
    "blank.md": (lambda p: p.write_bytes(b" \n\r\n\t"), "^empty file$"),
    "empty.docx": (lambda p: p.write_bytes(b""), "^empty file$"),
    "empty.pdf": (lambda p: p.write_bytes(b""), "^empty file$"),
    "empty.html": (lambda p: p.write_bytes(b"\n"), "^empty file$"),
    "empty.mht": (lambda p: p.write_bytes(b""), "^empty file$"),
    "pictures.docx": (lambda p: Document().save(p), r"^no text: the Word document holds none \(pictures"),
    "no-page.mht": (lambda p: p.write_bytes(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nx\n"), "^no web page"),
    "markup-only.html": (lambda p: p.write_text("<html><script>var a = 1;</script></html>"), "^no text"),
    "binary.txt": (lambda p: p.write_bytes(bytes(range(256)) * 4), "^binary content, not text$"),
    "image.html": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)), "^binary content"),
    "truncated-half.docx": (_truncated_docx(0.5), "no ZIP package .*truncated"),
    "truncated-end.docx": (_truncated_docx(0.98), "no ZIP package .*truncated"),
    "old-word.docx": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), "no ZIP package"),
    "encrypted.pdf": (lambda p: p.write_bytes(encrypted_pdf(user_password="secret")), "^encrypted PDF"),
    "scanned.pdf": (lambda p: p.write_bytes(scanned_pdf()), r"^no text layer \(scanned\?\)"),
    "not-a.pdf": (lambda p: p.write_text("Kế hoạch số 12/KH-UBND"), "^not a PDF"),
    "huge.txt": (_sparse(reading.MAX_BYTES + 1), f"^too large: {reading.MAX_BYTES + 1:,} bytes, over the limit"),
    "latin1.txt": (lambda p: p.write_bytes("Größe und Übung".encode("latin-1")), "^not valid UTF-8 .*nor Vietnamese"),
    "folder.txt": (lambda p: p.mkdir(), "^cannot read: it is a directory"),
    "pipe.txt": (lambda p: os.mkfifo(p), "^cannot read: it is a named pipe"),
    "socket.md": (_unix_socket, "^cannot read: it is a socket"),
    "loop.txt": (_link_loop, "^cannot read: Too many levels of symbolic links"),
    "broken.txt": (lambda p: p.symlink_to("missing.txt"), "^cannot read: No such file or directory"),
    # Plans in formats the readers do not read: reported with what to do, never passed over.
    # (A damaged old Word document and OpenDocument text too.)
    "plan.doc": (
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
        r"^damaged or unsupported \.doc \(.*\): save it as \.docx$",
    ),
    "empty.doc": (lambda p: p.write_bytes(b""), "^empty file$"),
    "text.doc": (lambda p: p.write_text("Kế hoạch"), "^not a Word document"),
    "plan.rtf": (lambda p: p.write_text("{\\rtf1 K\\u7871? ho\\u7841?ch}"), r"^a Rich Text .*save it as \.docx$"),
    "plans.zip": (lambda p: p.write_bytes(b"PK\x05\x06" + bytes(18)), r"^an archive \(\.zip\), .*unpack the plans"),
    "plans.rar": (lambda p: p.write_bytes(b"Rar!\x1a\x07\x00"), r"^an archive \(\.rar\), .*unpack the plans"),
    "plan.odt": (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(64)), r"^not an \.odt: no ZIP package"),
    "rich.doc": (
        lambda p: p.write_text("{\\rtf1 K\\u7871? ho\\u7841?ch}"),
        r"^a Rich Text document \(\.rtf, named \.doc\)",
    ),
    "plan.xyz": (lambda p: p.write_text("Kế hoạch"), r"^unsupported file type \.xyz$"),
}


def _read_in_thread(path: Path) -> ReadError | None:
    """read_source in a thread, so that a reader blocking on a pipe fails the test instead
    of hanging it."""
    caught: list[ReadError] = []

    def read() -> None:
        try:
            read_source(path)
        except ReadError as err:
            caught.append(err)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), f"reading {path.name} blocked"
    return caught[0] if caught else None


@pytest.mark.parametrize("name", BAD)
def test_bad_file_gives_a_read_error_with_name_and_reason(tmp_path: Path, name: str) -> None:
    make, reason = BAD[name]
    path = tmp_path / name
    make(path)
    error = _read_in_thread(path)
    assert error is not None, f"{name} was read"
    assert error.path == path and str(error).startswith(f"{path}: ")
    assert re.search(reason, error.reason), error.reason


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(PLANS / KIEN_GIANG, path)
    size = path.stat().st_size
    with pytest.raises(ReadError, match=f"too large: {size:,} bytes, over the limit of 1,000 bytes"):
        read_source(path, max_bytes=1000)
    assert read_source(path, max_bytes=size).original
    docx = tmp_path / "plan.docx"
    docx.write_bytes(docx_document(seed_text(KIEN_GIANG)))
    with pytest.raises(ReadError, match="too large"):
        read_docx(docx, max_bytes=1000)


def test_a_docx_that_unpacks_past_the_limit_is_refused_unread(tmp_path: Path) -> None:
    """A ZIP bomb: 200 kB of package whose document part inflates to 200 MB."""
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with package.open("word/document.xml", "w") as part:
            for _ in range(200):
                part.write(b" " * 1_000_000)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ReadError, match=r"too large unpacked: its parts hold 200,000,\d{3} bytes, over the limit of"):
        read_source(bomb)
    # The same limit as for files: raised, the package is read (and found no Word document).
    with pytest.raises(ReadError) as unpacked:
        read_source(bomb, max_bytes=300_000_000)
    assert "too large" not in unpacked.value.reason


def test_a_docx_whose_zip_needs_a_newer_version_of_zip_is_refused_with_its_reason(tmp_path: Path) -> None:
    """A package whose central directory asks for ZIP version 6.4 (Python's zipfile reads up to 6.3)."""
    data = bytearray(docx_document(seed_text(KIEN_GIANG)))
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 64  # "version needed to extract" of the first entry
    docx = tmp_path / "new-zip.docx"
    docx.write_bytes(bytes(data))
    with pytest.raises(ReadError, match=re.escape("damaged or unsupported .docx package: zip file version 6.4")):
        read_source(docx)


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode; test_unreadable_file_as_nobody covers root")
    path = tmp_path / "locked.txt"
    path.write_text("Kế hoạch")
    path.chmod(0)
    with pytest.raises(ReadError, match=r"locked\.txt: cannot read: Permission denied$"):
        read_source(path)


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A folder any user can enter (pytest's own are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="ccbc-bad-files-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_unreadable_file_as_nobody(world_readable_dir: Path) -> None:
    """As root, read a file of mode 000 in a child process that has become user nobody: the
    permission check root skips is then real."""
    if os.geteuid() != 0:
        pytest.skip("only root can become nobody; test_unreadable_file covers other users")
    path = world_readable_dir / "locked.txt"
    path.write_text("Kế hoạch")
    path.chmod(0)
    readable = world_readable_dir / "open.txt"
    readable.write_text("Kế hoạch")
    assert _read_as_nobody(locked=path, readable=readable) == "cannot read: Permission denied|read"


def _read_as_nobody(*, locked: Path, readable: Path) -> str:
    """read_source of both files in a forked child running as nobody: its reasons, or "read"."""
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(receive)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            answers = []
            for path in (locked, readable):
                try:
                    read_source(path)
                    answers.append("read")
                except ReadError as err:
                    answers.append(err.reason)
            os.write(send, "|".join(answers).encode())
        finally:
            os._exit(0)
    os.close(send)
    with os.fdopen(receive, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    return answer


# ---------------------------------------------------------------------------- folders


def _folder_with_links(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "b.md").write_text("Kế hoạch")
    (folder / "a.txt").write_text("Kế hoạch")
    (folder / "sub" / "up").symlink_to("..")  # a loop
    (folder / "sub" / "self").symlink_to(".")  # a loop
    (folder / "alias").symlink_to("sub")  # a second way in
    (folder / "broken.txt").symlink_to("missing.txt")
    _link_loop(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "c.txt").write_text("Kế hoạch")
    (folder / "README.md").write_text("about")
    (folder / "named.txt").mkdir()
    (folder / "named.txt" / "d.txt").write_text("Kế hoạch")


def test_plan_files_survive_link_loops(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    _folder_with_links(folder)
    outside = tmp_path / "linked-corpus"
    (outside / "deeper").mkdir(parents=True)
    (outside / "e.txt").write_text("Kế hoạch")
    (outside / "deeper" / "back").symlink_to("..")  # a loop outside the folder
    (folder / "linked").symlink_to(outside)
    names = [name for name, _ in named_plan_files(folder)]
    assert names == [
        "a.txt",
        "broken.txt",
        "linked/e.txt",
        "loop.txt",
        "named.txt/d.txt",
        "other-loop.txt",
        "sub/b.md",
    ]


def test_build_reports_bad_files_and_builds_the_good_plans(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    shutil.copytree(PLANS, folder)
    (folder / "html").mkdir()
    (folder / "html" / "kien-giang.html").write_text(html_page(seed_text(KIEN_GIANG)), encoding="utf-8")
    # Not walked: a folder, a pipe, a socket, a file of no document format.
    bad = {name: BAD[name] for name in BAD if name not in ("plan.xyz", "folder.txt", "pipe.txt", "socket.md")}
    (folder / "bad").mkdir()
    for name, (make, _) in bad.items():
        make(folder / "bad" / name)
    os.mkfifo(folder / "bad" / "pipe.txt")  # skipped: reading a pipe could block the build
    (folder / "bad" / "up").symlink_to("..")  # a folder loop: skipped
    store = GraphStore(tmp_path / "db")
    report = build(folder, store)
    expected = {f"bad/{name}": reason for name, (_, reason) in bad.items()}
    expected["bad/other-loop.txt"] = BAD["loop.txt"][1]
    assert sorted(report.failed) == sorted(expected)
    for name, reason in expected.items():
        assert re.search(reason, report.failed[name]), (name, report.failed[name])
    plans = sorted(p.name for p in PLANS.glob("*.txt"))
    assert sorted(report.added) == sorted(["html/kien-giang.html", *plans])
    variables, rows = run_query(store, "plans-citing", {"document": "225/QĐ-TTg"})
    column = variables.index("province")
    assert {row[column].value for row in rows} == {"Kiên Giang", "Hà Tĩnh", "Hải Dương"}
    store.close()
