"""The validation report as written from Issue objects: summary counts, per-file rows, locations, advice, escaping."""

import json
import re

import pytest

from cchc_lib import pages
from cchc_lib.domain.issues import ADVICE, ERROR, WARNING, Issue
from cchc_lib.ingest.validation_report import write_html, write_json

CSV = "data/raw/forms/2026-H1/xa-mau-02.csv"
XLSX = "data/raw/forms/2026-H1/xa-mau-05.xlsx"
ISSUES = [
    Issue(ERROR, "negative", "Số liệu không được âm: -3.", file=CSV, row=2, column="CD_KH_TONG", value="-3"),
    Issue(ERROR, "not_a_number", "Không đọc được số.", file=XLSX, sheet="TTHC", cell="E14", value="mười hai"),
    Issue(WARNING, "extra_sheet", "Trang tính thừa.", file=XLSX, sheet="Ghi chú"),
    Issue(WARNING, "formula", "Ô chứa công thức.", file=XLSX, cell="E5", value="=10+10"),
    Issue(ERROR, "bad_unit_row", "Dòng <b>lạ</b> & \"x\" 'y'", value="<script>"),
]
FILES = [
    {"file": CSV, "kind": "biểu mẫu", "rows_in": 5, "rows_ok": 4, "rows_rejected": 1},
    {"file": XLSX, "kind": "biểu mẫu", "rows_in": 40, "rows_ok": 39, "rows_rejected": 1},
    {"file": "data/raw/dossiers/export.csv"},  # read, nothing found, no counts given
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "processed" / "validation_report.html"
    write_html(path, ISSUES, FILES)
    return path.read_text("utf-8")


def rows(table: str) -> list[list[str]]:
    """The cells of each data row of one table."""
    return [re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in re.findall(r"<tr>(<td.*?)</tr>", table)]


def table_after(page: str, heading: str) -> str:
    return page.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]


def test_summary_line_counts(page):
    assert ("<p><span class='error'>3 lỗi</span>, <span class='warning'>2 cảnh báo</span>, 3 tệp. "
            "Lỗi làm dòng/ô bị loại (xem data/processed/rejects/); cảnh báo không chặn báo cáo.</p>") in page


def test_one_row_per_file(page):
    summary = page.split("</table>", 1)[0]
    assert rows(summary) == [[CSV, "biểu mẫu", "5", "4", "1", "1", "0"], [XLSX, "biểu mẫu", "40", "39", "1", "1", "2"],
                             ["data/raw/dossiers/export.csv", "", "0", "0", "0", "0", "0"]]
    assert f"<td class='num error'>1</td><td class='num'>0</td></tr>\n<tr><td>{XLSX}</td>" in summary
    assert "<td class='num '>0</td>" in summary  # a file without errors is not marked


def test_findings_by_file_with_location_and_advice(page):
    assert re.findall(r"<h2>(.*?)</h2>", page) == [CSV, XLSX, "(chung)"]
    assert rows(table_after(page, CSV)) == [
        ["Lỗi", "dòng 2", "CD_KH_TONG", "-3", "<code>negative</code>", "Số liệu không được âm: -3.",
         "Số liệu không được âm."]]
    xlsx = rows(table_after(page, XLSX))
    assert [r[:2] for r in xlsx] == [["Lỗi", "TTHC!E14"], ["Cảnh báo", "trang Ghi chú"], ["Cảnh báo", "E5"]]
    assert xlsx[1][6] == ADVICE["extra_sheet"] and xlsx[2][3] == "=10+10"
    assert "<tr><td class='warning'>Cảnh báo</td><td>E5</td>" in page
    assert "<td class='note'>Ô chứa công thức: thay bằng giá trị (Dán đặc biệt → Giá trị).</td>" in page


def test_every_value_is_escaped(page):
    general = rows(table_after(page, "(chung)"))
    assert general == [["Lỗi", "", "", "&lt;script&gt;", "<code>bad_unit_row</code>",
                        "Dòng &lt;b&gt;lạ&lt;/b&gt; &amp; &quot;x&quot; &#x27;y&#x27;", ADVICE["bad_unit_row"]]]
    assert "<script>" not in page and "<b>" not in page


def test_page_frame(page):
    assert page.startswith("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>\n"
                           "<title>Báo cáo kiểm tra số liệu đầu vào</title>\n")
    assert f"<style>{pages.stylesheet()}</style></head><body>\n<h1>Báo cáo kiểm tra số liệu đầu vào CCHC</h1>" in page
    assert page.endswith("</table>\n</body></html>")


def test_no_findings(tmp_path):
    path = tmp_path / "validation_report.html"
    write_html(path, [], FILES[:1])
    page = path.read_text("utf-8")
    assert "<span class='ok'>0 lỗi</span>, <span class='warning'>0 cảnh báo</span>, 1 tệp." in page
    assert "<h2>" not in page and rows(page) == [[CSV, "biểu mẫu", "5", "4", "1", "0", "0"]]


def test_json(tmp_path):
    path = tmp_path / "processed" / "validation_report.json"
    write_json(path, ISSUES, FILES)
    report = json.loads(path.read_text("utf-8"))
    assert report["summary"] == {"errors": 3, "warnings": 2, "files": 3}
    assert report["files"] == FILES
    first, second = report["issues"][:2]
    assert first | {"advice": ""} == {"severity": "error", "rule": "negative", "message": "Số liệu không được âm: -3.",
                                      "file": CSV, "sheet": "", "cell": "", "row": 2, "column": "CD_KH_TONG",
                                      "value": "-3", "unit_id": "", "period": "", "indicator": "", "advice": "",
                                      "place": f"{CSV}, dòng 2, cột CD_KH_TONG"}
    assert first["advice"] == ADVICE["negative"]
    assert second["place"] == f"{XLSX}, TTHC!E14" and second["row"] is None
    assert [i["rule"] for i in report["issues"]] == [i.rule for i in ISSUES]
