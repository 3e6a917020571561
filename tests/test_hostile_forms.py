"""Forms whose structure is messy or hostile: each is refused or read precisely, never a traceback."""

import shutil
import zipfile
from typing import NamedTuple

import pandas as pd
import pytest
from openpyxl import load_workbook

from cchc_lib.domain.catalog import load_catalog
from cchc_lib.domain.issues import ADVICE, IssueLog
from cchc_lib.ingest.arithmetic import check_arithmetic
from cchc_lib.ingest.check import load_registry, validate_file
from cchc_lib.ingest.forms import VALUE_COLUMNS, read_form
from cchc_lib.ingest.legacy_text import HINT
from cchc_lib.ingest.pipeline import ingest

from .case_table import describe
from .conftest import REPO

# Long: each case ingests a copy of the shipped data. Run by `make hostile`, not `make test`.
pytestmark = pytest.mark.hostile

SHIPPED = REPO / "data" / "raw" / "forms" / "2026-H1" / "xa-mau-02.xlsx"  # a real filled form
F = "forms/2026-H1/xa-mau-02"
XA_MAU_01 = {"CD_KH_TONG": 20, "CD_KH_HOANTHANH": 12, "CD_KH_CHUADENHAN": 8, "CD_KH_KHONGDAT": 0}  # raw_tree's form
GOOD = "indicator,value,note\nCD_KH_TONG,20,\nCD_KH_HOANTHANH,12,\nCD_KH_CHUADENHAN,8,\nCD_KH_KHONGDAT,0,\n"
BREACH = "indicator,value,note\nCD_KH_TONG,20,\nCD_KH_HOANTHANH,12,\nCD_KH_CHUADENHAN,9,\nCD_KH_KHONGDAT,0,\n"


def _shipped_values():
    result = read_form(SHIPPED, "xa-mau-02", "2026-H1", "x.xlsx")
    return {v["code"]: v["value"] for v in result.values}


SHIPPED_VALUES = _shipped_values()
SHIPPED_ROWS = 63  # the shipped form's filled value cells


