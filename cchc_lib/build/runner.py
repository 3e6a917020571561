"""Run the notebooks for a grid of (unit, period), rendered to HTML (and PDF).

A process pool, one fresh kernel per notebook, failures isolated, and incremental
re-execution by content hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from cchc_lib import config
from cchc_lib.domain.catalog import load_catalog

NOTEBOOKS = [a.notebook for a in load_catalog().areas] + ["report"]
TITLES = {a.notebook: a.label for a in load_catalog().areas} | {"report": "Báo cáo tổng hợp"}
PDF_NOTEBOOKS = {"report"}


@dataclass
class Task:
    """One notebook execution for one unit and period."""

    unit: str
    period: str
    notebook: str
    fingerprint: str = ""

    @property
    def key(self) -> str:
        """Manifest key: period/unit/notebook."""
        return f"{self.period}/{self.unit}/{self.notebook}"


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


def _sha(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(c)
        h.update(b"\0")
    return h.hexdigest()[:20]


def library_hash() -> str:
    """Hash of the library code, catalog and templates."""
    parts = []
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts.append(path.relative_to(config.PACKAGE_DIR).as_posix().encode() + path.read_bytes())
    return _sha(*parts)


def unit_input_hash(ds, unit: str) -> str:
    """Hash of the processed rows a unit's reports read: itself, descendants, predecessors, all periods."""
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
    return _sha(ind.to_csv(index=False).encode(), stats.to_csv(index=False).encode(),
                json.dumps(issues, sort_keys=True, ensure_ascii=False).encode(), units.to_csv(index=False).encode())


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


def _strip_volatile(nb_path: Path) -> None:
    """Remove timestamps and durations from an executed notebook (they go to the manifest)."""
    nb = nbformat.read(str(nb_path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id
    nbformat.write(nb, str(nb_path))


def execute_task(task: dict, outputs_dir: str, processed_dir: str, params_dir: str, pdf: bool) -> dict:
    """Execute and render one notebook (runs in a worker process)."""
    import papermill as pm

    from cchc_lib.reporting.render import html_to_pdf, notebook_to_html

    t = Task(**task)
    out_dir = Path(outputs_dir) / t.period / t.unit
    out_dir.mkdir(parents=True, exist_ok=True)
    nb_out = out_dir / f"{t.notebook}.ipynb"
    start = time.perf_counter()
    status, error = "ok", ""
    # The kernel process inherits this worker's stderr and logs transport notices there;
    # papermill captures what matters (cell errors), so keep the batch output readable.
    saved_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / f"{t.notebook}.ipynb"), str(nb_out),
            parameters={"unit": t.unit, "period": t.period, "processed_dir": processed_dir, "params_dir": params_dir},
            kernel_name="python3", progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            cwd=str(config.NOTEBOOKS_DIR), shutdown_kernel="immediate",
        )
    except Exception as exc:  # noqa: BLE001 - any failure of one notebook is reported, never fatal
        status = "failed"
        ename = getattr(exc, "ename", type(exc).__name__)
        evalue = getattr(exc, "evalue", str(exc))
        error = f"{ename}: {evalue}".strip()[:500]
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull)
    result = Result(t.key, t.unit, t.period, t.notebook, status, error=error, fingerprint=t.fingerprint)
    if nb_out.exists():
        try:
            _strip_volatile(nb_out)
            title = f"{TITLES[t.notebook]} - {t.unit} - {t.period}"
            html = notebook_to_html(nb_out, title, "official" if t.notebook == "report" else "area")
            html_path = out_dir / f"{t.notebook}.html"
            html_path.write_text(html, "utf-8")
            result.html = html_path.relative_to(outputs_dir).as_posix()
            result.html_bytes = len(html.encode())
            if pdf and t.notebook in PDF_NOTEBOOKS and status == "ok":
                p0 = time.perf_counter()
                pdf_path = html_to_pdf(html, out_dir / f"{t.notebook}.pdf")
                result.pdf_seconds = round(time.perf_counter() - p0, 2)
                result.pdf = pdf_path.relative_to(outputs_dir).as_posix()
                page_one_png(pdf_path)
        except Exception as exc:  # noqa: BLE001
            result.status = "failed"
            result.error = (result.error + " | " if result.error else "") + f"render: {type(exc).__name__}: {exc}"[:300]
            traceback.print_exc()
    result.seconds = round(time.perf_counter() - start, 2)
    return asdict(result)


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


def load_manifest(outputs_dir: Path) -> dict:
    """Read outputs/manifest.json (empty when absent or unreadable)."""
    path = outputs_dir / "manifest.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"tasks": {}}


