"""pandera schemas for every raw and processed table, and the arithmetic rules.

Stages by inheritance: what units send (raw) -> what the pipeline keeps (processed).
The arithmetic rules of the catalog ("trong đó" parts add up to their total, no part
exceeds its whole) are built from the catalog as dataframe checks over a wide table
with one row per (unit, period, scope).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.units import LEVELS, UNIT_ID_RE

CHANNELS = ("direct", "online", "postal")
SCOPES = ("own", "total")
SOURCES = ("form", "records", "derived")


class UnitsSchema(pa.DataFrameModel):
    """data/raw/units.csv once read: one row per administrative unit."""

    unit_id: Series[str] = pa.Field(str_matches=UNIT_ID_RE.pattern, unique=True)
    name: Series[str] = pa.Field(str_length={"min_value": 2})
    level: Series[str] = pa.Field(isin=list(LEVELS))
    parent_id: Series[str] = pa.Field(nullable=True)
    valid_from: Series[pa.DateTime] = pa.Field(nullable=True)
    valid_to: Series[pa.DateTime] = pa.Field(nullable=True)
    successor_id: Series[str] = pa.Field(nullable=True)
    issuing_body: Series[str] = pa.Field(nullable=True)
    parent_body: Series[str] = pa.Field(nullable=True)
    place: Series[str] = pa.Field(nullable=True)
    doc_code: Series[str] = pa.Field(nullable=True)
    synthetic: Series[bool]
    group: Series[bool]

    @pa.dataframe_check(name="parent_exists")
    def parent_exists(cls, df: pd.DataFrame) -> Series[bool]:
        """Every parent_id names a unit of the table."""
        return df["parent_id"].isna() | df["parent_id"].isin(df["unit_id"])

    @pa.dataframe_check(name="successor_exists")
    def successor_exists(cls, df: pd.DataFrame) -> Series[bool]:
        """Every successor_id names a unit of the table."""
        return df["successor_id"].isna() | df["successor_id"].isin(df["unit_id"])

    @pa.dataframe_check(name="valid_to_after_valid_from")
    def valid_to_after_valid_from(cls, df: pd.DataFrame) -> Series[bool]:
        """A unit ends after it starts."""
        return df["valid_to"].isna() | df["valid_from"].isna() | (df["valid_to"] >= df["valid_from"])

    class Config:  # noqa: D106 - pandera options
        strict = True
        coerce = True


class FormValuesSchema(pa.DataFrameModel):
    """Indicator values read from a form (one row per cell)."""

    unit_id: Series[str] = pa.Field(str_matches=UNIT_ID_RE.pattern)
    period: Series[str] = pa.Field(str_matches=r"^\d{4}-(Q1|Q2|Q3|Q4|H1|9M|Y)$")
    code: Series[str]  # a catalog input: :func:`form_values_schema` adds the catalog's checks
    value: Series[float] = pa.Field(ge=0)
    scope: Series[str] = pa.Field(isin=list(SCOPES))
    source: Series[str] = pa.Field(isin=list(SOURCES))
    file: Series[str]
    sheet: Series[str] = pa.Field(nullable=True)
    cell: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)

    class Config:  # noqa: D106 - pandera options
        strict = True
        coerce = True


class IndicatorsSchema(FormValuesSchema):
    """data/processed/indicators.parquet: validated values, one per unit, period, code, scope."""

    class Config:  # noqa: D106 - pandera options
        strict = True
        coerce = True
        unique = ["unit_id", "period", "code", "scope"]


class DossierRecordsSchema(pa.DataFrameModel):
    """Dossier records in canonical form, after header mapping and row checks."""

    dossier_id: Series[str] = pa.Field(unique=True)
    unit_id: Series[str]
    procedure_code: Series[str] = pa.Field(nullable=True)
    field: Series[str] = pa.Field(nullable=True)
    channel: Series[str] = pa.Field(isin=list(CHANNELS))
    received: Series[pa.DateTime]
    due: Series[pa.DateTime]
    finished: Series[pa.DateTime] = pa.Field(nullable=True)
    digitised: Series[bool]
    paid_online: Series[bool]
    fee_bearing: Series[bool]
    online_service: Series[bool]

    @pa.dataframe_check(name="finished_not_before_received")
    def finished_not_before_received(cls, df: pd.DataFrame) -> Series[bool]:
        """A dossier cannot be finished before it was received."""
        return df["finished"].isna() | (df["finished"] >= df["received"])

    @pa.dataframe_check(name="due_not_before_received")
    def due_not_before_received(cls, df: pd.DataFrame) -> Series[bool]:
        """A due date cannot precede the receipt."""
        return df["due"] >= df["received"]

    class Config:  # noqa: D106 - pandera options
        strict = "filter"
        coerce = False


class DossierStatsSchema(pa.DataFrameModel):
    """data/processed/dossier_stats.parquet: outcomes per unit, period and field."""

    unit_id: Series[str]
    period: Series[str]
    field: Series[str]
    received: Series[int] = pa.Field(ge=0)
    online: Series[int] = pa.Field(ge=0)
    early: Series[int] = pa.Field(ge=0)
    on_time: Series[int] = pa.Field(ge=0)
    late: Series[int] = pa.Field(ge=0)
    pending_in_time: Series[int] = pa.Field(ge=0)
    pending_overdue: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(name="received_equals_resolved_plus_pending")
    def received_equals_resolved_plus_pending(cls, df: pd.DataFrame) -> Series[bool]:
        """Received = early + on time + late + pending in time + overdue."""
        parts = df[["early", "on_time", "late", "pending_in_time", "pending_overdue"]].sum(axis=1)
        return parts == df["received"]

    class Config:  # noqa: D106 - pandera options
        strict = True
        coerce = True


def _with_catalog(model: type[pa.DataFrameModel], catalog: Catalog | None) -> pa.DataFrameSchema:
    """``model``'s schema with the catalog's rules: a known input code, whole numbers for counts.

    The catalog is the package's extended with the units' own indicators (params/catalog/), so the codes
    are known only at run time.
    """
    catalog = catalog or load_catalog()
    counts = [i.code for i in catalog.inputs if i.integer]

    def count_is_integer(df: pd.DataFrame) -> pd.Series:
        """Counts (hồ sơ, văn bản, người...) are whole numbers."""
        return ~df["code"].isin(counts) | (np.floor(df["value"]) == df["value"])

    schema = model.to_schema()
    schema = schema.update_column("code", checks=[pa.Check.isin([i.code for i in catalog.inputs])])
    schema.checks = [*schema.checks, pa.Check(count_is_integer, name="count_is_integer")]
    return schema


def form_values_schema(catalog: Catalog | None = None) -> pa.DataFrameSchema:
    """:class:`FormValuesSchema` for ``catalog`` (default: the package catalog)."""
    return _with_catalog(FormValuesSchema, catalog)


def indicators_schema(catalog: Catalog | None = None) -> pa.DataFrameSchema:
    """:class:`IndicatorsSchema` (data/processed/indicators.parquet) for ``catalog``."""
    return _with_catalog(IndicatorsSchema, catalog)


def _parts_check(total: str, parts: tuple[str, ...]) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        cols = df[list(parts)]
        has_total = df[total].notna()
        complete = cols.notna().all(axis=1) & has_total
        # Counts are non-negative, so even an incomplete breakdown may not exceed its total.
        partial_over = has_total & cols.notna().any(axis=1) & (cols.sum(axis=1) > df[total] + 1e-9)
        return ~(complete & ~np.isclose(cols.sum(axis=1), df[total])) & ~partial_over

    return pa.Check(check, name=f"parts_sum:{total}={'+'.join(parts)}")


def _subset_check(part: str, whole: str) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        return df[part].isna() | df[whole].isna() | (df[part] <= df[whole] + 1e-9)

    return pa.Check(check, name=f"part_exceeds_whole:{part}<={whole}")


def arithmetic_schema(catalog: Catalog | None = None) -> pa.DataFrameSchema:
    """Build the schema of the arithmetic rules over a wide (row per unit-period-scope) table."""
    catalog = catalog or load_catalog()
    checks = [_parts_check(t, p) for t, p in catalog.breakdowns()]
    checks += [_subset_check(p, w) for p, w in catalog.subsets()]
    columns = {i.code: pa.Column(float, nullable=True) for i in catalog.inputs}
    return pa.DataFrameSchema(columns=columns, checks=checks, coerce=True, name="arithmetic",
                              add_missing_columns=True)


def failure_cases(error: pa.errors.SchemaErrors) -> pd.DataFrame:
    """Return pandera failure cases, one row per (check, record).

    A failing dataframe-level check yields one row per column of the bad record;
    a person wants one line per rule broken per record.
    """
    cases = error.failure_cases.copy()
    cases["check"] = cases["check"].astype(str)
    return cases.drop_duplicates(subset=["check", "index"]).reset_index(drop=True)
