"""Reading forms: each value column's number convention, merged cells, and where a form sits in the raw tree."""

import csv
import math

import pytest
from openpyxl import Workbook, load_workbook

from cchc_lib import config
from cchc_lib.domain.periods import Period
from cchc_lib.ingest.check import load_registry
from cchc_lib.ingest.forms import HEADERS, locate_form, read_form, write_template

COUNT = "TTHC_HS_TONG"  # kind: count (integer)
COUNT2 = "CD_KH_TONG"
MONEY = ["TCC_THU_NS", "TCC_CHI_NS", "TCC_KINHPHI_CCHC", "TCC_TIETKIEM", "TCC_KINHPHI_TUCHU"]  # triệu đồng, not integer
FORM = "data/raw/forms/2026-H1/xa-mau-01.xlsx"

# ----------------------------------------------------------------------------- number conventions

def write_csv(tmp_path, rows, delimiter=","):
    path = tmp_path / "xa-mau-01.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["indicator", "value", "note"])
        writer.writerows([(code, value, "") for code, value in rows])
    return path


def write_xlsx(tmp_path, sheets):
    """Write a minimal form: one sheet per area, headers on row 1, values in column E from row 2."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(HEADERS)
        for n, (code, value) in enumerate(rows, start=1):
            ws.append([n, code, "", "", value, None])
    path = tmp_path / "xa-mau-01.xlsx"
    wb.save(path)
    return path


def load(path):
    return read_form(path, "xa-mau-01", "2026-H1", f"forms/2026-H1/xa-mau-01{path.suffix}")


def values(result):
    return {v["code"]: v["value"] for v in result.values}


def rules(result, severity=None):
    return [i.rule for i in result.issues if severity is None or i.severity == severity]


def balanced(result):
    return result.rows_in == len(result.values) + result.rows_rejected


def test_lone_vietnamese_grouping_is_thousands(tmp_path):
    result = load(write_csv(tmp_path, [(COUNT, "22.296")]))
    assert values(result) == {COUNT: 22296.0}
    assert result.issues == []


def test_dot_decimal_column_is_read_with_a_warning(tmp_path):
    rows = [(MONEY[0], "234708.830632"), (MONEY[1], "12.3456"), (MONEY[2], "12.5"), (MONEY[3], "1,234,567.5"),
            (COUNT, "22.296"), (COUNT2, "20")]
    result = load(write_csv(tmp_path, rows))
    assert values(result) == {MONEY[0]: 234708.830632, MONEY[1]: 12.3456, MONEY[2]: 12.5,
                              MONEY[3]: 1234567.5, COUNT2: 20.0}
    warning = [i for i in result.issues if i.rule == "number_convention"]
    assert len(warning) == 1 and warning[0].severity == "warning"
    w = warning[0]
    assert (w.file, w.column, w.row, w.value) == ("forms/2026-H1/xa-mau-01.csv", "value", 2, "234708.830632")
    assert "dấu chấm thập phân" in w.message and "dòng 2 '234708.830632'" in w.message
    assert "234.708,830632" in w.message
    # the ambiguous count is read as 22,296 in this column, and a count refuses it: never coerced
    assert "dòng 6 '22.296' được đọc là 22,296, không phải 22.296" in w.message
    (reject,) = [i for i in result.issues if i.severity == "error"]
    assert (reject.rule, reject.row, reject.value) == ("not_integer", 6, "22.296")
    assert balanced(result)


def test_mixed_column_rejects_every_convention_dependent_cell(tmp_path):
    rows = [(MONEY[0], "234708.830632"), (MONEY[1], "99,16"), (COUNT, "22.296"), (COUNT2, "20"),
            (MONEY[2], "1,234"), (MONEY[3], "-0")]
    result = load(write_csv(tmp_path, rows))
    assert values(result) == {COUNT2: 20.0, MONEY[3]: 0.0}  # neutral cells are still read
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.rule, i.row) for i in errors] == [("ambiguous_number", 2), ("ambiguous_number", 3),
                                                ("ambiguous_number", 4), ("ambiguous_number", 6)]
    for issue in errors:  # each names both example cells
        assert "dòng 3 '99,16'" in issue.message and "dòng 2 '234708.830632'" in issue.message
        assert issue.advice
    by_row = {i.row: i.message for i in errors}
    assert "234.708.830.632" in by_row[2] and "234.708,830632" in by_row[2]
    assert "99,16 theo cách viết Việt Nam" in by_row[3] and "9.916 theo cách viết dấu chấm thập phân" in by_row[3]
    assert "22.296 theo cách viết Việt Nam" in by_row[4] and "22,296 theo cách viết dấu chấm thập phân" in by_row[4]
    assert "1,234 theo cách viết Việt Nam" in by_row[6] and "1.234 theo cách viết dấu chấm thập phân" in by_row[6]
    assert "number_convention" not in rules(result)
    rejected = {r["row"]: r for r in result.rejects}
    assert set(rejected) == {2, 3, 4, 6} and rejected[2]["value_raw"] == "234708.830632"
    assert all(r["rule"] == "ambiguous_number" and r["reason"] for r in result.rejects)
    assert result.rows_rejected == 4 and balanced(result)


def test_vietnamese_column_reads_ambiguous_cells_the_vietnamese_way(tmp_path):
    result = load(write_csv(tmp_path, [(COUNT, "22.296"), (MONEY[0], "63.111,4"), (MONEY[1], "1,234")], ";"))
    assert values(result) == {COUNT: 22296.0, MONEY[0]: 63111.4, MONEY[1]: 1.234}
    assert result.issues == []


def test_scientific_notation_in_a_form(tmp_path):
    rows = [(MONEY[0], "1e6"), (MONEY[1], "1E+06"), (MONEY[2], "2,5E+07"), (COUNT, "20")]
    result = load(write_csv(tmp_path, rows))
    assert values(result) == {COUNT: 20.0}
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.rule, i.row, i.value) for i in errors] == [
        ("scientific_notation", 2, "1e6"), ("scientific_notation", 3, "1E+06"), ("scientific_notation", 4, "2,5E+07")]
    for issue in errors:
        assert "Excel đã viết lại giá trị thành dạng số mũ" in issue.message
        assert "định dạng ô là Số (Number) rồi gõ lại số đầy đủ" in issue.message
    assert balanced(result)


def test_minus_zero_and_excel_text_marker(tmp_path):
    result = load(write_csv(tmp_path, [(COUNT, "-0"), (COUNT2, "'123")]))
    assert values(result) == {COUNT: 0.0, COUNT2: 123.0}
    assert math.copysign(1, values(result)[COUNT]) == 1
    assert result.issues == []


def test_special_characters_are_read_with_a_warning(tmp_path):
    rows = [(COUNT, "22\u00a0296"), (COUNT2, "1\u202f234"), (MONEY[0], "1\u2009234,5"), (MONEY[1], "22 296"),
            (MONEY[2], "２２.２９６")]
    result = load(write_csv(tmp_path, rows))
    assert values(result) == {COUNT: 22296.0, COUNT2: 1234.0, MONEY[0]: 1234.5, MONEY[1]: 22296.0,
                              MONEY[2]: 22296.0}
    warnings = {i.row: i for i in result.issues if i.rule == "special_characters"}
    assert set(warnings) == {2, 3, 4, 5, 6} and all(w.severity == "warning" for w in warnings.values())
    assert "NBSP" in warnings[2].message and "đã đọc là 22.296" in warnings[2].message
    assert warnings[2].value == "22\u00a0296"
    assert "U+202F" in warnings[3].message and "U+2009" in warnings[4].message
    assert "dấu cách giữa các nhóm chữ số" in warnings[5].message
    assert "chữ số toàn độ rộng" in warnings[6].message
    assert [i for i in result.issues if i.severity == "error"] == []


def test_count_that_is_not_an_integer_is_refused(tmp_path):
    result = load(write_csv(tmp_path, [(COUNT, "12,5")]))
    assert values(result) == {}
    (issue,) = result.issues
    assert (issue.rule, issue.row, issue.value) == ("not_integer", 2, "12,5")
    assert "phải là số nguyên" in issue.message


def test_not_a_number_messages(tmp_path):
    result = load(write_csv(tmp_path, [(COUNT, "mười hai"), (COUNT2, "1.23.456")]))
    msgs = {i.row: i.message for i in result.issues}
    assert all(i.rule == "not_a_number" for i in result.issues)
    assert "ô số liệu chứa chữ, không phải số" in msgs[2]
    assert "dấu chấm, dấu phẩy hoặc dấu cách đặt sai chỗ" in msgs[3]


def test_xlsx_convention_is_per_sheet(tmp_path):
    path = write_xlsx(tmp_path, {
        "TaiChinh": [(MONEY[0], "234708.830632"), (MONEY[1], "12.3456")],
        "TTHC": [(COUNT, "22.296")],
    })
    result = load(path)
    assert values(result) == {MONEY[0]: 234708.830632, MONEY[1]: 12.3456, COUNT: 22296.0}
    (w,) = [i for i in result.issues if i.rule == "number_convention"]
    assert (w.sheet, w.cell, w.column, w.value) == ("TaiChinh", "E2", "E", "234708.830632")
    assert w.place == "forms/2026-H1/xa-mau-01.xlsx, TaiChinh!E2"
    assert "Số liệu (E) trang TaiChinh" in w.message


def test_xlsx_mixed_sheet_names_both_cells(tmp_path):
    path = write_xlsx(tmp_path, {"TaiChinh": [(MONEY[0], "234708.830632"), (MONEY[1], "99,16"), (MONEY[2], "7")]})
    result = load(path)
    assert values(result) == {MONEY[2]: 7.0}
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.rule, i.sheet, i.cell) for i in errors] == [("ambiguous_number", "TaiChinh", "E2"),
                                                           ("ambiguous_number", "TaiChinh", "E3")]
    for issue in errors:
        assert "ô E3 '99,16'" in issue.message and "ô E2 '234708.830632'" in issue.message
    assert "234.708.830.632" in errors[0].message and "234.708,830632" in errors[0].message
    assert {r["cell"] for r in result.rejects} == {"E2", "E3"} and balanced(result)


def test_xlsx_real_numbers_are_exact_and_carry_no_evidence(tmp_path):
    path = write_xlsx(tmp_path, {"TaiChinh": [(MONEY[0], 234708.830632), (MONEY[1], 208986.123456789), (MONEY[2], "99,16")],
                                 "TTHC": [(COUNT, 22296), (COUNT2, "22.296")]})
    result = load(path)
    assert values(result) == {MONEY[0]: 234708.830632, MONEY[1]: 208986.123456789, MONEY[2]: 99.16,
                              COUNT: 22296.0, COUNT2: 22296.0}
    assert result.issues == []


def test_xlsx_float_count_that_is_not_an_integer_is_refused(tmp_path):
    result = load(write_xlsx(tmp_path, {"TTHC": [(COUNT, 12.5)]}))
    (issue,) = result.issues
    assert (issue.rule, issue.cell, issue.value) == ("not_integer", "E2", "12.5")


def test_xlsx_special_characters_name_the_cell(tmp_path):
    result = load(write_xlsx(tmp_path, {"TTHC": [(COUNT, "22\u00a0296")]}))
    assert values(result) == {COUNT: 22296.0}
    (w,) = result.issues
    assert (w.rule, w.severity, w.sheet, w.cell) == ("special_characters", "warning", "TTHC", "E2")


# ----------------------------------------------------------------------------- merged cells


def template_form(tmp_path, edit):
    """The real template of xa-mau-01 (2026-H1), its ChiDao sheet changed by ``edit``, then read."""
    registry = load_registry(config.UNITS_CSV)
    path = tmp_path / "forms" / "2026-H1" / "xa-mau-01.xlsx"
    write_template(path, registry["xa-mau-01"], Period.parse("2026-H1"))
    wb = load_workbook(path)
    ws = wb["ChiDao"]
    codes = {row: ws.cell(row=row, column=2).value for row in range(5, 11)}
    edit(ws)
    wb.save(path)
    return read_form(path, "xa-mau-01", "2026-H1", FORM), codes


def test_merged_value_cells_in_the_data_area_are_rejected(tmp_path):
    def edit(ws):
        ws["E5"], ws["E6"], ws["E8"] = 20, 12, 8
        ws.merge_cells("E6:E7")

    result, codes = template_form(tmp_path, edit)
    (issue,) = result.issues
    assert (issue.severity, issue.rule, issue.sheet, issue.cell, issue.file) == (
        "error", "merged_cell", "ChiDao", "E6:E7", FORM)
    assert issue.message == "Trang ChiDao: vùng E6:E7 gộp ô trong cột Số liệu; các dòng này không được đọc."
    assert values(result) == {codes[5]: 20.0, codes[8]: 8.0}
    merged = [r for r in result.rejects if r.get("reason") == "ô thuộc vùng gộp"]
    assert [(r["cell"], r["code"], r["rule"], r["value_raw"]) for r in merged] == [
        ("E6", codes[6], "merged_cell", "12"), ("E7", codes[7], "merged_cell", "None")]
    assert result.rows_rejected == 2 and balanced(result)


def test_merges_outside_the_value_column_or_above_the_header_are_read_as_usual(tmp_path):
    def edit(ws):
        ws["E5"] = 20
        for merged in ("A1:F1", "E2:E3", "C5:D5"):
            ws.merge_cells(merged)

    result, codes = template_form(tmp_path, edit)
    assert result.issues == [] and result.rejects == []
    assert values(result) == {codes[5]: 20.0}


def test_each_merged_range_is_one_finding_in_reading_order(tmp_path):
    def edit(ws):
        ws["E6"], ws["E9"] = 12, 3
        for merged in ("E9:E10", "E4:E5", "E6:E7"):
            ws.merge_cells(merged)

    result, codes = template_form(tmp_path, edit)
    assert [(i.rule, i.cell) for i in result.issues] == [
        ("merged_cell", "E4:E5"), ("merged_cell", "E6:E7"), ("merged_cell", "E9:E10")]
    assert [r["cell"] for r in result.rejects if r.get("reason") == "ô thuộc vùng gộp"] == [
        "E5", "E6", "E7", "E9", "E10"]  # the header row E4 is not a value
    assert values(result) == {} and balanced(result)


# ----------------------------------------------------------------------------- where a form sits


@pytest.mark.parametrize(("folder", "stem", "rule", "message"), [
    ("2026-H3", "xa-mau-02", "bad_period", "Thư mục kỳ '2026-H3': Mã kỳ báo cáo không hợp lệ: '2026-H3'."),
    ("", "xa-mau-02", "bad_period", "Thư mục kỳ '': Mã kỳ báo cáo không hợp lệ: ''."),
    ("2026-H1", "Xa Mau 02", "unit_id_format", "Xa Mau 02"),
    ("2026-H1", "xa-khong-co", "unknown_unit", "Đơn vị 'xa-khong-co' (tên tệp) không có trong data/raw/units.csv."),
    ("2026-H1", "xa-mau-09", "unit_not_valid", "xa-mau-11"),
])
def test_a_form_that_cannot_be_placed_says_why(tmp_path, folder, stem, rule, message):
    issue = locate_form(tmp_path / folder / f"{stem}.csv", folder, load_registry(config.UNITS_CSV), "f.csv")
    assert (issue.severity, issue.rule, issue.file) == ("error", rule, "f.csv")
    assert message in issue.message


def test_a_placed_form_gives_its_unit_and_period(tmp_path):
    registry = load_registry(config.UNITS_CSV)
    assert locate_form(tmp_path / "2026-H1" / "xa-mau-02.xlsx", "2026-H1", registry, "f") == ("xa-mau-02", "2026-H1")
    issue = locate_form(tmp_path / "x.csv", "2026-H1", registry, "f", units_source="danh mục đơn vị")
    assert issue.message == "Đơn vị 'x' (tên tệp) không có trong danh mục đơn vị."
