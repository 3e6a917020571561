"""Reading a filled XLSX form: its information sheet, each area's value column, formulas and merged cells.

Sheets are read by header, values by indicator code, never by row position. Forms are small,
so the workbook is opened normally (not read-only), which gives its merged ranges.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _reader as sheet_xml
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.form_template import HEADERS, INFO_SHEET
from cchc_lib.ingest.form_values import FormResult, check_value, detect_column, header_map
from cchc_lib.ingest.zip_guard import inflation_problem

HEADER_ALIASES = {
    "code": {"mã", "mã chỉ tiêu", "ma", "code", "indicator", "chỉ tiêu mã"},
    "value": {"số liệu", "giá trị", "value", "so lieu", "kết quả"},
    "note": {"ghi chú", "note", "ghi chu"},
    "scope": {"phạm vi", "scope"},
}
# A sheet's header is looked for in its first rows only.
HEADER_SEARCH_ROWS = 12

Grid = list[list[tuple[object, str]]]  # per row, per cell: (value, openpyxl data type)


def read_xlsx(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog) -> FormResult:
    """Read one XLSX form: its information sheet, then every area sheet by header.

    Arguments and result as :func:`cchc_lib.ingest.forms.read_form`, the catalog given; a form
    whose information sheet names another unit or period keeps no value.
    """
    result = FormResult(rel)
    where_file = {"file": rel, "unit_id": unit_id, "period": period}
    wb = open_workbook(path, result, where_file)
    if wb is None:
        return result
    reader = _AreaReader(path, catalog, result, where_file)
    area_sheets = {a.sheet.lower() for a in catalog.areas}
    found_any = False
    for ws in wb.worksheets:
        if ws.title == INFO_SHEET:
            _check_info(_grid(ws), result, unit_id, period, where_file)
        elif ws.title.lower() not in area_sheets:
            _other_sheet(ws, result, where_file)
        else:
            found_any = True
            reader.read(ws)
    wb.close()
    _drop_if_mismatched(result)
    if not found_any and not any(i.rule == "file_unreadable" for i in result.issues):
        result.reject(Issue("error", "missing_sheet",
                            "Tệp không có trang tính nào của biểu mẫu ("
                            + ", ".join(a.sheet for a in catalog.areas) + ").", **where_file))
    return result


# What a damaged or hostile workbook raises while it is opened.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError, IndexError,
              AttributeError, ElementTree.ParseError)


@contextmanager
def _text_in_number_cells() -> Iterator[None]:
    """While opening: a number-typed cell that holds text keeps its text (checked later as a typed value)."""
    strict = sheet_xml._cast_number

    def lenient(value: str) -> object:
        try:
            return strict(value)
        except ValueError:
            return value

    sheet_xml._cast_number = lenient
    try:
        yield
    finally:
        sheet_xml._cast_number = strict


def open_workbook(path: Path, result: FormResult, where_file: dict, data_only: bool = False) -> Workbook | None:
    """Open a form workbook, or reject the file naming its damaged part (sheet) and return None.

    Parameters
    ----------
    path : Path
        The workbook.
    result : FormResult
        Gets the ``file_unreadable`` error.
    where_file : dict
        Locates the file in the issue (file, unit_id, period).
    data_only : bool
        True for the values Excel computed for formulas.

    Returns
    -------
    Workbook or None
        The open workbook, or None when it cannot be read.
    """
    if problem := inflation_problem(path):
        result.reject(Issue("error", "implausible_archive", f"Tệp .xlsx bất thường: {problem}.", **where_file))
        return None
    try:
        with _text_in_number_cells():
            return load_workbook(path, data_only=data_only)
    except UNREADABLE as exc:
        part, sheet = _damaged_part(path)
        where = f" (phần {part} hỏng)" if part else ""
        result.reject(Issue("error", "file_unreadable",
                            f"Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx){where}: {type(exc).__name__}.",
                            sheet=sheet, value=part, **where_file))
        return None


def _damaged_part(path: Path) -> tuple[str, str]:
    """(zip member, sheet name) of the first part of a workbook that cannot be read or parsed ("" when unknown)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                try:
                    data = zf.read(name)
                    if name.endswith((".xml", ".rels")):
                        ElementTree.fromstring(data)
                except (zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError):
                    return name, _sheet_names(zf).get(name, "")
    except UNREADABLE:
        return "", ""
    return "", ""


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip member -> sheet name, from the workbook's list of sheets and its relationships."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, *UNREADABLE):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", ns)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[member] = sheet.get("name", "")
    return out


def _other_sheet(ws: Worksheet, result: FormResult, where_file: dict) -> None:
    """A sheet that is not the form's: a hidden one is skipped, a visible one holding data is reported."""
    if ws.sheet_state != "visible":
        return
    if any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row):
        result.issues.append(Issue("warning", "extra_sheet",
                                   f"Trang tính '{ws.title}' không thuộc biểu mẫu nên không được đọc.",
                                   sheet=ws.title, **where_file))


def _grid(ws: Worksheet) -> Grid:
    return [[(getattr(c, "value", None), getattr(c, "data_type", "n")) for c in row]
            for row in ws.iter_rows(min_row=1, values_only=False)]


def _find_header(grid: Grid) -> tuple[int | None, dict[str, int]]:
    """The header's row number (1-based) and column positions, or None when no header is found."""
    cols: dict[str, int] = {}
    for r in range(min(len(grid), HEADER_SEARCH_ROWS)):
        cols = header_map([v for v, _ in grid[r]], HEADER_ALIASES)
        if "code" in cols or "value" in cols:
            return r + 1, cols
    return None, cols


