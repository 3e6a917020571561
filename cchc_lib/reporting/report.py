"""One unit and period: the sections that area notebooks and the master report display.

Both the area notebooks and the master report call these functions, so a figure is
computed once, from one source, and shown the same way everywhere.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cchc_lib import __version__, config
from cchc_lib.domain.catalog import Indicator
from cchc_lib.domain.fmt import MISSING_TEXT, fmt_date, fmt_int, fmt_pct, fmt_pp, rate_value
from cchc_lib.domain.periods import Period, Window, sort_periods, window
from cchc_lib.domain.units import LEVEL_LABELS, Unit
from cchc_lib.exceptions import DataError
from cchc_lib.ingest.params import ReportParams, load_params
from cchc_lib.reporting import charts
from cchc_lib.reporting.dataset import MISSING, Dataset, Figure, display_value, status_of
from cchc_lib.reporting.prose import area_paragraphs
from cchc_lib.reporting.sanitize import markdown_to_html
from cchc_lib.reporting.tables import html_table

# Per area: columns of the children breakdown (first rate ranks) and the text sections shown.
CHILD_COLUMNS = {
    "direction": ["CD_KH_TONG", "CD_KH_HOANTHANH", "CD_KH_TYLE", "CD_GIAO_TYLE_DUNGHAN", "CD_KT_DONVI"],
    "institutions": ["TC_VB_BANHANH", "TC_VB_TUKIEMTRA", "TC_VB_RASOAT", "TC_PBGDPL"],
    "procedures": ["TTHC_HS_TONG", "TTHC_HS_DUNGHAN_TONG", "TTHC_TYLE_DUNGHAN_766", "TTHC_TYLE_DUNGHAN",
                   "TTHC_TYLE_TRUCTUYEN", "TTHC_HS_TREHAN_TONG"],
    "apparatus": ["BM_BC_XA_GIAO", "BM_BC_XA_CO", "BM_TYLE_XA", "BM_BC_CC_GIAO", "BM_BC_CC_CO"],
    "civil_service": ["CV_TYLE_CCXA", "CV_TYLE_CBXA", "CV_DAOTAO", "CV_TUYENDUNG", "CV_KYLUAT"],
    "public_finance": ["TCC_TYLE_GIAINGAN", "TCC_TYLE_THU", "TCC_TYLE_CHI", "TCC_DTC_GIAINGAN"],
    "digital_government": ["CDS_TYLE_HS_TRUCTUYEN", "CDS_TYLE_SOHOA", "CDS_TYLE_KHONGTM", "CDS_TYLE_KYSO",
                           "CDS_TYLE_VB_DEN"],
}
SYNTHETIC_NOTE = "DỮ LIỆU MẪU (GIẢ LẬP): đơn vị và số liệu trong báo cáo này là hư cấu, dùng để minh họa."


def code_version() -> str:
    """The package version, the git commit when available, and a hash of the library code.

    ``CCHC_CODE_VERSION`` replaces the whole text: comparing the outputs of two commits needs both
    builds to print the same version line.
    """
    pinned = os.environ.get("CCHC_CODE_VERSION")
    if pinned:
        return pinned
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".j2", ".css", ".json"}:
            digest.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    commit = ""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=config.PROJ_ROOT,
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"cchc {__version__}" + (f", commit {commit}" if commit else "") + f", mã thư viện {digest.hexdigest()[:12]}"


@dataclass
class Context:
    """Everything about one unit and period that the sections need."""

    ds: Dataset
    unit: Unit
    period: Period
    params: ReportParams
    params_issues: list = field(default_factory=list)
    params_file: str = ""

    @cached_property
    def window(self) -> Window:
        """The data window, with the params' override."""
        override = self.params.data_window.model_dump() if self.params.data_window else None
        return window(self.period, override)

    @cached_property
    def values(self) -> dict[str, Figure]:
        """Figures of the period (unit and children)."""
        return self.ds.values(self.unit.unit_id, self.period.code)

    @cached_property
    def last_year(self) -> dict[str, Figure] | None:
        """Same period of the previous year, through the crosswalk; None when not comparable."""
        return self.ds.comparable(self.unit.unit_id, self.period.same_period_last_year().code)

    @cached_property
    def children(self) -> list[Unit]:
        """Children with data in this period."""
        return [c for c in self.ds.registry.children(self.unit.unit_id, self.period.code)
                if self.ds.any_data(c.unit_id, self.period.code)]

    @cached_property
    def coverage(self) -> tuple[list[Unit], list[Unit]] | None:
        """For an aggregate report (no form of its own): the children that reported and those that did not."""
        if self.ds.has_form(self.unit.unit_id, self.period.code):
            return None
        present, missing = self.ds.reporting_children(self.unit.unit_id, self.period.code)
        return (present, missing) if present or missing else None

    @property
    def ly_label(self) -> str:
        """Label of the same period last year."""
        return self.period.same_period_last_year().label

    def tid(self, name: str) -> str:
        """A fixed table id (no random uuid: reports must be byte-identical)."""
        return f"{self.unit.unit_id}-{self.period.code}-{name}"


