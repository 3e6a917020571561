"""Figures in reports equal the processed data (computed here independently with pandas)."""

import dataclasses
import html
import re

import pandas as pd
import pytest

from cchc_lib.domain.fmt import fmt_int, fmt_pct, fmt_value
from cchc_lib.reporting import official, report

UNIT, PERIOD = "tinh-mau", "2026-H1"


@pytest.fixture(scope="module")
def ctx():
    return report.load(UNIT, PERIOD)


def independent_sum(ctx, code):
    """Own + children (valid in the period) rows of the processed table, summed with pandas.

    Indicators of the unit itself (agg: none, e.g. its own CCHC plan) take the unit's own row only.
    """
    ind = pd.read_parquet("data/processed/indicators.parquet")
    kids = [] if ctx.ds.catalog[code].agg == "none" else [u.unit_id for u in ctx.ds.registry.children(UNIT, PERIOD)]
    rows = ind[ind.unit_id.isin([UNIT, *kids]) & (ind.period == PERIOD) & (ind.code == code) & (ind.scope == "own")]
    assert len(rows) > 0, code
    return rows["value"].sum()


# one count and one rate (num codes, den code) per area
AREA_FIGURES = {
    "direction": ("CD_KH_TONG", (["CD_KH_HOANTHANH"], "CD_KH_TONG")),
    "institutions": ("TC_VB_RASOAT", None),
    "procedures": ("TTHC_HS_TONG", (["TTHC_HS_DUNGHAN_TONG", "TTHC_HS_DANGGQ_TRONGHAN"], "TTHC_HS_TONG")),
    "apparatus": ("BM_BC_XA_GIAO", (["BM_BC_XA_CO"], "BM_BC_XA_GIAO")),
    "civil_service": ("CV_DAOTAO", (["CV_CCXA_DATCHUAN"], "CV_CCXA_TONG")),
    "public_finance": ("TCC_DTC_GIAINGAN", (["TCC_DTC_GIAINGAN"], "TCC_DTC_KEHOACH")),
    "digital_government": ("CDS_VB_DEN", (["CDS_SOHOA_HS"], "CDS_SOHOA_PHAMVI")),
}


@pytest.mark.parametrize("area", list(AREA_FIGURES))
def test_every_area_shows_the_processed_figures(ctx, built, area):
    count, rate = AREA_FIGURES[area]
    out, _ = built
    notebook = ctx.ds.catalog.area(area).notebook
    text = html.unescape((out / PERIOD / UNIT / f"{notebook}.html").read_text("utf-8"))
    unit = ctx.ds.catalog[count].unit
    value = independent_sum(ctx, count)
    # money reads "964.056 triệu đồng" (or "243 tỷ đồng" for whole billions), counts "1.234"
    shown = fmt_value(value, unit) if unit == "triệu đồng" else fmt_int(value)
    assert shown in text, (count, shown)
    if rate:
        nums, den = rate
        expected = fmt_pct(100 * sum(independent_sum(ctx, n) for n in nums) / independent_sum(ctx, den))
        assert expected in text, (area, expected)


def test_own_plan_is_not_summed_over_children(ctx):
    own = ctx.ds.own_values(UNIT, PERIOD)["CD_KH_TONG"].value
    assert ctx.values["CD_KH_TONG"].value == own
    assert f"gồm {fmt_int(own)} nhiệm vụ" in report.prose_html(ctx, "direction")
    # the communes' own plans still appear, ranked, in the breakdown by child unit
    codes, rows = report.children_rows(ctx, "direction")
    assert "CD_KH_TYLE" in codes and len(rows) == len(ctx.children)


def test_seed_hoa_binh_shows_published_figures():
    ctx = report.load("tp-hoa-binh", "2021-H1")
    text = html.unescape(report.prose_html(ctx, "procedures"))
    assert "Tổng số hồ sơ tiếp nhận là 22.296 hồ sơ" in text
    assert "đã giải quyết trước hạn, đúng hạn 22.109 hồ sơ, đạt tỷ lệ 99,16%" in text
    assert "không có hồ sơ trễ hạn" in text
    assert "tiếp nhận trực tuyến 17.002 hồ sơ, chiếm 76,26%" in text
    direction = html.unescape(report.prose_html(ctx, "direction"))
    assert "đã hoàn thành 23/39 nhiệm vụ, đạt tỷ lệ 58,97%" in direction
    apparatus = html.unescape(report.prose_html(ctx, "apparatus"))
    assert "54/146 người, chiếm tỷ lệ 36,99%" in apparatus  # the seed printed 36,98% (truncated)
    # the window override from params
    assert ctx.window.label == "số liệu từ ngày 01/01/2021 đến ngày 9/6/2021"


