"""Vietnamese prose generated from computed figures, in the register of the published reports.

Every number in a sentence comes from the figures passed in; a clause whose figures
are missing is left out, and an area with no figures says so.
"""

from __future__ import annotations

from collections.abc import Callable

from cchc_lib.domain.catalog import Catalog
from cchc_lib.domain.fmt import fmt_int, fmt_pct, fmt_value
from cchc_lib.reporting.dataset import Figure


class Words:
    """Formatting helpers over one unit's figures."""

    def __init__(self, values: dict[str, Figure], catalog: Catalog):
        self.values = values
        self.catalog = catalog

    def has(self, *codes: str) -> bool:
        """True when every code has a value."""
        return all(c in self.values and not self.values[c].missing for c in codes)

    def v(self, code: str) -> float:
        """The raw value."""
        return float(self.values[code].value)

    def n(self, code: str) -> str:
        """A count as "22.296"."""
        return fmt_int(self.v(code))

    def q(self, code: str) -> str:
        """A value with its unit ("22.296 hồ sơ", "208.986 triệu đồng")."""
        return fmt_value(self.v(code), self.catalog[code].unit)

    def r(self, code: str) -> str:
        """A rate as "99,16%"."""
        return fmt_pct(self.v(code))

    def frac(self, num: str, den: str) -> str:
        """"23/39" style fraction."""
        return f"{self.n(num)}/{self.n(den)}"


def _join(clauses: list[str]) -> str:
    clauses = [c for c in clauses if c]
    if not clauses:
        return ""
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def direction(w: Words) -> list[str]:
    """Plan tasks, assigned tasks, inspection, communication, awards."""
    out = []
    if w.has("CD_KH_TONG"):
        c = [f"Kế hoạch cải cách hành chính gồm {w.n('CD_KH_TONG')} nhiệm vụ"]
        if w.has("CD_KH_HOANTHANH", "CD_KH_TYLE"):
            c.append(f"đã hoàn thành {w.frac('CD_KH_HOANTHANH', 'CD_KH_TONG')} nhiệm vụ, đạt tỷ lệ {w.r('CD_KH_TYLE')}")
        if w.has("CD_KH_CHUADENHAN"):
            c.append(f"{w.n('CD_KH_CHUADENHAN')} nhiệm vụ đang thực hiện, chưa đến hạn")
        if w.has("CD_KH_KHONGDAT") and w.v("CD_KH_KHONGDAT") > 0:
            c.append(f"{w.n('CD_KH_KHONGDAT')} nhiệm vụ đã thực hiện nhưng chưa đạt yêu cầu")
        out.append(_join(c))
    if w.has("CD_GIAO_TONG"):
        c = [f"Số nhiệm vụ được giao có thời hạn là {w.n('CD_GIAO_TONG')} nhiệm vụ"]
        if w.has("CD_GIAO_HOANTHANH"):
            detail = ""
            if w.has("CD_GIAO_HT_DUNGHAN", "CD_GIAO_HT_QUAHAN"):
                detail = f" (đúng hạn {w.n('CD_GIAO_HT_DUNGHAN')}, quá hạn {w.n('CD_GIAO_HT_QUAHAN')})"
            c.append(f"đã hoàn thành {w.n('CD_GIAO_HOANTHANH')} nhiệm vụ{detail}")
        if w.has("CD_GIAO_CHUAHT"):
            detail = ""
            if w.has("CD_GIAO_CHUAHT_TRONGHAN", "CD_GIAO_CHUAHT_QUAHAN"):
                detail = f" (trong hạn {w.n('CD_GIAO_CHUAHT_TRONGHAN')}, quá hạn {w.n('CD_GIAO_CHUAHT_QUAHAN')})"
            c.append(f"chưa hoàn thành {w.n('CD_GIAO_CHUAHT')} nhiệm vụ{detail}")
        out.append(_join(c))
    c = []
    if w.has("CD_KT_DONVI"):
        scope = f"/{w.n('CD_KT_PHAMVI')}" if w.has("CD_KT_PHAMVI") else ""
        c.append(f"tổ chức kiểm tra công tác CCHC tại {w.n('CD_KT_DONVI')}{scope} cơ quan, đơn vị")
    if w.has("CD_TUYENTRUYEN"):
        c.append(f"thực hiện {w.n('CD_TUYENTRUYEN')} tin, bài, phóng sự tuyên truyền CCHC")
    if w.has("CD_SANGKIEN"):
        cchc = f" (trong đó {w.n('CD_SANGKIEN_CCHC')} sáng kiến về CCHC)" if w.has("CD_SANGKIEN_CCHC") else ""
        c.append(f"công nhận {w.n('CD_SANGKIEN')} sáng kiến{cchc}")
    if w.has("CD_KHENTHUONG_TAPTHE", "CD_KHENTHUONG_CANHAN"):
        c.append(f"khen thưởng {w.n('CD_KHENTHUONG_TAPTHE')} tập thể, {w.n('CD_KHENTHUONG_CANHAN')} cá nhân "
                 "có thành tích trong công tác CCHC")
    if w.has("CD_NHACNHO") or w.has("CD_PHEBINH"):
        parts = []
        if w.has("CD_NHACNHO"):
            parts.append(f"nhắc nhở {w.n('CD_NHACNHO')} đơn vị")
        if w.has("CD_PHEBINH"):
            parts.append(f"phê bình {w.n('CD_PHEBINH')} đơn vị")
        c.append(", ".join(parts) + " do chậm thực hiện nhiệm vụ")
    out.append(_join(c))
    return out


