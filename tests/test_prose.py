"""Prose: the exact Vietnamese sentences written for given figures (Vietnamese number formatting)."""

import re
import shutil

import pytest

from cchc_lib import config, digest
from cchc_lib.build import fingerprints
from cchc_lib.domain.catalog import load_catalog
from cchc_lib.reporting.dataset import Figure
from cchc_lib.reporting.prose import PROSE_YAML, WRITERS, ProseError, Words, area_paragraphs, load_prose


def F(**values):  # noqa: N802
    return {code: Figure(value) for code, value in values.items()}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


# Every figure each area's writer uses (rates consistent with their counts: 22.109/22.296 = 99,16%).
FULL = {
    "direction": F(CD_KH_TONG=39, CD_KH_HOANTHANH=23, CD_KH_TYLE=100*23/39, CD_KH_CHUADENHAN=14, CD_KH_KHONGDAT=2,
        CD_GIAO_TONG=120, CD_GIAO_HOANTHANH=100, CD_GIAO_HT_DUNGHAN=95, CD_GIAO_HT_QUAHAN=5, CD_GIAO_CHUAHT=20,
        CD_GIAO_CHUAHT_TRONGHAN=18, CD_GIAO_CHUAHT_QUAHAN=2, CD_KT_DONVI=12, CD_KT_PHAMVI=30, CD_TUYENTRUYEN=1250,
        CD_SANGKIEN=7, CD_SANGKIEN_CCHC=3, CD_KHENTHUONG_TAPTHE=4, CD_KHENTHUONG_CANHAN=11, CD_NHACNHO=2, CD_PHEBINH=1),
    "institutions": F(TC_VB_BANHANH=0, TC_VB_TUKIEMTRA=15, TC_VB_RASOAT=1024, TC_VB_THAMDINH=8, TC_VB_SAICHINH=1,
        TC_PBGDPL=36, TC_XLVP_KIEMTRA=2100),
    "procedures": F(TTHC_CONGKHAI=1850, TTHC_RASOAT=37, TTHC_TYLE_RASOAT=100*37/1850, TTHC_NOIBO=40,
        TTHC_NOIBO_DONGIAN=10, TTHC_NOIBO_TYLE=25.0, TTHC_KSTT_TONG=8, TTHC_KSTT_HOANTHANH=8, TTHC_KSTT_TYLE=100.0,
        TTHC_HS_TONG=22296, TTHC_HS_KYTRUOC=1500, TTHC_HS_TRUCTUYEN=15000, TTHC_TYLE_TRUCTUYEN=100*15000/22296,
        TTHC_HS_TRUCTIEP=7000, TTHC_HS_BUUCHINH=296, TTHC_HS_DUNGHAN_TONG=22109, TTHC_TYLE_DUNGHAN=100*22109/22296,
        TTHC_HS_TREHAN_TONG=0, TTHC_HS_DANGGQ_TRONGHAN=150, TTHC_HS_DANGGQ=187,
        TTHC_TYLE_DUNGHAN_766=100*(22109+150)/22296, TTHC_PAKN_1022_TIEPNHAN=52, TTHC_PAKN_1022_DAXULY=50,
        TTHC_TYLE_PAKN=100*50/52, TTHC_PAKN_CONG_TIEPNHAN=9, TTHC_PAKN_CONG_DAXULY=9, TTHC_TYLE_PAKN_CONG=100.0),
    "apparatus": F(BM_CQCM=12, BM_DVSN=130, BM_DVHC_CAPXA=30, BM_BC_CC_GIAO=250, BM_BC_CC_CO=238, BM_BC_VC_GIAO=4100,
        BM_BC_VC_CO=3987, BM_BC_XA_GIAO=600, BM_BC_XA_CO=580, BM_KCT_GIAO=420, BM_LANHDAO=60, BM_CBCC_CQCM=238,
        BM_TYLE_LANHDAO=100*60/238, BM_TINHGIAN_DAT=41, BM_TINHGIAN_CHITIEU=41, BM_TYLE_TINHGIAN=100.0),
    "civil_service": F(CV_TUYENDUNG=35, CV_BONHIEM=12, CV_BONHIEMLAI=4, CV_LUANCHUYEN=9, CV_DAOTAO=1200,
        CV_KIEMTRA_CONGVU=6, CV_KYLUAT=0, CV_TYLE_CBXA=98.5, CV_CBXA_DATCHUAN=197, CV_CBXA_TONG=200, CV_TYLE_CCXA=100.0,
        CV_CCXA_DATCHUAN=180, CV_CCXA_TONG=180),
    "public_finance": F(TCC_THU_NS=208986, TCC_TYLE_THU=100*208986/243000, TCC_THU_DUTOAN=243000, TCC_CHI_NS=1234.5,
        TCC_TYLE_CHI=50.0, TCC_DTC_GIAINGAN=852, TCC_DTC_KEHOACH=3734, TCC_TYLE_GIAINGAN=100*852/3734,
        TCC_DVSN_TUCHU=68, TCC_DVSN_TONG=130, TCC_DVSN_TUCHU_CHITX=2, TCC_DVSN_TUCHU_MOTPHAN=1, TCC_DVSN_NHANUOC=65,
        TCC_CQHC_KHOAN=12, TCC_CQHC_TONG=12, TCC_KINHPHI_CCHC=1500, TCC_TIETKIEM=320, TCC_TYLE_TIETKIEM=4.25),
    "digital_government": F(CDS_VB_DEN=22296, CDS_VB_DEN_DIENTU=22109, CDS_TYLE_VB_DEN=100*22109/22296, CDS_VB_DI=5000,
        CDS_VB_DI_KYSO=4990, CDS_TYLE_KYSO=99.8, CDS_CHUNGTHU=310, CDS_HOP_TRUCTUYEN=31, CDS_DVCTT_TTHC=1200,
        CDS_TTHC_TONG=1850, CDS_TYLE_DVCTT=100*1200/1850, CDS_DVCTT_TOANTRINH=700, CDS_DVCTT_MOTPHAN=500,
        CDS_HS_TRUCTUYEN=15000, CDS_HS_DVCTT=20000, CDS_TYLE_HS_TRUCTUYEN=75.0, CDS_SOHOA_HS=9000,
        CDS_SOHOA_PHAMVI=10000, CDS_TYLE_SOHOA=90.0, CDS_HS_TT_KHONGTM=400, CDS_HS_COPHI=800, CDS_TYLE_KHONGTM=50.0),
}

