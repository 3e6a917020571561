"""Dossier records from the one-stop-shop software: read, normalise, classify, aggregate.

Classification at the end of a data window: a dossier finished before its due
date is early, on it on time, after it late; an unfinished dossier is pending in
time (due date not yet passed) or overdue.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.domain.fmt import name_key, nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.domain.periods import Period, Window
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.forms import decode_text

CANONICAL = [
    "dossier_id", "unit", "procedure_code", "field", "channel", "received", "due",
    "finished", "returned", "status", "digitised", "paid_online", "fee_bearing",
    "online_service",
]
REQUIRED = ["dossier_id", "unit", "channel", "received", "due"]

# Export headers seen in one-stop-shop software (as exported, ASCII or Vietnamese).
HEADER_ALIASES = {
    "dossier_id": ["dossier_id", "MaHoSo", "Ma_Ho_So", "SoHoSo", "Mã hồ sơ", "Số hồ sơ"],
    "unit": ["unit_id", "MaDonVi", "DonViXuLy", "TenDonVi", "CoQuanThucHien", "Đơn vị", "Đơn vị xử lý"],
    "procedure_code": ["procedure_code", "MaTTHC", "MaThuTuc", "Mã TTHC", "Mã thủ tục"],
    "field": ["field", "LinhVuc", "TenLinhVuc", "Lĩnh vực"],
    "channel": ["channel", "KenhThucHien", "HinhThucNop", "Kênh", "Kênh thực hiện", "Hình thức nộp"],
    "received": ["received", "NgayTiepNhan", "Ngày tiếp nhận"],
    "due": ["due", "NgayHenTra", "Ngày hẹn trả"],
    "finished": ["finished", "NgayKetThucXuLy", "NgayHoanThanh", "Ngày kết thúc xử lý", "Ngày hoàn thành"],
    "returned": ["returned", "NgayTraKetQua", "Ngày trả kết quả"],
    "status": ["status", "TrangThai", "Trạng thái"],
    "digitised": ["digitised", "DaSoHoa", "SoHoa", "Đã số hóa"],
    "paid_online": ["paid_online", "ThanhToanTrucTuyen", "ThanhToanKhongTienMat", "Thanh toán trực tuyến"],
    "fee_bearing": ["fee_bearing", "CoPhi", "CoThuPhi", "Có phí, lệ phí", "Có phí"],
    "online_service": ["online_service", "CoDVCTT", "DVCTT", "Có DVC trực tuyến"],
}
_ALIAS_KEYS = {name_key(a): canon for canon, names in HEADER_ALIASES.items() for a in names}

CHANNEL_WORDS = {
    "direct": ["direct", "trực tiếp", "tại quầy", "1"],
    "online": ["online", "trực tuyến", "qua mạng", "dvc trực tuyến", "2"],
    "postal": ["postal", "bưu chính", "bưu chính công ích", "bcci", "3"],
}
_CHANNEL_KEYS = {name_key(w): c for c, words in CHANNEL_WORDS.items() for w in words}
_TRUE = {"1", "true", "có", "co", "x", "yes", "đã số hóa", "y"}
_FALSE = {"0", "false", "không", "khong", "", "no", "n", "nan", "none", "<na>"}

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


@dataclass
class RecordsResult:
    """Canonical valid records of one file, with rejects and issues."""

    file: str
    records: pd.DataFrame | None = None
    rejects: pd.DataFrame | None = None
    issues: list[Issue] = field(default_factory=list)
    rows_in: int = 0


def _read_raw(path: Path, rel: str) -> tuple[pd.DataFrame | None, Issue | None]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path), None
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, engine="openpyxl"), None
        if suffix != ".csv":
            return None, Issue("error", "file_unreadable",
                               f"Định dạng {suffix} không được hỗ trợ (dùng .csv, .xlsx, .parquet).", file=rel)
        data = path.read_bytes()
        if not data.strip():
            return None, Issue("error", "empty_file", "Tệp rỗng.", file=rel)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or len(data) < 64_000_000:
            text, issue = decode_text(data, rel)
            if issue:
                return None, issue
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), None
        bom = data.startswith(b"\xef\xbb\xbf")
        del data
        frame = pd.read_csv(path, engine="pyarrow", encoding="utf-8-sig" if bom else "utf-8")
        return frame, None
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported to the analyst
        return None, Issue("error", "file_unreadable",
                           f"Không đọc được tệp: {type(exc).__name__}: {str(exc)[:200]}", file=rel)


def _parse_dates(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[us]")
    text = series.astype("string").str.strip()
    out = pd.to_datetime(text, format="%d/%m/%Y %H:%M:%S", errors="coerce")
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "ISO8601"):
        todo = out.isna() & text.notna() & (text != "")
        if not todo.any():
            break
        out = out.where(~todo, pd.to_datetime(text.where(todo), format=fmt, errors="coerce"))
    return out.astype("datetime64[us]")


def _parse_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool), pd.Series(False, index=series.index)
    if pd.api.types.is_integer_dtype(series):
        return series.fillna(0).astype(int) > 0, ~series.isin([0, 1]) & series.notna()
    uniques = pd.Series(series.astype("string").unique())
    mapping = {}
    for u in uniques:
        key = nfc(str(u)).lower() if u is not pd.NA else ""
        mapping[u] = True if key in _TRUE else (False if key in _FALSE else None)
    mapped = series.astype("string").map(mapping)
    bad = mapped.isna() & series.notna()
    return mapped.fillna(False).astype(bool), bad


def read_records(path: Path, rel: str, registry: Registry) -> RecordsResult:
    """Read one export of dossier records and return canonical valid rows.

    Rows that break a rule go to the rejects with their reason; nothing is dropped.
    """
    result = RecordsResult(rel)
    raw, issue = _read_raw(path, rel)
    if issue:
        result.issues.append(issue)
        result.rejects = pd.DataFrame([{"file": rel, "rule": issue.rule, "reason": issue.message}])
        return result
    result.rows_in = len(raw)
    if raw.empty:
        result.issues.append(Issue("error", "header_only", "Tệp chỉ có dòng tiêu đề, không có hồ sơ.", file=rel, row=1))
        result.rejects = pd.DataFrame([{"file": rel, "rule": "header_only", "reason": "không có dòng dữ liệu"}])
        return result
    rename, unknown = {}, []
    for col in raw.columns:
        canon = _ALIAS_KEYS.get(name_key(str(col)))
        if canon and canon not in rename.values():
            rename[col] = canon
        else:
            unknown.append(str(col))
    frame = raw.rename(columns=rename)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        aliases = "; ".join(f"{m} ({', '.join(HEADER_ALIASES[m][1:3])})" for m in missing)
        result.issues.append(Issue("error", "missing_column",
                                   f"Thiếu cột bắt buộc: {aliases}. Cột đọc được: {', '.join(map(str, raw.columns))}.",
                                   file=rel, row=1))
        rej = raw.astype("string").assign(file=rel, row=np.arange(2, len(raw) + 2),
                                          rule="missing_column", reason="thiếu cột bắt buộc")
        result.rejects = rej
        return result
    if unknown:
        result.issues.append(Issue("warning", "unknown_column",
                                   f"Các cột không dùng đến được bỏ qua: {', '.join(unknown)}.", file=rel, row=1))
    n = len(frame)
    suffix_text = path.suffix.lower() in (".csv", ".xlsx")  # typed sources (Parquet) need no trimming
    reason = pd.Series(pd.NA, index=frame.index, dtype="string")
    bad_value = pd.Series(pd.NA, index=frame.index, dtype="string")
    bad_col = pd.Series(pd.NA, index=frame.index, dtype="string")

    def flag(mask: pd.Series, rule: str, column: str, values: pd.Series | None = None) -> None:
        mask = mask.fillna(False) & reason.isna()
        if not mask.any():
            return
        reason[mask] = rule
        bad_col[mask] = column
        if values is not None:
            bad_value[mask] = values[mask].astype("string")

    def is_blank(series: pd.Series) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(series) or not (
                pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            return series.isna()
        return series.isna() | (series.astype("string").str.strip() == "")

    def mapped(series: pd.Series, func) -> pd.Series:
        """Apply ``func`` once per distinct value; return a categorical (fast on 10M rows of a few units)."""
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        targets = [func(u) for u in uniques]
        categories = sorted({t for t in targets if t is not None})
        position = {c: i for i, c in enumerate(categories)}
        lookup = np.array([position.get(t, -1) if t is not None else -1 for t in targets] + [-1], dtype=np.int32)
        cat = pd.Categorical.from_codes(lookup[codes], categories=categories)
        return pd.Series(cat, index=series.index)

    ids = frame["dossier_id"]
    if pd.api.types.is_object_dtype(ids) or pd.api.types.is_string_dtype(ids):
        if suffix_text:
            ids = ids.astype("string").str.strip()
    else:
        ids = ids.astype("string")
    flag(ids.isna() | (ids == ""), "missing_value", "dossier_id")
    out = pd.DataFrame({"dossier_id": ids}, index=frame.index)

    # units: map ids or names once per distinct value
    out["unit_id"] = mapped(frame["unit"], lambda u: registry.find(nfc(str(u))))
    flag(out["unit_id"].isna(), "unknown_unit", "unit", frame["unit"])

    for col in ("received", "due", "finished", "returned"):
        if col not in frame.columns:
            out[col] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
            continue
        parsed = _parse_dates(frame[col])
        present = ~is_blank(frame[col])
        if col in ("received", "due"):
            flag(~present, "missing_value", col)
        flag(present & parsed.isna(), "bad_date", col, frame[col])
        out[col] = parsed

    out["channel"] = mapped(frame["channel"], lambda c: _CHANNEL_KEYS.get(name_key(str(c))))
    flag(out["channel"].isna(), "unknown_channel", "channel", frame["channel"])

    out["procedure_code"] = frame["procedure_code"] if "procedure_code" in frame.columns else pd.NA
    field = frame["field"].astype("category") if "field" in frame.columns else pd.Series(
        pd.Categorical([pd.NA] * n), index=frame.index)
    if field.isna().any():
        field = field.cat.add_categories(["Khác"]).fillna("Khác")
    out["field"] = field
    for col in ("digitised", "paid_online", "fee_bearing", "online_service"):
        if col in frame.columns:
            values, bad = _parse_bool(frame[col])
            flag(bad, "boolean", col, frame[col])
            out[col] = values
        else:
            out[col] = col == "online_service"
    flag(out["due"] < out["received"], "due_before_received", "due", frame["due"])
    flag(out["finished"] < out["received"], "finished_before_received", "finished",
         frame["finished"] if "finished" in frame.columns else None)
    flag(out["dossier_id"].duplicated(keep="first") & out["dossier_id"].notna(), "duplicate_dossier",
         "dossier_id", out["dossier_id"])

    bad = reason.notna()
    rows = pd.Series(np.arange(2, n + 2), index=frame.index)
    if bad.any():
        rej = raw.loc[bad].astype("string").copy()
        rej.insert(0, "file", rel)
        rej.insert(1, "row", rows[bad].to_numpy())
        rej["column"] = bad_col[bad].to_numpy()
        rej["value_raw"] = bad_value[bad].to_numpy()
        rej["rule"] = reason[bad].to_numpy()
        result.rejects = rej
        for rule, group in rej.groupby("rule", sort=False):
            first = group["row"].head(8).tolist()
            more = len(group) - len(first)
            sample_val = group["value_raw"].dropna().head(1).tolist()
            result.issues.append(Issue(
                "error", str(rule),
                f"{len(group)} hồ sơ bị loại: {_RULE_TEXT.get(str(rule), rule)} "
                f"(dòng {', '.join(map(str, first))}{f' và {more} dòng khác' if more else ''}).",
                file=rel, row=int(first[0]), column=str(group["column"].iloc[0]),
                value=sample_val[0] if sample_val else ""))
    result.records = out.loc[~bad].reset_index(drop=True)
    return result


_RULE_TEXT = {
    "missing_value": "thiếu trường bắt buộc",
    "unknown_unit": "đơn vị không có trong danh mục",
    "bad_date": "ngày không đọc được",
    "unknown_channel": "kênh tiếp nhận không xác định",
    "due_before_received": "ngày hẹn trả trước ngày tiếp nhận",
    "finished_before_received": "ngày kết thúc xử lý trước ngày tiếp nhận",
    "duplicate_dossier": "mã hồ sơ trùng với một dòng trước",
    "boolean": "giá trị có/không không đọc được",
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
