"""Deterministic HTML tables (no random ids, no object addresses), for notebooks and reports."""

from __future__ import annotations

from collections.abc import Sequence

from cchc_lib import pages


def table_data(header: Sequence[str], rows: Sequence[Sequence[object]], *, table_id: str,
               classes: Sequence[Sequence[str]] | None = None, numeric: Sequence[bool] | None = None,
               caption: str = "") -> dict:
    """The cells of a table, each with its CSS classes, for the ``table`` macro of reporting/macros.html.j2.

    Parameters
    ----------
    header : column titles.
    rows : cell values, shown as ``str(value)``.
    table_id : the fixed id of the table.
    classes : ``classes[i][j]`` adds a CSS class (or several) to cell (i, j).
    numeric : columns whose cells are right-aligned numbers (class ``num``).
    caption : an optional caption.

    Returns
    -------
    dict
        ``id``, ``caption``, ``head`` and ``rows``; a cell is ``{"text", "cls"}`` ("" for no class).
    """
    numeric = list(numeric or [False] * len(header))
    head = [{"text": str(h), "cls": "num" if numeric[j] else ""} for j, h in enumerate(header)]
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            extra = classes[i][j] if classes else []
            names = (["num"] if numeric[j] else []) + ([extra] if isinstance(extra, str) else list(extra))
            cells.append({"text": str(cell), "cls": " ".join(n for n in names if n)})
        body.append(cells)
    return {"id": table_id, "caption": caption, "head": head, "rows": body}


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], *, table_id: str,
               classes: Sequence[Sequence[str]] | None = None, numeric: Sequence[bool] | None = None,
               caption: str = "") -> str:
    """Render a table; ``classes[i][j]`` adds a CSS class to cell (i, j) (arguments as :func:`table_data`).

    >>> html_table(["A", "B"], [["x", "1"]], table_id="t1", numeric=[False, True])
    '<table id="t1" class="cchc"><thead><tr><th>A</th><th class="num">B</th></tr></thead><tbody><tr><td>x</td><td class="num">1</td></tr></tbody></table>'
    """
    data = table_data(header, rows, table_id=table_id, classes=classes, numeric=numeric, caption=caption)
    return pages.render_fragment("reporting/table.html.j2", table=data)


def short_label(label: str, width: int = 42) -> str:
    """``label`` cut to ``width`` characters with an ellipsis, for table headers and chart axes.

    >>> short_label("Tỷ lệ hồ sơ giải quyết đúng hạn", 12)
    'Tỷ lệ hồ sơ…'
    """
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
