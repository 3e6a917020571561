"""The index opens in headless Chromium; its links resolve and its figures match the data."""

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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


def test_index_works_offline(built):
    out, _ = built
    page = (out / "index.html").read_text("utf-8")
    assert "http://" not in page and "https://" not in page
    assert 'id="q"' in page  # the filter box
    assert Path(out / "manifest.json").exists()
