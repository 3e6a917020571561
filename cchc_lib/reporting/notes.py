"""Data notes of an area: what is missing, where figures come from, and the checks that found problems."""

from __future__ import annotations

from cchc_lib import pages
from cchc_lib.domain.fmt import fmt_date
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.figures import MISSING
from cchc_lib.reporting.key_figures import headline


def _figure_issues(ctx: Context, area: str) -> list[dict]:
    """Validation issues about figures of ``area`` sent by the unit or its children for this period.

    Selected by structured fields only: the unit, the period and the indicator the finding is about.
    """
    units = {ctx.unit.unit_id} | {c.unit_id for c in ctx.children}
    codes = {i.code for i in ctx.ds.catalog.in_area(area)}
    return [i for i in ctx.ds.issues
            if i["unit_id"] in units and i["period"] == ctx.period.code and i.get("indicator") in codes]


def _source_notes(ctx: Context, area: str, codes: set[str]) -> list[str]:
    """Missing totals, derived totals, partial coverage by children, one-stop-shop records."""
    notes = []
    missing = [i.label for i in headline(ctx.ds, area) if not i.is_rate and ctx.values.get(i.code, MISSING).missing]
    if missing:
        notes.append("Chưa có số liệu: " + "; ".join(missing) + ".")
    derived = [ctx.ds.catalog[c].label for c, f in ctx.values.items() if c in codes and f.source == "derived"]
    if derived:
        notes.append("Tính từ tổng các số liệu thành phần: " + "; ".join(derived) + ".")
    partial = sorted({(f.children_with_data, f.children) for c, f in ctx.values.items()
                      if c in codes and 0 < f.children_with_data < f.children})
    for have, total in partial:
        notes.append(f"Một số chỉ tiêu chỉ có số liệu của {have}/{total} đơn vị trực thuộc.")
    if any(f.source == "records" for c, f in ctx.values.items() if c in codes) or (
            area == "procedures" and ctx.ds.dossier_stats["unit_id"].eq(ctx.unit.unit_id).any()):
        notes.append("Số liệu hồ sơ được tính từ dữ liệu trích xuất phần mềm một cửa điện tử, phân loại tại ngày "
                     f"{fmt_date(ctx.period.end)}; số liệu trích xuất được ưu tiên hơn số nhập tay.")
    return notes


def _baseline_note(ctx: Context) -> list[str]:
    """No comparable period, or a baseline summed over the units merged into this one."""
    if ctx.last_year is None:
        return [f"Không có số liệu {ctx.ly_label} để so sánh."]
    preds = ctx.ds.registry.crosswalk(ctx.unit.unit_id, ctx.period.same_period_last_year())
    if preds == [ctx.unit.unit_id]:
        return []
    names = ", ".join(ctx.ds.registry[p].name for p in preds or [])
    return [f"Số liệu {ctx.ly_label} là tổng của các đơn vị trước sắp xếp ({names})."]


def data_notes(ctx: Context, area: str) -> list[str]:
    """What is missing, where figures come from, and validation warnings for this unit and period."""
    codes = {i.code for i in ctx.ds.catalog.in_area(area)}
    notes = _source_notes(ctx, area, codes) + _baseline_note(ctx)
    for issue in _figure_issues(ctx, area):
        sev = "Lỗi" if issue["severity"] == "error" else "Cảnh báo"
        notes.append(f"{sev} khi kiểm tra số liệu ({issue['place']}): {issue['message']}")
    return notes


def data_notes_html(ctx: Context, area: str) -> str:
    """Data notes as an HTML list ("" when there is nothing to note)."""
    notes = data_notes(ctx, area)
    return pages.render_fragment("reporting/notes.html.j2", notes=notes) if notes else ""
