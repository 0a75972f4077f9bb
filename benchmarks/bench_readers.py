"""What reading a plan costs in each format users bring, beside extracting its facts.

The scale corpus (generate_corpus.py) is Markdown and text, the cheapest formats to read;
real folders hold Word files and PDFs. This writes the five demo plans in each format
(the test suite's writers, tests/plan_formats.py; .doc and .odt as LibreOffice wrote them,
tests/fixtures/libreoffice), then times ``read_source`` on each file and
``extract_plan`` on what it read, in one process: the median of ``--repeat`` runs per file.

    python benchmarks/bench_readers.py --repeat 5

Needs the test extra (fpdf2 writes the PDFs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from plan_formats import docx_document, html_page, pdf_document, printed_pdf, seed_text  # noqa: E402

from ccbc_graph.extract import extract_plan  # noqa: E402
from ccbc_graph.reading import read_source  # noqa: E402

PLANS = sorted(path.name for path in (ROOT / "data" / "plans").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures" / "libreoffice"

# Each format: how to write a demo plan (its name, its text) in it.
WRITERS: dict[str, Callable[[str], bytes]] = {
    ".txt": lambda text: text.encode("utf-8"),
    ".html": lambda text: html_page(text).encode("utf-8"),
    ".docx": docx_document,
    ".pdf": pdf_document,
    "printed .pdf": printed_pdf,
}


def files(folder: Path) -> dict[str, list[Path]]:
    """The demo plans written in each format, and LibreOffice's .doc and .odt files."""
    written: dict[str, list[Path]] = {}
    for kind, write in WRITERS.items():
        suffix = kind.split()[-1]
        paths = []
        for name in PLANS:
            path = folder / f"{Path(name).stem}-{kind.replace(' ', '-').lstrip('.')}{suffix}"
            path.write_bytes(write(seed_text(name)))
            paths.append(path)
        written[kind] = paths
    for suffix in (".doc", ".odt"):
        written[suffix] = sorted(FIXTURES.glob(f"*{suffix}"))
    return written


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    extract_plan(read_source(ROOT / "data" / "plans" / PLANS[0]))  # load spaCy and the lexicons first
    print(f"{'format':<14} {'files':>5} {'KB/file':>8} {'read ms/file':>13} {'read MB/s':>10} {'extract ms/file':>16}")
    with tempfile.TemporaryDirectory() as scratch:
        for kind, paths in files(Path(scratch)).items():
            size = sum(path.stat().st_size for path in paths)
            read = sum(median_seconds(lambda p=path: read_source(p), args.repeat) for path in paths)
            sources = [read_source(path) for path in paths]
            extract = sum(median_seconds(lambda s=source: extract_plan(s), args.repeat) for source in sources)
            count = len(paths)
            print(
                f"{kind:<14} {count:>5} {size / count / 1024:>8.1f} {read / count * 1000:>13.1f}"
                f" {size / read / 1e6:>10.2f} {extract / count * 1000:>16.1f}"
            )


if __name__ == "__main__":
    main()
