"""The dataset API: figures for a unit and period (aggregation, derived totals, rates, comparisons, targets).

Aggregation runs over children; comparisons with earlier periods go through the merger
crosswalk.

Rates are always computed from their counts, never read: sums of numerators over sums
of denominators, never averages of rates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from cchc_lib.config import TARGETS_YAML, processed_paths
from cchc_lib.domain.catalog import Catalog, Indicator, load_catalog, with_extension
from cchc_lib.domain.fmt import rate_value
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry, Unit
from cchc_lib.reporting.figures import MISSING, Figure, Target


def load_targets(path: Path | str = TARGETS_YAML) -> dict[str, Target]:
    """Load params/targets.yaml (a missing file means no targets).

    Raises TargetsError, naming file, line, key and rule, on any error ``cchc validate`` reports for the
    file (unreadable YAML, a key given twice, an unknown code, a threshold that is not a number...):
    a target is never silently dropped or misread.
    """
    from cchc_lib.exceptions import TargetsError
    from cchc_lib.ingest.targets import check_targets

    path = Path(path)
    if not path.exists():
        return {}
    data, issues = check_targets(path)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        raise TargetsError(f"Không dùng được tệp chỉ tiêu: {errors[0]}{more}. "
                           f"Sửa rồi chạy `cchc validate {path}` để xem mọi lỗi.")
    return {
        code: Target(code, float(t["threshold"]), t.get("direction", ">="), t.get("source", ""),
                     tuple(t.get("periods", []) or []))
        for code, t in data.items()
    }


@dataclass
class Dataset:
    """The validated tables and everything needed to compute figures."""

    registry: Registry
    indicators: pd.DataFrame
    dossier_stats: pd.DataFrame
    issues: list[dict]
    targets: dict[str, Target]
    catalog: Catalog
    hashes: dict[str, str] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, processed_dir: Path | str | None = None, targets_path: Path | str | None = None) -> Dataset:
        """Load data/processed/ (or another processed folder)."""
        paths = processed_paths(Path(processed_dir) if processed_dir else None)
        units = pd.read_parquet(paths["units"])
        issues_path = paths["issues"]
        issues = json.loads(issues_path.read_text("utf-8"))["issues"] if issues_path.exists() else []
        hashes_path = paths["units"].parent / "input_hashes.json"
        hashes = json.loads(hashes_path.read_text("utf-8")) if hashes_path.exists() else {}
        extension = paths["unit_catalog"]
        catalog = with_extension(load_catalog(), yaml.safe_load(extension.read_text("utf-8"))
                                 if extension.exists() else None)
        return cls(
            registry=Registry(units),
            indicators=pd.read_parquet(paths["indicators"]),
            dossier_stats=pd.read_parquet(paths["dossier_stats"]),
            issues=issues,
            targets=load_targets(targets_path or TARGETS_YAML),
            catalog=catalog,
            hashes=hashes,
        )

    @cached_property
    def _by_key(self) -> dict[tuple[str, str, str], dict[str, float]]:
        out: dict[tuple[str, str, str], dict[str, float]] = {}
        frame = self.indicators
        for (unit, period, scope), group in frame.groupby(["unit_id", "period", "scope"], sort=False):
            out[(unit, period, scope)] = dict(zip(group["code"], group["value"].astype(float), strict=True))
        return out

    def check_unit(self, unit_id: str) -> None:
        """Validate the processed rows a unit's report reads; raise DataError naming what is wrong.

        Nothing unvalidated reaches a chart: a processed table edited or corrupted after ingest
        fails here, for this unit only.
        """
        import pandera.pandas as pa

        from cchc_lib.exceptions import DataError
        from cchc_lib.ingest.schemas import failure_cases, indicators_schema

        related = {unit_id} | {u.unit_id for u in self.registry.units.values() if u.parent_id == unit_id}
        rows = self.indicators[self.indicators["unit_id"].isin(related)]
        try:
            indicators_schema(self.catalog).validate(rows, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = failure_cases(exc).head(5)
            detail = "; ".join(
                f"{rows.loc[c.index, 'unit_id'] if c.index in rows.index else '?'} "
                f"{rows.loc[c.index, 'period'] if c.index in rows.index else ''} "
                f"{rows.loc[c.index, 'code'] if c.index in rows.index else ''}: cột {c.column}, "
                f"giá trị {c.failure_case!r}, quy tắc {c.check}"
                for c in cases.itertuples())
            raise DataError(f"Số liệu đã xử lý của {unit_id} không hợp lệ (data/processed/indicators.parquet): "
                            f"{detail}. Chạy lại `cchc ingest`.") from None

    def _has_data(self, unit_id: str, period: str) -> bool:
        """True when the unit has any own or total figure in ``period``."""
        return (unit_id, period, "own") in self._by_key or (unit_id, period, "total") in self._by_key

    def has_form(self, unit_id: str, period: str) -> bool:
        """True when the unit sent a form of its own for ``period``."""
        return (unit_id, period) in self._form_keys

    @cached_property
    def _form_keys(self) -> set[tuple[str, str]]:
        forms = self.indicators[self.indicators["source"] == "form"]
        return set(zip(forms["unit_id"], forms["period"], strict=True))

    def reporting_children(self, unit_id: str, period: str) -> tuple[list[Unit], list[Unit]]:
        """The children of a unit in ``period`` with data in their tree, and those without (groups count)."""
        kids = self.registry.children(unit_id, period) if unit_id in self.registry else []
        present = [c for c in kids if self.any_data(c.unit_id, period)]
        return present, [c for c in kids if c not in present]

    def not_reportable(self, unit_id: str, period: str, aggregate: bool = False) -> str | None:
        """Why the unit cannot make a report of its own in ``period`` (None when it can).

        A unit reports on a form of its own, or, having no children, on one-stop-shop records; a parent
        without a form reports only as an aggregate its params ask for (``aggregate: true``). A group
        row ("các xã thuộc huyện") never reports: its figures belong to its parent's report.
        """
        unit = self.registry[unit_id]
        if unit.group:
            return (f"{unit.name} ({unit_id}) là nhóm đơn vị, số liệu thuộc báo cáo của "
                    f"{unit.parent_id}; không lập báo cáo riêng.")
        has_children = bool(self.registry.children(unit_id, period))
        if self.has_form(unit_id, period) or (not has_children and self._has_data(unit_id, period)):
            return None
        if has_children and aggregate and self.any_data(unit_id, period):
            return None
        if has_children and self.any_data(unit_id, period):
            return (f"{unit.name} ({unit_id}) không có biểu mẫu kỳ {period}. Để lập báo cáo tổng hợp từ các "
                    f"đơn vị trực thuộc, ghi `aggregate: true` trong params/reports/{period}/{unit_id}.yaml.")
        return f"{unit.name} ({unit_id}) không có số liệu kỳ {period}."

    def periods(self) -> list[str]:
        """Every period with data, in order."""
        from cchc_lib.domain.periods import sort_periods

        return sort_periods(sorted(self.indicators["period"].unique()))

    # ------------------------------------------------------------------ aggregation

    def values(self, unit_id: str, period: str) -> dict[str, Figure]:
        """All input figures of a unit (own + children, or stated totals) and its rates."""
        key = ("values", unit_id, period)
        if key in self._cache:
            return self._cache[key]
        own = self._by_key.get((unit_id, period, "own"), {})
        total = self._by_key.get((unit_id, period, "total"), {})
        sources = self._sources(unit_id, period)
        children = self.registry.children(unit_id, period) if unit_id in self.registry else []
        child_values = [self.values(c.unit_id, period) for c in children]
        out: dict[str, Figure] = {}
        for ind in self.catalog.inputs:
            code = ind.code
            if code in total:
                out[code] = Figure(total[code], "total")
                continue
            own_v = own.get(code)
            if ind.agg == "none" or not children:
                if own_v is not None:
                    out[code] = Figure(own_v, sources.get(code, "form"))
                continue
            kids = [cv[code].value for cv in child_values if code in cv and not cv[code].missing]
            if own_v is None and not kids:
                continue
            value = (own_v or 0.0) + sum(kids)
            src = "children" if kids else sources.get(code, "form")
            out[code] = Figure(value, src, len(kids), len(children))
        self._derive(out)
        for rate in self.catalog.rates:
            out[rate.code] = self._rate(rate, out)
        self._cache[key] = out
        return out

    def own_values(self, unit_id: str, period: str) -> dict[str, Figure]:
        """Figures the unit stated for itself (scope "own", no children, no rates), totals derived as in values."""
        out = {code: Figure(v) for code, v in self._by_key.get((unit_id, period, "own"), {}).items()}
        self._derive(out)
        return out

    def levels(self, unit_id: str, period: str) -> list[tuple[str, dict[str, Figure]]]:
        """The unit's own figures, then its children's summed by level, each with its rates: (level, figures).

        The level of the own figures is the unit's; a rate is computed on each level's own counts, so that a
        target is judged on the level it applies to (the territory's figures are :meth:`values`).
        """
        groups = [(self.registry[unit_id].level if unit_id in self.registry else "", self.own_values(unit_id, period))]
        by_level: dict[str, dict[str, Figure]] = {}
        for child in self.registry.children(unit_id, period) if unit_id in self.registry else []:
            bucket = by_level.setdefault(child.level, {})
            for code, fig in self.values(child.unit_id, period).items():
                if not fig.missing and not self.catalog[code].is_rate:
                    bucket[code] = Figure(bucket[code].value + fig.value if code in bucket else fig.value)
        groups += list(by_level.items())
        for _, figures in groups:
            for rate in self.catalog.rates:
                figures.setdefault(rate.code, self._rate(rate, figures))
        return groups

    def _sources(self, unit_id: str, period: str) -> dict[str, str]:
        rows = self.indicators[(self.indicators["unit_id"] == unit_id) & (self.indicators["period"] == period)]
        return dict(zip(rows["code"], rows["source"], strict=True))

    def _derive(self, out: dict[str, Figure]) -> None:
        """Fill a missing total from a complete breakdown ("trong đó" parts)."""
        for _ in range(3):
            changed = False
            for total, parts in self.catalog.breakdowns():
                if total in out or not all(p in out for p in parts):
                    continue
                out[total] = Figure(sum(out[p].value for p in parts), "derived")
                changed = True
            if not changed:
                break

    def _rate(self, rate: Indicator, values: dict[str, Figure]) -> Figure:
        if any(n not in values for n in rate.num) or rate.den not in values:
            return MISSING
        num = sum(values[n].value for n in rate.num)
        return Figure(rate_value(num, values[rate.den].value), "computed")

    def comparable(self, unit_id: str, period: str) -> dict[str, Figure] | None:
        """Figures of ``unit_id`` in an earlier ``period``, summing predecessors after a merger."""
        if unit_id not in self.registry:
            return None
        units = self.registry.crosswalk(unit_id, period)
        if not units:
            return None
        if units == [unit_id]:
            vals = self.values(unit_id, period)
            return vals if self.any_data(unit_id, period) else None
        present = [u for u in units if self.any_data(u, period)]
        if not present:
            return None
        out: dict[str, Figure] = {}
        for ind in self.catalog.inputs:
            parts = [self.values(u, period).get(ind.code) for u in present]
            parts = [p.value for p in parts if p is not None and not p.missing]
            if parts:
                out[ind.code] = Figure(sum(parts), "crosswalk")
        for rate in self.catalog.rates:
            out[rate.code] = self._rate(rate, out)
        return out

    def any_data(self, unit_id: str, period: str) -> bool:
        """True when the unit or any unit below it has a figure in ``period``."""
        if self._has_data(unit_id, period):
            return True
        return any(self.any_data(c.unit_id, period) for c in self.registry.children(unit_id, period))

    def target(self, code: str, period: Period) -> Target | None:
        """The target of ``code`` that applies in ``period``, if any."""
        t = self.targets.get(code)
        return t if t and t.applies(period) else None
