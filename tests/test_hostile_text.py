"""Text from the inputs reaching charts and pages: always literal, never markup, mathtext or a crash."""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import subprocess
import sys

import pytest

from cchc_lib.reporting import charts

from .conftest import REPO

NAMES = {
    "dollar_signs_mathtext": "Xã $A$ mới",
    "tex_commands": r"Phường \frac{1}{2} \alpha_{x}^{2}",
    "html_markup": 'Xã <b>Mẫu</b> <script>alert(1)</script> & "Đông"',
    "template_braces": "Xã {{ 7*7 }} {% if x %}",
    "format_placeholders": "Xã 100% %s %d {0}",
    "very_long_name": "Ủy ban nhân dân xã " + "Mẫu Sơn " * 30,
}


@pytest.mark.inputs
@pytest.mark.parametrize("name", list(NAMES))
def test_a_label_is_drawn_literally(name, case_row):
    label = NAMES[name]
    svg = charts.ranked_bars([label, "Xã B"], [97.5, 91.0], 95.0, f"Tỷ lệ đúng hạn: {label}")
    shown = html.escape(label, quote=False)
    case_row("chart", "biểu đồ vẽ được, nhãn đúng nguyên văn", None, f"{svg.count(shown)} lần nguyên văn trong SVG")
    assert svg.count(f">{shown}</text>") == 1 and svg.count(f">Tỷ lệ đúng hạn: {shown}</text>") == 1


@pytest.mark.inputs
def test_a_character_no_font_has_is_drawn_as_a_box(case_row):
    svg = charts.ranked_bars(["Xã Mẫu 🌾", "Xã B"], [97.5, 91.0], 95.0, "Tỷ lệ")
    case_row("chart", "biểu đồ vẽ được; ký tự không có trong phông vẽ thành □", None,
             "Xã Mẫu □" if ">Xã Mẫu □</text>" in svg else "")
    assert ">Xã Mẫu □</text>" in svg and "🌾" not in svg


HOSTILE = 'Xã $A$ <b>Mẫu</b> {{ 7*7 }} 🌾'


@pytest.mark.hostile
def test_a_hostile_unit_name_reaches_its_page_and_its_parents_chart_literally(tmp_path, case_row):
    root = tmp_path / "root"
    (root / "data/raw/forms").mkdir(parents=True)
    shutil.copytree(REPO / "data/raw/forms/2026-Q3", root / "data/raw/forms/2026-Q3")
    for rel in ("params", "notebooks"):
        shutil.copytree(REPO / rel, root / rel)
    for rel in ("data/processed", "outputs"):
        (root / rel).mkdir(parents=True)
    with (REPO / "data/raw/units.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name"] = HOSTILE if row["unit_id"] == "xa-mau-01" else row["name"]
    with (root / "data/raw/units.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    env = os.environ | {"CCHC_ROOT": str(root), "CCHC_CODE_VERSION": "cchc (phiên bản cố định để so sánh)"}
    proc = subprocess.run([sys.executable, "-m", "cchc_lib.build.cli", "build", "--no-pdf", "--period", "2026-Q3",
                           "--unit", "xa-mau-01", "--unit", "tinh-mau", "--notebook", "report"], capture_output=True, text=True, cwd=root, env=env,
                          timeout=900)
    report = json.loads((root / "data/processed/validation_report.json").read_text("utf-8"))
    warning = [f"cảnh báo `{i['rule']}` @ units.csv, dòng {i['row']}: {i['message']}" for i in report["issues"]
               if i["rule"] == "unit_name_characters"]
    own = (root / "outputs/2026-Q3/xa-mau-01/report.html").read_text("utf-8")
    parent = (root / "outputs/2026-Q3/tinh-mau/report.html").read_text("utf-8")
    case_row("chart", "exit 0; cảnh báo `unit_name_characters`; báo cáo của xã và của tỉnh in tên nguyên văn "
             "(đã thoát HTML)", proc.returncode, warning[0][:150] if warning else "")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert warning and "U+1F33E" in warning[0]
    # The commune's own report names it without the level ("Ủy ban nhân dân xã …"); the province lists it whole.
    assert f"Ủy ban nhân dân xã {html.escape(HOSTILE.removeprefix('Xã '), quote=False)} báo cáo" in own
    assert f"<td>{html.escape(HOSTILE, quote=False)}</td>" in parent
    assert "<b>Mẫu</b>" not in own + parent and "49" not in own.split("{{ 7*7 }}")[0][-40:]
