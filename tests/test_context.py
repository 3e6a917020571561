"""One unit and period loaded: last year's label, the sample-data note, fixed table ids, the coverage line."""

from __future__ import annotations

import dataclasses

import pytest

from cchc_lib.reporting import report
from cchc_lib.reporting.context import SYNTHETIC_NOTE, coverage_data


@pytest.fixture(scope="module")
def sample():
    return report.load("tinh-mau", "2026-Q3")


def test_ly_label_tid_and_synthetic_note(sample):
    assert sample.ly_label == "quý III năm 2025"
    assert sample.ly_label == sample.period.same_period_last_year().label
    assert report.load("tp-bien-hoa", "2024-H1").ly_label == "6 tháng đầu năm 2023"
    assert sample.tid("procedures-key") == "tinh-mau-2026-Q3-procedures-key"
    assert sample.synthetic_note == SYNTHETIC_NOTE and SYNTHETIC_NOTE.startswith("DỮ LIỆU MẪU (GIẢ LẬP)")
    assert report.load("tp-hoa-binh", "2021-H1").synthetic_note == ""


def test_coverage_data_of_an_aggregate(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "tinh-dong-nai.yaml").write_text("aggregate: true\n", "utf-8")
    agg = report.load("tinh-dong-nai", "2024-H1", params_dir=tmp_path)
    assert coverage_data(agg) == {"css_class": "window", "label": "tổng hợp số liệu của 1/1 đơn vị cấp huyện",
                                  "missing": ""}
    present = agg.coverage[0]
    agg.coverage = (present, [dataclasses.replace(present[0], name="Huyện A"),
                              dataclasses.replace(present[0], name="Huyện B")])
    assert coverage_data(agg, "doc-window") == {
        "css_class": "doc-window", "label": "tổng hợp số liệu của 1/3 đơn vị cấp huyện", "missing": "Huyện A, Huyện B"}


def test_coverage_data_of_a_unit_with_its_own_form(sample):
    assert sample.coverage is None and coverage_data(sample) is None


def test_show_header_displays_the_header_html(sample, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    report.show_header(sample, "Cải cách thủ tục hành chính")
    assert [h.data for h in shown] == [report.header_html(sample, "Cải cách thủ tục hành chính")]
    assert "<h1>Cải cách thủ tục hành chính</h1>" in shown[0].data
