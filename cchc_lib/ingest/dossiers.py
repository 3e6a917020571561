"""Dossier records from the one-stop-shop software: read (:mod:`~cchc_lib.ingest.dossier_records`), classify, aggregate.

Classification at the end of a data window: a dossier finished before its due
date is early, on it on time, after it late; an unfinished dossier is pending in
time (due date not yet passed) or overdue.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cchc_lib.domain.periods import Period, Window
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.dossier_records import HEADER_ALIASES, RecordsResult, read_records

__all__ = ["COUNT_COLUMNS", "HEADER_ALIASES", "INDICATOR_MAP", "RecordsResult", "aggregate", "classify",
           "read_records", "records_periods"]

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
