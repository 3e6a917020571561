"""Validate raw folders, params and single files, printing issues without writing outputs.

``cchc validate`` with no argument checks what a report reads: data/raw (a full ingest, nothing
written), every params/reports/<period>/<unit>.yaml and params/targets.yaml. In any folder, a YAML
whose parent folder is a period code is a report's params and a file named targets.yaml is the
targets; README and other Markdown files are not inputs and are skipped. Every path printed exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib import config
from cchc_lib.domain.issues import HasIssues, Issue
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.check_file import load_registry, role, shown_path, validate_file
from cchc_lib.ingest.pipeline import ingest

__all__ = ["ValidationRun", "check_paths", "default_paths", "load_registry", "role", "shown_path",
           "validate_file", "validate_paths"]


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
    """What ``cchc validate`` checks with no argument: data/raw, params/reports, targets.yaml and ingest.yaml."""
    return [p for p in (config.RAW_DIR, config.REPORT_PARAMS_DIR, config.TARGETS_YAML, config.INGEST_YAML)
            if p.exists()]


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
        if registry is None:
            registry, units_source = self.registry, shown_path(self.units_csv)
        else:
            units_source = "danh mục đơn vị"
        self.run.issues.extend(validate_file(path, registry, units_source))

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
        beside = raw.absolute().parent.parent / "params" / "reports"
        result = ingest(raw, write=False, params_dir=beside)

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
        inside = [p for p in raw.rglob("*") if p.is_file() and p.resolve() not in self.seen]
        beside_files = list(beside.rglob("*")) if beside.is_dir() else []
        beside_files += [p for p in (beside.parent / "ingest.yaml",) if p.is_file()]
        for path in sorted(beside_files) + sorted(inside):
            if path.is_file() and role(path) in ("targets", "settings", "params", "yaml"):
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