def institutions(w: Words) -> list[str]:
    """Legal documents issued, checked, reviewed, appraised."""
    c = []
    if w.has("TC_VB_BANHANH"):
        n = w.v("TC_VB_BANHANH")
        c.append("không ban hành văn bản quy phạm pháp luật" if n == 0 else
                 f"ban hành {w.n('TC_VB_BANHANH')} văn bản quy phạm pháp luật")
    if w.has("TC_VB_TUKIEMTRA"):
        c.append(f"tự kiểm tra {w.n('TC_VB_TUKIEMTRA')} văn bản")
    if w.has("TC_VB_RASOAT"):
        c.append(f"rà soát {w.n('TC_VB_RASOAT')} văn bản còn hiệu lực")
    if w.has("TC_VB_THAMDINH"):
        c.append(f"thẩm định {w.n('TC_VB_THAMDINH')} dự thảo văn bản")
    if w.has("TC_VB_SAICHINH") and w.v("TC_VB_SAICHINH") > 0:
        c.append(f"phát hiện {w.n('TC_VB_SAICHINH')} văn bản có sai sót, phải xử lý")
    if w.has("TC_PBGDPL"):
        c.append(f"tổ chức {w.n('TC_PBGDPL')} hoạt động tuyên truyền, phổ biến giáo dục pháp luật")
    if w.has("TC_XLVP_KIEMTRA"):
        c.append(f"kiểm tra, rà soát {w.n('TC_XLVP_KIEMTRA')} hồ sơ xử lý vi phạm hành chính")
    return [_join(c)]


