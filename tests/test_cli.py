import json
import shutil
import subprocess
import sys

from openpyxl import load_workbook

from cchc_lib import config

from .conftest import FIXTURES

CCHC = [sys.executable, "-m", "cchc_lib.build.cli"]


def run(*args, cwd=None):
    return subprocess.run([*CCHC, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_validate_bad_fixture_names_file_place_and_rule(tmp_path):
    target = tmp_path / "2026-H1" / "xa-mau-02.xlsx"
    target.parent.mkdir()
    shutil.copy(FIXTURES / "bad" / "text_in_number.xlsx", target)
    proc = run("validate", str(target))
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert "xa-mau-02.xlsx" in out and "TTHC!E14" in out and "[not_a_number]" in out and "mười hai" in out


def test_validate_published_seeds_exits_non_zero():
    proc = run("validate", str(FIXTURES / "seeds_as_published"))
    assert proc.returncode == 1
    assert "TCC_DVSN_TUCHU = 68" in proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "Đã kiểm tra 12 tệp: 10 lỗi, 3 cảnh báo."


def test_validate_good_file_exits_zero():
    proc = run("validate", str(config.FORMS_DIR / "2024-H1" / "tp-bien-hoa.csv"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "Đã kiểm tra 1 tệp: 0 lỗi, 0 cảnh báo."


def test_template_writes_a_protected_form(tmp_path):
    out = tmp_path / "f.xlsx"
    proc = run("template", "--unit", "xa-mau-01", "--period", "2026-Q3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["ThongTin", "ChiDao", "TheChe", "TTHC", "BoMay", "CongVu", "TaiChinh", "CDS"]
    ws = wb["TTHC"]
    assert [c.value for c in ws[4]] == ["STT", "Mã", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    assert ws.protection.sheet and not ws["E5"].protection.locked and ws["C5"].protection.locked
    codes = [ws.cell(row=r, column=2).value for r in range(5, ws.max_row + 1)]
    assert "TTHC_HS_TONG" in codes and "TTHC_TYLE_DUNGHAN" not in codes  # rates are computed, not typed
    assert wb["ThongTin"]["B3"].value == "xa-mau-01" and wb["ThongTin"]["B5"].value == "2026-Q3"


def test_template_refuses_bad_unit_and_period(tmp_path):
    proc = run("template", "--unit", "../x", "--period", "2026-H1", "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "Mã đơn vị không hợp lệ" in proc.stderr
    proc = run("template", "--unit", "xa-mau-09", "--period", "2026-H1", "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "xa-mau-11" in proc.stderr


def test_ingest_writes_processed_tables_and_exits_by_errors(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "seeds_as_published", raw)
    proc = run("ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"))
    assert proc.returncode == 1
    assert (tmp_path / "p" / "indicators.parquet").exists()
    assert (tmp_path / "p" / "validation_report.html").read_text("utf-8").count("parts_sum") >= 4
    assert "lỗi" in proc.stdout


def test_validate_names_the_rule_for_each_bad_fixture_file():
    from cchc_lib.ingest.check import validate_paths

    expected = {
        "negative.csv": "negative", "fractional.csv": "not_integer", "part_exceeds_whole.csv": "part_exceeds_whole",
        "parts_not_summing.csv": "parts_sum", "unknown_indicator.csv": "unknown_indicator",
        "rate_typed.csv": "rate_typed", "duplicate_indicator.csv": "duplicate_indicator",
        "missing_header.csv": "missing_column", "legacy_cp1258.csv": "encoding", "text_in_number.csv": "not_a_number",
        "text_in_number.xlsx": "not_a_number", "formula.xlsx": "formula", "merged.xlsx": "merged_cell",
        "corrupted.xlsx": "file_unreadable", "empty.csv": "empty_file",
        "rec_finished_before.csv": "finished_before_received", "rec_due_before.csv": "due_before_received",
        "rec_duplicate.csv": "duplicate_dossier", "rec_unknown_channel.csv": "unknown_channel",
        "rec_missing_column.csv": "missing_column", "rec_bad_date.csv": "bad_date", "rec_unknown_unit.csv": "unknown_unit",
    }
    for name, rule in expected.items():
        issues = validate_paths([FIXTURES / "bad" / name], config.UNITS_CSV)
        errors = [i for i in issues if i.severity == "error"]
        assert rule in {i.rule for i in errors}, (name, [str(i) for i in issues])
        assert all(name in i.file for i in errors), name


def test_index_is_rewritten_only_when_its_fingerprint_changes(tmp_path):
    from cchc_lib.build.steps import refresh_index

    out = tmp_path / "outputs"
    out.mkdir()
    key, html = "2021-H1/tp-hoa-binh/02_procedures", "2021-H1/tp-hoa-binh/02_procedures.html"
    manifest = {"tasks": {key: {"status": "ok", "html": html, "seconds": 3.0}}}
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    path, written = refresh_index(out)
    assert written and path == out / "index.html" and html in path.read_text("utf-8")
    assert refresh_index(out) == (path, False)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["index_fingerprint"]
    manifest["tasks"][key] |= {"seconds": 9.5, "finished_at": "2030-01-01T00:00:00"}  # times are not shown
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert refresh_index(out) == (path, False)
    manifest["tasks"][key]["status"] = "failed"
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert refresh_index(out) == (path, True)
    assert refresh_index(out, force=True) == (path, True)
    path.unlink()
    assert refresh_index(out) == (path, True)
