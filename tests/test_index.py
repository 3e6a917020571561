"""The index: opens in headless Chromium, links resolve, figures match the data, every value is escaped."""

import dataclasses
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cchc_lib import pages
from cchc_lib.build.index import render_index
from cchc_lib.build.runner import NOTEBOOKS
from cchc_lib.domain.fmt import fmt_int, fmt_pct
from cchc_lib.reporting.dataset import Dataset

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is installed by `make setup`")
def test_index_in_headless_chromium(built, tmp_path):
    out, _ = built
    index = out / "index.html"
    shot = out / "index.png"
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    subprocess.run([CHROMIUM, *FLAGS, *profile, "--window-size=1400,900", f"--screenshot={shot}", index.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = subprocess.run([CHROMIUM, *FLAGS, *profile, "--dump-dom", index.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    links = re.findall(r'href="([^"]+)"', dom)
    report_links = [link for link in links if link.endswith((".html", ".pdf")) and not link.startswith("..")]
    assert len(report_links) >= 24
    for link in report_links:
        assert (out / html.unescape(link)).exists(), link
    ds = Dataset.load()
    rows = re.findall(r'<tr data-unit="([^"]+)" data-period="([^"]+)">(.*?)</tr>', dom, flags=re.S)
    assert {(u, p) for u, p, _ in rows} == {("tinh-mau", "2026-H1"), ("tp-hoa-binh", "2021-H1"),
                                            ("tp-bien-hoa", "2024-H1")}
    for unit, period, cells in rows:
        vals = ds.values(unit, period)
        shown = dict(re.findall(r'data-code="([A-Z_0-9]+)">([^<]*)<', cells))
        assert shown["TTHC_HS_TONG"] == fmt_int(vals["TTHC_HS_TONG"].value)
        assert shown["TTHC_TYLE_DUNGHAN"] == fmt_pct(vals["TTHC_TYLE_DUNGHAN"].value)
    hb = next(c for u, p, c in rows if u == "tp-hoa-binh")
    assert "22.296" in hb and "99,16%" in hb and "76,26%" in hb


HB_LINKS = [f"2021-H1/tp-hoa-binh/{nb}.html" for nb in NOTEBOOKS[:-1]] + ["2021-H1/tp-hoa-binh/report.html",
                                                                          "2021-H1/tp-hoa-binh/report.pdf"]


def row_of(page: str, unit: str, period: str) -> str:
    """The <tr> of one unit and period, as written (single-quoted attributes)."""
    return re.search(rf"<tr data-unit='{unit}' data-period='{period}'>(.*?)</tr>", page).group(1)


def cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def test_index_works_offline(built):
    out, _ = built
    page = (out / "index.html").read_text("utf-8")
    assert "http://" not in page and "https://" not in page
    assert '<input id="q" type="search"' in page and '<span id="count">3</span> dòng' in page  # the filter box
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</script>\n</body></html>\n")
    assert f"<style>{pages.stylesheet()}</style>" in page  # the one stylesheet, inlined
    hb = cells(row_of(page, "tp-hoa-binh", "2021-H1"))
    assert hb[:4] == ["6 tháng đầu năm 2021", "Thành phố Hòa Bình", "cấp huyện", "8/8 sổ"]
    assert hb[5:] == ["22.296", "99,16%", "76,26%"]
    assert re.findall(r"href='([^']+)'", hb[4]) == HB_LINKS
    assert all((out / link).exists() for link in HB_LINKS)
    assert "<a href='2021-H1/tp-hoa-binh/report.pdf' title='PDF'>PDF</a>" in hb[4]
    tm = cells(row_of(page, "tinh-mau", "2026-H1"))
    assert tm[:3] == ["6 tháng đầu năm 2026", "Tỉnh Mẫu <span class='syn'>mẫu</span>", "cấp tỉnh"]
    assert Path(out / "manifest.json").exists()


def entry(period: str, unit: str, nb: str, status: str = "ok", pdf: bool = False, html: bool = True) -> dict:
    """A manifest task as the runner writes it (only what the index reads)."""
    base = f"{period}/{unit}/{nb}"
    return {"status": status, "html": f"{base}.html" if html else "", "pdf": f"{base}.pdf" if pdf else ""}


def manifest_of(period: str, unit: str, **changed: dict) -> dict:
    """Eight tasks of one unit and period, all ok, the report with its PDF; ``changed`` overrides some."""
    tasks = {nb: entry(period, unit, nb, pdf=nb == "report") for nb in NOTEBOOKS} | changed
    return {"tasks": {f"{period}/{unit}/{nb}": e for nb, e in tasks.items()}}


@pytest.fixture()
def ds():
    """The shipped data as ingested for the session (a fresh copy: tests change names and issues)."""
    return Dataset.load()


def test_row_values_links_and_figures(ds):
    page = render_index(ds, manifest_of("2024-H1", "tp-bien-hoa"))
    row = cells(row_of(page, "tp-bien-hoa", "2024-H1"))
    assert row[:4] == ["6 tháng đầu năm 2024", "Thành phố Biên Hòa", "cấp huyện", "8/8 sổ"]
    assert row[5:] == ["124.587", "93,94%", "—"]  # no online figure for Biên Hòa 2024-H1: a dash
    assert ds.values("tp-bien-hoa", "2024-H1")["TTHC_TYLE_TRUCTUYEN"].missing
    assert row[4].startswith("<a href='2024-H1/tp-bien-hoa/00_direction.html' title='Công tác chỉ đạo, điều hành "
                             "cải cách hành chính'>Chỉ đạo</a> <a href='2024-H1/tp-bien-hoa/01_institutions.html'")
    assert row[4].endswith("<a href='2024-H1/tp-bien-hoa/report.html' title='Báo cáo tổng hợp'>Báo cáo</a> "
                           "<a href='2024-H1/tp-bien-hoa/report.pdf' title='PDF'>PDF</a>")
    assert "<th class='num'>Hồ sơ tiếp nhận</th><th class='num'>Tỷ lệ đúng hạn</th>" in page
    assert '<span id="count">1</span> dòng' in page


def test_failed_notebooks_missing_pages_and_input_errors(ds):
    manifest = manifest_of("2021-H1", "tp-hoa-binh", **{
        "02_procedures": entry("2021-H1", "tp-hoa-binh", "02_procedures", status="failed"),
        "05_public_finance": entry("2021-H1", "tp-hoa-binh", "05_public_finance", status="failed", html=False),
        "report": entry("2021-H1", "tp-hoa-binh", "report", status="skipped", pdf=True)})
    ds.issues = ds.issues + [{"unit_id": "tp-hoa-binh", "period": "2021-H1", "severity": "error"}] * 2
    row = cells(row_of(render_index(ds, manifest), "tp-hoa-binh", "2021-H1"))
    assert row[3] == "<span class='bad'>lỗi: TTHC, Tài chính</span> · <span class='bad'>2 lỗi số liệu</span>"
    assert ("<a class='bad' href='2021-H1/tp-hoa-binh/02_procedures.html' title='Cải cách thủ tục hành chính'>"
            "TTHC</a>") in row[4]
    assert "05_public_finance" not in row[4]  # no page, no link
    assert len(re.findall("<a ", row[4])) == 8  # 6 pages left, the report and its PDF


def test_names_and_paths_are_escaped(ds):
    unit = ds.registry.units["tp-hoa-binh"]
    ds.registry.units["tp-hoa-binh"] = dataclasses.replace(unit, name='Phường <Mới> & "Cũ" \'A\'')
    odd = {"status": "ok", "html": "2021-H1/tp-hoa-binh/a'b&c.html", "pdf": ""}
    page = render_index(ds, manifest_of("2021-H1", "tp-hoa-binh", **{"00_direction": odd}))
    row = cells(row_of(page, "tp-hoa-binh", "2021-H1"))
    assert row[1] == "Phường &lt;Mới&gt; &amp; &quot;Cũ&quot; &#x27;A&#x27;"
    assert "<Mới>" not in page
    assert "href='2021-H1/tp-hoa-binh/a&#x27;b&amp;c.html'" in row[4]


def test_empty_manifest(ds):
    page = render_index(ds, {"tasks": {}})
    assert '<span id="count">0</span> dòng' in page
    assert "</thead><tbody>\n\n</tbody></table>" in page
