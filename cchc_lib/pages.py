"""HTML pages from Jinja2 templates (autoescaped) and the one stylesheet, for every stage.

Templates live in ``cchc_lib/templates/<stage>/``; Python hands them data, never markup.
"""

from __future__ import annotations

import functools

import jinja2

from cchc_lib.config import TEMPLATES_DIR

STYLESHEET = TEMPLATES_DIR / "cchc.css"


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment: autoescape on, undefined names are errors, blocks trimmed."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **data: object) -> str:
    """Render ``template`` (a path under cchc_lib/templates/) with ``data``."""
    return environment().get_template(template).render(**data)


def stylesheet() -> str:
    """The one stylesheet of every page (screen, and a print layer for the A4 PDF)."""
    return STYLESHEET.read_text("utf-8")
