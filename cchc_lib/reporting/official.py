"""The master report laid out as an official document (Nghị định 30/2020/NĐ-CP).

Header with the issuing body and the national motto, title and subject, data window,
"Kính gửi", sections I to V with generated numbering, closing "./.", "Nơi nhận" beside the
signature block, then the appendix with every catalog indicator and the provenance.
"""

from __future__ import annotations

import html

from cchc_lib.domain.fmt import fmt_date, fmt_long_date, fmt_pct, fmt_pp
from cchc_lib.reporting.dataset import MISSING
from cchc_lib.reporting.report import (
    SYNTHETIC_NOTE,
    Context,
    analyst_html,
    area_charts,
    children_html,
    coverage_html,
    data_notes,
    display_value,
    key_figures,
    key_figures_html,
    prose_html,
    provenance_html,
)
from cchc_lib.reporting.tables import html_table

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
RESULT_AREAS = ["institutions", "procedures", "apparatus", "civil_service", "public_finance", "digital_government"]
esc = html.escape


def _lines(text: str) -> str:
    return "<br>".join(esc(x) for x in text.split("|"))


def missing_fields(ctx: Context) -> list[str]:
    """Params a finished official document needs but this report does not have."""
    p, out = ctx.params, []
    if not ctx.params_file:
        out.append(f"chưa có tệp tham số params/reports/{ctx.period.code}/{ctx.unit.unit_id}.yaml")
    if not p.document.number:
        out.append("số văn bản (document.number)")
    if not p.document.date:
        out.append("ngày báo cáo (document.date)")
    if not p.addressees:
        out.append("nơi gửi (addressees)")
    if not p.signer or not p.signer.name:
        out.append("người ký (signer)")
    if not p.recipients:
        out.append("nơi nhận (recipients)")
    for key, label in (("directions", "phương hướng, nhiệm vụ"), ("recommendations", "kiến nghị, đề xuất")):
        if not p.text.get(key):
            out.append(f"{label} của đơn vị (text.{key})")
    return out


def document_header(ctx: Context) -> str:
    """The two-column header, the title block and "Kính gửi"."""
    u, p = ctx.unit, ctx.params
    number = p.document.number or "\u2003\u2003"
    code = p.document.code or "BC-UBND"
    date = p.document.date
    place = u.place or u.name
    date_text = f"{esc(place)}, {fmt_long_date(date)}" if date else f"{esc(place)}, ngày \u2003 tháng \u2003 năm {ctx.period.year}"
    left = ""
    if u.parent_body:
        left += f"<div class='body-parent'>{_lines(u.parent_body)}</div>"
    left += f"<div class='body-issuer'>{_lines(u.issuing_body or u.name.upper())}</div><div class='rule short'></div>"
    left += f"<div class='doc-number'>Số: {esc(number)}/{esc(code)}</div>"
    right = ("<div class='motto-1'>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
             "<div class='motto-2'>Độc lập - Tự do - Hạnh phúc</div><div class='rule long'></div>"
             f"<div class='doc-date'>{date_text}</div>")
    subject = p.subject or (f"Kết quả thực hiện công tác cải cách hành chính trên địa bàn {u.name_in_text} "
                            f"{ctx.period.label}")
    out = [f"<table class='doc-header'><tr><td class='left'>{left}</td><td class='right'>{right}</td></tr></table>"]
    if u.synthetic:
        out.append(f"<p class='synthetic'>{SYNTHETIC_NOTE}</p>")
    missing = missing_fields(ctx)
    if missing:
        out.append("<div class='draft no-print-hide'><strong>Dự thảo: còn thiếu</strong> " + esc("; ".join(missing)) + ".</div>")
    out.append("<div class='doc-title'>BÁO CÁO</div>")
    out.append(f"<div class='doc-subject'>{esc(subject)}</div>")
    out.append(f"<div class='doc-window'>({esc(ctx.window.label)})</div>")
    out.append(coverage_html(ctx, "doc-window"))
    out.append("<div class='rule short center'></div>")
    if p.addressees:
        if len(p.addressees) == 1:
            out.append(f"<p class='to'><span>Kính gửi:</span> {esc(p.addressees[0])}.</p>")
        else:
            items = "".join(f"<div>- {esc(a)};</div>" for a in p.addressees)
            out.append(f"<div class='to'><span>Kính gửi:</span><div class='to-list'>{items}</div></div>")
    return "".join(out)


def introduction(ctx: Context) -> str:
    """The opening paragraph: legal bases cited in official form, or the analyst's own intro."""
    if ctx.params.text.get("intro"):
        return analyst_html(ctx, "intro")
    bases = "; ".join(d.citation() for d in ctx.params.legal_bases)
    who = f"Ủy ban nhân dân {ctx.unit.name_in_text}" if ctx.unit.level != "department" else ctx.unit.name
    lead = f"Thực hiện {bases}; " if bases else ""
    return (f"<p class='body'>{esc(lead)}{esc(who)} báo cáo kết quả thực hiện công tác cải cách hành chính "
            f"{esc(ctx.period.label)} như sau:</p>")


