"""Dossier records from the one-stop-shop software: read (:mod:`~cchc_lib.ingest.dossier_records`), classify, aggregate.

Classification at the end of a data window: a dossier finished before its due
date is early, on it on time, after it late; an unfinished dossier is pending in
time (due date not yet passed) or overdue.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cchc_lib.domain.issues import Issue
from cchc_lib.domain.periods import Period, Window
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.dossier_records import HEADER_ALIASES, RecordsResult, read_records

__all__ = ["COUNT_COLUMNS", "HEADER_ALIASES", "INDICATOR_MAP", "RecordsResult", "aggregate", "classify",
           "merge_exports", "read_records", "records_periods"]

COUNT_COLUMNS = ["received", "carried_over", "online", "direct", "postal", "early", "on_time",
                 "late", "pending_in_time", "pending_overdue", "online_service",
                 "online_in_service", "digitised", "fee_bearing", "paid_online"]

# Record-derived counts -> catalog codes.
INDICATOR_MAP = {
    "TTHC_HS_TONG": ["received"],
    "TTHC_HS_KYTRUOC": ["carried_over"],
    "TTHC_HS_TRUCTUYEN": ["online"],
    "TTHC_HS_TRUCTIEP": ["direct"],
    "TTHC_HS_BUUCHINH": ["postal"],
    "TTHC_HS_DAGQ": ["early", "on_time", "late"],
    "TTHC_HS_DUNGHAN_TONG": ["early", "on_time"],
    "TTHC_HS_GQ_TRUOCHAN": ["early"],
    "TTHC_HS_GQ_DUNGHAN": ["on_time"],
    "TTHC_HS_GQ_TREHAN": ["late"],
    "TTHC_HS_DANGGQ": ["pending_in_time", "pending_overdue"],
    "TTHC_HS_DANGGQ_TRONGHAN": ["pending_in_time"],
    "TTHC_HS_DANGGQ_QUAHAN": ["pending_overdue"],
    "TTHC_HS_TREHAN_TONG": ["late", "pending_overdue"],
    "CDS_HS_DVCTT": ["online_service"],
    "CDS_HS_TRUCTUYEN": ["online_in_service"],
    "CDS_SOHOA_PHAMVI": ["received"],
    "CDS_SOHOA_HS": ["digitised"],
    "CDS_HS_COPHI": ["fee_bearing"],
    "CDS_HS_TT_KHONGTM": ["paid_online"],
}


def classify(records: pd.DataFrame, win: Window, registry: Registry | None = None) -> pd.DataFrame:
    """Return one row per dossier in scope of ``win`` with boolean outcome columns.

    In scope: received by the window's end and not finished before its start.
    """
    start = pd.Timestamp(win.start)
    end_next = pd.Timestamp(win.end + dt.timedelta(days=1))
    end_day = pd.Timestamp(win.end)
    received = records["received"]
    finished = records["finished"]
    scope = (received < end_next) & (finished.isna() | (finished >= start))
    r = records.loc[scope]
    fin = r["finished"]
    due_day = r["due"].dt.floor("D")
    resolved = fin.notna() & (fin < end_next)
    fin_day = fin.dt.floor("D")
    out = pd.DataFrame(index=r.index)
    unit_ids = r["unit_id"]
    if registry is not None:
        mapping = {u: registry.successor_on(u, win.end) for u in unit_ids.dropna().unique()}
        unit_ids = unit_ids.map(mapping)
    out["unit_id"] = unit_ids
    out["field"] = r["field"]
    out["received"] = True
    out["carried_over"] = r["received"] < start
    out["online"] = r["channel"] == "online"
    out["direct"] = r["channel"] == "direct"
    out["postal"] = r["channel"] == "postal"
    out["early"] = resolved & (fin_day < due_day)
    out["on_time"] = resolved & (fin_day == due_day)
    out["late"] = resolved & (fin_day > due_day)
    out["pending_in_time"] = ~resolved & (due_day >= end_day)
    out["pending_overdue"] = ~resolved & (due_day < end_day)
    out["online_service"] = r["online_service"]
    out["online_in_service"] = r["online_service"] & out["online"]
    out["digitised"] = r["digitised"]
    out["fee_bearing"] = r["fee_bearing"]
    out["paid_online"] = r["paid_online"] & r["fee_bearing"]
    return out


def aggregate(classified: pd.DataFrame, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregate classified dossiers to (unit, field) stats and unit indicator values."""
    counts = classified.groupby(["unit_id", "field"], observed=True, sort=True)[COUNT_COLUMNS].sum()
    counts = counts.astype("int64").reset_index()
    counts["unit_id"] = counts["unit_id"].astype(str)
    counts["field"] = counts["field"].astype(str)
    counts.insert(1, "period", period)
    per_unit = counts.groupby("unit_id", sort=True)[COUNT_COLUMNS].sum()
    rows = []
    for code, cols in INDICATOR_MAP.items():
        values = per_unit[cols].sum(axis=1)
        rows.append(pd.DataFrame({"unit_id": values.index, "code": code, "value": values.to_numpy(dtype=float)}))
    indicators = pd.concat(rows, ignore_index=True)
    indicators["period"] = period
    stats = counts[["unit_id", "period", "field", "received", "online", "early", "on_time", "late",
                    "pending_in_time", "pending_overdue"]]
    return stats, indicators


