"""Render executed notebooks to slim HTML (nbconvert, in-process) and A4 PDF (WeasyPrint)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from cchc_lib import pages
from cchc_lib.config import NBCONVERT_TEMPLATES_DIR

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

# Cells never shown in a page: the analyst's notes on the code, and the parameters (default and injected).
HIDDEN_TAGS = {"explain", "parameters", "injected-parameters"}


@functools.cache
def _exporter() -> HTMLExporter:
    """The exporter of the cchc nbconvert template: outputs only, no prompts, no anchor links (one per process)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="cchc", extra_template_basedirs=[str(NBCONVERT_TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True)
    return exporter


def css() -> str:
    """The stylesheet every page inlines (cchc_lib/templates/cchc.css, with its print layer)."""
    return pages.stylesheet()


def notebook_to_html(nb_path: Path | str, title: str, kind: str = "area") -> str:
    """Convert an executed notebook to HTML: no code, no prompts, no anchor links.

    ``kind`` is the class of the page's ``<body>``: ``area`` (one reform area) or ``official`` (the master report).
    """
    nb = nbformat.read(str(nb_path), as_version=4)
    body, _ = _exporter().from_notebook_node(
        nb, resources={"cchc_css": css(), "cchc_title": title, "cchc_kind": kind})
    return body


def html_to_pdf(html: str, pdf_path: Path | str, base_url: str | None = None) -> Path:
    """Render HTML to an A4 PDF with WeasyPrint and the bundled fonts only (same bytes for the same HTML).

    Raises FontError, and writes nothing, when any text would be drawn with another font file.
    """
    from weasyprint import HTML

    from cchc_lib.reporting.fonts import pdf_font_files, weasyprint_font_config

    pdf_path = Path(pdf_path)
    document = HTML(string=html, base_url=base_url or str(pdf_path.parent)).render(
        font_config=weasyprint_font_config())
    data = document.write_pdf()
    pdf_font_files(document)  # raises FontError before anything is written
    pdf_path.write_bytes(data)
    return pdf_path
