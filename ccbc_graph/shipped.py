"""Where the files the package reads at run time live (``data/``, ``queries/``).

In a source checkout (and an editable install) they are the repository's top-level
folders, beside the package; a wheel carries them inside the package, under
``ccbc_graph/shipped/`` (see ``[tool.hatch.build.targets.wheel.force-include]`` in
pyproject.toml), since a wheel installs nothing outside its packages.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder ``name`` (``"data"``, ``"queries"``) as this installation has it."""
    inside = _PACKAGE / "shipped" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name
