"""The master report as an official document: header, title, sections, "Nơi nhận", signature, appendix, escaping."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest

from cchc_lib.reporting import official, report
from cchc_lib.reporting.context import Context


class _Elements(HTMLParser):
    """Every element of a fragment with its tag, classes and text (``<br>`` read as "|")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[dict] = []
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            for element in self.open:
                element["text"] += "|"
            return
        element = {"tag": tag, "cls": (dict(attrs).get("class") or "").split(), "id": dict(attrs).get("id"),
                   "text": ""}
        self.open.append(element)
        self.found.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data


def elements(fragment: str) -> list[dict]:
    parser = _Elements()
    parser.feed(fragment)
    return parser.found


def texts(fragment: str, css_class: str = "", tag: str = "") -> list[str]:
    """Texts of the elements with ``css_class`` (and ``tag``), in document order."""
    return [e["text"] for e in elements(fragment)
            if (not css_class or css_class in e["cls"]) and (not tag or e["tag"] == tag)]


@pytest.fixture(scope="module")
def bien_hoa():
    return report.load("tp-bien-hoa", "2024-H1")


@pytest.fixture(scope="module")
def draft():
    return report.load("xa-mau-01", "2026-H1")  # no params file: a draft


def test_header_table_of_a_seed(bien_hoa):
    header = official.document_header(bien_hoa)
    assert header.startswith("<table class='doc-header'><tr><td class='left'>")
    assert texts(header, "body-issuer") == ["ỦY BAN NHÂN DÂN|THÀNH PHỐ BIÊN HÒA"]
    assert texts(header, "body-parent") == []
    assert texts(header, "doc-number") == ["Số: 213/BC-UBND"]
    assert texts(header, "motto-1") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert texts(header, "motto-2") == ["Độc lập - Tự do - Hạnh phúc"]
    assert texts(header, "doc-date") == ["Biên Hòa, ngày 14 tháng 6 năm 2024"]
    left, right = texts(header, "left", "td"), texts(header, "right", "td")
    assert left == ["ỦY BAN NHÂN DÂN|THÀNH PHỐ BIÊN HÒASố: 213/BC-UBND"]
    assert right[0].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") and right[0].endswith("năm 2024")


def test_title_subject_window_and_addressees(bien_hoa):
    header = official.document_header(bien_hoa)
    assert texts(header, "doc-title") == ["BÁO CÁO"]
    assert texts(header, "doc-subject") == ["Kết quả thực hiện công tác cải cách hành chính trên địa bàn thành phố "
                                            "Biên Hòa trong 6 tháng đầu năm 2024"]
    assert texts(header, "doc-window") == ["(số liệu từ ngày 15/12/2023 đến ngày 14/6/2024)"]
    assert texts(header, tag="span") == ["Kính gửi:"]
    assert texts(header, "to-list") == ["- UBND tỉnh Đồng Nai;- Sở Nội vụ tỉnh Đồng Nai;"]
    assert texts(header, "draft") == [] and texts(header, "synthetic") == []


def test_parent_body_and_a_blank_number():
    ctx = report.load("phuong-tran-phu", "2021-H1")
    header = official.document_header(ctx)
    assert texts(header, "body-parent") == ["THÀNH PHỐ HẢI DƯƠNG"]
    assert texts(header, "body-issuer") == ["ỦY BAN NHÂN DÂN|PHƯỜNG TRẦN PHÚ"]
    assert texts(header, "doc-number") == ["Số: \u2003\u2003/BC-UBND"]


def test_a_draft_says_what_is_missing(draft):
    header = official.document_header(draft)
    assert texts(header, "draft") == [
        "Dự thảo: còn thiếu chưa có tệp tham số params/reports/2026-H1/xa-mau-01.yaml; số văn bản (document.number); "
        "ngày báo cáo (document.date); nơi gửi (addressees); người ký (signer); nơi nhận (recipients); "
        "phương hướng, nhiệm vụ của đơn vị (text.directions); kiến nghị, đề xuất của đơn vị (text.recommendations)."]
    assert texts(header, "doc-date") == ["Mẫu 01, ngày \u2003 tháng \u2003 năm 2026"]
    assert texts(header, "synthetic") == [report.SYNTHETIC_NOTE]
    assert texts(header, "to") == []


