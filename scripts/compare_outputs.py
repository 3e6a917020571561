"""Build the default grid from two commits and compare every output.

    python scripts/compare_outputs.py BEFORE AFTER [--keep DIR]

Each commit is checked out into a temporary git worktree and built there with ``cchc build``
(its own notebooks, params and shipped data; this venv's packages; ``CCHC_CODE_VERSION`` pinned
so both print the same provenance line). Then, file by file:

- HTML: byte-identical once every ``<style>…</style>`` block is blanked (the stylesheet may change);
- PDF: the same text (``pdftotext -layout``) and the same pages (``pdftoppm``, pixel-identical);
- processed tables (Parquet): equal frames; the validation report HTML as for HTML;
- executed notebooks: the same cell outputs (their sources hold the worktree's paths and imports);
- other files (PNG, JSON data): byte-identical, except the build manifest (it holds fingerprints).

Prints one line per difference and a summary; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = "cchc (phiên bản cố định để so sánh)"
STYLE = re.compile(rb"<style[^>]*>.*?</style>", re.S)
SKIP = {"outputs/manifest.json", "data/processed/build_state.json"}


def worktree(commit: str, base: Path) -> Path:
    """Check ``commit`` out into ``base/<commit>`` (detached)."""
    path = base / commit.replace("/", "_")
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(path), commit], cwd=ROOT, check=True,
                   capture_output=True)
    return path


def entry_point(tree: Path) -> str:
    """The ``module:function`` of the ``cchc`` command at that commit."""
    with open(tree / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["scripts"]["cchc"]


def build(tree: Path) -> None:
    """Run ``cchc build`` inside the worktree, importing that worktree's library."""
    module, func = entry_point(tree).split(":")
    env = {**os.environ, "CCHC_ROOT": str(tree), "PYTHONPATH": str(tree), "CCHC_CODE_VERSION": PIN}
    code = f"import sys; from {module} import {func}; sys.argv = ['cchc', 'build']; {func}()"
    subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, check=True)


def products(tree: Path) -> dict[str, Path]:
    """Every file under outputs/ and data/processed/, by path relative to the tree."""
    found = {}
    for top in ("outputs", "data/processed"):
        for path in sorted((tree / top).rglob("*")):
            rel = path.relative_to(tree).as_posix()
            if path.is_file() and path.name != ".gitkeep" and rel not in SKIP:
                found[rel] = path
    return found


def _run(*cmd: str) -> bytes:
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def pdf_pages(path: Path, out: Path) -> list[str]:
    """SHA-256 of each page rendered at 60 dpi."""
    out.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-r", "60", "-png", str(path), str(out / "p"))
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("p*.png"))]


def notebook_outputs(path: Path) -> list:
    """The outputs of every cell of an executed notebook, without execution counts."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [[{k: v for k, v in out.items() if k != "execution_count"} for out in c.get("outputs", [])]
            for c in cells]


def differs(rel: str, a: Path, b: Path, scratch: Path) -> str:
    """Why the two files differ, or an empty string when they count as the same."""
    if rel.endswith(".html"):
        return "" if STYLE.sub(b"", a.read_bytes()) == STYLE.sub(b"", b.read_bytes()) else "HTML differs"
    if rel.endswith(".pdf"):
        if _run("pdftotext", "-layout", str(a), "-") != _run("pdftotext", "-layout", str(b), "-"):
            return "PDF text differs"
        pa, pb = pdf_pages(a, scratch / "a"), pdf_pages(b, scratch / "b")
        shutil.rmtree(scratch, ignore_errors=True)
        if len(pa) != len(pb):
            return f"PDF pages {len(pa)} vs {len(pb)}"
        bad = [str(i + 1) for i, (x, y) in enumerate(zip(pa, pb, strict=True)) if x != y]
        return f"PDF pages differ: {', '.join(bad)}" if bad else ""
    if rel.endswith(".ipynb"):
        return "" if notebook_outputs(a) == notebook_outputs(b) else "notebook outputs differ"
    if rel.endswith(".parquet"):
        import pandas as pd

        return "" if pd.read_parquet(a).equals(pd.read_parquet(b)) else "table differs"
    return "" if a.read_bytes() == b.read_bytes() else "bytes differ"


def compare(before: Path, after: Path, scratch: Path) -> int:
    """Print each difference; return how many."""
    pa, pb = products(before), products(after)
    problems = [f"only in before: {r}" for r in sorted(pa.keys() - pb.keys())]
    problems += [f"only in after: {r}" for r in sorted(pb.keys() - pa.keys())]
    common = sorted(pa.keys() & pb.keys())
    kinds: dict[str, int] = {}
    for rel in common:
        kinds[Path(rel).suffix or rel] = kinds.get(Path(rel).suffix or rel, 0) + 1
        why = differs(rel, pa[rel], pb[rel], scratch)
        if why:
            problems.append(f"{why}: {rel}")
    for line in problems:
        print(line)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"compared {len(common)} files ({counts}); {len(problems)} differences")
    return len(problems)


def main() -> int:
    """Build both commits and compare."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--keep", type=Path, help="build here and keep the worktrees (default: a temporary folder)")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cchc-compare-"))
    base.mkdir(parents=True, exist_ok=True)
    trees = []
    try:
        for commit in (args.before, args.after):
            tree = base / commit.replace("/", "_")
            if not (tree / "outputs" / "index.html").exists():
                tree = worktree(commit, base)
                build(tree)
            trees.append(tree)
        return 1 if compare(trees[0], trees[1], base / "scratch") else 0
    finally:
        if not args.keep:
            for tree in trees:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
