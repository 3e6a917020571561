"""The values of a form: what reading one gave, its value column's number convention, each cell's checks.

Blank means missing (never zero); text in a number cell is an error that names the cell. A value
column is read in two passes: its text cells decide the number convention once
(:func:`detect_column`), then each cell is checked under it (:func:`check_value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc_lib.domain import number_text as numbers
from cchc_lib.domain.catalog import Catalog, Indicator
from cchc_lib.domain.fmt import nfc
from cchc_lib.domain.issues import Issue

# The table of typed values, one row per (unit, period, indicator, scope).
VALUE_COLUMNS = ["unit_id", "period", "code", "value", "scope", "source", "file", "sheet", "cell", "note"]


@dataclass
class FormResult:
    """What reading one form gave: values, issues, and row counts."""

    file: str
    values: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_in: int = 0
    rows_rejected: int = 0
    blank: int = 0

    def reject(self, issue: Issue, row: dict | None = None, counted: bool = False) -> None:
        """Record an error and keep the offending row (or file) in the rejects.

        ``counted`` marks a rejected input row (as opposed to a file-level problem),
        so that rows in = rows kept + rows rejected holds.
        """
        self.issues.append(issue)
        self.rows_rejected += int(counted)
        self.rejects.append(
            (row or {})
            | {
                "file": issue.file,
                "sheet": issue.sheet,
                "cell": issue.cell,
                "row": issue.row,
                "column": issue.column,
                "value_raw": issue.value,
                "rule": issue.rule,
                "reason": issue.message,
            }
        )


@dataclass
class ValueColumn:
    """The number convention of one value column, and the cells that show it."""

    convention: str = numbers.VN
    label: str = ""
    vn_example: tuple[str, str] | None = None  # (place, text) of the first VN-only cell
    dot_example: tuple[str, str] | None = None  # (place, text) of the first dot-only cell


def header_map(cells: list[object], aliases: dict[str, set[str]]) -> dict[str, int]:
    """Return the position of each known column in a header row (first match wins).

    >>> header_map(["STT", "Mã", "Số liệu"], {"code": {"mã"}, "value": {"số liệu"}})
    {'code': 1, 'value': 2}
    """
    out: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        if cell is None:
            continue
        text = nfc(str(cell)).lower()
        for name, words in aliases.items():
            if text in words and name not in out:
                out[name] = idx
    return out


def _place(where: dict) -> str:
    return f"ô {where['cell']}" if where.get("cell") else f"dòng {where.get('row')}"


def detect_column(result: FormResult, cells: list[tuple[object, dict]], label: str, loc: dict) -> ValueColumn:
    """Detect the convention of a value column from its text cells; report a dot-decimal one.

    Parameters
    ----------
    result : FormResult
        Where a ``number_convention`` warning goes.
    cells : list of (value, where)
        The column's cells, ``where`` holding the cell or row of each.
    label : str
        The column as the analyst knows it (header, letter, sheet).
    loc : dict
        Locates the column in the issue (file, sheet, column).

    Returns
    -------
    ValueColumn
        The convention and, for messages, the first cell that shows each one.
    """
    texts = [(v, w) for v, w in cells if isinstance(v, str)]
    column = ValueColumn(numbers.detect_convention(v for v, _ in texts), label)
    first: dict[str, tuple[str, dict]] = {}
    for value, where in texts:
        first.setdefault(numbers.classify(value), (value, where))
    if numbers.VN_EVIDENCE in first:
        value, where = first[numbers.VN_EVIDENCE]
        column.vn_example = (_place(where), value)
    if numbers.DOT_EVIDENCE in first:
        value, where = first[numbers.DOT_EVIDENCE]
        column.dot_example = (_place(where), value)
    if column.convention == numbers.DOT:
        value, where = first[numbers.DOT_EVIDENCE]
        message = (f"Cột {label}: số liệu dùng {numbers.CONVENTION_LABEL[numbers.DOT]}, ví dụ "
                   f"{_place(where)} {value!r} chỉ hiểu được là {numbers.show(numbers.readings(value)[numbers.DOT])}; "
                   "cả cột được đọc theo cách này.")
        if numbers.AMBIGUOUS in first:
            other, other_where = first[numbers.AMBIGUOUS]
            both = numbers.readings(other)
            message += (f" Vì vậy {_place(other_where)} {other!r} được đọc là {numbers.show(both[numbers.DOT])}, "
                        f"không phải {numbers.show(both[numbers.VN])}.")
        result.issues.append(Issue("warning", "number_convention", message, value=value,
                                   **(loc | {k: where[k] for k in ("cell", "row") if where.get(k) is not None})))
    return column


def _number_message(code: str, label: str, exc: numbers.NumberError, column: ValueColumn) -> str:
    """The Vietnamese message for a value that could not be read as a number."""
    if exc.rule == "ambiguous_number" and column.vn_example and column.dot_example:
        (vn_place, vn_text), (dot_place, dot_text) = column.vn_example, column.dot_example
        return (f"{code} ({label}): {exc} Cột {column.label} dùng lẫn cả hai cách viết ({vn_place} {vn_text!r} "
                f"chỉ hiểu được theo cách viết Việt Nam, {dot_place} {dot_text!r} chỉ hiểu được theo cách viết "
                "dấu chấm thập phân) nên ô này không được đọc.")
    if exc.rule != "not_a_number":
        return f"{code} ({label}): {exc}"
    if not isinstance(exc.text, str) or not re.fullmatch(r"[0-9 .,+-]+", numbers.clean(exc.text)[0]):
        return f"{code} ({label}): ô số liệu chứa chữ, không phải số."
    return f"{code} ({label}): ô số liệu không đọc được thành số (dấu chấm, dấu phẩy hoặc dấu cách đặt sai chỗ)."


def value_cell(where: dict) -> dict:
    """The value cell's location fields of ``where`` (without the code's cell, ``code_at``)."""
    return {k: v for k, v in where.items() if k != "code_at"}


# Rules broken by the indicator code rather than by the value.
CODE_RULES = {"unknown_indicator", "rate_typed", "duplicate_indicator"}


def _indicator_refusal(catalog: Catalog, code: str) -> tuple[str, str] | None:
    """(rule, message) when ``code`` names no typed indicator."""
    if code not in catalog:
        return "unknown_indicator", f"Mã chỉ tiêu {code!r} không có trong danh mục chỉ tiêu."
    ind = catalog[code]
    if ind.is_rate:
        return "rate_typed", f"{code} ({ind.label}) là tỷ lệ tính tự động, không nhập tay."
    return None


def _value_refusal(code: str, ind: Indicator, value: float, seen_before: bool) -> tuple[str, str] | None:
    """(rule, message) when a read value cannot be kept."""
    if value < 0:
        return "negative", f"{code} ({ind.label}): số liệu âm."
    if abs(value) > numbers.EXACT_INTEGER_LIMIT:
        return "number_too_large", (f"{code} ({ind.label}): số liệu vượt quá 2^53 (9.007.199.254.740.992), "
                                    "không giữ được chính xác mọi chữ số nên không được đọc.")
    if ind.integer and value != int(value):
        return "not_integer", f"{code} ({ind.label}) đếm bằng {ind.unit}, phải là số nguyên."
    if seen_before:
        return "duplicate_indicator", f"{code} được nhập nhiều lần trong cùng biểu mẫu; giữ giá trị đầu tiên."
    return None


def check_value(result: FormResult, catalog: Catalog, code_raw: object, value_raw: object,
                note: str, scope: str, where: dict, seen: set, unit_id: str, period: str,
                column: ValueColumn | None = None) -> None:
    """Validate one (code, value) pair and file it as a value or a reject.

    ``where`` locates the cell (sheet, cell, row, column); ``seen`` holds the (code, scope)
    pairs already kept from this form; ``column`` is the convention of the value column
    (Vietnamese when not given). A blank value is neither kept nor rejected: it is counted blank.
    """
    base = {"unit_id": unit_id, "period": period, "code": str(code_raw or ""), "note": note}
    loc = {"file": result.file, "unit_id": unit_id, "period": period, **value_cell(where)}
    code = nfc(str(code_raw)).upper() if code_raw is not None else ""

    def refuse(rule: str, message: str) -> None:
        # A refusal of the code names the code's cell and shows the code; the others the value's.
        shown, at = (str(code_raw), where.get("code_at", {})) if rule in CODE_RULES else (str(value_raw), {})
        result.reject(Issue("error", rule, message, value=shown, indicator=code, **(loc | at)), base, counted=True)

    if refusal := _indicator_refusal(catalog, code):
        refuse(*refusal)
        return
    ind = catalog[code]
    column = column or ValueColumn()
    try:
        reading = numbers.read(value_raw, column.convention)
    except numbers.NumberError as exc:
        refuse(exc.rule, _number_message(code, ind.label, exc, column))
        return
    value = reading.value
    if value is not None and reading.notes:
        result.issues.append(Issue("warning", "special_characters",
                                   f"{code} ({ind.label}): giá trị chứa {', '.join(reading.notes)}; "
                                   f"đã đọc là {numbers.show(reading.exact)}.",
                                   value=str(value_raw), indicator=code, **loc))
    if value is None:
        result.blank += 1
        result.rows_in -= 1
        return
    if refusal := _value_refusal(code, ind, value, (code, scope) in seen):
        refuse(*refusal)
        return
    seen.add((code, scope))
    result.values.append({"unit_id": unit_id, "period": period, "code": code, "value": float(value),
                          "scope": scope, "source": "form", "file": result.file, "sheet": where.get("sheet", ""),
                          "cell": where.get("cell", "") or f"dòng {where.get('row')}", "note": note})
