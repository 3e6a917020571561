"""The charts of each area: which figures are drawn, against what (targets, plans, earlier periods, children)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from cchc_lib.domain.periods import Period, sort_periods
from cchc_lib.domain.units import LEVEL_LABELS
from cchc_lib.reporting import charts
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.figures import MISSING, Figure
from cchc_lib.reporting.tables import short_label


def _own_and_children_by_level(ctx: Context) -> list[tuple[str, dict[str, Figure]]]:
    """Figures of the unit's own one-stop desk and of its children grouped by level (no rates)."""
    groups = []
    for i, (level, figures) in enumerate(ctx.ds.levels(ctx.unit.unit_id, ctx.period.code)):
        counts = {c: f for c, f in figures.items() if not ctx.ds.catalog[c].is_rate and not f.missing}
        if i == 0:
            if counts:
                groups.append((f"{ctx.unit.name} (bộ phận một cửa)", counts))
            continue
        name = "Các sở, ban, ngành" if level == "department" else f"Các đơn vị {LEVEL_LABELS[level]}"
        groups.append((name, counts))
    return groups


def trend_periods(ctx: Context, limit: int = 6) -> list[str]:
    """Regular periods with data up to this one (for trend charts)."""
    mine = ctx.period.sort_key
    codes = [p for p in ctx.ds.periods() if Period.parse(p).kind in {"Q1", "H1", "Q3", "Y"}
             and Period.parse(p).sort_key <= mine]
    out = []
    for code in sort_periods(codes):
        vals = ctx.ds.comparable(ctx.unit.unit_id, code)
        if vals is not None:
            out.append(code)
    return out[-limit:]


def _has(values: dict[str, Figure], *codes: str) -> bool:
    return all(not values.get(c, MISSING).missing for c in codes)


def _plan_chart(values: dict[str, Figure], triples: list[tuple[str, str, str]], title: str, **kwargs) -> list[str]:
    """Actual against plan for the (label, actual code, plan code) triples that have both figures."""
    present = [(lbl, a, p) for lbl, a, p in triples if _has(values, a, p)]
    if not present:
        return []
    return [charts.actual_vs_plan([t[0] for t in present], [values[t[1]].value for t in present],
                                  [values[t[2]].value for t in present], title, **kwargs)]


def _trend_chart(ctx: Context, codes: list[str], title: str) -> list[str]:
    periods = trend_periods(ctx)
    if len(periods) < 2:
        return []
    series, targets = {}, {}
    cat = ctx.ds.catalog
    for c in codes:
        vals = []
        for p in periods:
            fig = (ctx.ds.comparable(ctx.unit.unit_id, p) or {}).get(c, MISSING)
            vals.append(None if fig.missing else fig.value)
        if sum(x is not None for x in vals) >= 2:
            name = short_label(cat[c].label, 60)
            series[name] = vals
            t = ctx.ds.target(c, ctx.period)
            if t:
                targets[name] = t.threshold
    if not series:
        return []
    return [charts.rate_trend([Period.parse(p).short_label for p in periods], series, targets, title)]


def _ranked_chart(ctx: Context, code: str) -> list[str]:
    pts = [(c.name, ctx.ds.values(c.unit_id, ctx.period.code).get(code, MISSING)) for c in ctx.children]
    pts = [(n, f.value) for n, f in pts if not f.missing]
    if len(pts) < 2:
        return []
    t = ctx.ds.target(code, ctx.period)
    return [charts.ranked_bars([p[0] for p in pts], [p[1] for p in pts], t.threshold if t else None,
                               f"Đơn vị trực thuộc xếp theo {ctx.ds.catalog[code].label.lower()}")]


def _procedures(ctx: Context) -> list[str]:
    out = []
    groups = [(n, g) for n, g in _own_and_children_by_level(ctx)
              if all(c in g for c in ("TTHC_HS_DUNGHAN_TONG", "TTHC_HS_TONG"))]
    if groups:
        segs = {"Trước hạn, đúng hạn": [], "Đang giải quyết trong hạn": [], "Trễ hạn": []}
        for _, g in groups:
            done = g["TTHC_HS_DUNGHAN_TONG"].value
            intime = g.get("TTHC_HS_DANGGQ_TRONGHAN", Figure(0.0)).value or 0.0
            late = g.get("TTHC_HS_TREHAN_TONG", Figure(g["TTHC_HS_TONG"].value - done - intime)).value
            segs["Trước hạn, đúng hạn"].append(done)
            segs["Đang giải quyết trong hạn"].append(intime)
            segs["Trễ hạn"].append(late)
        out.append(charts.stacked_outcomes([n for n, _ in groups], segs, "Kết quả giải quyết hồ sơ theo cấp"))
    out += _trend_chart(ctx, ["TTHC_TYLE_DUNGHAN_766", "TTHC_TYLE_DUNGHAN", "TTHC_TYLE_TRUCTUYEN"],
                        "Tỷ lệ đúng hạn và tỷ lệ trực tuyến qua các kỳ")
    return out + _ranked_chart(ctx, "TTHC_TYLE_DUNGHAN_766")


