"""The validation report: every finding of an ingest, as JSON for tools and HTML for the analyst."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from pathlib import Path

from cchc_lib.domain.issues import ERROR, WARNING, Issue


def write_json(path: Path, issues: list[Issue], files: list[dict]) -> None:
    """Write the machine-readable validation report."""
    payload = {
        "summary": {
            "errors": sum(i.severity == ERROR for i in issues),
            "warnings": sum(i.severity == WARNING for i in issues),
            "files": len(files),
        },
        "files": files,
        "issues": [asdict(i) | {"place": i.place} for i in issues],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), "utf-8")


_CSS = """
body{font-family:'Liberation Sans',Arial,sans-serif;margin:1.5rem;color:#222;max-width:1200px}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:1.5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f0f0f0} .error{color:#a00;font-weight:bold} .warning{color:#a60}
.ok{color:#070} .num{text-align:right} .note{color:#555;font-size:.85rem}
"""


def write_html(path: Path, issues: list[Issue], files: list[dict]) -> None:
    """Write the validation report an analyst reads, grouped by file."""
    esc = html.escape
    n_err = sum(i.severity == ERROR for i in issues)
    n_warn = sum(i.severity == WARNING for i in issues)
    out = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
        "<title>Báo cáo kiểm tra số liệu đầu vào</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Báo cáo kiểm tra số liệu đầu vào CCHC</h1>",
        f"<p><span class='{'error' if n_err else 'ok'}'>{n_err} lỗi</span>, "
        f"<span class='warning'>{n_warn} cảnh báo</span>, {len(files)} tệp. "
        "Lỗi làm dòng/ô bị loại (xem data/processed/rejects/); cảnh báo không chặn báo cáo.</p>",
        "<table><tr><th>Tệp</th><th>Loại</th><th class='num'>Dòng đọc</th>"
        "<th class='num'>Dòng hợp lệ</th><th class='num'>Dòng bị loại</th>"
        "<th class='num'>Lỗi</th><th class='num'>Cảnh báo</th></tr>",
    ]
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    for f in files:
        errs = sum(i.severity == ERROR for i in by_file.get(f["file"], []))
        warns = sum(i.severity == WARNING for i in by_file.get(f["file"], []))
        out.append(
            f"<tr><td>{esc(f['file'])}</td><td>{esc(f.get('kind', ''))}</td>"
            f"<td class='num'>{f.get('rows_in', 0)}</td><td class='num'>{f.get('rows_ok', 0)}</td>"
            f"<td class='num'>{f.get('rows_rejected', 0)}</td>"
            f"<td class='num {'error' if errs else ''}'>{errs}</td><td class='num'>{warns}</td></tr>"
        )
    out.append("</table>")
    for file, items in by_file.items():
        out.append(f"<h2>{esc(file or '(chung)')}</h2><table><tr><th>Mức</th><th>Vị trí</th>"
                   "<th>Cột / trường</th><th>Giá trị</th><th>Quy tắc</th><th>Nội dung</th><th>Cần làm</th></tr>")
        for i in items:
            if i.sheet and i.cell:
                where = f"{i.sheet}!{i.cell}"
            elif i.cell:
                where = i.cell
            elif i.row is not None:
                where = f"dòng {i.row}"
            else:
                where = f"trang {i.sheet}" if i.sheet else ""
            out.append(
                f"<tr><td class='{i.severity}'>{'Lỗi' if i.severity == ERROR else 'Cảnh báo'}</td>"
                f"<td>{esc(where)}</td><td>{esc(i.column)}</td><td>{esc(i.value)}</td>"
                f"<td><code>{esc(i.rule)}</code></td><td>{esc(i.message)}</td>"
                f"<td class='note'>{esc(i.advice)}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), "utf-8")
