"""Bad-input suite: each case names the exact place and rule, and leaves other units alone."""

import shutil

import pandas as pd
import pytest

from cchc_lib.ingest.pipeline import ingest

from .conftest import FIXTURES

BAD = FIXTURES / "bad"
F = "forms/2026-H1/xa-mau-02"

# (fixture, where it goes under data/raw, rule, strings the message/place must contain)
CASES = [
    ("missing_header.csv", F + ".csv", "missing_column", ["indicator", "value", "dòng 1"]),
    ("negative.csv", F + ".csv", "negative", ["dòng 2", "CD_KH_TONG", "-3"]),
    ("fractional.csv", F + ".csv", "not_integer", ["dòng 2", "CD_KH_TONG", "12,5"]),
    ("part_exceeds_whole.csv", F + ".csv", "part_exceeds_whole", ["CDS_VB_DI_KYSO = 120", "CDS_VB_DI = 100"]),
    ("parts_not_summing.csv", F + ".csv", "parts_sum", ["CD_KH_TONG = 20", "= 18", "lệch -2"]),
    ("unknown_indicator.csv", F + ".csv", "unknown_indicator", ["CD_KHONG_CO", "dòng 2"]),
    ("rate_typed.csv", F + ".csv", "rate_typed", ["TTHC_TYLE_DUNGHAN", "dòng 2"]),
    ("duplicate_indicator.csv", F + ".csv", "duplicate_indicator", ["CD_KH_TONG", "dòng 3"]),
    ("negative.csv", "forms/2026-H1/xa-khong-co.csv", "unknown_unit", ["xa-khong-co"]),
    ("negative.csv", "forms/2026-H1/Xa Mau 02.csv", "unit_id_format", ["Xa Mau 02"]),
    ("negative.csv", "forms/2026-H3/xa-mau-02.csv", "bad_period", ["2026-H3"]),
    ("negative.csv", "forms/2026-H1/xa-mau-09.csv", "unit_not_valid", ["xa-mau-09", "xa-mau-11", "14/06/2026"]),
    ("empty.csv", F + ".csv", "empty_file", [F + ".csv"]),
    ("header_only.csv", F + ".csv", "header_only", ["dòng 1"]),
    ("corrupted.xlsx", F + ".xlsx", "file_unreadable", [F + ".xlsx"]),
    ("legacy_cp1258.csv", F + ".csv", "encoding", ["dòng 2", "UTF-8"]),
    ("text_in_number.csv", F + ".csv", "not_a_number", ["CD_TUYENTRUYEN", "dòng 2", "mười hai"]),
    ("text_in_number.xlsx", F + ".xlsx", "not_a_number", ["TTHC!E14", "mười hai"]),
    ("formula.xlsx", F + ".xlsx", "formula", ["ChiDao!E5", "=10+10"]),
    ("merged.xlsx", F + ".xlsx", "merged_cell", ["E6:E7", "ChiDao"]),
    ("unit_mismatch.xlsx", F + ".xlsx", "unit_mismatch", ["xa-mau-05", "ThongTin!B3"]),
    ("missing_code_column.xlsx", F + ".xlsx", "missing_column", ["ChiDao", "Mã"]),
    ("rec_finished_before.csv", "dossiers/export.csv", "finished_before_received", ["dòng 3", "finished"]),
    ("rec_due_before.csv", "dossiers/export.csv", "due_before_received", ["dòng 3", "due"]),
    ("rec_duplicate.csv", "dossiers/export.csv", "duplicate_dossier", ["dòng 3", "H1"]),
    ("rec_unknown_channel.csv", "dossiers/export.csv", "unknown_channel", ["dòng 3", "Fax"]),
    ("rec_missing_column.csv", "dossiers/export.csv", "missing_column", ["KenhThucHien", "NgayHenTra"]),
    ("rec_bad_date.csv", "dossiers/export.csv", "bad_date", ["dòng 3", "31/02/2026"]),
    ("rec_unknown_unit.csv", "dossiers/export.csv", "unknown_unit", ["dòng 3", "Xã Không Có"]),
    ("rec_empty.csv", "dossiers/export.csv", "empty_file", ["dossiers/export.csv"]),
    ("units_bad_row.csv", "units.csv", "bad_unit_row", ["Xa Mau 99", "dòng 32"]),
]


def run_case(raw_tree, fixture, target):
    dest = raw_tree / target
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / fixture, dest)
    return ingest(raw_tree, raw_tree.parent / "processed")


@pytest.mark.parametrize(("fixture", "target", "rule", "needles"), CASES, ids=[f"{c[2]}:{c[0]}" for c in CASES])
def test_bad_input_is_named_precisely(raw_tree, fixture, target, rule, needles):
    result = run_case(raw_tree, fixture, target)
    assert result.exit_code == 1
    hits = [i for i in result.errors if i.rule == rule]
    assert hits, [str(i) for i in result.issues]
    text = " | ".join(f"{i} {i.place} {i.value}" for i in hits)
    for needle in needles:
        assert needle in text, (needle, text)
    assert all(i.advice for i in hits)  # every message says what to do
    # the other unit's valid form is untouched
    ok = result.indicators[(result.indicators.unit_id == "xa-mau-01") & (result.indicators.period == "2026-H1")]
    assert dict(zip(ok.code, ok.value, strict=True)) == {
        "CD_KH_TONG": 20, "CD_KH_HOANTHANH": 12, "CD_KH_CHUADENHAN": 8, "CD_KH_KHONGDAT": 0}
    for f in result.files:
        assert f["rows_in"] == f["rows_ok"] + f["rows_rejected"], f
    # nothing is lost: a rejects file exists for the bad input
    assert any((raw_tree.parent / "processed" / "rejects").glob("*.csv"))


def test_rejected_records_keep_their_reason(raw_tree):
    run_case(raw_tree, "rec_finished_before.csv", "dossiers/export.csv")
    rej = pd.read_csv(raw_tree.parent / "processed" / "rejects" / "dossiers__export.csv")
    assert list(rej["row"]) == [3] and list(rej["rule"]) == ["finished_before_received"]
    assert rej["MaHoSo"].tolist() == ["H2"]


@pytest.mark.parametrize(("fixture", "target"), [("utf16.csv", F + ".csv"), ("rec_utf16.csv", "dossiers/e.csv"),
                                                 ("rec_nfd_names.csv", "dossiers/e.csv"),
                                                 ("extra_sheet.xlsx", F + ".xlsx")])
def test_accepted_variants(raw_tree, fixture, target):
    result = run_case(raw_tree, fixture, target)
    assert result.errors == [], [str(i) for i in result.errors]
    mine = result.indicators[result.indicators.unit_id == "xa-mau-02"]
    assert len(mine) > 0
    if fixture == "rec_nfd_names.csv":
        total = mine[(mine.code == "TTHC_HS_TONG") & (mine.period == "2026-H1")]["value"].iloc[0]
        assert total == 2
    if fixture == "extra_sheet.xlsx":
        warning = [i for i in result.issues if i.rule == "extra_sheet"]
        assert len(warning) == 1 and warning[0].severity == "warning" and warning[0].sheet == "Ghi chep rieng"


def test_suite_has_at_least_25_distinct_cases():
    assert len({c[0] + c[1] for c in CASES}) >= 25
