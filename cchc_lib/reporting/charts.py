"""Charts as deterministic SVG: bundled fonts only, fixed hash salt, no date metadata, text kept as text.

Every chart is drawn inside :func:`chart_style` (an ``rc_context``), so importing this module changes
no global matplotlib setting; :func:`to_svg` refuses a chart whose text would use a font file other than
the bundled ones (cchc_lib/fonts), and draws a character they have no glyph for as □.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import warnings
from pathlib import Path

import matplotlib.ticker
from matplotlib.figure import Figure
from matplotlib.text import Text

from cchc_lib.domain.fmt import fmt_int, fmt_pct
from cchc_lib.reporting.fonts import FONT_DIR, SANS, FontError, matplotlib_font_file, register_matplotlib

COLORS = {"ok": "#2e7d32", "wait": "#f9a825", "late": "#c62828", "grey": "#9e9e9e",
          "blue": "#1565c0", "light": "#90caf9", "target": "#c62828"}
STYLE = {
    "svg.hashsalt": "cchc",
    "svg.fonttype": "none",
    "font.family": [SANS],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "figure.dpi": 100,
    "text.parse_math": False,  # unit names and labels are literal text: "$" is a character, not mathtext
}


@contextlib.contextmanager
def chart_style():
    """The house chart style and the bundled fonts, for the figures made inside the block."""
    register_matplotlib()
    with matplotlib.rc_context(STYLE):
        yield


def styled(func):
    """Decorator: build the chart inside :func:`chart_style`, from :func:`drawable` text."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with chart_style():
            return func(*map(drawable, args), **{k: drawable(v) for k, v in kwargs.items()})
    return wrapper


def subplots(figsize: tuple[float, float]):
    """A new figure and axes (not registered with pyplot, so nothing leaks between charts)."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def fonts_used(fig) -> set[Path]:
    """The font files the figure's text is drawn with (FontError for any that is not bundled)."""
    return {matplotlib_font_file(t.get_fontproperties()) for t in fig.findobj(Text) if t.get_text()}


MISSING_GLYPH = "□"  # drawn for a character the bundled font has no glyph for (the ingest warns of such names)


@functools.cache
def _glyphs() -> frozenset[int]:
    """The characters every bundled sans-serif face (regular, bold, italic) can draw."""
    from matplotlib.ft2font import FT2Font

    faces = [frozenset(FT2Font(str(p)).get_charmap()) for p in FONT_DIR.glob("LiberationSans-*.ttf")]
    return frozenset.intersection(*faces)


def drawable(value):
    """``value`` with each character no bundled font can draw (an emoji in a unit name) shown as □.

    Applied to every text argument of a chart (strings, lists of strings, mapping keys): one odd name
    never breaks a chart, nor the charts of the units that list it.
    """
    if isinstance(value, str):
        if value.isascii():
            return value
        return "".join(c if ord(c) in _glyphs() or c.isspace() else MISSING_GLYPH for c in value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value):
        return type(value)(drawable(v) for v in value)
    if isinstance(value, dict):
        return {drawable(k): v for k, v in value.items()}
    return value


def to_svg(fig) -> str:
    """Serialise a figure to SVG text without volatile metadata."""
    buf = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "cchc"}, bbox_inches="tight")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        raise FontError(f"Biểu đồ có ký tự không có trong phông {SANS}: {missing[0]}")
    fonts_used(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE for inline HTML
    return re.sub(r"\s+$", "", svg)


def _pct_axis(ax, axis: str = "y") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{fmt_int(v)}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _int_axis(ax, axis: str = "y") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: fmt_int(v))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    target.set_major_formatter(fmt)


@styled
def stacked_outcomes(labels: list[str], segments: dict[str, list[float]], title: str) -> str:
    """Horizontal stacked bars of dossier outcomes per level, labelled in percent."""
    colors = [COLORS["ok"], COLORS["wait"], COLORS["late"], COLORS["grey"]]
    fig, ax = subplots(figsize=(7.2, 0.9 + 0.55 * len(labels)))
    totals = [sum(vals[i] for vals in segments.values()) for i in range(len(labels))]
    left = [0.0] * len(labels)
    for (name, vals), color in zip(segments.items(), colors, strict=False):
        shares = [100 * v / t if t else 0 for v, t in zip(vals, totals, strict=True)]
        bars = ax.barh(labels, shares, left=left, color=color, label=name, height=0.55)
        for bar, share, v in zip(bars, shares, vals, strict=True):
            if share >= 7:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                        f"{fmt_int(v)}\n{fmt_pct(share)}", ha="center", va="center", color="white", fontsize=7)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 100)
    _pct_axis(ax, "x")
    ax.invert_yaxis()
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(segments), frameon=False, fontsize=8)
    return to_svg(fig)


@styled
def rate_trend(periods: list[str], series: dict[str, list[float | None]], targets: dict[str, float],
               title: str) -> str:
    """Lines of rates over periods, with dashed target lines."""
    fig, ax = subplots(figsize=(7.2, 3.0))
    palette = [COLORS["blue"], COLORS["ok"], "#6a1b9a", "#ef6c00"]
    for (name, values), color in zip(series.items(), palette, strict=False):
        xs = [i for i, v in enumerate(values) if v is not None]
        ys = [v for v in values if v is not None]
        ax.plot(xs, ys, marker="o", color=color, label=name)
        if xs:  # label the latest value only: the table carries every figure
            ax.annotate(fmt_pct(ys[-1]), (xs[-1], ys[-1]), textcoords="offset points", xytext=(6, 0), ha="left",
                        va="center", fontsize=7, color=color)
        if name in targets:
            ax.axhline(targets[name], color=color, linestyle="--", linewidth=1)
            ax.text(-0.1, targets[name], f"chỉ tiêu {fmt_pct(targets[name])}", va="bottom",
                    ha="left", fontsize=7, color=color)
    ax.set_xticks(range(len(periods)), periods)
    ax.set_xlim(-0.2, len(periods) - 0.4)
    _pct_axis(ax)
    ax.set_ylim(0, 105)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=8, ncol=1)
    return to_svg(fig)


