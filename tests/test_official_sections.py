"""Rendering one section template of the master report with its data."""

from __future__ import annotations

from cchc_lib.reporting.official_sections import render_section


def test_render_section_fills_the_template_escaped():
    html = render_section("recommendations", num="V", text=None)
    assert "V." in html and "KIẾN NGHỊ" in html.upper()
    assert "(Đơn vị chưa nhập kiến nghị, đề xuất: text.recommendations.)" in html
    evil = render_section("directions", num="IV", title="Phương <b>hướng</b>", text=None, shortfalls=["a & <i>"])
    assert "Phương &lt;b&gt;hướng&lt;/b&gt;".upper() in evil.upper() and "a &amp; &lt;i&gt;" in evil
