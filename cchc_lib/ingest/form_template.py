"""The Excel form units fill in: an information sheet and a sheet per area, by indicator code."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc_lib.domain.catalog import Area, Catalog, load_catalog
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Unit

INFO_SHEET = "ThongTin"
HEADERS = ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]

_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="FFF7D6")


def write_template(path: Path, unit: Unit, period: Period, catalog: Catalog | None = None) -> Path:
    """Write an empty form for ``unit`` and ``period``: a sheet per area.

    Only the value and note cells are editable; value cells accept numbers >= 0
    (whole numbers for counts).

    Parameters
    ----------
    path : Path
        The .xlsx file to write (its folder is created).
    unit, period : Unit, Period
        Whom and what the form is for (written in the information sheet).
    catalog : Catalog, optional
        The indicators (default: the package catalog).

    Returns
    -------
    Path
        ``path``.
    """
    catalog = catalog or load_catalog()
    wb = Workbook()
    _write_info(wb.active, unit, period)
    for area in catalog.areas:
        _write_area(wb.create_sheet(area.sheet), area, unit, period, catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _write_info(info: Worksheet, unit: Unit, period: Period) -> None:
    """The information sheet: unit, period, data window and how to fill the form."""
    info.title = INFO_SHEET
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
        info.cell(row=i, column=1, value=k).font = _BOLD
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


def _validations(ws: Worksheet) -> tuple[DataValidation, DataValidation]:
    """The (whole number, decimal) validations of value cells, both >= 0 or blank."""
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
    return dv_int, dv_dec


def _write_area(ws: Worksheet, area: Area, unit: Unit, period: Period, catalog: Catalog) -> None:
    """One area's sheet: a title, the header row 4, then one row per typed indicator."""
    ws["A1"] = area.label.upper()
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"] = f"{unit.name} - {period.label}"
    for col, head in enumerate(HEADERS, start=1):
        c = ws.cell(row=4, column=col, value=head)
        c.font = _BOLD
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    dv_int, dv_dec = _validations(ws)
    for row, (n, ind) in enumerate(enumerate(catalog.in_area(area.code, rates=False), start=1), start=5):
        for col, v in enumerate([n, ind.code, ind.label, ind.unit, None, None], start=1):
            ws.cell(row=row, column=col, value=v).border = _BORDER
        for col in (5, 6):
            ws.cell(row=row, column=col).protection = Protection(locked=False)
        ws.cell(row=row, column=5).fill = _FILL
        (dv_int if ind.integer else dv_dec).add(f"E{row}")
    for col, width in zip("ABCDEF", (6, 24, 60, 12, 14, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    ws.protection.sheet = True


def fill_template(path: Path, values: dict[str, float | None], notes: dict[str, str] | None = None) -> None:
    """Fill value cells of a template by indicator code (used by the sample generator).

    Parameters
    ----------
    path : Path
        A form written by :func:`write_template`, changed in place.
    values : dict
        Indicator code -> value; None leaves the cell blank.
    notes : dict, optional
        Indicator code -> note.
    """
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