def test_introduction_cites_the_legal_bases(bien_hoa):
    intro = official.introduction(bien_hoa)
    assert texts(intro, "body") == [
        "Thực hiện Kế hoạch số 300/KH-UBND ngày 28/12/2023 của Chủ tịch UBND tỉnh Đồng Nai về Cải cách hành chính "
        "năm 2024; Văn bản số 1834/SNV-TT ngày 23/05/2022 của Sở Nội vụ việc hướng dẫn báo cáo định kỳ kết quả cải "
        "cách hành chính, kiểm soát thủ tục hành chính; Tờ trình số 488/TTr-NV ngày 13/06/2024 của Phòng Nội vụ về "
        "kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024; Ủy ban nhân dân thành phố Biên Hòa báo "
        "cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024 như sau:"]


def test_closing_recipients_and_signature(bien_hoa):
    closing = official.closing(bien_hoa)
    assert texts(closing, "body") == ["Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu "
                                      "năm 2024 của Ủy ban nhân dân thành phố Biên Hòa./."]
    assert texts(closing, "recv-title") == ["Nơi nhận:"]
    recipients = [e["text"] for e in elements(closing) if e["tag"] == "div" and not e["cls"]]
    assert recipients == ["- Như trên;", "- Thành ủy Biên Hòa (báo cáo);", "- CT, các PCT UBND thành phố (báo cáo);",
                          "- Văn phòng HĐND và UBND TP;", "- Phòng chuyên môn TP;", "- UBND 30 phường, xã;",
                          "- Lưu: VT, THNC."]
    assert texts(closing, "sign-auth") == []
    assert texts(closing, "sign-pos") == ["CHỦ TỊCH"]
    assert texts(closing, "sign-name") == ["Đỗ Khôi Nguyên"]


def test_signature_with_authority_and_without_signer(draft):
    closing = official.closing(report.load("huyen-hong-ngu", "2021-H1"))
    assert texts(closing, "sign-auth") == ["TM. ỦY BAN NHÂN DÂN"]
    assert texts(closing, "sign-name") == ["Nguyễn Văn Khơi"]
    unsigned = official.closing(draft)
    assert texts(unsigned, "recv") == ["- Như trên;- Lưu: VT."]
    assert texts(unsigned, "sign-pos") == ["CHỦ TỊCH"]
    assert texts(unsigned, "sign-name") == ["(chưa có người ký)"]
    assert [e["cls"] for e in elements(unsigned) if "sign-name" in e["cls"]] == [["sign-name", "missing"]]


def test_section_direction_lists_the_documents(bien_hoa):
    section = official.section_direction(bien_hoa)
    assert texts(section, "sec") == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"]
    docs = texts(section, tag="li")
    assert len(docs) == len(bien_hoa.params.documents) == 10
    assert docs[0] == "- Kế hoạch số 393/KH-UBND của UBND thành phố Biên Hòa về CCHC năm 2024;"
    assert docs[-1].endswith("về tăng cường trách nhiệm công vụ.") and all(d.endswith(";") for d in docs[:-1])
    assert report.key_figures_html(bien_hoa, "direction") in section


def test_section_results_numbers_the_areas(bien_hoa):
    section = official.section_results(bien_hoa)
    assert texts(section, "sec") == ["II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"]
    assert texts(section, "sub") == [f"2.{i}. {bien_hoa.ds.catalog.area(a).label}"
                                     for i, a in enumerate(official.RESULT_AREAS, start=1)]
    ids = [e["id"] for e in elements(section) if e["tag"] == "table"]
    assert "tp-bien-hoa-2024-H1-procedures-children" in ids and "tp-bien-hoa-2024-H1-apparatus-children" not in ids
    assert section.count("<figure class='chart'><svg") == len(
        [a for a in official.RESULT_AREAS if report.area_charts(bien_hoa, a)])


