"""The catalog's arithmetic on typed values: parts that must sum to their total, parts within their whole."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import fmt_num
from cchc_lib.domain.issues import IssueLog
from cchc_lib.ingest.schemas import arithmetic_schema, failure_cases


def check_arithmetic(values: pd.DataFrame, catalog: Catalog, log: IssueLog) -> set[int]:
    """Check the catalog's arithmetic per (unit, period, scope); return the row ids to reject.

    Parameters
    ----------
    values : DataFrame
        Typed values (:data:`~cchc_lib.ingest.form_values.VALUE_COLUMNS`), one row per cell.
    catalog : Catalog
        The indicators and their arithmetic rules.
    log : IssueLog
        Gets one error per breach, naming every cell involved.

    Returns
    -------
    set of int
        The index labels of every value involved in a breach.
    """
    if values.empty:
        return set()
    keys = ["unit_id", "period", "scope"]
    wide = values.pivot_table(index=keys, columns="code", values="value", aggfunc="first")
    wide = wide.reindex(columns=[i.code for i in catalog.inputs]).reset_index()
    try:
        arithmetic_schema(catalog).validate(wide, lazy=True)
        return set()
    except pa.errors.SchemaErrors as exc:
        cases = failure_cases(exc)
    lookup = values.reset_index().set_index(["unit_id", "period", "scope", "code"])["index"]
    reject_ids: set[int] = set()
    for case in cases.itertuples():
        if case.index is None or pd.isna(case.index):
            continue
        row = wide.iloc[int(case.index)]
        rule, _, expr = str(case.check).partition(":")
        breach = _breach(rule, expr, row)
        if breach is None:
            continue
        involved, message = breach
        cells = []
        for code in involved:
            key = (row["unit_id"], row["period"], row["scope"], code)
            for rid in lookup[lookup.index == key].tolist() if key in lookup.index else []:
                reject_ids.add(int(rid))  # several rows when two forms give the same unit and period
                cells.append(values.loc[rid])
        first = cells[0] if cells else {}
        log.error(rule, message + " Các ô liên quan bị loại khỏi báo cáo cho đến khi sửa.",
                  file=first.get("file", ""), sheet=first.get("sheet", "") or "",
                  cell=", ".join(str(c.get("cell", "")) for c in cells),
                  column="Số liệu", value=", ".join(fmt_num(c["value"]) for c in cells),
                  unit_id=row["unit_id"], period=row["period"], indicator=involved[0])
    return reject_ids


def _breach(rule: str, expr: str, row: pd.Series) -> tuple[list[str], str] | None:
    """The codes involved in one failed rule and the message that shows the sums, or None for another rule."""
    if rule == "parts_sum":
        total, parts = expr.split("=")
        part_codes = parts.split("+")
        involved = [total, *part_codes]
        total_v = row[total]
        part_codes = [p for p in part_codes if pd.notna(row[p])]
        parts_v = [row[p] for p in part_codes]
        message = (f"{total} = {fmt_num(total_v)} nhưng "
                   + " + ".join(f"{p} {fmt_num(v)}" for p, v in zip(part_codes, parts_v, strict=True))
                   + f" = {fmt_num(sum(parts_v))} (lệch {fmt_num(sum(parts_v) - total_v)}).")
        return involved, message
    if rule == "part_exceeds_whole":
        part, whole = expr.split("<=")
        return [part, whole], f"{part} = {fmt_num(row[part])} lớn hơn tổng {whole} = {fmt_num(row[whole])}."
    return None
