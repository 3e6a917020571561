"""Charts: the data drawn and the labels, read from the matplotlib Figure's artists (not pixels)."""

import matplotlib
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from cchc_lib.reporting import charts
from cchc_lib.reporting.charts import COLORS
from cchc_lib.reporting.fonts import FONT_DIR, SANS

OK, WAIT, LATE, BLUE, LIGHT = COLORS["ok"], COLORS["wait"], COLORS["late"], COLORS["blue"], COLORS["light"]


@pytest.fixture()
def drawn(monkeypatch):
    """The figures the charts serialise, in order (each chart still returns its SVG)."""
    figures = []
    real = charts.to_svg

    def capture(fig):
        figures.append(fig)
        return real(fig)

    monkeypatch.setattr(charts, "to_svg", capture)
    return figures


def bars(ax):
    """(x, y, width, height, colour) of every bar, in drawing order."""
    return [(*(pytest.approx(float(v)) for v in (p.get_x(), p.get_y(), p.get_width(), p.get_height())),
             to_hex(p.get_facecolor())) for p in ax.patches]


def ticks(ax, axis):
    """The tick labels inside the axis limits."""
    lo, hi = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    at = 0 if axis == "x" else 1
    return [t.get_text() for t in labels if lo - 1e-9 <= t.get_position()[at] <= hi + 1e-9]


def texts(ax):
    """(text, x, y) of every annotation."""
    return [(t.get_text(), *(pytest.approx(float(v)) for v in t.get_position())) for t in ax.texts]


def legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def lines(ax):
    """(legend label, "" for none; xs, ys, style) of every line."""
    return [("" if ln.get_label().startswith("_") else ln.get_label(), [float(x) for x in ln.get_xdata()],
             [float(y) for y in ln.get_ydata()], ln.get_linestyle()) for ln in ax.lines]


def test_stacked_outcomes(drawn):
    svg = charts.stacked_outcomes(["Thành phố", "Cấp xã"],
                                  {"Đúng hạn": [852, 90], "Đang giải quyết": [100, 0], "Trễ hạn": [48, 10]},
                                  "Kết quả giải quyết hồ sơ")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "Kết quả giải quyết hồ sơ" and "Kết quả giải quyết hồ sơ" in svg
    # shares of each row's total, stacked left to right, rows top to bottom
    assert bars(ax) == [(0, -0.275, 85.2, 0.55, OK), (0, 0.725, 90, 0.55, OK),
                        (85.2, -0.275, 10, 0.55, WAIT), (90, 0.725, 0, 0.55, WAIT),
                        (95.2, -0.275, 4.8, 0.55, LATE), (90, 0.725, 10, 0.55, LATE)]
    # count and share inside each segment of at least 7%
    assert texts(ax) == [("852\n85,20%", 42.6, 0), ("90\n90,00%", 45, 1), ("100\n10,00%", 90.2, 0),
                         ("10\n10,00%", 95, 1)]
    assert ticks(ax, "y") == ["Thành phố", "Cấp xã"] and ax.yaxis_inverted()
    assert ticks(ax, "x") == ["0%", "20%", "40%", "60%", "80%", "100%"] and ax.get_xlim() == (0, 100)
    assert legend(ax) == ["Đúng hạn", "Đang giải quyết", "Trễ hạn"]


def test_stacked_outcomes_of_an_empty_row_draws_zero_shares(drawn):
    charts.stacked_outcomes(["Xã A"], {"Đúng hạn": [0], "Trễ hạn": [0]}, "Không có hồ sơ")
    ax = drawn[-1].axes[0]
    assert [b[2] for b in bars(ax)] == [0, 0] and texts(ax) == []


def test_rate_trend(drawn):
    svg = charts.rate_trend(["6T/2023", "6T/2024", "6T/2025"],
                            {"Đúng hạn": [90.0, None, 99.16], "Trực tuyến": [40.0, 55.5, 60.0]},
                            {"Đúng hạn": 95.0}, "Tỷ lệ qua các kỳ")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "Tỷ lệ qua các kỳ" and "6T/2025" in svg
    # a missing value leaves a gap; the target is a dashed line in the series' colour
    assert lines(ax) == [("Đúng hạn", [0, 2], [90, 99.16], "-"), ("", [0, 1], [95, 95], "--"),
                         ("Trực tuyến", [0, 1, 2], [40, 55.5, 60], "-")]
    assert [to_hex(ln.get_color()) for ln in ax.lines] == [BLUE, BLUE, OK]
    assert ax.lines[1].get_transform() == ax.get_yaxis_transform()  # axhline: spans the axis
    # the latest value of each series, and the target's label
    assert [t.get_text() for t in ax.texts] == ["99,16%", "chỉ tiêu 95,00%", "60,00%"]
    assert [a.xy for a in ax.texts if hasattr(a, "xy")] == [(2, 99.16), (2, 60.0)]
    assert ticks(ax, "x") == ["6T/2023", "6T/2024", "6T/2025"]
    assert ticks(ax, "y") == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert (ax.get_xlim(), ax.get_ylim()) == ((-0.2, 2.6), (0, 105))
    assert legend(ax) == ["Đúng hạn", "Trực tuyến"]


