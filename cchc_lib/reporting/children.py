"""An area's figures by child unit and by level (the unit itself, its children, the territory), targets marked."""

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


def _cell(ctx: Context, code: str, fig) -> tuple[str, str]:
    """A figure as its table cell shows it, and its class ("below" a target, "missing")."""
    cat = ctx.ds.catalog
    text = MISSING_TEXT if fig.missing else (fmt_pct(fig.value) if cat[code].is_rate else fmt_int(fig.value))
    t = ctx.ds.target(code, ctx.period)
    return text, "below" if t and not fig.missing and not t.met(fig.value) else ("missing" if fig.missing else "")


def _header(ctx: Context, codes: list[str]) -> list[str]:
    cat = ctx.ds.catalog
    return [short_label(cat[c].label, 48) + (f" ({cat[c].unit})" if not cat[c].is_rate else "") for c in codes]


def children_data(ctx: Context, area: str) -> dict | None:
    """The children's ranked table (``table``) and the table by level (``levels``); None without children.

    ``table`` is None when the children have no figure in the area.
    """
    if not ctx.children:
        return None
    codes, rows = children_rows(ctx, area)
    if not codes:
        return {"table": None, "levels": None}
    body, classes = [], []
    for i, r in enumerate(rows, start=1):
        cells = [_cell(ctx, c, r["values"][c]) for c in codes]
        body.append([str(i), r["unit"].name, LEVEL_LABELS[r["unit"].level]] + [t for t, _ in cells])
        classes.append(["", "", ""] + [k for _, k in cells])
    return {"table": table_data(["Hạng", "Đơn vị", "Cấp"] + _header(ctx, codes), body,
                                table_id=ctx.tid(f"{area}-children"), classes=classes,
                                numeric=[True, False, False] + [True] * len(codes)),
            "levels": levels_data(ctx, area)}


def _level_name(ctx: Context, level: str) -> str:
    """"Các phường, xã thuộc …" when the level is one group row of units.csv, else "Các đơn vị cấp xã"."""
    mine = [c for c in ctx.children if c.level == level]
    if len(mine) == 1 and mine[0].group:
        return mine[0].name
    return "Các sở, ban, ngành" if level == "department" else f"Các đơn vị {LEVEL_LABELS[level]}"


def levels_data(ctx: Context, area: str) -> dict | None:
    """The area's figures of the unit itself, of its children by level and of the whole territory, side by side.

    None when the unit states none of the area's figures for itself (its children's table says it all).
    """
    (own_level, own), *children = ctx.ds.levels(ctx.unit.unit_id, ctx.period.code)
    codes = [c for c in ctx.ds.catalog.area(area).children if not own.get(c, MISSING).missing]
    if not codes:
        return None
    levels = [(_level_name(ctx, level), figures) for level, figures in children
              if any(not figures.get(c, MISSING).missing for c in codes)]  # a level with none of them: no row
    if not levels:
        return None
    groups = [(f"{ctx.unit.name} ({LEVEL_LABELS.get(own_level, 'riêng đơn vị')})", own), *levels,
              ("Toàn địa bàn", ctx.ds.values(ctx.unit.unit_id, ctx.period.code))]
    body, classes = [], []
    for name, figures in groups:
        cells = [_cell(ctx, c, figures.get(c, MISSING)) for c in codes]
        body.append([name] + [t for t, _ in cells])
        classes.append([""] + [k for _, k in cells])
    return table_data(["Phạm vi"] + _header(ctx, codes), body, table_id=ctx.tid(f"{area}-levels"), classes=classes,
                      numeric=[False] + [True] * len(codes), caption="Số liệu theo cấp")


def children_html(ctx: Context, area: str) -> str:
    """Breakdown table of children, ranked, below-target cells marked ("" without children)."""
    data = children_data(ctx, area)
    return pages.render_fragment("reporting/children.html.j2", children=data) if data else ""
