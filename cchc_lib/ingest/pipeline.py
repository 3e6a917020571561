"""Ingest: read what units send, validate it, and write the processed tables.

rows in = rows processed + rows rejected, for every file, always.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cchc_lib.config import RAW_DIR, processed_paths
from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.fmt import fmt_num, nfc
from cchc_lib.domain.issues import HasIssues, Issue, IssueLog
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry, check_unit_id
from cchc_lib.exceptions import PeriodError, UnitError
from cchc_lib.ingest.dossiers import aggregate, classify, read_records, records_periods
from cchc_lib.ingest.forms import FormResult, read_form
from cchc_lib.ingest.schemas import (
    DossierStatsSchema,
    IndicatorsSchema,
    UnitsSchema,
    arithmetic_schema,
    failure_cases,
)
from cchc_lib.ingest.validation_report import write_html, write_json

UNIT_COLUMNS = ["unit_id", "name", "level", "parent_id", "valid_from", "valid_to",
                "successor_id", "issuing_body", "parent_body", "place", "doc_code", "synthetic", "group"]
OPTIONAL_UNIT_COLUMNS = {"doc_code", "synthetic", "parent_body", "group"}
VALUE_COLUMNS = ["unit_id", "period", "code", "value", "scope", "source", "file", "sheet", "cell", "note"]
FORM_SUFFIXES = {".xlsx", ".csv", ".xls", ".ods", ".txt"}


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


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file (first 16 hex digits)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------- units


def read_units(path: Path, rel: str, log: IssueLog) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and validate units.csv; return (valid units, rejects, file summary)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in UNIT_COLUMNS if c not in raw.columns and c not in OPTIONAL_UNIT_COLUMNS]
    if missing:
        log.error("missing_column", f"units.csv thiếu cột: {', '.join(missing)}.", file=rel, row=1)
        return pd.DataFrame(columns=UNIT_COLUMNS), raw.assign(rule="missing_column"), {
            "file": rel, "kind": "đơn vị", "rows_in": len(raw), "rows_ok": 0, "rows_rejected": len(raw)}
    frame = raw.copy()
    for col in UNIT_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[UNIT_COLUMNS]
    for col in UNIT_COLUMNS:
        frame[col] = frame[col].map(lambda v: nfc(v) if isinstance(v, str) else v)
        frame[col] = frame[col].replace("", None)
    for flag in ("synthetic", "group"):
        frame[flag] = frame[flag].fillna("0").str.lower().isin(["1", "true", "có", "yes"])
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col], errors="coerce", format="%Y-%m-%d")
    bad_rows: dict[int, tuple[str, str, str]] = {}
    try:
        UnitsSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in failure_cases(exc).itertuples():
            if case.index is None or pd.isna(case.index):
                continue
            idx = int(case.index)
            column = case.column if isinstance(case.column, str) and case.column in frame.columns else ""
            if idx not in bad_rows:
                bad_rows[idx] = (str(case.check), column, str(raw.iloc[idx].get(column, "")) if column else "")
    for idx, (check, column, value) in sorted(bad_rows.items()):
        log.error("bad_unit_row", f"Dòng đơn vị {raw.iloc[idx]['unit_id']!r} vi phạm quy tắc {check}.",
                  file=rel, row=idx + 2, column=column, value=value)
    ok = frame.drop(index=list(bad_rows))
    rejects = raw.iloc[list(bad_rows)].assign(
        file=rel, row=[i + 2 for i in bad_rows], rule=[v[0] for v in bad_rows.values()])
    summary = {"file": rel, "kind": "đơn vị", "rows_in": len(raw), "rows_ok": len(ok),
               "rows_rejected": len(rejects)}
    return ok.reset_index(drop=True), rejects, summary


# ----------------------------------------------------------------------------- forms


def _locate_form(path: Path, forms_dir: Path, registry: Registry, log: IssueLog,
                 rel: str) -> tuple[str, str] | None:
    period_code = path.parent.name if path.parent != forms_dir else ""
    try:
        period = Period.parse(period_code)
    except PeriodError as exc:
        log.error("bad_period", f"Thư mục kỳ {period_code!r}: {exc}", file=rel, value=period_code)
        return None
    try:
        unit_id = check_unit_id(path.stem)
    except UnitError as exc:
        log.error("unit_id_format", str(exc), file=rel, value=path.stem)
        return None
    if unit_id not in registry:
        log.error("unknown_unit", f"Đơn vị {unit_id!r} (tên tệp) không có trong data/raw/units.csv.",
                  file=rel, value=unit_id)
        return None
    try:
        registry.require_valid(unit_id, period)
    except UnitError as exc:
        log.error("unit_not_valid", str(exc), file=rel, value=unit_id, unit_id=unit_id, period=period.code)
        return None
    return unit_id, period.code


def _arithmetic(values: pd.DataFrame, catalog: Catalog, log: IssueLog) -> set[int]:
    """Check the catalog's arithmetic per (unit, period, scope); return row ids to reject."""
    if values.empty:
        return set()
    keys = ["unit_id", "period", "scope"]
    wide = values.pivot_table(index=keys, columns="code", values="value", aggfunc="first")
    codes = [i.code for i in catalog.inputs]
    wide = wide.reindex(columns=codes).reset_index()
    schema = arithmetic_schema(catalog)
    try:
        schema.validate(wide, lazy=True)
        return set()
    except pa.errors.SchemaErrors as exc:
        cases = failure_cases(exc)
    lookup = values.reset_index().set_index(["unit_id", "period", "scope", "code"])["index"]
    reject_ids: set[int] = set()
    for case in cases.itertuples():
        if case.index is None or pd.isna(case.index):
            continue
        row = wide.iloc[int(case.index)]
        rule, _, expr = str(case.check).partition(":")
        if rule == "parts_sum":
            total, parts = expr.split("=")
            part_codes = parts.split("+")
            involved = [total, *part_codes]
            total_v = row[total]
            part_codes = [p for p in part_codes if pd.notna(row[p])]
            parts_v = [row[p] for p in part_codes]
            message = (f"{total} = {fmt_num(total_v)} nhưng "
                       + " + ".join(f"{p} {fmt_num(v)}" for p, v in zip(part_codes, parts_v, strict=True))
                       + f" = {fmt_num(sum(parts_v))} (lệch {fmt_num(sum(parts_v) - total_v)}).")
        elif rule == "part_exceeds_whole":
            part, whole = expr.split("<=")
            involved = [part, whole]
            message = f"{part} = {fmt_num(row[part])} lớn hơn tổng {whole} = {fmt_num(row[whole])}."
        else:
            continue
        cells = []
        for code in involved:
            key = (row["unit_id"], row["period"], row["scope"], code)
            if key in lookup.index:
                rid = int(lookup.loc[key])
                reject_ids.add(rid)
                cells.append(values.loc[rid])
        first = cells[0] if cells else {}
        log.error(rule, message + " Các ô liên quan bị loại khỏi báo cáo cho đến khi sửa.",
                  file=first.get("file", ""), sheet=first.get("sheet", "") or "",
                  cell=", ".join(str(c.get("cell", "")) for c in cells),
                  column="Số liệu", value=", ".join(fmt_num(c["value"]) for c in cells),
                  unit_id=row["unit_id"], period=row["period"])
    return reject_ids


