"""The unit registry: hierarchy, validity dates, successors and crosswalks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from cchc_lib.domain.fmt import name_key, nfc
from cchc_lib.domain.periods import Period
from cchc_lib.exceptions import UnitError

UNIT_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVELS = ("province", "department", "district", "commune")
LEVEL_LABELS = {
    "province": "cấp tỉnh",
    "department": "sở, ban, ngành",
    "district": "cấp huyện",
    "commune": "cấp xã",
}


def check_unit_id(unit_id: str) -> str:
    """Return ``unit_id`` if it is a safe ASCII slug, else raise UnitError.

    >>> check_unit_id("xa-mau-01")
    'xa-mau-01'
    """
    text = str(unit_id)
    if not UNIT_ID_RE.match(text):
        raise UnitError(
            f"Mã đơn vị không hợp lệ: {text!r}. Mã đơn vị chỉ gồm chữ thường không dấu, "
            "chữ số và dấu gạch ngang (ví dụ: xa-mau-01), vì được dùng làm tên thư mục."
        )
    return text


@dataclass(frozen=True)
class Unit:
    """One administrative unit as registered in units.csv."""

    unit_id: str
    name: str
    level: str
    parent_id: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: str | None
    issuing_body: str
    parent_body: str
    place: str
    doc_code: str
    synthetic: bool
    group: bool = False  # stands for a group of units reported together ("các xã thuộc huyện"): never a report

    def valid_on(self, day: dt.date) -> bool:
        """Return True when the unit exists on ``day``."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def valid_in(self, period: Period | str) -> bool:
        """Return True when the unit exists at the end of ``period``'s window."""
        p = Period.parse(period) if isinstance(period, str) else period
        return self.valid_on(p.end)

    @property
    def name_in_text(self) -> str:
        """Name as it reads inside a sentence ("thành phố Biên Hòa")."""
        return self.name[:1].lower() + self.name[1:]


def parent_cycles(parents: dict[str, str | None]) -> list[list[str]]:
    """Return every parent cycle (a unit its own parent, or units each other's ancestors), each once.

    Parameters
    ----------
    parents : dict
        Unit id -> its parent id (None or an unknown id ends a chain).

    Returns
    -------
    list of list of str
        Each cycle's units in parent order, starting from the smallest id; cycles sorted.

    >>> parent_cycles({"a": "b", "b": "a", "c": "a", "d": "d", "e": None})
    [['a', 'b'], ['d']]
    """
    state: dict[str, int] = {}  # 1 = on the chain being followed, 2 = done
    cycles = []
    for start in parents:
        chain: list[str] = []
        current: str | None = start
        while current in parents and current not in state:
            state[current] = 1
            chain.append(current)
            current = parents[current]
        if current in parents and state.get(current) == 1:
            loop = chain[chain.index(current):]
            first = loop.index(min(loop))
            cycles.append(loop[first:] + loop[:first])
        for unit in chain:
            state[unit] = 2
    return sorted(cycles)


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    return pd.Timestamp(text).date()


