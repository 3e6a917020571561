"""What each product of a build depends on: one fingerprint function per product, from cchc_lib.digest."""

from __future__ import annotations

import functools
import json
import os
import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat

from cchc_lib import config, digest

# What `cchc ingest` / `cchc build` run: the pipeline module (its closure holds forms, dossiers, the domain).
INGEST_CODE = ("cchc_lib.ingest.pipeline",)
# What code_version() (cchc_lib.reporting) digests into the provenance line every notebook prints ("mã thư viện"):
# the master report's facade and everything it imports. Every notebook's output holds that digest, so every
# notebook run depends on this code too (tests/test_fingerprints.py keeps the two equal).
PROVENANCE_CODE = ("cchc_lib.reporting.official",)
RENDER_CODE = ("cchc_lib.reporting.render",)  # nbconvert (HTML) and WeasyPrint (PDF)
INDEX_CODE = ("cchc_lib.build.index",)
# Third-party tools the runner drives around the kernel's own imports: they shape the executed notebook.
RUNNER_TOOLS = ("papermill", "nbformat", "nbclient", "ipykernel")
INDEX_FIELDS = ("status", "html", "pdf")  # what the index shows of a manifest entry
PROCESSED_TABLES = ("units", "indicators", "dossier_stats", "issues")  # what the index reads of data/processed


@dataclass(frozen=True)
class Sources:
    """Where a build's inputs are: the package tree and the project folders (defaults: :mod:`cchc_lib.config`).

    Tests and benchmarks point these at copies (a temporary root, a copied package tree) and edit them.
    """

    package_dir: Path = config.PACKAGE_DIR
    raw_dir: Path = config.RAW_DIR
    params_dir: Path = config.REPORT_PARAMS_DIR
    targets: Path = config.TARGETS_YAML
    notebooks_dir: Path = config.NOTEBOOKS_DIR
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def at(cls, root: Path, package_dir: Path | None = None) -> Sources:
        """The sources of the project root ``root`` (the layout of :mod:`cchc_lib.config`)."""
        root = Path(root)
        return cls(Path(package_dir or config.PACKAGE_DIR), root / "data" / "raw", root / "params" / "reports",
                   root / "params" / "targets.yaml", root / "notebooks")

    def code(self, roots: tuple[str, ...], tools: tuple[str, ...] = ()) -> str:
        """Digest of the code ``roots`` run (cchc_lib.digest.closure) and of the third-party versions they import.

        Computed once per Sources (a build reads the code once; an edit is seen by a new Sources).
        """
        key = ("code", roots, tools)
        if key not in self._cache:
            code = digest.closure(roots, self.package_dir)
            self._cache[key] = digest.of_text(code.digest(), versions(code.external | set(tools)))
        return self._cache[key]


def versions(names: set[str] | frozenset[str]) -> str:
    """Python's version and the installed versions of the distributions behind top-level import names."""
    dists = _distributions()
    found = sorted({(d, metadata.version(d)) for n in names for d in dists.get(n, ()) if d != "cchc"})
    return json.dumps([platform.python_version(), found])


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def ingest(src: Sources | None = None) -> str:
    """The ingest (data/processed): every file of data/raw, the params it checks or reads, and its code.

    Its code is the import closure of the pipeline (forms, dossiers, schemas, the domain and its catalog.yaml,
    the bottom modules), never the reporting or build code: editing a chart or a template does not re-ingest.
    Params count because the ingest lists their problems in the validation report.
    """
    src = src or Sources()
    params = digest.tree_files(src.params_dir, "*/*.yaml")
    params += digest.tree_files(src.params_dir.parent / "catalog", "*.yaml")  # the units' own indicators
    settings = [p for p in (src.params_dir.parent / "ingest.yaml",) if p.is_file()]  # the dossier date bound
    return digest.of_text("ingest", digest.of_tree(src.raw_dir), digest.of_files(params, src.params_dir.parent),
                          digest.of_files(settings, src.params_dir.parent), src.code(INGEST_CODE))


