"""Opening a form workbook: a damaged part is named, a number-typed cell holding text keeps its text.

Some exporters write text into a cell typed as a number (``<c t="n"><v>mười</v></c>``), which openpyxl
refuses for the whole workbook. Such a workbook is opened from a copy in memory whose cells are typed as
they are (text as text), so that the one bad cell is reported and the others are read.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook

from cchc_lib.domain.issues import Issue
from cchc_lib.ingest.form_values import FormResult
from cchc_lib.ingest.zip_guard import inflation_problem

# What a damaged or hostile workbook raises while it is opened.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError, IndexError,
              AttributeError, ElementTree.ParseError)


def open_workbook(path: Path, result: FormResult, where_file: dict, data_only: bool = False) -> Workbook | None:
    """Open a form workbook, or reject the file naming its damaged part (sheet) and return None.

    Parameters
    ----------
    path : Path
        The workbook.
    result : FormResult
        Gets the ``file_unreadable`` error.
    where_file : dict
        Locates the file in the issue (file, unit_id, period).
    data_only : bool
        True for the values Excel computed for formulas.

    Returns
    -------
    Workbook or None
        The open workbook, or None when it cannot be read.
    """
    if problem := inflation_problem(path):
        result.reject(Issue("error", "implausible_archive", f"Tệp .xlsx bất thường: {problem}.", **where_file))
        return None
    try:
        return _load(path, data_only)
    except UNREADABLE as exc:
        part, sheet = damaged_part(path)
        where = f" (phần {part} hỏng)" if part else ""
        result.reject(Issue("error", "file_unreadable",
                            f"Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx){where}: {type(exc).__name__}.",
                            sheet=sheet, value=part, **where_file))
        return None


def damaged_part(path: Path) -> tuple[str, str]:
    """(zip member, sheet name) of the first part of a workbook that cannot be read or parsed ("" when unknown)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                try:
                    data = zf.read(name)
                    if name.endswith((".xml", ".rels")):
                        ElementTree.fromstring(data)
                except (zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError):
                    return name, _sheet_names(zf).get(name, "")
    except UNREADABLE:
        return "", ""
    return "", ""


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Zip member -> sheet name, from the workbook's list of sheets and its relationships."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, *UNREADABLE):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", ns)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[member] = sheet.get("name", "")
    return out


_NUMBER_CELL = re.compile(rb'<c\b([^>]*)>(\s*)<v>([^<]*)</v>')
_NUMBER = re.compile(rb"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _load(path: Path, data_only: bool) -> Workbook:
    """Open the workbook; if a number-typed cell holds text, open a copy typing those cells as text."""
    try:
        return load_workbook(path, data_only=data_only)
    except ValueError:
        retyped = _retyped_copy(path)
        if retyped is None:
            raise
        return load_workbook(retyped, data_only=data_only)


def _retype(match: re.Match) -> bytes:
    attrs, space, value = match.groups()
    typed = re.search(rb'\bt="([^"]*)"', attrs)
    if (typed is None or typed.group(1) == b"n") and not _NUMBER.fullmatch(value):
        attrs = re.sub(rb'\s*\bt="n"', b"", attrs) + b' t="str"'
        return b"<c" + attrs + b">" + space + b"<v>" + value + b"</v>"
    return match.group(0)


def _retyped_copy(path: Path) -> io.BytesIO | None:
    """The workbook, in memory, with each number-typed cell that holds text typed as text (None: none such)."""
    out, changed = io.BytesIO(), False
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                fixed = _NUMBER_CELL.sub(_retype, data)
                changed |= fixed != data
                data = fixed
            dst.writestr(info, data)
    return out if changed else None
