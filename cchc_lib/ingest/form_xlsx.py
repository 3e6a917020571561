"""Reading a filled XLSX form: its information sheet, each area's value column, formulas and merged cells.

Sheets are read by header, values by indicator code, never by row position. Forms are small,
so the workbook is opened normally (not read-only), which gives its merged ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.form_template import HEADERS, INFO_SHEET
from cchc_lib.ingest.form_values import FormResult, check_value, detect_column, header_map, value_cell
from cchc_lib.ingest.text_checks import legacy_cell
from cchc_lib.ingest.workbook_open import open_workbook

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
            if "note" in cols and (legacy := legacy_cell(note, sheet=title, cell=f"{get_column_letter(cols['note'] + 1)}{r}",
                                                         row=r, **self.where_file)):
                result.issues.append(legacy)
            cletter = get_column_letter(cols["code"] + 1)
            where = {"sheet": title, "cell": coord, "row": r, "column": vletter,
                     "code_at": {"cell": f"{cletter}{r}", "column": cletter}}
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
        loc = {"value": str(formula), "indicator": str(code_raw or ""), **self.where_file, **value_cell(where)}
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
