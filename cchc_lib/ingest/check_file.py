"""Validating one file: a form, a dossier export, a report's params or the targets, told apart by name and place.

In any folder, a YAML whose parent folder is a period code is a report's params and a file
named targets.yaml is the targets; README and other Markdown files are not inputs and are skipped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.issues import ERROR, Issue, IssueLog
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry
from cchc_lib.exceptions import PeriodError
from cchc_lib.ingest.arithmetic import check_arithmetic
from cchc_lib.ingest.dossiers import merge_exports, read_records
from cchc_lib.ingest.forms import INFO_SHEET, VALUE_COLUMNS, FormResult, locate_form, read_form
from cchc_lib.ingest.params import load_params
from cchc_lib.ingest.settings import SETTINGS_FILE, dossier_bound, load_settings
from cchc_lib.ingest.targets import validate_targets
from cchc_lib.ingest.unit_catalogs import read_unit_catalogs
from cchc_lib.ingest.units_file import read_units
from cchc_lib.ingest.workbook_open import UNREADABLE

YAML_SUFFIXES = (".yaml", ".yml")


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


def shown_path(path: Path | str) -> str:
    """The path as printed: relative to the working folder when under it, else as given."""
    path = Path(path)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def role(path: Path) -> str:
    """What a file is: "skip" (README, Markdown, hidden), "targets", "settings", "params", "yaml" or "data"."""
    name, suffix = path.name.lower(), path.suffix.lower()
    if suffix == ".md" or name.startswith(("readme", ".")):
        return "skip"
    if name in ("targets.yaml", "targets.yml"):
        return "targets"
    if name == SETTINGS_FILE and not _is_period(path.parent.name):
        return "settings"
    if suffix in YAML_SUFFIXES:
        if path.parent.name == "catalog" and path.parent.parent.name == "params":
            return "unit_catalog"
        return "params" if _is_period(path.parent.name) else "yaml"
    return "data"


def _check_yaml(path: Path, rel: str, registry: Registry) -> list[Issue]:
    """A targets file, a report's params, or a YAML that is neither (said, not silently ignored)."""
    kind = role(path)
    issues: list[Issue] = []
    if path.suffix.lower() == ".yml" and kind in ("targets", "params"):
        right = "targets.yaml" if kind == "targets" else f"{path.stem}.yaml"
        issues.append(Issue(ERROR, "yaml_extension",
                            f"Tệp {path.name} không được đọc khi lập báo cáo (chỉ đọc tệp đuôi .yaml): "
                            f"đổi tên thành {right}.", file=rel, value=path.name))
    if kind == "targets":
        return issues + validate_targets(path, shown=rel)
    if kind == "settings":
        return load_settings(path, rel)[1]
    if kind == "unit_catalog":  # read with the other units' declarations (a code given twice is across files)
        found = read_unit_catalogs(path.parent, load_catalog(), registry, shown_dir=rel.rsplit("/", 1)[0])
        return [i for i in found.issues if i.file == rel]
    if kind == "params":
        period = Period.parse(path.parent.name)
        if path.suffix.lower() == ".yml":
            return issues
        _, found, _ = load_params(path.stem, period, path.parent.parent, registry)
        for issue in found:
            issue.file = rel
        issues += found
        if path.stem not in registry:
            issues.append(Issue(ERROR, "unknown_unit",
                                f"Tên tệp tham số báo cáo phải là mã đơn vị, nhưng {path.stem!r} không có trong "
                                "danh mục đơn vị (units.csv): đặt tên tệp theo mã đơn vị của báo cáo (ví dụ "
                                "tp-bien-hoa.yaml) hoặc thêm đơn vị vào units.csv.",
                                file=rel, value=path.stem, period=period.code))
        return issues
    folder = path.parent.name
    if folder.startswith(("19", "20")) or path.parent.parent.name == "reports":
        try:
            Period.parse(folder)
        except PeriodError as exc:
            return issues + [Issue(ERROR, "bad_period",
                                   f"Tệp tham số báo cáo nằm trong thư mục {folder!r}, không phải mã kỳ. {exc} "
                                   f"Chuyển tệp vào thư mục kỳ, ví dụ params/reports/2024-H1/{path.stem}.yaml.",
                                   file=rel, value=folder)]
    return issues + [Issue("warning", "unknown_yaml",
                           "Tệp YAML này không phải tham số báo cáo (phải nằm trong thư mục kỳ, ví dụ "
                           "params/reports/2024-H1/<mã đơn vị>.yaml) cũng không phải tệp chỉ tiêu targets.yaml: "
                           "đã bỏ qua, không kiểm tra. Chuyển hoặc đổi tên tệp nếu đây là đầu vào của báo cáo.",
                           file=rel, value=path.name)]


