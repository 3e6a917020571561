import datetime as dt

import pytest

from cchc_lib import config
from cchc_lib.domain.periods import Period
from cchc_lib.ingest.check import load_registry
from cchc_lib.ingest.params import DocRef, check_reports_dir, load_params
from cchc_lib.reporting.sanitize import clean_html, markdown_to_html

from .conftest import FIXTURES

PUBLISHED = FIXTURES / "seeds_as_published" / "params"


def issues_of(unit, period, base):
    _, issues, _ = load_params(unit, Period.parse(period), base)
    return issues


@pytest.mark.parametrize(("unit", "period"), [("tp-bien-hoa", "2024-H1"), ("tp-hoa-binh", "2021-H1"),
                                              ("huyen-hong-ngu", "2021-H1"), ("phuong-tran-phu", "2021-H1")])
def test_shipped_params_are_clean(unit, period):
    assert issues_of(unit, period, config.REPORT_PARAMS_DIR) == []


def test_published_bien_hoa_mistakes_are_flagged():
    issues = issues_of("tp-bien-hoa", "2024-H1", PUBLISHED)
    by_rule = {(i.rule, i.column): i for i in issues}
    after = by_rule[("document_after_report", "documents[4].date")]
    assert after.severity == "error" and "394/KH-UBND" in after.message and "08/11/2024" in after.message
    assert after.file == "params/reports/2024-H1/tp-bien-hoa.yaml"
    hotline = by_rule[("text_other_period", "text.procedures")]
    assert hotline.severity == "warning" and hotline.value == "6 tháng đầu năm 2023"
    assert ("document_before_period", "documents[0].date") in by_rule  # 393/KH-UBND dated 08/01/2023


def test_published_hong_ngu_and_tran_phu_mistakes_are_flagged():
    hn = issues_of("huyen-hong-ngu", "2021-H1", PUBLISHED)
    assert sum(i.rule == "document_after_report" for i in hn) == 2  # plans dated 22/12/2021 in an H1 2021 report
    tp = {i.rule for i in issues_of("phuong-tran-phu", "2021-H1", PUBLISHED)}
    assert {"document_after_report", "number_year_mismatch"} <= tp  # 61/2020/NĐ-CP ngày 23/4/2018


def test_report_date_before_window_end(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "x.yaml").write_text("document: {number: '1', date: 2024-06-10}\n", "utf-8")
    issues = issues_of("x", "2024-H1", tmp_path)
    assert [(i.rule, i.column) for i in issues] == [("report_before_window_end", "document.date")]


def test_bad_field_names_file_and_field(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "x.yaml").write_text("document: {date: 'ngày mười'}\nsigner: {nam: A}\n", "utf-8")
    issues = issues_of("x", "2024-H1", tmp_path)
    cols = {i.column for i in issues}
    assert "document.date" in cols and "signer.nam" in cols
    assert all(i.file == "params/reports/2024-H1/x.yaml" for i in issues)


@pytest.mark.parametrize("bad", ["document: {number: '12', date: 2024-06-31}\n",
                                 "document: {number: '12', date: 'ngày mười'}\n"])
def test_one_bad_field_loses_only_itself(tmp_path, bad):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "x.yaml").write_text(bad + "subject: Báo cáo CCHC\nsigner: {name: Nguyễn Văn A}\n",
                                                  "utf-8")
    params, issues, _ = load_params("x", Period.parse("2024-H1"), tmp_path)
    assert [(i.rule, i.column) for i in issues if i.severity == "error"][0][1] == "document.date"
    assert params.document.date is None and params.document.number == "12"
    assert params.subject == "Báo cáo CCHC" and params.signer.name == "Nguyễn Văn A"


