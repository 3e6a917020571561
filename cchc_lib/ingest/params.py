"""Report parameters (params/reports/<period>/<unit>.yaml): a typed model and its checks.

Everything is optional: a report without params still renders and says what is missing.
Checks name the file and field: a document dated after the report, a number whose year
contradicts its date, a report dated before its data window ends (errors), and text that
names another period of the report (warning).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cchc_lib.config import REPORT_PARAMS_DIR
from cchc_lib.domain.fmt import fmt_date, nfc
from cchc_lib.domain.issues import Issue
from cchc_lib.domain.periods import Period, window
from cchc_lib.domain.units import Registry
from cchc_lib.exceptions import PeriodError
from cchc_lib.ingest.yaml_keys import read_yaml

TEXT_KEYS = ("intro", "direction", "institutions", "procedures", "apparatus", "civil_service", "public_finance",
             "digital_government", "highlights", "limitations", "causes", "directions", "recommendations")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DocRef(_Model):
    """A document cited in the report (legal basis or document issued in the period)."""

    type: str = Field(description="Kế hoạch, Quyết định, Công văn, Văn bản, Chỉ thị, Thông báo...")
    number: str = Field(description="e.g. 300/KH-UBND or 09/2019/NĐ-CP")
    date: dt.date | None = None
    issuer: str = ""
    subject: str = ""

    def citation(self) -> str:
        """Official citation: "Kế hoạch số 05/KH-UBND ngày 12/01/2023 của ... về ...".

        >>> DocRef(type="Kế hoạch", number="05/KH-UBND", date=dt.date(2023, 1, 12),
        ...        issuer="Ủy ban nhân dân thị xã", subject="cải cách hành chính năm 2023").citation()
        'Kế hoạch số 05/KH-UBND ngày 12/01/2023 của Ủy ban nhân dân thị xã về cải cách hành chính năm 2023'
        """
        text = f"{self.type} số {self.number}"
        if self.date:
            text += f" ngày {fmt_date(self.date)}"
        if self.issuer:
            text += f" của {self.issuer}"
        if self.subject:
            text += f" về {self.subject}" if not self.subject.startswith(("về ", "việc ")) else f" {self.subject}"
        return text


class DocumentInfo(_Model):
    """The report's own number and date."""

    number: str | None = None
    date: dt.date | None = None
    code: str = "BC-UBND"


class Signer(_Model):
    """Signature block: TM./KT./Q., position, name."""

    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    position: str = "CHỦ TỊCH"
    name: str = ""


class DataWindow(_Model):
    """An override of the default data window."""

    start: dt.date | None = None
    end: dt.date | None = None


class ReportParams(_Model):
    """Everything a person decides about one report."""

    document: DocumentInfo = DocumentInfo()
    aggregate: bool = False  # a unit with no form of its own: report the sum of its children's forms
    data_window: DataWindow | None = None
    subject: str = ""
    addressees: list[str] = []
    legal_bases: list[DocRef] = []
    documents: list[DocRef] = []
    signer: Signer | None = None
    recipients: list[str] = []
    text: dict[str, str] = {}


def params_path(unit_id: str, period: Period, params_dir: Path | str | None = None) -> Path:
    """Where the params of a unit and period live."""
    return Path(params_dir or REPORT_PARAMS_DIR) / period.code / f"{unit_id}.yaml"


def _nfc_tree(value):
    if isinstance(value, str):
        return nfc(value) if "\n" not in value else "\n".join(nfc(x) for x in value.split("\n"))
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    return value


_PERIOD_PHRASE = re.compile(
    r"(6 tháng (?:đầu|cuối) năm|06 tháng (?:đầu|cuối) năm|quý (?:I|II|III|IV) năm|quý (?:I|II|III|IV)/|9 tháng năm)\s*(\d{4})",
    re.IGNORECASE)


