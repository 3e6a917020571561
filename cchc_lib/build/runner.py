"""Run the notebooks for a grid of (unit, period): execute, render HTML and PDF, each only when due."""

from __future__ import annotations

import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from cchc_lib import config
from cchc_lib.build import fingerprints
from cchc_lib.build.fingerprints import load_manifest, save_manifest
from cchc_lib.domain.catalog import load_catalog

NOTEBOOKS = [a.notebook for a in load_catalog().areas] + ["report"]
TITLES = {a.notebook: a.label for a in load_catalog().areas} | {"report": "Báo cáo tổng hợp"}
PDF_NOTEBOOKS = {"report"}
STAGES = ("execute", "html", "pdf")


@dataclass
class Task:
    """One notebook of one unit and period: its product fingerprints and the stages it must run."""

    unit: str
    period: str
    notebook: str
    fingerprint: str = ""  # of the execution (the executed .ipynb)
    html_fingerprint: str = ""
    pdf_fingerprint: str = ""  # empty when no PDF is made
    stages: list[str] = field(default_factory=lambda: list(STAGES))

    @property
    def key(self) -> str:
        """Manifest key: period/unit/notebook."""
        return f"{self.period}/{self.unit}/{self.notebook}"

    @property
    def page(self) -> tuple[str, str]:
        """The page's title and layout (the official document, or an area report)."""
        return f"{TITLES[self.notebook]} - {self.unit} - {self.period}", "official" if self.notebook == "report" else "area"


@dataclass
class Result:
    """What happened to one task."""

    key: str
    unit: str
    period: str
    notebook: str
    status: str  # ok, failed, skipped
    seconds: float = 0.0
    error: str = ""
    html: str = ""
    pdf: str = ""
    html_bytes: int = 0
    pdf_seconds: float = 0.0
    fingerprint: str = ""
    html_fingerprint: str = ""
    pdf_fingerprint: str = ""
    stages: str = ""  # the stages that ran, e.g. "execute,html,pdf" or "html" after a stylesheet edit


def reportable(ds, unit_id: str, period: str, params_dir: Path | str | None = None) -> bool:
    """True when the unit makes a report of its own in ``period`` (see Dataset.not_reportable)."""
    from cchc_lib.domain.periods import Period
    from cchc_lib.ingest.params import load_params

    p = Period.parse(period)
    unit = ds.registry.units.get(unit_id)
    if unit is None or unit.group or not unit.valid_in(p) or not ds.any_data(unit_id, period):
        return False
    aggregate = False
    if not ds.has_form(unit_id, period) and ds.registry.children(unit_id, period):
        aggregate = load_params(unit_id, p, params_dir, ds.registry)[0].aggregate
    return ds.not_reportable(unit_id, period, aggregate) is None


def report_units(ds, period: str, params_dir: Path | str | None = None) -> list[str]:
    """The units that make a report of their own in ``period``, sorted."""
    return [u for u in sorted(ds.registry.units) if reportable(ds, u, period, params_dir)]


