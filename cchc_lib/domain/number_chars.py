"""The characters of a typed number: special spaces, full-width digits and Excel's apostrophe.

:func:`clean` turns them into ASCII digits and marks before a number is read
(:mod:`cchc_lib.domain.number_text`), and names each one so the analyst is told.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are read, but reported: code point -> (replacement, Vietnamese description).
_SPECIAL = {
    "\u00a0": (" ", "dấu cách không ngắt (NBSP, U+00A0)"),
    "\u202f": (" ", "dấu cách hẹp không ngắt (U+202F)"),
    "\u2009": (" ", "dấu cách mảnh (U+2009)"),
    "\u2007": (" ", "dấu cách chữ số (U+2007)"),
    "\u3000": (" ", "dấu cách toàn độ rộng (U+3000)"),
    "\u200b": ("", "ký tự vô hình (U+200B)"),
    "\ufeff": ("", "ký tự vô hình (U+FEFF)"),
    "\u2060": ("", "ký tự vô hình (U+2060)"),
    "\u2212": ("-", "dấu trừ Unicode (U+2212)"),
    "\uff0e": (".", "dấu câu toàn độ rộng (full-width)"),
    "\uff0c": (",", "dấu câu toàn độ rộng (full-width)"),
    "\uff0d": ("-", "dấu câu toàn độ rộng (full-width)"),
    "\uff0b": ("+", "dấu câu toàn độ rộng (full-width)"),
} | {chr(0xFF10 + d): (str(d), "chữ số toàn độ rộng (full-width)") for d in range(10)}
_GROUPING_SPACE = "dấu cách giữa các nhóm chữ số"


def clean(text: str) -> tuple[str, tuple[str, ...]]:
    """Return ``text`` trimmed, in ASCII digits and marks, with the unusual characters it held.

    A leading apostrophe (Excel's text marker) is dropped silently; special spaces,
    full-width characters and grouping spaces are replaced and described.

    >>> clean("'123")
    ('123', ())
    >>> clean("22\u202f296")
    ('22 296', ('dấu cách hẹp không ngắt (U+202F)',))
    >>> clean("２２.２９６")
    ('22.296', ('chữ số toàn độ rộng (full-width)',))
    """
    text = unicodedata.normalize("NFC", str(text))
    notes: list[str] = []
    if " " in text.strip():
        notes.append(_GROUPING_SPACE)
    out = []
    for ch in text:
        if ch in _SPECIAL:
            repl, note = _SPECIAL[ch]
            out.append(repl)
            if note not in notes:
                notes.append(note)
        else:
            out.append(ch)
    core = "".join(out).strip()
    if core.startswith("'"):
        core = core[1:].strip()
    return re.sub(r" +", " ", core), tuple(notes)
