"""Number conventions: classifying texts, detecting a column's convention, and reading forms with them."""

import csv
import doctest
import math
from decimal import Decimal

import pytest
from openpyxl import Workbook

from cchc_lib.domain import number_text as numbers
from cchc_lib.domain.issues import ADVICE
from cchc_lib.domain.number_text import (
    AMBIGUOUS,
    DOT,
    DOT_EVIDENCE,
    MIXED,
    NEUTRAL,
    NOT_A_NUMBER,
    SCIENTIFIC,
    VN,
    VN_EVIDENCE,
    NumberError,
    classify,
    detect_convention,
    read,
    readings,
)
from cchc_lib.ingest.forms import HEADERS, read_form

COUNT = "TTHC_HS_TONG"  # kind: count (integer)
COUNT2 = "CD_KH_TONG"
MONEY = ["TCC_THU_NS", "TCC_CHI_NS", "TCC_KINHPHI_CCHC", "TCC_TIETKIEM", "TCC_KINHPHI_TUCHU"]  # triệu đồng, not integer

# ----------------------------------------------------------------------------- numbers.py


def test_module_doctests():
    assert doctest.testmod(numbers).failed == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("22296", NEUTRAL), ("-0", NEUTRAL), ("0", NEUTRAL), ("22 296", NEUTRAL), ("'123", NEUTRAL), ("", NEUTRAL),
        ("99,16", VN_EVIDENCE), ("1.234.567", VN_EVIDENCE), ("1.234,5", VN_EVIDENCE), ("0,296", VN_EVIDENCE),
        ("12,3456", VN_EVIDENCE), ("22 296,5", VN_EVIDENCE),
        ("234708.830632", DOT_EVIDENCE), ("12.3456", DOT_EVIDENCE), ("12.5", DOT_EVIDENCE),
        ("1,234,567", DOT_EVIDENCE), ("1,234,567.5", DOT_EVIDENCE), ("1,234.5", DOT_EVIDENCE),
        ("0.296", DOT_EVIDENCE), ("1234.567", DOT_EVIDENCE),
        ("22.296", AMBIGUOUS), ("1,234", AMBIGUOUS), ("２２.２９６", AMBIGUOUS),
        ("1e6", SCIENTIFIC), ("1E+06", SCIENTIFIC), ("2,5E+07", SCIENTIFIC),
        ("mười hai", NOT_A_NUMBER), ("1,2,3", NOT_A_NUMBER), ("1.23.456", NOT_A_NUMBER), ("12 34", NOT_A_NUMBER),
        ("--1", NOT_A_NUMBER), ("\u0662\u0662", NOT_A_NUMBER),  # Arabic-Indic digits are not read
        (17002.5, NEUTRAL), (None, NEUTRAL),
    ],
)
def test_classify(text, kind):
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("texts", "convention"),
    [
        (["22.296", "20", "99,16"], VN),
        (["22.296", "1,234"], VN),  # ambiguous only: the Vietnamese default
        ([], VN),
        ([22296.0, 1.5, "20"], VN),  # Excel numbers carry no evidence
        (["234708.830632", "12.3456", "22.296"], DOT),
        (["12.5", "20"], DOT),
        (["234708.830632", "99,16"], MIXED),
        (["1,234,567", "1.234.567"], MIXED),
    ],
)
def test_detect_convention(texts, convention):
    assert detect_convention(texts) == convention


@pytest.mark.parametrize(
    ("text", "convention", "value"),
    [
        ("22.296", VN, 22296.0), ("22.296", DOT, 22.296), ("1,234", VN, 1.234), ("1,234", DOT, 1234.0),
        ("1.234,5", VN, 1234.5), ("1,234,567.5", DOT, 1234567.5), ("234708.830632", DOT, 234708.830632),
        ("12.3456", DOT, 12.3456), ("12.5", DOT, 12.5), ("99,16", VN, 99.16),
        ("20", MIXED, 20.0), ("22 296", MIXED, 22296.0), ("'123", VN, 123.0), ("+5", VN, 5.0),
    ],
)
def test_read_under_a_convention(text, convention, value):
    assert read(text, convention).value == value


def test_minus_zero_is_zero():
    for text in ("-0", "-0,0", -0.0):
        value = read(text).value
        assert value == 0 and math.copysign(1, value) == 1, text


@pytest.mark.parametrize("text", ["1e6", "1E+06", "2,5E+07", "1.5e-3"])
def test_scientific_notation_is_refused(text):
    with pytest.raises(NumberError) as exc:
        read(text)
    assert exc.value.rule == "scientific_notation"
    assert "Excel đã viết lại giá trị thành dạng số mũ" in str(exc.value)
    assert "định dạng ô là Số (Number)" in str(exc.value) and "gõ lại" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        ("22\u00a0296", 22296.0, "NBSP, U+00A0"),
        ("22\u202f296", 22296.0, "U+202F"),
        ("22\u2009296", 22296.0, "U+2009"),
        ("22 296", 22296.0, "dấu cách giữa các nhóm chữ số"),
        ("1\u00a0234\u00a0567,5", 1234567.5, "NBSP"),
        ("２２.２９６", 22296.0, "chữ số toàn độ rộng"),
        ("２２．２９６", 22296.0, "dấu câu toàn độ rộng"),
    ],
)
def test_special_characters_are_read_and_noted(text, value, note):
    reading = read(text)
    assert reading.value == value
    assert any(note in n for n in reading.notes), reading.notes


def test_plain_values_have_no_notes():
    assert read(" 17002 ").notes == () and read("'123").notes == () and read("1.234,5").notes == ()


def test_excel_numbers_are_taken_exactly():
    assert read(234708.830632, VN).value == 234708.830632
    assert read(234708.830632, MIXED).value == 234708.830632
    assert read(0.1 + 0.2).value == 0.1 + 0.2
    assert read(22296).value == 22296.0
    assert read(float("nan")).value is None


def test_not_a_number_and_bool():
    for value in ("mười hai", "12a", True, float("inf"), "1.234 567"):
        with pytest.raises(NumberError) as exc:
            read(value)
        assert exc.value.rule == "not_a_number", value


def test_mixed_column_refuses_what_depends_on_the_convention():
    for text in ("22.296", "1,234", "99,16", "234708.830632"):
        with pytest.raises(NumberError) as exc:
            read(text, MIXED)
        assert exc.value.rule == "ambiguous_number"
    with pytest.raises(NumberError) as exc:
        read("234708.830632", MIXED)
    assert exc.value.readings == {VN: Decimal("234708830632"), DOT: Decimal("234708.830632")}
    assert "234.708.830.632" in str(exc.value) and "234.708,830632" in str(exc.value)


def test_readings_give_both_conventions():
    assert readings("22.296") == {VN: Decimal("22296"), DOT: Decimal("22.296")}
    assert readings("99,16") == {VN: Decimal("99.16"), DOT: Decimal("9916")}
    assert readings("1,234,567.5") == {VN: None, DOT: Decimal("1234567.5")}


def test_new_rules_have_advice():
    for rule in ("number_convention", "ambiguous_number", "scientific_notation", "special_characters"):
        assert ADVICE.get(rule), rule


# ----------------------------------------------------------------------------- forms


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