FULL_TEXT = {
    "direction": [
        "Kế hoạch cải cách hành chính gồm 39 nhiệm vụ; đã hoàn thành 23/39 nhiệm vụ, đạt tỷ lệ 58,97%; 14 nhiệm vụ "
        "đang thực hiện, chưa đến hạn; 2 nhiệm vụ đã thực hiện nhưng chưa đạt yêu cầu.",
        "Số nhiệm vụ được giao có thời hạn là 120 nhiệm vụ; đã hoàn thành 100 nhiệm vụ (đúng hạn 95, quá hạn 5); "
        "chưa hoàn thành 20 nhiệm vụ (trong hạn 18, quá hạn 2).",
        "Tổ chức kiểm tra công tác CCHC tại 12/30 cơ quan, đơn vị; thực hiện 1.250 tin, bài, phóng sự tuyên truyền "
        "CCHC; công nhận 7 sáng kiến (trong đó 3 sáng kiến về CCHC); khen thưởng 4 tập thể, 11 cá nhân có thành tích "
        "trong công tác CCHC; nhắc nhở 2 đơn vị, phê bình 1 đơn vị do chậm thực hiện nhiệm vụ.",
    ],
    "institutions": [
        "Không ban hành văn bản quy phạm pháp luật; tự kiểm tra 15 văn bản; rà soát 1.024 văn bản còn hiệu lực; thẩm "
        "định 8 dự thảo văn bản; phát hiện 1 văn bản có sai sót, phải xử lý; tổ chức 36 hoạt động tuyên truyền, phổ "
        "biến giáo dục pháp luật; kiểm tra, rà soát 2.100 hồ sơ xử lý vi phạm hành chính.",
    ],
    "procedures": [
        "Công khai 1.850 thủ tục hành chính thuộc thẩm quyền; rà soát, đề xuất phương án đơn giản hóa 37/1.850 thủ "
        "tục, tương ứng 2,00%; xây dựng phương án đơn giản hóa 10/40 TTHC nội bộ (25,00%); hoàn thành 8/8 nhiệm vụ "
        "kiểm soát TTHC (100,00%).",
        "Tổng số hồ sơ tiếp nhận là 22.296 hồ sơ (kỳ trước chuyển sang 1.500 hồ sơ); tiếp nhận trực tuyến 15.000 hồ "
        "sơ, chiếm 67,28%, trực tiếp 7.000 hồ sơ, qua dịch vụ bưu chính công ích 296 hồ sơ; đã giải quyết trước hạn, "
        "đúng hạn 22.109 hồ sơ, đạt tỷ lệ 99,16%; không có hồ sơ trễ hạn; đang giải quyết trong hạn 150 hồ sơ; tỷ lệ "
        "hồ sơ đúng hạn theo Bộ chỉ số phục vụ người dân, doanh nghiệp (tính cả hồ sơ đang giải quyết trong hạn) đạt "
        "99,83%.",
        "Tiếp nhận 52 phản ánh, kiến nghị qua Tổng đài 1022, đã xử lý 50, đạt 96,15%; trả lời 9/9 phản ánh, kiến "
        "nghị trên Cổng Dịch vụ công quốc gia, đạt 100,00%.",
    ],
    "apparatus": [
        "Tổ chức 12 cơ quan chuyên môn; 130 đơn vị sự nghiệp công lập; 30 đơn vị hành chính cấp xã.",
        "Biên chế công chức được giao 250, hiện có 238 công chức; số lượng người làm việc được giao 4.100, hiện có "
        "3.987 viên chức; cán bộ, công chức cấp xã được giao 600, hiện có 580 người; người hoạt động không chuyên "
        "trách cấp xã được giao 420 người; cơ cấu lãnh đạo, quản lý tại các cơ quan chuyên môn là 60/238 người, "
        "chiếm tỷ lệ 25,21%; tinh giản được 41/41 chỉ tiêu biên chế, đạt 100,00%.",
    ],
    "civil_service": [
        "Tuyển dụng 35 công chức, viên chức; bổ nhiệm mới 12 trường hợp, bổ nhiệm lại 4 trường hợp; điều động, luân "
        "chuyển, chuyển đổi vị trí công tác 9 trường hợp; cử 1.200 lượt cán bộ, công chức, viên chức tham gia đào "
        "tạo, bồi dưỡng; kiểm tra công vụ tại 6 cơ quan, địa phương; không có cán bộ, công chức, viên chức bị xử lý "
        "kỷ luật.",
        "98,50% (197/200) cán bộ cấp xã đạt chuẩn; 100,00% (180/180) công chức cấp xã đạt chuẩn.",
    ],
    "public_finance": [
        "Thu ngân sách nhà nước đạt 208.986 triệu đồng, đạt 86,00% dự toán (243 tỷ đồng); chi ngân sách 1.234,5 "
        "triệu đồng, bằng 50,00% dự toán; giải ngân vốn đầu tư công 852 triệu đồng/3.734 triệu đồng, đạt 22,82% kế "
        "hoạch.",
        "Số đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ là 68/130 đơn vị (trong đó: tự bảo đảm chi thường "
        "xuyên: 2; tự bảo đảm một phần chi thường xuyên: 1; do Nhà nước bảo đảm chi thường xuyên: 65); 12/12 cơ quan "
        "hành chính thực hiện khoán biên chế và kinh phí quản lý hành chính; bố trí 1.500 triệu đồng cho công tác "
        "cải cách hành chính; tiết kiệm được 320 triệu đồng, bằng 4,25% kinh phí tự chủ.",
    ],
    "digital_government": [
        "Tiếp nhận 22.296 văn bản đến, trong đó 22.109 văn bản qua mạng, chiếm 99,16%; 5.000 văn bản đi được xử lý "
        "trên phần mềm, 4.990 văn bản được ký số, chiếm 99,80%; đã cấp 310 chứng thư số; hệ thống hội nghị trực "
        "tuyến gồm 31 điểm cầu.",
        "Cung cấp dịch vụ công trực tuyến cho 1.200/1.850 thủ tục (700 toàn trình, 500 một phần), đạt 64,86%; hồ sơ "
        "trực tuyến đạt 15.000/20.000 hồ sơ của các thủ tục có dịch vụ công trực tuyến, tương ứng 75,00%; tỷ lệ số "
        "hóa hồ sơ, kết quả giải quyết TTHC đạt 9.000/10.000 hồ sơ, tương ứng 90,00%; tỷ lệ thanh toán không dùng "
        "tiền mặt trong giải quyết TTHC đạt 400/800 hồ sơ, tương ứng 50,00%.",
    ],
}


