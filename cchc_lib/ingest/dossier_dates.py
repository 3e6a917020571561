"""Reading the date columns of a dossier export: time zones, and the order of day and month.

Vietnamese exports write ``dd/mm/yyyy``; a US-locale export writes ``mm/dd/yyyy``. The order is
decided per column from the values only one order can read (a first number above 12 reads day
first, a second number above 12 month first); a column with no such value takes the order its
file's other columns agree on, else day first. A column holding both kinds contradicts itself: its
values that the two orders read differently are rejected (``date_order_conflict``), never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

# Vietnam local time (Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving time.
VIETNAM = dt.timezone(dt.timedelta(hours=7))
AWARE = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
SLASH_FORMATS = {
    DAY_FIRST: ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"),
    MONTH_FIRST: ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"),
}
OTHER_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "ISO8601")
ZONED_FORMATS = {
    DAY_FIRST: ("%d/%m/%Y %H:%M:%S%z", "%d/%m/%Y %H:%M%z", "ISO8601"),
    MONTH_FIRST: ("%m/%d/%Y %H:%M:%S%z", "%m/%d/%Y %H:%M%z", "ISO8601"),
}


@dataclass
class DateColumn:
    """One column read in one order, with what its values say about the order."""

    values: pd.Series  # naive Vietnam local timestamps (NaT where unreadable)
    order: str
    aware_example: str | None = None  # an aware value, when the column mixes aware and naive ones
    day_first_example: str | None = None  # a value only day-first reads
    month_first_example: str | None = None  # a value only month-first reads
    ambiguous: pd.Series | None = None  # read, but the other order would read another date

    def evidence(self) -> str | None:
        """The order this column's own values prove (None: none, or both)."""
        if self.day_first_example and not self.month_first_example:
            return DAY_FIRST
        if self.month_first_example and not self.day_first_example:
            return MONTH_FIRST
        return None

    def contradicts_itself(self) -> bool:
        """True when some values read only day first and others only month first."""
        return bool(self.day_first_example and self.month_first_example)


def read_dates(series: pd.Series, order: str = DAY_FIRST) -> DateColumn:
    """Read one date column in ``order`` (zoned values converted to Vietnam time, the zone dropped)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return DateColumn(series.dt.tz_convert(VIETNAM).dt.tz_localize(None).astype("datetime64[us]"), order)
    if pd.api.types.is_datetime64_any_dtype(series):
        return DateColumn(series.astype("datetime64[us]"), order)
    text = series.astype("string").str.strip()
    aware = text.str.contains(AWARE, regex=True).fillna(False).astype(bool)
    naive_text = text.where(~aware)
    column = _read_naive(naive_text, order)
    if aware.any():
        local = _read_zoned(text.where(aware), order)
        column.values = column.values.where(~aware, local)
        if (naive_text.notna() & (naive_text != "")).any():
            column.aware_example = str(text[aware].iloc[0])
    return column


def _read_naive(text: pd.Series, order: str) -> DateColumn:
    """Naive text in ``order``; the values only the other order reads, and those it reads otherwise."""
    out, slash = _formats(text, SLASH_FORMATS[order])
    out = out.where(slash, _formats(text.where(~slash), OTHER_FORMATS)[0])
    other = MONTH_FIRST if order == DAY_FIRST else DAY_FIRST
    failed = out.isna() & text.notna() & (text != "")
    other_read, _ = _formats(text.where(failed), SLASH_FORMATS[other]) if failed.any() else (out, failed)
    only_other = failed & other_read.notna()
    # Whatever the order, only the day can exceed 12: a day above 12 proves the order read.
    only_this = slash & (out.dt.day > 12)
    examples = {order: _first(text, only_this), other: _first(text, only_other)}
    return DateColumn(out, order, day_first_example=examples[DAY_FIRST], month_first_example=examples[MONTH_FIRST],
                      ambiguous=(slash & (out.dt.day <= 12) & (out.dt.day != out.dt.month)) | only_other)


def _formats(text: pd.Series, formats: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """Text read by the first of ``formats`` that reads it, and which values one of them read."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = out.isna() & text.notna() & (text != "")
        if not todo.any():
            break
        read = pd.to_datetime(text.where(todo), format=fmt, errors="coerce").astype("datetime64[us]")
        out = out.where(~todo, read)
    return out, out.notna()


def _read_zoned(text: pd.Series, order: str) -> pd.Series:
    local = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in ZONED_FORMATS[order]:
        todo = text.notna() & local.isna()
        if not todo.any():
            break
        zoned = pd.to_datetime(text.where(todo), format=fmt, errors="coerce", utc=True)
        local = local.where(~todo, zoned.dt.tz_convert(VIETNAM).dt.tz_localize(None).astype("datetime64[us]"))
    return local


def _first(text: pd.Series, mask: pd.Series) -> str | None:
    return str(text[mask].iloc[0]) if mask.any() else None


def read_date_columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, DateColumn]:
    """Read the date columns of one export, each in the order its values (or its file) prove."""
    read = {c: read_dates(frame[c]) for c in columns if c in frame.columns}
    proven = {c.evidence() for c in read.values()} - {None}
    default = proven.pop() if len(proven) == 1 else DAY_FIRST
    for name, column in read.items():
        order = column.evidence() or (DAY_FIRST if column.contradicts_itself() else default)
        if order != column.order:
            read[name] = read_dates(frame[name], order)
    return read
