"""Runner: the grid executes in a pool, failures stay isolated, rebuilds are incremental."""

import json
import shutil

import pandas as pd

from cchc_lib import config
from cchc_lib.build.runner import run
from cchc_lib.build.steps import summary_table

from .conftest import GRID


def test_small_grid_builds_without_failures(built):
    out, results = built
    assert len(results) == 24
    assert [r for r in results if r.status != "ok"] == []
    for r in results:
        page = (out / r.html).read_text("utf-8")
        assert "from cchc_lib" not in page and "report.show" not in page  # no code
        assert "anchor-link" not in page and "In&nbsp;[" not in page
        if r.notebook != "report":
            assert r.html_bytes <= 120_000, (r.key, r.html_bytes)
    assert all((out / r.pdf).exists() for r in results if r.notebook == "report")


def test_seed_reports_show_published_figures(built):
    out, _ = built
    hb = (out / "2021-H1/tp-hoa-binh/02_procedures.html").read_text("utf-8")
    assert "22.296 hồ sơ" in hb and "99,16%" in hb
    bh = (out / "2024-H1/tp-bien-hoa/06_digital_government.html").read_text("utf-8")
    assert "852/3.734" in bh and "22,82%" in bh
    master = (out / "2024-H1/tp-bien-hoa/report.html").read_text("utf-8")
    assert "Số: 213/BC-UBND" in master and "ngày 14 tháng 6 năm 2024" in master


def test_second_run_executes_nothing(built):
    out, first = built
    again = run(GRID, outputs_dir=out, jobs=2, progress=False)
    assert {r.status for r in again} == {"skipped"}
    assert "bỏ qua (không đổi): 24" in summary_table(again)


def test_stale_page_is_rerendered_without_re_executing(built):
    out, _ = built
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    key = "2024-H1/tp-bien-hoa/report"
    executed = manifest["tasks"][key]["finished_at"]
    pdf_before = (out / manifest["tasks"][key]["pdf"]).read_bytes()
    manifest["tasks"][key]["html_fingerprint"] = "stale"  # as after a stylesheet or nbconvert template edit
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    again = run(GRID, notebooks=["report"], outputs_dir=out, jobs=2, progress=False)
    by_key = {r.key: r for r in again}
    assert by_key[key].status == "ok" and by_key[key].stages == "html,pdf"
    assert {r.status for k, r in by_key.items() if k != key} == {"skipped"}
    assert "Sổ đã chạy: 0, chỉ dựng lại HTML/PDF: 1, bỏ qua (không đổi): 2" in summary_table(again)
    entry = json.loads(manifest_path.read_text("utf-8"))["tasks"][key]
    assert entry["html_fingerprint"] == by_key[key].html_fingerprint and entry["finished_at"] >= executed
    assert (out / entry["pdf"]).read_bytes() == pdf_before  # same HTML, same PDF bytes


def test_changed_params_rerun_only_that_unit(built, tmp_path):
    out, _ = built
    params = tmp_path / "params"
    shutil.copytree(config.REPORT_PARAMS_DIR, params)
    yaml_path = params / "2024-H1" / "tp-bien-hoa.yaml"
    yaml_path.write_text(yaml_path.read_text("utf-8").replace("Không có kiến nghị, đề xuất.", "Đề nghị hỗ trợ kinh phí."),
                         "utf-8")
    again = run(GRID, outputs_dir=out, jobs=2, progress=False, params_dir=params)
    ran = {r.unit for r in again if r.status == "ok"}
    assert ran == {"tp-bien-hoa"}
    assert "Đề nghị hỗ trợ kinh phí." in (out / "2024-H1/tp-bien-hoa/report.html").read_text("utf-8")


def test_same_inputs_give_byte_identical_html_and_pdf(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        run([("tp-bien-hoa", "2024-H1")], notebooks=["report", "02_procedures"], outputs_dir=d, jobs=2,
            progress=False, force=True)
    for name in ("report.html", "report.pdf", "02_procedures.html", "02_procedures.ipynb"):
        assert (a / "2024-H1/tp-bien-hoa" / name).read_bytes() == (b / "2024-H1/tp-bien-hoa" / name).read_bytes(), name


def test_one_units_bad_data_fails_only_that_unit(tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(config.PROCESSED_DIR, processed)
    ind = pd.read_parquet(processed / "indicators.parquet")
    bad = (ind.unit_id == "xa-mau-05") & (ind.period == "2026-H1") & (ind.code == "TTHC_HS_TONG")
    ind.loc[bad, "value"] = -5.0
    ind.to_parquet(processed / "indicators.parquet", index=False)
    results = run([("xa-mau-05", "2026-H1"), ("xa-mau-04", "2026-H1")], notebooks=["02_procedures"],
                  outputs_dir=tmp_path / "out", processed_dir=processed, jobs=2, progress=False, pdf=False)
    status = {r.unit: r for r in results}
    assert status["xa-mau-04"].status == "ok"
    assert status["xa-mau-05"].status == "failed"
    assert "DataError" in status["xa-mau-05"].error and "TTHC_HS_TONG" in status["xa-mau-05"].error
    assert "-5.0" in status["xa-mau-05"].error and "greater_than_or_equal_to" in status["xa-mau-05"].error
    table = summary_table(results)
    assert "lỗi: 1" in table and "xa-mau-05" in table and "DataError" in table
    kept = (tmp_path / "out/2026-H1/xa-mau-05/02_procedures.ipynb").read_text("utf-8")
    assert "DataError" in kept  # the executed notebook is kept with its traceback


def test_a_kernel_that_never_started_is_started_again_and_a_cell_error_is_not(tmp_path, monkeypatch):
    import papermill

    from cchc_lib.build import runner

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError(runner.KERNEL_NOT_STARTED)
        return None

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    task = runner.Task("xa-mau-01", "2026-Q3", "02_procedures")
    assert runner._execute(task, tmp_path / "nb.ipynb", "p", "q") == ("ok", "") and len(calls) == 2

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("a cell failed")

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", broken)
    assert runner._execute(task, tmp_path / "nb.ipynb", "p", "q") == ("failed", "RuntimeError: a cell failed")
    assert len(calls) == 1

    def dead(*args, **kwargs):
        calls.append(1)
        raise RuntimeError(runner.KERNEL_NOT_STARTED)

    calls.clear()
    monkeypatch.setattr(papermill, "execute_notebook", dead)
    assert runner._execute(task, tmp_path / "nb.ipynb", "p", "q")[0] == "failed"
    assert len(calls) == runner.KERNEL_START_ATTEMPTS
