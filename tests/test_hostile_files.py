"""Hostile files in data/raw: links out of the tree, zip bombs, personal data, rejects that would collide."""

import os
import shutil
import zipfile

import pandas as pd
import pytest

from cchc_lib import config
from cchc_lib.ingest.pipeline import ingest
from cchc_lib.ingest.zip_guard import LARGE_MEMBER

from .case_table import describe

# Long: each case ingests a copy of the shipped data. Run by `make hostile`, not `make test`.
pytestmark = pytest.mark.hostile

PERSONAL = ("Nguyễn Thị Bé", "079123456789", "0912345678", "12 Lê Lợi")


@pytest.fixture()
def raw(tmp_path):
    root = tmp_path / "data" / "raw"
    shutil.copytree(config.RAW_DIR, root)
    return root


@pytest.fixture(scope="module")
def shipped_figures(tmp_path_factory):
    return ingest(config.RAW_DIR, tmp_path_factory.mktemp("p")).indicators


def rows_of(result, *names):
    """(shown, checked): the rows of the files named, and of every file."""
    rows = {f["file"]: (f["rows_in"], f["rows_ok"], f["rows_rejected"]) for f in result.files}
    return {k: v for k, v in rows.items() if k.endswith(names)}, rows


def other_units_unchanged(result, shipped, but=()):
    keep = lambda f: f[~f.unit_id.isin(but)].sort_values(list(f.columns)).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(keep(result.indicators), keep(shipped))


def test_a_link_out_of_the_raw_tree_is_refused_and_not_read(raw, tmp_path, shipped_figures, case_row):
    secret = tmp_path / "secret.csv"
    secret.write_text("MaHoSo,NgayTiepNhan\nX,01/01/2026\n", "utf-8")
    os.symlink(secret, raw / "dossiers" / "link.csv")
    result = ingest(raw, tmp_path / "out")
    found = [(i.severity, i.rule, i.file) for i in result.issues if i.rule == "outside_raw"]
    case_row("security", "lỗi `outside_raw`; tệp không được đọc, không vào báo cáo kiểm tra", result.exit_code,
             describe([i for i in result.issues if i.rule == "outside_raw"]), *rows_of(result, "link.csv"))
    assert found == [("error", "outside_raw", "data/raw/dossiers/link.csv")]
    assert "data/raw/dossiers/link.csv" not in {f["file"] for f in result.files}
    other_units_unchanged(result, shipped_figures)


def test_a_zip_bomb_export_is_refused_before_it_is_opened(raw, tmp_path, shipped_figures, case_row):
    with zipfile.ZipFile(raw / "dossiers" / "bomb.xlsx", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<c/>" * (LARGE_MEMBER // 4 + 1))
    result = ingest(raw, tmp_path / "out")
    found = [(i.rule, i.file) for i in result.issues if i.file.endswith("bomb.xlsx")]
    case_row("security", "lỗi `implausible_archive` trước khi giải nén; đơn vị khác không đổi", result.exit_code,
             describe([i for i in result.issues if i.file.endswith("bomb.xlsx")]), *rows_of(result, "bomb.xlsx"))
    assert found == [("implausible_archive", "data/raw/dossiers/bomb.xlsx")]
    other_units_unchanged(result, shipped_figures)


def test_personal_data_of_a_rejected_dossier_appears_in_no_output(raw, tmp_path, case_row):
    (raw / "dossiers" / "xa-mau-02_them.csv").write_text(
        "MaHoSo,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,HoTen,SoCCCD,SoDienThoai,DiaChi\n"
        f"HS-9,xa-mau-02,trực tiếp,31/02/2026,05/03/2026,{PERSONAL[0]},{PERSONAL[1]},{PERSONAL[2]},{PERSONAL[3]}\n",
        "utf-8")
    out = tmp_path / "out"
    result = ingest(raw, out)
    mine = [i for i in result.issues if i.file.endswith("xa-mau-02_them.csv")]
    case_row("security", "dòng bị loại; họ tên, CCCD, điện thoại, địa chỉ không có trong tệp nào được ghi ra",
             result.exit_code, describe(mine), *rows_of(result, "xa-mau-02_them.csv"))
    assert mine  # the row was rejected
    reject = out / "rejects" / "dossiers__xa-mau-02_them.csv.csv"
    assert "HS-9" in reject.read_text("utf-8-sig")
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".html"):
            text = path.read_text("utf-8-sig")
            assert not [p for p in PERSONAL if p in text], path


def test_rejects_of_two_inputs_that_differ_only_by_suffix_are_both_kept(raw, tmp_path, case_row):
    bad = "indicator,value,note\nCD_KH_TONG,-1,\n"
    (raw / "forms" / "2026-H1").mkdir(exist_ok=True)
    (raw / "dossiers" / "dup.csv").write_text("MaHoSo,MaDonVi\n1,xa-mau-01\n", "utf-8")
    (raw / "dossiers" / "dup.parquet").write_bytes(b"not parquet")
    out = tmp_path / "out"
    result = ingest(raw, out)
    names = sorted(p.name for p in (out / "rejects").iterdir())
    case_row("lost", "hai tệp loại riêng: dossiers__dup.csv.csv và dossiers__dup.parquet.csv", result.exit_code,
             ", ".join(n for n in names if n.startswith("dossiers__dup")), *rows_of(result, "dup.csv", "dup.parquet"))
    assert "dossiers__dup.csv.csv" in names and "dossiers__dup.parquet.csv" in names
    assert bad  # the forms variant is covered by tests/test_rejects.py


def test_a_zip_bomb_form_is_refused_and_the_units_other_data_kept(raw, tmp_path, shipped_figures, case_row):
    form = raw / "forms" / "2026-Q3" / "xa-mau-01.xlsx"
    form.unlink()
    with zipfile.ZipFile(form, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<c/>" * (LARGE_MEMBER // 4 + 1))
    result = ingest(raw, tmp_path / "out")
    found = [(i.rule, i.file, i.unit_id, i.period) for i in result.issues if i.file.endswith("2026-Q3/xa-mau-01.xlsx")]
    case_row("security", "lỗi `implausible_archive`; số liệu khác của đơn vị giữ nguyên", result.exit_code,
             describe([i for i in result.issues if i.file.endswith("2026-Q3/xa-mau-01.xlsx")]),
             *rows_of(result, "2026-Q3/xa-mau-01.xlsx"))
    assert found == [("implausible_archive", "data/raw/forms/2026-Q3/xa-mau-01.xlsx", "xa-mau-01", "2026-Q3")]
    other_units_unchanged(result, shipped_figures, but=["xa-mau-01", "tinh-mau"])


def test_a_formula_typed_in_a_rejected_row_is_defused_in_the_rejects(raw_tree, tmp_path, case_row):
    form = raw_tree / "forms" / "2026-H1" / "xa-mau-02.csv"
    form.write_text('indicator,value,note\nCD_KH_TONG,-1,"=HYPERLINK(""http://x.example"",""bấm"")"\n'
                    "CD_TUYENTRUYEN,5,@SUM(1+1)\n", "utf-8")
    out = tmp_path / "out"
    result = ingest(raw_tree, out)
    text = (out / "rejects" / "forms__2026-H1__xa-mau-02.csv.csv").read_text("utf-8-sig")
    case_row("security", "dòng bị loại; ô văn bản bắt đầu bằng = được ghi '= trong tệp loại", result.exit_code,
             describe([i for i in result.issues if i.file.endswith("xa-mau-02.csv")]),
             *rows_of(result, "xa-mau-02.csv"))
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text and '"=HYPERLINK' not in text
