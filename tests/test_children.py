"""The table of an area's figures by child unit, as the reports receive it."""

from __future__ import annotations

from cchc_lib.reporting import report
from cchc_lib.reporting.children import children_data


def test_children_data_ranks_and_marks_below_target():
    ctx = report.load("tinh-mau", "2026-H1")
    table = children_data(ctx, "procedures")["table"]
    assert table["id"] == "tinh-mau-2026-H1-procedures-children"
    assert [h["text"] for h in table["head"]][:3] == ["Hạng", "Đơn vị", "Cấp"]
    rows = table["rows"]
    assert [r[0]["text"] for r in rows] == [str(i) for i in range(1, len(ctx.children) + 1)]
    _, ranked = report.children_rows(ctx, "procedures")
    assert [r[1]["text"] for r in rows] == [r["unit"].name for r in ranked]
    assert any("below" in c["cls"] for r in rows for c in r)


def test_children_data_without_children_or_figures():
    assert children_data(report.load("xa-mau-07", "2026-H1"), "procedures") is None
    assert children_data(report.load("tp-hoa-binh", "2021-H1"), "apparatus") == {"table": None, "levels": None}


def test_the_unit_its_children_and_the_territory_side_by_side():
    levels = children_data(report.load("tp-bien-hoa", "2024-H1"), "procedures")["levels"]
    rows = [[c["text"] for c in r] for r in levels["rows"]]
    assert [r[0] for r in rows] == ["Thành phố Biên Hòa (cấp huyện)", "Các phường, xã thuộc thành phố Biên Hòa",
                                    "Toàn địa bàn"]
    assert [r[1] for r in rows] == ["13.616", "110.971", "124.587"]  # seed 003: the city's own 13.616 dossiers
    own_766 = levels["rows"][0][3]
    assert own_766["text"] == "93,01%" and "below" in own_766["cls"]  # below the 97% of QĐ 766 on its own level
