import zipfile

from cchc_lib.ingest.zip_guard import LARGE_MEMBER, inflation_problem


def test_shipped_workbooks_and_a_non_zip_are_fine(tmp_path):
    from cchc_lib import config

    workbooks = sorted(config.RAW_DIR.rglob("*.xlsx"))
    assert len(workbooks) > 10
    assert [w.name for w in workbooks if inflation_problem(w)] == []
    text = tmp_path / "x.csv"
    text.write_text("a,b\n1,2\n", "utf-8")
    assert inflation_problem(text) is None


def test_a_large_member_compressed_beyond_100_to_1_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (LARGE_MEMBER + 1))
    assert bomb.stat().st_size < 100_000
    problem = inflation_problem(bomb)
    assert problem.startswith("thành phần xl/worksheets/sheet1.xml nén ") and "vượt tỷ lệ 100:1" in problem


def test_a_small_member_with_a_high_ratio_is_fine(tmp_path):
    ok = tmp_path / "ok.xlsx"
    with zipfile.ZipFile(ok, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", "<si/>" * 100_000)  # 500 kB of repeats
    assert inflation_problem(ok) is None