def procedures(w: Words) -> list[str]:
    """Procedures published and reviewed; dossiers received and resolved; feedback."""
    out = []
    c = []
    if w.has("TTHC_CONGKHAI"):
        c.append(f"công khai {w.n('TTHC_CONGKHAI')} thủ tục hành chính thuộc thẩm quyền")
    if w.has("TTHC_RASOAT", "TTHC_TYLE_RASOAT"):
        c.append(f"rà soát, đề xuất phương án đơn giản hóa {w.frac('TTHC_RASOAT', 'TTHC_CONGKHAI')} thủ tục, "
                 f"tương ứng {w.r('TTHC_TYLE_RASOAT')}")
    if w.has("TTHC_NOIBO_DONGIAN", "TTHC_NOIBO_TYLE"):
        c.append(f"xây dựng phương án đơn giản hóa {w.frac('TTHC_NOIBO_DONGIAN', 'TTHC_NOIBO')} TTHC nội bộ "
                 f"({w.r('TTHC_NOIBO_TYLE')})")
    if w.has("TTHC_KSTT_TONG", "TTHC_KSTT_TYLE"):
        c.append(f"hoàn thành {w.frac('TTHC_KSTT_HOANTHANH', 'TTHC_KSTT_TONG')} nhiệm vụ kiểm soát TTHC "
                 f"({w.r('TTHC_KSTT_TYLE')})")
    out.append(_join(c))
    if w.has("TTHC_HS_TONG"):
        c = [f"Tổng số hồ sơ tiếp nhận là {w.n('TTHC_HS_TONG')} hồ sơ"]
        if w.has("TTHC_HS_KYTRUOC"):
            c[0] += f" (kỳ trước chuyển sang {w.n('TTHC_HS_KYTRUOC')} hồ sơ)"
        if w.has("TTHC_HS_TRUCTUYEN", "TTHC_TYLE_TRUCTUYEN"):
            ch = f"tiếp nhận trực tuyến {w.n('TTHC_HS_TRUCTUYEN')} hồ sơ, chiếm {w.r('TTHC_TYLE_TRUCTUYEN')}"
            if w.has("TTHC_HS_TRUCTIEP"):
                ch += f", trực tiếp {w.n('TTHC_HS_TRUCTIEP')} hồ sơ"
            if w.has("TTHC_HS_BUUCHINH"):
                ch += f", qua dịch vụ bưu chính công ích {w.n('TTHC_HS_BUUCHINH')} hồ sơ"
            c.append(ch)
        if w.has("TTHC_HS_DUNGHAN_TONG", "TTHC_TYLE_DUNGHAN"):
            c.append(f"đã giải quyết trước hạn, đúng hạn {w.n('TTHC_HS_DUNGHAN_TONG')} hồ sơ, "
                     f"đạt tỷ lệ {w.r('TTHC_TYLE_DUNGHAN')}")
        if w.has("TTHC_HS_TREHAN_TONG"):
            late = w.v("TTHC_HS_TREHAN_TONG")
            c.append("không có hồ sơ trễ hạn" if late == 0 else f"trễ hạn {w.n('TTHC_HS_TREHAN_TONG')} hồ sơ")
        if w.has("TTHC_HS_DANGGQ_TRONGHAN"):
            c.append(f"đang giải quyết trong hạn {w.n('TTHC_HS_DANGGQ_TRONGHAN')} hồ sơ")
        elif w.has("TTHC_HS_DANGGQ"):
            c.append(f"đang giải quyết {w.n('TTHC_HS_DANGGQ')} hồ sơ")
        if w.has("TTHC_TYLE_DUNGHAN_766"):
            c.append(f"tỷ lệ hồ sơ đúng hạn theo Bộ chỉ số phục vụ người dân, doanh nghiệp "
                     f"(tính cả hồ sơ đang giải quyết trong hạn) đạt {w.r('TTHC_TYLE_DUNGHAN_766')}")
        out.append(_join(c))
    elif w.has("TTHC_HS_TREHAN_TONG"):
        out.append(_join([f"Còn {w.n('TTHC_HS_TREHAN_TONG')} hồ sơ trễ hạn trên phần mềm một cửa điện tử"]))
    c = []
    if w.has("TTHC_PAKN_1022_TIEPNHAN", "TTHC_TYLE_PAKN"):
        c.append(f"tiếp nhận {w.n('TTHC_PAKN_1022_TIEPNHAN')} phản ánh, kiến nghị qua Tổng đài 1022, "
                 f"đã xử lý {w.n('TTHC_PAKN_1022_DAXULY')}, đạt {w.r('TTHC_TYLE_PAKN')}")
    if w.has("TTHC_PAKN_CONG_TIEPNHAN", "TTHC_TYLE_PAKN_CONG"):
        c.append(f"trả lời {w.frac('TTHC_PAKN_CONG_DAXULY', 'TTHC_PAKN_CONG_TIEPNHAN')} phản ánh, kiến nghị "
                 f"trên Cổng Dịch vụ công quốc gia, đạt {w.r('TTHC_TYLE_PAKN_CONG')}")
    out.append(_join(c))
    return out


