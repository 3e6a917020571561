"""The rules of dossier rows: ids, units, dates, channel and yes/no columns, each row's first broken rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from cchc_lib.domain.fmt import name_key, nfc
from cchc_lib.domain.number_text import EXACT_INTEGER_LIMIT
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.dossier_dates import MONTH_FIRST, read_date_columns

CHANNEL_WORDS = {
    "direct": ["direct", "trực tiếp", "tại quầy", "1"],
    "online": ["online", "trực tuyến", "qua mạng", "dvc trực tuyến", "2"],
    "postal": ["postal", "bưu chính", "bưu chính công ích", "bcci", "3"],
}
_CHANNEL_KEYS = {name_key(w): c for c, words in CHANNEL_WORDS.items() for w in words}
_TRUE = {"1", "true", "có", "co", "x", "yes", "đã số hóa", "y"}
_FALSE = {"0", "false", "không", "khong", "", "no", "n", "nan", "none", "<na>"}
_SCIENTIFIC = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"
DATE_COLUMNS = ("received", "due", "finished", "returned")


def normalise(frame: pd.DataFrame, registry: Registry, trim: bool,
              latest: dt.date | None = None) -> tuple[pd.DataFrame, Flags]:
    """Return the canonical records of an export whose columns carry canonical names, and its flags.

    Timestamps with a time zone (a zoned Parquet column, ISO text ending in ``+07:00`` or ``Z``)
    are converted to Vietnam local time (Asia/Ho_Chi_Minh, a fixed UTC+7) and the zone is dropped,
    since every date is compared with naive local dates; naive values are kept as they are. A
    column mixing both is noted in ``Flags.mixed_zones`` (column -> an aware value).
    Dates before the unit's ``valid_from`` or after ``latest`` are ``implausible_date``.

    Parameters
    ----------
    frame : DataFrame
        The export, renamed to canonical column names (the required ones present).
    registry : Registry
        The units: a row's unit is an id or a name of one of them.
    trim : bool
        Trim dossier ids (text sources; typed sources such as Parquet need none).
    latest : date, optional
        The last plausible day of a reception, end or return date (none when not given).

    Returns
    -------
    tuple of (DataFrame, Flags)
        One canonical row per input row, and the first rule each row breaks (if any).
    """
    flags = Flags(frame.index)
    out = _identify(frame, registry, flags, trim)
    _check_window(frame, out, flags, registry, latest)
    return _describe(frame, out, flags), flags


def _parse_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool), pd.Series(False, index=series.index)
    if pd.api.types.is_integer_dtype(series):
        return series.fillna(0).astype(int) > 0, ~series.isin([0, 1]) & series.notna()
    uniques = pd.Series(series.astype("string").unique())
    mapping = {}
    for u in uniques:
        key = nfc(str(u)).lower() if u is not pd.NA else ""
        mapping[u] = True if key in _TRUE else (False if key in _FALSE else None)
    mapped = series.astype("string").map(mapping)
    bad = mapped.isna() & series.notna()
    return mapped.fillna(False).astype(bool), bad


class Flags:
    """The first rule each row breaks, with the column and the value that show it."""

    def __init__(self, index: pd.Index) -> None:
        self.reason = pd.Series(pd.NA, index=index, dtype="string")
        self.value = pd.Series(pd.NA, index=index, dtype="string")
        self.column = pd.Series(pd.NA, index=index, dtype="string")
        self.mixed_zones: dict[str, str] = {}
        self.month_first: dict[str, str] = {}  # column -> a value that only month-first reads

    def flag(self, mask: pd.Series, rule: str, column: str, values: pd.Series | None = None) -> None:
        """Mark the rows of ``mask`` not yet flagged as breaking ``rule`` in ``column``."""
        mask = mask.fillna(False) & self.reason.isna()
        if not mask.any():
            return
        self.reason[mask] = rule
        self.column[mask] = column
        if values is not None:
            self.value[mask] = values[mask].astype("string")


def _is_blank(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series) or not (
            pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return series.isna()
    return series.isna() | (series.astype("string").str.strip() == "")


def _mapped(series: pd.Series, func: Callable[[object], str | None]) -> pd.Series:
    """Apply ``func`` once per distinct value; return a categorical (fast on 10M rows of a few units)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    targets = [func(u) for u in uniques]
    categories = sorted({t for t in targets if t is not None})
    position = {c: i for i, c in enumerate(categories)}
    lookup = np.array([position.get(t, -1) if t is not None else -1 for t in targets] + [-1], dtype=np.int32)
    cat = pd.Categorical.from_codes(lookup[codes], categories=categories)
    return pd.Series(cat, index=series.index)


