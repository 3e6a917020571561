"""Findings: where they point, how they print, and the logs and results that collect them."""

from dataclasses import dataclass

import pytest

from cchc_lib.domain.issues import ADVICE, ERROR, WARNING, HasIssues, Issue, IssueLog

FIELDS = ["severity", "rule", "message", "file", "sheet", "cell", "row", "column", "value", "unit_id", "period",
          "indicator", "advice"]


@pytest.mark.parametrize(("where", "place"), [
    ({}, ""),
    ({"file": "data/raw/dossiers/e.csv"}, "data/raw/dossiers/e.csv"),
    ({"file": "f.xlsx", "sheet": "TTHC", "cell": "E14", "row": 14, "column": "E"}, "f.xlsx, TTHC!E14"),
    ({"file": "f.xlsx", "sheet": "ChiDao"}, "f.xlsx, trang ChiDao"),
    ({"file": "f.csv", "cell": "dòng 3, dòng 2", "column": "Số liệu"}, "f.csv, dòng 3, dòng 2"),
    ({"file": "f.csv", "row": 2, "column": "value"}, "f.csv, dòng 2, cột value"),
    ({"file": "f.csv", "row": 0}, "f.csv, dòng 0"),
    ({"file": "params/targets.yaml", "row": 4, "column": "threshold"}, "params/targets.yaml, dòng 4, trường threshold"),
    ({"column": "KenhThucHien"}, "cột KenhThucHien"),
])
def test_place(where, place):
    assert Issue(ERROR, "negative", "m", **where).place == place


def test_str_says_severity_rule_place_message_and_value():
    issue = Issue(ERROR, "negative", "Số liệu không được âm.", file="f.csv", row=2, column="value", value="-3")
    assert str(issue) == "LỖI [negative] f.csv, dòng 2, cột value: Số liệu không được âm. (giá trị: '-3')"
    warning = Issue(WARNING, "extra_sheet", "Trang tính thừa.", file="f.xlsx", sheet="Ghi chep")
    assert str(warning) == "CẢNH BÁO [extra_sheet] f.xlsx, trang Ghi chep: Trang tính thừa."


def test_advice_and_value_are_filled_in():
    assert Issue(ERROR, "formula", "m").advice == "Ô chứa công thức: thay bằng giá trị (Dán đặc biệt → Giá trị)."
    assert Issue(ERROR, "no_such_rule", "m").advice == ""
    assert Issue(ERROR, "formula", "m", advice="Tự sửa.").advice == "Tự sửa."
    assert Issue(ERROR, "negative", "m", value=None).value == ""
    assert Issue(ERROR, "negative", "m", value=-3).value == "-3"
    assert Issue(ERROR, "negative", "m", value=12.5).value == "12.5"


def test_every_advice_is_a_vietnamese_sentence():
    assert all(text[:1].isupper() and text.endswith((".", ")")) for text in ADVICE.values())


def test_issue_log_keeps_the_order_found():
    log = IssueLog()
    first = log.error("negative", "Âm.", file="f.csv", row=2, column="value", value=-3)
    second = log.warning("extra_sheet", "Thừa.", file="f.xlsx", sheet="Khac")
    log.extend([Issue(ERROR, "formula", "Công thức.", file="f.xlsx", sheet="ChiDao", cell="E5")])
    added = log.add(WARNING, "records_disagree", "Khác.", unit_id="xa-mau-01", period="2026-H1")
    assert log.items[:2] == [first, second] and log.items[3] is added
    assert [(i.severity, i.rule) for i in log.items] == [(ERROR, "negative"), (WARNING, "extra_sheet"),
                                                         (ERROR, "formula"), (WARNING, "records_disagree")]
    assert [i.rule for i in log.errors] == ["negative", "formula"]
    assert [i.rule for i in log.warnings] == ["extra_sheet", "records_disagree"]
    assert first == Issue(ERROR, "negative", "Âm.", file="f.csv", row=2, column="value", value="-3")


def test_issue_log_as_a_table():
    log = IssueLog()
    assert list(log.to_frame().columns) == FIELDS and log.to_frame().empty
    log.error("negative", "Âm.", file="f.csv", row=2, column="value", value=-3, unit_id="xa-mau-02", period="2026-H1")
    log.warning("merged_cell", "Gộp.", file="f.xlsx", sheet="ChiDao", cell="E6:E7")
    frame = log.to_frame()
    assert list(frame.columns) == FIELDS
    assert frame.to_dict("records")[0] == {
        "severity": "error", "rule": "negative", "message": "Âm.", "file": "f.csv", "sheet": "", "cell": "", "row": 2,
        "column": "value", "value": "-3", "unit_id": "xa-mau-02", "period": "2026-H1", "indicator": "",
        "advice": "Số liệu không được âm."}
    assert frame.loc[1, ["severity", "sheet", "cell", "advice"]].tolist() == [
        "warning", "ChiDao", "E6:E7", "Bỏ gộp ô (Unmerge) trong vùng số liệu."]


@dataclass
class Run(HasIssues):
    issues: list


def test_has_issues_errors_and_exit_code():
    error, warning = Issue(ERROR, "negative", "m"), Issue(WARNING, "extra_sheet", "m")
    assert (Run([]).errors, Run([]).exit_code) == ([], 0)
    assert (Run([warning]).errors, Run([warning]).exit_code) == ([], 0)  # warnings alone exit 0
    assert (Run([warning, error]).errors, Run([warning, error]).exit_code) == ([error], 1)
