"""The ingest's settings (params/ingest.yaml): the last date a dossier may plausibly carry.

A dossier dated after the bound is rejected (``implausible_date``), never turned into a period. The
bound is ``as_of`` when the file gives it, else the due date of the latest period that has a form
folder in data/raw/forms; never the wall clock, which would make the same inputs give other bytes.

    # params/ingest.yaml
    as_of: 2026-10-15
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cchc_lib.domain.issues import ERROR, Issue
from cchc_lib.domain.periods import Period
from cchc_lib.ingest.yaml_keys import read_yaml

SETTINGS_FILE = "ingest.yaml"
KEYS = {"as_of": "ngày mốc: ngày muộn nhất mà một hồ sơ có thể mang (YYYY-MM-DD)"}


@dataclass(frozen=True)
class IngestSettings:
    """What params/ingest.yaml sets (nothing when the file is absent)."""

    as_of: dt.date | None = None


def load_settings(path: Path, shown: str = "params/ingest.yaml") -> tuple[IngestSettings, list[Issue]]:
    """Read the ingest's settings; an absent file sets nothing.

    Parameters
    ----------
    path : Path
        params/ingest.yaml.
    shown : str
        The file as printed in the issues.

    Returns
    -------
    tuple of (IngestSettings, list of Issue)
        The settings (a setting in error is not used) and one error per problem, with its line.
    """
    if not path.is_file():
        return IngestSettings(), []
    try:
        text = path.read_text("utf-8")
        data, bad_dates = read_yaml(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return IngestSettings(), [Issue(ERROR, "settings_unreadable",
                                        f"Không đọc được tệp cấu hình: {type(exc).__name__}: {str(exc)[:160]}.",
                                        file=shown)]
    if data is None:
        return IngestSettings(), []
    if not isinstance(data, dict):
        return IngestSettings(), [Issue(ERROR, "settings_unreadable",
                                        "Tệp cấu hình phải là các dòng \"khóa: giá trị\" (ví dụ as_of: 2026-10-15).",
                                        file=shown, row=1)]
    lines = {key: text[:m.start()].count("\n") + 1 for key, m in
             ((m.group(1).strip(), m) for m in re.finditer(r"(?m)^([^\s#:][^:]*):", text))}
    issues = [Issue(ERROR, "settings_unknown_key", f"Khóa {key!r} không có trong cấu hình; các khóa dùng được: "
                    + "; ".join(f"{k} ({v})" for k, v in KEYS.items()) + ".", file=shown, row=lines.get(str(key)),
                    column=str(key), value=str(key)) for key in data if key not in KEYS]
    as_of = data.get("as_of")
    if as_of is not None and (isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date)):
        problem = next((why for _, text, why in bad_dates if text == str(as_of)), "phải là một ngày YYYY-MM-DD")
        issues.append(Issue(ERROR, "settings_bad_date", f"Ngày mốc as_of là {str(as_of)!r}: {problem}; chưa dùng "
                            "ngày mốc nào ngoài hạn nộp của kỳ muộn nhất.", file=shown, row=lines.get("as_of"), column="as_of",
                            value=str(as_of)))
        as_of = None
    return IngestSettings(as_of), issues


def dossier_bound(raw_dir: Path, as_of: dt.date | None) -> dt.date | None:
    """The last plausible dossier date: ``as_of``, else the due date of the latest form folder's period."""
    if as_of is not None:
        return as_of
    periods = []
    for folder in (raw_dir / "forms").glob("*") if (raw_dir / "forms").is_dir() else []:
        try:
            periods.append(Period.parse(folder.name))
        except ValueError:
            continue  # a stray folder: the forms reader names it
    return max((p.due for p in periods), default=None)