def notebook_source(path: Path) -> str:
    """Digest of a notebook as papermill runs it: cells and metadata, without stored outputs and counts.

    `cchc notebooks` re-executes the committed notebooks in place (for nbval): that changes their outputs,
    not what a build runs, so it re-runs nothing.
    """
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return digest.of_text(nbformat.writes(nb))


def notebook_code(src: Sources, notebook: str) -> str:
    """Digest of the code a notebook uses.

    The cchc_lib modules its cells import, transitively, with the data they read (catalog.yaml; the fonts
    of the charts; the templates of reporting/), their third-party versions, and PROVENANCE_CODE.

    Honest limit: every notebook draws charts (the area notebooks through ``report.show(ctx, "charts")``,
    report.ipynb through ``official.area_body``), and the reporting facade imports the chart code at module
    level, so every notebook's closure holds charts.py: a chart helper edit re-runs all eight notebooks of every unit (never
    the ingest, the index or anything else). Which charts are drawn depends on the data, not on the code.
    """
    key = ("notebook", notebook)
    if key not in src._cache:
        nb = nbformat.read(str(src.notebooks_dir / f"{notebook}.ipynb"), as_version=4)
        roots, external = set(PROVENANCE_CODE), set(RUNNER_TOOLS)
        for cell in nb.cells:
            if cell.cell_type == "code":
                own, ext = _cell_imports(cell.source, src.package_dir)
                roots |= own
                external |= ext
        src._cache[key] = src.code(tuple(sorted(roots)), tuple(sorted(external)))
    return src._cache[key]


