"""The breakdown of an area's figures by child unit, ranked by its first rate, below-target cells marked."""

from __future__ import annotations

from cchc_lib import pages
from cchc_lib.domain.fmt import MISSING_TEXT, fmt_int, fmt_pct
from cchc_lib.domain.units import LEVEL_LABELS
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.figures import MISSING
from cchc_lib.reporting.tables import short_label, table_data


def children_rows(ctx: Context, area: str) -> tuple[list[str], list[dict]]:
    """Each child unit with the area's breakdown figures, ranked by the first rate."""
    codes = [c for c in ctx.ds.catalog.area(area).children if any(
        not ctx.ds.values(ch.unit_id, ctx.period.code).get(c, MISSING).missing for ch in ctx.children)]
    rows = []
    for child in ctx.children:
        vals = ctx.ds.values(child.unit_id, ctx.period.code)
        rows.append({"unit": child, "values": {c: vals.get(c, MISSING) for c in codes}})
    rank_code = next((c for c in codes if ctx.ds.catalog[c].is_rate), None)
    if rank_code:
        higher = ctx.ds.catalog[rank_code].higher is not False
        rows.sort(key=lambda r: (r["values"][rank_code].missing,
                                 -(r["values"][rank_code].value or 0) if higher else (r["values"][rank_code].value or 0),
                                 r["unit"].unit_id))
    return codes, rows


def children_data(ctx: Context, area: str) -> dict | None:
    """The ranked table of children (``table`` None when they have no figure in the area); None without children."""
    if not ctx.children:
        return None
    codes, rows = children_rows(ctx, area)
    if not codes:
        return {"table": None}
    cat = ctx.ds.catalog
    header = ["Hạng", "Đơn vị", "Cấp"] + [short_label(cat[c].label, 48) + (f" ({cat[c].unit})" if not cat[c].is_rate else "")
                                          for c in codes]
    body, classes = [], []
    for i, r in enumerate(rows, start=1):
        cells, cls = [str(i), r["unit"].name, LEVEL_LABELS[r["unit"].level]], ["", "", ""]
        for c in codes:
            fig = r["values"][c]
            cells.append(MISSING_TEXT if fig.missing else (fmt_pct(fig.value) if cat[c].is_rate else fmt_int(fig.value)))
            t = ctx.ds.target(c, ctx.period)
            cls.append("below" if t and not fig.missing and not t.met(fig.value) else ("missing" if fig.missing else ""))
        body.append(cells)
        classes.append(cls)
    return {"table": table_data(header, body, table_id=ctx.tid(f"{area}-children"), classes=classes,
                                numeric=[True, False, False] + [True] * len(codes))}


def children_html(ctx: Context, area: str) -> str:
    """Breakdown table of children, ranked, below-target cells marked ("" without children)."""
    data = children_data(ctx, area)
    return pages.render_fragment("reporting/children.html.j2", children=data) if data else ""