def load(unit: str, period: str, processed_dir: str | Path | None = None,
         params_dir: str | Path | None = None) -> Context:
    """Load validated data and the unit's report params for one (unit, period)."""
    ds = Dataset.load(processed_dir or None)
    p = Period.parse(period)
    u = ds.registry.require_valid(unit, p)
    ds.check_unit(unit)
    params, issues, path = load_params(unit, p, params_dir or None, ds.registry)
    reason = ds.not_reportable(unit, p.code, params.aggregate)
    if reason:
        raise DataError(reason)
    return Context(ds, u, p, params, issues, path)


# ---------------------------------------------------------------------------- header


def coverage_label(ctx: Context) -> str:
    """The aggregate's coverage, "tổng hợp số liệu của 3/5 đơn vị cấp xã"; "" for a unit with its own form."""
    if not ctx.coverage:
        return ""
    present, missing = ctx.coverage
    levels = {u.level for u in present + missing}
    noun = f"đơn vị {LEVEL_LABELS[levels.pop()]}" if len(levels) == 1 else "đơn vị trực thuộc"
    return f"tổng hợp số liệu của {len(present)}/{len(present) + len(missing)} {noun}"


def coverage_html(ctx: Context, css_class: str = "window") -> str:
    """The data-window line of an aggregate report, and the children that sent nothing, by name."""
    if not ctx.coverage:
        return ""
    missing = ctx.coverage[1]
    out = f"<p class='{css_class} coverage'>({html.escape(coverage_label(ctx))})</p>"
    if missing:
        names = ", ".join(u.name for u in missing)
        out += f"<p class='{css_class} coverage-missing'>Chưa có số liệu: {html.escape(names)}.</p>"
    return out



def header_html(ctx: Context, title: str) -> str:
    """Title block of an area report."""
    u = ctx.unit
    lines = [f"<div class='cchc-head'><p class='kicker'>{html.escape(u.name)} · {html.escape(ctx.period.label)}</p>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p class='window'>Kỳ báo cáo: {html.escape(ctx.period.label)} ({html.escape(ctx.window.label)})</p>",
             coverage_html(ctx)]
    if u.synthetic:
        lines.append(f"<p class='synthetic'>{SYNTHETIC_NOTE}</p>")
    lines.append("</div>")
    return "".join(lines)


# ---------------------------------------------------------------------------- key figures


def headline(ds: Dataset, area: str) -> list[Indicator]:
    """Rates and top-level totals of an area, in catalog order."""
    parts = {p for _, ps in ds.catalog.breakdowns() for p in ps}
    return [i for i in ds.catalog.in_area(area)
            if i.is_rate or (i.code not in parts and not i.within)]