def apparatus(w: Words) -> list[str]:
    """Agencies, public service units, staffing."""
    c = []
    if w.has("BM_CQCM"):
        c.append(f"tổ chức {w.n('BM_CQCM')} cơ quan chuyên môn")
    if w.has("BM_DVSN"):
        c.append(f"{w.n('BM_DVSN')} đơn vị sự nghiệp công lập")
    if w.has("BM_DVHC_CAPXA"):
        c.append(f"{w.n('BM_DVHC_CAPXA')} đơn vị hành chính cấp xã")
    first = _join(c)
    c = []
    if w.has("BM_BC_CC_GIAO", "BM_BC_CC_CO"):
        c.append(f"biên chế công chức được giao {w.n('BM_BC_CC_GIAO')}, hiện có {w.n('BM_BC_CC_CO')} công chức")
    if w.has("BM_BC_VC_GIAO", "BM_BC_VC_CO"):
        c.append(f"số lượng người làm việc được giao {w.n('BM_BC_VC_GIAO')}, hiện có {w.n('BM_BC_VC_CO')} viên chức")
    if w.has("BM_BC_XA_GIAO", "BM_BC_XA_CO"):
        c.append(f"cán bộ, công chức cấp xã được giao {w.n('BM_BC_XA_GIAO')}, hiện có {w.n('BM_BC_XA_CO')} người")
    elif w.has("BM_BC_XA_GIAO"):
        c.append(f"cán bộ, công chức cấp xã được giao {w.n('BM_BC_XA_GIAO')} người")
    if w.has("BM_KCT_GIAO"):
        c.append(f"người hoạt động không chuyên trách cấp xã được giao {w.n('BM_KCT_GIAO')} người")
    if w.has("BM_LANHDAO", "BM_TYLE_LANHDAO"):
        c.append(f"cơ cấu lãnh đạo, quản lý tại các cơ quan chuyên môn là {w.frac('BM_LANHDAO', 'BM_CBCC_CQCM')} "
                 f"người, chiếm tỷ lệ {w.r('BM_TYLE_LANHDAO')}")
    if w.has("BM_TINHGIAN_DAT", "BM_TYLE_TINHGIAN"):
        c.append(f"tinh giản được {w.frac('BM_TINHGIAN_DAT', 'BM_TINHGIAN_CHITIEU')} chỉ tiêu biên chế, "
                 f"đạt {w.r('BM_TYLE_TINHGIAN')}")
    return [first, _join(c)]


