"""From one source text to the typed facts of :mod:`ccbc_graph.model`.

``extract_plan`` (in :mod:`ccbc_graph.extract.plan`) runs every extractor; it is loaded on
first use so that importing a light module of this package (symbols, dates) stays light.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name == "extract_plan":
        return importlib.import_module("ccbc_graph.extract.plan").extract_plan
    raise AttributeError(f"module 'ccbc_graph.extract' has no attribute {name!r}")


__all__ = ["extract_plan"]