def _write(raw, rel, text, encoding="utf-8"):
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def truncated_sheet(raw):
    with zipfile.ZipFile(SHIPPED) as src, zipfile.ZipFile(raw / (F + ".xlsx"), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet3.xml" else data)


def text_in_number_cell(raw):
    wb = load_workbook(SHIPPED)
    wb["ChiDao"]["E5"].value = "mười"
    wb["ChiDao"]["E5"].data_type = "n"  # written as <c t="n"><v>mười</v></c>, as some exporters do
    wb.save(raw / (F + ".xlsx"))


def xlsx_and_csv(raw):
    shutil.copy(SHIPPED, raw / (F + ".xlsx"))
    _write(raw, F + ".csv", BREACH)  # and an arithmetic breach: no TypeError either


def sheets(hidden_lookup=True, data_sheet=True, empty_sheet=False):
    def build(raw):
        wb = load_workbook(SHIPPED)
        if hidden_lookup:
            lookup = wb.create_sheet("DanhMuc", 0)
            lookup.append(["CD_KH_TONG", "Số nhiệm vụ"])
            lookup.sheet_state = "hidden"
        if data_sheet:
            wb.create_sheet("Sheet2").append(["CD_TUYENTRUYEN", 5])
        if empty_sheet:
            wb.create_sheet("Trống")
        wb.save(raw / (F + ".xlsx"))
    return build


def legacy_note(note):
    """The shipped form with a note typed with a legacy font in ChiDao!F5."""
    def build(raw):
        wb = load_workbook(SHIPPED)
        wb["ChiDao"]["F5"].value = note
        wb.save(raw / (F + ".xlsx"))
    return build


def huge_count(raw):
    wb = load_workbook(SHIPPED)
    wb["ChiDao"]["E5"].value = 1234567890123456789  # an id pasted into a count cell
    wb.save(raw / (F + ".xlsx"))


def csv_form(text, encoding="utf-8", folder="2026-H1"):
    return lambda raw: _write(raw, f"forms/{folder}/xa-mau-02.csv", text, encoding)


def in_folder(folder):
    def build(raw):
        _write(raw, f"forms/{folder}/xa-mau-02.csv", "indicator,value\nCD_KH_TONG,3\n")
        _write(raw, f"forms/{folder}/xa-mau-01.csv", BREACH)  # the same unit as the good form: no clash
    return build


def find(severity, rule, file, row=None, value="", sheet="", cell=""):
    """One expected finding: (severity, rule, file, sheet, cell, row, value)."""
    return (severity, rule, "data/raw/" + file, sheet, cell, row, value)


def err(*args, **kw):
    return find("error", *args, **kw)


def warn(*args, **kw):
    return find("warning", *args, **kw)


class Case(NamedTuple):
    name: str
    build: object
    findings: tuple  # every issue of the ingest, in order
    rows: dict  # file -> (rows in, kept, rejected)
    kept: dict  # xa-mau-02's 2026-H1 figures
    needles: tuple = ()


SEMI = "\ufeffindicator;value;note\nCD_KH_TONG;1.234;ghi chú, có dấu phẩy\nCD_TUYENTRUYEN;5;\n"
CASES = [
    Case("truncated_sheet_xml", truncated_sheet,
         (err("file_unreadable", F + ".xlsx", value="xl/worksheets/sheet3.xml", sheet="TheChe"),),
         {F + ".xlsx": (0, 0, 0)}, {}, ("sheet3.xml", "ParseError")),
    Case("text_in_number_typed_cell", text_in_number_cell,
         (err("not_a_number", F + ".xlsx", 5, "mười", sheet="ChiDao", cell="E5"),),
         {F + ".xlsx": (SHIPPED_ROWS, SHIPPED_ROWS - 1, 1)},
         {k: v for k, v in SHIPPED_VALUES.items() if k != "CD_KH_TONG"}),
    Case("xlsx_and_csv_one_period", xlsx_and_csv,
         (err("duplicate_form", F + ".csv", value="xa-mau-02.csv, xa-mau-02.xlsx"),
          warn("duplicate_form", F + ".xlsx", value="xa-mau-02.csv, xa-mau-02.xlsx")),
         {F + ".csv": (0, 0, 0), F + ".xlsx": (0, 0, 0)}, {},
         ("gửi một biểu mẫu cho mỗi đơn vị, mỗi kỳ", F + ".csv", F + ".xlsx")),
    Case("period_folder_stray_space", in_folder("2026-H1 "),
         (err("bad_period", "forms/2026-H1 /xa-mau-01.csv", value="2026-H1 "),
          err("bad_period", "forms/2026-H1 /xa-mau-02.csv", value="2026-H1 ")),
         {"forms/2026-H1 /xa-mau-02.csv": (0, 0, 0)}, {}, ("'2026-H1 '",)),
    Case("period_folder_fullwidth_digits", in_folder("２０２６-H1"),
         (err("bad_period", "forms/２０２６-H1/xa-mau-01.csv", value="２０２６-H1"),
          err("bad_period", "forms/２０２６-H1/xa-mau-02.csv", value="２０２６-H1")),
         {"forms/２０２６-H1/xa-mau-02.csv": (0, 0, 0)}, {}, ("'２０２６-H1'",)),
    Case("semicolon_csv_with_bom", csv_form(SEMI), (), {F + ".csv": (2, 2, 0)},
         {"CD_KH_TONG": 1234, "CD_TUYENTRUYEN": 5}),
    Case("utf16_bom_tab_csv", csv_form("indicator\tvalue\tnote\nCD_KH_TONG\t1.234\t\nCD_TUYENTRUYEN\t5\t\n", "utf-16"),
         (), {F + ".csv": (2, 2, 0)}, {"CD_KH_TONG": 1234, "CD_TUYENTRUYEN": 5}),
    Case("utf16_without_bom", csv_form(GOOD, "utf-16-le"),
         (err("encoding", F + ".csv", 1, "UTF-16 LE không có BOM"),), {F + ".csv": (0, 0, 0)}, {}),
    Case("utf32_with_bom", csv_form(GOOD, "utf-32"),
         (err("encoding", F + ".csv", 1, "UTF-32 LE"),), {F + ".csv": (0, 0, 0)}, {}),
    Case("windows_1258", csv_form("indicator,value,note\nCD_KH_TONG,20,Đà\n", "cp1258"),
         (err("encoding", F + ".csv", 2, "Ðà"),), {F + ".csv": (0, 0, 0)}, {}, ("UTF-8", "Windows-1258", "đọc là \"Đà\"")),
    Case("tcvn3_csv", csv_form("indicator,value,note\nCD_KH_TONG,20,Uû ban nh©n d©n x· MÉu 02\n", "latin-1"),
         (err("encoding", F + ".csv", 2, "Uû ban nh©n d©n x· MÉu 02"),), {F + ".csv": (0, 0, 0)}, {},
         ("TCVN3 (ABC)", "đọc là \"Uỷ ban nhân dân xã Mẫu 02\"")),
    Case("vni_csv", csv_form("indicator,value,note\nCD_KH_TONG,20,UÛy ban nhaân daân xaõ Maãu 02\n", "cp1252"),
         (err("encoding", F + ".csv", 2, "UÛy ban nhaân daân xaõ Maãu 02"),), {F + ".csv": (0, 0, 0)}, {},
         ("VNI-Windows", "đọc là \"Ủy ban nhân dân xã Mẫu 02\"")),
    Case("vni_note_in_a_utf8_csv", csv_form("indicator,value,note\nCD_TUYENTRUYEN,5,Soá lieäu töø caùc phoøng\n"),
         (warn("legacy_text", F + ".csv", 2, "Soá lieäu töø caùc phoøng"),), {F + ".csv": (1, 1, 0)},
         {"CD_TUYENTRUYEN": 5}, ("VNI-Windows", "Số liệu từ các phòng")),
    Case("tcvn3_note_in_a_workbook", legacy_note("Sè liÖu tæng hîp tõ c¸c phßng"),
         (warn("legacy_text", F + ".xlsx", 5, "Sè liÖu tæng hîp tõ c¸c phßng", sheet="ChiDao", cell="F5"),),
         {F + ".xlsx": (SHIPPED_ROWS, SHIPPED_ROWS, 0)}, SHIPPED_VALUES, ("TCVN3 (ABC)", "Số liệu tổng hợp từ các phòng")),
    Case("nineteen_digit_count_in_a_workbook", huge_count,
         (err("number_too_large", F + ".xlsx", 5, "1.234567890123457e+18", sheet="ChiDao", cell="E5"),),
         {F + ".xlsx": (SHIPPED_ROWS, SHIPPED_ROWS - 1, 1)},
         {k: v for k, v in SHIPPED_VALUES.items() if k != "CD_KH_TONG"}, ("2^53",)),
    Case("nineteen_digit_count_in_a_csv", csv_form("indicator,value\nCD_KH_TONG,1234567890123456789\nCD_TUYENTRUYEN,5\n"),
         (err("number_too_large", F + ".csv", 2, "1234567890123456789"),), {F + ".csv": (2, 1, 1)},
         {"CD_TUYENTRUYEN": 5}),
    Case("thousands_comma_and_trailing_comma", csv_form(
         "indicator,value,note\nCD_KH_TONG,22,296,\nCD_TUYENTRUYEN,5,\n"),
         (err("extra_field", F + ".csv", 2, "CD_KH_TONG,22,296,"),), {F + ".csv": (2, 1, 1)},
         {"CD_TUYENTRUYEN": 5}, ("dòng 2", "22,296")),
    Case("thousands_comma_into_note", csv_form("indicator,value,note\nCD_TUYENTRUYEN,5,\nCD_KH_TONG,22,296\n"),
         (err("extra_field", F + ".csv", 3, "CD_KH_TONG,22,296"),), {F + ".csv": (2, 1, 1)}, {"CD_TUYENTRUYEN": 5}),
    Case("thousands_comma_two_columns", csv_form("indicator,value\nCD_KH_TONG,22,296\nCD_TUYENTRUYEN,5\n"),
         (err("extra_field", F + ".csv", 2, "CD_KH_TONG,22,296"),), {F + ".csv": (2, 1, 1)}, {"CD_TUYENTRUYEN": 5}),
    Case("unclosed_quote", csv_form('indicator,value,note\nCD_KH_TONG,"20,\nCD_TUYENTRUYEN,5,"ghi chú"\n'),
         (err("unclosed_quote", F + ".csv", 2, 'CD_KH_TONG,"20,'),), {F + ".csv": (2, 1, 1)},
         {"CD_TUYENTRUYEN": 5}),
    Case("title_lines_above_header", csv_form("BIỂU MẪU SỐ LIỆU CCHC\nXã Mẫu 02,,\n\nindicator,value,note\n"
                                              "CD_TUYENTRUYEN,5,\n"),
         (warn("title_rows", F + ".csv", 4, "indicator,value,note"),), {F + ".csv": (1, 1, 0)},
         {"CD_TUYENTRUYEN": 5}, ("dòng 4",)),
    Case("hidden_lookup_sheet_and_data_sheet", sheets(),
         (warn("extra_sheet", F + ".xlsx", sheet="Sheet2"),), {F + ".xlsx": (SHIPPED_ROWS, SHIPPED_ROWS, 0)},
         SHIPPED_VALUES, ("Sheet2",)),
    Case("hidden_and_empty_sheets_are_silent", sheets(data_sheet=False, empty_sheet=True), (),
         {F + ".xlsx": (SHIPPED_ROWS, SHIPPED_ROWS, 0)}, SHIPPED_VALUES),
]


def figures(result, unit_id):
    mine = result.indicators[(result.indicators.unit_id == unit_id) & (result.indicators.period == "2026-H1")]
    return dict(zip(mine.code, mine.value, strict=True))


KIND = {"truncated_sheet_xml": "stops", "text_in_number_typed_cell": "stops", "xlsx_and_csv_one_period": "stops",
        "period_folder_stray_space": "stops", "period_folder_fullwidth_digits": "imprecise",
        "semicolon_csv_with_bom": "refused", "utf16_bom_tab_csv": "refused", "utf16_without_bom": "imprecise",
        "utf32_with_bom": "imprecise", "windows_1258": "imprecise", "thousands_comma_and_trailing_comma": "silent",
        "thousands_comma_into_note": "silent", "thousands_comma_two_columns": "silent", "unclosed_quote": "lost",
        "title_lines_above_header": "lost", "hidden_lookup_sheet_and_data_sheet": "lost",
        "hidden_and_empty_sheets_are_silent": "refused", "tcvn3_csv": "imprecise", "vni_csv": "imprecise",
        "vni_note_in_a_utf8_csv": "imprecise", "tcvn3_note_in_a_workbook": "imprecise",
        "nineteen_digit_count_in_a_workbook": "silent", "nineteen_digit_count_in_a_csv": "silent"}


def expected(findings, rows) -> str:
    """A case's expectation as the table shows it: its findings and its files' rows."""
    said = ", ".join(f"{'lỗi' if f[0] == 'error' else 'cảnh báo'} `{f[1]}`" for f in findings) or "không có phát hiện"
    return said + "; " + "; ".join(f"{r} = {k} + {j}" for r, k, j in rows.values())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_form(raw_tree, case, case_row):
    case.build(raw_tree)
    result = ingest(raw_tree, raw_tree.parent / "processed")  # no traceback
    rows = {f["file"]: (f["rows_in"], f["rows_ok"], f["rows_rejected"]) for f in result.files}
    case_row(KIND[case.name], expected(case.findings, case.rows), result.exit_code, describe(result.issues),
             {k: v for k, v in rows.items() if k.removeprefix("data/raw/") in case.rows}, rows)
    got = [(i.severity, i.rule, i.file, i.sheet, i.cell, i.row, i.value) for i in result.issues]
    assert got == list(case.findings)
    assert all(i.advice in (ADVICE[i.rule], HINT) for i in result.issues)
    text = " | ".join(str(i) for i in result.issues)
    for needle in case.needles:
        assert needle in text, (needle, text)
    assert figures(result, "xa-mau-01") == XA_MAU_01  # the other unit is untouched
    assert figures(result, "xa-mau-02") == case.kept
    for file, counts in case.rows.items():
        assert rows["data/raw/" + file] == counts
    for f in result.files:
        assert f["rows_in"] == f["rows_ok"] + f["rows_rejected"], f


def test_validate_refuses_the_same_way(raw_tree):
    xlsx_and_csv(raw_tree)
    in_folder("2026-H1 ")(raw_tree)
    registry = load_registry(raw_tree / "units.csv")
    csv_issues = validate_file(raw_tree / (F + ".csv"), registry)
    assert [(i.severity, i.rule) for i in csv_issues] == [("error", "duplicate_form")]
    assert [(i.severity, i.rule) for i in validate_file(raw_tree / (F + ".xlsx"), registry)] == [
        ("warning", "duplicate_form")]
    spaced = validate_file(raw_tree / "forms" / "2026-H1 " / "xa-mau-02.csv", registry)
    assert [(i.rule, i.value) for i in spaced] == [("bad_period", "2026-H1 ")]


def test_damaged_workbook_outside_a_period_folder_is_named(raw_tree):
    truncated_sheet(raw_tree)
    loose = raw_tree / "loose.xlsx"
    shutil.move(raw_tree / (F + ".xlsx"), loose)
    issues = validate_file(loose, load_registry(raw_tree / "units.csv"))
    assert [(i.rule, i.sheet, i.value) for i in issues] == [
        ("bad_filename", "", ""), ("file_unreadable", "TheChe", "xl/worksheets/sheet3.xml")]


def test_arithmetic_survives_one_unit_twice():
    row = {"unit_id": "xa-mau-02", "period": "2026-H1", "scope": "own", "source": "form", "sheet": "", "note": ""}
    values = pd.DataFrame([row | {"code": c, "value": v, "file": f, "cell": f"dòng {n}"}
                           for f in ("a.csv", "b.csv")
                           for n, (c, v) in enumerate([("CD_KH_TONG", 20), ("CD_KH_HOANTHANH", 12),
                                                       ("CD_KH_CHUADENHAN", 9), ("CD_KH_KHONGDAT", 0)], start=2)],
                          columns=VALUE_COLUMNS)
    log = IssueLog()
    rejected = check_arithmetic(values, load_catalog(), log)
    assert [i.rule for i in log.items] == ["parts_sum"]
    assert rejected == set(range(8))
