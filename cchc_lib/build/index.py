"""outputs/index.html: every unit and period built, status, links, key figures, a filter box.

Works offline from file:// (no external assets); the filter is a few lines of inline JS.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from cchc_lib import config
from cchc_lib.domain.fmt import fmt_int, fmt_pct
from cchc_lib.reporting.dataset import MISSING, Dataset
from cchc_lib.domain.periods import Period, sort_periods
from cchc_lib.build.runner import NOTEBOOKS, TITLES, load_manifest, reportable
from cchc_lib.domain.units import LEVEL_LABELS

SHORT = {"00_direction": "Chỉ đạo", "01_institutions": "Thể chế", "02_procedures": "TTHC",
         "03_apparatus": "Bộ máy", "04_civil_service": "Công vụ", "05_public_finance": "Tài chính",
         "06_digital_government": "CĐS", "report": "Báo cáo"}
KEY_FIGURES = [("TTHC_HS_TONG", "Hồ sơ tiếp nhận"), ("TTHC_TYLE_DUNGHAN", "Tỷ lệ đúng hạn"),
               ("TTHC_TYLE_TRUCTUYEN", "Tỷ lệ trực tuyến")]


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
        for code, _ in KEY_FIGURES:
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


def render_index(ds: Dataset, manifest: dict) -> str:
    """The index page."""
    esc = html.escape
    rows = index_rows(ds, manifest)
    head = ("<tr><th>Kỳ</th><th>Đơn vị</th><th>Cấp</th><th>Trạng thái</th><th>Báo cáo</th>"
            + "".join(f"<th class='num'>{esc(label)}</th>" for _, label in KEY_FIGURES) + "</tr>")
    body = []
    for r in rows:
        links = []
        for nb in NOTEBOOKS:
            e = r["entries"].get(nb)
            if not e or not e.get("html"):
                continue
            cls = " class='bad'" if e.get("status") == "failed" else ""
            links.append(f"<a{cls} href='{esc(e['html'])}' title='{esc(TITLES[nb])}'>{SHORT[nb]}</a>")
            if e.get("pdf"):
                links.append(f"<a href='{esc(e['pdf'])}' title='PDF'>PDF</a>")
        status = f"{r['ok']}/{len(r['entries'])} sổ"
        if r["failed"]:
            status = f"<span class='bad'>lỗi: {esc(', '.join(SHORT[n] for n in r['failed']))}</span>"
        if r["input_errors"]:
            status += f" · <span class='bad'>{r['input_errors']} lỗi số liệu</span>"
        f = r["figures"]
        cells = [fmt_int(f["TTHC_HS_TONG"]) if f["TTHC_HS_TONG"] is not None else "—",
                 fmt_pct(f["TTHC_TYLE_DUNGHAN"]) if f["TTHC_TYLE_DUNGHAN"] is not None else "—",
                 fmt_pct(f["TTHC_TYLE_TRUCTUYEN"]) if f["TTHC_TYLE_TRUCTUYEN"] is not None else "—"]
        tag = " <span class='syn'>mẫu</span>" if r["synthetic"] else ""
        body.append(
            f"<tr data-unit='{esc(r['unit'])}' data-period='{esc(r['period'])}'><td>{esc(r['period_label'])}</td>"
            f"<td>{esc(r['name'])}{tag}</td><td>{esc(r['level'])}</td><td>{status}</td>"
            f"<td class='links'>{' '.join(links)}</td>"
            + "".join(f"<td class='num' data-code='{code}'>{c}</td>" for (code, _), c in zip(KEY_FIGURES, cells, strict=True))
            + "</tr>")
    script = """
document.getElementById('q').addEventListener('input', function () {
  var q = this.value.toLowerCase().normalize('NFC');
  var shown = 0;
  document.querySelectorAll('#units tbody tr').forEach(function (tr) {
    var hit = tr.textContent.toLowerCase().normalize('NFC').indexOf(q) >= 0;
    tr.style.display = hit ? '' : 'none';
    if (hit) { shown++; }
  });
  document.getElementById('count').textContent = shown;
});"""
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo CCHC - danh mục</title>
<style>
body{{font-family:'Liberation Sans',Arial,sans-serif;margin:1.5rem;color:#222}}
h1{{font-size:1.4rem}} table{{border-collapse:collapse;width:100%;font-size:.9rem}}
th,td{{border:1px solid #ccc;padding:.3rem .45rem;text-align:left}} th{{background:#f0f0f0}}
.num{{text-align:right;white-space:nowrap}} .links a{{margin-right:.35rem}} .bad{{color:#a00;font-weight:bold}}
.syn{{font-size:.75rem;background:#fff4e0;color:#6b4000;border:1px solid #e0b070;padding:0 .25rem}}
input{{font-size:1rem;padding:.3rem;width:24rem;margin:.5rem 0}}
</style></head><body>
<h1>Báo cáo kết quả thực hiện công tác cải cách hành chính</h1>
<p>Mỗi dòng là một đơn vị trong một kỳ; mỗi liên kết là một báo cáo (HTML, và PDF với báo cáo tổng hợp).
"Tỷ lệ đúng hạn" = (trước hạn + đúng hạn) / tổng số hồ sơ tiếp nhận. Đơn vị gắn nhãn <span class='syn'>mẫu</span> là dữ liệu giả lập.
Kiểm tra số liệu đầu vào: <a href="../data/processed/validation_report.html">báo cáo kiểm tra</a>.</p>
<label for="q">Lọc: </label><input id="q" type="search" placeholder="tên đơn vị, kỳ..."> <span id="count">{len(rows)}</span> dòng
<table id="units"><thead>{head}</thead><tbody>
{chr(10).join(body)}
</tbody></table>
<script>{script}</script>
</body></html>
"""


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