def key_figures(ctx: Context, area: str) -> list[dict]:
    """Rows of the key-figures table: this period, same period last year, change, target, status."""
    rows = []
    for ind in headline(ctx.ds, area):
        now = ctx.values.get(ind.code, MISSING)
        before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year is not None else None
        if now.missing and (before is None or before.missing):
            continue
        target = ctx.ds.target(ind.code, ctx.period)
        change = ""
        if before is not None and not before.missing and not now.missing:
            if ind.is_rate:
                change = fmt_pp(now.value - before.value)
            else:
                diff = now.value - before.value
                rel = rate_value(diff, before.value)
                sign = "+" if diff > 0 else ("-" if diff < 0 else "±")
                change = f"{sign}{fmt_int(abs(diff))}" + (f" ({'+' if diff > 0 else ''}{fmt_pct(rel)})"
                                                         if rel is not None else "")
        elif before is None:
            change = "không có kỳ so sánh"
        rows.append({
            "code": ind.code, "label": ind.label, "unit": ind.unit,
            "now": display_value(ind, now), "before": display_value(ind, before) if before is not None else "—",
            "change": change, "target": target.label if target else "",
            "status": status_of(ind, now, before, target),
            "below": bool(target and not now.missing and not target.met(now.value)),
        })
    return rows


def key_figures_html(ctx: Context, area: str) -> str:
    """The key-figures table as HTML (without comparison columns when no baseline exists)."""
    rows = key_figures(ctx, area)
    if not rows:
        return f"<p class='missing'>Chưa có số liệu về {html.escape(ctx.ds.catalog.area(area).short.lower())}.</p>"
    compare = ctx.last_year is not None
    header = ["Chỉ tiêu", ctx.period.title]
    header += [ctx.period.same_period_last_year().title, "Thay đổi"] if compare else []
    header += ["Chỉ tiêu phấn đấu", "Đánh giá"]
    body, classes = [], []
    for r in rows:
        status = r["status"].replace("; không có kỳ so sánh", "").replace("Không có kỳ so sánh", "—") \
            if not compare else r["status"]
        cells = [r["label"], r["now"]] + ([r["before"], r["change"]] if compare else []) + [r["target"], status]
        below = "below" if r["below"] else ""
        cls = ["label", below] + (["", ""] if compare else []) + ["", below]
        body.append(cells)
        classes.append(cls)
    numeric = [False, True] + ([True, True] if compare else []) + [True, False]
    table = html_table(header, body, table_id=ctx.tid(f"{area}-key"), classes=classes, numeric=numeric)
    note = "" if compare else f"<p class='missing'>Không có số liệu {html.escape(ctx.ly_label)} để so sánh.</p>"
    return table + note


# ---------------------------------------------------------------------------- children


def children_rows(ctx: Context, area: str) -> tuple[list[str], list[dict]]:
    """Each child unit with the area's breakdown figures, ranked by the first rate."""
    codes = [c for c in CHILD_COLUMNS[area] if any(
        not ctx.ds.values(ch.unit_id, ctx.period.code).get(c, MISSING).missing for ch in ctx.children)]
    rows = []
    for child in ctx.children:
        vals = ctx.ds.values(child.unit_id, ctx.period.code)
        rows.append({"unit": child, "values": {c: vals.get(c, MISSING) for c in codes}})
    rank_code = next((c for c in codes if ctx.ds.catalog[c].is_rate), None)
    if rank_code:
        higher = ctx.ds.catalog[rank_code].higher is not False
        rows.sort(key=lambda r: (r["values"][rank_code].missing,
                                 -(r["values"][rank_code].value or 0) if higher else (r["values"][rank_code].value or 0),
                                 r["unit"].unit_id))
    return codes, rows


