"""Indicator forms: where a form sits in the raw tree, and reading it (XLSX or CSV).

Forms are read by indicator code, never by row position. Blank means missing (never zero);
text in a number cell is an error that names the cell. The pieces: the Excel template
(:mod:`~cchc_lib.ingest.form_template`), the checks of each value
(:mod:`~cchc_lib.ingest.form_values`), the XLSX and CSV readers
(:mod:`~cchc_lib.ingest.form_xlsx`, :mod:`~cchc_lib.ingest.form_csv`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.issues import Issue
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry, check_unit_id
from cchc_lib.exceptions import PeriodError, UnitError
from cchc_lib.ingest.form_csv import decode_text, read_csv, sniff_reader
from cchc_lib.ingest.form_template import HEADERS, INFO_SHEET, fill_template, write_template
from cchc_lib.ingest.form_values import VALUE_COLUMNS, FormResult
from cchc_lib.ingest.form_xlsx import read_xlsx

__all__ = ["HEADERS", "INFO_SHEET", "READ_SUFFIXES", "VALUE_COLUMNS", "FormResult", "decode_text", "fill_template",
           "locate_form", "read_form", "sniff_reader", "write_template"]

READ_SUFFIXES = (".csv", ".xlsx")  # what read_form reads; a unit sends one of them per period


def read_form(path: Path, unit_id: str, period: str, rel: str, catalog: Catalog | None = None) -> FormResult:
    """Read one XLSX or CSV form into indicator values, issues and rejects.

    Parameters
    ----------
    path : Path
        The form.
    unit_id, period : str
        Whose form it is and for which period (see :func:`locate_form`).
    rel : str
        The file as the analyst knows it, in every issue.
    catalog : Catalog, optional
        The indicators (default: the package catalog).

    Returns
    -------
    FormResult
        Values, rejects and issues; any other suffix is one ``file_unreadable`` error.
    """
    catalog = catalog or load_catalog()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, unit_id, period, rel, catalog)
    if suffix == ".csv":
        return read_csv(path, unit_id, period, rel, catalog)
    result = FormResult(rel)
    result.reject(Issue("error", "file_unreadable",
                        f"Định dạng tệp {suffix or '(không có đuôi)'} không được hỗ trợ: dùng .xlsx hoặc .csv.",
                        file=rel, unit_id=unit_id, period=period))
    return result


def locate_form(path: Path, period_code: str, registry: Registry, rel: str,
                units_source: str = "data/raw/units.csv") -> tuple[str, str] | Issue:
    """Whose form ``path`` is and for which period: its file name and its period folder.

    Parameters
    ----------
    path : Path
        The form, named ``<unit id>.<suffix>``.
    period_code : str
        The name of its period folder ("" when it sits in no period folder).
    registry : Registry
        The units; the unit must exist and be valid in the period.
    rel : str
        The file as the analyst knows it, in the issue.
    units_source : str
        Where the units come from, as the message names it.

    Returns
    -------
    tuple of (str, str) or Issue
        (unit id, period code), or the error saying why the form cannot be placed.
    """
    try:
        period = Period.parse(period_code)
        if period.code != period_code:  # a stray space, full-width digits: never guessed
            raise PeriodError(f"Tên thư mục phải đúng là mã kỳ, gõ bằng chữ số thường, không có dấu cách "
                              f"(ví dụ {period.year}-{period.kind}).")
    except PeriodError as exc:
        return Issue("error", "bad_period", f"Thư mục kỳ {period_code!r}: {exc}", file=rel, value=period_code)
    try:
        unit_id = check_unit_id(path.stem)
    except UnitError as exc:
        return Issue("error", "unit_id_format", str(exc), file=rel, value=path.stem)
    if unit_id not in registry:
        return Issue("error", "unknown_unit", f"Đơn vị {unit_id!r} (tên tệp) không có trong {units_source}.",
                     file=rel, value=unit_id)
    try:
        registry.require_valid(unit_id, period)
    except UnitError as exc:
        return Issue("error", "unit_not_valid", str(exc), file=rel, value=unit_id, unit_id=unit_id,
                     period=period.code)
    return _duplicate_form(path, rel, unit_id, period.code) or (unit_id, period.code)


def _duplicate_form(path: Path, rel: str, unit_id: str, period: str) -> Issue | None:
    """Two forms of one unit in one period folder (.csv and .xlsx): both are refused.

    The first file (by name) carries the one error naming both; each other one a warning pointing to it.
    """
    if path.suffix.lower() not in READ_SUFFIXES:
        return None
    same = sorted(p for p in path.parent.glob(f"{path.stem}.*")
                  if p.stem == path.stem and p.suffix.lower() in READ_SUFFIXES and p.is_file())
    if len(same) < 2:
        return None
    names = [str(PurePosixPath(rel).with_name(p.name)) for p in same]
    where = {"file": rel, "value": ", ".join(p.name for p in same), "unit_id": unit_id, "period": period}
    if path != same[0]:
        return Issue("warning", "duplicate_form", f"Tệp bị loại cùng với {names[0]} (xem lỗi duplicate_form ở tệp đó).",
                     **where)
    return Issue("error", "duplicate_form",
                 f"Đơn vị {unit_id} gửi {len(same)} biểu mẫu cho kỳ {period}: {', '.join(names)}. "
                 "Chỉ gửi một biểu mẫu cho mỗi đơn vị, mỗi kỳ: cả hai tệp bị loại, không tệp nào được đọc.",
                 **where)
