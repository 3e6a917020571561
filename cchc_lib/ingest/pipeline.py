"""Ingest: read what units send, validate it, and write the processed tables.

rows in = rows processed + rows rejected, for every file, always.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib import digest
from cchc_lib.config import RAW_DIR, processed_paths
from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.fmt import fmt_num
from cchc_lib.domain.issues import HasIssues, Issue, IssueLog
from cchc_lib.domain.periods import Period, window
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.arithmetic import check_arithmetic
from cchc_lib.ingest.dossiers import aggregate, classify, merge_exports, read_records, records_periods
from cchc_lib.ingest.forms import VALUE_COLUMNS, FormResult, locate_form, read_form
from cchc_lib.ingest.params import check_reports_dir
from cchc_lib.ingest.rejects import write_rejects
from cchc_lib.ingest.schemas import DossierStatsSchema, indicators_schema
from cchc_lib.ingest.settings import SETTINGS_FILE, dossier_bound, load_settings
from cchc_lib.ingest.unit_catalogs import dump, out_of_scope, read_unit_catalogs
from cchc_lib.ingest.units_file import OPTIONAL_UNIT_COLUMNS, UNIT_COLUMNS, read_units
from cchc_lib.ingest.validation_report import write_html, write_json

__all__ = ["FORM_SUFFIXES", "OPTIONAL_UNIT_COLUMNS", "UNIT_COLUMNS", "VALUE_COLUMNS", "IngestResult",
           "file_hash", "ingest", "period_window", "read_units", "write_outputs"]

FORM_SUFFIXES = {".xlsx", ".csv", ".xls", ".ods", ".txt"}
STATS_COLUMNS = ["unit_id", "period", "field", "received", "online", "early", "on_time",
                 "late", "pending_in_time", "pending_overdue"]


@dataclass
class IngestResult(HasIssues):
    """Everything an ingest produced, for the CLI and the tests."""

    issues: list[Issue]
    files: list[dict]
    units: pd.DataFrame
    indicators: pd.DataFrame
    dossier_stats: pd.DataFrame
    seconds: float = 0.0
    hashes: dict[str, str] = field(default_factory=dict)
    catalog: Catalog | None = None  # the package catalog with the units' own indicators (params/catalog/)
    base: Catalog | None = None  # the catalog before the units' own indicators


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file (first 16 hex digits), as input_hashes.json lists it."""
    return digest.of_file(path)[:16]


def ingest(raw_dir: Path = RAW_DIR, processed_dir: Path | None = None, catalog: Catalog | None = None,
           write: bool = True, params_dir: Path | None = None, as_of: dt.date | None = None) -> IngestResult:
    """Read data/raw/, validate everything, and write data/processed/.

    Parameters
    ----------
    raw_dir : Path
        units.csv, forms/<period>/<unit>.xlsx|csv and dossiers/.
    processed_dir : Path, optional
        Where the tables, rejects and validation report go (default data/processed).
    catalog : Catalog, optional
        The indicators (default: the package catalog).
    write : bool
        False checks everything and writes nothing.
    params_dir : Path, optional
        The reports' params, checked here too so that the validation report lists every
        problem (default ``raw_dir/../../params/reports``, the project's params/reports).
    as_of : date, optional
        The last plausible dossier date; by default params/ingest.yaml's ``as_of``, else the due
        date of the latest form period (never the wall clock: the same inputs give the same bytes).

    Returns
    -------
    IngestResult
        Issues, per-file row counts, the tables and the inputs' hashes.
    """
    t0 = time.perf_counter()
    raw_dir = Path(raw_dir)
    run = _Run(raw_dir, catalog or load_catalog())
    params_dir = raw_dir.parent.parent / "params" / "reports" if params_dir is None else Path(params_dir)
    registry = run.units()
    run.unit_catalogs(params_dir.parent / "catalog", registry)
    form_results, values = run.forms(registry)
    if as_of is None:
        settings, problems = load_settings(params_dir.parent / SETTINGS_FILE)
        run.log.extend(problems)
        as_of = settings.as_of
    stats, record_values = run.records(registry, sorted(values["period"].unique()), dossier_bound(raw_dir, as_of))
    values = run.supersede(values, record_values)
    run.summarise_forms(form_results, values)
    run.log.extend(check_reports_dir(params_dir, registry))
    indicators = pd.concat([values, record_values], ignore_index=True)
    indicators = indicators.sort_values(["unit_id", "period", "code", "scope"]).reset_index(drop=True)
    indicators = indicators_schema(run.catalog).validate(indicators)
    stats = DossierStatsSchema.validate(stats.reset_index(drop=True))
    result = IngestResult(run.log.items, run.files, run.units_frame, indicators, stats,
                          time.perf_counter() - t0, run.hashes, run.catalog, run.base)
    if write:
        write_outputs(result, run.rejects, processed_paths(processed_dir))
    return result


