"""Measure seed fidelity: how many figures of each published seed its rebuilt report shows, with their meaning.

Reads the fidelity tables (default ../shared/fidelity/seed*.md; each names its unit and period in its
"Rebuilt:" line) and the built reports (default outputs/), and prints per seed: figures stated, shown by
the rebuilt report, and the rows the table marks R or C that the matcher does not find (and M rows it finds).

    .venv/bin/python scripts/fidelity.py [--tables DIR] [--outputs DIR] [--rows]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc_lib.build.fidelity import measure  # noqa: E402
from cchc_lib.domain.catalog import load_catalog  # noqa: E402


def unit_and_period(table: Path) -> tuple[str, str]:
    """The unit and period a table was measured on, from its "Rebuilt:" line."""
    text = table.read_text("utf-8")
    unit, period = re.search(r"--unit ([\w-]+)", text), re.search(r"--period (\S+?)[`\s]", text)
    if not unit or not period:
        raise SystemExit(f"{table}: no 'cchc build --unit U --period P' line")
    return unit.group(1), period.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=Path, default=ROOT.parent / "shared" / "fidelity")
    parser.add_argument("--outputs", type=Path, default=ROOT / "outputs")
    parser.add_argument("--rows", action="store_true", help="print every row with the text that shows it")
    args = parser.parse_args()
    labels = {code: ind.label for code, ind in load_catalog().indicators.items()}
    print(f"{'seed':<8} {'unit, period':<28} {'stated':>6} {'shown':>6} {'share':>7}  table R/C not found, M found")
    for table in sorted(args.tables.glob("seed*.md")):
        unit, period = unit_and_period(table)
        rows = measure(table, args.outputs / period / unit, labels)
        shown = sum(bool(text) for _, text in rows)
        lost = [r.number for r, text in rows if r.status in ("R", "C") and not text]
        gained = [r.number for r, text in rows if r.status not in ("R", "C") and text]
        print(f"{table.stem:<8} {unit + ', ' + period:<28} {len(rows):>6} {shown:>6} {shown / len(rows):>7.1%}  "
              f"{lost} {gained}")
        if args.rows:
            for row, text in rows:
                print(f"   {row.number:>3} {row.status} {row.value:<12} {'✓' if text else '✗'} {text[:110]}")


if __name__ == "__main__":
    main()