@pytest.mark.parametrize("area", list(FULL))
def test_every_clause_of_an_area(cat, area):
    assert all(code in cat for code in FULL[area])
    assert area_paragraphs(area, FULL[area], cat) == FULL_TEXT[area]


# Clauses whose figures are missing are left out; zero reads as "không ..." or is left out.
PARTIAL = [
    ("direction", F(CD_KH_TONG=39, CD_KH_KHONGDAT=0, CD_GIAO_TONG=120, CD_GIAO_HOANTHANH=100, CD_GIAO_CHUAHT=20,
                    CD_KT_DONVI=12, CD_PHEBINH=1, CD_SANGKIEN=7),
     ["Kế hoạch cải cách hành chính gồm 39 nhiệm vụ.",
      "Số nhiệm vụ được giao có thời hạn là 120 nhiệm vụ; đã hoàn thành 100 nhiệm vụ; chưa hoàn thành 20 nhiệm vụ.",
      "Tổ chức kiểm tra công tác CCHC tại 12 cơ quan, đơn vị; công nhận 7 sáng kiến; phê bình 1 đơn vị do chậm "
      "thực hiện nhiệm vụ."]),
    ("direction", F(CD_KH_TONG=None, CD_NHACNHO=2), ["Nhắc nhở 2 đơn vị do chậm thực hiện nhiệm vụ."]),
    ("institutions", F(TC_VB_BANHANH=5, TC_VB_SAICHINH=0), ["Ban hành 5 văn bản quy phạm pháp luật."]),
    ("procedures", F(TTHC_HS_TONG=22296, TTHC_HS_TRUCTUYEN=15000, TTHC_TYLE_TRUCTUYEN=100 * 15000 / 22296,
                     TTHC_HS_TREHAN_TONG=37, TTHC_HS_DANGGQ=187, TTHC_HS_DUNGHAN_TONG=22109,
                     TTHC_TYLE_DUNGHAN=float("nan")),
     ["Tổng số hồ sơ tiếp nhận là 22.296 hồ sơ; tiếp nhận trực tuyến 15.000 hồ sơ, chiếm 67,28%; trễ hạn 37 hồ sơ; "
      "đang giải quyết 187 hồ sơ."]),
    ("procedures", F(TTHC_HS_TREHAN_TONG=5, TTHC_CONGKHAI=1850),
     ["Công khai 1.850 thủ tục hành chính thuộc thẩm quyền.", "Còn 5 hồ sơ trễ hạn trên phần mềm một cửa điện tử."]),
    ("apparatus", F(BM_BC_XA_GIAO=600, BM_BC_CC_GIAO=250), ["Cán bộ, công chức cấp xã được giao 600 người."]),
    ("civil_service", F(CV_KYLUAT=3, CV_BONHIEM=12),
     ["Bổ nhiệm mới 12 trường hợp; xử lý kỷ luật 3 cán bộ, công chức, viên chức."]),
    ("public_finance", F(TCC_THU_NS=243000, TCC_DVSN_TUCHU=68, TCC_TIETKIEM=320),
     ["Thu ngân sách nhà nước đạt 243 tỷ đồng.", "Số đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ là 68 đơn vị."]),
    ("digital_government", F(CDS_DVCTT_TTHC=1200, CDS_TTHC_TONG=1850, CDS_TYLE_DVCTT=100 * 1200 / 1850,
                             CDS_DVCTT_TOANTRINH=700),
     ["Cung cấp dịch vụ công trực tuyến cho 1.200/1.850 thủ tục, đạt 64,86%."]),
]


