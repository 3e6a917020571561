"""Findings: what went wrong in an input, where, and what the analyst should do (structured, never parsed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pandas as pd

ERROR = "error"
WARNING = "warning"

# Rule code -> what the analyst should do about it (Vietnamese).
ADVICE = {
    "file_unreadable": "Mở lại tệp bằng Excel/LibreOffice và lưu lại đúng định dạng (.xlsx hoặc .csv UTF-8).",
    "encoding": "Lưu lại tệp CSV với mã hóa UTF-8 (Excel: Lưu thành → CSV UTF-8).",
    "empty_file": "Tệp không có dữ liệu: gửi lại tệp đã điền số liệu.",
    "header_only": "Tệp chỉ có dòng tiêu đề: điền số liệu rồi gửi lại.",
    "title_rows": "Các dòng phía trên dòng tiêu đề (indicator, value) không được đọc; lần sau xóa chúng để dòng tiêu đề là dòng 1.",
    "extra_field": "Dòng có nhiều trường hơn dòng tiêu đề: đặt số có dấu phẩy trong ngoặc kép (\"22.296\") hoặc bỏ dấu phẩy hàng nghìn, rồi gửi lại dòng này.",
    "unclosed_quote": "Dấu ngoặc kép phải mở và đóng trong cùng một ô, cùng một dòng: sửa dòng này rồi gửi lại.",
    "duplicate_form": "Mỗi đơn vị chỉ gửi một biểu mẫu (.xlsx hoặc .csv) cho mỗi kỳ: xóa tệp thừa rồi chạy lại.",
    "missing_column": "Thêm cột còn thiếu đúng tên như biểu mẫu (dùng `cchc template` để tạo biểu mẫu).",
    "unknown_column": "Cột này không được dùng; kiểm tra lại tên cột.",
    "bad_filename": "Đặt tên tệp theo mã đơn vị: data/raw/forms/<kỳ>/<mã đơn vị>.xlsx.",
    "bad_period": "Đặt tệp vào thư mục kỳ đúng dạng YYYY-Q1, YYYY-H1, YYYY-Q3, YYYY-9M, YYYY-Y.",
    "unknown_unit": "Thêm đơn vị vào data/raw/units.csv hoặc sửa mã đơn vị.",
    "unit_not_valid": "Đơn vị không tồn tại trong kỳ này: gửi số liệu dưới đơn vị kế thừa hoặc sửa kỳ.",
    "unit_id_format": "Mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.",
    "unit_mismatch": "Mã đơn vị/kỳ ghi trong biểu mẫu khác với tên tệp/thư mục: sửa cho khớp.",
    "unknown_indicator": "Mã chỉ tiêu không có trong danh mục: dùng biểu mẫu mới nhất (`cchc template`).",
    "duplicate_indicator": "Chỉ tiêu bị nhập hai lần: giữ một dòng.",
    "not_a_number": "Nhập số (ví dụ 22.296 hoặc 1.234,5); để trống nếu chưa có số liệu.",
    "number_convention": "Cột số liệu được đọc theo dấu chấm thập phân, dấu phẩy ngăn cách hàng nghìn: kiểm tra lại vài số; lần sau nhập theo cách viết Việt Nam (22.296; 1.234,5).",
    "ambiguous_number": "Cột số liệu dùng lẫn hai cách viết số: nhập lại cả cột theo cách viết Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân, ví dụ 22.296 hoặc 1.234,5), hoặc nhập ô dạng Số (Number) trong Excel.",
    "scientific_notation": "Excel đã đổi số thành dạng số mũ (ví dụ 1E+06): định dạng ô là Số (Number) rồi gõ lại số đầy đủ.",
    "special_characters": "Ô có dấu cách đặc biệt hoặc chữ số toàn độ rộng (thường do sao chép từ văn bản, trang web): đã đọc được, nhưng nên gõ lại chỉ bằng chữ số, dấu chấm và dấu phẩy.",
    "negative": "Số liệu không được âm.",
    "not_integer": "Chỉ tiêu đếm (hồ sơ, văn bản, người...) phải là số nguyên.",
    "rate_typed": "Tỷ lệ được tính tự động từ số đếm: xóa giá trị này và nhập tử số, mẫu số.",
    "formula": "Ô chứa công thức: thay bằng giá trị (Dán đặc biệt → Giá trị).",
    "merged_cell": "Bỏ gộp ô (Unmerge) trong vùng số liệu.",
    "extra_sheet": "Trang tính không thuộc biểu mẫu; đã bỏ qua.",
    "missing_sheet": "Thiếu trang tính của biểu mẫu; dùng `cchc template` để tạo biểu mẫu đầy đủ.",
    "parts_sum": "Các số liệu thành phần (trong đó) phải cộng lại bằng số tổng: kiểm tra lại từng số.",
    "part_exceeds_whole": "Số liệu thành phần không được lớn hơn số tổng.",
    "records_disagree": "Số liệu nhập tay khác với số liệu trích xuất từ phần mềm một cửa; báo cáo dùng số trích xuất.",
    "bad_date": "Ngày phải có dạng dd/mm/yyyy.",
    "missing_value": "Trường bắt buộc bị trống.",
    "finished_before_received": "Ngày kết thúc xử lý trước ngày tiếp nhận: kiểm tra lại trên phần mềm một cửa.",
    "due_before_received": "Ngày hẹn trả trước ngày tiếp nhận: kiểm tra lại trên phần mềm một cửa.",
    "duplicate_dossier": "Mã hồ sơ bị trùng: mỗi hồ sơ chỉ xuất một lần.",
    "unknown_channel": "Kênh tiếp nhận phải là trực tiếp, trực tuyến hoặc bưu chính.",
    "outside_raw": "Chép tệp thật vào data/raw (không dùng liên kết tới thư mục khác).",
    "implausible_archive": "Mở tệp bằng Excel/LibreOffice, kiểm tra nội dung rồi lưu lại thành .xlsx mới; nếu tệp không rõ nguồn gốc, không dùng.",
    "implausible_date": "Ngày trước khi đơn vị có hiệu lực (units.csv) hoặc sau hạn báo cáo của kỳ mới nhất: sửa ngày trên phần mềm một cửa rồi xuất lại.",
    "month_first_dates": "Phần mềm xuất theo kiểu Mỹ (tháng/ngày/năm): kiểm tra lại vài hồ sơ; nên đặt định dạng vùng Việt Nam (ngày/tháng/năm) khi xuất.",
    "date_order_conflict": "Cùng một cột vừa có ngày viết ngày/tháng vừa có ngày viết tháng/ngày: xuất lại tệp với một định dạng ngày duy nhất (dd/mm/yyyy).",
    "mixed_time_zones": "Cột ngày lẫn giá trị có và không có múi giờ: đã đổi sang giờ Việt Nam; nên xuất lại toàn bộ theo giờ Việt Nam.",
    "duplicate_across_files": "Hồ sơ có trong hai tệp xuất (thường do tải về hai lần, \"… (1).csv\"): xóa tệp thừa.",
    "conflicting_duplicate": "Cùng mã hồ sơ, cùng đơn vị nhưng nội dung khác nhau ở hai tệp: xuất lại một tệp đúng từ phần mềm một cửa.",
    "id_scientific_notation": "Excel đã đổi mã hồ sơ thành dạng số mũ (ví dụ 1.23457E+11), mất chữ số: xuất lại từ phần mềm, không mở rồi lưu bằng Excel (hoặc định dạng cột là Văn bản).",
    "number_too_large": "Kiểm tra lại ô số liệu: số đếm của một đơn vị không thể lớn đến vậy (thường do dán nhầm mã số hoặc nối hai ô).",
    "imprecise_integer": "Mã hồ sơ lưu dạng số thực vượt quá 2^53 đã bị làm tròn: xuất mã hồ sơ dạng văn bản.",
    "bad_unit_row": "Sửa dòng này trong data/raw/units.csv.",
    "units_missing": "Đặt lại tệp danh mục đơn vị data/raw/units.csv (lấy từ bản đã gửi trước hoặc kho dữ liệu) rồi chạy lại; chưa kiểm tra tệp nào khác.",
    "unit_name_characters": "Sửa tên đơn vị trong data/raw/units.csv: bỏ biểu tượng, emoji và ký tự ẩn (thường do dán từ trang web hoặc tin nhắn).",
    "settings_unreadable": "Sửa params/ingest.yaml theo mẫu: mỗi dòng một khóa, ví dụ as_of: 2026-10-15.",
    "settings_unknown_key": "Xóa hoặc sửa tên khóa trong params/ingest.yaml (khóa dùng được: as_of).",
    "settings_bad_date": "Ghi ngày mốc as_of dạng năm-tháng-ngày có thật, ví dụ as_of: 2026-10-15.",
    "legacy_text": "Chuyển phần chữ này sang Unicode bằng Công cụ chuyển mã của Unikey (Ctrl+Shift+F6) rồi gửi lại tệp.",
    "units_encoding": "Mở data/raw/units.csv bằng Excel/LibreOffice và lưu lại dạng CSV UTF-8 (Excel: Lưu thành → CSV UTF-8); chưa kiểm tra tệp nào khác.",
    "units_not_csv": "Lưu lại data/raw/units.csv dạng CSV: dòng đầu là tên cột, mỗi dòng một đơn vị, các cột cách nhau bằng dấu phẩy (ô có dấu phẩy đặt trong ngoặc kép); chưa kiểm tra tệp nào khác.",
    "duplicate_unit": "Mỗi mã đơn vị chỉ khai báo một dòng trong data/raw/units.csv: xóa dòng trùng, hoặc đặt mã khác nếu là hai đơn vị khác nhau.",
    "unit_bad_date": "Ghi ngày hiệu lực valid_from, valid_to dạng năm-tháng-ngày (ví dụ 2024-07-01) và là ngày có thật; để trống nếu không có.",
    "unit_parent_cycle": "Sửa parent_id của các đơn vị được nêu: cấp trên phải là đơn vị khác (xã thuộc huyện hoặc tỉnh, huyện và sở thuộc tỉnh), không vòng lại chính nó; đơn vị cấp tỉnh để trống parent_id.",
    "target_direction_alias": "Gõ direction bằng bàn phím: direction: \">=\" (thay cho ≥) hoặc direction: \"<=\" (thay cho ≤).",
    "params_bad_date": "Sửa ngày thành ngày có thật, dạng năm-tháng-ngày (ví dụ 2024-02-29); kiểm tra ngày cuối tháng.",
    "targets_yaml_syntax": "Sửa cú pháp YAML ở dòng được nêu (thụt lề bằng dấu cách, dấu hai chấm sau khóa).",
    "targets_not_mapping": "Viết params/targets.yaml theo mẫu ở đầu tệp: mỗi mã chỉ tiêu là một khóa.",
    "target_entry_not_mapping": "Ghi threshold, direction, source của chỉ tiêu, mỗi trường một dòng thụt vào.",
    "duplicate_key": "Mỗi khóa chỉ ghi một lần: xóa hoặc gộp lần ghi trùng.",
    "target_unknown_indicator": "Dùng đúng mã chỉ tiêu trong danh mục (cchc_lib/catalog.yaml) hoặc xóa chỉ tiêu.",
    "target_threshold_missing": "Thêm ngưỡng, ví dụ threshold: 95.",
    "target_threshold_not_number": "Ghi ngưỡng là số, không có dấu %: threshold: 95.",
    "target_direction": "Ghi direction: \">=\" hoặc direction: \"<=\" (gõ bằng bàn phím, trong ngoặc kép).",
    "target_direction_missing": "Ghi rõ direction: \">=\" hoặc direction: \"<=\".",
    "target_rate_range": "Ngưỡng của tỷ lệ ghi theo phần trăm, từ 0 đến 100.",
    "target_periods_not_list": "Ghi periods dạng danh sách, ví dụ periods: [Y] hoặc periods: [H1, Y].",
    "target_period_kind": "Loại kỳ chỉ gồm Q1, Q2, H1, Q3, 9M, Q4, Y.",
    "target_source_missing": "Ghi nguồn (căn cứ pháp lý hoặc kế hoạch) của chỉ tiêu trong source.",
    "target_unknown_key": "Xóa trường này hoặc sửa tên thành threshold, direction, periods hoặc source.",
    "unknown_yaml": "Đặt tham số báo cáo vào params/reports/<kỳ>/<mã đơn vị>.yaml, chỉ tiêu vào params/targets.yaml.",
    "yaml_extension": "Đổi đuôi tệp thành .yaml.",
    "boolean": "Nhập có/không (1/0).",
}


@dataclass
class Issue:
    """One problem found in the input, located precisely.

    ``indicator`` is the catalog code the finding is about when it is about one figure (a typed value,
    a breakdown's total, a figure the one-stop-shop records replace): reports select findings by it.
    """

    severity: str
    rule: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    unit_id: str = ""
    period: str = ""
    indicator: str = ""
    advice: str = field(default="")

    def __post_init__(self) -> None:
        if not self.advice:
            self.advice = ADVICE.get(self.rule, "")
        if self.value is None:
            self.value = ""
        self.value = str(self.value)

    @property
    def place(self) -> str:
        """Human-readable location: file, sheet!cell or row, column."""
        parts = [self.file]
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(f"trang {self.sheet}")
        elif self.cell:
            parts.append(self.cell)
        if self.row is not None and not self.cell:
            parts.append(f"dòng {self.row}")
        if self.column and not self.cell:
            parts.append(f"{'trường' if self.file.endswith('.yaml') else 'cột'} {self.column}")
        return ", ".join(p for p in parts if p)

    def __str__(self) -> str:
        sev = "LỖI" if self.severity == ERROR else "CẢNH BÁO"
        value = f" (giá trị: {self.value!r})" if self.value else ""
        return f"{sev} [{self.rule}] {self.place}: {self.message}{value}"


class HasIssues:
    """Errors and exit code of anything with an ``issues`` list (an ingest, a validation run)."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        """Only the errors."""
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def exit_code(self) -> int:
        """1 when there is any error (warnings alone exit 0), as every cchc command."""
        return 1 if self.errors else 0


class IssueLog:
    """Collects issues in the order found."""

    def __init__(self) -> None:
        self.items: list[Issue] = []

    def add(self, severity: str, rule: str, message: str, **where: object) -> Issue:
        """Record an issue and return it."""
        issue = Issue(severity, rule, message, **where)  # type: ignore[arg-type]
        self.items.append(issue)
        return issue

    def error(self, rule: str, message: str, **where: object) -> Issue:
        """Record an error."""
        return self.add(ERROR, rule, message, **where)

    def warning(self, rule: str, message: str, **where: object) -> Issue:
        """Record a warning."""
        return self.add(WARNING, rule, message, **where)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Add several issues."""
        self.items.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        """Only the errors."""
        return [i for i in self.items if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """Only the warnings."""
        return [i for i in self.items if i.severity == WARNING]

    def to_frame(self) -> pd.DataFrame:
        """Return the issues as a table."""
        cols = list(Issue.__dataclass_fields__)
        return pd.DataFrame([asdict(i) for i in self.items], columns=cols)
