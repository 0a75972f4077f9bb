"""Write N plans made from the five seed plans, varied so that each is a different plan.

Each copy moves the seed to another province (every name of the seed's province replaced)
and renumbers its local documents (…/KH-UBND, …/QĐ-UBND, …/NQ-HĐND), so the copies cite
different local documents and the same national ones, as real plans of many provinces do.

    python benchmarks/replicate_seeds.py 1000 benchmarks/out/corpus-1000
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_SYMBOL = re.compile(r"(?<![\d/])(\d{1,5})(\s?/\s?(?:(?:19|20)\d\d/)?[A-ZĐ]{1,4}-(?:UBND|HĐND))")


def seeds() -> list[tuple[str, str]]:
    """(province, text) of each demo plan, from the corpus manifest."""
    folder = ROOT / "data" / "plans"
    with open(folder / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(row["province"], (folder / row["file"]).read_text(encoding="utf-8")) for row in rows]


def provinces() -> list[str]:
    with open(ROOT / "data" / "reference" / "provinces.csv", encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def vary(text: str, old_province: str, new_province: str, index: int) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace(old_province, new_province).replace(old_province.upper(), new_province.upper())
    return LOCAL_SYMBOL.sub(lambda m: f"{int(m.group(1)) + index}{m.group(2)}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    plans, names = seeds(), provinces()
    for i in range(args.count):
        province, text = plans[i % len(plans)]
        target = names[(i // len(plans)) % len(names)]
        (args.folder / f"plan-{i:05d}.txt").write_text(vary(text, province, target, i), encoding="utf-8")
    print(f"wrote {args.count} plans to {args.folder}")


if __name__ == "__main__":
    main()