def _cell_imports(source: str, package_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        return digest.source_imports(code, package_dir)
    except SyntaxError:
        return frozenset(), frozenset()


def unit_input_hash(ds, unit: str) -> str:
    """Digest of the processed rows a unit's reports read: itself, descendants, predecessors, all periods.

    Rows of indicators and dossier stats, validation issues, registry rows, and the raw-file hashes that the
    provenance table prints (units.csv, the dossier exports, the forms of these units). Parents aggregate
    children, so a commune's form changes its own runs and its ancestors', never a sibling's. All periods
    count because the provenance digests a unit's rows of every period (and trends read earlier ones).
    """
    reg = ds.registry
    related, frontier = {unit}, [unit]
    while frontier:
        nxt = []
        for u in frontier:
            for other in reg.units.values():
                if (other.parent_id == u or other.successor_id == u) and other.unit_id not in related:
                    related.add(other.unit_id)
                    nxt.append(other.unit_id)
        frontier = nxt
    ind = ds.indicators[ds.indicators["unit_id"].isin(related)]
    stats = ds.dossier_stats[ds.dossier_stats["unit_id"].isin(related)]
    issues = [i for i in ds.issues if i.get("unit_id") in related]
    units = reg.frame[reg.frame["unit_id"].isin(related)]
    declaring = related | {u.unit_id for u in reg.ancestors(unit)} if unit in reg else related
    files = {f: h for f, h in ds.hashes.items() if f.endswith("units.csv") or "dossiers/" in f
             or f.rsplit("/", 1)[-1].rsplit(".", 1)[0] in (declaring if f.startswith("params/catalog/") else related)}
    return digest.of_text(ind.to_csv(index=False), stats.to_csv(index=False), units.to_csv(index=False),
                          json.dumps(issues, sort_keys=True, ensure_ascii=False), json.dumps(files, sort_keys=True))


def execution(src: Sources, unit: str, period: str, notebook: str, rows: str) -> str:
    """One notebook run (the executed .ipynb).

    Its inputs: the notebook (:func:`notebook_source`), its params file, the unit's input rows
    (:func:`unit_input_hash`), targets.yaml, the code it uses (:func:`notebook_code`) and the pinned version.

    Not inputs: the folders' locations (the same files elsewhere are the same run), the git commit that
    code_version() may print (every commit would re-run everything: pin CCHC_CODE_VERSION to compare
    builds), and the runner's own post-processing (after changing it, build with --force).
    """
    params = src.params_dir / period / f"{unit}.yaml"
    key = ("source", notebook)
    if key not in src._cache:
        src._cache[key] = notebook_source(src.notebooks_dir / f"{notebook}.ipynb")
    return digest.of_text(
        "execution", unit, period, notebook, src._cache[key], digest.of_file(params) if params.is_file() else "",
        rows, digest.of_file(src.targets) if src.targets.is_file() else "", notebook_code(src, notebook),
        os.environ.get("CCHC_CODE_VERSION", ""))


def html(src: Sources, execution_fp: str, title: str, kind: str) -> str:
    """One HTML page.

    Its inputs: the executed notebook (its fingerprint), its title and layout, and the render code
    (reporting.render's closure: nbconvert templates, the stylesheet through cchc_lib.pages).

    Separate from :func:`execution`: a stylesheet or nbconvert template edit re-renders, never re-executes.
    """
    return digest.of_text("html", execution_fp, title, kind, src.code(RENDER_CODE))


def pdf(src: Sources, html_fp: str) -> str:
    """One PDF: the HTML page and the render code (the stylesheet's print layer, WeasyPrint, the fonts)."""
    return digest.of_text("pdf", html_fp, src.code(RENDER_CODE, ("weasyprint", "pydyf")))


def index(src: Sources, manifest: dict, processed_dir: Path | None = None) -> str:
    """outputs/index.html.

    Its inputs: its template (templates/build/ and the shared stylesheet), build/index.py's code, what it shows
    of the manifest (status and links of each task, not times or fingerprints), the processed tables it reads
    (key figures, input errors) and the report params (which units report). Its code closure holds the runner
    (NOTEBOOKS, reportable) and so what the runner imports: over-approximate, and the index is cheap.
    """
    paths = config.processed_paths(Path(processed_dir) if processed_dir else None)
    tables = [paths[t] for t in PROCESSED_TABLES if paths[t].is_file()]
    shown = {k: [e.get(f, "") for f in INDEX_FIELDS] for k, e in manifest.get("tasks", {}).items()}
    templates = src.package_dir / "templates"
    return digest.of_text(
        "index", src.code(INDEX_CODE), digest.of_tree(templates / "build"), digest.of_tree(templates, "*"),
        json.dumps(shown, sort_keys=True), digest.of_files(tables, paths["units"].parent),
        digest.of_files(digest.tree_files(src.params_dir, "*/*.yaml"), src.params_dir))


def due(old: dict, outputs_dir: Path, ipynb: str, execution_fp: str, html_fp: str, pdf_fp: str = "") -> list[str]:
    """The stages of a task still due after its manifest entry ``old``; a stage that runs makes the later ones due.

    ``execute`` when the execution fingerprint changed, the last run failed or the executed notebook is gone;
    ``html`` when the HTML fingerprint changed or the page is gone; ``pdf`` (when one is made: ``pdf_fp``)
    when the PDF fingerprint changed or the file is gone. None due: the task is skipped.
    """
    pdf = ["pdf"] if pdf_fp else []

    def missing(rel: str) -> bool:
        return not rel or not (Path(outputs_dir) / rel).is_file()

    if old.get("status") != "ok" or old.get("fingerprint") != execution_fp or missing(ipynb):
        return ["execute", "html", *pdf]
    if old.get("html_fingerprint") != html_fp or missing(old.get("html", "")):
        return ["html", *pdf]
    if pdf and (old.get("pdf_fingerprint") != pdf_fp or missing(old.get("pdf", ""))):
        return pdf
    return []


def load_manifest(outputs_dir: Path) -> dict:
    """Read outputs/manifest.json, the record of every product and its fingerprints (empty when unreadable)."""
    try:
        return json.loads((Path(outputs_dir) / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {"tasks": {}}


def save_manifest(outputs_dir: Path, manifest: dict, done: list[dict] | None = None) -> None:
    """Write outputs/manifest.json, with the entries of the tasks that ran (wall-clock times live only here)."""
    if done:
        now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        manifest["tasks"].update({entry["key"]: {**entry, "finished_at": now} for entry in done})
        manifest["updated_at"] = now
    Path(outputs_dir).mkdir(parents=True, exist_ok=True)
    (Path(outputs_dir) / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