@pytest.mark.parametrize(("area", "values", "text"), PARTIAL, ids=[f"{p[0]}-{i}" for i, p in enumerate(PARTIAL)])
def test_missing_figures_leave_their_clause_out(cat, area, values, text):
    assert area_paragraphs(area, values, cat) == text


@pytest.mark.parametrize(("area", "text"), [
    ("direction", "Chưa có số liệu về chỉ đạo, điều hành trong kỳ báo cáo."),
    ("institutions", "Chưa có số liệu về thể chế trong kỳ báo cáo."),
    ("procedures", "Chưa có số liệu về thủ tục hành chính trong kỳ báo cáo."),
    ("apparatus", "Chưa có số liệu về tổ chức bộ máy trong kỳ báo cáo."),
    ("civil_service", "Chưa có số liệu về chế độ công vụ trong kỳ báo cáo."),
    ("public_finance", "Chưa có số liệu về tài chính công trong kỳ báo cáo."),
    ("digital_government", "Chưa có số liệu về chính quyền điện tử, chính quyền số trong kỳ báo cáo."),
])
def test_an_area_without_figures_says_so(cat, area, text):
    assert area_paragraphs(area, {}, cat) == [text]
    assert area_paragraphs(area, F(TTHC_HS_TONG=None, CD_KH_TONG=float("nan"), BM_CQCM=None), cat) == [text]


