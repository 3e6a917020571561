"""The streamed XLSX export reader gives the text pandas' read_excel(dtype=str) gives, cell for cell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook

from cchc_lib.ingest import dossier_xlsx
from cchc_lib.ingest.dossier_xlsx import read_xlsx_export

ROWS = [
    ["MaHoSo", "DonViXuLy", "NgayTiepNhan", "SoLuong", None, "MaHoSo"],
    ["00123", "Xã Mẫu 02", dt.datetime(2026, 1, 2, 8, 0), 3.0, None, "x"],
    [123456789012, "Xã Mẫu 02", "02/01/2026 08:00:00", 2.5, None, None],
    [None, None, None, None, None, None],  # a blank row between rows: kept, as pandas keeps it
    ["NA", "#N/A", dt.datetime(2026, 1, 3), True, None, ""],
    [7.0, "  có dấu cách  ", dt.date(2026, 1, 4), -0.0, None, 1e20],
    [None, None, None, None, None, None],  # trailing blank rows: dropped
]


def test_the_streamed_reader_reads_what_read_excel_reads(tmp_path, monkeypatch):
    path = tmp_path / "e.xlsx"
    wb = Workbook()
    for row in ROWS:
        wb.active.append(row)
    wb.create_sheet("Khác").append(["not", "read"])
    wb.save(path)
    monkeypatch.setattr(dossier_xlsx, "BLOCK_ROWS", 2)  # several blocks
    got = read_xlsx_export(path)
    want = pd.read_excel(path, dtype=str, engine="openpyxl")
    assert list(got.columns) == list(want.columns) == ["MaHoSo", "DonViXuLy", "NgayTiepNhan", "SoLuong",
                                                                "Unnamed: 4", "MaHoSo.1"]
    assert got.astype(object).where(got.notna(), None).values.tolist() == \
        want.astype(object).where(want.notna(), None).values.tolist()
    assert got["MaHoSo"].tolist()[:2] == ["00123", "123456789012"]