@dataclass
class _AreaReader:
    """Reads the area sheets of one workbook; an indicator typed twice across sheets is a duplicate."""

    path: Path
    catalog: Catalog
    result: FormResult
    where_file: dict
    seen: set = field(default_factory=set)
    cached: Workbook | None = None  # the workbook's computed formula values, loaded when first needed

    def read(self, ws: Worksheet) -> None:
        """Read one area sheet: find its header, then check every value of its value column."""
        grid = _grid(ws)
        header_row, cols = _find_header(grid)
        if header_row is None or "code" not in cols or "value" not in cols:
            missing = [HEADERS[1] if "code" not in cols else None, HEADERS[4] if "value" not in cols else None]
            self.result.reject(Issue("error", "missing_column",
                                     f"Trang {ws.title}: không tìm thấy cột tiêu đề "
                                     f"{', '.join(m for m in missing if m)}.", sheet=ws.title, **self.where_file))
            return
        merged_rows = self._merged_value_rows(ws, cols["value"] + 1, header_row)
        pending = self._pending(ws.title, grid, header_row, cols, merged_rows)
        vletter = get_column_letter(cols["value"] + 1)
        head = nfc(str(grid[header_row - 1][cols["value"]][0]))
        column = detect_column(self.result, [(v, w) for _, v, _, w in pending],
                               f"{head} ({vletter}) trang {ws.title}",
                               {"sheet": ws.title, "column": vletter, **self.where_file})
        unit_id, period = self.where_file["unit_id"], self.where_file["period"]
        for code_raw, value_raw, note, where in pending:
            check_value(self.result, self.catalog, code_raw, value_raw, note, "own", where, self.seen,
                        unit_id, period, column)

    def _merged_value_rows(self, ws: Worksheet, vcol: int, header_row: int) -> set[int]:
        """Rows below the header whose value cell is merged: each merged range is an error."""
        rows: set[int] = set()
        for merged in ws.merged_cells.sorted():
            if merged.min_col <= vcol <= merged.max_col and merged.max_row > header_row:
                rows.update(range(max(merged.min_row, header_row + 1), merged.max_row + 1))
                self.result.reject(Issue("error", "merged_cell",
                                         f"Trang {ws.title}: vùng {merged.coord} gộp ô trong cột Số liệu; "
                                         "các dòng này không được đọc.",
                                         sheet=ws.title, cell=merged.coord, **self.where_file))
        return rows

    def _pending(self, title: str, grid: Grid, header_row: int, cols: dict[str, int],
                 merged_rows: set[int]) -> list[tuple[object, object, str, dict]]:
        """The (code, value, note, where) of each filled row; merged and unresolved formula rows are rejected."""
        result, vletter = self.result, get_column_letter(cols["value"] + 1)
        pending = []
        for r in range(header_row + 1, len(grid) + 1):
            row = grid[r - 1]
            code_raw = row[cols["code"]][0] if cols["code"] < len(row) else None
            value_raw, dtype = row[cols["value"]] if cols["value"] < len(row) else (None, "n")
            note = nfc(str(row[cols["note"]][0] or "")) if "note" in cols and cols["note"] < len(row) else ""
            if code_raw in (None, "") and value_raw in (None, ""):
                continue
            coord = f"{vletter}{r}"
            result.rows_in += 1
            if r in merged_rows:
                result.rejects.append({"file": result.file, "sheet": title, "cell": coord, "code": str(code_raw),
                                       "rule": "merged_cell", "reason": "ô thuộc vùng gộp",
                                       "value_raw": str(value_raw)})
                result.rows_rejected += 1
                continue
            where = {"sheet": title, "cell": coord, "row": r, "column": vletter}
            if dtype == "f" or (isinstance(value_raw, str) and value_raw.startswith("=")):
                if (value_raw := self._formula_value(code_raw, value_raw, where)) is None:
                    continue
            pending.append((code_raw, value_raw, note, where))
        return pending

    def _formula_value(self, code_raw: object, formula: object, where: dict) -> object:
        """The value Excel computed for a formula cell (a warning), or None when there is none (an error)."""
        if self.cached is None:
            self.cached = open_workbook(self.path, self.result, self.where_file, data_only=True) or Workbook()
        sheet = self.cached[where["sheet"]] if where["sheet"] in self.cached.sheetnames else None
        value = sheet[where["cell"]].value if sheet is not None else None
        loc = {"value": str(formula), "indicator": str(code_raw or ""), **self.where_file, **where}
        if value is None:
            self.result.reject(Issue("error", "formula",
                                     f"{code_raw}: ô chứa công thức {formula} mà không có giá trị đã tính.", **loc),
                               {"code": str(code_raw)}, counted=True)
            return None
        self.result.issues.append(Issue("warning", "formula",
                                        f"{code_raw}: ô chứa công thức {formula}; dùng giá trị đã tính {value}.",
                                        **loc))
        return value


def _drop_if_mismatched(result: FormResult) -> None:
    """A form that says it belongs to another unit or period: none of its figures can be trusted here."""
    if any(i.rule == "unit_mismatch" for i in result.issues):
        for value in result.values:
            result.rejects.append(value | {"rule": "unit_mismatch", "reason": "biểu mẫu ghi đơn vị/kỳ khác tên tệp"})
        result.rows_rejected += len(result.values)
        result.values = []


def _check_info(grid: Grid, result: FormResult, unit_id: str, period: str, where_file: dict) -> None:
    """The unit and period typed in the information sheet must be those of the file's place."""
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
