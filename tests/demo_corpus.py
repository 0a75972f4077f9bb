"""The demo corpus and its answer key, as the tests read them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ccbc_graph.evaluation import locate_source

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
GOLD = ROOT / "tests" / "gold"


@cache
def gold_by_plan() -> dict[str, dict]:
    """Gold annotations by demo file name (the manifest names each file's source)."""
    found = {}
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = locate_source(gold["file"], [PLANS])
        assert source is not None, f"no demo plan for {gold['file']}"
        found[source.name] = gold
    return found