def civil_service(w: Words) -> list[str]:
    """Recruitment, appointments, training, discipline, commune staff standards."""
    c = []
    if w.has("CV_TUYENDUNG"):
        c.append(f"tuyển dụng {w.n('CV_TUYENDUNG')} công chức, viên chức")
    if w.has("CV_BONHIEM"):
        again = f", bổ nhiệm lại {w.n('CV_BONHIEMLAI')} trường hợp" if w.has("CV_BONHIEMLAI") else ""
        c.append(f"bổ nhiệm mới {w.n('CV_BONHIEM')} trường hợp{again}")
    if w.has("CV_LUANCHUYEN"):
        c.append(f"điều động, luân chuyển, chuyển đổi vị trí công tác {w.n('CV_LUANCHUYEN')} trường hợp")
    if w.has("CV_DAOTAO"):
        c.append(f"cử {w.n('CV_DAOTAO')} lượt cán bộ, công chức, viên chức tham gia đào tạo, bồi dưỡng")
    if w.has("CV_KIEMTRA_CONGVU"):
        c.append(f"kiểm tra công vụ tại {w.n('CV_KIEMTRA_CONGVU')} cơ quan, địa phương")
    if w.has("CV_KYLUAT"):
        n = w.v("CV_KYLUAT")
        c.append("không có cán bộ, công chức, viên chức bị xử lý kỷ luật" if n == 0 else
                 f"xử lý kỷ luật {w.n('CV_KYLUAT')} cán bộ, công chức, viên chức")
    first = _join(c)
    c = []
    if w.has("CV_TYLE_CBXA"):
        c.append(f"{w.r('CV_TYLE_CBXA')} ({w.frac('CV_CBXA_DATCHUAN', 'CV_CBXA_TONG')}) cán bộ cấp xã đạt chuẩn")
    if w.has("CV_TYLE_CCXA"):
        c.append(f"{w.r('CV_TYLE_CCXA')} ({w.frac('CV_CCXA_DATCHUAN', 'CV_CCXA_TONG')}) công chức cấp xã đạt chuẩn")
    return [first, _join(c)]


def public_finance(w: Words) -> list[str]:
    """Budget, public investment, autonomy, CCHC budget."""
    c = []
    if w.has("TCC_THU_NS"):
        est = f", đạt {w.r('TCC_TYLE_THU')} dự toán ({w.q('TCC_THU_DUTOAN')})" if w.has("TCC_TYLE_THU") else ""
        c.append(f"thu ngân sách nhà nước đạt {w.q('TCC_THU_NS')}{est}")
    if w.has("TCC_CHI_NS", "TCC_TYLE_CHI"):
        c.append(f"chi ngân sách {w.q('TCC_CHI_NS')}, bằng {w.r('TCC_TYLE_CHI')} dự toán")
    if w.has("TCC_DTC_GIAINGAN", "TCC_TYLE_GIAINGAN"):
        c.append(f"giải ngân vốn đầu tư công {w.q('TCC_DTC_GIAINGAN')}/{w.q('TCC_DTC_KEHOACH')}, "
                 f"đạt {w.r('TCC_TYLE_GIAINGAN')} kế hoạch")
    first = _join(c)
    c = []
    if w.has("TCC_DVSN_TUCHU"):
        tot = f"/{w.n('TCC_DVSN_TONG')}" if w.has("TCC_DVSN_TONG") else ""
        parts = []
        for code, label in (("TCC_DVSN_TUCHU_CHITXDT", "tự bảo đảm chi thường xuyên và chi đầu tư"),
                            ("TCC_DVSN_TUCHU_CHITX", "tự bảo đảm chi thường xuyên"),
                            ("TCC_DVSN_TUCHU_MOTPHAN", "tự bảo đảm một phần chi thường xuyên"),
                            ("TCC_DVSN_NHANUOC", "do Nhà nước bảo đảm chi thường xuyên")):
            if w.has(code):
                parts.append(f"{label}: {w.n(code)}")
        detail = f" (trong đó: {'; '.join(parts)})" if parts else ""
        c.append(f"số đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ là {w.n('TCC_DVSN_TUCHU')}{tot} đơn vị{detail}")
    if w.has("TCC_CQHC_KHOAN"):
        tot = f"/{w.n('TCC_CQHC_TONG')}" if w.has("TCC_CQHC_TONG") else ""
        c.append(f"{w.n('TCC_CQHC_KHOAN')}{tot} cơ quan hành chính thực hiện khoán biên chế và kinh phí quản lý hành chính")
    if w.has("TCC_KINHPHI_CCHC"):
        c.append(f"bố trí {w.q('TCC_KINHPHI_CCHC')} cho công tác cải cách hành chính")
    if w.has("TCC_TIETKIEM", "TCC_TYLE_TIETKIEM"):
        c.append(f"tiết kiệm được {w.q('TCC_TIETKIEM')}, bằng {w.r('TCC_TYLE_TIETKIEM')} kinh phí tự chủ")
    return [first, _join(c)]