@styled
def ranked_bars(names: list[str], values: list[float], target: float | None, title: str) -> str:
    """Children ranked by a rate, below-target bars in red, with the target line."""
    order = sorted(range(len(names)), key=lambda i: (-values[i], names[i]))
    names = [names[i] for i in order]
    values = [values[i] for i in order]
    fig, ax = subplots(figsize=(7.2, 0.8 + 0.3 * len(names)))
    colors = [COLORS["late"] if target is not None and v < target else COLORS["blue"] for v in values]
    bars = ax.barh(names, values, color=colors, height=0.6)
    for bar, v in zip(bars, values, strict=True):
        ax.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2, fmt_pct(v), va="center", fontsize=7)
    if target is not None:
        ax.axvline(target, color=COLORS["target"], linestyle="--", linewidth=1)
        ax.text(target, -0.9, f"chỉ tiêu {fmt_pct(target)}", ha="center", fontsize=7, color=COLORS["target"])
    lo = min(values + ([target] if target is not None else []))
    ax.set_xlim(max(0, lo - 10), 104)
    _pct_axis(ax, "x")
    ax.invert_yaxis()
    ax.set_title(title)
    return to_svg(fig)


@styled
def rates_vs_targets(labels: list[str], values: list[float], targets: list[float | None], title: str) -> str:
    """Horizontal bars of several rates with a marker at each target."""
    fig, ax = subplots(figsize=(7.2, 0.9 + 0.5 * len(labels)))
    colors = [COLORS["late"] if t is not None and v < t else COLORS["ok"] for v, t in zip(values, targets, strict=True)]
    bars = ax.barh(labels, values, color=colors, height=0.55)
    for i, (bar, v, t) in enumerate(zip(bars, values, targets, strict=True)):
        ax.text(min(v, 100) + 1, bar.get_y() + bar.get_height() / 2, fmt_pct(v), va="center", fontsize=7)
        if t is not None:
            ax.plot([t, t], [i - 0.35, i + 0.35], color="black", linewidth=2)
    ax.plot([], [], color="black", linewidth=2, label="Chỉ tiêu")
    ax.set_xlim(0, 110)
    _pct_axis(ax, "x")
    ax.invert_yaxis()
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.set_title(title)
    return to_svg(fig)


@styled
def actual_vs_plan(labels: list[str], actual: list[float], plan: list[float], title: str,
                   actual_label: str = "Thực hiện", plan_label: str = "Kế hoạch / được giao",
                   unit: str = "") -> str:
    """Grouped bars: actual against plan, with the percentage above each pair."""
    fig, ax = subplots(figsize=(7.2, 3.0))
    xs = range(len(labels))
    ax.bar([x - 0.2 for x in xs], plan, width=0.4, color=COLORS["light"], label=plan_label)
    ax.bar([x + 0.2 for x in xs], actual, width=0.4, color=COLORS["blue"], label=actual_label)
    for x, a, p in zip(xs, actual, plan, strict=True):
        if p:
            ax.text(x, max(a, p) * 1.02, fmt_pct(100 * a / p), ha="center", fontsize=8)
    ax.set_xticks(list(xs), labels)
    _int_axis(ax)
    ax.set_ylabel(unit)
    ax.set_ylim(0, max(max(actual), max(plan)) * 1.18 if plan else 1)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    ax.set_title(title)
    return to_svg(fig)


@styled
def task_status(labels: list[str], segments: dict[str, list[float]], title: str) -> str:
    """Stacked horizontal bars of task counts by status."""
    colors = [COLORS["ok"], COLORS["wait"], COLORS["late"], COLORS["grey"]]
    fig, ax = subplots(figsize=(7.2, 0.9 + 0.55 * len(labels)))
    left = [0.0] * len(labels)
    for (name, vals), color in zip(segments.items(), colors, strict=False):
        bars = ax.barh(labels, vals, left=left, color=color, label=name, height=0.55)
        for bar, v in zip(bars, vals, strict=True):
            if v:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, fmt_int(v),
                        ha="center", va="center", color="white", fontsize=8)
        left = [a + b for a, b in zip(left, vals, strict=True)]
    _int_axis(ax, "x")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(segments), frameon=False, fontsize=8)
    ax.set_title(title)
    return to_svg(fig)


@styled
def counts_compare(labels: list[str], now: list[float], before: list[float | None], title: str,
                   now_label: str, before_label: str) -> str:
    """Counts this period against the same period last year."""
    fig, ax = subplots(figsize=(7.2, 0.9 + 0.5 * len(labels)))
    ys = range(len(labels))
    ax.barh([y + 0.2 for y in ys], [b or 0 for b in before], height=0.4, color=COLORS["light"], label=before_label)
    ax.barh([y - 0.2 for y in ys], now, height=0.4, color=COLORS["blue"], label=now_label)
    for y, v in zip(ys, now, strict=True):
        ax.text(v, y - 0.2, f" {fmt_int(v)}", va="center", fontsize=7)
    ax.set_yticks(list(ys), labels)
    _int_axis(ax, "x")
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(title)
    return to_svg(fig)
