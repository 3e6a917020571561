import datetime as dt

import pytest

from cchc_lib.domain.periods import Period, Window, sort_periods, window
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


@pytest.mark.parametrize(("code", "cumulative", "due", "short", "nxt", "previous"), [
    ("2024-Q1", True, dt.date(2024, 3, 20), "Q1/2024", "quý II năm 2024", "2023-Y"),
    ("2024-Q2", False, dt.date(2024, 6, 20), "Q2/2024", "quý III năm 2024", "2024-Q1"),
    ("2024-H1", True, dt.date(2024, 6, 20), "6T/2024", "6 tháng cuối năm 2024", "2024-Q1"),
    ("2024-Q3", False, dt.date(2024, 9, 20), "Q3/2024", "quý IV năm 2024", "2024-H1"),
    ("2024-9M", True, dt.date(2024, 9, 20), "9T/2024", "quý IV năm 2024", "2024-H1"),
    ("2024-Q4", False, dt.date(2024, 12, 20), "Q4/2024", "năm 2025", "2024-Q3"),
    ("2024-Y", True, dt.date(2024, 12, 20), "Năm 2024", "năm 2025", "2024-Q3"),
])
def test_every_kind(code, cumulative, due, short, nxt, previous):
    p = Period.parse(code)
    assert (p.code, str(p), p.year) == (code, code, 2024)
    assert (p.cumulative, p.due, p.short_label, p.next_label) == (cumulative, due, short, nxt)
    assert p.previous_report().code == previous
    assert p.same_period_last_year() == Period(2023, p.kind)


def test_parse_trims_and_is_a_value():
    assert Period.parse(" 2024-H1\n") == Period(2024, "H1")
    assert {Period.parse("2024-H1"), Period(2024, "H1")} == {Period(2024, "H1")}


def test_trend_defaults_to_four_years_of_the_same_kind():
    assert [p.code for p in Period.parse("2026-Q3").trend()] == ["2023-Q3", "2024-Q3", "2025-Q3", "2026-Q3"]
    assert [p.code for p in Period.parse("2026-Y").trend(1)] == ["2026-Y"]


def test_sort_key_and_sort_periods():
    assert Period.parse("2024-H1").sort_key == (2024, 6, 0)
    assert Period.parse("2024-Q2").sort_key == (2024, 6, 1)
    codes = ["2024-Y", "2024-Q4", "2024-Q3", "2024-9M", "2025-Q1", "2023-Y", "2024-Q2", "2024-H1", "2024-Q1"]
    assert sort_periods(codes) == ["2023-Y", "2024-Q1", "2024-H1", "2024-Q2", "2024-9M", "2024-Q3", "2024-Y",
                                   "2024-Q4", "2025-Q1"]
    with pytest.raises(PeriodError):
        sort_periods(["2024-H1", "2024-H2"])


def test_default_window_and_label():
    w = window(Period.parse("2026-Q3"))
    assert w == Window(dt.date(2026, 6, 15), dt.date(2026, 9, 14))
    assert w.label == "số liệu từ ngày 15/06/2026 đến ngày 14/9/2026"
    assert window("2024-H1", {"start": "", "end": None}) == Window(dt.date(2023, 12, 15), dt.date(2024, 6, 14))


def test_window_override_takes_dates_and_datetimes():
    w = window("2024-H1", {"start": dt.datetime(2024, 1, 1, 8, 30), "end": dt.date(2024, 6, 9)})
    assert (w.start, w.end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 9))
    assert window("2024-H1", {"end": "14/06/2024"}).end == dt.date(2024, 6, 14)


def test_bad_window_messages():
    with pytest.raises(PeriodError) as err:
        Window(dt.date(2021, 7, 1), dt.date(2021, 6, 9))
    assert str(err.value) == ("Khoảng số liệu không hợp lệ: ngày kết thúc 09/06/2021 trước ngày bắt đầu 01/07/2021.")
    with pytest.raises(PeriodError) as err:
        window("2021-H1", {"start": "1.1.2021"})
    assert str(err.value) == "Ngày không hợp lệ: '1.1.2021' (dùng dd/mm/yyyy hoặc yyyy-mm-dd)."
    with pytest.raises(PeriodError) as err:
        Period.parse("2024-H2")
    assert str(err.value) == ("Mã kỳ báo cáo không hợp lệ: '2024-H2'. Dùng một trong các dạng YYYY-Q1, YYYY-Q2, "
                              "YYYY-H1, YYYY-Q3, YYYY-9M, YYYY-Q4, YYYY-Y (ví dụ 2024-H1).")