def children_html(ctx: Context, area: str) -> str:
    """Breakdown table of children, ranked, below-target cells marked."""
    if not ctx.children:
        return ""
    codes, rows = children_rows(ctx, area)
    if not codes:
        return "<p class='missing'>Các đơn vị trực thuộc chưa có số liệu về lĩnh vực này.</p>"
    cat = ctx.ds.catalog
    header = ["Hạng", "Đơn vị", "Cấp"] + [_short(cat[c].label, 48) + (f" ({cat[c].unit})" if not cat[c].is_rate else "")
                                          for c in codes]
    body, classes = [], []
    for i, r in enumerate(rows, start=1):
        cells, cls = [str(i), r["unit"].name, LEVEL_LABELS[r["unit"].level]], ["", "", ""]
        for c in codes:
            fig = r["values"][c]
            cells.append(MISSING_TEXT if fig.missing else (fmt_pct(fig.value) if cat[c].is_rate else fmt_int(fig.value)))
            t = ctx.ds.target(c, ctx.period)
            cls.append("below" if t and not fig.missing and not t.met(fig.value) else ("missing" if fig.missing else ""))
        body.append(cells)
        classes.append(cls)
    return html_table(header, body, table_id=ctx.tid(f"{area}-children"), classes=classes,
                      numeric=[True, False, False] + [True] * len(codes))


# ---------------------------------------------------------------------------- charts


def _own_and_children_by_level(ctx: Context) -> list[tuple[str, dict[str, Figure]]]:
    """Figures of the unit's own one-stop desk and of its children grouped by level."""
    ds = ctx.ds
    groups: list[tuple[str, dict[str, Figure]]] = []
    own_raw = ds._by_key.get((ctx.unit.unit_id, ctx.period.code, "own"), {})
    if own_raw:
        own = {c: Figure(v) for c, v in own_raw.items()}
        ds._derive(own)
        groups.append((f"{ctx.unit.name} (bộ phận một cửa)", own))
    by_level: dict[str, dict[str, float]] = {}
    for child in ctx.children:
        vals = ds.values(child.unit_id, ctx.period.code)
        bucket = by_level.setdefault(child.level, {})
        for c, f in vals.items():
            if not f.missing and not ds.catalog[c].is_rate:
                bucket[c] = bucket.get(c, 0.0) + f.value
    for level, bucket in by_level.items():
        name = "Các sở, ban, ngành" if level == "department" else f"Các đơn vị {LEVEL_LABELS[level]}"
        groups.append((name, {c: Figure(v) for c, v in bucket.items()}))
    return groups


def trend_periods(ctx: Context, limit: int = 6) -> list[str]:
    """Regular periods with data up to this one (for trend charts)."""
    mine = ctx.period.sort_key
    codes = [p for p in ctx.ds.periods() if Period.parse(p).kind in {"Q1", "H1", "Q3", "Y"}
             and Period.parse(p).sort_key <= mine]
    out = []
    for code in sort_periods(codes):
        vals = ctx.ds.comparable(ctx.unit.unit_id, code)
        if vals is not None:
            out.append(code)
    return out[-limit:]


