"""One unit and period loaded for its reports: the data, the unit, the params and the aggregate's coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cchc_lib.domain.periods import Period, Window, window
from cchc_lib.domain.units import LEVEL_LABELS, Unit
from cchc_lib.exceptions import DataError
from cchc_lib.ingest.params import ReportParams, load_params
from cchc_lib.reporting.dataset import Dataset
from cchc_lib.reporting.figures import Figure

SYNTHETIC_NOTE = "DỮ LIỆU MẪU (GIẢ LẬP): đơn vị và số liệu trong báo cáo này là hư cấu, dùng để minh họa."


@dataclass
class Context:
    """Everything about one unit and period that the sections need."""

    ds: Dataset
    unit: Unit
    period: Period
    params: ReportParams
    params_issues: list = field(default_factory=list)
    params_file: str = ""

    @cached_property
    def window(self) -> Window:
        """The data window, with the params' override."""
        override = self.params.data_window.model_dump() if self.params.data_window else None
        return window(self.period, override)

    @cached_property
    def values(self) -> dict[str, Figure]:
        """Figures of the period (unit and children)."""
        return self.ds.values(self.unit.unit_id, self.period.code)

    @cached_property
    def last_year(self) -> dict[str, Figure] | None:
        """Same period of the previous year, through the crosswalk; None when not comparable."""
        return self.ds.comparable(self.unit.unit_id, self.period.same_period_last_year().code)

    @cached_property
    def children(self) -> list[Unit]:
        """Children with data in this period."""
        return [c for c in self.ds.registry.children(self.unit.unit_id, self.period.code)
                if self.ds.any_data(c.unit_id, self.period.code)]

    @cached_property
    def coverage(self) -> tuple[list[Unit], list[Unit]] | None:
        """For an aggregate report (no form of its own): the children that reported and those that did not."""
        if self.ds.has_form(self.unit.unit_id, self.period.code):
            return None
        present, missing = self.ds.reporting_children(self.unit.unit_id, self.period.code)
        return (present, missing) if present or missing else None

    @property
    def ly_label(self) -> str:
        """Label of the same period last year."""
        return self.period.same_period_last_year().label

    @property
    def issuer(self) -> str:
        """Who reports: "Ủy ban nhân dân thành phố ...", or a department's own name."""
        return f"Ủy ban nhân dân {self.unit.name_in_text}" if self.unit.level != "department" else self.unit.name

    @property
    def synthetic_note(self) -> str:
        """The sample-data warning for a synthetic unit, "" for a real one."""
        return SYNTHETIC_NOTE if self.unit.synthetic else ""

    def tid(self, name: str) -> str:
        """A fixed table id (no random uuid: reports must be byte-identical)."""
        return f"{self.unit.unit_id}-{self.period.code}-{name}"


def load(unit: str, period: str, processed_dir: str | Path | None = None,
         params_dir: str | Path | None = None) -> Context:
    """Load validated data and the unit's report params for one (unit, period).

    Parameters
    ----------
    unit : unit id (data/raw/units.csv).
    period : period code, e.g. "2024-H1".
    processed_dir : a processed folder ("" or None: the project's data/processed).
    params_dir : a params/reports folder ("" or None: the project's).

    Raises
    ------
    DataError
        When the unit cannot make a report of its own in the period, or its processed rows are invalid.
    """
    ds = Dataset.load(processed_dir or None)
    p = Period.parse(period)
    u = ds.registry.require_valid(unit, p)
    ds.check_unit(unit)
    params, issues, path = load_params(unit, p, params_dir or None, ds.registry)
    reason = ds.not_reportable(unit, p.code, params.aggregate)
    if reason:
        raise DataError(reason)
    return Context(ds, u, p, params, issues, path)


def coverage_label(ctx: Context) -> str:
    """The aggregate's coverage, "tổng hợp số liệu của 3/5 đơn vị cấp xã"; "" for a unit with its own form."""
    if not ctx.coverage:
        return ""
    present, missing = ctx.coverage
    levels = {u.level for u in present + missing}
    noun = f"đơn vị {LEVEL_LABELS[levels.pop()]}" if len(levels) == 1 else "đơn vị trực thuộc"
    return f"tổng hợp số liệu của {len(present)}/{len(present) + len(missing)} {noun}"


def coverage_data(ctx: Context, css_class: str = "window") -> dict | None:
    """The coverage line of an aggregate report and the names of the children that sent nothing (None: no line)."""
    if not ctx.coverage:
        return None
    return {"css_class": css_class, "label": coverage_label(ctx),
            "missing": ", ".join(u.name for u in ctx.coverage[1])}