def test_ranked_bars(drawn):
    charts.ranked_bars(["Xã B", "Xã A", "Xã C", "Xã D"], [97.5, 99.16, 80.0, 97.5], 95.0, "Xếp hạng đúng hạn")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "Xếp hạng đúng hạn"
    # ranked by value, ties by name; below target in red
    assert ticks(ax, "y") == ["Xã A", "Xã B", "Xã D", "Xã C"]
    assert bars(ax) == [(0, -0.3, 99.16, 0.6, BLUE), (0, 0.7, 97.5, 0.6, BLUE), (0, 1.7, 97.5, 0.6, BLUE),
                        (0, 2.7, 80, 0.6, LATE)]
    assert texts(ax) == [("99,16%", 99.66, 0), ("97,50%", 98, 1), ("97,50%", 98, 2), ("80,00%", 80.5, 3),
                         ("chỉ tiêu 95,00%", 95, -0.9)]
    assert lines(ax) == [("", [95, 95], [0, 1], "--")]
    assert ax.get_xlim() == (70, 104)  # ten points below the lowest of values and target
    assert ticks(ax, "x") == ["70%", "75%", "80%", "85%", "90%", "95%", "100%"]
    assert ax.get_legend() is None


def test_ranked_bars_without_target(drawn):
    charts.ranked_bars(["Xã A", "Xã B"], [5.0, 50.0], None, "Không có chỉ tiêu")
    ax = drawn[-1].axes[0]
    assert ticks(ax, "y") == ["Xã B", "Xã A"]
    assert [b[4] for b in bars(ax)] == [BLUE, BLUE] and lines(ax) == []
    assert [t[0] for t in texts(ax)] == ["50,00%", "5,00%"]
    assert ax.get_xlim() == (0, 104)


def test_rates_vs_targets(drawn):
    charts.rates_vs_targets(["Đúng hạn", "Trực tuyến", "Số hóa"], [99.16, 40.0, 101.5], [95.0, 50.0, None],
                            "So với chỉ tiêu")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "So với chỉ tiêu"
    assert bars(ax) == [(0, -0.275, 99.16, 0.55, OK), (0, 0.725, 40, 0.55, LATE), (0, 1.725, 101.5, 0.55, OK)]
    assert texts(ax) == [("99,16%", 100.16, 0), ("40,00%", 41, 1), ("101,50%", 101, 2)]  # capped at 100 + 1
    # a black tick at each target, and one legend entry for them
    assert lines(ax) == [("", [95, 95], [-0.35, 0.35], "-"), ("", [50, 50], [0.65, 1.35], "-"),
                         ("Chỉ tiêu", [], [], "-")]
    assert ticks(ax, "y") == ["Đúng hạn", "Trực tuyến", "Số hóa"]
    assert ticks(ax, "x") == ["0%", "20%", "40%", "60%", "80%", "100%"] and ax.get_xlim() == (0, 110)
    assert legend(ax) == ["Chỉ tiêu"]


def test_actual_vs_plan(drawn):
    charts.actual_vs_plan(["Thu ngân sách", "Chi ngân sách"], [208986.0, 100.0], [200000.0, 0.0],
                          "Thực hiện so với dự toán", unit="triệu đồng")
    ax = drawn[-1].axes[0]
    assert (ax.get_title(), ax.get_ylabel()) == ("Thực hiện so với dự toán", "triệu đồng")
    assert bars(ax) == [(-0.4, 0, 0.4, 200000, LIGHT), (0.6, 0, 0.4, 0, LIGHT),
                        (0, 0, 0.4, 208986, BLUE), (1, 0, 0.4, 100, BLUE)]
    assert texts(ax) == [("104,49%", 0, 208986 * 1.02)]  # no percentage against a zero plan
    assert ticks(ax, "x") == ["Thu ngân sách", "Chi ngân sách"]
    assert ax.get_ylim() == pytest.approx((0, 208986 * 1.18))
    assert ticks(ax, "y")[:3] == ["0", "25.000", "50.000"] and ticks(ax, "y")[-1] == "225.000"
    assert legend(ax) == ["Kế hoạch / được giao", "Thực hiện"]


