"""Deterministic HTML tables (no random ids, no object addresses), for notebooks and reports."""

from __future__ import annotations

import html
from collections.abc import Sequence


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], *, table_id: str,
               classes: Sequence[Sequence[str]] | None = None, numeric: Sequence[bool] | None = None,
               caption: str = "") -> str:
    """Render a table; ``classes[i][j]`` adds a CSS class to cell (i, j).

    >>> html_table(["A", "B"], [["x", "1"]], table_id="t1", numeric=[False, True])
    '<table id="t1" class="cchc"><thead><tr><th>A</th><th class="num">B</th></tr></thead><tbody><tr><td>x</td><td class="num">1</td></tr></tbody></table>'
    """
    numeric = list(numeric or [False] * len(header))
    out = [f'<table id="{html.escape(table_id)}" class="cchc">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    for j, h in enumerate(header):
        cls = ' class="num"' if numeric[j] else ""
        out.append(f"<th{cls}>{html.escape(str(h))}</th>")
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, cell in enumerate(row):
            extra = classes[i][j] if classes else []
            names = (["num"] if numeric[j] else []) + ([extra] if isinstance(extra, str) else list(extra))
            cls = f' class="{" ".join(n for n in names if n)}"' if any(names) else ""
            out.append(f"<td{cls}>{html.escape(str(cell))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)