def test_writers_cover_the_catalog_areas(cat):
    assert list(WRITERS) == [a.code for a in cat.areas]
    assert all(WRITERS[area](Words(FULL[area], cat)) == FULL_TEXT[area] for area in WRITERS)


def test_words_format_one_units_figures(cat):
    w = Words(F(TTHC_HS_TONG=22296, TTHC_HS_DUNGHAN_TONG=22109, TTHC_TYLE_DUNGHAN=100 * 22109 / 22296,
                TCC_THU_NS=208986, TCC_THU_DUTOAN=243000, CD_KH_TONG=None, TTHC_HS_DAGQ=float("nan")), cat)
    assert (w.has("TTHC_HS_TONG"), w.has("TTHC_HS_TONG", "TCC_THU_NS"), w.has()) == (True, True, True)
    assert (w.has("CD_KH_TONG"), w.has("TTHC_HS_DAGQ"), w.has("TTHC_HS_TONG", "BM_CQCM")) == (False, False, False)
    assert w.v("TTHC_HS_TONG") == 22296.0 and isinstance(w.v("TTHC_HS_TONG"), float)
    assert (w.n("TTHC_HS_TONG"), w.r("TTHC_TYLE_DUNGHAN")) == ("22.296", "99,16%")
    assert (w.q("TTHC_HS_TONG"), w.q("TCC_THU_NS"), w.q("TCC_THU_DUTOAN")) == (
        "22.296 hồ sơ", "208.986 triệu đồng", "243 tỷ đồng")
    assert w.frac("TTHC_HS_DUNGHAN_TONG", "TTHC_HS_TONG") == "22.109/22.296"


# The prose file: loaded strictly (every fault named by file, area, paragraph, clause and reference).
def _edited(tmp_path, old, new):
    text = PROSE_YAML.read_text("utf-8")
    assert text.count(old) == 1
    path = tmp_path / "prose.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return path