def test_actual_vs_plan_labels(drawn):
    charts.actual_vs_plan(["Biên chế"], [95.0], [100.0], "Biên chế", actual_label="Hiện có", plan_label="Được giao")
    ax = drawn[-1].axes[0]
    assert legend(ax) == ["Được giao", "Hiện có"] and ax.get_ylabel() == ""
    assert texts(ax) == [("95,00%", 0, 102)]


def test_task_status(drawn):
    charts.task_status(["Kế hoạch", "Nhiệm vụ giao"],
                       {"Hoàn thành": [12, 5], "Chưa đến hạn": [8, 0], "Không đạt": [0, 2]}, "Nhiệm vụ")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "Nhiệm vụ"
    assert bars(ax) == [(0, -0.275, 12, 0.55, OK), (0, 0.725, 5, 0.55, OK), (12, -0.275, 8, 0.55, WAIT),
                        (5, 0.725, 0, 0.55, WAIT), (20, -0.275, 0, 0.55, LATE), (5, 0.725, 2, 0.55, LATE)]
    assert texts(ax) == [("12", 6, 0), ("5", 2.5, 1), ("8", 16, 0), ("2", 6, 1)]  # zero segments unlabelled
    assert ticks(ax, "y") == ["Kế hoạch", "Nhiệm vụ giao"]
    assert ticks(ax, "x") == ["0", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20"]  # whole tasks only
    assert legend(ax) == ["Hoàn thành", "Chưa đến hạn", "Không đạt"]


def test_counts_compare(drawn):
    charts.counts_compare(["Tiếp nhận", "Trực tuyến"], [22296, 1500], [20000, None], "Hồ sơ so với cùng kỳ",
                          "6T/2024", "6T/2023")
    ax = drawn[-1].axes[0]
    assert ax.get_title() == "Hồ sơ so với cùng kỳ"
    assert bars(ax) == [(0, 0, 20000, 0.4, LIGHT), (0, 1, 0, 0.4, LIGHT),  # no figure last year: no bar
                        (0, -0.4, 22296, 0.4, BLUE), (0, 0.6, 1500, 0.4, BLUE)]
    assert texts(ax) == [(" 22.296", 22296, -0.2), (" 1.500", 1500, 0.8)]
    assert ticks(ax, "y") == ["Tiếp nhận", "Trực tuyến"]
    assert ticks(ax, "x")[:3] == ["0", "2.500", "5.000"] and ticks(ax, "x")[-1] == "22.500"
    assert legend(ax) == ["6T/2023", "6T/2024"]


def test_charts_use_the_house_style_only_inside(drawn):
    size = matplotlib.rcParams["font.size"]
    with charts.chart_style():
        assert matplotlib.rcParams["font.size"] == 9 and matplotlib.rcParams["font.family"] == [SANS]
        assert matplotlib.rcParams["svg.hashsalt"] == "cchc"
    assert matplotlib.rcParams["font.size"] == size

    @charts.styled
    def probe():
        return matplotlib.rcParams["axes.titleweight"], matplotlib.rcParams["axes.spines.top"]

    assert probe() == ("bold", False) and probe.__name__ == "probe"


def test_subplots_fonts_used_and_svg():
    with charts.chart_style():
        fig, ax = charts.subplots((3, 2))
        ax.set_title("Tỷ lệ đúng hạn")
        svg = charts.to_svg(fig)
        fonts = charts.fonts_used(fig)
    assert isinstance(fig, Figure) and fig.get_size_inches().tolist() == [3, 2] and fig.axes == [ax]
    assert fig.canvas.manager is None  # not registered with pyplot
    assert fonts and all(p.parent == FONT_DIR and p.name.startswith("LiberationSans") for p in fonts)
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<?xml" not in svg and "<dc:date>" not in svg
    assert "Tỷ lệ đúng hạn" in svg  # text kept as text


def test_the_same_chart_gives_the_same_svg():
    args = (["Xã A", "Xã B"], [99.16, 97.5], 95.0, "Xếp hạng")
    assert charts.ranked_bars(*args) == charts.ranked_bars(*args)


def test_text_with_dollar_signs_is_drawn_literally():
    svg = charts.ranked_bars(["Xã $A$ mới", "Phường $\\alpha$"], [97.5, 91.0], 95.0, "Tỷ lệ $x$ đúng hạn")
    # drawn as text elements holding the literal characters (mathtext would split them into glyph groups)
    assert ">Xã $A$ mới</text>" in svg and ">Phường $\\alpha$</text>" in svg and ">Tỷ lệ $x$ đúng hạn</text>" in svg
