"""Rejects files: one CSV per input file under data/processed/rejects/, names that never collide, no formulas.

A rejected row is written as it was read, with the rule and the reason, so the analyst can find and fix it.
Dossier exports also carry citizens' personal data (names, ID and phone numbers, addresses): in their rejects
only the columns the ingest reads, and the row's place and reason, are shown; every other column's values are
masked (Nghị định 13/2023/NĐ-CP on personal data protection), the column kept so the row can still be found.
Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are written with a
leading apostrophe (the OWASP "CSV injection" advice); numbers, and text that is only a number, stay as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cchc_lib.domain.fmt import name_key
from cchc_lib.ingest.dossier_records import HEADER_ALIASES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")
MASK = "[đã ẩn]"
DOSSIERS = "data/raw/dossiers/"
# What a dossier reject may show: the columns the ingest reads, and where and why the row was rejected.
_SHOWN = {name_key(a) for names in HEADER_ALIASES.values() for a in names} | {
    name_key(c) for c in ("file", "row", "rule", "reason", "column", "value")}


def defuse(value: object) -> object:
    """The value as it may be written into a CSV a spreadsheet opens.

    >>> defuse("=SUM(A1:A9)"), defuse("@SUM(A1)"), defuse("-3"), defuse(-3), defuse("Xã A")
    ("'=SUM(A1:A9)", "'@SUM(A1)", '-3', -3, 'Xã A')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def mask_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """A dossier reject with the values of every column the ingest does not read masked.

    >>> mask_personal(pd.DataFrame({"MaHoSo": ["H1"], "HoTen": ["Nguyễn Văn A"], "rule": ["bad_date"]}))
      MaHoSo    HoTen      rule
    0     H1  [đã ẩn]  bad_date
    """
    hidden = [c for c in frame.columns if name_key(str(c)) not in _SHOWN]
    out = frame.copy()
    for column in hidden:
        out[column] = out[column].where(out[column].isna(), MASK)
    return out


def file_names(inputs: list[str]) -> dict[str, str]:
    """A rejects file name for each input path, unique even where two inputs differ only by suffix or folder.

    >>> sorted(file_names(["data/raw/forms/2026-H1/x.xlsx", "data/raw/forms/2026-H1/x.csv"]).values())
    ['forms__2026-H1__x.csv.csv', 'forms__2026-H1__x.xlsx.csv']
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for path in sorted(inputs):
        base = path.removeprefix("data/raw/").replace("/", "__")
        name, n = f"{base}.csv", 1
        while name in used:  # "a/b" and "a__b" would meet: number the later one
            n += 1
            name = f"{base}~{n}.csv"
        used.add(name)
        names[path] = name
    return names


def write_rejects(rejects_dir: Path, rejects: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Replace the rejects folder's CSV files by one file per input; return input -> file written."""
    rejects_dir.mkdir(parents=True, exist_ok=True)
    for old in rejects_dir.glob("*.csv"):
        old.unlink()
    written = {}
    for path, name in file_names(list(rejects)).items():
        frame = rejects[path]
        frame = (mask_personal(frame) if path.startswith(DOSSIERS) else frame).map(defuse)
        target = rejects_dir / name
        frame.to_csv(target, index=False, encoding="utf-8-sig")
        written[path] = target
    return written
