import pandas as pd

from cchc_lib.ingest.rejects import defuse, file_names, write_rejects


def test_names_never_collide():
    inputs = ["data/raw/forms/2026-H1/xa-mau-01.xlsx", "data/raw/forms/2026-H1/xa-mau-01.csv",
              "data/raw/dossiers/a__b.csv", "data/raw/dossiers/a/b.csv"]
    names = file_names(inputs)
    assert len(set(names.values())) == 4
    assert names["data/raw/forms/2026-H1/xa-mau-01.xlsx"] == "forms__2026-H1__xa-mau-01.xlsx.csv"
    assert names["data/raw/dossiers/a/b.csv"] == "dossiers__a__b.csv.csv"
    assert names["data/raw/dossiers/a__b.csv"] == "dossiers__a__b.csv~2.csv"
    assert file_names(list(reversed(inputs))) == names  # the order of discovery does not matter


def test_formulas_are_defused_numbers_kept():
    assert [defuse(v) for v in ["=1+2", "+84 912", "-", "@x", "\tx", "\rx", "-3", "+5", "1.234,5", 7, -2.5, None]] == [
        "'=1+2", "+84 912", "'-", "'@x", "'\tx", "'\rx", "-3", "+5", "1.234,5", 7, -2.5, None]


def test_written_files_hold_every_row_and_no_formula(tmp_path):
    out = tmp_path / "rejects"
    out.mkdir()
    (out / "stale.csv").write_text("old", "utf-8")
    frames = {
        "data/raw/forms/2026-H1/xa-mau-01.xlsx": pd.DataFrame({"code": ["=cmd|' /C calc'!A0", "CD_KH_TONG"],
                                                                "value": ["-3", 12], "rule": ["x", "negative"]}),
        "data/raw/forms/2026-H1/xa-mau-01.csv": pd.DataFrame({"code": ["@SUM(A1)"], "value": [1.5], "rule": ["y"]}),
    }
    written = write_rejects(out, frames)
    assert sorted(p.name for p in out.iterdir()) == ["forms__2026-H1__xa-mau-01.csv.csv",
                                                     "forms__2026-H1__xa-mau-01.xlsx.csv"]
    xlsx = pd.read_csv(written["data/raw/forms/2026-H1/xa-mau-01.xlsx"], encoding="utf-8-sig", dtype=str)
    assert xlsx["code"].tolist() == ["'=cmd|' /C calc'!A0", "CD_KH_TONG"]
    assert xlsx["value"].tolist() == ["-3", "12"]
    csv = pd.read_csv(written["data/raw/forms/2026-H1/xa-mau-01.csv"], encoding="utf-8-sig")
    assert csv["code"].tolist() == ["'@SUM(A1)"] and csv["value"].tolist() == [1.5]