def check_params(params: ReportParams, period: Period, rel: str, unit_id: str = "") -> list[Issue]:
    """Return every problem of the params (errors and warnings), naming the field."""
    issues: list[Issue] = []
    where = {"file": rel, "unit_id": unit_id, "period": period.code}
    report_date = params.document.date
    override = params.data_window.model_dump() if params.data_window else None
    try:
        win = window(period, override)
    except Exception as exc:  # noqa: BLE001 - PeriodError with a clear message
        issues.append(Issue("error", "bad_window", str(exc), column="data_window", **where))
        win = window(period)
    if report_date and report_date < win.end:
        issues.append(Issue("error", "report_before_window_end",
                            f"Ngày báo cáo {fmt_date(report_date)} trước ngày kết thúc khoảng số liệu {fmt_date(win.end)}.",
                            column="document.date", value=fmt_date(report_date), **where,
                            advice="Sửa ngày báo cáo hoặc khoảng số liệu (data_window)."))
    # Without a report date, a cited document cannot postdate the report's due date.
    reference = report_date or period.due
    ref_text = f"ngày báo cáo {fmt_date(reference)}" if report_date else f"hạn gửi báo cáo {fmt_date(reference)}"
    for group in ("legal_bases", "documents"):
        for i, doc in enumerate(getattr(params, group)):
            field = f"{group}[{i}]"
            label = doc.citation()
            if doc.date and doc.date > reference:
                issues.append(Issue("error", "document_after_report",
                                    f"{label}: văn bản ghi ngày {fmt_date(doc.date)}, sau {ref_text}.",
                                    column=f"{field}.date", value=fmt_date(doc.date), **where,
                                    advice="Kiểm tra lại ngày văn bản (thường là nhầm năm)."))
            if group == "documents" and doc.date and doc.date < win.start - dt.timedelta(days=31):
                issues.append(Issue("warning", "document_before_period",
                                    f"{label}: ban hành ngày {fmt_date(doc.date)}, trước khoảng số liệu "
                                    f"({fmt_date(win.start)}), nhưng được nêu là văn bản ban hành trong kỳ.",
                                    column=f"{field}.date", value=fmt_date(doc.date), **where,
                                    advice="Chuyển sang căn cứ (legal_bases) hoặc sửa ngày."))
            match = re.search(r"/((?:19|20)\d{2})/", doc.number)
            if match and doc.date and int(match.group(1)) != doc.date.year:
                issues.append(Issue("error", "number_year_mismatch",
                                    f"{label}: số hiệu ghi năm {match.group(1)} nhưng ngày ban hành năm {doc.date.year}.",
                                    column=f"{field}.number", value=doc.number, **where,
                                    advice="Số hiệu văn bản có năm phải khớp với năm ban hành."))
    texts = {f"text.{k}": v for k, v in params.text.items()}
    texts["subject"] = params.subject
    for i, doc in enumerate(params.legal_bases + params.documents):
        texts[f"documents/legal_bases[{i}].subject"] = doc.subject
    for field, text in texts.items():
        for m in _PERIOD_PHRASE.finditer(text or ""):
            year = int(m.group(2))
            if year != period.year:
                issues.append(Issue("warning", "text_other_period",
                                    f"Đoạn văn nhắc '{m.group(0)}' trong báo cáo {period.label}: có thể chép từ kỳ cũ.",
                                    column=field, value=m.group(0), **where,
                                    advice="Kiểm tra đoạn văn có đúng kỳ báo cáo không."))
    for key in params.text:
        if key not in TEXT_KEYS:
            issues.append(Issue("warning", "unknown_text_key",
                                f"Mục văn bản '{key}' không được dùng; các mục: {', '.join(TEXT_KEYS)}.",
                                column=f"text.{key}", **where))
    return issues


