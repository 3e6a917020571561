"""The key-figures table of an area: this period, the same period last year, change, target, status."""

from __future__ import annotations

from cchc_lib import pages
from cchc_lib.domain.catalog import Indicator
from cchc_lib.domain.fmt import fmt_int, fmt_pct, fmt_pp, rate_value
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.dataset import Dataset
from cchc_lib.reporting.figures import MISSING, Figure, display_value, status_of
from cchc_lib.reporting.tables import table_data


def headline(ds: Dataset, area: str) -> list[Indicator]:
    """Rates and top-level totals of an area, in catalog order."""
    parts = {p for _, ps in ds.catalog.breakdowns() for p in ps}
    return [i for i in ds.catalog.in_area(area)
            if i.is_rate or (i.code not in parts and not i.within)]


def _change_text(ind: Indicator, now: Figure, before: Figure | None) -> str:
    """The change on the baseline: "+1,25 điểm %" for a rate, "+120 (+5,00%)" for a count."""
    if before is None:
        return "không có kỳ so sánh"
    if before.missing or now.missing:
        return ""
    if ind.is_rate:
        return fmt_pp(now.value - before.value)
    diff = now.value - before.value
    rel = rate_value(diff, before.value)
    sign = "+" if diff > 0 else ("-" if diff < 0 else "±")
    return f"{sign}{fmt_int(abs(diff))}" + (f" ({'+' if diff > 0 else ''}{fmt_pct(rel)})" if rel is not None else "")


def key_figures(ctx: Context, area: str) -> list[dict]:
    """Rows of the key-figures table: this period, same period last year, change, target, status."""
    rows = []
    for ind in headline(ctx.ds, area):
        now = ctx.values.get(ind.code, MISSING)
        before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year is not None else None
        if now.missing and (before is None or before.missing):
            continue
        target = ctx.ds.target(ind.code, ctx.period)
        rows.append({
            "code": ind.code, "label": ind.label, "unit": ind.unit,
            "now": display_value(ind, now, ctx.values),
            "before": display_value(ind, before, ctx.last_year) if before is not None else "—",
            "change": _change_text(ind, now, before), "target": target.label if target else "",
            "status": status_of(ind, now, before, target),
            "below": bool(target and not now.missing and not target.met(now.value)),
        })
    return rows


def key_figures_data(ctx: Context, area: str) -> dict:
    """The key-figures table (without comparison columns when no baseline exists), or the area to say is missing."""
    rows = key_figures(ctx, area)
    if not rows:
        return {"table": None, "area": ctx.ds.catalog.area(area).short.lower(), "no_baseline": ""}
    compare = ctx.last_year is not None
    header = ["Chỉ tiêu", ctx.period.title]
    header += [ctx.period.same_period_last_year().title, "Thay đổi"] if compare else []
    header += ["Chỉ tiêu phấn đấu", "Đánh giá"]
    body, classes = [], []
    for r in rows:
        status = r["status"].replace("; không có kỳ so sánh", "").replace("Không có kỳ so sánh", "—") \
            if not compare else r["status"]
        cells = [r["label"], r["now"]] + ([r["before"], r["change"]] if compare else []) + [r["target"], status]
        below = "below" if r["below"] else ""
        cls = ["label", below] + (["", ""] if compare else []) + ["", below]
        body.append(cells)
        classes.append(cls)
    numeric = [False, True] + ([True, True] if compare else []) + [True, False]
    table = table_data(header, body, table_id=ctx.tid(f"{area}-key"), classes=classes, numeric=numeric)
    return {"table": table, "area": "", "no_baseline": "" if compare else ctx.ly_label}


def key_figures_html(ctx: Context, area: str) -> str:
    """The key-figures table as HTML."""
    return pages.render_fragment("reporting/key_figures.html.j2", key=key_figures_data(ctx, area))