def _ids(raw: pd.Series, flags: Flags, trim: bool) -> pd.Series:
    """Dossier ids as text (leading zeros kept); refuse ids a spreadsheet or a float has already mangled."""
    if pd.api.types.is_float_dtype(raw):
        flags.flag(raw.isna(), "missing_value", "dossier_id")
        whole = raw.notna() & (raw == raw.round()) & (raw.abs() <= EXACT_INTEGER_LIMIT)
        flags.flag(raw.notna() & ~whole, "imprecise_integer", "dossier_id", raw.map(repr).astype("string"))
        return raw.where(whole).astype("Int64").astype("string")
    if pd.api.types.is_object_dtype(raw) or pd.api.types.is_string_dtype(raw):
        ids = raw.astype("string").str.strip() if trim else raw
    else:
        ids = raw.astype("string")
    flags.flag(ids.isna() | (ids == ""), "missing_value", "dossier_id")
    scientific = ids.astype("string").str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    flags.flag(scientific, "id_scientific_notation", "dossier_id", ids)
    return ids


def _identify(frame: pd.DataFrame, registry: Registry, flags: Flags, trim: bool) -> pd.DataFrame:
    """Dossier ids, units (ids or names, mapped once per distinct value) and the four dates."""
    out = pd.DataFrame({"dossier_id": _ids(frame["dossier_id"], flags, trim)}, index=frame.index)
    out["unit_id"] = _mapped(frame["unit"], lambda u: registry.find(nfc(str(u))))
    flags.flag(out["unit_id"].isna(), "unknown_unit", "unit", frame["unit"])
    dates = read_date_columns(frame, DATE_COLUMNS)
    for col in DATE_COLUMNS:
        if col not in dates:
            out[col] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
            continue
        column, parsed = dates[col], dates[col].values
        if column.aware_example is not None:
            flags.mixed_zones[col] = column.aware_example
        if column.order == MONTH_FIRST:
            flags.month_first[col] = column.month_first_example or ""
        present = ~_is_blank(frame[col])
        if col in ("received", "due"):
            flags.flag(~present, "missing_value", col)
        if column.contradicts_itself():
            flags.flag(column.ambiguous, "date_order_conflict", col, frame[col])
        flags.flag(present & parsed.isna(), "bad_date", col, frame[col])
        out[col] = parsed
    return out


def _check_window(frame: pd.DataFrame, out: pd.DataFrame, flags: Flags, registry: Registry,
                  latest: dt.date | None) -> None:
    """Flag dates before the unit existed (units.csv valid_from) or after ``latest``: they never make periods."""
    units = out["unit_id"].cat
    starts = [registry[u].valid_from if u in registry else None for u in units.categories]
    lookup = np.array([np.datetime64(d, "us") if d else np.datetime64("NaT", "us") for d in starts]
                      + [np.datetime64("NaT", "us")], dtype="datetime64[us]")
    earliest = pd.Series(lookup[units.codes.to_numpy()], index=out.index)
    flags.flag(out["received"] < earliest, "implausible_date", "received", frame["received"])
    if latest is None:
        return
    after = pd.Timestamp(latest + dt.timedelta(days=1))
    for col in ("received", "finished", "returned"):
        if col in frame.columns:
            flags.flag(out[col] >= after, "implausible_date", col, frame[col])


def _describe(frame: pd.DataFrame, out: pd.DataFrame, flags: Flags) -> pd.DataFrame:
    """Channel, procedure, field and the yes/no columns; then the rules between columns and rows."""
    out["channel"] = _mapped(frame["channel"], lambda c: _CHANNEL_KEYS.get(name_key(str(c))))
    flags.flag(out["channel"].isna(), "unknown_channel", "channel", frame["channel"])
    out["procedure_code"] = frame["procedure_code"] if "procedure_code" in frame.columns else pd.NA
    field = frame["field"].astype("category") if "field" in frame.columns else pd.Series(
        pd.Categorical([pd.NA] * len(frame)), index=frame.index)
    if field.isna().any():
        if "Khác" not in field.cat.categories:
            field = field.cat.add_categories(["Khác"])
        field = field.fillna("Khác")
    out["field"] = field
    for col in ("digitised", "paid_online", "fee_bearing", "online_service"):
        if col in frame.columns:
            values, bad = _parse_bool(frame[col])
            flags.flag(bad, "boolean", col, frame[col])
            out[col] = values
        else:
            out[col] = col == "online_service"
    flags.flag(out["due"] < out["received"], "due_before_received", "due", frame["due"])
    flags.flag(out["finished"] < out["received"], "finished_before_received", "finished",
               frame["finished"] if "finished" in frame.columns else None)
    flags.flag(out["dossier_id"].duplicated(keep="first") & out["dossier_id"].notna(), "duplicate_dossier",
               "dossier_id", out["dossier_id"])
    return out

