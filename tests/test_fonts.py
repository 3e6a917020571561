"""Charts and PDFs use the bundled fonts, whatever fonts (and font caches) the machine has.

A hostile machine is built in a temporary HOME: decoy fonts named "Liberation Sans/Serif" with
DejaVu's metrics and a newer version number, which fontconfig and matplotlib prefer to the
real ones. Reports made there must be byte-identical to reports made on a clean machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_lib import config
from cchc_lib.reporting import charts
from cchc_lib.reporting.fonts import FONT_DIR, SANS, SERIF, FontError, font_paths

from .decoy_fonts import make_decoys
from .test_nbval_detects import nbval

SCRIPT = r"""
import json, sys
from matplotlib.font_manager import FontProperties
from cchc_lib.reporting import charts
from cchc_lib.reporting.fonts import SANS, matplotlib_font_file, pdf_font_files, weasyprint_font_config
from cchc_lib.reporting.render import css, html_to_pdf

svg = charts.rate_trend(["Q1", "H1"], {"Đúng hạn": [90.5, 97.25]}, {"Đúng hạn": 95}, "Tỷ lệ hồ sơ đúng hạn")
fonts = sorted(str(matplotlib_font_file(FontProperties(family=SANS, weight=w))) for w in ("normal", "bold"))
html = ("<html><head><style>" + css() + "</style></head><body class='official'><h1>Báo cáo</h1><p>Hồ sơ <b>đúng hạn</b> "
        "<i>99,16%</i> <code>sha</code></p><figure class='chart'>" + svg + "</figure></body></html>")
html_to_pdf(html, sys.argv[1])
from weasyprint import HTML
try:  # the same page through WeasyPrint's own (system) font configuration
    doc = HTML(string=html).render()
    doc.write_pdf()
    pdf_font_files(doc)
    system = "bundled"
except Exception as exc:
    system = type(exc).__name__
print(json.dumps({"svg": svg, "chart_fonts": fonts, "system_pdf": system}))
"""


def machine(tmp: Path, decoys: bool) -> dict:
    """Environment of a new machine: empty HOME and caches, optionally with decoy fonts installed."""
    home = tmp / ("hostile" if decoys else "clean")
    if decoys:
        make_decoys(home / ".local" / "share" / "fonts")
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPL", "FONTCONFIG", "JUPYTER"))}
    return env | {"HOME": str(home), "MPLCONFIGDIR": str(home / "mpl"), "XDG_CACHE_HOME": str(home / "cache")}


def run_script(tmp: Path, decoys: bool) -> tuple[dict, bytes]:
    env = machine(tmp, decoys)
    pdf = Path(env["HOME"]) / "page.pdf"
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(pdf)], capture_output=True, text=True, env=env,
                         cwd=tmp, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), pdf.read_bytes()


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fonts")
    return run_script(tmp, decoys=False), run_script(tmp, decoys=True), tmp


def test_the_decoys_fool_fontconfig_and_matplotlib(both):
    """Sanity: the hostile machine offers the decoys to fontconfig and matplotlib."""
    _, _, tmp = both
    env = machine(tmp, decoys=True)
    fc = subprocess.run(["fc-match", "-f", "%{file}", SERIF], capture_output=True, text=True, env=env, check=True)
    assert "Decoy" in fc.stdout
    # matplotlib keeps the first of equal matches, in an order that depends on the machine: the decoy
    # is one of its candidates for the family, which is enough to change a chart on some machines.
    mpl = subprocess.run([sys.executable, "-c", "import matplotlib.font_manager as fm; "
                          f"print([e.fname for e in fm.fontManager.ttflist if e.name == '{SANS}'])"],
                         capture_output=True, text=True, env=env, check=True)
    assert "DecoySans-Regular.ttf" in mpl.stdout and "DecoySans-Bold.ttf" in mpl.stdout
    hostile, _ = both[1]
    assert hostile["system_pdf"] == "FontError"  # the PDF check catches a decoy when it is not prevented


def test_charts_and_pdf_use_the_bundled_files_on_a_hostile_machine(both):
    (clean, clean_pdf), (hostile, hostile_pdf), _ = both
    expected = sorted(str(FONT_DIR / f) for f in ("LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf"))
    assert clean["chart_fonts"] == hostile["chart_fonts"] == expected
    assert hostile["svg"] == clean["svg"]
    assert 'font-family="Liberation Sans"' in clean["svg"] or "'Liberation Sans'" in clean["svg"]
    assert hostile_pdf == clean_pdf
    fonts = subprocess.run(["pdffonts", "-"], input=hostile_pdf, capture_output=True, check=True).stdout.decode()
    assert "Liberation-Serif" in fonts and "Liberation-Sans" in fonts and "DejaVu" not in fonts


def test_committed_notebook_is_reproduced_on_a_hostile_machine(tmp_path):
    """Strict nbval of a committed notebook with charts, under decoy fonts and empty caches."""
    env = machine(tmp_path, decoys=True)
    nb = tmp_path / "02_procedures.ipynb"
    nb.write_bytes((config.NOTEBOOKS_DIR / "02_procedures.ipynb").read_bytes())
    assert "<svg" in nb.read_text("utf-8")
    out = nbval(nb, tmp_path, env=env)
    assert out.returncode == 0, out.stdout[-3000:]


def test_a_glyph_missing_from_the_bundled_font_is_drawn_as_a_box():
    assert ">Biểu đồ □□</text>" in charts.rate_trend(["Q1"], {"x": [1.0]}, {}, "Biểu đồ 中文")


def test_a_glyph_missing_from_text_drawn_around_the_chart_helpers_is_an_error():
    with charts.chart_style(), pytest.raises(FontError, match="Liberation Sans"):
        fig, ax = charts.subplots((3, 2))
        ax.set_title("Biểu đồ 中文")
        charts.to_svg(fig)


def test_the_bundled_fonts_and_their_licence_ship_with_the_package():
    names = {p.name for p in font_paths()}
    assert {"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf", "LiberationMono-Regular.ttf"} <= names
    licence = (FONT_DIR / "LICENSE.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name Liberation" in licence


def test_the_suite_runs_as_on_a_new_machine():
    import matplotlib

    from .conftest import NEW_MACHINE

    for var in ("HOME", "MPLCONFIGDIR", "XDG_CACHE_HOME"):
        assert os.environ[var].startswith(NEW_MACHINE), var
    assert matplotlib.get_configdir().startswith(NEW_MACHINE)


def test_register_matplotlib_puts_the_bundled_files_first():
    import matplotlib.font_manager as fm

    from cchc_lib.reporting.fonts import register_matplotlib

    register_matplotlib()
    bundled = {p.resolve() for p in font_paths()}
    first = [Path(e.fname).resolve() for e in fm.fontManager.ttflist[:len(bundled)]]
    assert set(first) == bundled
    register_matplotlib()  # idempotent: nothing added twice
    assert sum(Path(e.fname).resolve() in bundled for e in fm.fontManager.ttflist) == len(bundled)
