"""Reading a CSV form (indicator,value,note[,scope]) and decoding the text files units send.

One record per line: the header is the first line holding the indicator and value columns (title
lines above it are skipped, with a warning), its delimiter (, ; or tab) is the one that makes it a
header, and a line that cannot be one record (an unclosed quote, more fields than the header) is
rejected alone.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.form_values import FormResult, check_value, detect_column, header_map
from cchc_lib.ingest.text_checks import legacy_cell, undecodable

CSV_ALIASES = {
    "code": {"indicator", "mã", "mã chỉ tiêu", "code"},
    "value": {"value", "số liệu", "giá trị"},
    "note": {"note", "ghi chú"},
    "scope": {"scope", "phạm vi"},
}
SCOPE_WORDS = {
    "": "own", "own": "own", "riêng": "own", "đơn vị": "own",
    "total": "total", "toàn địa bàn": "total", "tổng hợp": "total",
}
DELIMITERS = (",", ";", "\t")
# The header is looked for in the first lines only.
HEADER_SEARCH_LINES = 12
# Byte-order marks of encodings that are recognised but not read.
REFUSED_BOMS = {b"\x00\x00\xfe\xff": "UTF-32 BE", b"\xff\xfe\x00\x00": "UTF-32 LE"}

Line = tuple[int, list[str]]  # (line number, fields)


def _nul_encoding(data: bytes) -> str | None:
    """The UTF-16/UTF-32 variant of BOM-less text, told by where its zero bytes sit (None: no zero bytes)."""
    head = data[:400]
    if b"\x00" not in head:
        return None
    if head[:4].count(b"\x00") == 3:
        return "UTF-32 BE" if head[0] == 0 else "UTF-32 LE"
    return "UTF-16 BE không có BOM" if head[0] == 0 else "UTF-16 LE không có BOM"


def decode_text(data: bytes, rel: str) -> tuple[str | None, Issue | None]:
    """Decode CSV bytes: UTF-8 (with or without BOM) or UTF-16 with BOM; any other encoding is refused."""
    refused = next((name for bom, name in REFUSED_BOMS.items() if data.startswith(bom)), None)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif refused is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding, refused = "utf-8", refused or _nul_encoding(data)
    if refused:
        return None, Issue("error", "encoding", f"Tệp mã hóa {refused}: chỉ đọc được UTF-8 hoặc UTF-16 có BOM.",
                           file=rel, row=1, value=refused)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, undecodable(data, exc, rel)


def sniff_reader(text: str) -> csv.reader:
    """Return a CSV reader, guessing the delimiter among , ; and tab."""
    first = text.splitlines()[0] if text else ""
    delimiter = max([",", ";", "\t"], key=first.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _fields(line: str, delimiter: str) -> list[str] | None:
    """One line's fields, or None when it is not one record (a quote left open or misplaced)."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return None


def _find_header(lines: list[str]) -> tuple[int, str] | None:
    """(index, delimiter) of the first line that, split by some delimiter, names the indicator and value columns."""
    for idx, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        for delimiter in sorted(DELIMITERS, key=line.count, reverse=True):
            cols = header_map(_fields(line, delimiter) or [], CSV_ALIASES)
            if "code" in cols and "value" in cols:
                return idx, delimiter
    return None


def _records(text: str, result: FormResult, where_file: dict) -> tuple[Line, list[Line]] | None:
    """The header line and the non-blank records below it; a line that is not one record is rejected."""
    lines = re.split(r"\r\n|\n|\r", text)
    found = _find_header(lines)
    if found is None:  # no header anywhere: say what the first line holds
        header = _fields(lines[0], max(DELIMITERS, key=lines[0].count)) or [lines[0]]
        cols = header_map(header, CSV_ALIASES)
        missing = [name for key, name in (("code", "indicator"), ("value", "value")) if key not in cols]
        result.reject(Issue("error", "missing_column",
                            f"Thiếu cột {', '.join(missing)} ở dòng tiêu đề (đọc được: {', '.join(header)}).",
                            row=1, value=",".join(header), **where_file))
        return None
    start, delimiter = found
    header = _fields(lines[start], delimiter) or []
    if start:
        result.issues.append(Issue("warning", "title_rows",
                                   f"Dòng tiêu đề (indicator, value) là dòng {start + 1}; {start} dòng phía trên "
                                   "là tiêu đề của biểu mẫu, không được đọc thành số liệu.",
                                   row=start + 1, value=lines[start], **where_file))
    records: list[Line] = []
    value_at = header_map(header, CSV_ALIASES)["value"]
    for line_no, line in enumerate(lines[start + 1:], start=start + 2):
        fields = _fields(line, delimiter)
        if fields is not None and _extra_field(fields, len(header), value_at, delimiter):
            hint = " (thường do dấu phẩy hàng nghìn không nằm trong ngoặc kép, ví dụ 22,296)" * (delimiter == ",")
            _reject_line(result, where_file, line_no, line, "extra_field",
                         f"dòng có {len(fields)} trường, dòng tiêu đề có {len(header)}{hint}", fields[0])
        elif fields is None:
            _reject_line(result, where_file, line_no, line, "unclosed_quote",
                         "dấu ngoặc kép không đóng hoặc đặt sai chỗ", line.split(delimiter)[0])
        elif any(f.strip() for f in fields):
            records.append((line_no, fields))
    return (start + 1, header), records


