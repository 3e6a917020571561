"""Reading a CSV form (indicator,value,note[,scope]) and decoding the text files units send."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.form_values import FormResult, check_value, detect_column, header_map

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


def decode_text(data: bytes, rel: str) -> tuple[str | None, Issue | None]:
    """Decode CSV bytes: UTF-8 (with or without BOM) or UTF-16 with BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Issue("error", "encoding",
                           f"Tệp không phải UTF-8 hoặc UTF-16 (byte {exc.start}, dòng {line}: "
                           f"{data[exc.start:exc.start + 1]!r}); có thể là mã cũ (TCVN3/VNI/Windows-1258).",
                           file=rel, row=line)


def sniff_reader(text: str) -> csv.reader:
    """Return a CSV reader, guessing the delimiter among , ; and tab."""
    first = text.splitlines()[0] if text else ""
    delimiter = max([",", ";", "\t"], key=first.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def read_csv(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog) -> FormResult:
    """Read one CSV form (a header row naming at least the indicator and value columns).

    Arguments and result as :func:`cchc_lib.ingest.forms.read_form`, the catalog given.
    """
    result = FormResult(rel)
    where_file = {"file": rel, "unit_id": unit_id, "period": period}
    rows = _table(path, result, where_file)
    if rows is None:
        return result
    header = rows[0]
    cols = header_map(header, CSV_ALIASES)
    missing = [n for n in ("code", "value") if n not in cols]
    if missing:
        names = {"code": "indicator", "value": "value"}
        result.reject(Issue("error", "missing_column",
                            "Thiếu cột " + ", ".join(names[m] for m in missing)
                            + f" ở dòng tiêu đề (đọc được: {', '.join(header)}).",
                            row=1, value=",".join(header), **where_file))
        return result
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        result.reject(Issue("error", "header_only", "Tệp chỉ có dòng tiêu đề, không có số liệu.",
                            row=1, **where_file))
        return result
    pending = _pending(result, header, cols, body, where_file)
    column = detect_column(result, [(v, w) for _, v, _, _, w in pending], header[cols["value"]],
                           {"column": header[cols["value"]], **where_file})
    seen: set = set()
    for code_raw, value_raw, note, scope, where in pending:
        check_value(result, catalog, code_raw, value_raw, note, scope, where, seen, unit_id, period, column)
    return result


def _table(path: Path, result: FormResult, where_file: dict) -> list[list[str]] | None:
    """The file's rows, or None after rejecting an empty or undecodable file."""
    data = path.read_bytes()
    if not data.strip():
        result.reject(Issue("error", "empty_file", "Tệp rỗng.", **where_file))
        return None
    text, issue = decode_text(data, result.file)
    if issue:
        issue.unit_id, issue.period = where_file["unit_id"], where_file["period"]
        result.reject(issue)
        return None
    return list(sniff_reader(text))


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
        where = {"row": line_no, "column": header[cols["value"]]}
        if scope is None:
            result.reject(Issue("error", "unknown_column",
                                f"Phạm vi {scope_raw!r} không hợp lệ: dùng 'own' (riêng đơn vị) hoặc 'total' (toàn địa bàn).",
                                value=scope_raw, **where_file, row=line_no, column="scope"),
                          {"code": get("code")}, counted=True)
            continue
        pending.append((get("code"), get("value"), nfc(get("note")), scope, where))
    return pending