def test_a_bad_date_on_a_line_of_several_keys_loses_only_that_date(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "x.yaml").write_text(
        "subject: Báo cáo CCHC\ndocuments:\n  - {type: Kế hoạch, number: 1/KH-UBND, date: 2024-02-30, subject: x}\n",
        "utf-8")
    params, issues, _ = load_params("x", Period.parse("2024-H1"), tmp_path)
    bad = [i for i in issues if i.rule == "params_bad_date"]
    assert [(i.column, i.row, i.value) for i in bad] == [("documents[0].date", 3, "2024-02-30")]
    assert params.subject == "Báo cáo CCHC"  # the key on the date's line that is not the date is kept
    assert params.documents[0].number == "1/KH-UBND" and params.documents[0].date is None


def test_broken_yaml(tmp_path):
    (tmp_path / "2024-H1").mkdir()
    (tmp_path / "2024-H1" / "x.yaml").write_text("document: [unclosed\n", "utf-8")
    issues = issues_of("x", "2024-H1", tmp_path)
    assert issues[0].rule == "params_unreadable" and issues[0].severity == "error"


def test_no_params_still_renders_and_marks_missing():
    from cchc_lib.reporting import official, report

    ctx = report.load("xa-mau-01", "2026-H1")
    header = official.document_header(ctx)
    assert "Dự thảo: còn thiếu" in header and "document.number" in header
    assert "ngày \u2003 tháng \u2003 năm 2026" in header


def test_citation_official_form():
    doc = DocRef(type="Kế hoạch", number="05/KH-UBND", date=dt.date(2023, 1, 12),
                 issuer="Ủy ban nhân dân thị xã", subject="cải cách hành chính năm 2023")
    assert doc.citation() == ("Kế hoạch số 05/KH-UBND ngày 12/01/2023 của Ủy ban nhân dân thị xã "
                              "về cải cách hành chính năm 2023")


@pytest.mark.parametrize("evil", [
    "<script>alert(1)</script>ok",
    '<img src=x onerror="alert(1)">ok',
    "[bấm](javascript:alert(1)) ok",
    '<a href="javascript:alert(1)" onclick="x()">ok</a>',
    "<iframe src='https://evil'></iframe>ok",
    '<svg onload="alert(1)"></svg>ok',
])
def test_analyst_text_is_sanitized(evil):
    for out in (markdown_to_html(evil), clean_html(evil)):  # Markdown text, and raw HTML through the sanitizer
        tags, attrs, hrefs = parse(out)
        assert not tags & {"script", "iframe", "img", "svg"}
        assert not [a for a in attrs if a.startswith("on")]
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
        assert "ok" in out


def parse(fragment):
    from html.parser import HTMLParser

    found = {"tags": set(), "attrs": [], "hrefs": []}

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attributes):
            found["tags"].add(tag)
            for name, value in attributes:
                found["attrs"].append(name)
                if name == "href":
                    found["hrefs"].append(value or "")

    Collector().feed(fragment)
    return found["tags"], found["attrs"], found["hrefs"]


def test_sanitized_text_reaches_the_report(tmp_path):
    from cchc_lib.reporting import report

    (tmp_path / "2026-H1").mkdir()
    (tmp_path / "2026-H1" / "xa-mau-01.yaml").write_text(
        "text:\n  procedures: \"**Tốt** <script>alert('x')</script> [x](javascript:alert(1))\"\n", "utf-8")
    ctx = report.load("xa-mau-01", "2026-H1", params_dir=tmp_path)
    block = report.block(ctx, "analyst", "procedures")
    tags, attrs, hrefs = parse(block)
    assert "<strong>Tốt</strong>" in block and "script" not in tags and hrefs == []


def test_a_reports_folder_is_checked_file_by_file():
    registry = load_registry(config.UNITS_CSV)
    expected = [i for path in sorted(PUBLISHED.glob("*/*.yaml")) for i in issues_of(path.stem, path.parent.name, PUBLISHED)]
    assert expected and check_reports_dir(PUBLISHED, registry) == expected
    assert check_reports_dir(PUBLISHED / "no-such-folder", registry) == []
