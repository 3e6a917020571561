"""Spreadsheets are zip files: refuse one whose members would inflate implausibly, before inflating them.

A real half-year one-stop export of ~125k rows is ~60 MB of sheet XML compressed about 10:1; a "zip bomb"
is a few kilobytes that inflate to gigabytes. Only a member both large and compressed beyond
``MAX_RATIO`` is refused (small files of repeated XML can compress far and are harmless), and so is a
workbook whose members add up to more than ``MAX_TOTAL`` bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_RATIO = 100
LARGE_MEMBER = 10 * 2**20  # bytes inflated, from which the ratio is checked
MAX_TOTAL = 1024 * 2**20


def inflation_problem(path: Path | str) -> str | None:
    """Why ``path`` must not be opened (in Vietnamese), or None when its sizes are plausible.

    A file that is not a zip archive is not this module's concern (None): the reader reports it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL:
        return (f"các thành phần của tệp giải nén ra {total / 2**20:,.0f} MB, quá {MAX_TOTAL // 2**20} MB "
                "cho phép; tệp không được mở").replace(",", ".")
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size >= LARGE_MEMBER and ratio > MAX_RATIO:
            return (f"thành phần {m.filename} nén {ratio:,.0f}:1 (giải nén ra {m.file_size / 2**20:,.0f} MB), "
                    f"vượt tỷ lệ {MAX_RATIO}:1 của một bảng tính thật; tệp không được mở").replace(",", ".")
    return None
