"""The master report laid out as an official document (Nghị định 30/2020/NĐ-CP).

Header with the issuing body and the national motto, title and subject, data window,
"Kính gửi", sections I to V with generated numbering, closing "./.", "Nơi nhận" beside the
signature block, then the appendix with every catalog indicator and the provenance.
"""

from __future__ import annotations

from cchc_lib.domain.fmt import fmt_date, fmt_long_date
from cchc_lib.reporting.commentary import analyst_markup
from cchc_lib.reporting.context import Context, coverage_data
from cchc_lib.reporting.figures import MISSING, display_value
from cchc_lib.reporting.notes import data_notes
from cchc_lib.reporting.official_sections import (
    RESULT_AREAS,
    ROMAN,
    area_body,
    assessment,
    render_section,
    section_assessment,
    section_direction,
    section_directions,
    section_recommendations,
    section_results,
)
from cchc_lib.reporting.provenance import provenance_html
from cchc_lib.reporting.tables import table_data

__all__ = [
    "BLOCKS", "RESULT_AREAS", "ROMAN", "appendix", "area_body", "assessment", "closing", "document_header",
    "introduction", "notes_and_checks", "section_assessment", "section_direction",
    "section_directions", "section_recommendations", "section_results", "show",
]

# Where each figure of the appendix comes from.
SOURCE_NOTES = {"records": "Trích xuất phần mềm một cửa", "derived": "Tổng các thành phần", "total": "Số toàn địa bàn",
                "children": "Gồm đơn vị trực thuộc", "computed": "Tính từ số đếm"}


def _missing_fields(ctx: Context) -> list[str]:
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


def _header_data(ctx: Context) -> dict:
    """Issuing body, number, motto, place and date, title, subject, window, coverage, "Kính gửi"."""
    u, p = ctx.unit, ctx.params
    date = p.document.date
    subject = p.subject or (f"Kết quả thực hiện công tác cải cách hành chính trên địa bàn {u.name_in_text} "
                            f"{ctx.period.label}")
    return {
        "parent_body": u.parent_body.split("|") if u.parent_body else [],
        "issuing_body": (u.issuing_body or u.name.upper()).split("|"),
        "number": p.document.number or "\u2003\u2003", "code": p.document.code or "BC-UBND",
        "place": u.place or u.name,
        "date": fmt_long_date(date) if date else f"ngày \u2003 tháng \u2003 năm {ctx.period.year}",
        "synthetic_note": ctx.synthetic_note, "missing": "; ".join(_missing_fields(ctx)),
        "subject": subject, "window": ctx.window.label, "coverage": coverage_data(ctx, "doc-window"),
        "addressees": list(p.addressees or []),
    }


def document_header(ctx: Context) -> str:
    """The two-column header, the title block and "Kính gửi"."""
    return render_section("header", **_header_data(ctx))


def introduction(ctx: Context) -> str:
    """The opening paragraph: legal bases cited in official form, or the analyst's own intro."""
    bases = "; ".join(d.citation() for d in ctx.params.legal_bases)
    return render_section("intro", text=analyst_markup(ctx, "intro"), lead=f"Thực hiện {bases}; " if bases else "",
                          who=ctx.issuer, period=ctx.period.label)


def closing(ctx: Context) -> str:
    """Closing sentence, "Nơi nhận" and the signature block side by side."""
    s = ctx.params.signer
    signer = None
    if s:
        signer = {"authority": s.authority.split("|") if s.authority else [], "position": s.position.split("|"),
                  "name": s.name}
    return render_section("closing", period=ctx.period.label, who=ctx.issuer,
                          recipients=ctx.params.recipients or ["Như trên", "Lưu: VT"], signer=signer)


def _appendix_tables(ctx: Context) -> list[dict]:
    """Per area: its number and label, and the table of every catalog indicator (now, a year before, source)."""
    cat, out = ctx.ds.catalog, []
    for i, area in enumerate(cat.areas, start=1):
        rows = []
        for ind in cat.in_area(area.code):
            now = ctx.values.get(ind.code, MISSING)
            before = ctx.last_year.get(ind.code, MISSING) if ctx.last_year else None
            if ind.owner and now.missing and (before is None or before.missing):
                continue  # a unit's own indicator appears where it has a figure
            rows.append([str(len(rows) + 1), ind.label, ind.unit, display_value(ind, now, ctx.values),
                         display_value(ind, before, ctx.last_year) if before is not None else "—",
                         SOURCE_NOTES.get(now.source, "")])
        header = ["STT", "Chỉ tiêu", "Đơn vị tính", ctx.period.title, ctx.period.same_period_last_year().title, "Ghi chú"]
        out.append({"num": str(i), "title": area.label,
                    "table": table_data(header, rows, table_id=ctx.tid(f"appendix-{area.code}"),
                                        numeric=[True, False, False, True, True, False])})
    return out


def appendix(ctx: Context) -> str:
    """"Phụ lục": every catalog indicator of the unit and period, by area."""
    d = ctx.params.document
    ref = f"Báo cáo số {d.number or '...'}/{d.code} ngày {fmt_date(d.date) if d.date else '...'}"
    return render_section("appendix", period=ctx.period.label, ref=ref, who=ctx.issuer, areas=_appendix_tables(ctx))


def notes_and_checks(ctx: Context) -> str:
    """Data notes of every area and the checks of the report params ("" when there is nothing to note)."""
    items = []
    for issue in ctx.params_issues:
        sev = "Lỗi" if issue.severity == "error" else "Cảnh báo"
        items.append(f"{sev} tham số báo cáo ({issue.file}, trường {issue.column}): {issue.message}")
    for area in ctx.ds.catalog.areas:
        items += [f"{area.short}: {n}" for n in data_notes(ctx, area.code)]
    return render_section("notes", items=items) if items else ""


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