@dataclass
class _Run:
    """One ingest's state: the issues, file summaries, rejects and hashes, in the order found."""

    raw_dir: Path
    catalog: Catalog
    log: IssueLog = field(default_factory=IssueLog)
    files: list[dict] = field(default_factory=list)
    rejects: dict[str, pd.DataFrame] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    moved: dict[str, list[dict]] = field(default_factory=dict)  # form values rejected after reading, per file
    units_frame: pd.DataFrame | None = None
    base: Catalog | None = None

    def rel(self, path: Path) -> str:
        """The file as the analyst knows it, whatever folder the raw tree sits in."""
        return "data/raw/" + path.relative_to(self.raw_dir).as_posix()

    def inputs(self, sub: str) -> list[Path]:
        """The files under ``raw_dir/sub`` (README.md aside), hashed as they are listed.

        A link that leads outside the raw tree is an error and is not read: nothing outside data/raw
        reaches a report.
        """
        inside = self.raw_dir.resolve()
        paths = []
        for p in sorted(p for p in (self.raw_dir / sub).rglob("*") if p.is_file() and p.name != "README.md"):
            if not p.resolve().is_relative_to(inside):
                self.log.error("outside_raw", f"Tệp là liên kết tới {p.resolve()}, nằm ngoài thư mục data/raw; "
                               "không đọc.", file=self.rel(p))
                continue
            paths.append(p)
            self.hashes[self.rel(p)] = file_hash(p)
        return paths

    def units(self) -> Registry:
        """Read units.csv into the registry every other input is checked against."""
        path = self.raw_dir / "units.csv"
        units, unit_rejects, summary = read_units(path, self.rel(path), self.log)
        self.files.append(summary)
        self.hashes[self.rel(path)] = file_hash(path)
        if len(unit_rejects):
            self.rejects[self.rel(path)] = unit_rejects
        self.units_frame = units
        return Registry(units)

    def unit_catalogs(self, folder: Path, registry: Registry) -> None:
        """Extend the catalog with the units' own indicators (params/catalog/<unit_id>.yaml)."""
        self.base = self.catalog
        found = read_unit_catalogs(folder, self.catalog, registry)
        self.catalog = found.catalog
        self.log.extend(found.issues)
        for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []:
            self.hashes[f"params/catalog/{path.name}"] = file_hash(path)

    def out_of_scope(self, values: pd.DataFrame, registry: Registry) -> list[int]:
        """Rows of a unit-defined indicator sent by a unit that is not its owner or below it (an error each)."""
        bad = []
        for rid, row in values[values["code"].map(lambda c: bool(self.catalog[c].owner) if c in self.catalog
                                                  else False)].iterrows():
            owner = out_of_scope(row["code"], row["unit_id"], self.catalog, registry)
            if owner:
                self.log.error("unit_indicator_scope", f"{row['code']} là chỉ tiêu riêng của {owner} "
                               f"(params/catalog/{owner}.yaml); {row['unit_id']} không thuộc {owner} nên không dùng "
                               "được mã này: dùng mã của danh mục chung, hoặc khai báo chỉ tiêu trong "
                               f"params/catalog/{row['unit_id']}.yaml.", file=row["file"], sheet=row["sheet"] or "",
                               cell=row["cell"] or "", column="indicator", value=row["code"], unit_id=row["unit_id"],
                               period=row["period"], indicator=row["code"])
                bad.append(rid)
        return bad

    def forms(self, registry: Registry) -> tuple[list[FormResult], pd.DataFrame]:
        """Read every form; return the results and their values, minus those that break the arithmetic."""
        forms_dir = self.raw_dir / "forms"
        results: list[FormResult] = []
        for path in self.inputs("forms"):
            r = self.rel(path)
            period_code = path.parent.name if path.parent != forms_dir else ""
            located = locate_form(path, period_code, registry, r)
            if isinstance(located, Issue):
                self.log.extend([located])
                self.files.append({"file": r, "kind": "biểu mẫu", "rows_in": 0, "rows_ok": 0, "rows_rejected": 0})
                self.rejects[r] = pd.DataFrame([{"file": r, "rule": located.rule, "reason": located.message}])
                continue
            result = read_form(path, *located, r, self.catalog)
            self.log.extend(result.issues)
            results.append(result)
        values = pd.DataFrame([v for result in results for v in result.values], columns=VALUE_COLUMNS)
        bad_ids = set(self.out_of_scope(values, registry))
        bad_ids |= set(check_arithmetic(values.drop(index=list(bad_ids)), self.catalog, self.log))
        for rid in sorted(bad_ids):
            row = values.loc[rid].to_dict()
            issue = next((i for i in reversed(self.log.items)
                          if i.unit_id == row["unit_id"] and row["cell"] in i.cell), None)
            self.moved.setdefault(row["file"], []).append(
                row | {"rule": issue.rule if issue else "arithmetic", "reason": issue.message if issue else ""})
        return results, values.drop(index=list(bad_ids))

    def records(self, registry: Registry, form_periods: list[str],
                latest: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read every dossier export; return (stats per unit and field, indicator values) per covered period.

        Dates after ``latest`` (:func:`~cchc_lib.ingest.settings.dossier_bound`) are rejected; a dossier in
        several exports counts once (:func:`~cchc_lib.ingest.dossiers.merge_exports`).
        """
        results = [read_records(path, self.rel(path), registry, latest) for path in self.inputs("dossiers")]
        merged = merge_exports(results)
        frames = []
        for res in results:
            r = res.file
            self.log.extend(res.issues)
            n_ok = 0 if res.records is None else len(res.records)
            self.files.append({"file": r, "kind": "hồ sơ TTHC", "rows_in": res.rows_in, "rows_ok": n_ok,
                               "rows_rejected": res.rows_in - n_ok})
            if res.rejects is not None:
                self.rejects[r] = res.rejects
            if res.records is not None and len(res.records):
                frames.append(res.records)
        self.log.extend(merged)
        stats, values = pd.DataFrame(columns=STATS_COLUMNS), pd.DataFrame(columns=VALUE_COLUMNS)
        if not frames:
            return stats, values
        records = pd.concat(frames, ignore_index=True)
        stat_parts, value_parts = [], []
        for period in records_periods(records, extra=form_periods):
            s, v = aggregate(classify(records, period_window(period), registry), period.code)
            stat_parts.append(s)
            value_parts.append(v)
        if not stat_parts:
            return stats, values
        values = pd.concat(value_parts, ignore_index=True).assign(
            scope="own", source="records", file="data/raw/dossiers", sheet="", cell="", note="")
        return pd.concat(stat_parts, ignore_index=True), values[VALUE_COLUMNS]

    def supersede(self, values: pd.DataFrame, record_values: pd.DataFrame) -> pd.DataFrame:
        """Records win over typed form values; a disagreement is a warning."""
        superseded: set[int] = set()
        if not (len(record_values) and len(values)):
            return values
        rec_index = record_values.set_index(["unit_id", "period", "code"])["value"]
        for rid, row in values[values["scope"] == "own"].iterrows():
            key = (row["unit_id"], row["period"], row["code"])
            if key not in rec_index.index:
                continue
            rec = float(rec_index.loc[key])
            superseded.add(rid)
            reason = "trùng với số liệu trích xuất từ phần mềm một cửa"
            if not np.isclose(rec, row["value"]):
                reason = (f"số nhập tay {fmt_num(row['value'])} khác số trích xuất "
                          f"{fmt_num(rec)}; báo cáo dùng số trích xuất")
                self.log.warning("records_disagree", f"{row['code']}: {reason}.", file=row["file"],
                                 sheet=row["sheet"] or "", cell=row["cell"] or "", value=fmt_num(row["value"]),
                                 unit_id=row["unit_id"], period=row["period"], indicator=row["code"])
            self.moved.setdefault(row["file"], []).append(
                row.to_dict() | {"rule": "superseded_by_records", "reason": reason})
        return values.drop(index=list(superseded))

    def summarise_forms(self, results: list[FormResult], values: pd.DataFrame) -> None:
        """Each form's row counts and rejects, counting the values rejected after reading."""
        for result in results:
            kept = int((values["file"] == result.file).sum())
            moved = self.moved.get(result.file, [])
            if result.rejects + moved:
                self.rejects[result.file] = pd.DataFrame(result.rejects + moved)
            self.files.append({"file": result.file, "kind": "biểu mẫu", "rows_in": result.rows_in,
                               "rows_ok": kept, "rows_rejected": result.rows_rejected + len(moved),
                               "blank": result.blank})


def period_window(period: Period):
    """Return the default window of ``period`` (report overrides apply at report time)."""
    return window(period)


def write_outputs(result: IngestResult, rejects: dict[str, pd.DataFrame], paths: dict[str, Path]) -> None:
    """Write processed tables, rejects and the validation report.

    Parameters
    ----------
    result : IngestResult
        What the ingest produced.
    rejects : dict
        File (as the analyst knows it) -> its rejected rows, one CSV each under ``paths["rejects"]``.
    paths : dict
        :func:`cchc_lib.config.processed_paths`.
    """
    base = paths["units"].parent
    base.mkdir(parents=True, exist_ok=True)
    result.units.to_parquet(paths["units"], index=False)
    result.indicators.to_parquet(paths["indicators"], index=False)
    result.dossier_stats.to_parquet(paths["dossier_stats"], index=False)
    write_rejects(paths["rejects"], rejects)
    if result.catalog is not None and result.base is not None:
        paths["unit_catalog"].write_text(dump(result.catalog, result.base), "utf-8")
    (base / "input_hashes.json").write_text(json.dumps(result.hashes, indent=1, sort_keys=True), "utf-8")
    write_json(paths["issues"], result.issues, result.files)
    write_html(paths["report_html"], result.issues, result.files)
