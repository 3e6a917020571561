"""Indicator forms: the Excel template units fill in, and reading XLSX/CSV forms.

Forms are read by indicator code, never by row position. Blank means missing
(never zero); text in a number cell is an error that names the cell. The value column
of a sheet (or of a CSV file) is read in two passes: its text cells decide the number
convention once (:mod:`cchc_lib.domain.number_text`), then each cell is checked under it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cchc_lib.domain import number_text as numbers
from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Unit

INFO_SHEET = "ThongTin"
HEADERS = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
_HEADER_ALIASES = {
    "code": {"mã", "mã chỉ tiêu", "ma", "code", "indicator", "chỉ tiêu mã"},
    "value": {"số liệu", "giá trị", "value", "so lieu", "kết quả"},
    "note": {"ghi chú", "note", "ghi chu"},
    "scope": {"phạm vi", "scope"},
}
_CSV_ALIASES = {
    "code": {"indicator", "mã", "mã chỉ tiêu", "code"},
    "value": {"value", "số liệu", "giá trị"},
    "note": {"note", "ghi chú"},
    "scope": {"scope", "phạm vi"},
}
_SCOPE_WORDS = {
    "": "own", "own": "own", "riêng": "own", "đơn vị": "own",
    "total": "total", "toàn địa bàn": "total", "tổng hợp": "total",
}


@dataclass
class FormResult:
    """What reading one form gave: values, issues, and row counts."""

    file: str
    values: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_in: int = 0
    rows_rejected: int = 0
    blank: int = 0

    def reject(self, issue: Issue, row: dict | None = None, counted: bool = False) -> None:
        """Record an error and keep the offending row (or file) in the rejects.

        ``counted`` marks a rejected input row (as opposed to a file-level problem),
        so that rows in = rows kept + rows rejected holds.
        """
        self.issues.append(issue)
        self.rows_rejected += int(counted)
        self.rejects.append(
            (row or {})
            | {
                "file": issue.file,
                "sheet": issue.sheet,
                "cell": issue.cell,
                "row": issue.row,
                "column": issue.column,
                "value_raw": issue.value,
                "rule": issue.rule,
                "reason": issue.message,
            }
        )


# ----------------------------------------------------------------------------- template


def write_template(path: Path, unit: Unit, period: Period, catalog: Catalog | None = None) -> Path:
    """Write an empty form for ``unit`` and ``period``: a sheet per area.

    Only the value and note cells are editable; value cells accept numbers >= 0
    (whole numbers for counts).
    """
    catalog = catalog or load_catalog()
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    bold = Font(bold=True)
    info["A1"] = "BIỂU MẪU SỐ LIỆU CẢI CÁCH HÀNH CHÍNH"
    info["A1"].font = Font(bold=True, size=13)
    rows = [
        ("Mã đơn vị", unit.unit_id),
        ("Tên đơn vị", unit.name),
        ("Kỳ báo cáo", period.code),
        ("", period.label),
        ("Khoảng số liệu", f"{period.start:%d/%m/%Y} - {period.end:%d/%m/%Y}"),
    ]
    for i, (k, v) in enumerate(rows, start=3):
        info.cell(row=i, column=1, value=k).font = bold
        info.cell(row=i, column=2, value=v)
    info["A10"] = (
        "Hướng dẫn: chỉ nhập vào cột 'Số liệu' (và 'Ghi chú'). Để trống nếu chưa có số liệu "
        "(không nhập 0 thay cho chưa có). Không nhập tỷ lệ: tỷ lệ được tính từ số đếm. "
        "Không đổi tên trang tính, không xóa cột 'Mã'."
    )
    if unit.synthetic:
        info["A12"] = "DỮ LIỆU MẪU (GIẢ LẬP) - không phải số liệu thật."
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 60
    info.protection.sheet = True

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="FFF7D6")
    for area in catalog.areas:
        ws = wb.create_sheet(area.sheet)
        ws["A1"] = area.label.upper()
        ws["A1"].font = Font(bold=True, size=12)
        ws["A2"] = f"{unit.name} - {period.label}"
        for col, head in enumerate(HEADERS, start=1):
            c = ws.cell(row=4, column=col, value=head)
            c.font = bold
            c.border = border
            c.alignment = Alignment(horizontal="center", wrap_text=True)
        dv_int = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Số liệu không hợp lệ",
                                error="Nhập số nguyên không âm, hoặc để trống nếu chưa có số liệu.")
        dv_dec = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Số liệu không hợp lệ",
                                error="Nhập số không âm, hoặc để trống nếu chưa có số liệu.")
        ws.add_data_validation(dv_int)
        ws.add_data_validation(dv_dec)
        row = 5
        for n, ind in enumerate(catalog.in_area(area.code, rates=False), start=1):
            values = [n, ind.code, ind.label, ind.unit, None, None]
            for col, v in enumerate(values, start=1):
                c = ws.cell(row=row, column=col, value=v)
                c.border = border
            for col in (5, 6):
                ws.cell(row=row, column=col).protection = Protection(locked=False)
            ws.cell(row=row, column=5).fill = fill
            (dv_int if ind.integer else dv_dec).add(f"E{row}")
            row += 1
        for col, width in zip("ABCDEF", (6, 24, 60, 12, 14, 40), strict=True):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A5"
        ws.protection.sheet = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def fill_template(path: Path, values: dict[str, float | None], notes: dict[str, str] | None = None) -> None:
    """Fill value cells of a template by indicator code (used by the sample generator)."""
    wb = load_workbook(path)
    notes = notes or {}
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows(min_row=5):
            code = row[1].value
            if code in values and values[code] is not None:
                row[4].value = values[code]
            if code in notes:
                row[5].value = notes[code]
    wb.save(path)


# ----------------------------------------------------------------------------- reading


@dataclass
class _Column:
    """The number convention of one value column, and the cells that show it."""

    convention: str = numbers.VN
    label: str = ""
    vn_example: tuple[str, str] | None = None  # (place, text) of the first VN-only cell
    dot_example: tuple[str, str] | None = None  # (place, text) of the first dot-only cell


def _place(where: dict) -> str:
    return f"ô {where['cell']}" if where.get("cell") else f"dòng {where.get('row')}"


def _detect_column(result: FormResult, cells: list[tuple[object, dict]], label: str, loc: dict) -> _Column:
    """Detect the convention of a value column from its text cells; report a dot-decimal one.

    ``cells`` holds (value, where) pairs; ``loc`` locates the column (file, sheet, column).
    """
    texts = [(v, w) for v, w in cells if isinstance(v, str)]
    column = _Column(numbers.detect_convention(v for v, _ in texts), label)
    first: dict[str, tuple[str, dict]] = {}
    for value, where in texts:
        first.setdefault(numbers.classify(value), (value, where))
    if numbers.VN_EVIDENCE in first:
        value, where = first[numbers.VN_EVIDENCE]
        column.vn_example = (_place(where), value)
    if numbers.DOT_EVIDENCE in first:
        value, where = first[numbers.DOT_EVIDENCE]
        column.dot_example = (_place(where), value)
    if column.convention == numbers.DOT:
        value, where = first[numbers.DOT_EVIDENCE]
        message = (f"Cột {label}: số liệu dùng {numbers.CONVENTION_LABEL[numbers.DOT]}, ví dụ "
                   f"{_place(where)} {value!r} chỉ hiểu được là {numbers.show(numbers.readings(value)[numbers.DOT])}; "
                   "cả cột được đọc theo cách này.")
        if numbers.AMBIGUOUS in first:
            other, other_where = first[numbers.AMBIGUOUS]
            both = numbers.readings(other)
            message += (f" Vì vậy {_place(other_where)} {other!r} được đọc là {numbers.show(both[numbers.DOT])}, "
                        f"không phải {numbers.show(both[numbers.VN])}.")
        result.issues.append(Issue("warning", "number_convention", message, value=value,
                                   **(loc | {k: where[k] for k in ("cell", "row") if where.get(k) is not None})))
    return column


def _number_message(code: str, label: str, exc: numbers.NumberError, column: _Column) -> str:
    """The Vietnamese message for a value that could not be read as a number."""
    if exc.rule == "ambiguous_number" and column.vn_example and column.dot_example:
        (vn_place, vn_text), (dot_place, dot_text) = column.vn_example, column.dot_example
        return (f"{code} ({label}): {exc} Cột {column.label} dùng lẫn cả hai cách viết ({vn_place} {vn_text!r} "
                f"chỉ hiểu được theo cách viết Việt Nam, {dot_place} {dot_text!r} chỉ hiểu được theo cách viết "
                "dấu chấm thập phân) nên ô này không được đọc.")
    if exc.rule != "not_a_number":
        return f"{code} ({label}): {exc}"
    if not isinstance(exc.text, str) or not re.fullmatch(r"[0-9 .,+-]+", numbers.clean(exc.text)[0]):
        return f"{code} ({label}): ô số liệu chứa chữ, không phải số."
    return f"{code} ({label}): ô số liệu không đọc được thành số (dấu chấm, dấu phẩy hoặc dấu cách đặt sai chỗ)."


def read_form(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog | None = None) -> FormResult:
    """Read one XLSX or CSV form into indicator values, issues and rejects."""
    catalog = catalog or load_catalog()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path, unit_id, period, rel, catalog)
    if suffix == ".csv":
        return _read_csv(path, unit_id, period, rel, catalog)
    result = FormResult(rel)
    result.reject(Issue("error", "file_unreadable",
                        f"Định dạng tệp {suffix or '(không có đuôi)'} không được hỗ trợ: dùng .xlsx hoặc .csv.",
                        file=rel, unit_id=unit_id, period=period))
    return result


def _value_row(unit_id: str, period: str, code: str, value: float, rel: str,
               sheet: str, cell: str, note: str, scope: str = "own") -> dict:
    return {"unit_id": unit_id, "period": period, "code": code, "value": float(value),
            "scope": scope, "source": "form", "file": rel, "sheet": sheet, "cell": cell,
            "note": note}


def _check_value(result: FormResult, catalog: Catalog, code_raw: object, value_raw: object,
                 note: str, scope: str, where: dict, seen: set, unit_id: str, period: str,
                 column: _Column | None = None) -> None:
    """Validate one (code, value) pair and file it as a value or a reject.

    ``column`` is the convention of the value column (Vietnamese when not given).
    """
    rel = result.file
    base = {"unit_id": unit_id, "period": period, "code": str(code_raw or ""),
            "note": note}
    loc = {"file": rel, "unit_id": unit_id, "period": period, **where}
    code = nfc(str(code_raw)).upper() if code_raw is not None else ""
    if code not in catalog:
        result.reject(Issue("error", "unknown_indicator",
                            f"Mã chỉ tiêu {code!r} không có trong danh mục chỉ tiêu.",
                            value=str(value_raw), **loc), base, counted=True)
        return
    ind = catalog[code]
    if ind.is_rate:
        result.reject(Issue("error", "rate_typed",
                            f"{code} ({ind.label}) là tỷ lệ tính tự động, không nhập tay.",
                            value=str(value_raw), **loc), base, counted=True)
        return
    column = column or _Column()
    try:
        reading = numbers.read(value_raw, column.convention)
    except numbers.NumberError as exc:
        result.reject(Issue("error", exc.rule, _number_message(code, ind.label, exc, column),
                            value=str(value_raw), **loc), base, counted=True)
        return
    value = reading.value
    if value is not None and reading.notes:
        result.issues.append(Issue("warning", "special_characters",
                                   f"{code} ({ind.label}): giá trị chứa {', '.join(reading.notes)}; "
                                   f"đã đọc là {numbers.show(reading.exact)}.",
                                   value=str(value_raw), **loc))
    if value is None:
        result.blank += 1
        result.rows_in -= 1
        return
    if value < 0:
        result.reject(Issue("error", "negative", f"{code} ({ind.label}): số liệu âm.",
                            value=str(value_raw), **loc), base, counted=True)
        return
    if ind.integer and value != int(value):
        result.reject(Issue("error", "not_integer",
                            f"{code} ({ind.label}) đếm bằng {ind.unit}, phải là số nguyên.",
                            value=str(value_raw), **loc), base, counted=True)
        return
    key = (code, scope)
    if key in seen:
        result.reject(Issue("error", "duplicate_indicator",
                            f"{code} được nhập nhiều lần trong cùng biểu mẫu; giữ giá trị đầu tiên.",
                            value=str(value_raw), **loc), base, counted=True)
        return
    seen.add(key)
    result.values.append(_value_row(unit_id, period, code, value, rel,
                                    where.get("sheet", ""), where.get("cell", "") or f"dòng {where.get('row')}",
                                    note, scope))


def _header_map(cells: list[object], aliases: dict[str, set[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        if cell is None:
            continue
        text = nfc(str(cell)).lower()
        for name, words in aliases.items():
            if text in words and name not in out:
                out[name] = idx
    return out


def _merged_ranges(path: Path) -> dict[str, list[str]]:
    """Return merged-cell ranges per sheet title, read from the XLSX XML.

    openpyxl's fast read-only mode does not expose merges, so read them directly.
    """
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            return out
        wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels_xml = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace") if "xl/_rels/workbook.xml.rels" in names else ""
        targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels_xml))
        targets |= {k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels_xml)}
        for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb_xml):
            target = targets.get(rid, "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member in names:
                xml = zf.read(member).decode("utf-8", "replace")
                refs = re.findall(r'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml)
                if refs:
                    out[html_unescape(name)] = refs
    return out


def html_unescape(text: str) -> str:
    """Unescape XML entities in a sheet name."""
    import html

    return html.unescape(text)


def _read_xlsx(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog) -> FormResult:
    from openpyxl.utils.cell import range_boundaries

    result = FormResult(rel)
    where_file = {"file": rel, "unit_id": unit_id, "period": period}
    try:
        merged = _merged_ranges(path)
        wb = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        result.reject(Issue("error", "file_unreadable",
                            f"Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx): {type(exc).__name__}.",
                            **where_file))
        return result
    cached = None
    seen: set = set()
    area_sheets = {a.sheet.lower() for a in catalog.areas}
    found_any = False
    for ws in wb.worksheets:
        title = ws.title
        rows = [tuple(ws.iter_rows(min_row=1, values_only=False))][0]
        grid = [[(getattr(c, "value", None), getattr(c, "data_type", "n")) for c in row] for row in rows]
        if title == INFO_SHEET:
            _check_info(grid, result, unit_id, period, where_file)
            continue
        if title.lower() not in area_sheets:
            result.issues.append(Issue("warning", "extra_sheet",
                                       f"Trang tính '{title}' không thuộc biểu mẫu nên không được đọc.",
                                       sheet=title, **where_file))
            continue
        found_any = True
        header_row, cols = None, {}
        for r in range(min(len(grid), 12)):
            cols = _header_map([v for v, _ in grid[r]], _HEADER_ALIASES)
            if "code" in cols or "value" in cols:
                header_row = r + 1
                break
        if header_row is None or "code" not in cols or "value" not in cols:
            missing = [HEADERS[1] if "code" not in cols else None, HEADERS[4] if "value" not in cols else None]
            result.reject(Issue("error", "missing_column",
                                f"Trang {title}: không tìm thấy cột tiêu đề {', '.join(m for m in missing if m)}.",
                                sheet=title, **where_file))
            continue
        merged_value_rows = set()
        vcol = cols["value"] + 1
        for coord in merged.get(title, []):
            min_col, min_row, max_col, max_row = range_boundaries(coord)
            if min_col <= vcol <= max_col and max_row > header_row:
                merged_value_rows.update(range(max(min_row, header_row + 1), max_row + 1))
                result.reject(Issue("error", "merged_cell",
                                    f"Trang {title}: vùng {coord} gộp ô trong cột Số liệu; các dòng này không được đọc.",
                                    sheet=title, cell=coord, **where_file))
        vletter = get_column_letter(vcol)
        pending: list[tuple[object, object, str, dict]] = []
        for r in range(header_row + 1, len(grid) + 1):
            row = grid[r - 1]
            code_raw = row[cols["code"]][0] if cols["code"] < len(row) else None
            value_raw, dtype = row[cols["value"]] if cols["value"] < len(row) else (None, "n")
            note = ""
            if "note" in cols and cols["note"] < len(row):
                note = nfc(str(row[cols["note"]][0] or ""))
            if code_raw in (None, "") and value_raw in (None, ""):
                continue
            coord = f"{vletter}{r}"
            result.rows_in += 1
            if r in merged_value_rows:
                result.rejects.append({"file": rel, "sheet": title, "cell": coord, "code": str(code_raw),
                                       "rule": "merged_cell", "reason": "ô thuộc vùng gộp",
                                       "value_raw": str(value_raw)})
                result.rows_rejected += 1
                continue
            where = {"sheet": title, "cell": coord, "row": r, "column": vletter}
            if dtype == "f" or (isinstance(value_raw, str) and value_raw.startswith("=")):
                if cached is None:
                    cached = load_workbook(path, data_only=True)
                cached_value = cached[title][coord].value
                if cached_value is None:
                    result.reject(Issue("error", "formula",
                                        f"{code_raw}: ô chứa công thức {value_raw} mà không có giá trị đã tính.",
                                        value=str(value_raw), unit_id=unit_id, period=period,
                                        file=rel, **where),
                                  {"code": str(code_raw)}, counted=True)
                    continue
                result.issues.append(Issue("warning", "formula",
                                           f"{code_raw}: ô chứa công thức {value_raw}; dùng giá trị đã tính {cached_value}.",
                                           value=str(value_raw), unit_id=unit_id, period=period,
                                           file=rel, **where))
                value_raw = cached_value
            pending.append((code_raw, value_raw, note, where))
        head = nfc(str(grid[header_row - 1][cols["value"]][0]))
        column = _detect_column(result, [(v, w) for _, v, _, w in pending], f"{head} ({vletter}) trang {title}",
                                {"sheet": title, "column": vletter, **where_file})
        for code_raw, value_raw, note, where in pending:
            _check_value(result, catalog, code_raw, value_raw, note, "own", where, seen, unit_id, period, column)
    wb.close()
    if any(i.rule == "unit_mismatch" for i in result.issues):
        # The form says it belongs to another unit or period: none of its figures can be trusted here.
        for value in result.values:
            result.rejects.append(value | {"rule": "unit_mismatch", "reason": "biểu mẫu ghi đơn vị/kỳ khác tên tệp"})
        result.rows_rejected += len(result.values)
        result.values = []
    if not found_any and not any(i.rule == "file_unreadable" for i in result.issues):
        result.reject(Issue("error", "missing_sheet",
                            "Tệp không có trang tính nào của biểu mẫu ("
                            + ", ".join(a.sheet for a in catalog.areas) + ").", **where_file))
    return result


def _check_info(grid: list, result: FormResult, unit_id: str, period: str, where_file: dict) -> None:
    labels = {nfc(str(row[0][0] or "")): (row[1][0] if len(row) > 1 else None) for row in grid[:12] if row}
    typed_unit = labels.get("Mã đơn vị")
    typed_period = labels.get("Kỳ báo cáo")
    if typed_unit and str(typed_unit).strip() != unit_id:
        result.issues.append(Issue("error", "unit_mismatch",
                                   f"Biểu mẫu ghi mã đơn vị {typed_unit!r} nhưng tên tệp là {unit_id!r}.",
                                   sheet=INFO_SHEET, cell="B3", value=str(typed_unit), **where_file))
    if typed_period and str(typed_period).strip() != period:
        result.issues.append(Issue("error", "unit_mismatch",
                                   f"Biểu mẫu ghi kỳ {typed_period!r} nhưng nằm trong thư mục kỳ {period!r}.",
                                   sheet=INFO_SHEET, cell="B5", value=str(typed_period), **where_file))


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


def _read_csv(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog) -> FormResult:
    result = FormResult(rel)
    where_file = {"file": rel, "unit_id": unit_id, "period": period}
    data = path.read_bytes()
    if not data.strip():
        result.reject(Issue("error", "empty_file", "Tệp rỗng.", **where_file))
        return result
    text, issue = decode_text(data, rel)
    if issue:
        issue.unit_id, issue.period = unit_id, period
        result.reject(issue)
        return result
    rows = list(sniff_reader(text))
    header = rows[0]
    cols = _header_map(header, _CSV_ALIASES)
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
    seen: set = set()
    pending: list[tuple[str, str, str, str, dict]] = []
    for line_no, row in body:
        def get(name: str, row: list[str] = row) -> str:
            idx = cols.get(name)
            return row[idx].strip() if idx is not None and idx < len(row) else ""

        result.rows_in += 1
        scope_raw = nfc(get("scope")).lower()
        scope = _SCOPE_WORDS.get(scope_raw)
        where = {"row": line_no, "column": header[cols["value"]]}
        if scope is None:
            result.reject(Issue("error", "unknown_column",
                                f"Phạm vi {scope_raw!r} không hợp lệ: dùng 'own' (riêng đơn vị) hoặc 'total' (toàn địa bàn).",
                                value=scope_raw, file=rel, unit_id=unit_id, period=period, row=line_no,
                                column="scope"), {"code": get("code")}, counted=True)
            continue
        pending.append((get("code"), get("value"), nfc(get("note")), scope, where))
    column = _detect_column(result, [(v, w) for _, v, _, _, w in pending], header[cols["value"]],
                            {"column": header[cols["value"]], **where_file})
    for code_raw, value_raw, note, scope, where in pending:
        _check_value(result, catalog, code_raw, value_raw, note, scope, where, seen, unit_id, period, column)
    return result