def validate_file(path: Path, registry: Registry, units_source: str = "danh mục đơn vị") -> list[Issue]:
    """Validate one file: a form (under a period folder), a dossier export, a report's params or the targets.

    Parameters
    ----------
    path : Path
        The file.
    registry : Registry
        The units that forms, exports and params are checked against.
    units_source : str
        Where ``registry`` comes from, as a message naming an unknown unit says.

    Returns
    -------
    list of Issue
        Everything found, in the order found; nothing for a README or Markdown file.
    """
    path = Path(path)
    rel = shown_path(path)
    kind = role(path)
    if kind == "skip":
        return []
    if kind != "data":
        return _check_yaml(path, rel, registry)
    if _is_period(path.parent.name) or path.parent.name.startswith(("20", "19")):
        located = locate_form(path, path.parent.name, registry, rel, units_source)
        if isinstance(located, Issue):
            return [located]
        catalog = _form_catalog(path, registry)
        result = read_form(path, *located, rel, catalog)
        return list(result.issues) + _arithmetic_issues(result, catalog)
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
        return issues + _arithmetic_issues(result)
    return _export_issues(path, rel, registry)


def _export_issues(path: Path, rel: str, registry: Registry) -> list[Issue]:
    """A dossier export's findings, as the ingest gives them when the export sits in a raw folder.

    Inside data/raw/dossiers: the same date bound (params/ingest.yaml's ``as_of``, else the latest form
    period's due date) and the same comparison with the other exports there (a dossier in two files).
    """
    raw = path.parent.parent
    if path.parent.name != "dossiers" or not (raw / "units.csv").is_file():
        return list(read_records(path, rel, registry).issues)
    settings, problems = load_settings(raw.parent.parent / "params" / SETTINGS_FILE)
    latest = dossier_bound(raw, settings.as_of)
    exports = sorted(p for p in path.parent.rglob("*") if p.is_file() and p.name != "README.md")
    results = [read_records(p, rel if p == path else shown_path(p), registry, latest) for p in exports]
    mine = next(r for r, p in zip(results, exports, strict=True) if p == path)
    across = [i for i in merge_exports(results) if rel in (i.file, ) or rel in i.message]
    return problems + list(mine.issues) + across


def _form_catalog(path: Path, registry: Registry) -> Catalog:
    """The catalog a form in data/raw/forms/<period>/ is read with: the package's and the units' own indicators."""
    folder = path.parents[4] / "params" / "catalog" if len(path.parents) > 4 else None
    if path.parents[1].name != "forms" or folder is None or not folder.is_dir():
        return load_catalog()
    return read_unit_catalogs(folder, load_catalog(), registry).catalog


def _arithmetic_issues(result: FormResult, catalog: Catalog | None = None) -> list[Issue]:
    """The catalog's arithmetic on the values one form kept."""
    if not result.values:
        return []
    log = IssueLog()
    check_arithmetic(pd.DataFrame(result.values, columns=VALUE_COLUMNS), catalog or load_catalog(), log)
    return log.items


def _info_sheet(path: Path) -> tuple[str, str]:
    """Unit and period typed in an XLSX form's information sheet (placeholders for a CSV)."""
    unit_id, period = "xa-mau-01", "2000-Y"
    if path.suffix.lower() == ".xlsx":
        try:
            wb = load_workbook(path, read_only=True)
            if INFO_SHEET in wb.sheetnames:
                ws = wb[INFO_SHEET]
                unit_id = str(ws["B3"].value or unit_id).strip()
                period = str(ws["B5"].value or period).strip()
            wb.close()
        except UNREADABLE:  # a damaged workbook: read_form names the damage
            pass
    return unit_id, period


def _looks_like_form(path: Path) -> bool:
    """True for an XLSX with form sheets, or a CSV whose header has indicator and value columns."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                return INFO_SHEET.encode() in zf.read("xl/workbook.xml")
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
