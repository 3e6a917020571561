"""Findings about the text of an input: bytes that are not UTF-8, cells typed with a legacy Vietnamese font."""

from __future__ import annotations

from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.legacy_text import HINT, detect_bytes, detect_text, message


def undecodable(data: bytes, exc: UnicodeDecodeError, rel: str, rule: str = "encoding") -> Issue:
    """The error for bytes that are not UTF-8: the legacy Vietnamese encoding they are in, when one reads them."""
    found = detect_bytes(data)
    if found:
        return Issue("error", rule, f"{message(found)} Chỉ đọc được UTF-8 hoặc UTF-16 có BOM.", file=rel,
                     row=found.line, value=found.sample, advice=HINT)
    line = data[: exc.start].count(b"\n") + 1
    return Issue("error", rule, f"Tệp không phải UTF-8 hoặc UTF-16 (byte {exc.start}, dòng {line}: "
                 f"{data[exc.start:exc.start + 1]!r}) và không đọc được theo bảng mã tiếng Việt cũ nào "
                 "(TCVN3, VNI, Windows-1258).", file=rel, row=line)


def legacy_cell(text: object, **where: object) -> Issue | None:
    """A warning when a cell's text reads as Vietnamese typed with a legacy font (TCVN3, VNI); None otherwise."""
    found = detect_text(text) if isinstance(text, str) and not text.isascii() else None
    if found is None:
        return None
    return Issue("warning", "legacy_text", f"{message(found)} Số liệu vẫn được đọc; chữ được in nguyên văn.",
                 value=str(text)[:80], advice=HINT, **where)
