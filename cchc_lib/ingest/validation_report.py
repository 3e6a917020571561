"""The validation report: every finding of an ingest, as JSON for tools and HTML for the analyst."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from cchc_lib import pages
from cchc_lib.domain.issues import ERROR, WARNING, Issue

TEMPLATE = "ingest/validation_report.html.j2"


def count(issues: list[Issue]) -> dict[str, int]:
    """Errors and warnings among ``issues``.

    >>> count([Issue(ERROR, "negative", "Âm"), Issue(WARNING, "formula", "Công thức")])
    {'errors': 1, 'warnings': 1}
    """
    return {"errors": sum(i.severity == ERROR for i in issues), "warnings": sum(i.severity == WARNING for i in issues)}


def write_json(path: Path, issues: list[Issue], files: list[dict]) -> None:
    """Write the machine-readable validation report.

    Parameters
    ----------
    path : Path
        The JSON file to write (its folder is created).
    issues : list of Issue
        Every finding, in the order found.
    files : list of dict
        One entry per file read (``file``, ``kind``, ``rows_in``, ``rows_ok``, ``rows_rejected``).
    """
    payload = {
        "summary": count(issues) | {"files": len(files)},
        "files": files,
        "issues": [asdict(i) | {"place": i.place} for i in issues],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), "utf-8")


def location(issue: Issue) -> str:
    """Where the finding is inside its file: sheet!cell, the cell, the row or the sheet (the file is the heading).

    >>> location(Issue(ERROR, "negative", "Âm", sheet="Số liệu", cell="D7")), location(Issue(ERROR, "x", "", row=3))
    ('Số liệu!D7', 'dòng 3')
    """
    if issue.sheet and issue.cell:
        return f"{issue.sheet}!{issue.cell}"
    if issue.cell:
        return issue.cell
    if issue.row is not None:
        return f"dòng {issue.row}"
    return f"trang {issue.sheet}" if issue.sheet else ""


def by_file(issues: list[Issue]) -> dict[str, list[Issue]]:
    """The findings grouped by file, in the order each file first appears."""
    groups: dict[str, list[Issue]] = {}
    for issue in issues:
        groups.setdefault(issue.file, []).append(issue)
    return groups


def file_rows(groups: dict[str, list[Issue]], files: list[dict]) -> list[dict]:
    """One summary row per file read: its counts of rows, errors and warnings."""
    return [{"file": f["file"], "kind": f.get("kind", ""), "rows_in": f.get("rows_in", 0), "rows_ok": f.get("rows_ok", 0),
             "rows_rejected": f.get("rows_rejected", 0)} | count(groups.get(f["file"], [])) for f in files]


def sections(groups: dict[str, list[Issue]]) -> list[dict]:
    """One table per file with findings (``(chung)`` for findings of no file), each finding with its location."""
    return [{"title": file or "(chung)", "issues": [asdict(i) | {"location": location(i)} for i in items]}
            for file, items in groups.items()]


def write_html(path: Path, issues: list[Issue], files: list[dict]) -> None:
    """Write the validation report an analyst reads (``path``, an HTML file), grouped by file; as :func:`write_json`."""
    groups = by_file(issues)
    page = pages.render(TEMPLATE, stylesheet=pages.stylesheet(), files=file_rows(groups, files),
                        sections=sections(groups), **count(issues))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, "utf-8")
