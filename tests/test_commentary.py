"""The analyst's own text: Markdown kept, raw HTML and scripts removed, nothing when there is none."""

from __future__ import annotations

from markupsafe import Markup

from cchc_lib.reporting import report
from cchc_lib.reporting.commentary import analyst_html, analyst_markup


def load_with_text(tmp_path, text: str):
    (tmp_path / "2026-H1").mkdir()
    (tmp_path / "2026-H1" / "xa-mau-01.yaml").write_text(f"text:\n  procedures: {text!r}\n", "utf-8")
    return report.load("xa-mau-01", "2026-H1", params_dir=tmp_path)


def test_analyst_markup_keeps_markdown_and_drops_scripts(tmp_path):
    ctx = load_with_text(tmp_path, "**Đạt** 99,16% <script>alert(1)</script> [x](javascript:alert(1))")
    markup = analyst_markup(ctx, "procedures")
    assert isinstance(markup, Markup)
    assert "<strong>Đạt</strong> 99,16%" in markup
    assert "<script>" not in markup and "<a " not in markup  # no javascript: link either
    assert "&lt;script&gt;" in markup  # raw HTML is shown as text, not run
    assert analyst_markup(ctx, "directions") is None


def test_analyst_html_wraps_the_text_or_is_empty(tmp_path):
    ctx = load_with_text(tmp_path, "**Đạt**")
    assert "<p><strong>Đạt</strong></p>" in analyst_html(ctx, "procedures")
    assert analyst_html(ctx, "directions") == ""