# ----------------------------------------------------------------------------- main


def ingest(raw_dir: Path = RAW_DIR, processed_dir: Path | None = None,
           catalog: Catalog | None = None, write: bool = True) -> IngestResult:
    """Read data/raw/, validate everything, and write data/processed/."""
    t0 = time.perf_counter()
    catalog = catalog or load_catalog()
    raw_dir = Path(raw_dir)
    paths = processed_paths(processed_dir)
    log = IssueLog()
    files: list[dict] = []
    rejects: dict[str, pd.DataFrame] = {}
    hashes: dict[str, str] = {}

    def rel(p: Path) -> str:
        # Files are named as the analyst knows them, whatever folder the raw tree sits in.
        return "data/raw/" + p.relative_to(raw_dir).as_posix()

    units_path = raw_dir / "units.csv"
    units, unit_rejects, summary = read_units(units_path, rel(units_path), log)
    files.append(summary)
    hashes[rel(units_path)] = file_hash(units_path)
    if len(unit_rejects):
        rejects[rel(units_path)] = unit_rejects
    registry = Registry(units)

    # forms
    forms_dir = raw_dir / "forms"
    form_rows: list[dict] = []
    form_results: list[FormResult] = []
    for path in sorted(p for p in forms_dir.rglob("*") if p.is_file() and p.name != "README.md"):
        r = rel(path)
        hashes[r] = file_hash(path)
        located = _locate_form(path, forms_dir, registry, log, r)
        if located is None:
            files.append({"file": r, "kind": "biểu mẫu", "rows_in": 0, "rows_ok": 0, "rows_rejected": 0})
            rejects[r] = pd.DataFrame([{"file": r, "rule": log.items[-1].rule, "reason": log.items[-1].message}])
            continue
        unit_id, period = located
        result = read_form(path, unit_id, period, r, catalog)
        log.extend(result.issues)
        form_results.append(result)
        form_rows.extend(result.values)

    values = pd.DataFrame(form_rows, columns=VALUE_COLUMNS)
    bad_ids = _arithmetic(values, catalog, log)
    extra_rejects: dict[str, list[dict]] = {}
    for rid in sorted(bad_ids):
        row = values.loc[rid].to_dict()
        issue = next((i for i in reversed(log.items) if i.unit_id == row["unit_id"] and row["cell"] in i.cell), None)
        extra_rejects.setdefault(row["file"], []).append(
            row | {"rule": issue.rule if issue else "arithmetic", "reason": issue.message if issue else ""})
    values = values.drop(index=list(bad_ids))

    # dossier records
    dossier_dir = raw_dir / "dossiers"
    record_frames = []
    for path in sorted(p for p in dossier_dir.rglob("*") if p.is_file() and p.name != "README.md"):
        r = rel(path)
        hashes[r] = file_hash(path)
        res = read_records(path, r, registry)
        log.extend(res.issues)
        n_rej = res.rows_in - (0 if res.records is None else len(res.records))
        n_ok = 0 if res.records is None else len(res.records)
        files.append({"file": r, "kind": "hồ sơ TTHC", "rows_in": res.rows_in, "rows_ok": n_ok,
                      "rows_rejected": n_rej})
        if res.rejects is not None:
            rejects[r] = res.rejects
        if res.records is not None and len(res.records):
            record_frames.append(res.records)
    stats = pd.DataFrame(columns=["unit_id", "period", "field", "received", "online", "early", "on_time",
                                  "late", "pending_in_time", "pending_overdue"])
    record_values = pd.DataFrame(columns=VALUE_COLUMNS)
    if record_frames:
        records = pd.concat(record_frames, ignore_index=True)
        periods = records_periods(records, extra=sorted(values["period"].unique()))
        stat_parts, value_parts = [], []
        for period in periods:
            classified = classify(records, period_window(period), registry)
            s, v = aggregate(classified, period.code)
            stat_parts.append(s)
            value_parts.append(v)
        if stat_parts:
            stats = pd.concat(stat_parts, ignore_index=True)
            record_values = pd.concat(value_parts, ignore_index=True).assign(
                scope="own", source="records", file="data/raw/dossiers", sheet="", cell="", note="")
            record_values = record_values[VALUE_COLUMNS]

    # records win over typed form values; a disagreement is a warning
    superseded: set[int] = set()
    if len(record_values) and len(values):
        rec_index = record_values.set_index(["unit_id", "period", "code"])["value"]
        for rid, row in values[values["scope"] == "own"].iterrows():
            key = (row["unit_id"], row["period"], row["code"])
            if key in rec_index.index:
                rec = float(rec_index.loc[key])
                superseded.add(rid)
                reason = "trùng với số liệu trích xuất từ phần mềm một cửa"
                if not np.isclose(rec, row["value"]):
                    reason = (f"số nhập tay {fmt_num(row['value'])} khác số trích xuất "
                              f"{fmt_num(rec)}; báo cáo dùng số trích xuất")
                    log.warning("records_disagree", f"{row['code']}: {reason}.", file=row["file"],
                                sheet=row["sheet"] or "", cell=row["cell"] or "", value=fmt_num(row["value"]),
                                unit_id=row["unit_id"], period=row["period"])
                extra_rejects.setdefault(row["file"], []).append(
                    row.to_dict() | {"rule": "superseded_by_records", "reason": reason})
    values = values.drop(index=list(superseded))

    for result in form_results:
        kept = int((values["file"] == result.file).sum())
        moved = len(extra_rejects.get(result.file, []))
        rej = result.rejects + extra_rejects.get(result.file, [])
        if rej:
            rejects[result.file] = pd.DataFrame(rej)
        files.append({"file": result.file, "kind": "biểu mẫu", "rows_in": result.rows_in,
                      "rows_ok": kept, "rows_rejected": result.rows_rejected + moved,
                      "blank": result.blank})

    # report params: checked here too, so that the validation report lists every problem
    params_dir = raw_dir.parent.parent / "params" / "reports"
    if params_dir.is_dir():
        from cchc_lib.ingest.params import load_params

        for path in sorted(params_dir.glob("*/*.yaml")):
            try:
                period = Period.parse(path.parent.name)
            except PeriodError as exc:
                log.error("bad_period", str(exc), file=f"params/reports/{path.parent.name}/{path.name}")
                continue
            _, p_issues, _ = load_params(path.stem, period, params_dir, registry)
            log.extend(p_issues)
            if path.stem not in registry:
                log.error("unknown_unit", f"Tham số báo cáo cho đơn vị {path.stem!r} không có trong danh mục.",
                          file=f"params/reports/{period.code}/{path.name}", value=path.stem)

    indicators = pd.concat([values, record_values], ignore_index=True)
    indicators = indicators.sort_values(["unit_id", "period", "code", "scope"]).reset_index(drop=True)
    indicators = IndicatorsSchema.validate(indicators)
    stats = DossierStatsSchema.validate(stats.reset_index(drop=True))

    issues = log.items
    result = IngestResult(issues, files, units, indicators, stats, time.perf_counter() - t0, hashes)
    if write:
        write_outputs(result, rejects, paths)
    return result