def area_charts(ctx: Context, area: str) -> list[str]:
    """The charts of an area as SVG strings (empty when the figures are missing)."""
    cat, v, out = ctx.ds.catalog, ctx.values, []

    def has(*codes: str) -> bool:
        return all(not v.get(c, MISSING).missing for c in codes)

    if area == "procedures":
        groups = [(n, g) for n, g in _own_and_children_by_level(ctx)
                  if all(c in g for c in ("TTHC_HS_DUNGHAN_TONG", "TTHC_HS_TONG"))]
        if groups:
            segs = {"Trước hạn, đúng hạn": [], "Đang giải quyết trong hạn": [], "Trễ hạn": []}
            for _, g in groups:
                done = g["TTHC_HS_DUNGHAN_TONG"].value
                intime = g.get("TTHC_HS_DANGGQ_TRONGHAN", Figure(0.0)).value or 0.0
                late = g.get("TTHC_HS_TREHAN_TONG", Figure(g["TTHC_HS_TONG"].value - done - intime)).value
                segs["Trước hạn, đúng hạn"].append(done)
                segs["Đang giải quyết trong hạn"].append(intime)
                segs["Trễ hạn"].append(late)
            out.append(charts.stacked_outcomes([n for n, _ in groups], segs,
                                               "Kết quả giải quyết hồ sơ theo cấp"))
        out += _trend_chart(ctx, ["TTHC_TYLE_DUNGHAN_766", "TTHC_TYLE_DUNGHAN", "TTHC_TYLE_TRUCTUYEN"],
                            "Tỷ lệ đúng hạn và tỷ lệ trực tuyến qua các kỳ")
        out += _ranked_chart(ctx, "TTHC_TYLE_DUNGHAN_766")
    elif area == "digital_government":
        codes = [c for c in ("CDS_TYLE_VB_DEN", "CDS_TYLE_KYSO", "CDS_TYLE_DVCTT", "CDS_TYLE_HS_TRUCTUYEN",
                             "CDS_TYLE_SOHOA", "CDS_TYLE_KHONGTM") if has(c)]
        if codes:
            targets = [(t.threshold if (t := ctx.ds.target(c, ctx.period)) else None) for c in codes]
            out.append(charts.rates_vs_targets([_short(cat[c].label) for c in codes], [v[c].value for c in codes],
                                               targets, "Các tỷ lệ chính quyền số so với chỉ tiêu"))
        out += _trend_chart(ctx, ["CDS_TYLE_HS_TRUCTUYEN", "CDS_TYLE_SOHOA", "CDS_TYLE_KHONGTM"],
                            "Hồ sơ trực tuyến, số hóa và thanh toán không dùng tiền mặt qua các kỳ")
        out += _ranked_chart(ctx, "CDS_TYLE_SOHOA")
    elif area == "public_finance":
        out += _plan_chart(v, [("Thu ngân sách", "TCC_THU_NS", "TCC_THU_DUTOAN"),
                               ("Chi ngân sách", "TCC_CHI_NS", "TCC_CHI_DUTOAN"),
                               ("Giải ngân đầu tư công", "TCC_DTC_GIAINGAN", "TCC_DTC_KEHOACH")],
                           "Thu, chi ngân sách và giải ngân so với dự toán, kế hoạch", unit="triệu đồng")
        if has("TCC_DVSN_TUCHU"):
            labels = [("Tự bảo đảm chi TX và ĐT", "TCC_DVSN_TUCHU_CHITXDT"), ("Tự bảo đảm chi TX", "TCC_DVSN_TUCHU_CHITX"),
                      ("Tự bảo đảm một phần", "TCC_DVSN_TUCHU_MOTPHAN"), ("Nhà nước bảo đảm", "TCC_DVSN_NHANUOC")]
            present = [(lbl, c) for lbl, c in labels if has(c)]
            if present:
                out.append(charts.task_status(["Đơn vị sự nghiệp"], {lbl: [v[c].value] for lbl, c in present},
                                              "Đơn vị sự nghiệp công lập theo mức tự chủ tài chính"))
        out += _ranked_chart(ctx, "TCC_TYLE_GIAINGAN")
    elif area == "apparatus":
        out += _plan_chart(v, [("Công chức", "BM_BC_CC_CO", "BM_BC_CC_GIAO"),
                               ("Viên chức", "BM_BC_VC_CO", "BM_BC_VC_GIAO"),
                               ("CB, CC cấp xã", "BM_BC_XA_CO", "BM_BC_XA_GIAO")],
                           "Biên chế được giao và hiện có", actual_label="Hiện có", plan_label="Được giao",
                           unit="người")
        out += _ranked_chart(ctx, "BM_TYLE_XA")
    elif area == "direction":
        rows, segs = [], {"Hoàn thành": [], "Chưa đến hạn / trong hạn": [], "Chưa đạt / quá hạn": []}
        if has("CD_KH_HOANTHANH", "CD_KH_CHUADENHAN", "CD_KH_KHONGDAT"):
            rows.append("Kế hoạch CCHC")
            segs["Hoàn thành"].append(v["CD_KH_HOANTHANH"].value)
            segs["Chưa đến hạn / trong hạn"].append(v["CD_KH_CHUADENHAN"].value)
            segs["Chưa đạt / quá hạn"].append(v["CD_KH_KHONGDAT"].value)
        if has("CD_GIAO_HOANTHANH", "CD_GIAO_CHUAHT_TRONGHAN", "CD_GIAO_CHUAHT_QUAHAN"):
            rows.append("Nhiệm vụ được giao")
            segs["Hoàn thành"].append(v["CD_GIAO_HOANTHANH"].value)
            segs["Chưa đến hạn / trong hạn"].append(v["CD_GIAO_CHUAHT_TRONGHAN"].value)
            segs["Chưa đạt / quá hạn"].append(v["CD_GIAO_CHUAHT_QUAHAN"].value)
        if rows:
            out.append(charts.task_status(rows, segs, "Nhiệm vụ theo tình trạng thực hiện"))
        out += _ranked_chart(ctx, "CD_KH_TYLE")
    elif area in ("institutions", "civil_service"):
        codes = [i.code for i in cat.in_area(area, rates=False) if has(i.code) and not i.within
                 and not i.code.startswith(("CV_CBXA", "CV_CCXA"))]
        if len(codes) >= 2:
            before = [ctx.last_year.get(c, MISSING).value if ctx.last_year else None for c in codes]
            out.append(charts.counts_compare([_short(cat[c].label) for c in codes], [v[c].value for c in codes],
                                             before, f"{cat.area(area).short}: kỳ này và cùng kỳ năm trước",
                                             ctx.period.short_label, ctx.period.same_period_last_year().short_label))
        if area == "civil_service":
            out += _ranked_chart(ctx, "CV_TYLE_CCXA")
    return out