def _section(num: str, title: str) -> str:
    return f"<h2 class='sec'>{num}. {esc(title.upper())}</h2>"


def _sub(num: str, title: str) -> str:
    return f"<h3 class='sub'>{num}. {esc(title)}</h3>"


def documents_issued(ctx: Context) -> str:
    """Documents issued in the period, cited in official form."""
    docs = ctx.params.documents
    if not docs:
        return ""
    items = "".join(f"<li>- {esc(d.citation())}{'.' if i == len(docs) - 1 else ';'}</li>" for i, d in enumerate(docs))
    return f"<p class='body'>Các văn bản chỉ đạo, điều hành đã ban hành trong kỳ:</p><ul class='docs'>{items}</ul>"


def area_body(ctx: Context, area: str, charts: bool = True) -> str:
    """Prose, the analyst's text, the key figures and the first chart of an area (as in its notebook)."""
    parts = [prose_html(ctx, area), analyst_html(ctx, area), key_figures_html(ctx, area)]
    if charts:
        svgs = area_charts(ctx, area)
        if svgs:
            parts.append(f"<figure class='chart'>{svgs[0]}</figure>")
    kids = children_html(ctx, area)
    if kids and area in ("procedures", "digital_government"):
        parts.append(kids)
    return "".join(parts)


def section_direction(ctx: Context) -> str:
    """Section I."""
    return _section(ROMAN[0], ctx.ds.catalog.area("direction").label) + documents_issued(ctx) + area_body(ctx, "direction")


def section_results(ctx: Context) -> str:
    """Section II with 2.1 to 2.6 by area."""
    out = [_section(ROMAN[1], "Kết quả thực hiện các nhiệm vụ cải cách hành chính")]
    for i, area in enumerate(RESULT_AREAS, start=1):
        out.append(_sub(f"2.{i}", ctx.ds.catalog.area(area).label))
        out.append(area_body(ctx, area))
    return "".join(out)


def assessment(ctx: Context) -> tuple[list[str], list[str]]:
    """Strengths and limitations generated from targets and changes on the same period last year."""
    good, bad = [], []
    for area in ["direction", *RESULT_AREAS]:
        for row in key_figures(ctx, area):
            ind = ctx.ds.catalog[row["code"]]
            now = ctx.values.get(ind.code, MISSING)
            if not ind.is_rate or now.missing:
                continue
            t = ctx.ds.target(ind.code, ctx.period)
            before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year else MISSING
            diff = None if before.missing else now.value - before.value
            trend = ""
            if diff is not None and abs(diff) >= 0.5 and ind.higher is not None:
                trend = f", {'tăng' if diff > 0 else 'giảm'} {fmt_pp(abs(diff)).lstrip('+')} so với {ctx.ly_label}"
            if t and t.met(now.value):
                good.append(f"{ind.label} đạt {fmt_pct(now.value)}, đạt chỉ tiêu {t.label}{trend}.")
            elif t:
                bad.append(f"{ind.label} mới đạt {fmt_pct(now.value)}, chưa đạt chỉ tiêu {t.label}{trend}.")
            elif diff is not None and ind.higher is not None and abs(diff) >= 0.5:
                better = diff > 0 if ind.higher else diff < 0
                (good if better else bad).append(f"{ind.label} là {fmt_pct(now.value)}{trend}.")
    return good, bad


def section_assessment(ctx: Context) -> str:
    """Section III: strengths, limitations, causes."""
    good, bad = assessment(ctx)
    out = [_section(ROMAN[2], "Đánh giá chung")]
    out.append(_sub("1", "Ưu điểm"))
    out.append("".join(f"<p class='body'>- {esc(g)}</p>" for g in good) or
               "<p class='body missing'>Chưa có chỉ tiêu nào đạt hoặc tăng so với cùng kỳ để nêu.</p>")
    out.append(analyst_html(ctx, "highlights"))
    out.append(_sub("2", "Tồn tại, hạn chế"))
    out.append("".join(f"<p class='body'>- {esc(b)}</p>" for b in bad) or
               "<p class='body'>Không có chỉ tiêu nào chưa đạt hoặc giảm so với cùng kỳ.</p>")
    out.append(analyst_html(ctx, "limitations"))
    if ctx.params.text.get("causes"):
        out.append(_sub("3", "Nguyên nhân"))
        out.append(analyst_html(ctx, "causes"))
    return "".join(out)


def section_directions(ctx: Context) -> str:
    """Section IV: the analyst's directions, else directions generated from the shortfalls."""
    out = [_section(ROMAN[3], f"Phương hướng, nhiệm vụ {ctx.period.next_label}")]
    text = analyst_html(ctx, "directions")
    if text:
        out.append(text)
    else:
        _, bad = assessment(ctx)
        if bad:
            out.append("<p class='body'>Tập trung khắc phục các chỉ tiêu chưa đạt:</p>")
            out.append("".join(f"<p class='body'>{i}. {esc(b)}</p>" for i, b in enumerate(bad, start=1)))
        out.append("<p class='body missing'>(Đơn vị chưa nhập phương hướng, nhiệm vụ: text.directions.)</p>")
    return "".join(out)


