"""units.csv, the unit registry as analysts keep it: read, normalised and validated row by row."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from cchc_lib import config
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import ERROR, Issue, IssueLog
from cchc_lib.domain.units import parent_cycles
from cchc_lib.ingest.schemas import UnitsSchema, failure_cases
from cchc_lib.ingest.text_checks import legacy_cell, undecodable

UNIT_COLUMNS = ["unit_id", "name", "level", "parent_id", "valid_from", "valid_to",
                "successor_id", "issuing_body", "parent_body", "place", "doc_code", "synthetic", "group"]
OPTIONAL_UNIT_COLUMNS = {"doc_code", "synthetic", "parent_body", "group"}
DATE_COLUMNS = ("valid_from", "valid_to")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _summary(rel: str, rows_in: int, rows_ok: int) -> dict:
    return {"file": rel, "kind": "đơn vị", "rows_in": rows_in, "rows_ok": rows_ok, "rows_rejected": rows_in - rows_ok}


def read_units_table(path: Path, rel: str) -> tuple[pd.DataFrame | None, Issue | None]:
    """Return units.csv as text columns, or the finding that stops everything (missing, not UTF-8, not CSV).

    Parameters
    ----------
    path : Path
        The units file (UTF-8, with or without BOM).
    rel : str
        The file as printed in the finding.

    Returns
    -------
    tuple of (DataFrame or None, Issue or None)
        The table and None, or None and an error naming the file and, where known, the line.
    """
    if not path.is_file():
        return None, Issue(ERROR, "units_missing",
                           f"Không có tệp danh mục đơn vị {rel}: mọi biểu mẫu, hồ sơ và báo cáo đều kiểm tra theo "
                           "tệp này.", file=rel)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, undecodable(data, exc, rel, "units_encoding")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        return None, Issue(ERROR, "units_not_csv",
                           "Tệp danh mục đơn vị không đọc được dạng bảng CSV (các cột cách nhau bằng dấu phẩy, "
                           "dòng đầu là tên cột)" + (f": dòng {found.group(1)} có số cột khác dòng tiêu đề." if found
                                                    else ": tệp trống."),
                           file=rel, row=int(found.group(1)) if found else None)


def date_problem(text: str) -> str:
    """Why ``text`` is not a date written YYYY-MM-DD, in Vietnamese ("" when it is one).

    Parameters
    ----------
    text : str
        A date as typed (a units.csv validity date, a params date).

    Returns
    -------
    str
        "" for a real date; else what is wrong: no such day or month, or day/month/year order.

    >>> date_problem("2024-02-30")
    'tháng 2/2024 chỉ có 29 ngày'
    """
    ymd = _YMD.match(text)
    if ymd:
        year, month, day = (int(x) for x in ymd.groups())
        try:
            dt.date(year, month, day)
            return ""
        except ValueError:
            if not 1 <= month <= 12:
                return f"không có tháng {month}"
            return f"tháng {month}/{year} chỉ có {calendar.monthrange(year, month)[1]} ngày"
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = dmy.groups()
        return f"ghi theo kiểu ngày/tháng/năm; ghi dạng năm-tháng-ngày: {year}-{int(month):02d}-{int(day):02d}"
    return "không phải ngày dạng năm-tháng-ngày (ví dụ 2024-01-01)"


def _row_problems(raw: pd.DataFrame, rel: str, log: IssueLog) -> dict[int, str]:
    """Rows given twice and dates that are not YYYY-MM-DD: one error each; row index -> rule."""
    bad: dict[int, str] = {}
    first: dict[str, int] = {}
    for idx, unit_id in enumerate(raw["unit_id"]):
        key = nfc(str(unit_id)).strip()
        if key in first and key:
            log.error("duplicate_unit", f"Mã đơn vị {key!r} được khai báo hai lần (dòng {first[key] + 2} và dòng "
                                        f"{idx + 2}); dùng dòng {first[key] + 2}, bỏ dòng {idx + 2}.",
                      file=rel, row=idx + 2, column="unit_id", value=key)
            bad[idx] = "duplicate_unit"
        first.setdefault(key, idx)
    for col in DATE_COLUMNS:
        if col not in raw.columns:
            continue
        for idx, value in enumerate(raw[col]):
            text = str(value).strip()
            problem = date_problem(text) if text else ""
            if problem and idx not in bad:
                log.error("unit_bad_date", f"Ngày {col} của đơn vị {raw.iloc[idx]['unit_id']!r} là {text!r}: "
                                           f"{problem}.", file=rel, row=idx + 2, column=col, value=text)
                bad[idx] = "unit_bad_date"
    return bad


# UnitsSchema's checks across columns: the column a person fixes, and what is wrong in it.
ROW_CHECKS = {
    "parent_exists": ("parent_id", "đơn vị cấp trên (parent_id) không có trong danh mục"),
    "successor_exists": ("successor_id", "đơn vị kế thừa (successor_id) không có trong danh mục"),
    "valid_to_after_valid_from": ("valid_to", "ngày hết hiệu lực (valid_to) trước ngày bắt đầu (valid_from)"),
}


def _schema_problems(frame: pd.DataFrame, raw: pd.DataFrame, rel: str, log: IssueLog) -> dict[int, str]:
    """UnitsSchema's failures, one error per row; row index -> rule."""
    bad_rows: dict[int, tuple[str, str, str]] = {}
    try:
        UnitsSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in failure_cases(exc).itertuples():
            if case.index is None or pd.isna(case.index):
                continue
            idx, check = int(case.index), str(case.check)
            column = ROW_CHECKS[check][0] if check in ROW_CHECKS else (
                case.column if isinstance(case.column, str) and case.column in frame.columns else "")
            if idx not in bad_rows:
                bad_rows[idx] = (check, column, str(raw.iloc[idx].get(column, "")) if column else "")
    for idx, (check, column, value) in sorted(bad_rows.items()):
        why = ROW_CHECKS[check][1] if check in ROW_CHECKS else f"vi phạm quy tắc {check} ở cột {column}"
        log.error("bad_unit_row", f"Dòng đơn vị {raw.iloc[idx]['unit_id']!r}: {why} ({value!r}).",
                  file=rel, row=idx + 2, column=column, value=value)
    return {idx: v[0] for idx, v in bad_rows.items()}


