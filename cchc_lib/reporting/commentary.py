"""The text of an area: paragraphs generated from the figures, and the analyst's own (sanitized) text."""

from __future__ import annotations

from markupsafe import Markup

from cchc_lib import pages
from cchc_lib.domain.fmt import MISSING_TEXT, fmt_pct, fmt_pp
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.figures import MISSING
from cchc_lib.reporting.key_figures import key_figures
from cchc_lib.reporting.prose import area_paragraphs
from cchc_lib.reporting.sanitize import markdown_to_html


def prose_paragraphs(ctx: Context, area: str) -> list[str]:
    """Generated paragraphs, then comparisons and targets for the area's rates."""
    paras = area_paragraphs(area, ctx.values, ctx.ds.catalog)
    extra = []
    for row in key_figures(ctx, area):
        ind = ctx.ds.catalog[row["code"]]
        if not ind.is_rate or row["now"] == MISSING_TEXT:
            continue
        now = ctx.values[ind.code].value
        bits = []
        t = ctx.ds.target(ind.code, ctx.period)
        if t:
            word = "đạt" if t.met(now) else "chưa đạt"
            bits.append(f"{word} chỉ tiêu {t.label}")
        if ctx.last_year is not None and not ctx.last_year.get(ind.code, MISSING).missing:
            diff = now - ctx.last_year[ind.code].value
            if abs(diff) >= 0.005:
                bits.append(f"{'tăng' if diff > 0 else 'giảm'} {fmt_pp(abs(diff)).lstrip('+')} so với {ctx.ly_label}")
            else:
                bits.append(f"không đổi so với {ctx.ly_label}")
        if bits:
            label = ind.label if not extra else ind.label[0].lower() + ind.label[1:]
            extra.append(f"{label} là {fmt_pct(now)}, {', '.join(bits)}")
    if extra:
        paras.append("; ".join(extra) + ".")
    return paras


def prose_html(ctx: Context, area: str) -> str:
    """Generated prose as HTML paragraphs."""
    return pages.render_fragment("reporting/prose.html.j2", paragraphs=prose_paragraphs(ctx, area))


def analyst_markup(ctx: Context, key: str) -> Markup | None:
    """The analyst's own text for a section (params ``text.<key>``), sanitized; None when there is none."""
    text = ctx.params.text.get(key, "") if ctx.params.text else ""
    if not text:
        return None
    # Trusted: markdown_to_html renders without raw HTML and cleans the result with nh3 (allowed tags and
    # attributes only, no scripts, no event handlers, no javascript: links).
    return Markup(markdown_to_html(text))


def analyst_html(ctx: Context, key: str) -> str:
    """The analyst's own text for a section as HTML ("" when there is none)."""
    return pages.render_fragment("reporting/analyst.html.j2", text=analyst_markup(ctx, key))
