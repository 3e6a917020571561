"""A figure and a target, and how each reads in a report's tables (value text, one status word)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cchc_lib.domain.catalog import Indicator
from cchc_lib.domain.fmt import fmt_int, fmt_pct, fmt_value
from cchc_lib.domain.periods import Period


@dataclass(frozen=True)
class Figure:
    """One value with where it came from."""

    value: float | None
    source: str = ""  # form, records, total, children, derived, computed
    children_with_data: int = 0
    children: int = 0

    @property
    def missing(self) -> bool:
        """True when there is no value."""
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))


MISSING = Figure(None)


@dataclass(frozen=True)
class Target:
    """A target for one indicator."""

    code: str
    threshold: float
    direction: str
    source: str
    periods: tuple[str, ...] = ()

    def applies(self, period: Period) -> bool:
        """True when the target applies to ``period``'s kind."""
        return not self.periods or period.kind in self.periods

    def met(self, value: float) -> bool:
        """True when ``value`` reaches the target."""
        return value >= self.threshold - 1e-9 if self.direction == ">=" else value <= self.threshold + 1e-9

    @property
    def label(self) -> str:
        """Vietnamese label, e.g. "≥ 97,00%"."""
        sign = "≥" if self.direction == ">=" else "≤"
        return f"{sign} {fmt_pct(self.threshold)}"


def status_of(ind: Indicator, value: Figure, baseline: Figure | None, target: Target | None) -> str:
    """One status word for the key-figures table.

    >>> from cchc_lib.domain.catalog import load_catalog
    >>> ind = load_catalog()["TTHC_TYLE_DUNGHAN"]
    >>> status_of(ind, Figure(99.0), Figure(98.0), Target("x", 95, ">=", ""))
    'Đạt'
    >>> status_of(ind, Figure(90.0), Figure(92.0), Target("x", 95, ">=", ""))
    'Chưa đạt; giảm so với cùng kỳ'
    """
    if value.missing:
        return "Chưa có số liệu"
    parts = []
    if target is not None:
        parts.append("Đạt" if target.met(value.value) else "Chưa đạt")
    if baseline is None or baseline.missing:
        parts.append("Không có kỳ so sánh" if not parts else "không có kỳ so sánh")
    elif ind.higher is not None:
        worse = value.value < baseline.value - 1e-9 if ind.higher else value.value > baseline.value + 1e-9
        if worse:
            parts.append("giảm so với cùng kỳ" if parts else "Giảm so với cùng kỳ")
    return "; ".join(parts) if parts else "—"


def display_value(ind: Indicator, fig: Figure | None, values: dict[str, Figure] | None = None) -> str:
    """Format a figure for tables ("22.296 hồ sơ", "99,16%", "chưa có số liệu").

    A rate marked ``counts`` (a coverage) is shown with its counts when ``values`` holds them:
    "100,00% (19/19)".
    """
    if fig is None or fig.missing:
        return "chưa có số liệu"
    text = fmt_value(fig.value, ind.unit)
    if ind.counts and values is not None and ind.den in values and all(n in values for n in ind.num):
        num = sum(values[n].value for n in ind.num)
        text += f" ({fmt_int(num)}/{fmt_int(values[ind.den].value)})"
    return text
