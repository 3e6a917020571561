"""Hostile dossier exports (issue 10): zoned timestamps, implausible dates, double downloads, mangled ids."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

from cchc_lib.domain.issues import ADVICE, IssueLog
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.check import validate_file
from cchc_lib.ingest.dossiers import read_records
from cchc_lib.ingest.legacy_text import HINT
from cchc_lib.ingest.pipeline import ingest
from cchc_lib.ingest.units_file import read_units

from .case_table import describe
from .conftest import REPO

# Long: each case ingests a copy of the shipped data. Run by `make hostile`, not `make test`.
pytestmark = pytest.mark.hostile

HEAD = "MaHoSo,DonViXuLy,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy\n"
UNIT = "xa-mau-02"


def row(i, received="02/01/2026 08:00:00", due="05/01/2026 17:00:00", finished="05/01/2026 10:00:00"):
    """One CSV line of xa-mau-02 (received in person in January 2026 unless told)."""
    return f"{i},Xã Mẫu 02,Trực tiếp,{received},{due},{finished}\n"


def parquet(ids, received=None):
    """A Parquet export of xa-mau-02 with the given ids and (optionally zoned) reception times."""
    received = received if received is not None else pd.to_datetime(["2026-01-02 08:00"] * len(ids))
    return pd.DataFrame({"dossier_id": ids, "unit_id": UNIT, "channel": "direct", "received": received,
                         "due": pd.to_datetime(["2026-01-05 17:00"] * len(ids)),
                         "finished": pd.to_datetime(["2026-01-05 10:00"] * len(ids))})


ZONED = pd.to_datetime(["2026-01-02 01:00", "2026-01-01 20:30"]).tz_localize("UTC")
SCI = "1.23457E+11"


class Case(NamedTuple):
    name: str
    files: dict  # under data/raw/dossiers: name -> CSV text or a DataFrame (written as Parquet)
    findings: list  # (severity, rule, file, row, column, value), in order
    rows: dict  # file -> (rows in, kept, rejected)
    added: int  # xa-mau-02's extra dossiers received in 2026-H1
    unit: str | None = UNIT  # the unit the bad files touch (None: every unit must be as shipped)


def f(name):
    return "data/raw/dossiers/" + name


CASES = [
    Case("iso_offsets", {"e.csv": HEAD + row("Z1", "2026-01-02T01:00:00Z") + row("Z2", "2026-01-02T08:00:00+07:00")},
         [], {f("e.csv"): (2, 2, 0)}, 2),
    Case("one_offset_among_naive", {"e.csv": HEAD + row("M1") + row("M2", "2026-01-02T09:00:00+07:00")},
         [("warning", "mixed_time_zones", f("e.csv"), None, "received", "2026-01-02T09:00:00+07:00")],
         {f("e.csv"): (2, 2, 0)}, 2),
    Case("zoned_parquet", {"z.parquet": parquet(["P1", "P2"], ZONED)}, [], {f("z.parquet"): (2, 2, 0)}, 2),
    Case("received_2099", {"e.csv": HEAD + row("D1") + row("D2", "01/01/2099 08:00:00", "05/01/2099 17:00:00", "")},
         [("error", "implausible_date", f("e.csv"), 3, "received", "01/01/2099 08:00:00")],
         {f("e.csv"): (2, 1, 1)}, 1),
    Case("received_1900", {"e.csv": HEAD + row("D1", "02/01/1900 08:00:00") + row("D2")},
         [("error", "implausible_date", f("e.csv"), 2, "received", "02/01/1900 08:00:00")],
         {f("e.csv"): (2, 1, 1)}, 1),
    Case("finished_2099", {"e.csv": HEAD + row("D1") + row("D2", finished="05/01/2099 10:00:00")},
         [("error", "implausible_date", f("e.csv"), 3, "finished", "05/01/2099 10:00:00")],
         {f("e.csv"): (2, 1, 1)}, 1),
    Case("downloaded_twice", {"e.csv": HEAD + row("T1") + row("T2"), "e (1).csv": HEAD + row("T1") + row("T2")},
         [("warning", "duplicate_across_files", f("e.csv"), 2, "dossier_id", "T1")],
         {f("e (1).csv"): (2, 2, 0), f("e.csv"): (2, 0, 2)}, 2),
    Case("copies_differ", {"a.csv": HEAD + row("C1") + row("C2"),
                           "b.csv": HEAD + row("C3") + row("C1", finished="06/01/2026 10:00:00")},
         [("error", "conflicting_duplicate", f("b.csv"), 3, "dossier_id", "C1")],
         {f("a.csv"): (2, 1, 1), f("b.csv"): (2, 1, 1)}, 2),
    Case("leading_zeros", {"e.csv": HEAD + row("00123") + row("123")}, [], {f("e.csv"): (2, 2, 0)}, 2),
    Case("scientific_id", {"e.csv": HEAD + row("123456789012") + row(SCI)},
         [("error", "id_scientific_notation", f("e.csv"), 3, "dossier_id", SCI)], {f("e.csv"): (2, 1, 1)}, 1),
    Case("twenty_digit_ids", {"e.csv": HEAD + row("12345678901234567891") + row("12345678901234567892")},
         [], {f("e.csv"): (2, 2, 0)}, 2),
    Case("float_ids_beyond_2_53", {"p.parquet": parquet([7.0, float(2 ** 60)])},
         [("error", "imprecise_integer", f("p.parquet"), 3, "dossier_id", "1.152921504606847e+18")],
         {f("p.parquet"): (2, 1, 1)}, 1),
    # A US-locale export (month first): 07/01/2026 is 1 July (not 2026-H1), proven by 01/13/2026.
    Case("us_export_month_first", {"e.csv": HEAD + row("U1", "07/01/2026 08:00:00", "07/03/2026 17:00:00",
                                                       "07/03/2026 10:00:00")
                                   + row("U2", "01/13/2026 08:00:00", "01/16/2026 17:00:00", "01/16/2026 10:00:00")},
         [("warning", "month_first_dates", f("e.csv"), None, "received", "01/13/2026 08:00:00"),
          ("warning", "month_first_dates", f("e.csv"), None, "due", "01/16/2026 17:00:00"),
          ("warning", "month_first_dates", f("e.csv"), None, "finished", "01/16/2026 10:00:00")],
         {f("e.csv"): (2, 2, 0)}, 1),
    Case("day_month_order_contradicts_itself",
         {"e.csv": HEAD + row("O1", "13/01/2026 08:00:00", "20/01/2026 17:00:00", "20/01/2026 10:00:00")
          + row("O2", "01/14/2026 08:00:00", "20/01/2026 17:00:00", "20/01/2026 10:00:00")
          + row("O3", "03/02/2026 08:00:00", "20/02/2026 17:00:00", "20/02/2026 10:00:00")},
         [("error", "date_order_conflict", f("e.csv"), 3, "received", "01/14/2026 08:00:00")],
         {f("e.csv"): (3, 1, 2)}, 1),
    Case("unit_name_typed_in_tcvn3", {"e.csv": HEAD + "L1,X· MÉu 02,Trực tiếp,02/01/2026 08:00:00,05/01/2026 17:00:00,\n"},
         [("warning", "legacy_text", f("e.csv"), 2, "unit", "X· MÉu 02"),
          ("error", "unknown_unit", f("e.csv"), 2, "unit", "X· MÉu 02")], {f("e.csv"): (1, 0, 1)}, 0),
]
# The kind of issue 10 each case belongs to.
KIND = {"iso_offsets": "stops", "one_offset_among_naive": "stops", "zoned_parquet": "stops", "received_2099": "silent",
        "received_1900": "silent", "finished_2099": "silent", "downloaded_twice": "silent", "copies_differ": "silent",
        "leading_zeros": "refused", "scientific_id": "imprecise", "twenty_digit_ids": "refused",
        "float_ids_beyond_2_53": "silent", "us_export_month_first": "silent",
        "day_month_order_contradicts_itself": "silent", "unit_name_typed_in_tcvn3": "imprecise"}
SHIPPED_CSV = "xa-mau-03_egov-export.csv"


def write_files(raw, files):
    for name, content in files.items():
        dest = raw / "dossiers" / name
        if isinstance(content, pd.DataFrame):
            content.to_parquet(dest, index=False)
        else:
            dest.write_text(content, "utf-8")


def others(indicators, unit):
    keep = indicators if unit is None else indicators[indicators.unit_id != unit]
    return keep.reset_index(drop=True)


def received(indicators):
    sel = indicators[(indicators.unit_id == UNIT) & (indicators.period == "2026-H1")
                     & (indicators.code == "TTHC_HS_TONG")]
    return float(sel["value"].iloc[0])


def run(tmp_path, shipped, case):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(REPO / "data" / "raw", raw)
    write_files(raw, case.files)
    result = ingest(raw, write=False, params_dir=REPO / "params" / "reports")
    base = shipped[0]
    before = {(i.rule, i.file, i.row, i.column, i.value) for i in base.issues}
    new = [(i.severity, i.rule, i.file, i.row, i.column, i.value) for i in result.issues
           if (i.rule, i.file, i.row, i.column, i.value) not in before]
    return result, new


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_export(tmp_path, shipped, case, case_row):
    result, new = run(tmp_path, shipped, case)  # no traceback
    rows = {x["file"]: (x["rows_in"], x["rows_ok"], x["rows_rejected"]) for x in result.files}
    said = ", ".join(f"{'lỗi' if x[0] == 'error' else 'cảnh báo'} `{x[1]}`" for x in case.findings) or "không có phát hiện"
    case_row(KIND[case.name], f"{said}; +{case.added} hồ sơ 2026-H1; đơn vị khác không đổi", result.exit_code,
             describe([i for i in result.issues if i.file.startswith("data/raw/dossiers/") and i.file
                       != f(SHIPPED_CSV)]), {k: v for k, v in rows.items() if k in case.rows}, rows)
    assert new == case.findings
    assert all(i.advice in (ADVICE[i.rule], HINT) for i in result.issues)
    for name, expected in case.rows.items():
        assert rows[name] == expected
    assert all(x["rows_in"] == x["rows_ok"] + x["rows_rejected"] for x in result.files)
    base = shipped[0].indicators
    pd.testing.assert_frame_equal(others(result.indicators, case.unit), others(base, case.unit))
    assert received(result.indicators) == received(base) + case.added


def test_shipped_export_downloaded_twice(tmp_path, shipped):
    copy = (REPO / "data" / "raw" / "dossiers" / SHIPPED_CSV).read_text("utf-8-sig")
    case = Case("shipped_twice", {"xa-mau-03_egov-export (1).csv": copy}, [], {}, 0, None)
    result, new = run(tmp_path, shipped, case)
    assert [x[:3] for x in new] == [("warning", "duplicate_across_files", f(SHIPPED_CSV))]
    rows = {x["file"]: (x["rows_in"], x["rows_ok"], x["rows_rejected"]) for x in result.files}
    assert rows[f(SHIPPED_CSV)] == (8270, 0, 8270)
    assert rows[f("xa-mau-03_egov-export (1).csv")] == (8270, 8270, 0)
    pd.testing.assert_frame_equal(result.indicators, shipped[0].indicators)


def test_zoned_times_become_vietnam_local(tmp_path):
    units, _, _ = read_units(REPO / "data" / "raw" / "units.csv", "units.csv", IssueLog())
    path = tmp_path / "z.parquet"
    parquet(["P1", "P2"], ZONED).to_parquet(path, index=False)
    got = read_records(path, "z.parquet", Registry(units)).records["received"]
    assert got.tolist() == [pd.Timestamp("2026-01-02 08:00"), pd.Timestamp("2026-01-02 03:30")]
    assert got.dt.tz is None


def test_as_of_bounds_dates(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "dossiers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "raw" / "units.csv", raw / "units.csv")
    (raw / "dossiers" / "e.csv").write_text(HEAD + row("A1") + row("A2", "20/03/2026 08:00:00",
                                                                   "25/03/2026 17:00:00", ""), "utf-8")
    result = ingest(raw, write=False, params_dir=tmp_path / "none", as_of=pd.Timestamp("2026-03-01").date())
    assert [(i.rule, i.row, i.column) for i in result.issues] == [("implausible_date", 3, "received")]


def test_validating_one_export_finds_what_the_ingest_finds(tmp_path, case_row):
    raw = tmp_path / "data" / "raw"
    (raw / "dossiers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "raw" / "units.csv", raw / "units.csv")
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "ingest.yaml").write_text("as_of: 2026-04-30\n", "utf-8")
    files = {"a.csv": HEAD + row("T1") + row("T2"), "a (1).csv": HEAD + row("T1") + row("T2"),
             "b.csv": HEAD + row("B1") + row("B2", "02/05/2026 08:00:00", "05/05/2026 17:00:00", "")}
    write_files(raw, files)
    registry = Registry(read_units(raw / "units.csv", "units.csv", IssueLog())[0])
    validated = [(i.rule, i.file.removeprefix(str(tmp_path) + "/"), i.row) for name in sorted(files)
                 for i in validate_file(raw / "dossiers" / name, registry)]
    result = ingest(raw, write=False, params_dir=tmp_path / "params" / "reports")
    ingested = [(i.rule, i.file, i.row) for i in result.issues if i.file.startswith("data/raw/dossiers/")]
    case_row("imprecise", "`cchc validate <tệp>` = `cchc ingest`: `duplicate_across_files`, `implausible_date` "
             "(as_of trong params/ingest.yaml)", None, ", ".join(f"`{r}` {Path(f).name}" for r, f, _ in validated))
    assert sorted(set(validated)) == sorted(set(ingested)) == [
        ("duplicate_across_files", f("a.csv"), 2), ("implausible_date", f("b.csv"), 3)]
