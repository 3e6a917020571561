"""The master report as an A4 PDF: read back with poppler (pdftotext, pdfinfo, pdffonts, pdftoppm)."""

import re
import shutil
import subprocess

import pytest

from cchc_lib.build.runner import run

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make setup`")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    """Biên Hòa 2024-H1, the master report alone, built into a temporary outputs folder."""
    out = tmp_path_factory.mktemp("pdf-outputs")
    results = run([("tp-bien-hoa", "2024-H1")], notebooks=["report"], outputs_dir=out, jobs=1, progress=False)
    assert results[0].status == "ok", results[0].error
    path = out / "2024-H1" / "tp-bien-hoa" / "report.pdf"
    assert path.exists()
    return path


def text(pdf, first=None, last=None, *extra):
    args = ["pdftotext", "-layout", *extra]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_a4_pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 5


def test_header_title_and_figures_with_diacritics(pdf):
    page1 = text(pdf, 1)
    for s in ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ BIÊN HÒA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "Độc lập - Tự do - Hạnh phúc", "Số: 213/BC-UBND", "Biên Hòa, ngày 14 tháng 6 năm 2024", "BÁO CÁO",
              "Kính gửi:", "UBND tỉnh Đồng Nai", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"):
        assert s in page1, s
    assert "Kết quả thực hiện công tác cải cách hành chính trên địa bàn" in re.sub(r"\s+", " ", page1)
    whole = re.sub(r"\s+", " ", text(pdf))
    for s in ("852/3.734 hồ sơ, tương ứng 22,82%", "208.986 triệu đồng", "Đỗ Khôi Nguyên", "Nơi nhận:",
              "PHỤ LỤC", "(Kèm theo Báo cáo số 213/BC-UBND ngày 14/06/2024", "./.", "Nguồn gốc số liệu"):
        assert s in whole, s


def test_page_numbers_only_from_page_two(pdf):
    page1 = text(pdf, 1).strip().splitlines()
    page2 = text(pdf, 2).strip().splitlines()
    assert page1[0].strip() != "1"
    assert page2[0].strip() == "2"


def test_margins_and_font(pdf):
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = [tuple(map(float, m)) for m in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)]
    body = [w for w in words if w[1] > 60]  # below the page number in the top margin
    mm = 72 / 25.4
    assert min(w[0] for w in body) >= 30 * mm - 1  # left margin 30 mm
    assert max(w[2] for w in body) <= 595.28 - 15 * mm + 1  # right margin 15 mm
    assert min(w[1] for w in words) < 20 * mm  # the page number sits in the top margin
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Liberation-Serif" in fonts and "emb" in fonts


def test_page_one_png_for_a_person(pdf):
    png = pdf.with_name("report-trang1.png")
    assert png.exists() and png.stat().st_size > 20_000


def test_long_tables_repeat_their_header(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    continued = 0
    for page in range(2, pages + 1):
        lines = [ln.strip() for ln in text(pdf, page).splitlines() if ln.strip()]
        # a page that opens on an appendix row numbered above 1 continues a table from the page before
        if len(lines) > 3 and lines[1].startswith("STT Chỉ tiêu"):
            row = next((ln for ln in lines[2:] if re.match(r"^\d+ ", ln)), "")
            if row and int(row.split()[0]) > 1:
                continued += 1
    assert continued >= 2  # the appendix spans pages and its header is repeated on each