def _extra_field(fields: list[str], width: int, value_at: int, delimiter: str) -> bool:
    """True when a record holds more than the header's fields, or its value reads as a number split at a comma.

    >>> _extra_field(["CD_KH_TONG", "22", "296", ""], 3, 1, ",")
    True
    >>> _extra_field(["CD_KH_TONG", "22", "", ""], 3, 1, ",")
    False
    """
    if any(f.strip() for f in fields[width:]):
        return True
    value, after = (fields[i].strip() if i < len(fields) else "" for i in (value_at, value_at + 1))
    return delimiter == "," and bool(re.fullmatch(r"-?\d{1,3}", value) and re.fullmatch(r"\d{3}", after))


def _reject_line(result: FormResult, where_file: dict, line_no: int, line: str, rule: str, why: str,
                 code: str) -> None:
    """Reject one line that is not one record; the other lines are read."""
    result.rows_in += 1
    result.reject(Issue("error", rule, f"Dòng {line_no} không đọc được: {why}; dòng này bị loại.",
                        row=line_no, value=line, **where_file), {"code": code.strip()}, counted=True)


def read_csv(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog) -> FormResult:
    """Read one CSV form (a header row naming at least the indicator and value columns).

    Arguments and result as :func:`cchc_lib.ingest.forms.read_form`, the catalog given.
    """
    result = FormResult(rel)
    where_file = {"file": rel, "unit_id": unit_id, "period": period}
    table = _table(path, result, where_file)
    if table is None:
        return result
    (header_line, header), body = table
    cols = header_map(header, CSV_ALIASES)
    if not body:
        if not result.rows_in:
            result.reject(Issue("error", "header_only", "Tệp chỉ có dòng tiêu đề, không có số liệu.",
                                row=header_line, **where_file))
        return result
    pending = _pending(result, header, cols, body, where_file)
    column = detect_column(result, [(v, w) for _, v, _, _, w in pending], header[cols["value"]],
                           {"column": header[cols["value"]], **where_file})
    seen: set = set()
    for code_raw, value_raw, note, scope, where in pending:
        check_value(result, catalog, code_raw, value_raw, note, scope, where, seen, unit_id, period, column)
    return result


def _table(path: Path, result: FormResult, where_file: dict) -> tuple[Line, list[Line]] | None:
    """The header and records, or None after rejecting an empty, undecodable or headerless file."""
    data = path.read_bytes()
    if not data.strip():
        result.reject(Issue("error", "empty_file", "Tệp rỗng.", **where_file))
        return None
    text, issue = decode_text(data, result.file)
    if issue:
        issue.unit_id, issue.period = where_file["unit_id"], where_file["period"]
        result.reject(issue)
        return None
    return _records(text, result, where_file)


def _pending(result: FormResult, header: list[str], cols: dict[str, int], body: list[tuple[int, list[str]]],
             where_file: dict) -> list[tuple[str, str, str, str, dict]]:
    """The (code, value, note, scope, where) of each row; a row with an unknown scope is rejected."""
    pending = []
    for line_no, row in body:
        def get(name: str, row: list[str] = row) -> str:
            idx = cols.get(name)
            return row[idx].strip() if idx is not None and idx < len(row) else ""

        result.rows_in += 1
        scope_raw = nfc(get("scope")).lower()
        scope = SCOPE_WORDS.get(scope_raw)
        where = {"row": line_no, "column": header[cols["value"]], "code_at": {"column": header[cols["code"]]}}
        if scope is None:
            result.reject(Issue("error", "unknown_column",
                                f"Phạm vi {scope_raw!r} không hợp lệ: dùng 'own' (riêng đơn vị) hoặc 'total' (toàn địa bàn).",
                                value=scope_raw, **where_file, row=line_no, column="scope"),
                          {"code": get("code")}, counted=True)
            continue
        if legacy := legacy_cell(get("note"), row=line_no, column=header[cols["note"]] if "note" in cols else "",
                                 **where_file):
            result.issues.append(legacy)
        pending.append((get("code"), get("value"), nfc(get("note")), scope, where))
    return pending