def test_seed_bien_hoa_shows_published_figures():
    ctx = report.load("tp-bien-hoa", "2024-H1")
    dg = html.unescape(report.prose_html(ctx, "digital_government"))
    assert "852/3.734 hồ sơ, tương ứng 22,82%" in dg
    kids = ctx.ds.values("tp-bien-hoa-cap-xa", "2024-H1")
    assert fmt_pct(kids["TTHC_TYLE_DUNGHAN_766"].value) == "99,40%"
    own = html.unescape(report.children_html(ctx, "procedures"))
    assert "99,40%" in own and "94,81%" in own
    pf = html.unescape(report.prose_html(ctx, "public_finance"))
    assert "208.986 triệu đồng/600.867 triệu đồng, đạt 34,78% kế hoạch" in pf  # published "35%"


def test_missing_is_said_never_zero():
    ctx = report.load("xa-mau-07", "2026-H1")  # leaves public finance blank
    text = html.unescape(report.block(ctx, "key", "public_finance"))
    assert "Chưa có số liệu" in text
    notes = " ".join(report.data_notes(ctx, "public_finance"))
    assert "Chưa có số liệu" in notes and "Thu ngân sách nhà nước" in notes


def test_merger_baseline_sums_predecessors():
    ctx = report.load("xa-mau-11", "2026-H1")
    before = ctx.last_year["TTHC_HS_TONG"].value
    ds = ctx.ds
    assert before == ds.values("xa-mau-09", "2025-H1")["TTHC_HS_TONG"].value + \
        ds.values("xa-mau-10", "2025-H1")["TTHC_HS_TONG"].value
    assert any("Xã Mẫu 09, Xã Mẫu 10" in n for n in report.data_notes(ctx, "procedures"))


def test_no_comparable_baseline_is_said():
    ctx = report.load("tp-bien-hoa", "2024-H1")
    assert ctx.last_year is None
    assert "Không có số liệu 6 tháng đầu năm 2023 để so sánh" in html.unescape(report.block(ctx, "key", "procedures"))


def test_children_are_ranked_and_below_target_marked(ctx):
    table = report.children_html(ctx, "procedures")
    ranks = re.findall(r'<tr><td class="num">(\d+)</td>', table)
    assert ranks == [str(i) for i in range(1, len(ctx.children) + 1)]
    codes, rows = report.children_rows(ctx, "procedures")
    rates = [r["values"]["TTHC_TYLE_DUNGHAN_766"].value for r in rows]
    assert rates == sorted(rates, reverse=True)
    below = [r for r in rates if r < 97]
    assert table.count('class="num below"') >= len(below) > 0


def test_master_report_uses_the_same_text_as_the_area_notebooks(ctx):
    master = official.section_results(ctx)
    for area in official.RESULT_AREAS:
        assert report.prose_html(ctx, area) in master
        assert report.key_figures_html(ctx, area) in master


def test_tables_have_fixed_ids(ctx):
    a = report.key_figures_html(ctx, "procedures")
    b = report.key_figures_html(report.load(UNIT, PERIOD), "procedures")
    assert a == b and 'id="tinh-mau-2026-H1-procedures-key"' in a


def test_money_figures_read_in_millions(ctx):
    rows = {r["code"]: r for r in report.key_figures(ctx, "public_finance")}
    assert independent_sum(ctx, "TCC_DTC_GIAINGAN") == 964056
    assert (rows["TCC_DTC_GIAINGAN"]["now"], rows["TCC_DTC_GIAINGAN"]["before"]) == \
        ("964.056 triệu đồng", "455.825 triệu đồng")
    assert ('<tr><td class="label">Vốn đầu tư công đã giải ngân</td><td class="num">964.056 triệu đồng</td>'
            '<td class="num">455.825 triệu đồng</td><td class="num">+508.231 (+111,50%)</td><td class="num"></td>'
            "<td>—</td></tr>") in report.key_figures_html(ctx, "public_finance")


