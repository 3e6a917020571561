"""outputs/index.html: every unit and period built, status, links, key figures, a filter box (works offline)."""

from __future__ import annotations

import json
from pathlib import Path

from cchc_lib import config, pages
from cchc_lib.build.runner import NOTEBOOKS, TITLES, load_manifest, reportable
from cchc_lib.domain.fmt import fmt_int, fmt_pct
from cchc_lib.domain.periods import Period, sort_periods
from cchc_lib.domain.units import LEVEL_LABELS
from cchc_lib.reporting.dataset import Dataset
from cchc_lib.reporting.figures import MISSING

SHORT = {"00_direction": "Chỉ đạo", "01_institutions": "Thể chế", "02_procedures": "TTHC",
         "03_apparatus": "Bộ máy", "04_civil_service": "Công vụ", "05_public_finance": "Tài chính",
         "06_digital_government": "CĐS", "report": "Báo cáo"}
# (indicator code, column heading, how the page writes the value)
KEY_FIGURES = [("TTHC_HS_TONG", "Hồ sơ tiếp nhận", fmt_int), ("TTHC_TYLE_DUNGHAN", "Tỷ lệ đúng hạn", fmt_pct),
               ("TTHC_TYLE_TRUCTUYEN", "Tỷ lệ trực tuyến", fmt_pct)]
TEMPLATE = "build/index.html.j2"


def index_rows(ds: Dataset, manifest: dict) -> list[dict]:
    """One row per (unit, period) in the manifest, with status, links and key figures."""
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    for key, entry in manifest.get("tasks", {}).items():
        period, unit, nb = key.split("/")
        groups.setdefault((unit, period), {})[nb] = entry
    rows = []
    for (unit, period), entries in groups.items():
        if not reportable(ds, unit, period):  # left in the manifest by an older build
            continue
        u = ds.registry[unit]
        vals = ds.values(unit, period)
        figures = {}
        for code, _, _ in KEY_FIGURES:
            f = vals.get(code, MISSING)
            figures[code] = None if f.missing else f.value
        errors = sum(1 for i in ds.issues if i.get("unit_id") == unit and i.get("period") == period
                     and i.get("severity") == "error")
        rows.append({"unit": unit, "name": u.name, "level": LEVEL_LABELS[u.level], "synthetic": u.synthetic,
                     "period": period, "period_label": Period.parse(period).label, "entries": entries,
                     "ok": sum(e.get("status") in ("ok", "skipped") for e in entries.values()),
                     "failed": [n for n, e in entries.items() if e.get("status") == "failed"],
                     "figures": figures, "input_errors": errors})
    order = {p: i for i, p in enumerate(sort_periods(sorted({r["period"] for r in rows})))}
    rows.sort(key=lambda r: (-order[r["period"]], r["synthetic"], r["unit"]))
    return rows


def report_links(entries: dict[str, dict]) -> list[dict]:
    """The links of one row, in notebook order: each rendered notebook, and its PDF after it when there is one."""
    links = []
    for nb in NOTEBOOKS:
        e = entries.get(nb)
        if not e or not e.get("html"):
            continue
        links.append({"href": e["html"], "title": TITLES[nb], "text": SHORT[nb], "failed": e.get("status") == "failed"})
        if e.get("pdf"):
            links.append({"href": e["pdf"], "title": "PDF", "text": "PDF", "failed": False})
    return links


def shown_figures(figures: dict[str, float | None]) -> list[dict]:
    """The key figures of one row as the page shows them (Vietnamese number format, "—" when missing)."""
    return [{"code": code, "text": "—" if figures[code] is None else fmt(figures[code])}
            for code, _, fmt in KEY_FIGURES]


def render_index(ds: Dataset, manifest: dict) -> str:
    """The index page (template build/index.html.j2).

    Parameters
    ----------
    ds : Dataset
        The processed data (unit names, key figures, input errors).
    manifest : dict
        outputs/manifest.json: the tasks built, with their status and the paths of their HTML and PDF.

    Returns
    -------
    str
        The HTML page.
    """
    rows = [r | {"notebooks": len(r["entries"]), "failed_labels": [SHORT[n] for n in r["failed"]],
                 "links": report_links(r["entries"]), "cells": shown_figures(r["figures"])}
            for r in index_rows(ds, manifest)]
    return pages.render(TEMPLATE, stylesheet=pages.stylesheet(), rows=rows,
                        figure_labels=[label for _, label, _ in KEY_FIGURES])


def write_index(outputs_dir: Path | None = None, processed_dir: Path | None = None) -> Path:
    """Write outputs/index.html from the manifest and the processed data."""
    outputs_dir = Path(outputs_dir or config.OUTPUTS_DIR)
    ds = Dataset.load(processed_dir)
    page = render_index(ds, load_manifest(outputs_dir))
    path = outputs_dir / "index.html"
    path.write_text(page, "utf-8")
    return path


def index_json(outputs_dir: Path) -> dict:
    """Machine-readable twin of the index (for tests and scripts)."""
    return json.loads((outputs_dir / "manifest.json").read_text("utf-8"))
