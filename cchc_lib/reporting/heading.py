"""The title block of an area notebook, and the coverage line of an aggregate report."""

from __future__ import annotations

from cchc_lib import pages
from cchc_lib.reporting.context import Context, coverage_data


def coverage_html(ctx: Context, css_class: str = "window") -> str:
    """The data-window line of an aggregate report, and the children that sent nothing, by name."""
    return pages.render_fragment("reporting/coverage.html.j2", coverage=coverage_data(ctx, css_class))


def header_html(ctx: Context, title: str) -> str:
    """Title block of an area report: unit and period, title, data window, coverage, sample-data note."""
    return pages.render_fragment(
        "reporting/header.html.j2", unit=ctx.unit.name, period=ctx.period.label, title=title,
        window=ctx.window.label, coverage=coverage_data(ctx), synthetic_note=ctx.synthetic_note)
