"""The charts of an area: which periods a trend draws, and the SVG markup the templates receive."""

from __future__ import annotations

from markupsafe import Markup

from cchc_lib.reporting import report
from cchc_lib.reporting.area_charts import area_chart_markup, area_charts, trend_periods

REGULAR = ["2025-Q1", "2025-H1", "2025-Q3", "2025-Y", "2026-Q1", "2026-H1"]


def test_trend_periods_are_regular_periods_up_to_this_one():
    assert trend_periods(report.load("tinh-mau", "2026-H1")) == REGULAR  # no 9-month periods
    assert trend_periods(report.load("tinh-mau", "2026-H1"), limit=2) == ["2026-Q1", "2026-H1"]
    assert trend_periods(report.load("tinh-mau", "2025-H1")) == ["2025-Q1", "2025-H1"]  # nothing later
    assert trend_periods(report.load("xa-mau-11", "2026-H1")) == REGULAR  # 2025 through its predecessors
    assert trend_periods(report.load("tp-bien-hoa", "2024-H1")) == ["2024-H1"]


def test_area_chart_markup_is_the_charts_as_markup():
    ctx = report.load("tinh-mau", "2026-H1")
    markup = area_chart_markup(ctx, "procedures")
    assert len(markup) == 3 and all(isinstance(m, Markup) for m in markup)
    assert [str(m) for m in markup] == area_charts(ctx, "procedures")
    assert all(m.startswith("<svg") for m in markup)
    assert "Kết quả giải quyết hồ sơ theo cấp" in markup[0]
    assert area_chart_markup(ctx, "nope") == []