def test_assessment_directions_and_recommendations(bien_hoa, draft):
    good, bad = official.assessment(bien_hoa)
    section = official.section_assessment(bien_hoa)
    assert texts(section, "sec") == ["III. ĐÁNH GIÁ CHUNG"]
    assert texts(section, "sub") == ["1. Ưu điểm", "2. Tồn tại, hạn chế"]
    assert texts(section, "body") == [f"- {g}" for g in good + bad]
    assert texts(section, "analyst")[0].strip().startswith("Công tác chỉ đạo, điều hành về CCHC được tập trung")
    directions = official.section_directions(bien_hoa)
    assert texts(directions, "sec") == ["IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024"]
    assert texts(directions, "analyst")[0].strip().startswith("Tiếp tục triển khai nhiệm vụ trọng tâm")
    assert texts(official.section_recommendations(bien_hoa), "analyst") == ["Không có kiến nghị, đề xuất."]
    shortfalls = official.assessment(draft)[1]
    generated = official.section_directions(draft)
    expected = ["Tập trung khắc phục các chỉ tiêu chưa đạt:"] if shortfalls else []
    expected += [f"{i}. {b}" for i, b in enumerate(shortfalls, start=1)]
    assert texts(generated, "body") == expected + ["(Đơn vị chưa nhập phương hướng, nhiệm vụ: text.directions.)"]
    assert texts(official.section_recommendations(draft), "body") == [
        "(Đơn vị chưa nhập kiến nghị, đề xuất: text.recommendations.)"]


def test_appendix_has_every_indicator(bien_hoa):
    appendix = official.appendix(bien_hoa)
    assert texts(appendix, "doc-title") == ["PHỤ LỤC"]
    assert texts(appendix, "doc-window") == ["(Kèm theo Báo cáo số 213/BC-UBND ngày 14/06/2024 của Ủy ban nhân dân "
                                             "thành phố Biên Hòa)"]
    cat = bien_hoa.ds.catalog
    assert texts(appendix, "sub") == [f"{i}. {a.label}" for i, a in enumerate(cat.areas, start=1)]
    rows = [e for e in elements(appendix) if e["tag"] == "tr"]
    assert len(rows) == len(cat.areas) + sum(len(cat.in_area(a.code)) for a in cat.areas)
    assert ('<tr><td class="num">13</td><td>Tổng số hồ sơ TTHC tiếp nhận</td><td>hồ sơ</td>'
            '<td class="num">124.587 hồ sơ</td><td class="num">—</td><td>Gồm đơn vị trực thuộc</td></tr>') in appendix
    assert 'id="tp-bien-hoa-2024-H1-appendix-procedures"' in appendix


def test_notes_and_checks_list_the_params_warnings(tmp_path):
    (tmp_path / "2026-H1").mkdir()
    (tmp_path / "2026-H1" / "xa-mau-01.yaml").write_text(
        "text:\n  recommendations: \"Như 6 tháng đầu năm 2024 & <b>trước</b>\"\n", "utf-8")
    ctx = report.load("xa-mau-01", "2026-H1", params_dir=tmp_path)
    notes = official.notes_and_checks(ctx)
    assert texts(notes, tag="h3") == ["Ghi chú số liệu và kiểm tra"]
    items = texts(notes, tag="li")
    assert items[0] == ("Cảnh báo tham số báo cáo (params/reports/2026-H1/xa-mau-01.yaml, trường text.recommendations): "
                        "Đoạn văn nhắc '6 tháng đầu năm 2024' trong báo cáo 6 tháng đầu năm 2026: có thể chép từ kỳ cũ.")
    assert "Đoạn văn nhắc &#x27;6 tháng đầu năm 2024&#x27;" in notes  # quotes escaped as html.escape does
    assert items[1:] == [f"{a.short}: {n}" for a in ctx.ds.catalog.areas for n in report.data_notes(ctx, a.code)]
    recommendations = official.section_recommendations(ctx)
    assert texts(recommendations, "analyst") == ["Như 6 tháng đầu năm 2024 & <b>trước</b>"]  # Markdown, raw HTML off
    assert "<p>Như 6 tháng đầu năm 2024 &amp; &lt;b&gt;trước&lt;/b&gt;</p>" in recommendations