# ---------------------------------------------------------------- templates: rendered values and escaping


def replace_name(unit, name):
    return dataclasses.replace(unit, name=name)


def evil_context(ctx, name=None, children=None):
    """``ctx`` with its unit (and, given ``children``, every child) renamed."""
    unit = replace_name(ctx.unit, name) if name else ctx.unit
    out = report.Context(ctx.ds, unit, ctx.period, ctx.params, ctx.params_issues, ctx.params_file)
    if children:
        out.children = [replace_name(c, children) for c in ctx.children]
    return out


def test_fragments_are_one_line_and_escaped_as_html_escape():
    from cchc_lib import pages
    from cchc_lib.reporting.tables import html_table

    template = pages.fragment_environment().from_string("<p>\n  {{ a }}\n</p>\n{% for x in xs %}\n<i>{{ x }}</i>\n{% endfor %}")
    assert template.render(a="<b> & \"c\" 'd'", xs=[1, 2]) == \
        "<p>&lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27;</p><i>1</i><i>2</i>"
    table = html_table(["A & B", "<n>"], [["x'y", 1.5]], table_id="t\"1", numeric=[False, True],
                       classes=[[["label", "below"], ""]], caption="Bảng <1>")
    assert table == ('<table id="t&quot;1" class="cchc"><caption>Bảng &lt;1&gt;</caption><thead><tr>'
                     '<th>A &amp; B</th><th class="num">&lt;n&gt;</th></tr></thead><tbody><tr>'
                     '<td class="label below">x&#x27;y</td><td class="num">1.5</td></tr></tbody></table>')


def test_area_header_values_and_escaping(ctx):
    header = report.header_html(ctx, "Cải cách thủ tục hành chính")
    assert header == ("<div class='cchc-head'><p class='kicker'>Tỉnh Mẫu · 6 tháng đầu năm 2026</p>"
                      "<h1>Cải cách thủ tục hành chính</h1><p class='window'>Kỳ báo cáo: 6 tháng đầu năm 2026 "
                      f"({ctx.window.label})</p><p class='synthetic'>{report.SYNTHETIC_NOTE}</p></div>")
    evil = report.header_html(evil_context(ctx, name="Tỉnh <Mẫu> & 'X'"), "A <b>")
    assert "<p class='kicker'>Tỉnh &lt;Mẫu&gt; &amp; &#x27;X&#x27; · " in evil and "<h1>A &lt;b&gt;</h1>" in evil


def test_coverage_names_the_missing_children_escaped(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "tinh-dong-nai.yaml").write_text("aggregate: true\n", "utf-8")
    agg = report.load("tinh-dong-nai", "2024-H1", params_dir=tmp_path)
    assert report.coverage_html(agg) == "<p class='window coverage'>(tổng hợp số liệu của 1/1 đơn vị cấp huyện)</p>"
    assert report.coverage_html(report.load(UNIT, PERIOD)) == ""
    present = agg.coverage[0]
    agg.coverage = (present, [replace_name(present[0], "Huyện <A> & B")])
    assert report.coverage_html(agg, "doc-window") == (
        "<p class='doc-window coverage'>(tổng hợp số liệu của 1/2 đơn vị cấp huyện)</p>"
        "<p class='doc-window coverage-missing'>Chưa có số liệu: Huyện &lt;A&gt; &amp; B.</p>")


def test_key_figures_say_what_is_missing():
    ctx = report.load("xa-mau-07", "2026-H1")
    assert report.key_figures_html(ctx, "public_finance") == "<p class='missing'>Chưa có số liệu về tài chính công.</p>"
    hoa_binh = report.load("tp-hoa-binh", "2021-H1")
    assert report.key_figures_html(hoa_binh, "procedures").endswith(
        "</table><p class='missing'>Không có số liệu 6 tháng đầu năm 2020 để so sánh.</p>")


def test_children_table_escapes_unit_names(ctx):
    table = report.children_html(evil_context(ctx, children="Xã <b>Mẫu</b> & 'Một'"), "procedures")
    assert table.count('<td>Xã &lt;b&gt;Mẫu&lt;/b&gt; &amp; &#x27;Một&#x27;</td>') == len(ctx.children)
    assert "<b>" not in table
    assert report.children_html(report.load("xa-mau-07", "2026-H1"), "procedures") == ""  # a commune: no children
    assert report.children_html(report.load("tp-hoa-binh", "2021-H1"), "apparatus") == \
        "<p class='missing'>Các đơn vị trực thuộc chưa có số liệu về lĩnh vực này.</p>"


