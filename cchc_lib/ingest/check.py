"""Validate raw folders, params and single files, printing issues without writing outputs.

``cchc validate`` with no argument checks what a report reads: data/raw (a full ingest, nothing
written), every params/reports/<period>/<unit>.yaml and params/targets.yaml. In any folder, a YAML
whose parent folder is a period code is a report's params and a file named targets.yaml is the
targets; README and other Markdown files are not inputs and are skipped. Every path printed exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cchc_lib import config
from cchc_lib.domain.issues import ERROR, HasIssues, Issue, IssueLog
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry, check_unit_id
from cchc_lib.exceptions import PeriodError, UnitError
from cchc_lib.ingest.dossiers import read_records
from cchc_lib.ingest.forms import read_form
from cchc_lib.ingest.pipeline import ingest, read_units
from cchc_lib.ingest.targets import validate_targets

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
    """What a file is: "skip" (README, Markdown, hidden), "targets", "params", "yaml" (other) or "data"."""
    name, suffix = path.name.lower(), path.suffix.lower()
    if suffix == ".md" or name.startswith(("readme", ".")):
        return "skip"
    if name in ("targets.yaml", "targets.yml"):
        return "targets"
    if suffix in YAML_SUFFIXES:
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
    if kind == "params":
        from cchc_lib.ingest.params import load_params

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


def validate_file(path: Path, registry: Registry) -> list[Issue]:
    """Validate one file: a form (under a period folder), a dossier export, a report's params or the targets."""
    path = Path(path)
    rel = shown_path(path)
    kind = role(path)
    if kind == "skip":
        return []
    if kind != "data":
        return _check_yaml(path, rel, registry)
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
            from cchc_lib.domain.issues import IssueLog as Log
            from cchc_lib.ingest.pipeline import VALUE_COLUMNS, _arithmetic

            log = Log()
            _arithmetic(pd.DataFrame(result.values, columns=VALUE_COLUMNS), __import__(
                "cchc_lib.domain.catalog", fromlist=["load_catalog"]).load_catalog(), log)
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
            from cchc_lib.domain.catalog import load_catalog
            from cchc_lib.domain.issues import IssueLog as Log
            from cchc_lib.ingest.pipeline import VALUE_COLUMNS, _arithmetic

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


@dataclass
class ValidationRun(HasIssues):
    """What a validation found: the issues, and every file checked (as printed)."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The final line: files checked, errors, warnings."""
        n_err = len(self.errors)
        return f"Đã kiểm tra {len(self.files)} tệp: {n_err} lỗi, {len(self.issues) - n_err} cảnh báo."


def default_paths() -> list[Path]:
    """What ``cchc validate`` checks with no argument: data/raw, params/reports, params/targets.yaml."""
    return [p for p in (config.RAW_DIR, config.REPORT_PARAMS_DIR, config.TARGETS_YAML) if p.exists()]


class _Checker:
    """Walks the given paths once each, remembering what was checked so nothing is reported twice."""

    def __init__(self, units_csv: Path) -> None:
        self.units_csv = Path(units_csv)
        self.run = ValidationRun()
        self.seen: set[Path] = set()
        self._registry: Registry | None = None

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = load_registry(self.units_csv)
        return self._registry

    def file(self, path: Path, registry: Registry | None = None) -> None:
        key = path.resolve()
        if key in self.seen or role(path) == "skip":
            return
        self.seen.add(key)
        self.run.files.append(shown_path(path))
        self.run.issues.extend(validate_file(path, registry or self.registry))

    def folder(self, folder: Path) -> None:
        if (folder / "units.csv").is_file():
            self.raw(folder)
            return
        for child in sorted(folder.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir():
                self.folder(child)
            elif child.is_file():
                self.file(child)

    def raw(self, raw: Path) -> None:
        """A raw folder: full ingest (nothing written), then the params beside it and any YAML inside it."""
        if raw.resolve() in self.seen:
            return
        self.seen.add(raw.resolve())
        result = ingest(raw, write=False)

        def where(rel: str) -> str:
            # ingest names files "data/raw/..." whatever folder it read: print the real path instead.
            return shown_path(raw / rel.removeprefix("data/raw/")) if rel.startswith("data/raw/") else rel

        for issue in result.issues:
            if issue.file.startswith("params/"):
                continue  # ingest's check of params/reports, redone below at the path it really read
            issue.file = where(issue.file)
            self.run.issues.append(issue)
        self.run.files += [where(f["file"]) for f in result.files]
        self.seen.add((raw / "units.csv").resolve())
        for sub in ("forms", "dossiers"):
            self.seen |= {p.resolve() for p in (raw / sub).rglob("*") if p.is_file()}
        registry = Registry(result.units)
        beside = raw.absolute().parent.parent / "params" / "reports"
        inside = [p for p in raw.rglob("*") if p.is_file() and p.resolve() not in self.seen]
        beside_files = list(beside.rglob("*")) if beside.is_dir() else []
        for path in sorted(beside_files) + sorted(inside):
            if path.is_file() and role(path) in ("targets", "params", "yaml"):
                self.file(path, registry)


def check_paths(paths: list[Path], units_csv: Path | None = None) -> ValidationRun:
    """Validate folders (a raw folder by full ingest, nothing written), params, targets and single files.

    ``units_csv`` is the unit list for files outside a raw folder (default data/raw/units.csv).
    """
    checker = _Checker(units_csv or config.UNITS_CSV)
    for path in map(Path, paths):
        if path.is_dir():
            checker.folder(path)
        else:
            checker.file(path)
    return checker.run


def validate_paths(paths: list[Path], units_csv: Path | None = None) -> list[Issue]:
    """The issues of ``check_paths``."""
    return check_paths(paths, units_csv).issues