def _digital_government(ctx: Context) -> list[str]:
    cat, v, out = ctx.ds.catalog, ctx.values, []
    codes = [c for c in ("CDS_TYLE_VB_DEN", "CDS_TYLE_KYSO", "CDS_TYLE_DVCTT", "CDS_TYLE_HS_TRUCTUYEN",
                         "CDS_TYLE_SOHOA", "CDS_TYLE_KHONGTM") if _has(v, c)]
    if codes:
        targets = [(t.threshold if (t := ctx.ds.target(c, ctx.period)) else None) for c in codes]
        out.append(charts.rates_vs_targets([short_label(cat[c].label) for c in codes], [v[c].value for c in codes],
                                           targets, "Các tỷ lệ chính quyền số so với chỉ tiêu"))
    out += _trend_chart(ctx, ["CDS_TYLE_HS_TRUCTUYEN", "CDS_TYLE_SOHOA", "CDS_TYLE_KHONGTM"],
                        "Hồ sơ trực tuyến, số hóa và thanh toán không dùng tiền mặt qua các kỳ")
    return out + _ranked_chart(ctx, "CDS_TYLE_SOHOA")


def _public_finance(ctx: Context) -> list[str]:
    v = ctx.values
    out = _plan_chart(v, [("Thu ngân sách", "TCC_THU_NS", "TCC_THU_DUTOAN"),
                          ("Chi ngân sách", "TCC_CHI_NS", "TCC_CHI_DUTOAN"),
                          ("Giải ngân đầu tư công", "TCC_DTC_GIAINGAN", "TCC_DTC_KEHOACH")],
                      "Thu, chi ngân sách và giải ngân so với dự toán, kế hoạch", unit="triệu đồng")
    if _has(v, "TCC_DVSN_TUCHU"):
        labels = [("Tự bảo đảm chi TX và ĐT", "TCC_DVSN_TUCHU_CHITXDT"), ("Tự bảo đảm chi TX", "TCC_DVSN_TUCHU_CHITX"),
                  ("Tự bảo đảm một phần", "TCC_DVSN_TUCHU_MOTPHAN"), ("Nhà nước bảo đảm", "TCC_DVSN_NHANUOC")]
        present = [(lbl, c) for lbl, c in labels if _has(v, c)]
        if present:
            out.append(charts.task_status(["Đơn vị sự nghiệp"], {lbl: [v[c].value] for lbl, c in present},
                                          "Đơn vị sự nghiệp công lập theo mức tự chủ tài chính"))
    return out + _ranked_chart(ctx, "TCC_TYLE_GIAINGAN")


def _apparatus(ctx: Context) -> list[str]:
    out = _plan_chart(ctx.values, [("Công chức", "BM_BC_CC_CO", "BM_BC_CC_GIAO"),
                                   ("Viên chức", "BM_BC_VC_CO", "BM_BC_VC_GIAO"),
                                   ("CB, CC cấp xã", "BM_BC_XA_CO", "BM_BC_XA_GIAO")],
                      "Biên chế được giao và hiện có", actual_label="Hiện có", plan_label="Được giao", unit="người")
    return out + _ranked_chart(ctx, "BM_TYLE_XA")


def _direction(ctx: Context) -> list[str]:
    v, out = ctx.values, []
    rows, segs = [], {"Hoàn thành": [], "Chưa đến hạn / trong hạn": [], "Chưa đạt / quá hạn": []}
    for label, codes in (("Kế hoạch CCHC", ("CD_KH_HOANTHANH", "CD_KH_CHUADENHAN", "CD_KH_KHONGDAT")),
                         ("Nhiệm vụ được giao", ("CD_GIAO_HOANTHANH", "CD_GIAO_CHUAHT_TRONGHAN",
                                                 "CD_GIAO_CHUAHT_QUAHAN"))):
        if _has(v, *codes):
            rows.append(label)
            for seg, code in zip(segs, codes, strict=True):
                segs[seg].append(v[code].value)
    if rows:
        out.append(charts.task_status(rows, segs, "Nhiệm vụ theo tình trạng thực hiện"))
    return out + _ranked_chart(ctx, "CD_KH_TYLE")


def _counts(ctx: Context, area: str) -> list[str]:
    """Institutions and civil service: the area's counts now and a year before."""
    cat, v, out = ctx.ds.catalog, ctx.values, []
    codes = [i.code for i in cat.in_area(area, rates=False) if _has(v, i.code) and not i.within
             and not i.code.startswith(("CV_CBXA", "CV_CCXA"))]
    if len(codes) >= 2:
        before = [ctx.last_year.get(c, MISSING).value if ctx.last_year else None for c in codes]
        out.append(charts.counts_compare([short_label(cat[c].label) for c in codes], [v[c].value for c in codes],
                                         before, f"{cat.area(area).short}: kỳ này và cùng kỳ năm trước",
                                         ctx.period.short_label, ctx.period.same_period_last_year().short_label))
    if area == "civil_service":
        out += _ranked_chart(ctx, "CV_TYLE_CCXA")
    return out


AREA_CHARTS: dict[str, Callable[[Context], list[str]]] = {
    "procedures": _procedures,
    "digital_government": _digital_government,
    "public_finance": _public_finance,
    "apparatus": _apparatus,
    "direction": _direction,
    "institutions": lambda ctx: _counts(ctx, "institutions"),
    "civil_service": lambda ctx: _counts(ctx, "civil_service"),
}


def area_charts(ctx: Context, area: str) -> list[str]:
    """The charts of an area as SVG strings (empty when the figures are missing)."""
    draw = AREA_CHARTS.get(area)
    return draw(ctx) if draw else []


def area_chart_markup(ctx: Context, area: str) -> list[Markup]:
    """The charts of an area as markup for the templates."""
    # Trusted: reporting.charts draws the SVG with matplotlib, which writes every text (labels, unit names)
    # XML-escaped; nothing typed by a user reaches it as markup.
    return [Markup(svg) for svg in area_charts(ctx, area)]