def period_window(period: Period):
    """Return the default window of ``period`` (report overrides apply at report time)."""
    from cchc_lib.domain.periods import window

    return window(period)


def write_outputs(result: IngestResult, rejects: dict[str, pd.DataFrame], paths: dict[str, Path]) -> None:
    """Write processed tables, rejects and the validation report."""
    base = paths["units"].parent
    base.mkdir(parents=True, exist_ok=True)
    rej_dir = paths["rejects"]
    rej_dir.mkdir(parents=True, exist_ok=True)
    for old in rej_dir.glob("*.csv"):
        old.unlink()
    result.units.to_parquet(paths["units"], index=False)
    result.indicators.to_parquet(paths["indicators"], index=False)
    result.dossier_stats.to_parquet(paths["dossier_stats"], index=False)
    for name, frame in rejects.items():
        safe = str(Path(name.replace("data/raw/", "")).with_suffix("")).replace("/", "__")
        frame.to_csv(rej_dir / f"{safe}.csv", index=False, encoding="utf-8-sig")
    (base / "input_hashes.json").write_text(
        __import__("json").dumps(result.hashes, indent=1, sort_keys=True), "utf-8")
    write_json(paths["issues"], result.issues, result.files)
    write_html(paths["report_html"], result.issues, result.files)
