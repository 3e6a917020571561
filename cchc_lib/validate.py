"""Validate a raw folder or single files, printing issues without writing outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dossiers import read_records
from .exceptions import PeriodError, UnitError
from .forms import read_form
from .ingest import ingest, read_units
from .periods import Period
from .units import Registry, check_unit_id
from .validation import Issue, IssueLog


def load_registry(units_csv: Path) -> Registry:
    """Load the unit registry from units.csv, keeping only valid rows."""
    log = IssueLog()
    units, _, _ = read_units(Path(units_csv), str(units_csv), log)
    return Registry(units)


def _is_period(name: str) -> bool:
    try:
        Period.parse(name)
        return True
    except PeriodError:
        return False


def validate_file(path: Path, registry: Registry) -> list[Issue]:
    """Validate one form (under a period folder) or one dossier export."""
    rel = path.as_posix()
    if path.suffix.lower() in (".yaml", ".yml") and _is_period(path.parent.name):
        from .report_params import load_params

        _, issues, _ = load_params(path.stem, Period.parse(path.parent.name), path.parent.parent, registry)
        return issues
    if _is_period(path.parent.name) or path.parent.name.startswith(("20", "19")):
        period = path.parent.name
        try:
            Period.parse(period)
        except PeriodError as exc:
            return [Issue("error", "bad_period", str(exc), file=rel, value=period)]
        try:
            unit_id = check_unit_id(path.stem)
        except UnitError as exc:
            return [Issue("error", "unit_id_format", str(exc), file=rel, value=path.stem)]
        if unit_id not in registry:
            return [Issue("error", "unknown_unit", f"Đơn vị {unit_id!r} không có trong danh mục đơn vị.",
                          file=rel, value=unit_id)]
        try:
            registry.require_valid(unit_id, period)
        except UnitError as exc:
            return [Issue("error", "unit_not_valid", str(exc), file=rel, value=unit_id)]
        result = read_form(path, unit_id, period, rel)
        issues = list(result.issues)
        if result.values:
            from .ingest import VALUE_COLUMNS, _arithmetic
            from .validation import IssueLog as Log

            log = Log()
            _arithmetic(pd.DataFrame(result.values, columns=VALUE_COLUMNS), __import__(
                "cchc_lib.catalog", fromlist=["load_catalog"]).load_catalog(), log)
            issues += log.items
        return issues
    if _looks_like_form(path):
        # A form outside data/raw/forms/<period>/: check its content anyway, and say where it belongs.
        unit_id, period = _info_sheet(path)
        result = read_form(path, unit_id, period, rel)
        issues = [Issue("warning", "bad_filename",
                        "Biểu mẫu phải nằm ở data/raw/forms/<kỳ>/<mã đơn vị>.xlsx|csv; đã kiểm tra nội dung, "
                        "chưa kiểm tra đơn vị và kỳ.", file=rel)]
        for issue in result.issues:
            issue.unit_id, issue.period = "", ""
            issues.append(issue)
        if result.values:
            from .catalog import load_catalog
            from .ingest import VALUE_COLUMNS, _arithmetic
            from .validation import IssueLog as Log

            log = Log()
            _arithmetic(pd.DataFrame(result.values, columns=VALUE_COLUMNS), load_catalog(), log)
            issues += log.items
        return issues
    return list(read_records(path, rel, registry).issues)


def _info_sheet(path: Path) -> tuple[str, str]:
    """Unit and period typed in an XLSX form's ThongTin sheet (placeholders for a CSV)."""
    unit_id, period = "xa-mau-01", "2000-Y"
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        if "ThongTin" in wb.sheetnames:
            ws = wb["ThongTin"]
            unit_id = str(ws["B3"].value or unit_id).strip()
            period = str(ws["B5"].value or period).strip()
        wb.close()
    return unit_id, period


def _looks_like_form(path: Path) -> bool:
    """True for an XLSX with form sheets, or a CSV whose header has indicator and value columns."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            import zipfile

            with zipfile.ZipFile(path) as zf:
                return b"ThongTin" in zf.read("xl/workbook.xml")
        if suffix == ".csv":
            head = path.read_bytes()[:400]
            for enc in ("utf-8-sig", "utf-16", "cp1258"):
                try:
                    text = head.decode(enc).lower()
                    break
                except UnicodeDecodeError:
                    continue
            else:
                return False
            first = text.splitlines()[0] if text else ""
            return ("indicator" in first or "chi_tieu" in first or "mã" in first) and "mahoso" not in first
    except Exception:  # noqa: BLE001 - unreadable files are reported by the records reader
        return False
    return False


def validate_paths(paths: list[Path], units_csv: Path) -> list[Issue]:
    """Validate folders (full ingest, nothing written) and single files."""
    issues: list[Issue] = []
    registry = None
    for path in paths:
        if path.is_dir() and (path / "units.csv").exists():
            issues += ingest(path, write=False).issues
        elif path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                registry = registry or load_registry(units_csv)
                issues += validate_file(f, registry)
        else:
            registry = registry or load_registry(units_csv)
            issues += validate_file(path, registry)
    return issues
