"""Reading a dossier export saved as .xlsx, streamed: the first sheet's rows as text, a block at a time.

A half-year one-stop export holds up to a million rows; pandas' ``read_excel`` keeps every cell as a Python
object (about 1.5 KB a row), so the rows are read with openpyxl's read-only mode and each block of rows
becomes Arrow-backed text columns (about 200 bytes a row). The text is what ``read_excel(dtype=str)`` gives:
a whole number stored as a float loses its ".0", a date prints as ``YYYY-MM-DD HH:MM:SS``, trailing blank
rows are dropped and pandas' missing-value words ("", "NA", "#N/A", ...) are missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

BLOCK_ROWS = 50_000
# pandas' default missing-value words (the read_csv/read_excel documentation's na_values list).
STR_NA_VALUES = frozenset(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                           "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"])
TEXT = pd.StringDtype("pyarrow")


def _text(value: object) -> str | None:
    """One cell as ``read_excel(dtype=str)`` writes it (None: missing)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return None if text in STR_NA_VALUES else text


def _names(header: tuple) -> list[str]:
    """Column names as pandas gives them: "Unnamed: N" for a blank one, ".1" after a repeated one."""
    names: list[str] = []
    header = list(header)
    while header and header[-1] in (None, ""):
        header.pop()  # trailing blank header cells make no column
    for i, value in enumerate(header):
        name = "" if value is None else str(value)
        name = name or f"Unnamed: {i}"
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names


def read_xlsx_export(path: Path) -> pd.DataFrame:
    """The first sheet of a workbook as text columns (the first row holds the names)."""
    wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        names = _names(next(rows, ()))
        blocks, block, blank = [], [], 0
        for row in rows:
            cells = [_text(v) for v in row[:len(names)]]
            if all(c is None for c in cells):
                blank += 1  # kept between rows, as pandas does; dropped at the end
                continue
            block += [[None] * len(names)] * blank + [cells + [None] * (len(names) - len(cells))]
            blank = 0
            if len(block) >= BLOCK_ROWS:
                blocks.append(_frame(block, names))
                block = []
        blocks.append(_frame(block, names))
    finally:
        wb.close()
    return pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0]


def _frame(rows: list[list[str | None]], names: list[str]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pd.DataFrame({name: pd.array(list(col), dtype=TEXT) for name, col in zip(names, columns, strict=True)})