def load_params(unit_id: str, period: Period, params_dir: Path | str | None = None,
                registry=None) -> tuple[ReportParams, list[Issue], str]:
    """Load and check the params of one report; missing file gives empty params."""
    path = params_path(unit_id, period, params_dir)
    rel = f"params/reports/{period.code}/{unit_id}.yaml"
    if not path.exists():
        return ReportParams(), [], ""
    try:
        data, bad_dates = read_yaml(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return ReportParams(), [Issue("error", "params_unreadable", f"Không đọc được YAML: {exc}", file=rel,
                                      unit_id=unit_id, period=period.code)], rel
    where = {"file": rel, "unit_id": unit_id, "period": period.code}
    data = _nfc_tree(data or {})
    issues = []
    for line, value, problem in bad_dates:
        found = _path_of(data, value)  # where the date sits (a line may hold several keys: never guessed from it)
        column = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in found).lstrip(".")
        issues.append(Issue("error", "params_bad_date", f"Ngày {value} ({column}) không có thật: {problem}. Sửa lại "
                            "ngày (dạng năm-tháng-ngày, ví dụ 2024-02-29); báo cáo coi như chưa có ngày này.",
                            row=line, column=column, value=value, **where))
        _drop(data, [str(p) for p in found])
    params, refused = _validate_keeping_the_rest(data, where)
    if refused:
        return params, issues + refused, rel
    return params, issues + check_params(params, period, rel, unit_id), rel


def _validate_keeping_the_rest(data: object, where: dict) -> tuple[ReportParams, list[Issue]]:
    """The params without the fields that break the model (one error each): one bad field never loses the rest."""
    issues: list[Issue] = []
    for _ in range(10):  # each pass drops the fields pydantic refused
        try:
            return ReportParams.model_validate(data), issues
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(x) for x in err["loc"])
                issues.append(Issue("error", "params_field", f"Trường {field}: {err['msg']}; báo cáo coi như chưa "
                                    "có trường này.", column=field, value=str(err.get("input", ""))[:80],
                                    advice="Sửa trường này theo mẫu trong params/reports/README.md.", **where))
                if not err["loc"] or not _drop(data, [str(x) for x in err["loc"]]):
                    return ReportParams(), issues
    return ReportParams(), issues


def _path_of(data: object, text: str) -> list:
    """The keys and list indexes leading to the first text ``text`` in ``data`` ([] when none)."""
    if isinstance(data, str):
        return [] if data != text else [None]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        if found := _path_of(value, text):
            return [key] + [p for p in found if p is not None]
    return []


def _drop(data: object, path: list[str]) -> bool:
    """Remove the value at ``path`` (mapping keys, list indexes) from ``data``; False when it is not there."""
    *parents, last = path or [""]
    for step in parents:
        data = data.get(step) if isinstance(data, dict) else (
            data[int(step)] if isinstance(data, list) and step.isdigit() and int(step) < len(data) else None)
    if isinstance(data, dict) and last in data:
        del data[last]
        return True
    if isinstance(data, list) and last.isdigit() and int(last) < len(data):
        del data[int(last)]
        return True
    return False


def check_reports_dir(params_dir: Path, registry: Registry) -> list[Issue]:
    """Check every report's params under ``params_dir`` (``<period>/<unit>.yaml``), as ingest lists them.

    Parameters
    ----------
    params_dir : Path
        The reports' params folder; a missing folder has nothing to check.
    registry : Registry
        The units: a params file must be named after one.

    Returns
    -------
    list of Issue
        Per file in name order: a bad period folder, or the file's own problems then an unknown unit.
    """
    issues: list[Issue] = []
    if not params_dir.is_dir():
        return issues
    for path in sorted(params_dir.glob("*/*.yaml")):
        try:
            period = Period.parse(path.parent.name)
        except PeriodError as exc:
            issues.append(Issue("error", "bad_period", str(exc), file=f"params/reports/{path.parent.name}/{path.name}"))
            continue
        issues += load_params(path.stem, period, params_dir, registry)[1]
        if path.stem not in registry:
            issues.append(Issue("error", "unknown_unit",
                                f"Tham số báo cáo cho đơn vị {path.stem!r} không có trong danh mục.",
                                file=f"params/reports/{period.code}/{path.name}", value=path.stem))
    return issues
