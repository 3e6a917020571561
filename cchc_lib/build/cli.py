"""The ``cchc`` command line: ingest, validate, template, sample, run, build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

# Arrow's allocator (mimalloc) returns freed memory to the system at once, not a second later: reading a
# 200 MB export then peaks ~100 MB lower (benchmarks/bench_memory.py). Set before pyarrow is loaded.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")

from cchc_lib import config
from cchc_lib.build.steps import choose_grid, refresh_index, refresh_notebooks, summary_table
from cchc_lib.exceptions import CchcError

UNITS_REL = "data/raw/units.csv"
GLOBAL_STOP = ("Dừng: đầu vào chung (danh mục đơn vị data/raw/units.csv, chỉ tiêu params/targets.yaml) có lỗi nên "
               "chưa chạy sổ nào. Sửa các lỗi trên rồi chạy lại `cchc validate`.")


def _print_issues(issues, limit: int = 200) -> None:
    for issue in issues[:limit]:
        click.echo(str(issue), err=issue.severity == "error")
    if len(issues) > limit:
        click.echo(f"... và {len(issues) - limit} vấn đề khác (xem báo cáo kiểm tra).")


def _units_unreadable(path: Path, shown: str) -> bool:
    """Print the finding and return True when a units file cannot be read at all: nothing else can be checked."""
    from cchc_lib.ingest.units_file import read_units_table

    stop = read_units_table(Path(path), shown)[1]
    _print_issues([stop] if stop else [])
    return stop is not None


@click.group()
@click.version_option(package_name="cchc")
def main() -> None:
    """cchc: báo cáo cải cách hành chính tái lập được từ dữ liệu."""


@main.command()
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), default=config.RAW_DIR,
              show_default=True, help="Thư mục dữ liệu thô (units.csv, forms/, dossiers/).")
@click.option("--processed", "processed_dir", type=click.Path(path_type=Path),
              default=config.PROCESSED_DIR, show_default=True, help="Thư mục dữ liệu đã kiểm tra.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày mốc YYYY-MM-DD: hồ sơ mang ngày sau mốc bị loại (mặc định: as_of trong "
                   "params/ingest.yaml, nếu không có thì hạn nộp của kỳ muộn nhất).")
def ingest(raw_dir: Path, processed_dir: Path, as_of) -> None:
    """Read, validate and write processed tables, rejects and the validation report."""
    from cchc_lib.domain.fmt import fmt_int
    from cchc_lib.ingest.pipeline import ingest as run_ingest
    from cchc_lib.ingest.targets import targets_issues

    if _units_unreadable(raw_dir / "units.csv", UNITS_REL):
        sys.exit(1)
    result = run_ingest(raw_dir, processed_dir, as_of=as_of.date() if as_of else None)
    issues = result.issues + targets_issues()  # the targets are checked with the data they judge
    errors = [i for i in issues if i.severity == "error"]
    _print_issues(issues)
    rows_in = sum(f.get("rows_in", 0) for f in result.files)
    rejected = sum(f.get("rows_rejected", 0) for f in result.files)
    click.echo(f"{len(result.files)} tệp, {fmt_int(rows_in)} dòng đọc, {fmt_int(rejected)} dòng bị loại; "
               f"{len(errors)} lỗi, {len(issues) - len(errors)} cảnh báo ({result.seconds:.1f} s). Báo cáo kiểm tra: "
               f"{config.processed_paths(processed_dir)['report_html']}")
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--units", "units_csv", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Danh mục đơn vị dùng để kiểm tra tệp nằm ngoài thư mục dữ liệu thô "
                   "(mặc định: data/raw/units.csv).")
def validate(paths: tuple[Path, ...], units_csv: Path | None) -> None:
    """Validate data/raw, params/reports and params/targets.yaml (or the given folders and files).

    Nothing is written. Exits 1 when there is any error, 0 otherwise (as ``cchc ingest``).
    """
    from cchc_lib.ingest.check import check_paths, default_paths, shown_path
    from cchc_lib.ingest.units_file import units_files_read

    missing = [p for p in (*paths, *([units_csv] if units_csv else [])) if not p.exists()]
    if missing:
        for p in missing:
            click.echo(f"LỖI: không có tệp hoặc thư mục {p}: kiểm tra lại đường dẫn (chạy `cchc validate` "
                       "không kèm đường dẫn để kiểm tra data/raw, params/reports và params/targets.yaml).", err=True)
        sys.exit(2)
    if not paths:
        paths = tuple(default_paths())
        click.echo(f"Kiểm tra: {', '.join(shown_path(p) for p in paths) or '(không có đầu vào nào)'}")
    if any([_units_unreadable(p, shown_path(p)) for p in units_files_read(paths, units_csv)]):
        sys.exit(1)
    try:
        result = check_paths(list(paths), units_csv)
    except CchcError as exc:
        click.echo(f"LỖI: {exc}", err=True)
        sys.exit(1)
    _print_issues(result.issues)
    click.echo(result.summary)
    sys.exit(result.exit_code)


@main.command()
@click.option("--unit", "unit_id", required=True, help="Mã đơn vị, ví dụ xa-mau-01.")
@click.option("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-H1.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Tệp ra (mặc định data/raw/forms/<kỳ>/<đơn vị>.xlsx nếu chưa có).")
def template(unit_id: str, period: str, out: Path | None) -> None:
    """Write an empty Excel form for a unit and period from the catalog."""
    from cchc_lib.domain.periods import Period
    from cchc_lib.domain.units import Registry, check_unit_id
    from cchc_lib.ingest.check import load_registry
    from cchc_lib.ingest.forms import write_template
    from cchc_lib.ingest.pipeline import UNIT_COLUMNS  # noqa: F401 - keeps one definition of the table
    from cchc_lib.ingest.unit_catalogs import unit_catalog

    try:
        check_unit_id(unit_id)
        p = Period.parse(period)
        registry: Registry = load_registry(config.UNITS_CSV)
        unit = registry.require_valid(unit_id, p)
    except CchcError as exc:
        click.echo(f"LỖI: {exc}", err=True)
        sys.exit(2)
    target = out or config.FORMS_DIR / p.code / f"{unit_id}.xlsx"
    if out is None and target.exists():
        click.echo(f"LỖI: {target} đã có; dùng --out để ghi ra tệp khác.", err=True)
        sys.exit(2)
    write_template(target, unit, p, unit_catalog(registry, unit_id))
    click.echo(f"Đã tạo biểu mẫu: {target}")


@main.command()
@click.option("--seed", default=None, type=int, help="Hạt giống ngẫu nhiên (mặc định cố định).")
def sample(seed: int | None) -> None:
    """Regenerate the synthetic sample data (Tỉnh Mẫu) in data/raw/."""
    from cchc_lib.ingest.sample import SEED, write_sample

    paths = write_sample(config.RAW_DIR, seed or SEED)
    click.echo(f"Đã ghi {len(paths)} tệp dữ liệu mẫu (giả lập).")


def raw_state() -> str:
    """The ingest's fingerprint: `cchc build` re-ingests only when it changes.

    See fingerprints.ingest: data/raw, the params it checks and its own code; never a reporting, template or
    build code edit.
    """
    from cchc_lib.build import fingerprints

    return fingerprints.ingest()


def _run(units, periods, notebooks, jobs, force, pdf) -> int:
    from cchc_lib.build.runner import NOTEBOOKS, describe_grid, run
    from cchc_lib.domain.periods import Period
    from cchc_lib.ingest.params import load_params
    from cchc_lib.reporting.dataset import Dataset

    try:
        ds = Dataset.load()
    except CchcError as exc:  # a broken targets.yaml or processed table: say what, never a traceback
        click.echo(f"LỖI: {exc}", err=True)
        return 2
    grid = choose_grid(ds, units, periods)
    bad = []
    for u, p in grid:
        try:
            period = Period.parse(p)
            ds.registry.require_valid(u, p)
            reason = ds.not_reportable(u, p, load_params(u, period, None, ds.registry)[0].aggregate)
            if reason:
                bad.append(f"{u} {p}: {reason}")
        except CchcError as exc:
            bad.append(f"{u} {p}: {exc}")
    if bad:
        for b in bad:
            click.echo(f"LỖI: {b}", err=True)
        grid = [(u, p) for u, p in grid if not any(b.startswith(f"{u} {p}:") for b in bad)]
    for nb in notebooks:
        if nb not in NOTEBOOKS:
            click.echo(f"LỖI: sổ {nb!r} không có; chọn trong: {', '.join(NOTEBOOKS)}", err=True)
            return 2
    click.echo(describe_grid(grid, len(notebooks or NOTEBOOKS)))
    results = run(grid, list(notebooks) or None, jobs, force, pdf=pdf)
    index, written = refresh_index(force=force)
    click.echo(summary_table(results))
    click.echo(f"Danh mục báo cáo{'' if written else ' (không đổi)'}: {index}")
    return 1 if bad or any(r.status == "failed" for r in results) else 0


_grid_options = [
    click.option("--unit", "units", multiple=True, help="Mã đơn vị (lặp lại được). Mặc định: lưới mặc định."),
    click.option("--period", "periods", multiple=True, help="Kỳ báo cáo (lặp lại được)."),
    click.option("--notebook", "notebooks", multiple=True, help="Sổ cần chạy (mặc định: cả 8)."),
    click.option("--jobs", "-j", type=int, default=None, help="Số tiến trình song song (mặc định: số lõi)."),
    click.option("--force", is_flag=True, help="Chạy lại tất cả, kể cả khi không có gì thay đổi."),
    click.option("--no-pdf", "no_pdf", is_flag=True, help="Không xuất PDF."),
]


def _with_grid_options(f):
    for opt in reversed(_grid_options):
        f = opt(f)
    return f


@main.command("run")
@_with_grid_options
def run_cmd(units, periods, notebooks, jobs, force, no_pdf) -> None:
    """Execute the notebooks for the grid of units x periods and render HTML/PDF and the index."""
    sys.exit(_run(units, periods, notebooks, jobs, force, not no_pdf))


@main.command()
@_with_grid_options
def build(units, periods, notebooks, jobs, force, no_pdf) -> None:
    """Ingest (when inputs changed), run the grid, render, and write outputs/index.html."""
    import json

    from cchc_lib.ingest.pipeline import ingest as run_ingest
    from cchc_lib.ingest.targets import targets_issues

    if _units_unreadable(config.UNITS_CSV, UNITS_REL):
        click.echo(GLOBAL_STOP, err=True)
        sys.exit(1)
    state_path = config.PROCESSED_DIR / "build_state.json"
    state = raw_state()
    saved = json.loads(state_path.read_text("utf-8")) if state_path.exists() else {}
    if (force or saved.get("state") != state or saved.get("units_errors")  # a units.csv error: show it again
            or not (config.PROCESSED_DIR / "indicators.parquet").exists()):
        result = run_ingest(config.RAW_DIR, config.PROCESSED_DIR)
        _print_issues(result.errors)
        click.echo(f"Kiểm tra số liệu: {len(result.errors)} lỗi, {len(result.issues) - len(result.errors)} cảnh báo "
                   f"({result.seconds:.1f} s); {config.processed_paths()['report_html']}")
        saved = {"state": state, "errors": len(result.errors),
                 "units_errors": sum(i.file == UNITS_REL for i in result.errors)}
        state_path.write_text(json.dumps(saved), "utf-8")
    else:
        still = f" Lần kiểm tra trước có {saved['errors']} lỗi, vẫn còn: {config.processed_paths()['report_html']}." \
            if saved.get("errors") else ""
        click.echo(f"Số liệu đầu vào không đổi: bỏ qua bước kiểm tra.{still}")
    targets = targets_issues()
    _print_issues(targets)
    if saved.get("units_errors") or any(i.severity == "error" for i in targets):
        click.echo(GLOBAL_STOP, err=True)
        sys.exit(1)
    code = _run(units, periods, notebooks, jobs, force, not no_pdf)
    sys.exit(1 if code or saved.get("errors", 0) else 0)


@main.command()
@click.argument("names", nargs=-1)
def notebooks(names: tuple[str, ...]) -> None:
    """Re-execute the committed notebooks on their defaults (their outputs are what nbval compares)."""
    for path in refresh_notebooks(list(names) or None):
        click.echo(f"Đã chạy lại: {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
