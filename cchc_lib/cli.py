"""The ``cchc`` command line: ingest, validate, template, sample, run, build."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import config
from .exceptions import CchcError


def _print_issues(issues, limit: int = 200) -> None:
    for issue in issues[:limit]:
        click.echo(str(issue), err=issue.severity == "error")
    if len(issues) > limit:
        click.echo(f"... và {len(issues) - limit} vấn đề khác (xem báo cáo kiểm tra).")


@click.group()
@click.version_option(package_name="cchc")
def main() -> None:
    """cchc: báo cáo cải cách hành chính tái lập được từ dữ liệu."""


@main.command()
@click.option("--raw", "raw_dir", type=click.Path(path_type=Path), default=config.RAW_DIR,
              show_default=True, help="Thư mục dữ liệu thô (units.csv, forms/, dossiers/).")
@click.option("--processed", "processed_dir", type=click.Path(path_type=Path),
              default=config.PROCESSED_DIR, show_default=True, help="Thư mục dữ liệu đã kiểm tra.")
def ingest(raw_dir: Path, processed_dir: Path) -> None:
    """Read, validate and write processed tables, rejects and the validation report."""
    from .ingest import ingest as run_ingest

    result = run_ingest(raw_dir, processed_dir)
    _print_issues(result.issues)
    rows_in = sum(f.get("rows_in", 0) for f in result.files)
    rejected = sum(f.get("rows_rejected", 0) for f in result.files)
    from .fmt import fmt_int

    click.echo(
        f"{len(result.files)} tệp, {fmt_int(rows_in)} dòng đọc, {fmt_int(rejected)} dòng bị loại; "
        f"{len(result.errors)} lỗi, {len(result.issues) - len(result.errors)} cảnh báo "
        f"({result.seconds:.1f} s). Báo cáo kiểm tra: "
        f"{config.processed_paths(processed_dir)['report_html']}"
    )
    sys.exit(result.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--units", "units_csv", type=click.Path(path_type=Path), default=config.UNITS_CSV,
              show_default=True, help="Danh mục đơn vị dùng để kiểm tra từng tệp.")
def validate(paths: tuple[Path, ...], units_csv: Path) -> None:
    """Validate a raw data folder or single form / dossier files without writing anything."""
    from .validate import validate_paths

    issues = validate_paths(list(paths), units_csv)
    _print_issues(issues)
    errors = [i for i in issues if i.severity == "error"]
    click.echo(f"{len(errors)} lỗi, {len(issues) - len(errors)} cảnh báo.")
    sys.exit(1 if errors else 0)


@main.command()
@click.option("--unit", "unit_id", required=True, help="Mã đơn vị, ví dụ xa-mau-01.")
@click.option("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-H1.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Tệp ra (mặc định data/raw/forms/<kỳ>/<đơn vị>.xlsx nếu chưa có).")
def template(unit_id: str, period: str, out: Path | None) -> None:
    """Write an empty Excel form for a unit and period from the catalog."""
    from .forms import write_template
    from .ingest import UNIT_COLUMNS  # noqa: F401 - keeps one definition of the table
    from .periods import Period
    from .units import Registry, check_unit_id
    from .validate import load_registry

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
    write_template(target, unit, p)
    click.echo(f"Đã tạo biểu mẫu: {target}")


@main.command()
@click.option("--seed", default=None, type=int, help="Hạt giống ngẫu nhiên (mặc định cố định).")
def sample(seed: int | None) -> None:
    """Regenerate the synthetic sample data (Tỉnh Mẫu) in data/raw/."""
    from .sample import SEED, write_sample

    paths = write_sample(config.RAW_DIR, seed or SEED)
    click.echo(f"Đã ghi {len(paths)} tệp dữ liệu mẫu (giả lập).")


if __name__ == "__main__":  # pragma: no cover
    main()
