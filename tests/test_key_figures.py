"""The key-figures table of an area: its headline indicators, rows and change column, as the reports show them."""

from __future__ import annotations

import pytest

from cchc_lib.reporting import report
from cchc_lib.reporting.key_figures import headline, key_figures_data


@pytest.fixture(scope="module")
def hoa_binh():
    return report.load("tp-hoa-binh", "2021-H1")


def cells(table):
    return [[c["text"] for c in row] for row in table["rows"]]


def test_headline_is_rates_and_top_level_totals(hoa_binh):
    codes = [i.code for i in headline(hoa_binh.ds, "procedures")]
    assert codes[:3] == ["TTHC_CONGKHAI", "TTHC_TYLE_RASOAT", "TTHC_NOIBO"]
    assert codes[6:9] == ["TTHC_HS_TONG", "TTHC_TYLE_DUNGHAN", "TTHC_TYLE_DUNGHAN_766"]
    assert "TTHC_HS_DUNGHAN_TONG" not in codes  # a part of the total ("trong đó")
    cat = hoa_binh.ds.catalog
    assert all(cat[c].is_rate or not cat[c].within for c in codes)


def test_key_figures_data_without_baseline(hoa_binh):
    data = key_figures_data(hoa_binh, "procedures")
    table = data["table"]
    assert (data["area"], data["no_baseline"]) == ("", "6 tháng đầu năm 2020")
    assert table["id"] == "tp-hoa-binh-2021-H1-procedures-key"
    assert [h["text"] for h in table["head"]] == ["Chỉ tiêu", "6 tháng đầu năm 2021", "Chỉ tiêu phấn đấu", "Đánh giá"]
    rows = cells(table)
    assert ["Tổng số hồ sơ TTHC tiếp nhận", "22.296 hồ sơ", "", "—"] in rows
    assert rows[rows.index(["Tổng số hồ sơ TTHC tiếp nhận", "22.296 hồ sơ", "", "—"]) + 1] == ["Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn trên tổng số hồ sơ tiếp nhận", "99,16%",
                       "≥ 95,00%", "Đạt"]
    assert ["Tỷ lệ hồ sơ tiếp nhận trực tuyến trên tổng số hồ sơ", "76,26%", "≥ 50,00%", "Đạt"] in rows


def test_key_figures_data_marks_below_target():
    data = key_figures_data(report.load("tp-bien-hoa", "2024-H1"), "procedures")
    # the value and the status cells of a figure below its target carry the class "below"
    below = [(row[0]["text"], row[1]["text"], row[1]["cls"], row[-1]["text"], row[-1]["cls"])
             for row in data["table"]["rows"] if "below" in row[1]["cls"]]
    assert below == [
        ("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn trên tổng số hồ sơ tiếp nhận", "93,94%", "num below", "Chưa đạt",
         "below"),
        ("Tỷ lệ phản ánh, kiến nghị trên Cổng DVC quốc gia đã trả lời", "91,67%", "num below", "Chưa đạt", "below")]


def test_key_figures_data_with_baseline_shows_the_change():
    ctx = report.load("tinh-mau", "2026-H1")
    table = key_figures_data(ctx, "public_finance")["table"]
    assert [h["text"] for h in table["head"]] == ["Chỉ tiêu", "6 tháng đầu năm 2026", "6 tháng đầu năm 2025",
                                                   "Thay đổi", "Chỉ tiêu phấn đấu", "Đánh giá"]
    rows = {r[0]: r for r in cells(table)}
    assert rows["Vốn đầu tư công đã giải ngân"][1:4] == ["964.056 triệu đồng", "455.825 triệu đồng",
                                                           "+508.231 (+111,50%)"]
    for row in report.key_figures(ctx, "public_finance"):
        ind = ctx.ds.catalog[row["code"]]
        if ind.is_rate and row["before"] != "—":
            assert row["change"].endswith("điểm %") and row["change"][0] in "+-±", row


def test_key_figures_data_says_which_area_is_missing():
    assert key_figures_data(report.load("xa-mau-07", "2026-H1"), "public_finance") == {
        "table": None, "area": "tài chính công", "no_baseline": ""}