BAD = [
    ("{n:TTHC_CONGKHAI} thủ tục", "{n:TTHC_CONGKHAI_X} thủ tục",
     "area procedures, paragraph 1, clause 1, reference {n:TTHC_CONGKHAI_X}: unknown code TTHC_CONGKHAI_X"),
    ("{r:TTHC_TYLE_RASOAT}", "{pct:TTHC_TYLE_RASOAT}",
     "area procedures, paragraph 1, clause 2, reference {pct:TTHC_TYLE_RASOAT}: unknown format"),
    ("{frac:TTHC_RASOAT/TTHC_CONGKHAI}", "{frac:TTHC_RASOAT}",
     "area procedures, paragraph 1, clause 2, reference {frac:TTHC_RASOAT}: unknown format"),
    ("{n:TTHC_HS_KYTRUOC} hồ sơ)", "{TTHC_HS_KYTRUOC} hồ sơ)",
     "area procedures, paragraph 2, clause 1, part 2, reference {TTHC_HS_KYTRUOC}: unknown format"),
    ("{n:CD_KH_TONG} nhiệm vụ\"", "{n:CD_KH_TONG nhiệm vụ\"", "area direction, paragraph 1, clause 1: unmatched brace"),
    ("when: [CD_KH_KHONGDAT>0]", "when: [CD_KH_KHONGDAT>1]",
     "area direction, paragraph 1, clause 4: unknown condition 'CD_KH_KHONGDAT>1'"),
    ("unless: [BM_BC_XA_CO]", "unless: [BM_BC_XA_COO]", "area apparatus, paragraph 2, clause 4: unknown code BM_BC_XA_COO"),
    ("{when: [CD_PHEBINH], text:", "{when: [CD_PHEBINH], txt:", "area direction, paragraph 3, clause 5, item 2: expected"),
    ("\ncivil_service:\n", "\ncivil_services:\n", "areas: expected the catalog areas"),
    ("\ncivil_service:\n", "\ndirection:\n", "direction given twice"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[b[2].split(":")[0] for b in BAD])
def test_a_fault_in_the_prose_file_is_named_when_it_is_loaded(cat, tmp_path, old, new, message):
    path = _edited(tmp_path, old, new)
    with pytest.raises(ProseError, match=re.escape(f"{path}: ") + r".*" + re.escape(message)):
        load_prose(path, cat)


def test_the_shipped_prose_file_covers_every_area_with_known_codes(cat):
    prose = load_prose(PROSE_YAML, cat)
    assert list(prose) == [a.code for a in cat.areas] and all(prose.values())
    codes = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", PROSE_YAML.read_text("utf-8")))
    assert len(codes) > 100 and codes <= set(cat.indicators)


def test_an_edited_prose_file_says_its_own_sentences(cat, tmp_path):
    path = _edited(tmp_path, "Còn {n:TTHC_HS_TREHAN_TONG} hồ sơ trễ hạn", "Vẫn còn {n:TTHC_HS_TREHAN_TONG} hồ sơ trễ hạn")
    prose = load_prose(path, cat)
    words = Words(F(TTHC_HS_TREHAN_TONG=5), cat)
    assert [p.render(words) for p in prose["procedures"]] == ["", "", "Vẫn còn 5 hồ sơ trễ hạn trên phần mềm một cửa "
                                                              "điện tử", ""]


def test_a_prose_file_edit_changes_the_notebook_runs_code_not_the_ingest(tmp_path):
    assert config.PACKAGE_DIR / "reporting" / "prose.yaml" in digest.closure(fingerprints.PROVENANCE_CODE).files()
    package = tmp_path / "cchc_lib"
    shutil.copytree(config.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    runs, ingest = (digest.of_code(fingerprints.PROVENANCE_CODE, package), digest.of_code(fingerprints.INGEST_CODE, package))
    prose = package / "reporting" / "prose.yaml"
    prose.write_text(prose.read_text("utf-8").replace("Còn {n:", "Vẫn còn {n:"), "utf-8")
    assert digest.of_code(fingerprints.PROVENANCE_CODE, package) != runs
    assert digest.of_code(fingerprints.INGEST_CODE, package) == ingest
