"""The seed fidelity matcher: a figure is shown when one sentence, table cell or chart holds it with its meaning."""

from __future__ import annotations

import pytest

from cchc_lib.build.fidelity import Row, page_units, read_table, shows, value_matchers

from .conftest import FIXTURES

LABELS = {"TTHC_TYLE_DUNGHAN": "Tỷ lệ hồ sơ giải quyết đúng hạn", "CD_KH_TONG": "Số nhiệm vụ trong Kế hoạch CCHC"}
PAGE = """<html><head><style>p{color:red} 95</style></head><body>
<h2>2. Cải cách thủ tục hành chính</h2>
<p>Tiếp nhận 22.296 hồ sơ; đã giải quyết đúng hạn 22.109 hồ sơ, đạt 99,16%. Còn 06 hồ sơ trễ hạn.</p>
<p>Báo cáo 6 tháng đầu năm 2021.</p>
<table><tr><th>STT</th><th>Chỉ tiêu</th><th>Số liệu</th></tr>
<tr><td>3</td><td>Số nhiệm vụ trong Kế hoạch CCHC</td><td>39 nhiệm vụ</td></tr></table>
<svg><metadata>image/svg+xml</metadata><g id="ytick_1"><text>4</text></g><g id="xtick_1"><text>Kế hoạch CCHC</text></g>
<g id="text_1"><text>23</text></g></svg>
</body></html>"""


def row(says, value, catalog="—", status="M"):
    return Row(1, "I", says, value, status, catalog)


@pytest.fixture(scope="module")
def units():
    return page_units(PAGE)


def test_a_page_is_cut_into_clauses_table_cells_and_charts(units):
    assert "đã giải quyết đúng hạn 22.109 hồ sơ, đạt 99,16%." in units
    assert "Số nhiệm vụ trong Kế hoạch CCHC | Số liệu | 39 nhiệm vụ" in units
    assert "[biểu đồ] Kế hoạch CCHC | 23" in units  # the axis's numbers are not figures; the metadata is not text
    assert not [u for u in units if "color" in u or "| STT |" in u]


@pytest.mark.parametrize(("says", "value", "catalog", "status", "shown"), [
    ("giải quyết đúng hạn 22.109 hồ sơ", "22.109", "—", "R", True),
    ("đạt tỷ lệ 99,16%", "99,16%", "TTHC_TYLE_DUNGHAN", "R", True),
    ("đạt tỷ lệ 99,2%", "99,2%", "TTHC_TYLE_DUNGHAN", "R", True),  # stated to one decimal: 99,16 rounds to it
    ("đạt tỷ lệ 99,15%", "99,15%", "TTHC_TYLE_DUNGHAN", "C", True),  # a truncated or off-by-one rate, corrected
    ("đạt tỷ lệ 99,15%", "99,15%", "TTHC_TYLE_DUNGHAN", "R", False),
    ("Kế hoạch gồm có 39 nhiệm vụ", "39", "CD_KH_TONG", "R", True),  # a table cell with its row's label
    ("có 6 hồ sơ trễ hạn", "6", "—", "R", True),  # written 06
    ("có 6 nhiệm vụ kiểm soát TTHC chưa thực hiện", "6", "—", "M", False),  # "6 tháng đầu năm" is a period
    ("có 3 nhiệm vụ có thời hạn", "3", "—", "M", False),  # the 3 of the row number (STT) is no figure
    ("hoàn thành 23 nhiệm vụ Kế hoạch CCHC", "23", "CD_KH_TONG", "R", False),  # a chart needs most of the label
    ("Tiếp nhận 22.296 hồ sơ", "2.296", "—", "M", False),  # never a part of a longer number
])
def test_a_figure_is_shown_with_its_meaning_or_not_at_all(units, says, value, catalog, status, shown):
    assert bool(shows(row(says, value, catalog, status), units, LABELS)) is shown


def test_counts_and_fractions_are_matched_whole():
    search = value_matchers("19/19")[0]
    assert search("đạt 19/19 đơn vị") and not search("đạt 119/19")


@pytest.mark.parametrize(("seed", "rows"), [("seed000", 134), ("seed001", 10), ("seed003", 157), ("seed004", 17)])
def test_the_shared_fidelity_tables_are_read_row_by_row(seed, rows):  # as many as each table says it states
    table = read_table(FIXTURES / "fidelity" / f"{seed}.md")
    assert len(table) == rows and [r.number for r in table] == list(range(1, rows + 1))


# Figures each rebuilt seed report shows today (of 134 and 157), a floor that only rises: issue 11 aims at 95%.
FLOORS = {"seed000": ("tp-hoa-binh", "2021-H1", 55), "seed003": ("tp-bien-hoa", "2024-H1", 85)}


@pytest.mark.parametrize("seed", list(FLOORS))
def test_a_rebuilt_seed_report_shows_at_least_its_floor(built, seed):
    from cchc_lib.build.fidelity import measure
    from cchc_lib.domain.catalog import load_catalog

    unit, period, floor = FLOORS[seed]
    labels = {code: ind.label for code, ind in load_catalog().indicators.items()}
    rows = measure(FIXTURES / "fidelity" / f"{seed}.md", built[0] / period / unit, labels)
    shown = [r.number for r, text in rows if text]
    assert len(shown) >= floor, shown
    assert not [r.number for r, text in rows if r.status in ("R", "C") and not text]  # nothing shown before is lost
