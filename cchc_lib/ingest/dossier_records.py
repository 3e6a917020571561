"""Dossier exports of the one-stop-shop software: read one file into canonical records, rejecting bad rows.

Headers are matched however the software spells them (:data:`HEADER_ALIASES`); a row that
breaks a rule goes to the rejects with the first rule it breaks, nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.domain.fmt import name_key
from cchc_lib.domain.issues import Issue
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.dossier_rows import Flags, normalise
from cchc_lib.ingest.dossier_xlsx import read_xlsx_export
from cchc_lib.ingest.form_csv import decode_text
from cchc_lib.ingest.text_checks import legacy_cell, undecodable
from cchc_lib.ingest.zip_guard import inflation_problem

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


@dataclass
class RecordsResult:
    """Canonical valid records of one file, with rejects and issues."""

    file: str
    records: pd.DataFrame | None = None
    rejects: pd.DataFrame | None = None
    issues: list[Issue] = field(default_factory=list)
    rows_in: int = 0
    rows: np.ndarray | None = None  # each kept record's row in the file (the header is row 1)


def _read_raw(path: Path, rel: str) -> tuple[pd.DataFrame | None, Issue | None]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path), None
        if suffix == ".xlsx":
            if problem := inflation_problem(path):
                return None, Issue("error", "implausible_archive", f"Tệp .xlsx bất thường: {problem}.", file=rel)
            return read_xlsx_export(path), None
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
        else:  # a large file is read by pyarrow, which names no encoding: its first 4 MB must be UTF-8
            head = data[:4_000_000]
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:  # not a character cut at the 4 MB mark
                    return None, undecodable(head, exc, rel)
        bom = data.startswith(b"\xef\xbb\xbf")
        del data
        # Every column as text: ids keep their leading zeros and digits, dates their zone.
        frame = pd.read_csv(path, engine="pyarrow", encoding="utf-8-sig" if bom else "utf-8", dtype=str)
        # Units, fields, channels and yes/no columns hold a few distinct values: as categories, a 200 MB
        # export holds ~150 MB less while it is checked (every rule reads them as text, ids and dates stay text).
        few = ("unit", "field", "channel", "digitised", "paid_online", "fee_bearing", "online_service")
        for col in [c for c in frame.columns if _ALIAS_KEYS.get(name_key(str(c))) in few]:
            frame[col] = frame[col].astype("category")
        return frame, None
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported to the analyst
        return None, Issue("error", "file_unreadable",
                           f"Không đọc được tệp: {type(exc).__name__}: {str(exc)[:200]}", file=rel)


def read_records(path: Path, rel: str, registry: Registry, latest: dt.date | None = None) -> RecordsResult:
    """Read one export of dossier records and return canonical valid rows.

    Rows that break a rule go to the rejects with their reason; nothing is dropped. Ids are text
    (leading zeros kept); zoned timestamps become naive Vietnam local time (see
    :func:`~cchc_lib.ingest.dossier_rows.normalise`).

    Parameters
    ----------
    path : Path
        A .csv (UTF-8 or UTF-16), .xlsx or .parquet export.
    rel : str
        The file as the analyst knows it, in every issue.
    registry : Registry
        The units: each row's unit (an id or a name) must be one of them.
    latest : date, optional
        The last plausible date (the ingest's bound); later dates are ``implausible_date``.

    Returns
    -------
    RecordsResult
        The valid rows in :data:`CANONICAL` form (``unit`` as ``unit_id``), the rejected rows
        with their rule, and one issue per rule broken.
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
    frame, unknown = _rename(raw)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        aliases = "; ".join(f"{m} ({', '.join(HEADER_ALIASES[m][1:3])})" for m in missing)
        result.issues.append(Issue("error", "missing_column",
                                   f"Thiếu cột bắt buộc: {aliases}. Cột đọc được: {', '.join(map(str, raw.columns))}.",
                                   file=rel, row=1))
        result.rejects = raw.astype("string").assign(file=rel, row=np.arange(2, len(raw) + 2),
                                                     rule="missing_column", reason="thiếu cột bắt buộc")
        return result
    if unknown:
        result.issues.append(Issue("warning", "unknown_column",
                                   f"Các cột không dùng đến được bỏ qua: {', '.join(unknown)}.", file=rel, row=1))
    # Typed sources (Parquet) need no trimming.
    out, flags = normalise(frame, registry, trim=path.suffix.lower() in (".csv", ".xlsx"), latest=latest)
    for col, example in flags.mixed_zones.items():
        result.issues.append(Issue("warning", "mixed_time_zones",
                                   f"Cột {col} lẫn thời điểm có múi giờ và không có múi giờ: các giá trị có múi giờ "
                                   "đã được đổi sang giờ Việt Nam (UTC+7).", file=rel, column=col, value=example))
    for col, example in flags.month_first.items():
        shown = f" (ví dụ {example} chỉ đọc được theo tháng/ngày)" if example else " như các cột ngày khác của tệp"
        result.issues.append(Issue("warning", "month_first_dates",
                                   f"Cột {col} ghi ngày theo thứ tự tháng/ngày/năm{shown}: đã đọc cả cột theo "
                                   "tháng/ngày.", file=rel, column=col, value=example))
    # A unit name typed with a legacy font matches no unit: say how it reads.
    unknown = frame.loc[out["unit_id"].isna().to_numpy(), "unit"].dropna()
    for value in unknown.unique()[:50]:
        if legacy := legacy_cell(str(value), file=rel, column="unit"):
            legacy.row = int(np.flatnonzero((frame["unit"] == value).to_numpy())[0]) + 2  # the header is row 1
            result.issues.append(legacy)
            break
    _reject_flagged(result, raw, flags)
    kept = ~flags.reason.notna()
    result.rows = np.arange(2, len(raw) + 2)[kept.to_numpy()]
    result.records = out.loc[kept].reset_index(drop=True)
    return result


def _rename(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The export with canonical column names, and the columns that match none."""
    rename, unknown = {}, []
    for col in raw.columns:
        canon = _ALIAS_KEYS.get(name_key(str(col)))
        if canon and canon not in rename.values():
            rename[col] = canon
        else:
            unknown.append(str(col))
    return raw.rename(columns=rename), unknown


def _reject_flagged(result: RecordsResult, raw: pd.DataFrame, flags: Flags) -> None:
    """The flagged rows as read, with row, column, value and rule; one issue per rule."""
    bad = flags.reason.notna()
    if not bad.any():
        return
    rows = pd.Series(np.arange(2, len(raw) + 2), index=raw.index)
    rej = raw.loc[bad].astype("string").copy()
    rej.insert(0, "file", result.file)
    rej.insert(1, "row", rows[bad].to_numpy())
    rej["column"] = flags.column[bad].to_numpy()
    rej["value_raw"] = flags.value[bad].to_numpy()
    rej["rule"] = flags.reason[bad].to_numpy()
    result.rejects = rej
    for rule, group in rej.groupby("rule", sort=False):
        first = group["row"].head(8).tolist()
        more = len(group) - len(first)
        sample_val = group["value_raw"].dropna().head(1).tolist()
        result.issues.append(Issue(
            "error", str(rule),
            f"{len(group)} hồ sơ bị loại: {_RULE_TEXT.get(str(rule), rule)} "
            f"(dòng {', '.join(map(str, first))}{f' và {more} dòng khác' if more else ''}).",
            file=result.file, row=int(first[0]), column=str(group["column"].iloc[0]),
            value=sample_val[0] if sample_val else ""))


_RULE_TEXT = {
    "missing_value": "thiếu trường bắt buộc",
    "unknown_unit": "đơn vị không có trong danh mục",
    "bad_date": "ngày không đọc được",
    "date_order_conflict": "cột ngày lẫn hai thứ tự ngày/tháng và tháng/ngày, ngày này đọc được theo cả hai cách",
    "unknown_channel": "kênh tiếp nhận không xác định",
    "due_before_received": "ngày hẹn trả trước ngày tiếp nhận",
    "finished_before_received": "ngày kết thúc xử lý trước ngày tiếp nhận",
    "duplicate_dossier": "mã hồ sơ trùng với một dòng trước",
    "boolean": "giá trị có/không không đọc được",
    "implausible_date": "ngày ngoài khoảng hợp lý (trước ngày đơn vị có hiệu lực theo units.csv, "
                        "hoặc sau hạn báo cáo của kỳ mới nhất)",
    "id_scientific_notation": "mã hồ sơ đã bị Excel đổi thành dạng số mũ, mất các chữ số cuối",
    "imprecise_integer": "mã hồ sơ là số thực vượt quá 2^53 (hoặc có phần lẻ), không còn giữ đúng các chữ số",
}
