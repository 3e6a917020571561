"""Sections I to V of the master report: direction, results by area, assessment, directions, recommendations."""

from __future__ import annotations

from cchc_lib import pages
from cchc_lib.domain.fmt import fmt_pct, fmt_pp
from cchc_lib.reporting.area_charts import area_chart_markup
from cchc_lib.reporting.children import children_data
from cchc_lib.reporting.commentary import analyst_markup, prose_paragraphs
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.figures import MISSING
from cchc_lib.reporting.key_figures import key_figures, key_figures_data

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
RESULT_AREAS = ["institutions", "procedures", "apparatus", "civil_service", "public_finance", "digital_government"]
# Areas whose children table is repeated in the master report.
CHILDREN_IN_REPORT = ("procedures", "digital_government")


def render_section(name: str, **data: object) -> str:
    """Render reporting/official/<name>.html.j2 with ``data``."""
    return pages.render_fragment(f"reporting/official/{name}.html.j2", **data)


def _area_body_data(ctx: Context, area: str, charts: bool = True) -> dict:
    """Prose, the analyst's text, the key figures, the first chart and (some areas) the children of an area."""
    svgs = area_chart_markup(ctx, area) if charts else []
    return {"prose": prose_paragraphs(ctx, area), "analyst": analyst_markup(ctx, area),
            "key": key_figures_data(ctx, area), "chart": svgs[0] if svgs else None,
            "children": children_data(ctx, area) if area in CHILDREN_IN_REPORT else None}


def area_body(ctx: Context, area: str, charts: bool = True) -> str:
    """Prose, the analyst's text, the key figures and the first chart of an area (as in its notebook)."""
    return render_section("area_body", body=_area_body_data(ctx, area, charts))


def section_direction(ctx: Context) -> str:
    """Section I, with the documents issued in the period."""
    return render_section("direction", num=ROMAN[0], title=ctx.ds.catalog.area("direction").label,
                          documents=[d.citation() for d in ctx.params.documents],
                          body=_area_body_data(ctx, "direction"))


def section_results(ctx: Context) -> str:
    """Section II with 2.1 to 2.6 by area."""
    areas = [{"num": f"2.{i}", "title": ctx.ds.catalog.area(area).label, "body": _area_body_data(ctx, area)}
             for i, area in enumerate(RESULT_AREAS, start=1)]
    return render_section("results", num=ROMAN[1], areas=areas)


def _trend(diff: float | None, higher: bool | None, ly_label: str) -> str:
    """", tăng 1,20 điểm % so với ..." for a change of half a point or more on a rate with a direction."""
    if diff is not None and abs(diff) >= 0.5 and higher is not None:
        return f", {'tăng' if diff > 0 else 'giảm'} {fmt_pp(abs(diff)).lstrip('+')} so với {ly_label}"
    return ""


def assessment(ctx: Context) -> tuple[list[str], list[str]]:
    """Strengths and limitations generated from targets and changes on the same period last year."""
    good, bad = [], []
    for area in ["direction", *RESULT_AREAS]:
        for row in key_figures(ctx, area):
            ind = ctx.ds.catalog[row["code"]]
            now = ctx.values.get(ind.code, MISSING)
            if not ind.is_rate or now.missing:
                continue
            t = ctx.ds.target(ind.code, ctx.period)
            before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year else MISSING
            diff = None if before.missing else now.value - before.value
            trend = _trend(diff, ind.higher, ctx.ly_label)
            if t and t.met(now.value):
                good.append(f"{ind.label} đạt {fmt_pct(now.value)}, đạt chỉ tiêu {t.label}{trend}.")
            elif t:
                bad.append(f"{ind.label} mới đạt {fmt_pct(now.value)}, chưa đạt chỉ tiêu {t.label}{trend}.")
            elif diff is not None and ind.higher is not None and abs(diff) >= 0.5:
                better = diff > 0 if ind.higher else diff < 0
                (good if better else bad).append(f"{ind.label} là {fmt_pct(now.value)}{trend}.")
    return good, bad


def section_assessment(ctx: Context) -> str:
    """Section III: strengths, limitations, causes."""
    good, bad = assessment(ctx)
    return render_section("assessment", num=ROMAN[2], good=good, bad=bad,
                          highlights=analyst_markup(ctx, "highlights"),
                          limitations=analyst_markup(ctx, "limitations"),
                          causes=analyst_markup(ctx, "causes"))


def section_directions(ctx: Context) -> str:
    """Section IV: the analyst's directions, else directions generated from the shortfalls."""
    text = analyst_markup(ctx, "directions")
    shortfalls = assessment(ctx)[1] if text is None else []
    return render_section("directions", num=ROMAN[3], title=f"Phương hướng, nhiệm vụ {ctx.period.next_label}",
                          text=text, shortfalls=shortfalls)


def section_recommendations(ctx: Context) -> str:
    """Section V: the analyst's recommendations, or a note that they are missing."""
    return render_section("recommendations", num=ROMAN[4], text=analyst_markup(ctx, "recommendations"))