def _plan_chart(values: dict[str, Figure], triples: list[tuple[str, str, str]], title: str, **kwargs) -> list[str]:
    """Actual against plan for the (label, actual code, plan code) triples that have both figures."""
    present = [(lbl, a, p) for lbl, a, p in triples
               if not values.get(a, MISSING).missing and not values.get(p, MISSING).missing]
    if not present:
        return []
    return [charts.actual_vs_plan([t[0] for t in present], [values[t[1]].value for t in present],
                                  [values[t[2]].value for t in present], title, **kwargs)]


def _short(label: str, width: int = 42) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _trend_chart(ctx: Context, codes: list[str], title: str) -> list[str]:
    periods = trend_periods(ctx)
    if len(periods) < 2:
        return []
    series, targets = {}, {}
    cat = ctx.ds.catalog
    for c in codes:
        vals = []
        for p in periods:
            fig = (ctx.ds.comparable(ctx.unit.unit_id, p) or {}).get(c, MISSING)
            vals.append(None if fig.missing else fig.value)
        if sum(x is not None for x in vals) >= 2:
            name = _short(cat[c].label, 60)
            series[name] = vals
            t = ctx.ds.target(c, ctx.period)
            if t:
                targets[name] = t.threshold
    if not series:
        return []
    return [charts.rate_trend([Period.parse(p).short_label for p in periods], series, targets, title)]


def _ranked_chart(ctx: Context, code: str) -> list[str]:
    pts = [(c.name, ctx.ds.values(c.unit_id, ctx.period.code).get(code, MISSING)) for c in ctx.children]
    pts = [(n, f.value) for n, f in pts if not f.missing]
    if len(pts) < 2:
        return []
    t = ctx.ds.target(code, ctx.period)
    return [charts.ranked_bars([p[0] for p in pts], [p[1] for p in pts], t.threshold if t else None,
                               f"Đơn vị trực thuộc xếp theo {ctx.ds.catalog[code].label.lower()}")]


# ---------------------------------------------------------------------------- text


