"""The default grid builds the units that report, never a province draft carrying a child's figures."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cchc_lib.build.cli import main
from cchc_lib.build.runner import default_grid, describe_grid, report_units
from cchc_lib.domain.periods import Period
from cchc_lib.exceptions import DataError
from cchc_lib.ingest.params import load_params
from cchc_lib.reporting import official, report
from cchc_lib.reporting.dataset import Dataset

SEEDS = {("tp-hoa-binh", "2021-H1"), ("huyen-hong-ngu", "2021-H1"), ("phuong-tran-phu", "2021-H1"),
         ("tp-bien-hoa", "2024-H1")}
PROVINCES = {"tinh-dong-nai", "tinh-hoa-binh", "tinh-dong-thap", "tinh-hai-duong"}


@pytest.fixture(scope="module")
def ds():
    return Dataset.load()


def test_default_grid_is_the_seed_units_and_the_sample_tree(ds):
    grid = default_grid(ds)
    assert len(grid) == 26
    assert SEEDS <= set(grid)
    assert {u for u, p in grid if p in ("2021-H1", "2024-H1")} == {u for u, _ in SEEDS}
    assert not [u for u, _ in grid if u in PROVINCES or u.endswith("-cap-xa")]
    sample = [(u, p) for u, p in grid if p not in ("2021-H1", "2024-H1")]
    assert [u for u, p in sample if p != "2026-Q3"] == ["tinh-mau"] * 6
    assert len([u for u, p in sample if p == "2026-Q3"]) == 16


def test_the_grid_is_printed_before_the_build(ds):
    text = describe_grid(default_grid(ds), 8)
    assert text.splitlines()[0] == "Lưới: 26 đơn vị-kỳ x 8 sổ = 208 sổ"
    assert "  2021-H1: 3 đơn vị: huyen-hong-ngu, phuong-tran-phu, tp-hoa-binh" in text
    assert "  2024-H1: 1 đơn vị: tp-bien-hoa" in text


def test_a_group_row_or_a_parent_without_a_form_is_refused(ds):
    assert "là nhóm đơn vị" in ds.not_reportable("tp-bien-hoa-cap-xa", "2024-H1")
    reason = ds.not_reportable("tinh-dong-nai", "2024-H1")
    assert "không có biểu mẫu kỳ 2024-H1" in reason and "aggregate: true" in reason
    assert "params/reports/2024-H1/tinh-dong-nai.yaml" in reason
    with pytest.raises(DataError, match="aggregate: true"):
        report.load("tinh-dong-nai", "2024-H1")
    out = CliRunner().invoke(main, ["run", "--unit", "tinh-dong-nai", "--period", "2024-H1", "--notebook", "report"])
    assert out.exit_code == 1
    assert "tinh-dong-nai 2024-H1: Tỉnh Đồng Nai (tinh-dong-nai) không có biểu mẫu" in out.output
    assert "Lưới: 0 đơn vị-kỳ" in out.output


def test_an_aggregate_is_built_when_its_params_ask(ds, tmp_path):
    params = tmp_path / "2024-H1"
    params.mkdir()
    (params / "tinh-dong-nai.yaml").write_text("aggregate: true\n", "utf-8")
    assert "tinh-dong-nai" in report_units(ds, "2024-H1", tmp_path)
    assert ("tinh-dong-nai", "2024-H1") in default_grid(ds, tmp_path)
    ctx = report.load("tinh-dong-nai", "2024-H1", params_dir=tmp_path)
    assert report.coverage_label(ctx) == "tổng hợp số liệu của 1/1 đơn vị cấp huyện"
    assert "(tổng hợp số liệu của 1/1 đơn vị cấp huyện)" in official.document_header(ctx)


def test_the_aggregate_names_the_children_that_sent_nothing(ds, tmp_path):
    """Tỉnh Mẫu 2026-Q3 as an aggregate, with two communes' forms withdrawn."""
    gone = {"xa-mau-07", "phuong-mau-04"}
    keep = ~(ds.indicators["unit_id"].isin(gone | {"tinh-mau"}) & (ds.indicators["period"] == "2026-Q3"))
    stats = ~(ds.dossier_stats["unit_id"].isin(gone) & (ds.dossier_stats["period"] == "2026-Q3"))
    partial = Dataset(registry=ds.registry, indicators=ds.indicators[keep].reset_index(drop=True),
                      dossier_stats=ds.dossier_stats[stats].reset_index(drop=True), issues=ds.issues,
                      targets=ds.targets, catalog=ds.catalog, hashes=ds.hashes)
    assert "tinh-mau" not in report_units(partial, "2026-Q3")
    (tmp_path / "2026-Q3").mkdir()
    (tmp_path / "2026-Q3" / "tinh-mau.yaml").write_text("aggregate: true\n", "utf-8")
    assert "tinh-mau" in report_units(partial, "2026-Q3", tmp_path)
    q3 = Period.parse("2026-Q3")
    ctx = report.Context(partial, partial.registry["tinh-mau"], q3, load_params("tinh-mau", q3, tmp_path)[0])
    present, missing = ctx.coverage
    assert sorted(u.unit_id for u in missing) == sorted(gone)
    assert report.coverage_label(ctx) == f"tổng hợp số liệu của {len(present)}/{len(present) + 2} đơn vị trực thuộc"
    html = report.header_html(ctx, "Báo cáo")
    assert ("<p class='window coverage'>(tổng hợp số liệu của 13/15 đơn vị trực thuộc)</p>"
            "<p class='window coverage-missing'>Chưa có số liệu: Phường Mẫu 04, Xã Mẫu 07.</p>") in html
    assert report.coverage_html(ctx, "doc-window") in official.document_header(ctx)


def test_key_figure_headers_keep_roman_numerals(ds):
    ctx = report.load("tinh-mau", "2026-Q3")
    table = report.key_figures_html(ctx, "procedures")
    assert "Quý III năm 2026" in table and "Quý III năm 2025" in table
    assert "Quý iii" not in table


def test_a_broken_targets_file_stops_a_run_with_a_message(tmp_path, monkeypatch):
    from cchc_lib import config
    from cchc_lib.reporting import dataset as indicators

    bad = tmp_path / "targets.yaml"
    bad.write_text("TTHC_TYLE_DUNGHAN:\n  threshold: '95%'\n  direction: '>='\n  source: x\n", "utf-8")
    monkeypatch.setattr(indicators, "TARGETS_YAML", bad)
    monkeypatch.setattr(config, "TARGETS_YAML", bad)
    out = CliRunner().invoke(main, ["run", "--period", "2024-H1", "--notebook", "report"])
    assert out.exit_code == 2
    assert "LỖI: Không dùng được tệp chỉ tiêu" in out.output and "95%" in out.output
