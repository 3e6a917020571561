"""The figures API: which units sent forms, which children report, baselines across a merger, row checks."""

from __future__ import annotations

import pytest

from cchc_lib.domain.fmt import rate_value
from cchc_lib.exceptions import DataError
from cchc_lib.reporting.dataset import Dataset

# tinh-mau's children in 2026-Q3: xa-mau-09 and xa-mau-10 merged into xa-mau-11 on 2026-01-01.
Q3_CHILDREN = ["so-nnmt-mau", "so-noi-vu-mau", "phuong-mau-01", "phuong-mau-02", "phuong-mau-03", "phuong-mau-04",
               *[f"xa-mau-{i:02d}" for i in range(1, 9)], "xa-mau-11"]


@pytest.fixture(scope="module")
def ds():
    return Dataset.load()


def test_has_form_is_the_unit_own_form(ds):
    assert ds.has_form("tinh-mau", "2026-Q3") and ds.has_form("xa-mau-11", "2026-Q3")
    assert not ds.has_form("xa-mau-09", "2026-Q3")  # merged away: no form after 2025
    assert ds.has_form("xa-mau-09", "2025-H1")
    # 9-month periods have one-stop-shop records only: data, but no form
    assert not ds.has_form("phuong-mau-01", "2026-9M") and ds.any_data("phuong-mau-01", "2026-9M")


def test_reporting_children_of_the_province(ds):
    present, missing = ds.reporting_children("tinh-mau", "2026-Q3")
    assert [u.unit_id for u in present] == Q3_CHILDREN and missing == []
    assert ds.reporting_children("xa-mau-01", "2026-Q3") == ([], [])  # a commune has no children
    assert ds.reporting_children("khong-co", "2026-Q3") == ([], [])  # nor an unknown unit


def test_any_data_looks_down_the_tree(ds):
    assert ds.any_data("tinh-mau", "2026-Q3") and ds.any_data("xa-mau-09", "2025-H1")
    assert not ds.any_data("tinh-mau", "2019-H1")
    assert not ds.any_data("xa-mau-09", "2026-Q3")


def test_comparable_sums_the_predecessors_of_a_merged_unit(ds):
    before = ds.comparable("xa-mau-11", "2025-H1")
    parts = [ds.values(u, "2025-H1") for u in ("xa-mau-09", "xa-mau-10")]
    assert [p["TTHC_HS_TONG"].value for p in parts] == [1601, 1308]
    assert before["TTHC_HS_TONG"].value == 2909 and before["TTHC_HS_TONG"].source == "crosswalk"
    # a rate is recomputed from the summed counts, not averaged over the predecessors
    rate = ds.catalog["TTHC_TYLE_DUNGHAN"]
    num = sum(before[n].value for n in rate.num)
    assert before["TTHC_TYLE_DUNGHAN"].value == pytest.approx(rate_value(num, before[rate.den].value))
    assert before["TTHC_TYLE_DUNGHAN"].value == pytest.approx(95.77174286696459)


def test_comparable_of_an_unchanged_unit_and_without_data(ds):
    assert ds.comparable("xa-mau-01", "2025-H1") == ds.values("xa-mau-01", "2025-H1")
    assert ds.comparable("tp-bien-hoa", "2023-H1") is None  # no data a year before
    assert ds.comparable("khong-co", "2023-H1") is None


def test_check_unit_passes_valid_rows_and_names_a_bad_one(ds):
    assert ds.check_unit("tinh-mau") is None
    bad = Dataset.load()
    rows = bad.indicators.copy()
    row = rows.index[(rows.unit_id == "xa-mau-01") & (rows.code == "TTHC_HS_TONG")][0]
    rows.loc[row, "value"] = -5.0
    bad.indicators = rows
    with pytest.raises(DataError, match=r"Số liệu đã xử lý của tinh-mau không hợp lệ .*xa-mau-01 .* TTHC_HS_TONG: "
                                        r"cột value, giá trị -5\.0.*Chạy lại `cchc ingest`"):
        bad.check_unit("tinh-mau")
    bad.check_unit("tp-bien-hoa")  # another unit's rows are not read
