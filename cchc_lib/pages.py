"""HTML pages from Jinja2 templates (autoescaped) and the one stylesheet, for every stage.

Templates live in ``cchc_lib/templates/<stage>/``; Python hands them data, never markup.
"""

from __future__ import annotations

import functools
import html
import re

import jinja2
import jinja2.ext
import markupsafe

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


# A Jinja tag (kept as written) or the text between tags (its line breaks dropped).
_TAG = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.S)
_LINE_BREAK = re.compile(r"\n[ \t]*")


class JoinLines(jinja2.ext.Extension):
    """Join a template's lines: outside tags, each line break and the next line's indentation are dropped.

    Fragment templates are written one element a line and render to one line, as the notebook outputs
    committed with their cells have them. A space that must separate two lines is written on one of them.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """Drop the line breaks of the text between tags."""
        parts = _TAG.split(source)
        return "".join(part if i % 2 else _LINE_BREAK.sub("", part) for i, part in enumerate(parts))


def escape_like_stdlib(value: object) -> object:
    """Escape ``value`` as ``html.escape`` does (quotes as ``&quot;`` and ``&#x27;``), trusted markup as is.

    As the ``finalize`` of the fragment environment it runs before autoescaping, which then leaves the
    result alone: everything stays escaped, with the entities of the reports built before templates.
    """
    if hasattr(value, "__html__"):
        return value
    return markupsafe.Markup(html.escape(str(value)))


@functools.cache
def fragment_environment() -> jinja2.Environment:
    """The shared environment for HTML fragments shown in notebooks: lines joined, quotes as html.escape."""
    return environment().overlay(extensions=[JoinLines], finalize=escape_like_stdlib)


def render_fragment(template: str, **data: object) -> str:
    """Render the fragment ``template`` (a path under cchc_lib/templates/) with ``data``, on one line."""
    return fragment_environment().get_template(template).render(**data)


def stylesheet() -> str:
    """The one stylesheet of every page (screen, and a print layer for the A4 PDF)."""
    return STYLESHEET.read_text("utf-8")
