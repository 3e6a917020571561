"""The fonts every chart and PDF uses, shipped inside the package (Liberation 2.1.5, SIL OFL 1.1).

Charts (matplotlib) and the PDF (WeasyPrint) are drawn with these files and no others, so the same
inputs give the same bytes on any machine, whatever fonts it has installed or cached:

- matplotlib gets the files registered by path, ahead of any system font with the same family name;
- WeasyPrint gets a fontconfig configuration that knows these files only.

A chart or PDF that would use another font file raises :class:`FontError` instead of changing silently.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
from html import escape
from pathlib import Path

from cchc_lib.exceptions import CchcError

FONT_DIR = Path(__file__).resolve().parent
SANS = "Liberation Sans"
SERIF = "Liberation Serif"
MONO = "Liberation Mono"
# Family names a stylesheet or an SVG may ask for, and the bundled family that answers.
ALIASES = {"serif": SERIF, "Times New Roman": SERIF, "Times": SERIF, "sans-serif": SANS, "Arial": SANS,
           "Helvetica": SANS, "monospace": MONO, "Courier New": MONO}


class FontError(CchcError):
    """A chart or a PDF would be drawn with a font file that is not one of the bundled ones."""


def font_paths() -> list[Path]:
    """The bundled font files, sorted."""
    return sorted(FONT_DIR.glob("*.ttf"))


@functools.cache
def _digests() -> dict[str, Path]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in font_paths()}


def _is_bundled(path: str | os.PathLike) -> bool:
    """True when ``path`` is one of the bundled font files."""
    return Path(path).resolve().parent == FONT_DIR and Path(path).suffix == ".ttf"


def _bundled_file_for(content: bytes) -> Path | None:
    """The bundled file whose bytes are ``content`` (a font program read back from a renderer), or None."""
    return _digests().get(hashlib.sha256(content).hexdigest())


# --- matplotlib -----------------------------------------------------------------------------------

def register_matplotlib() -> None:
    """Make matplotlib resolve the bundled families to the bundled files, before any system font.

    matplotlib scores every known font and keeps the first of equal scores, so the bundled entries
    are moved to the front of its list: a system "Liberation Sans" of another version loses.
    """
    import matplotlib.font_manager as fm

    manager = fm.fontManager
    known = {Path(e.fname).resolve() for e in manager.ttflist}
    for path in font_paths():
        if path not in known:
            manager.addfont(path)
    ours = [e for e in manager.ttflist if _is_bundled(e.fname)]
    if manager.ttflist[:len(ours)] != ours:
        manager.ttflist = ours + [e for e in manager.ttflist if not _is_bundled(e.fname)]


def matplotlib_font_file(prop) -> Path:
    """The file matplotlib draws ``prop`` (a FontProperties) with; FontError unless it is bundled."""
    import matplotlib.font_manager as fm

    path = Path(fm.findfont(prop, fallback_to_default=False))
    if not _is_bundled(path):
        raise FontError(f"Biểu đồ sẽ dùng phông {path} thay cho phông đi kèm cchc ({prop.get_family()}): "
                        "báo lỗi này cho người phát triển (cchc_lib/fonts).")
    return path


# --- WeasyPrint (fontconfig) ----------------------------------------------------------------------

def _alias_xml() -> str:
    rules = [f"<alias binding='strong'><family>{escape(name)}</family><prefer><family>{escape(target)}</family>"
             "</prefer></alias>" for name, target in ALIASES.items()]
    return "\n".join(rules)


@functools.cache
def _fontconfig_file() -> Path:
    """A fontconfig file that lists the bundled fonts and nothing else (one per process, removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-fontconfig-"))
    atexit.register(shutil.rmtree, folder, True)
    conf = folder / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?>\n<!DOCTYPE fontconfig SYSTEM 'urn:fontconfig:fonts.dtd'>\n<fontconfig>\n"
        f"<dir>{escape(str(FONT_DIR))}</dir>\n<cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        f"{_alias_xml()}\n</fontconfig>\n", "utf-8")
    return conf


@functools.cache
def weasyprint_font_config():
    """A WeasyPrint FontConfiguration that sees the bundled fonts only (built once per process)."""
    from weasyprint.text.fonts import FontConfiguration

    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file())
    try:
        return FontConfiguration()
    finally:
        if saved is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = saved


def pdf_font_files(document) -> list[Path]:
    """The bundled files a rendered WeasyPrint document drew its text with; FontError for any other."""
    from weasyprint.text.fonts import get_hb_object_data

    used = []
    for font in document.fonts.values():
        path = _bundled_file_for(get_hb_object_data(font.hb_face))  # the whole file, not the PDF's subset
        if path is None:
            raise FontError(f"PDF dùng phông '{font.family}' không thuộc bộ phông đi kèm cchc: "
                            "báo lỗi này cho người phát triển (cchc_lib/fonts).")
        used.append(path)
    return sorted(set(used))
