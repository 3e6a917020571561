"""units.csv, the unit registry as analysts keep it: read, normalised and validated row by row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import IssueLog
from cchc_lib.ingest.schemas import UnitsSchema, failure_cases

UNIT_COLUMNS = ["unit_id", "name", "level", "parent_id", "valid_from", "valid_to",
                "successor_id", "issuing_body", "parent_body", "place", "doc_code", "synthetic", "group"]
OPTIONAL_UNIT_COLUMNS = {"doc_code", "synthetic", "parent_body", "group"}


def read_units(path: Path, rel: str, log: IssueLog) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read and validate units.csv; return (valid units, rejects, file summary).

    Parameters
    ----------
    path : Path
        The units file (UTF-8, with or without BOM).
    rel : str
        The file as the analyst knows it, in every issue.
    log : IssueLog
        Gets a missing-column error or one error per bad row.

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        The valid units (:data:`UNIT_COLUMNS`), the rejected rows with their rule, and the
        file's row counts.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in UNIT_COLUMNS if c not in raw.columns and c not in OPTIONAL_UNIT_COLUMNS]
    if missing:
        log.error("missing_column", f"units.csv thiếu cột: {', '.join(missing)}.", file=rel, row=1)
        return pd.DataFrame(columns=UNIT_COLUMNS), raw.assign(rule="missing_column"), {
            "file": rel, "kind": "đơn vị", "rows_in": len(raw), "rows_ok": 0, "rows_rejected": len(raw)}
    frame = raw.copy()
    for col in UNIT_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[UNIT_COLUMNS]
    for col in UNIT_COLUMNS:
        frame[col] = frame[col].map(lambda v: nfc(v) if isinstance(v, str) else v)
        frame[col] = frame[col].replace("", None)
    for flag in ("synthetic", "group"):
        frame[flag] = frame[flag].fillna("0").str.lower().isin(["1", "true", "có", "yes"])
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col], errors="coerce", format="%Y-%m-%d")
    bad_rows: dict[int, tuple[str, str, str]] = {}
    try:
        UnitsSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in failure_cases(exc).itertuples():
            if case.index is None or pd.isna(case.index):
                continue
            idx = int(case.index)
            column = case.column if isinstance(case.column, str) and case.column in frame.columns else ""
            if idx not in bad_rows:
                bad_rows[idx] = (str(case.check), column, str(raw.iloc[idx].get(column, "")) if column else "")
    for idx, (check, column, value) in sorted(bad_rows.items()):
        log.error("bad_unit_row", f"Dòng đơn vị {raw.iloc[idx]['unit_id']!r} vi phạm quy tắc {check}.",
                  file=rel, row=idx + 2, column=column, value=value)
    ok = frame.drop(index=list(bad_rows))
    rejects = raw.iloc[list(bad_rows)].assign(
        file=rel, row=[i + 2 for i in bad_rows], rule=[v[0] for v in bad_rows.values()])
    summary = {"file": rel, "kind": "đơn vị", "rows_in": len(raw), "rows_ok": len(ok),
               "rows_rejected": len(rejects)}
    return ok.reset_index(drop=True), rejects, summary