def section_recommendations(ctx: Context) -> str:
    """Section V."""
    out = [_section(ROMAN[4], "Kiến nghị, đề xuất")]
    text = analyst_html(ctx, "recommendations")
    out.append(text or "<p class='body missing'>(Đơn vị chưa nhập kiến nghị, đề xuất: text.recommendations.)</p>")
    return "".join(out)


def closing(ctx: Context) -> str:
    """Closing sentence, "Nơi nhận" and the signature block side by side."""
    who = f"Ủy ban nhân dân {ctx.unit.name_in_text}" if ctx.unit.level != "department" else ctx.unit.name
    out = [f"<p class='body'>Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính "
           f"{esc(ctx.period.label)} của {esc(who)}./.</p>"]
    recipients = ctx.params.recipients or ["Như trên", "Lưu: VT"]
    items = "".join(f"<div>- {esc(r)}{'.' if i == len(recipients) - 1 else ';'}</div>" for i, r in enumerate(recipients))
    s = ctx.params.signer
    sign = ""
    if s:
        if s.authority:
            sign += f"<div class='sign-auth'>{_lines(s.authority)}</div>"
        sign += f"<div class='sign-pos'>{_lines(s.position)}</div><div class='sign-space'></div>"
        sign += f"<div class='sign-name'>{esc(s.name)}</div>"
    else:
        sign = "<div class='sign-pos'>CHỦ TỊCH</div><div class='sign-space'></div><div class='sign-name missing'>(chưa có người ký)</div>"
    out.append(f"<table class='doc-footer'><tr><td class='left'><div class='recv-title'>Nơi nhận:</div>"
               f"<div class='recv'>{items}</div></td><td class='right'>{sign}</td></tr></table>")
    return "".join(out)


def appendix(ctx: Context) -> str:
    """"Phụ lục": every catalog indicator of the unit and period, by area."""
    d = ctx.params.document
    ref = f"Báo cáo số {d.number or '...'}/{d.code} ngày {fmt_date(d.date) if d.date else '...'}"
    who = f"Ủy ban nhân dân {ctx.unit.name_in_text}" if ctx.unit.level != "department" else ctx.unit.name
    out = ["<div class='appendix'><div class='doc-title'>PHỤ LỤC</div>",
           f"<div class='doc-subject'>Số liệu kết quả thực hiện công tác cải cách hành chính {esc(ctx.period.label)}</div>",
           f"<div class='doc-window'>(Kèm theo {esc(ref)} của {esc(who)})</div>"]
    cat = ctx.ds.catalog
    for i, area in enumerate(cat.areas, start=1):
        rows = []
        for n, ind in enumerate(cat.in_area(area.code), start=1):
            now = ctx.values.get(ind.code, MISSING)
            before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year else None
            note = {"records": "Trích xuất phần mềm một cửa", "derived": "Tổng các thành phần", "total": "Số toàn địa bàn",
                    "children": "Gồm đơn vị trực thuộc", "computed": "Tính từ số đếm"}.get(now.source, "")
            rows.append([str(n), ind.label, ind.unit, display_value(ind, now),
                         display_value(ind, before) if before is not None else "—", note])
        out.append(f"<h3 class='sub'>{i}. {esc(area.label)}</h3>")
        out.append(html_table(["STT", "Chỉ tiêu", "Đơn vị tính", ctx.period.title,
                               ctx.period.same_period_last_year().title, "Ghi chú"], rows, table_id=ctx.tid(f"appendix-{area.code}"),
                              numeric=[True, False, False, True, True, False]))
    out.append("</div>")
    return "".join(out)


def notes_and_checks(ctx: Context) -> str:
    """Data notes of every area and the checks of the report params."""
    items = []
    for issue in ctx.params_issues:
        sev = "Lỗi" if issue.severity == "error" else "Cảnh báo"
        items.append(f"{sev} tham số báo cáo ({issue.file}, trường {issue.column}): {issue.message}")
    for area in ctx.ds.catalog.areas:
        items += [f"{area.short}: {n}" for n in data_notes(ctx, area.code)]
    if not items:
        return ""
    return ("<div class='notes-block'><h3>Ghi chú số liệu và kiểm tra</h3><ul class='notes'>"
            + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul></div>")


BLOCKS = {
    "header": document_header,
    "intro": introduction,
    "direction": section_direction,
    "results": section_results,
    "assessment": section_assessment,
    "directions": section_directions,
    "recommendations": section_recommendations,
    "closing": closing,
    "appendix": appendix,
    "notes": notes_and_checks,
    "provenance": lambda ctx: provenance_html(ctx, "report"),
}


def show(ctx: Context, name: str) -> None:
    """Display one block of the official report in the notebook."""
    from IPython.display import HTML, display

    content = BLOCKS[name](ctx)
    if content:
        display(HTML(content))
