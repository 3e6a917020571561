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
    assert children_data(report.load("tp-hoa-binh", "2021-H1"), "apparatus") == {"table": None}