def prose_paragraphs(ctx: Context, area: str) -> list[str]:
    """Generated paragraphs, then comparisons and targets for the area's rates."""
    paras = area_paragraphs(area, ctx.values, ctx.ds.catalog)
    extra = []
    for row in key_figures(ctx, area):
        ind = ctx.ds.catalog[row["code"]]
        if not ind.is_rate or row["now"] == MISSING_TEXT:
            continue
        now = ctx.values[ind.code].value
        bits = []
        t = ctx.ds.target(ind.code, ctx.period)
        if t:
            word = "đạt" if t.met(now) else "chưa đạt"
            bits.append(f"{word} chỉ tiêu {t.label}")
        if ctx.last_year is not None and not ctx.last_year.get(ind.code, MISSING).missing:
            diff = now - ctx.last_year[ind.code].value
            if abs(diff) >= 0.005:
                bits.append(f"{'tăng' if diff > 0 else 'giảm'} {fmt_pp(abs(diff)).lstrip('+')} so với {ctx.ly_label}")
            else:
                bits.append(f"không đổi so với {ctx.ly_label}")
        if bits:
            label = ind.label if not extra else ind.label[0].lower() + ind.label[1:]
            extra.append(f"{label} là {fmt_pct(now)}, {', '.join(bits)}")
    if extra:
        paras.append("; ".join(extra) + ".")
    return paras


def prose_html(ctx: Context, area: str) -> str:
    """Generated prose as HTML paragraphs."""
    return "".join(f"<p class='prose'>{html.escape(p)}</p>" for p in prose_paragraphs(ctx, area))


def analyst_html(ctx: Context, key: str) -> str:
    """The analyst's own text for a section, sanitized."""
    text = ctx.params.text.get(key, "") if ctx.params.text else ""
    if not text:
        return ""
    return f"<div class='analyst'>{markdown_to_html(text)}</div>"


def data_notes(ctx: Context, area: str) -> list[str]:
    """What is missing, where figures come from, and validation warnings for this unit and period."""
    notes = []
    missing = [i.label for i in headline(ctx.ds, area) if not i.is_rate and ctx.values.get(i.code, MISSING).missing]
    if missing:
        notes.append("Chưa có số liệu: " + "; ".join(missing) + ".")
    codes = {i.code for i in ctx.ds.catalog.in_area(area)}
    derived = [ctx.ds.catalog[c].label for c, f in ctx.values.items() if c in codes and f.source == "derived"]
    if derived:
        notes.append("Tính từ tổng các số liệu thành phần: " + "; ".join(derived) + ".")
    partial = sorted({(f.children_with_data, f.children) for c, f in ctx.values.items()
                      if c in codes and 0 < f.children_with_data < f.children})
    for have, total in partial:
        notes.append(f"Một số chỉ tiêu chỉ có số liệu của {have}/{total} đơn vị trực thuộc.")
    if any(f.source == "records" for c, f in ctx.values.items() if c in codes) or (
            area == "procedures" and ctx.ds.dossier_stats["unit_id"].eq(ctx.unit.unit_id).any()):
        notes.append("Số liệu hồ sơ được tính từ dữ liệu trích xuất phần mềm một cửa điện tử, phân loại tại ngày "
                     f"{fmt_date(ctx.period.end)}; số liệu trích xuất được ưu tiên hơn số nhập tay.")
    if ctx.last_year is None:
        notes.append(f"Không có số liệu {ctx.ly_label} để so sánh.")
    elif ctx.ds.registry.crosswalk(ctx.unit.unit_id, ctx.period.same_period_last_year()) != [ctx.unit.unit_id]:
        preds = ctx.ds.registry.crosswalk(ctx.unit.unit_id, ctx.period.same_period_last_year()) or []
        names = ", ".join(ctx.ds.registry[p].name for p in preds)
        notes.append(f"Số liệu {ctx.ly_label} là tổng của các đơn vị trước sắp xếp ({names}).")
    units = {ctx.unit.unit_id} | {c.unit_id for c in ctx.children}
    for issue in ctx.ds.issues:
        if issue["unit_id"] in units and issue["period"] == ctx.period.code and (
                not issue.get("message") or issue["message"].split(":")[0].split(" ")[0] in codes
                or any(issue["message"].startswith(c) for c in codes)):
            sev = "Lỗi" if issue["severity"] == "error" else "Cảnh báo"
            notes.append(f"{sev} khi kiểm tra số liệu ({issue['place']}): {issue['message']}")
    return notes


