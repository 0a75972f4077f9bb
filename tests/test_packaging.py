"""The wheel carries what the package reads at run time: an installed ccbc-graph (not an
editable checkout) finds its lexicon, reference data, encodings and shipped queries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from demo_corpus import PLANS

ROOT = Path(__file__).resolve().parent.parent

# Run by the installed copy, far from the checkout: where it found its files, and what it reads.
PROBE = """
import json, sys
from pathlib import Path
import ccbc_graph
from ccbc_graph.extract import extract_plan
from ccbc_graph.queries import QUERIES_DIR, list_queries
from ccbc_graph.reading import read_source
from ccbc_graph.reference import DATA_DIR
plan = extract_plan(read_source(Path(sys.argv[1])))
print(json.dumps({
    "package": ccbc_graph.__file__,
    "data": str(DATA_DIR),
    "queries_dir": str(QUERIES_DIR),
    "queries": len(list_queries()),
    "citations": len(plan.citations),
    "bodies": len(plan.agencies),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("ccbc_graph-*.whl")
    return built


def test_the_wheel_holds_the_run_time_files_and_not_the_demo_corpus(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("data/lexicon", "data/reference", "data/encodings", "queries"):
        expected = {f"ccbc_graph/shipped/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).rglob("*.*")}
        assert expected and expected <= names, folder
    assert not any(name.startswith("ccbc_graph/shipped/data/plans") for name in names)


def test_an_installed_wheel_reads_and_queries_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    plan = next(PLANS.glob("*.txt"))
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(plan)], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    found = json.loads(probe.stdout)
    assert Path(found["package"]).is_relative_to(target)
    assert Path(found["data"]).is_relative_to(target) and Path(found["queries_dir"]).is_relative_to(target)
    assert found["queries"] == len(list((ROOT / "queries").glob("*.rq")))
    assert found["citations"] > 0 and found["bodies"] > 0
