"""What the build commands do beyond reading their options: the grid, the index, the summary, the notebooks."""

from __future__ import annotations

from pathlib import Path

from cchc_lib import config


def refresh_index(outputs_dir: Path | None = None, processed_dir: Path | None = None,
                  force: bool = False) -> tuple[Path, bool]:
    """Rewrite outputs/index.html only when its fingerprint changed (or ``force``); (its path, whether written).

    The fingerprint (fingerprints.index) is kept in the manifest beside the tasks' fingerprints.
    """
    from cchc_lib.build import fingerprints
    from cchc_lib.build.index import write_index

    outputs_dir = Path(outputs_dir or config.OUTPUTS_DIR)
    manifest = fingerprints.load_manifest(outputs_dir)
    fp = fingerprints.index(fingerprints.Sources(), manifest, processed_dir)
    path = outputs_dir / "index.html"
    if not force and manifest.get("index_fingerprint") == fp and path.is_file():
        return path, False
    path = write_index(outputs_dir, processed_dir)
    manifest["index_fingerprint"] = fp
    fingerprints.save_manifest(outputs_dir, manifest)
    return path, True


def summary_table(results) -> str:
    """A plain-text summary of runner Results: counts, and one line per failure with its reason."""
    ran = [r for r in results if r.status == "ok" and "execute" in r.stages.split(",")]
    rendered = sum(r.status == "ok" for r in results) - len(ran)
    skipped = sum(r.status == "skipped" for r in results)
    failed = [r for r in results if r.status == "failed"]
    secs = [r.seconds for r in ran]
    lines = [f"Sổ đã chạy: {len(ran)}" + (f", chỉ dựng lại HTML/PDF: {rendered}" if rendered else "")
             + f", bỏ qua (không đổi): {skipped}, lỗi: {len(failed)}"
             + (f"; trung bình {sum(secs) / len(secs):.2f} s/sổ" if secs else "")]
    if failed:
        lines.append(f"{'Kỳ':<8} {'Đơn vị':<24} {'Sổ':<24} Lý do")
        for r in failed:
            lines.append(f"{r.period:<8} {r.unit:<24} {r.notebook:<24} {r.error}")
    return "\n".join(lines)


def choose_grid(ds, units: tuple[str, ...], periods: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (unit, period) pairs to run: the default grid, or the units and periods asked for."""
    from cchc_lib.build.runner import default_grid

    grid = default_grid(ds)
    if not units and not periods:
        return grid
    chosen_periods = list(periods) or sorted({p for _, p in grid})
    if units:
        return [(u, p) for p in chosen_periods for u in units]
    return [(u, p) for u, p in grid if p in chosen_periods]


def refresh_notebooks(names: list[str] | None = None) -> list[Path]:
    """Re-execute the committed notebooks in place on their default parameters (for nbval)."""
    import papermill as pm

    from cchc_lib.build.runner import NOTEBOOKS, strip_volatile

    done = []
    for name in names or NOTEBOOKS:
        path = config.NOTEBOOKS_DIR / f"{name}.ipynb"
        pm.execute_notebook(str(path), str(path), kernel_name="python3", progress_bar=False,
                            cwd=str(config.NOTEBOOKS_DIR), request_save_on_cell_execute=False)
        strip_volatile(path)
        done.append(path)
    return done