def _opt(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = nfc(str(value))
    return text or None


class Registry:
    """Lookups over the validated units table."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)
        self.units: dict[str, Unit] = {}
        for row in self.frame.to_dict("records"):
            unit = Unit(
                unit_id=row["unit_id"],
                name=nfc(row["name"]),
                level=row["level"],
                parent_id=_opt(row.get("parent_id")),
                valid_from=_date(row.get("valid_from")),
                valid_to=_date(row.get("valid_to")),
                successor_id=_opt(row.get("successor_id")),
                issuing_body=_opt(row.get("issuing_body")) or "",
                parent_body=_opt(row.get("parent_body")) or "",
                place=_opt(row.get("place")) or "",
                doc_code=_opt(row.get("doc_code")) or "UBND",
                synthetic=bool(row.get("synthetic", False)),
                group=bool(row.get("group", False)),
            )
            self.units[unit.unit_id] = unit
        cycles = parent_cycles({u.unit_id: u.parent_id for u in self.units.values()})
        if cycles:
            shown = "; ".join(" → ".join([*c, c[0]]) for c in cycles)
            raise UnitError(f"Danh mục đơn vị có vòng lặp cấp trên (parent_id): {shown}. Sửa parent_id "
                            "trong data/raw/units.csv để mỗi đơn vị có cấp trên là một đơn vị khác, không vòng lại.")

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def __getitem__(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise UnitError(
                f"Đơn vị {unit_id!r} không có trong danh mục đơn vị (data/raw/units.csv)."
            ) from None

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for unit in self.units.values():
            out.setdefault(name_key(unit.name), []).append(unit.unit_id)
        return out

    def find(self, id_or_name: str, on: dt.date | None = None) -> str | None:
        """Return the unit id for an id or a Vietnamese name, however typed."""
        text = str(id_or_name).strip()
        if text in self.units:
            return text
        candidates = self._by_name.get(name_key(text), [])
        if on is not None:
            alive = [c for c in candidates if self.units[c].valid_on(on)]
            candidates = alive or candidates
        return candidates[0] if len(candidates) == 1 else None

    def require_valid(self, unit_id: str, period: Period | str) -> Unit:
        """Return the unit, or raise UnitError if unknown or not valid in ``period``."""
        unit = self[unit_id]
        p = Period.parse(period) if isinstance(period, str) else period
        if not unit.valid_in(p):
            succ = f"; đơn vị kế thừa: {unit.successor_id}" if unit.successor_id else ""
            raise UnitError(
                f"Đơn vị {unit_id} ({unit.name}) không còn hoặc chưa tồn tại vào ngày "
                f"{p.end:%d/%m/%Y} (hiệu lực {_span(unit)}){succ}."
            )
        return unit

    def children(self, unit_id: str, period: Period | str) -> list[Unit]:
        """Return the direct children of ``unit_id`` valid in ``period``, by name."""
        p = Period.parse(period) if isinstance(period, str) else period
        kids = [
            u for u in self.units.values() if u.parent_id == unit_id and u.valid_in(p)
        ]
        return sorted(kids, key=lambda u: (LEVELS.index(u.level), u.unit_id))

    def ancestors(self, unit_id: str) -> list[Unit]:
        """Return the chain of parents, nearest first."""
        out = []
        current = self[unit_id].parent_id
        while current and current in self.units and len(out) < 10:
            out.append(self.units[current])
            current = self.units[current].parent_id
        return out

    def successor_on(self, unit_id: str, day: dt.date) -> str:
        """Follow successors until a unit valid on ``day`` (or the last one)."""
        current = unit_id
        for _ in range(10):
            unit = self.units.get(current)
            if unit is None or unit.valid_on(day) or not unit.successor_id:
                return current
            current = unit.successor_id
        return current

    def predecessors(self, unit_id: str) -> list[str]:
        """Return the units whose successor is ``unit_id`` (one step)."""
        return sorted(u.unit_id for u in self.units.values() if u.successor_id == unit_id)

    def crosswalk(self, unit_id: str, period: Period | str) -> list[str] | None:
        """Units whose figures stand for ``unit_id`` in an earlier ``period``.

        The unit itself when it existed then; else its predecessors valid then
        (their numerators and denominators are summed); None when there is no
        comparable baseline.
        """
        p = Period.parse(period) if isinstance(period, str) else period
        unit = self[unit_id]
        if unit.valid_in(p):
            return [unit_id]
        found: list[str] = []
        frontier = self.predecessors(unit_id)
        for _ in range(5):
            nxt = []
            for pred in frontier:
                if self.units[pred].valid_in(p):
                    found.append(pred)
                else:
                    nxt.extend(self.predecessors(pred))
            frontier = nxt
        return sorted(set(found)) or None


def _span(unit: Unit) -> str:
    start = unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "…"
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "nay"
    return f"{start} – {end}"