def default_grid(ds, params_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """What `make report` builds: every reporting unit of the latest sample period, and the top ones elsewhere.

    "Top" means a reporting unit whose parent does not report in that period (a city, not its wards;
    the sample province, not its communes), so the grid stays one report per territory and period
    except for the latest sample period, which shows every unit.
    """
    from cchc_lib.domain.periods import sort_periods

    reg = ds.registry
    form_periods = sort_periods(sorted(ds.indicators.loc[ds.indicators["source"] == "form", "period"].unique()))
    reporting = {period: report_units(ds, period, params_dir) for period in form_periods}
    synthetic_periods = [p for p in form_periods if any(reg[u].synthetic for u in reporting[p])]
    latest = synthetic_periods[-1] if synthetic_periods else (form_periods[-1] if form_periods else None)
    grid = []
    for period in form_periods:
        units = set(reporting[period])
        for unit in reporting[period]:
            parent = reg[unit].parent_id
            if period == latest or parent not in units:
                grid.append((unit, period))
    return grid


def describe_grid(grid: list[tuple[str, str]], notebooks: int) -> str:
    """The grid as an analyst reads it before a build: counts, then one line per period."""
    from cchc_lib.domain.periods import sort_periods

    by_period: dict[str, list[str]] = {}
    for unit, period in grid:
        by_period.setdefault(period, []).append(unit)
    lines = [f"Lưới: {len(grid)} đơn vị-kỳ x {notebooks} sổ = {len(grid) * notebooks} sổ"]
    for period in sort_periods(list(by_period)):
        units = by_period[period]
        shown = ", ".join(units[:8]) + (f", ... (+{len(units) - 8})" if len(units) > 8 else "")
        lines.append(f"  {period}: {len(units)} đơn vị: {shown}")
    return "\n".join(lines)


def strip_volatile(nb_path: Path) -> None:
    """Remove timestamps and durations from an executed notebook (they go to the manifest)."""
    nb = nbformat.read(str(nb_path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id
    nbformat.write(nb, str(nb_path))


def execute_task(task: dict, outputs_dir: str, processed_dir: str, params_dir: str) -> dict:
    """Run one task's due stages (in a worker process): execute the notebook, render its HTML, make its PDF."""
    t = Task(**task)
    out_dir = Path(outputs_dir) / t.period / t.unit
    out_dir.mkdir(parents=True, exist_ok=True)
    nb_out = out_dir / f"{t.notebook}.ipynb"
    start = time.perf_counter()
    result = Result(t.key, t.unit, t.period, t.notebook, "ok", fingerprint=t.fingerprint,
                    html_fingerprint=t.html_fingerprint, pdf_fingerprint=t.pdf_fingerprint, stages=",".join(t.stages))
    if "execute" in t.stages:
        result.status, result.error = _execute(t, nb_out, processed_dir, params_dir)
    if nb_out.exists():
        try:
            if "execute" in t.stages:
                strip_volatile(nb_out)
            _render(t, result, out_dir, Path(outputs_dir))
        except Exception as exc:  # noqa: BLE001
            result.status = "failed"
            result.error = (result.error + " | " if result.error else "") + f"render: {type(exc).__name__}: {exc}"[:300]
            traceback.print_exc()
    if not result.pdf:
        result.pdf_fingerprint = ""
    result.seconds = round(time.perf_counter() - start, 2)
    return asdict(result)


KERNEL_NOT_STARTED = "Kernel died before replying to kernel_info"
KERNEL_START_ATTEMPTS = 3


def _execute(t: Task, nb_out: Path, processed_dir: str, params_dir: str) -> tuple[str, str]:
    """Execute the notebook with papermill in a fresh kernel: (status, error)."""
    import papermill as pm

    # The kernel process inherits this worker's stderr and logs transport notices there;
    # papermill captures what matters (cell errors), so keep the batch output readable.
    saved_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                pm.execute_notebook(
                    str(config.NOTEBOOKS_DIR / f"{t.notebook}.ipynb"), str(nb_out),
                    parameters={"unit": t.unit, "period": t.period, "processed_dir": processed_dir,
                                "params_dir": params_dir},
                    kernel_name="python3", progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    cwd=str(config.NOTEBOOKS_DIR), shutdown_kernel="immediate",
                )
                return "ok", ""
            except RuntimeError as exc:
                # A kernel that dies before its first reply ran no cell (two workers starting kernels at
                # once can race for the same free ports): start a fresh one; any other failure is final.
                if KERNEL_NOT_STARTED not in str(exc) or attempt == KERNEL_START_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")
    except Exception as exc:  # noqa: BLE001 - any failure of one notebook is reported, never fatal
        ename = getattr(exc, "ename", type(exc).__name__)
        evalue = getattr(exc, "evalue", str(exc))
        return "failed", f"{ename}: {evalue}".strip()[:500]
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull)


def _render(t: Task, result: Result, out_dir: Path, outputs_dir: Path) -> None:
    """The HTML page (rendered when due, else read for the PDF) and the PDF of a successful run when due."""
    from cchc_lib.reporting.render import html_to_pdf, notebook_to_html

    html_path = out_dir / f"{t.notebook}.html"
    if "html" in t.stages:
        page = notebook_to_html(out_dir / f"{t.notebook}.ipynb", *t.page)
        html_path.write_text(page, "utf-8")
    else:
        page = html_path.read_text("utf-8")
    result.html = html_path.relative_to(outputs_dir).as_posix()
    result.html_bytes = len(page.encode())
    if "pdf" in t.stages and result.status == "ok":
        p0 = time.perf_counter()
        pdf_path = html_to_pdf(page, out_dir / f"{t.notebook}.pdf")
        result.pdf_seconds = round(time.perf_counter() - p0, 2)
        result.pdf = pdf_path.relative_to(outputs_dir).as_posix()
        page_one_png(pdf_path)


def page_one_png(pdf_path: Path) -> Path | None:
    """Render page 1 of a PDF to PNG beside it (poppler's pdftoppm), for a person to look at."""
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        return None
    stem = pdf_path.with_name(pdf_path.stem + "-trang1")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(stem)],
                   check=False, capture_output=True, timeout=60)
    png = stem.with_suffix(".png")
    return png if png.exists() else None


