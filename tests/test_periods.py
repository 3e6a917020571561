import datetime as dt

import pytest

from cchc_lib.domain.periods import Period, window
from cchc_lib.exceptions import PeriodError


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2024-Q1", dt.date(2023, 12, 15), dt.date(2024, 3, 14), "quý I năm 2024"),
        ("2024-H1", dt.date(2023, 12, 15), dt.date(2024, 6, 14), "6 tháng đầu năm 2024"),
        ("2024-Q3", dt.date(2024, 6, 15), dt.date(2024, 9, 14), "quý III năm 2024"),
        ("2023-Q3", dt.date(2023, 6, 15), dt.date(2023, 9, 14), "quý III năm 2023"),
        ("2024-9M", dt.date(2023, 12, 15), dt.date(2024, 9, 14), "9 tháng năm 2024"),
        ("2024-Y", dt.date(2023, 12, 15), dt.date(2024, 12, 14), "năm 2024"),
        ("2024-Q2", dt.date(2024, 3, 15), dt.date(2024, 6, 14), "quý II năm 2024"),
        ("2024-Q4", dt.date(2024, 9, 15), dt.date(2024, 12, 14), "quý IV năm 2024"),
    ],
)
def test_windows_and_labels(code, start, end, label):
    p = Period.parse(code)
    assert (p.start, p.end, p.label) == (start, end, label)


@pytest.mark.parametrize("code", ["2024-H3", "24-H1", "2024H1", "2024-q1", "", "2024-S1"])
def test_bad_codes(code):
    with pytest.raises(PeriodError, match="Mã kỳ báo cáo không hợp lệ"):
        Period.parse(code)


def test_comparisons():
    p = Period.parse("2026-H1")
    assert p.same_period_last_year().code == "2025-H1"
    assert p.previous_report().code == "2026-Q1"
    assert Period.parse("2026-Q1").previous_report().code == "2025-Y"
    assert Period.parse("2026-Y").previous_report().code == "2026-Q3"
    assert [x.code for x in p.trend(3)] == ["2024-H1", "2025-H1", "2026-H1"]


def test_override_window_like_seed_000():
    w = window("2021-H1", {"start": "01/01/2021", "end": "2021-06-09"})
    assert (w.start, w.end) == (dt.date(2021, 1, 1), dt.date(2021, 6, 9))
    assert w.label == "số liệu từ ngày 01/01/2021 đến ngày 9/6/2021"


def test_window_end_before_start_rejected():
    with pytest.raises(PeriodError):
        window("2021-H1", {"start": "2021-07-01", "end": "2021-06-09"})


@pytest.mark.parametrize("code, title", [
    ("2023-Q1", "Quý I năm 2023"), ("2023-Q2", "Quý II năm 2023"), ("2023-Q3", "Quý III năm 2023"),
    ("2023-Q4", "Quý IV năm 2023"), ("2023-H1", "6 tháng đầu năm 2023"), ("2023-9M", "9 tháng năm 2023"),
    ("2023-Y", "Năm 2023"),
])
def test_titles_keep_roman_numerals_upper_case(code, title):
    assert Period.parse(code).title == title