def digital_government(w: Words) -> list[str]:
    """Documents, signatures, online services, digitisation, cashless payment."""
    out = []
    c = []
    if w.has("CDS_VB_DEN", "CDS_TYLE_VB_DEN"):
        c.append(f"tiếp nhận {w.n('CDS_VB_DEN')} văn bản đến, trong đó {w.n('CDS_VB_DEN_DIENTU')} văn bản "
                 f"qua mạng, chiếm {w.r('CDS_TYLE_VB_DEN')}")
    if w.has("CDS_VB_DI", "CDS_TYLE_KYSO"):
        c.append(f"{w.n('CDS_VB_DI')} văn bản đi được xử lý trên phần mềm, {w.n('CDS_VB_DI_KYSO')} văn bản "
                 f"được ký số, chiếm {w.r('CDS_TYLE_KYSO')}")
    if w.has("CDS_CHUNGTHU"):
        c.append(f"đã cấp {w.n('CDS_CHUNGTHU')} chứng thư số")
    if w.has("CDS_HOP_TRUCTUYEN"):
        c.append(f"hệ thống hội nghị trực tuyến gồm {w.n('CDS_HOP_TRUCTUYEN')} điểm cầu")
    out.append(_join(c))
    c = []
    if w.has("CDS_DVCTT_TTHC", "CDS_TYLE_DVCTT"):
        parts = ""
        if w.has("CDS_DVCTT_TOANTRINH", "CDS_DVCTT_MOTPHAN"):
            parts = f" ({w.n('CDS_DVCTT_TOANTRINH')} toàn trình, {w.n('CDS_DVCTT_MOTPHAN')} một phần)"
        c.append(f"cung cấp dịch vụ công trực tuyến cho {w.frac('CDS_DVCTT_TTHC', 'CDS_TTHC_TONG')} thủ tục"
                 f"{parts}, đạt {w.r('CDS_TYLE_DVCTT')}")
    if w.has("CDS_HS_TRUCTUYEN", "CDS_TYLE_HS_TRUCTUYEN"):
        c.append(f"hồ sơ trực tuyến đạt {w.frac('CDS_HS_TRUCTUYEN', 'CDS_HS_DVCTT')} hồ sơ của các thủ tục có "
                 f"dịch vụ công trực tuyến, tương ứng {w.r('CDS_TYLE_HS_TRUCTUYEN')}")
    if w.has("CDS_SOHOA_HS", "CDS_TYLE_SOHOA"):
        c.append(f"tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt {w.frac('CDS_SOHOA_HS', 'CDS_SOHOA_PHAMVI')} "
                 f"hồ sơ, tương ứng {w.r('CDS_TYLE_SOHOA')}")
    if w.has("CDS_HS_TT_KHONGTM", "CDS_TYLE_KHONGTM"):
        c.append(f"tỷ lệ thanh toán không dùng tiền mặt trong giải quyết TTHC đạt "
                 f"{w.frac('CDS_HS_TT_KHONGTM', 'CDS_HS_COPHI')} hồ sơ, tương ứng {w.r('CDS_TYLE_KHONGTM')}")
    out.append(_join(c))
    return out


WRITERS: dict[str, Callable[[Words], list[str]]] = {
    "direction": direction,
    "institutions": institutions,
    "procedures": procedures,
    "apparatus": apparatus,
    "civil_service": civil_service,
    "public_finance": public_finance,
    "digital_government": digital_government,
}


def area_paragraphs(area: str, values: dict[str, Figure], catalog: Catalog) -> list[str]:
    """Paragraphs for one area; "chưa có số liệu" when none of its figures exist."""
    paragraphs = [p for p in WRITERS[area](Words(values, catalog)) if p]
    if not paragraphs:
        return [f"Chưa có số liệu về {catalog.area(area).short.lower()} trong kỳ báo cáo."]
    return paragraphs
