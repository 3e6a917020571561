"""One unit and period: the sections that area notebooks and the master report display.

Both the area notebooks and the master report call these functions, so a figure is
computed once, from one source, and shown the same way everywhere. This module is the
notebooks' entry point (``load``, ``show_header``, ``show``); the parts live in their own modules.
"""

from __future__ import annotations

from collections.abc import Callable

from cchc_lib import pages
from cchc_lib.reporting.area_charts import area_chart_markup, area_charts, trend_periods
from cchc_lib.reporting.children import children_data, children_html, children_rows
from cchc_lib.reporting.commentary import analyst_html, analyst_markup, prose_html, prose_paragraphs
from cchc_lib.reporting.context import SYNTHETIC_NOTE, Context, coverage_label, load
from cchc_lib.reporting.heading import coverage_html, header_html
from cchc_lib.reporting.key_figures import headline, key_figures, key_figures_data, key_figures_html
from cchc_lib.reporting.notes import data_notes, data_notes_html
from cchc_lib.reporting.provenance import code_version, input_fingerprint, provenance_data, provenance_html

__all__ = [
    "SYNTHETIC_NOTE", "Context", "analyst_html", "area_charts", "block", "children_html",
    "children_rows", "code_version", "coverage_html", "coverage_label", "data_notes", "data_notes_html",
    "header_html", "headline", "input_fingerprint", "key_figures", "key_figures_html", "load", "prose_html",
    "prose_paragraphs", "provenance_html", "show", "show_header", "trend_periods",
]


def _charts(ctx: Context, area: str, notebook: str) -> list | None:
    return area_chart_markup(ctx, area) or None


def _notes(ctx: Context, area: str, notebook: str) -> list[str] | None:
    return data_notes(ctx, area) or None


# Block name -> the data its part of reporting/area_block.html.j2 shows (None: the block is left out).
BLOCK_DATA: dict[str, Callable[[Context, str, str], object]] = {
    "key": lambda ctx, area, notebook: key_figures_data(ctx, area),
    "charts": _charts,
    "children": lambda ctx, area, notebook: children_data(ctx, area),
    "prose": lambda ctx, area, notebook: prose_paragraphs(ctx, area),
    "analyst": lambda ctx, area, notebook: analyst_markup(ctx, area),
    "notes": _notes,
    "provenance": lambda ctx, area, notebook: provenance_data(ctx, notebook),
}


def block(ctx: Context, name: str, area: str = "", notebook: str = "") -> str:
    """One block of an area report as HTML, with its heading ("" when it has nothing to show).

    Parameters
    ----------
    ctx : the loaded unit and period.
    name : key, charts, children, prose, analyst, notes or provenance.
    area : the catalog area (all but provenance).
    notebook : the notebook's name (provenance).
    """
    if name not in BLOCK_DATA:
        raise ValueError(f"unknown block {name!r}")
    data = BLOCK_DATA[name](ctx, area, notebook)
    if data is None:
        return ""
    return pages.render_fragment("reporting/area_block.html.j2", name=name, data=data)


def show(ctx: Context, name: str, area: str = "", notebook: str = "") -> None:
    """Display a block in the notebook (HTML output: compared by nbval, rendered by nbconvert)."""
    from IPython.display import HTML, display

    content = block(ctx, name, area, notebook)
    if content:
        display(HTML(content))


def show_header(ctx: Context, title: str) -> None:
    """Display the title block of an area report."""
    from IPython.display import HTML, display

    display(HTML(header_html(ctx, title)))