def test_prose_notes_and_blocks_render_their_items(ctx):
    paragraphs = report.prose_paragraphs(ctx, "procedures")
    assert report.prose_html(ctx, "procedures") == "".join(f"<p class='prose'>{html.escape(p)}</p>" for p in paragraphs)
    notes = report.data_notes(ctx, "procedures")
    assert report.data_notes_html(ctx, "procedures") == \
        "<ul class='notes'>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
    headings = {"key": "Số liệu chủ yếu", "charts": "Biểu đồ", "children": "Các đơn vị trực thuộc",
                "prose": "Đánh giá kết quả", "notes": "Ghi chú số liệu"}
    for name, heading in headings.items():
        assert report.block(ctx, name, "procedures").startswith(f"<h2>{heading}</h2>"), name
    assert report.block(ctx, "charts", "procedures").count("<figure class='chart'><svg") == \
        len(report.area_charts(ctx, "procedures"))
    assert report.block(ctx, "analyst", "procedures") == ""  # no params text for this unit
    assert report.block(ctx, "provenance", notebook="02_procedures").startswith(
        "<div class='provenance'><h3>Nguồn gốc số liệu</h3><p>Tham số: <code>{&quot;unit&quot;: &quot;tinh-mau&quot;")
    with pytest.raises(ValueError, match="unknown block 'nope'"):
        report.block(ctx, "nope", "procedures")


def test_validation_findings_are_chosen_by_unit_period_and_indicator():
    q1 = report.load("tinh-mau", "2026-Q1")
    warning = ("Cảnh báo khi kiểm tra số liệu (data/raw/forms/2026-Q1/xa-mau-02.xlsx, TTHC!E14): TTHC_HS_TONG: số "
               "nhập tay 1.500 khác số trích xuất 1.343; báo cáo dùng số trích xuất.")
    assert warning in report.data_notes(q1, "procedures")
    assert not [n for n in report.data_notes(q1, "digital_government") if "khi kiểm tra" in n]
    base = {"severity": "error", "file": "f.xlsx", "cell": "E9", "row": None, "column": "", "value": "",
            "unit_id": "xa-mau-02", "period": "2026-Q1", "place": "f.xlsx, CDS!E9", "advice": ""}
    q1.ds.issues = [
        base | {"rule": "parts_sum", "sheet": "CDS", "indicator": "CDS_SOHOA_HS", "message": "CDS_SOHOA_HS = 5 …"},
        base | {"rule": "missing_column", "sheet": "CDS", "indicator": "", "message": "Trang CDS: không tìm thấy cột"},
        # a CSV form: no sheet, the indicator still places it in its area
        base | {"rule": "negative", "sheet": "", "indicator": "CDS_HS_COPHI", "place": "f.csv, dòng 4",
                "message": "CDS_HS_COPHI (x): số liệu âm."},
        base | {"rule": "negative", "sheet": "CDS", "indicator": "CDS_HS_COPHI", "period": "2025-Q1",
                "message": "CDS_HS_COPHI: số liệu âm."},
        base | {"rule": "negative", "sheet": "CDS", "indicator": "CDS_HS_COPHI", "unit_id": "tp-bien-hoa",
                "message": "CDS_HS_COPHI: số liệu âm."},
        # the message names a code of the area, but the finding is about another figure: not this area's
        base | {"rule": "negative", "sheet": "TTHC", "indicator": "TTHC_HS_TONG", "message": "CDS_HS_COPHI …"},
    ]
    found = [n for n in report.data_notes(q1, "digital_government") if "khi kiểm tra" in n]
    assert found == ["Lỗi khi kiểm tra số liệu (f.xlsx, CDS!E9): CDS_SOHOA_HS = 5 …",
                     "Lỗi khi kiểm tra số liệu (f.csv, dòng 4): CDS_HS_COPHI (x): số liệu âm."]
    assert [n for n in report.data_notes(q1, "procedures") if "khi kiểm tra" in n] == [
        "Lỗi khi kiểm tra số liệu (f.xlsx, CDS!E9): CDS_HS_COPHI …"]