def tasks_for(grid: list[tuple[str, str]], notebooks: list[str], ds, src: fingerprints.Sources,
              pdf: bool = True) -> list[Task]:
    """Every task of the grid with its execution, HTML and PDF fingerprints (all stages due)."""
    rows: dict[str, str] = {}
    tasks = []
    for unit, period in grid:
        if unit not in rows:
            rows[unit] = fingerprints.unit_input_hash(ds, unit)
        for nb in notebooks:
            task = Task(unit, period, nb, fingerprints.execution(src, unit, period, nb, rows[unit]))
            task.html_fingerprint = fingerprints.html(src, task.fingerprint, *task.page)
            if pdf and nb in PDF_NOTEBOOKS:
                task.pdf_fingerprint = fingerprints.pdf(src, task.html_fingerprint)
            else:
                task.stages = ["execute", "html"]
            tasks.append(task)
    return tasks


def run(grid: list[tuple[str, str]], notebooks: list[str] | None = None, jobs: int | None = None,
        force: bool = False, outputs_dir: Path | None = None, processed_dir: Path | None = None,
        params_dir: Path | None = None, pdf: bool = True, progress: bool = True) -> list[Result]:
    """Execute the grid; return one Result per task (skipped ones included)."""
    from cchc_lib.reporting.dataset import Dataset

    outputs_dir = Path(outputs_dir or config.OUTPUTS_DIR)
    processed = str(processed_dir or config.PROCESSED_DIR)
    params = str(params_dir or config.REPORT_PARAMS_DIR)
    manifest = load_manifest(outputs_dir)
    src = fingerprints.Sources(params_dir=Path(params))
    tasks = tasks_for(grid, notebooks or NOTEBOOKS, Dataset.load(processed), src, pdf)
    results = []
    for t in tasks:
        old = manifest["tasks"].get(t.key, {})
        if not force:
            t.stages = fingerprints.due(old, outputs_dir, f"{t.period}/{t.unit}/{t.notebook}.ipynb", t.fingerprint,
                                        t.html_fingerprint, t.pdf_fingerprint)
        if not t.stages:
            results.append(Result(t.key, t.unit, t.period, t.notebook, "skipped", 0.0, old.get("error", ""),
                                  old.get("html", ""), old.get("pdf", ""), old.get("html_bytes", 0),
                                  old.get("pdf_seconds", 0.0), t.fingerprint, t.html_fingerprint,
                                  old.get("pdf_fingerprint", "")))
    done = _run_tasks([t for t in tasks if t.stages], jobs, str(outputs_dir), processed, params, progress)
    save_manifest(outputs_dir, manifest, [asdict(r) for r in done])
    return sorted(results + done, key=lambda r: r.key)


def _run_tasks(tasks: list[Task], jobs: int | None, outputs_dir: str, processed: str, params: str,
               progress: bool) -> list[Result]:
    """Run the due tasks in a process pool, with a progress bar; a crashed worker fails only its task."""
    from tqdm import tqdm

    results: list[Result] = []
    if not tasks:
        return results
    bar = tqdm(total=len(tasks), desc="Chạy sổ", unit="sổ", file=sys.stderr, disable=not progress, mininterval=2)
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(execute_task, asdict(t), outputs_dir, processed, params): t for t in tasks}
        for fut in as_completed(futures):
            t = futures[fut]
            try:
                res = Result(**fut.result())
            except Exception as exc:  # noqa: BLE001 - a crashed worker fails only its task
                res = Result(t.key, t.unit, t.period, t.notebook, "failed", error=f"worker: {exc}",
                             fingerprint=t.fingerprint)
            results.append(res)
            bar.update(1)
            bar.set_postfix_str(f"lỗi {sum(r.status == 'failed' for r in results)}")
    bar.close()
    return results