def _cycle_problems(frame: pd.DataFrame, rel: str, log: IssueLog) -> dict[int, str]:
    """Units their own parent or in a parent cycle: one error per cycle naming every unit; index -> rule."""
    rows = {uid: idx for idx, uid in frame["unit_id"].items()}
    parents = {uid: (p if isinstance(p, str) else None) for uid, p in zip(frame["unit_id"], frame["parent_id"],
                                                                             strict=True)}
    bad: dict[int, str] = {}
    for cycle in parent_cycles(parents):
        lines = ", ".join(f"{u} (dòng {rows[u] + 2})" for u in cycle)
        if len(cycle) == 1:
            message = f"Đơn vị {cycle[0]!r} ghi chính nó là cấp trên (parent_id)."
        else:
            message = f"Các đơn vị {lines} là cấp trên của nhau theo vòng: {' → '.join([*cycle, cycle[0]])}."
        log.error("unit_parent_cycle", message, file=rel, row=rows[cycle[0]] + 2, column="parent_id",
                  value=" → ".join([*cycle, cycle[0]]))
        bad |= {rows[u]: "unit_parent_cycle" for u in cycle}
    return bad


def _normalise(raw: pd.DataFrame) -> pd.DataFrame:
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
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], errors="coerce", format="%Y-%m-%d")
    return frame