def data_notes_html(ctx: Context, area: str) -> str:
    """Data notes as an HTML list."""
    notes = data_notes(ctx, area)
    if not notes:
        return ""
    return "<ul class='notes'>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"


# ---------------------------------------------------------------------------- provenance


def input_fingerprint(ctx: Context) -> dict[str, str]:
    """Hashes of the raw files behind this unit and period (and of the processed rows used)."""
    units = {ctx.unit.unit_id} | {d.unit_id for d in _descendants(ctx)}
    files = {f: h for f, h in ctx.ds.hashes.items()
             if f.endswith("units.csv") or "dossiers/" in f
             or any(f.endswith(f"/{u}.xlsx") or f.endswith(f"/{u}.csv") for u in units)}
    rows = ctx.ds.indicators[ctx.ds.indicators["unit_id"].isin(units)]
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()[:16]
    files["(số liệu đã kiểm tra của đơn vị và đơn vị trực thuộc)"] = digest
    return dict(sorted(files.items()))


def _descendants(ctx: Context) -> list[Unit]:
    out, frontier = [], [ctx.unit.unit_id]
    while frontier:
        nxt = []
        for u in frontier:
            kids = ctx.ds.registry.children(u, ctx.period.code)
            out.extend(kids)
            nxt.extend(k.unit_id for k in kids)
        frontier = nxt
    return out


def provenance_html(ctx: Context, notebook: str) -> str:
    """Provenance block: inputs with hashes, code version, parameters (no wall-clock time)."""
    params = {"unit": ctx.unit.unit_id, "period": ctx.period.code, "notebook": notebook,
              "window": f"{fmt_date(ctx.window.start)} - {fmt_date(ctx.window.end)}"}
    if ctx.params_file:
        params["params"] = ctx.params_file
    rows = [[k, v] for k, v in input_fingerprint(ctx).items()]
    table = html_table(["Tệp đầu vào", "SHA-256 (16 ký tự đầu)"], rows, table_id=ctx.tid(f"{notebook}-provenance"))
    return ("<div class='provenance'><h3>Nguồn gốc số liệu</h3>"
            f"<p>Tham số: <code>{html.escape(json.dumps(params, ensure_ascii=False))}</code></p>"
            f"<p>Phiên bản mã: {html.escape(code_version())}</p>{table}</div>")


# ---------------------------------------------------------------------------- blocks

AREA_TITLES = {"direction": "Công tác chỉ đạo, điều hành cải cách hành chính"}


def block(ctx: Context, name: str, area: str = "", notebook: str = "") -> str:
    """One block of an area report as HTML, with its heading."""
    if name == "key":
        return "<h2>Số liệu chủ yếu</h2>" + key_figures_html(ctx, area)
    if name == "charts":
        svgs = area_charts(ctx, area)
        if not svgs:
            return ""
        return "<h2>Biểu đồ</h2>" + "".join(f"<figure class='chart'>{s}</figure>" for s in svgs)
    if name == "children":
        table = children_html(ctx, area)
        return f"<h2>Các đơn vị trực thuộc</h2>{table}" if table else ""
    if name == "prose":
        return "<h2>Đánh giá kết quả</h2>" + prose_html(ctx, area)
    if name == "analyst":
        text = analyst_html(ctx, area)
        return f"<h2>Ý kiến của đơn vị</h2>{text}" if text else ""
    if name == "notes":
        notes = data_notes_html(ctx, area)
        return f"<h2>Ghi chú số liệu</h2>{notes}" if notes else ""
    if name == "provenance":
        return provenance_html(ctx, notebook)
    raise ValueError(f"unknown block {name!r}")


def show(ctx: Context, name: str, area: str = "", notebook: str = "") -> None:
    """Display a block in the notebook (HTML output: compared by nbval, rendered by nbconvert)."""
    from IPython.display import HTML, display

    content = block(ctx, name, area, notebook)
    if content:
        display(HTML(content))


def show_header(ctx: Context, title: str) -> None:
    """Display the title block of an area report."""
    from IPython.display import HTML, display

    display(HTML(header_html(ctx, title)))