def test_provenance_block(bien_hoa, monkeypatch):
    monkeypatch.setenv("CCHC_CODE_VERSION", "cchc <thử> & 'x'")
    block = official.BLOCKS["provenance"](bien_hoa)
    assert texts(block, tag="h3") == ["Nguồn gốc số liệu"]
    assert ("<code>{&quot;unit&quot;: &quot;tp-bien-hoa&quot;, &quot;period&quot;: &quot;2024-H1&quot;, "
            "&quot;notebook&quot;: &quot;report&quot;, &quot;window&quot;: &quot;15/12/2023 - 14/06/2024&quot;, "
            "&quot;params&quot;: &quot;params/reports/2024-H1/tp-bien-hoa.yaml&quot;}</code>") in block
    assert "<p>Phiên bản mã: cchc &lt;thử&gt; &amp; &#x27;x&#x27;</p>" in block
    assert 'id="tp-bien-hoa-2024-H1-report-provenance"' in block


def test_unit_and_params_text_are_escaped(tmp_path):
    (tmp_path / "2026-H1").mkdir()
    (tmp_path / "2026-H1" / "xa-mau-01.yaml").write_text(
        "subject: \"Báo cáo <script>x</script> & 'mẫu'\"\naddressees: [\"UBND <huyện> & Sở\"]\n"
        "signer: {authority: \"TM. <UB>\", position: \"CHỦ TỊCH\", name: \"Lê & <Lan>\"}\n"
        "recipients: [\"Lưu: <VT>\"]\n", "utf-8")
    loaded = report.load("xa-mau-01", "2026-H1", params_dir=tmp_path)
    unit = dataclasses.replace(loaded.unit, name="Xã <Mẫu> & Một", issuing_body="ỦY BAN|XÃ <MẪU> & MỘT",
                               parent_body="HUYỆN <A>", place="Mẫu & <Một>")
    ctx = Context(loaded.ds, unit, loaded.period, loaded.params, loaded.params_issues, loaded.params_file)
    header, closing = official.document_header(ctx), official.closing(ctx)
    for fragment in (header, closing):
        assert "<script>" not in fragment and "<Mẫu>" not in fragment and "<Lan>" not in fragment
    assert "XÃ &lt;MẪU&gt; &amp; MỘT" in header and "HUYỆN &lt;A&gt;" in header
    assert texts(header, "body-issuer") == ["ỦY BAN|XÃ <MẪU> & MỘT"]
    assert texts(header, "doc-date") == ["Mẫu & <Một>, ngày \u2003 tháng \u2003 năm 2026"]
    assert texts(header, "doc-subject") == ["Báo cáo <script>x</script> & 'mẫu'"]
    assert "Báo cáo &lt;script&gt;x&lt;/script&gt; &amp; &#x27;mẫu&#x27;" in header
    assert "<p class='to'><span>Kính gửi:</span> UBND &lt;huyện&gt; &amp; Sở.</p>" in header
    assert texts(closing, "sign-auth") == ["TM. <UB>"] and texts(closing, "sign-name") == ["Lê & <Lan>"]
    assert "<div>- Lưu: &lt;VT&gt;.</div>" in closing
    assert "của Ủy ban nhân dân xã &lt;Mẫu&gt; &amp; Một./.</p>" in closing
    assert "&lt;Mẫu&gt; &amp; Một" in official.appendix(ctx)