def read_units(path: Path, rel: str, log: IssueLog) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and validate units.csv; return (valid units, rejects, file summary).

    Parameters
    ----------
    path : Path
        The units file (UTF-8, with or without BOM).
    rel : str
        The file as the analyst knows it, in every issue.
    log : IssueLog
        Gets the error that stops reading (missing, not UTF-8, missing column) or one error per bad row
        (a unit id given twice, a bad date, a schema rule) and per parent cycle.

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        The valid units (:data:`UNIT_COLUMNS`), the rejected rows with their rule, and the
        file's row counts.
    """
    raw, stop = read_units_table(path, rel)
    if raw is None:
        log.extend([stop])
        return pd.DataFrame(columns=UNIT_COLUMNS), pd.DataFrame([{"file": rel, "rule": stop.rule}]), _summary(rel, 0, 0)
    missing = [c for c in UNIT_COLUMNS if c not in raw.columns and c not in OPTIONAL_UNIT_COLUMNS]
    if missing:
        log.error("missing_column", f"units.csv thiếu cột: {', '.join(missing)}.", file=rel, row=1)
        return pd.DataFrame(columns=UNIT_COLUMNS), raw.assign(rule="missing_column"), _summary(rel, len(raw), 0)
    full = _normalise(raw)
    _name_warnings(full, rel, log)
    # A bad date is reported but its unit kept (as undated), so that its children and forms are not
    # reported again as unknown; a unit given twice keeps its first line.
    bad = {i: rule for i, rule in _row_problems(raw, rel, log).items() if rule == "duplicate_unit"}
    schema_bad = _schema_problems(full.drop(index=list(bad)), raw, rel, log)
    bad |= schema_bad
    bad |= _cycle_problems(full.drop(index=list(bad)), rel, log)
    ok = full.drop(index=list(bad))
    order = sorted(bad)
    rejects = raw.iloc[order].assign(file=rel, row=[i + 2 for i in order], rule=[bad[i] for i in order])
    return ok.reset_index(drop=True), rejects, _summary(rel, len(raw), len(ok))


# Unicode categories no unit name needs: symbols and emoji, control and invisible format characters.
_ODD_CATEGORIES = {"So": "ký hiệu", "Cc": "ký tự điều khiển", "Cf": "ký tự ẩn", "Co": "ký tự riêng", "Cn": "ký tự lạ"}


def _name_warnings(frame: pd.DataFrame, rel: str, log: IssueLog) -> None:
    """Warn of a unit name typed with a legacy font, or holding a symbol, emoji or invisible character."""
    for idx, name in frame["name"].items():
        odd = [c for c in str(name or "") if unicodedata.category(c) in _ODD_CATEGORIES]
        if legacy := legacy_cell(name, file=rel, row=idx + 2, column="name"):
            log.extend([legacy])
        elif odd:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X}, {_ODD_CATEGORIES[unicodedata.category(c)]})" for c in odd[:3])
            log.warning("unit_name_characters", f"Tên đơn vị {frame.at[idx, 'unit_id']!r} có {shown}: báo cáo in "
                        "nguyên văn, biểu đồ vẽ ký tự không có trong phông chữ thành □.", file=rel, row=idx + 2,
                        column="name", value=str(name))


def units_files_read(paths: tuple[Path, ...] | list[Path], units_csv: Path | None) -> list[Path]:
    """The units files ``cchc validate`` reads for ``paths``: the raw folders', the --units file, else data/raw's.

    Parameters
    ----------
    paths : sequence of Path
        What is validated.
    units_csv : Path or None
        The --units option.

    Returns
    -------
    list of Path
        Each units.csv of a raw folder given, then ``units_csv``; data/raw/units.csv when neither and a
        folder is validated (its files are checked against it).
    """
    found = [p / "units.csv" for p in paths if p.is_dir() and (p / "units.csv").exists()]
    if units_csv:
        found.append(units_csv)
    elif not found and any(p.is_dir() for p in paths):
        found.append(config.UNITS_CSV)
    return found
