"""The indicator catalog: loading, integrity checks and lookups."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from cchc_lib.config import CATALOG_YAML
from cchc_lib.exceptions import CatalogError

KINDS = {"count", "amount", "rate"}


@dataclass(frozen=True)
class Area:
    """A reform area: code, Vietnamese label, form sheet, notebook, and the breakdown by child unit."""

    code: str
    label: str
    short: str
    sheet: str
    notebook: str
    children: tuple[str, ...] = ()  # figures of the table by child unit; its first rate ranks the units


@dataclass(frozen=True)
class Indicator:
    """One catalog indicator."""

    code: str
    area: str
    label: str
    unit: str
    kind: str
    parts: tuple[tuple[str, ...], ...] = ()
    within: str | None = None
    num: tuple[str, ...] = ()
    den: str | None = None
    higher: bool | None = None
    agg: str = "sum"
    note: str = ""
    owner: str | None = None  # the unit that declared it (params/catalog/<unit>.yaml); None: the package's
    section: str = ""  # the section of the owner's report it belongs to ("I.1.1")
    counts: bool = False  # a rate shown with its counts: "100,00% (19/19)"

    @property
    def is_rate(self) -> bool:
        """Return True for computed rates."""
        return self.kind == "rate"

    @property
    def integer(self) -> bool:
        """Return True when values must be whole numbers."""
        return self.kind == "count"


@dataclass(frozen=True)
class Catalog:
    """All areas and indicators, in catalog order."""

    areas: tuple[Area, ...]
    indicators: dict[str, Indicator] = field(hash=False)

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    def __contains__(self, code: object) -> bool:
        return code in self.indicators

    def area(self, code: str) -> Area:
        """Return the area with ``code``."""
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)

    def area_by_sheet(self, sheet: str) -> Area | None:
        """Return the area whose form sheet is ``sheet`` (case-insensitive)."""
        for area in self.areas:
            if area.sheet.lower() == str(sheet).strip().lower():
                return area
        return None

    def in_area(self, area: str, *, rates: bool | None = None) -> list[Indicator]:
        """Return the indicators of ``area``; ``rates`` filters computed rates."""
        out = [i for i in self.indicators.values() if i.area == area]
        if rates is not None:
            out = [i for i in out if i.is_rate == rates]
        return out

    @property
    def inputs(self) -> list[Indicator]:
        """Indicators that are typed or derived from records (not rates)."""
        return [i for i in self.indicators.values() if not i.is_rate]

    @property
    def rates(self) -> list[Indicator]:
        """Computed rate indicators."""
        return [i for i in self.indicators.values() if i.is_rate]

    def breakdowns(self) -> list[tuple[str, tuple[str, ...]]]:
        """Return every (total, parts) rule of the catalog."""
        return [(i.code, p) for i in self.indicators.values() for p in i.parts]

    def subsets(self) -> list[tuple[str, str]]:
        """Return every (part, whole) pair: breakdown parts and ``within`` links."""
        pairs = [(i.code, i.within) for i in self.indicators.values() if i.within]
        for total, parts in self.breakdowns():
            pairs.extend((p, total) for p in parts)
        return sorted(set(pairs))

    def extended(self, indicators: list[Indicator],
                 breakdowns: list[tuple[str, tuple[str, ...]]] = ()) -> Catalog:
        """A catalog with ``indicators`` added (unit-defined) and ``breakdowns`` (total, parts) added to totals.

        Raises CatalogError when the result is not sound (a code given twice, an unknown reference, a loop).
        """
        merged = dict(self.indicators)
        for ind in indicators:
            if ind.code in merged:
                raise CatalogError(f"duplicate indicator code {ind.code}")
            merged[ind.code] = ind
        for total, parts in breakdowns:
            if total not in merged:
                raise CatalogError(f"breakdown of unknown code {total}")
            merged[total] = replace(merged[total], parts=merged[total].parts + (tuple(parts),))
        out = Catalog(self.areas, merged)
        problems = check_catalog(out)
        if problems:
            raise CatalogError("; ".join(problems))
        return out

    def visible_to(self, owners: set[str]) -> Catalog:
        """The package indicators and those declared by ``owners`` (a unit and its ancestors), with their rules."""
        keep = {c: i for c, i in self.indicators.items() if not i.owner or i.owner in owners}
        keep = {c: replace(i, parts=tuple(p for p in i.parts if all(x in keep for x in p))) for c, i in keep.items()}
        return Catalog(self.areas, keep)

    def unit_defined(self) -> list[Indicator]:
        """Indicators a unit declared (params/catalog/), in declaration order."""
        return [i for i in self.indicators.values() if i.owner]

    def to_frame(self) -> pd.DataFrame:
        """Return the catalog as a table (for the appendix and the templates)."""
        rows = []
        for order, ind in enumerate(self.indicators.values()):
            rows.append(
                {
                    "order": order,
                    "code": ind.code,
                    "area": ind.area,
                    "label": ind.label,
                    "unit": ind.unit,
                    "kind": ind.kind,
                    "agg": ind.agg,
                }
            )
        return pd.DataFrame(rows)


def _tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


FIELDS = ("code", "area", "label", "unit", "kind", "parts", "within", "num", "den", "higher", "agg", "note",
          "section", "counts")


def indicator_from(raw: dict, owner: str | None = None) -> Indicator:
    """Build one indicator from its YAML mapping (fields: :data:`FIELDS`)."""
    return Indicator(
        code=raw["code"],
        area=raw["area"],
        label=raw["label"],
        unit=raw["unit"],
        kind=raw["kind"],
        parts=tuple(_tuple(p) for p in raw.get("parts", []) or []),
        within=raw.get("within"),
        num=_tuple(raw.get("num")),
        den=raw.get("den"),
        higher=raw.get("higher"),
        agg=raw.get("agg", "none" if raw["kind"] == "rate" else "sum"),
        note=raw.get("note", "") or "",
        owner=owner,
        section=str(raw.get("section", "") or ""),
        counts=bool(raw.get("counts", False)),
    )


def parse_catalog(data: dict, source: str = "catalog") -> Catalog:
    """Build and check a catalog from its YAML mapping."""
    areas = tuple(Area(**(a | {"children": _tuple(a.get("children"))})) for a in data.get("areas", []))
    area_codes = {a.code for a in areas}
    indicators: dict[str, Indicator] = {}
    for raw in data.get("indicators", []):
        code = raw.get("code")
        if not code:
            raise CatalogError(f"{source}: an indicator has no code: {raw!r}")
        if code in indicators:
            raise CatalogError(f"{source}: duplicate indicator code {code}")
        ind = indicator_from(raw)
        indicators[code] = ind
    catalog = Catalog(areas, indicators)
    problems = check_catalog(catalog, area_codes)
    if problems:
        raise CatalogError(f"{source}: " + "; ".join(problems))
    return catalog


def check_catalog(catalog: Catalog, area_codes: set[str] | None = None) -> list[str]:
    """Return every integrity problem of ``catalog`` (empty when sound)."""
    area_codes = area_codes or {a.code for a in catalog.areas}
    problems: list[str] = []
    for ind in catalog.indicators.values():
        if ind.area not in area_codes:
            problems.append(f"{ind.code}: unknown area {ind.area}")
        if ind.kind not in KINDS:
            problems.append(f"{ind.code}: unknown kind {ind.kind}")
        refs = [c for p in ind.parts for c in p] + list(ind.num)
        refs += [r for r in (ind.within, ind.den) if r]
        for ref in refs:
            if ref not in catalog.indicators:
                problems.append(f"{ind.code}: refers to unknown code {ref}")
            elif catalog.indicators[ref].is_rate:
                problems.append(f"{ind.code}: refers to rate {ref}")
        if ind.is_rate and (not ind.num or not ind.den):
            problems.append(f"{ind.code}: a rate needs num and den")
        if not ind.is_rate and (ind.num or ind.den):
            problems.append(f"{ind.code}: only rates have num/den")
        if ind.is_rate and ind.unit != "%":
            problems.append(f"{ind.code}: a rate is measured in %")
    for area in catalog.areas:
        for code in area.children:
            if catalog.indicators.get(code) is None or catalog.indicators[code].area != area.code:
                problems.append(f"area {area.code}: children column {code} is not an indicator of the area")
    # parts must not loop back onto their total
    graph = {i.code: {c for p in i.parts for c in p} for i in catalog.indicators.values()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    for code in graph:
        if reaches(code, code, set()):
            problems.append(f"{code}: its parts contain itself")
    return problems


def with_extension(base: Catalog, data: dict | None) -> Catalog:
    """``base`` extended with a processed extension (data/processed/unit_catalog.yaml, written by the ingest)."""
    if not data:
        return base
    indicators = [indicator_from(raw, owner=raw["owner"]) for raw in data.get("indicators") or []]
    return base.extended(indicators, [(b["total"], tuple(b["parts"])) for b in data.get("breakdowns") or []])


@functools.cache
def load_catalog(path: Path | str = CATALOG_YAML) -> Catalog:
    """Load the catalog YAML (cached)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return parse_catalog(data, source=str(path))
