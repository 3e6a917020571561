"""The rebuild matrix: which products of the default grid re-run after an edit, computed from fingerprints.

Run: ``.venv/bin/python benchmarks/rebuild_matrix.py``. Nothing is executed or rendered and nothing in the
repository is written: the inputs (data/raw, params, notebooks) and the package tree are copied into a
private temporary root, ingested there once (and once more after the form edit), then each edit is made on
the copies and every product's fingerprint is compared with the one before the edit.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from cchc_lib import config
from cchc_lib.build import fingerprints, runner
from cchc_lib.ingest.pipeline import ingest
from cchc_lib.reporting.dataset import Dataset

REPO = Path(__file__).resolve().parent.parent
KINDS = ("ingest", "notebook runs", "HTML", "PDF", "index")
FORM = ("2026-Q3", "xa-mau-01")  # the commune whose form is edited in (c)


def private_root(base: Path) -> tuple[Path, Path]:
    """A project root with copies of data/raw, params and notebooks, and a copy of the package tree."""
    root = base / "root"
    for rel in ("data/raw", "params", "notebooks"):
        shutil.copytree(REPO / rel, root / rel, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    package = base / "package" / config.PACKAGE_DIR.name
    shutil.copytree(config.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    return root, package


def products(src: fingerprints.Sources, processed: Path, grid: list[tuple[str, str]]) -> dict[str, dict[str, str]]:
    """Every product of a full build of ``grid`` (PDFs on) and its fingerprint, by kind."""
    tasks = runner.tasks_for(grid, runner.NOTEBOOKS, Dataset.load(processed), src, pdf=True)
    manifest = {"tasks": {t.key: {"status": "ok", "html": f"{t.key}.html", "pdf": f"{t.key}.pdf" * bool(t.pdf_fingerprint)}
                          for t in tasks}}
    return {"ingest": {"data/processed": fingerprints.ingest(src)},
            "notebook runs": {t.key: t.fingerprint for t in tasks},
            "HTML": {t.key: t.html_fingerprint for t in tasks},
            "PDF": {t.key: t.pdf_fingerprint for t in tasks if t.pdf_fingerprint},
            "index": {"index.html": fingerprints.index(src, manifest, processed)}}


def append(path: Path, text: str) -> Callable[[], None]:
    """Append ``text`` to a file; return what undoes it."""
    before = path.read_bytes()
    path.write_bytes(before + text.encode("utf-8"))
    return lambda: path.write_bytes(before)


def replace(path: Path, old: str, new: str) -> Callable[[], None]:
    """Replace ``old`` (which must be there) by ``new`` in a file; return what undoes it."""
    before = path.read_bytes()
    text = before.decode("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    return lambda: path.write_bytes(before)


def edit_form(path: Path) -> Callable[[], None]:
    """Raise one count in a form (TC_VB_BANHANH, laws issued, by one); return what undoes it."""
    before = path.read_bytes()
    wb = load_workbook(path)
    ws = wb["TheChe"]
    row = next(r for r in ws.iter_rows(min_row=1) if r[1].value == "TC_VB_BANHANH")
    row[4].value = int(row[4].value) + 1
    wb.save(path)
    return lambda: path.write_bytes(before)


def changed(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """By kind, the products whose fingerprint differs."""
    return {kind: sorted(k for k, fp in before[kind].items() if after[kind].get(k) != fp) for kind in KINDS}


def main() -> int:
    """Print the matrix for the default grid."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cchc-rebuild-matrix-") as tmp:
        root, package = private_root(Path(tmp))
        src = fingerprints.Sources.at(root, package)
        processed = root / "data" / "processed"
        ingest(src.raw_dir, processed)
        ds = Dataset.load(processed)
        grid = runner.default_grid(ds, src.params_dir)
        base = products(src, processed, grid)
        raw_form = src.raw_dir / "forms" / FORM[0] / f"{FORM[1]}.xlsx"
        edits = [
            ("(a) chart helper (reporting/charts.py)", lambda: append(package / "reporting" / "charts.py", "\n# edit\n")),
            ("(b) index template (templates/build/)", lambda: append(package / "templates/build/index.html.j2", "\n")),
            (f"(c) one unit's form ({FORM[1]} {FORM[0]})", lambda: edit_form(raw_form)),
            ("(d) params/targets.yaml (one threshold)",
             lambda: replace(src.targets, "TTHC_TYLE_DUNGHAN:\n  threshold: 95", "TTHC_TYLE_DUNGHAN:\n  threshold: 90")),
            ("(e) stylesheet (templates/cchc.css)", lambda: append(package / "templates" / "cchc.css", "\n/* edit */\n")),
        ]
        totals = {kind: len(base[kind]) for kind in KINDS}
        print(f"Default grid: {len(grid)} unit-periods; products: "
              + ", ".join(f"{kind} {n}" for kind, n in totals.items()))
        print(f"{'edit':<44}" + "".join(f"{kind:>15}" for kind in KINDS))
        details = {}
        for label, make in edits:
            undo = make()
            try:
                after_processed = processed
                if label.startswith("(c)"):
                    after_processed = Path(tmp) / "processed-c"
                    ingest(src.raw_dir, after_processed)
                diff = changed(base, products(fingerprints.Sources.at(root, package), after_processed, grid))
            finally:
                undo()
            details[label] = diff
            print(f"{label:<44}" + "".join(f"{f'{len(diff[k])}/{totals[k]}':>15}" for k in KINDS))
        units = sorted({k.rsplit('/', 1)[0] for k in details[edits[2][0]]["notebook runs"]})
        print(f"(c) unit-periods re-run: {', '.join(units)}")
    print(f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