def records_periods(records: pd.DataFrame, extra: list[str] | None = None) -> list[Period]:
    """Periods whose whole default window is covered by the records' dates."""
    if records.empty:
        return []
    first = records["received"].min().date()
    last = max(records["received"].max(), records["finished"].max()).date()
    out = set()
    for year in range(first.year, last.year + 2):
        for kind in ("Q1", "H1", "Q3", "9M", "Y"):
            p = Period(year, kind)
            if p.start >= first - dt.timedelta(days=1) and p.end <= last:
                out.add(p)
    # Periods that forms report on are classified whenever their window overlaps the records.
    for code in extra or []:
        p = Period.parse(code)
        if p.start <= last and p.end >= first:
            out.add(p)
    return sorted(out, key=lambda p: p.sort_key)


# What two copies of a dossier must agree on to be the same dossier.
SAME_DOSSIER = ["unit_id", "procedure_code", "field", "channel", "received", "due", "finished", "returned",
                "digitised", "paid_online", "fee_bearing", "online_service"]


def merge_exports(results: list[RecordsResult]) -> list[Issue]:
    """Count a dossier (same id, same unit) found in several exports once; return the findings.

    Identical copies: the first file's is kept, the others are rejected (a warning naming both files).
    Copies that differ: every copy is rejected (an error naming both files). Each result's records,
    rows and rejects are updated, so that rows in = kept + rejected still holds per file.
    """
    parts = [(i, r) for i, r in enumerate(results) if r.records is not None and len(r.records)]
    if len(parts) < 2:
        return []
    keys = pd.concat([pd.DataFrame({"dossier_id": r.records["dossier_id"].astype("string").to_numpy(),
                                    "unit_id": r.records["unit_id"].astype("string").to_numpy(),
                                    "src": i, "pos": np.arange(len(r.records))}) for i, r in parts],
                     ignore_index=True)
    dup = keys[keys.duplicated(["dossier_id", "unit_id"], keep=False)].copy()
    if dup.empty:
        return []
    dup["sig"] = [_signature(results[src].records, pos) for src, pos in zip(dup["src"], dup["pos"], strict=True)]
    group = dup.groupby(["dossier_id", "unit_id"], sort=False)
    dup["first_src"] = group["src"].transform("min")
    conflict = group["sig"].transform("nunique") > 1
    dup["rule"] = np.where(conflict, "conflicting_duplicate", "duplicate_across_files")
    dup = dup[conflict | (dup["src"] != dup["first_src"])]
    later = dup[dup["src"] != dup["first_src"]]
    issues = [_pair_issue(results, rule, first, src, rows)
              for (rule, first, src), rows in later.groupby(["rule", "first_src", "src"], sort=True)]
    for src, rows in dup.groupby("src", sort=True):
        _drop(results[src], rows)
    return issues


def _signature(records: pd.DataFrame, pos: int) -> str:
    row = records.iloc[pos]
    return "\x1f".join(str(row[c]) if c in row.index else "" for c in SAME_DOSSIER)


def _pair_issue(results: list[RecordsResult], rule: str, first: int, src: int, rows: pd.DataFrame) -> Issue:
    """One finding per pair of files and rule, at the later file's first row."""
    here, there = results[src], results[first]
    lines = here.rows[rows["pos"].to_numpy()]
    shown = ", ".join(map(str, lines[:8])) + (f" và {len(lines) - 8} dòng khác" if len(lines) > 8 else "")
    if rule == "duplicate_across_files":
        text = (f"{len(rows)} hồ sơ (dòng {shown}) trùng hệt hồ sơ cùng mã, cùng đơn vị trong {there.file}: "
                "chỉ tính một lần, theo tệp kia.")
        severity = "warning"
    else:
        text = (f"{len(rows)} hồ sơ (dòng {shown}) có cùng mã, cùng đơn vị với hồ sơ trong {there.file} nhưng "
                "nội dung khác: loại cả hai bản ở cả hai tệp.")
        severity = "error"
    return Issue(severity, rule, text, file=here.file, row=int(lines[0]), column="dossier_id",
                 value=str(rows["dossier_id"].iloc[0]), unit_id=str(rows["unit_id"].iloc[0]))


def _drop(result: RecordsResult, rows: pd.DataFrame) -> None:
    """Move ``rows`` (positions in ``result.records``) to the rejects."""
    pos = rows["pos"].to_numpy()
    rej = pd.DataFrame({"file": result.file, "row": result.rows[pos], "column": "dossier_id",
                        "value_raw": rows["dossier_id"].to_numpy(), "rule": rows["rule"].to_numpy()})
    result.rejects = rej if result.rejects is None else pd.concat([result.rejects, rej], ignore_index=True)
    keep = np.ones(len(result.records), dtype=bool)
    keep[pos] = False
    result.records = result.records.loc[keep].reset_index(drop=True)
    result.rows = result.rows[keep]
