"""The order of day and month in dossier exports: decided from the values only one order reads, never guessed."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_lib.ingest.dossier_dates import DAY_FIRST, MONTH_FIRST, read_date_columns, read_dates


def day(values):
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M") for v in values]


def test_vietnamese_dates_read_day_first():
    column = read_dates(pd.Series(["13/01/2026 08:00:00", "02/01/2026 08:00"]))
    assert column.order == DAY_FIRST and column.evidence() == DAY_FIRST
    assert day(column.values) == ["2026-01-13 08:00", "2026-01-02 08:00"]


def test_a_us_export_is_read_month_first_with_its_proof():
    frame = pd.DataFrame({"received": ["12/31/2025 08:00:00", "01/02/2026 09:30:00"],
                          "due": ["01/05/2026", "01/06/2026"]})
    dates = read_date_columns(frame, ("received", "due"))
    assert dates["received"].order == MONTH_FIRST and dates["received"].month_first_example == "12/31/2025 08:00:00"
    assert day(dates["received"].values) == ["2025-12-31 08:00", "2026-01-02 09:30"]
    # "due" proves nothing itself: it follows the file's other date column, not the Vietnamese default.
    assert dates["due"].order == MONTH_FIRST and day(dates["due"].values) == ["2026-01-05 00:00", "2026-01-06 00:00"]


def test_a_column_without_proof_in_a_file_without_proof_reads_day_first():
    dates = read_date_columns(pd.DataFrame({"received": ["01/02/2026"], "due": ["03/02/2026"]}), ("received", "due"))
    assert [d.order for d in dates.values()] == [DAY_FIRST, DAY_FIRST]
    assert day(dates["received"].values) == ["2026-02-01 00:00"]


def test_a_column_contradicting_itself_marks_what_two_orders_read_differently():
    column = read_date_columns(pd.DataFrame({"received": ["13/01/2026", "01/13/2026", "01/02/2026", "03/03/2026",
                                                         "2026-01-04"]}), ("received",))["received"]
    assert column.contradicts_itself()
    assert column.ambiguous.tolist() == [False, True, True, False, False]
    assert day(column.values)[0] == "2026-01-13 00:00" and day(column.values)[3] == "2026-03-03 00:00"


@pytest.mark.parametrize(("text", "local"), [("2026-01-02T01:00:00Z", "2026-01-02 08:00"),
                                             ("01/02/2026 08:00:00+07:00", "2026-02-01 08:00")])
def test_zoned_values_become_vietnam_time(text, local):
    assert day(read_dates(pd.Series([text])).values) == [local]
