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


def test_dossier_rejects_mask_personal_columns(tmp_path):
    frame = pd.DataFrame({"MaHoSo": ["000123"], "NgayTiepNhan": ["31/02/2026"], "HoTen": ["Nguyễn Thị Bé"],
                          "SoCCCD": ["079123456789"], "SoDienThoai": ["0912345678"], "DiaChi": [None],
                          "file": ["data/raw/dossiers/x.csv"], "row": [7], "rule": ["bad_date"], "reason": ["ngày"]})
    written = write_rejects(tmp_path, {"data/raw/dossiers/x.csv": frame,
                                       "data/raw/forms/2026-H1/a.csv": frame[["file", "row"]].assign(note="HoTen")})
    text = written["data/raw/dossiers/x.csv"].read_text("utf-8-sig")
    for personal in ("Nguyễn Thị Bé", "079123456789", "0912345678"):
        assert personal not in text
    back = pd.read_csv(written["data/raw/dossiers/x.csv"], encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.iloc[0].to_dict() == {"MaHoSo": "000123", "NgayTiepNhan": "31/02/2026", "HoTen": "[đã ẩn]",
                                      "SoCCCD": "[đã ẩn]", "SoDienThoai": "[đã ẩn]", "DiaChi": "",
                                      "file": "data/raw/dossiers/x.csv", "row": "7", "rule": "bad_date",
                                      "reason": "ngày"}
    assert "HoTen" in written["data/raw/forms/2026-H1/a.csv"].read_text("utf-8-sig")  # forms are not masked
