"""Executed notebooks to slim HTML: hidden cells removed, no code, the page's title and body class."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cchc_lib.reporting.render import css, notebook_to_html


def tiny_notebook(path):
    """An executed notebook: a parameters cell, an explained cell, a markdown cell and a cell with HTML output."""
    shown = new_code_cell("show_secret_code()", execution_count=3, outputs=[
        new_output("display_data", data={"text/html": "<p class='prose'>Đạt 99,16%</p>", "text/plain": "x"})])
    cells = [new_code_cell("unit = 'tinh-mau'", metadata={"tags": ["parameters"]}, execution_count=1),
             new_code_cell("print('ẩn')", metadata={"tags": ["explain"]}, execution_count=2,
                           outputs=[new_output("stream", name="stdout", text="ghi chú ẩn\n")]),
             new_markdown_cell("## Tiêu đề phụ"), shown]
    nbformat.write(new_notebook(cells=cells), str(path))
    return path


def test_notebook_to_html_shows_outputs_only(tmp_path):
    page = notebook_to_html(tiny_notebook(tmp_path / "nb.ipynb"), "Báo cáo <thử> & mẫu", kind="official")
    assert "<title>Báo cáo &lt;thử&gt; &amp; mẫu</title>" in page
    assert '<body class="official">' in page
    assert '<p class="prose">Đạt 99,16%</p>' in page and "Tiêu đề phụ" in page
    for hidden in ("show_secret_code", "unit = ", "tinh-mau", "ghi chú ẩn", "print("):
        assert hidden not in page, hidden
    assert "In&nbsp;[" not in page and "Out[" not in page and "anchor-link" not in page
    assert f"<style>{css()}</style>" in page


def test_notebook_to_html_default_kind_is_an_area_page(tmp_path):
    page = notebook_to_html(tiny_notebook(tmp_path / "nb.ipynb"), "Cải cách thủ tục hành chính")
    assert '<body class="area">' in page and "<title>Cải cách thủ tục hành chính</title>" in page
    assert page == notebook_to_html(tmp_path / "nb.ipynb", "Cải cách thủ tục hành chính")  # deterministic