def run(grid: list[tuple[str, str]], notebooks: list[str] | None = None, jobs: int | None = None,
        force: bool = False, outputs_dir: Path | None = None, processed_dir: Path | None = None,
        params_dir: Path | None = None, pdf: bool = True, progress: bool = True) -> list[Result]:
    """Execute the grid; return one Result per task (skipped ones included)."""
    from tqdm import tqdm

    from cchc_lib.reporting.dataset import Dataset

    outputs_dir = Path(outputs_dir or config.OUTPUTS_DIR)
    processed = str(processed_dir or config.PROCESSED_DIR)
    params = str(params_dir or config.REPORT_PARAMS_DIR)
    notebooks = notebooks or NOTEBOOKS
    ds = Dataset.load(processed)
    lib = library_hash()
    targets = config.TARGETS_YAML.read_bytes() if config.TARGETS_YAML.exists() else b""
    manifest = load_manifest(outputs_dir)
    unit_hashes: dict[str, str] = {}
    tasks, results = [], []
    for unit, period in grid:
        if unit not in unit_hashes:
            unit_hashes[unit] = unit_input_hash(ds, unit)
        pfile = Path(params) / period / f"{unit}.yaml"
        for nb in notebooks:
            fp = _sha(lib.encode(), unit_hashes[unit].encode(), (config.NOTEBOOKS_DIR / f"{nb}.ipynb").read_bytes(),
                      pfile.read_bytes() if pfile.exists() else b"", targets, f"{unit}|{period}|{pdf}".encode())
            task = Task(unit, period, nb, fp)
            old = manifest["tasks"].get(task.key)
            if (not force and old and old.get("fingerprint") == fp and old.get("status") == "ok"
                    and (outputs_dir / old.get("html", "missing")).exists()):
                results.append(Result(**{**{k: old.get(k, "") for k in ("html", "pdf", "error")},
                                         "key": task.key, "unit": unit, "period": period, "notebook": nb,
                                         "status": "skipped", "seconds": 0.0, "html_bytes": old.get("html_bytes", 0),
                                         "pdf_seconds": old.get("pdf_seconds", 0.0), "fingerprint": fp}))
            else:
                tasks.append(task)
    jobs = jobs or os.cpu_count() or 1
    bar = tqdm(total=len(tasks), desc="Chạy sổ", unit="sổ", file=sys.stderr, disable=not progress or not tasks,
               mininterval=2)
    if tasks:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(execute_task, asdict(t), str(outputs_dir), processed, params, pdf): t for t in tasks}
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
    write_manifest(outputs_dir, manifest, results)
    return sorted(results, key=lambda r: r.key)


def write_manifest(outputs_dir: Path, manifest: dict, results: list[Result]) -> None:
    """Update outputs/manifest.json (wall-clock times live here, never in reports)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    for r in results:
        entry = asdict(r)
        if r.status == "skipped":
            old = manifest["tasks"].get(r.key, {})
            entry = {**old, "fingerprint": r.fingerprint}
        else:
            entry["finished_at"] = now
        manifest["tasks"][r.key] = entry
    manifest["updated_at"] = now
    outputs_dir.mkdir(parents=True, exist_ok=True)
    (outputs_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True),
                                                "utf-8")


def summary_table(results: list[Result]) -> str:
    """A plain-text summary: counts, and one line per failure with its reason."""
    ok = sum(r.status == "ok" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    failed = [r for r in results if r.status == "failed"]
    secs = [r.seconds for r in results if r.status == "ok"]
    lines = [f"Sổ đã chạy: {ok}, bỏ qua (không đổi): {skipped}, lỗi: {len(failed)}"
             + (f"; trung bình {sum(secs) / len(secs):.2f} s/sổ" if secs else "")]
    if failed:
        lines.append(f"{'Kỳ':<8} {'Đơn vị':<24} {'Sổ':<24} Lý do")
        for r in failed:
            lines.append(f"{r.period:<8} {r.unit:<24} {r.notebook:<24} {r.error}")
    return "\n".join(lines)


def refresh_notebooks(names: list[str] | None = None) -> list[Path]:
    """Re-execute the committed notebooks in place on their default parameters (for nbval)."""
    import papermill as pm

    done = []
    for name in names or NOTEBOOKS:
        path = config.NOTEBOOKS_DIR / f"{name}.ipynb"
        pm.execute_notebook(str(path), str(path), kernel_name="python3", progress_bar=False,
                            cwd=str(config.NOTEBOOKS_DIR), request_save_on_cell_execute=False)
        _strip_volatile(path)
        done.append(path)
    return done
