"""Checks of params/targets.yaml: every fault named by file, line, key, value and rule.

``validate_targets`` reports what ``cchc validate`` prints; ``load_targets`` (reporting/dataset.py) refuses a
file with any error here, so that a target is never silently dropped or misread.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path

import yaml

from cchc_lib import config
from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.issues import ERROR, WARNING, Issue
from cchc_lib.ingest.yaml_keys import DateCheckingLoader

PERIOD_KINDS = ("Q1", "Q2", "H1", "Q3", "9M", "Q4", "Y")
FIELDS = ("threshold", "direction", "periods", "source")
DIRECTIONS = (">=", "<=")
# Typed with the mathematical signs: read as the keyboard form, with a warning.
DIRECTION_ALIASES = {"≥": ">=", "≤": "<=", "⩾": ">=", "⩽": "<="}
# What people type instead of ">=" / "<=".
_DIRECTION_FIX = {"≥": ">=", "=>": ">=", ">": ">=", "≤": "<=", "=<": "<=", "<": "<=", "⩾": ">=", "⩽": "<="}
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# PyYAML's English problem texts -> what they mean for the person editing the file.
_YAML_PROBLEMS = (
    ("found character '\\t'", "có ký tự Tab; thụt lề bằng dấu cách"),
    ("mapping values are not allowed", "dấu hai chấm không đúng chỗ (giá trị có dấu hai chấm phải đặt trong ngoặc kép)"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau khóa"),
    ("found unexpected end of stream", "thiếu dấu ngoặc kép đóng"),
    ("expected <block end>", "thụt lề không đều giữa các dòng"),
    ("found undefined alias", "dùng bí danh (*) chưa khai báo"),
)


def _syntax_issue(exc: yaml.YAMLError, text: str, shown: str) -> Issue:
    problem = str(getattr(exc, "problem", "") or exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "end of stream" in problem and getattr(exc, "context_mark", None):
        mark = exc.context_mark  # an unclosed quote: point at where it opens, not at the end of the file
    meaning = next((vn for en, vn in _YAML_PROBLEMS if en in problem), "lỗi cú pháp YAML")
    line = mark.line + 1 if mark else None
    where = f" ở dòng {line}, cột {mark.column + 1}" if mark else ""
    lines = text.splitlines()
    value = lines[mark.line].strip() if mark and mark.line < len(lines) else ""
    return Issue(ERROR, "targets_yaml_syntax",
                 f"Không đọc được YAML{where}: {meaning}. Sửa dòng này theo mẫu ở đầu tệp "
                 "(mỗi chỉ tiêu một khóa ở đầu dòng, các trường thụt vào hai dấu cách) rồi chạy lại `cchc validate`.",
                 file=shown, row=line, value=value)


def _kind_vn(value: object) -> str:
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, str):
        return "một đoạn chữ"
    if isinstance(value, bool):
        return "một giá trị có/không"
    if isinstance(value, int | float):
        return "một số"
    return f"kiểu {type(value).__name__}"


def _threshold_issue(code: str, raw: object, where: dict) -> Issue | None:
    """None when ``raw`` is a number load_targets reads as written; else the issue to report."""
    column = f"{code}.threshold"
    if raw is None:
        return Issue(ERROR, "target_threshold_missing",
                     f"Chỉ tiêu {code} thiếu ngưỡng threshold: thêm dòng `threshold: <số>` "
                     "(ví dụ threshold: 95; với tỷ lệ, ghi theo phần trăm).", column=column, **where)
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        return None
    if isinstance(raw, str) and _PLAIN_NUMBER.match(raw.strip()):
        return None
    text = str(raw).strip()
    guess = text.rstrip("%").strip().replace(",", ".")
    if isinstance(raw, str) and _PLAIN_NUMBER.match(guess):
        fix = guess.lstrip("+")
        what = "có dấu %" if text.endswith("%") else "dùng dấu phẩy thập phân"
        advice = f"ghi `threshold: {fix}` (số, không có dấu % và dùng dấu chấm cho phần thập phân)"
        message = f"Ngưỡng threshold của {code} được ghi dạng chữ {text!r} ({what}), không phải số: {advice}."
    else:
        message = (f"Ngưỡng threshold của {code} là {_kind_vn(raw)} {text!r}, không phải số: ghi một số, "
                   "ví dụ `threshold: 95` (phần thập phân dùng dấu chấm: 97.5).")
    return Issue(ERROR, "target_threshold_not_number", message, column=column, value=text, **where)


def _periods_issues(code: str, raw: object, where: dict) -> list[Issue]:
    column = f"{code}.periods"
    kinds = ", ".join(PERIOD_KINDS)
    if raw is None:
        return []
    if not isinstance(raw, list):
        items = [p for p in re.split(r"[\s,;]+", str(raw).strip("[] ")) if p]
        fix = ", ".join(p.upper() for p in items) or "Y"
        return [Issue(ERROR, "target_periods_not_list",
                      f"periods của {code} được ghi dạng {_kind_vn(raw)} {raw!r}, không phải danh sách: "
                      f"ghi `periods: [{fix}]` (trong ngoặc vuông, cách nhau bằng dấu phẩy).",
                      column=column, value=str(raw), **where)]
    issues = []
    for item in raw:
        if isinstance(item, str) and item in PERIOD_KINDS:
            continue
        text = str(item).strip()
        match = re.match(r"^\d{4}-(.+)$", text)
        if match and match.group(1).upper() in PERIOD_KINDS:
            hint = f" Ghi loại kỳ, không ghi năm: {match.group(1).upper()}."
        elif text.upper() in PERIOD_KINDS:
            hint = f" Viết hoa: {text.upper()}."
        else:
            hint = ""
        issues.append(Issue(ERROR, "target_period_kind",
                            f"periods của {code} có loại kỳ {text!r} không hợp lệ; chỉ dùng {kinds} "
                            f"(ví dụ periods: [Y]).{hint}", column=column, value=text, **where))
    return issues


def _entry_issues(code: object, entry: object, catalog: Catalog, lines: dict[str, int], shown: str) -> list[Issue]:
    """Every problem of one indicator's target."""
    key = str(code)
    where = {"file": shown, "row": lines.get(key)}
    issues: list[Issue] = []
    if code not in catalog:
        close = difflib.get_close_matches(key.strip().upper(), list(catalog.indicators), n=1, cutoff=0.8)
        hint = f" Có phải {close[0]}?" if close else ""
        issues.append(Issue(ERROR, "target_unknown_indicator",
                            f"Mã chỉ tiêu {key!r} không có trong danh mục chỉ tiêu (cchc_lib/catalog.yaml): "
                            f"sửa mã cho đúng hoặc xóa chỉ tiêu này.{hint}", column=key, value=key, **where))
    if not isinstance(entry, dict):
        issues.append(Issue(ERROR, "target_entry_not_mapping",
                            f"Chỉ tiêu {key} phải có các trường threshold, direction, source (mỗi trường một dòng, "
                            f"thụt vào hai dấu cách), nhưng đang ghi {_kind_vn(entry)} {entry!r}.",
                            column=key, value="" if entry is None else str(entry), **where))
        return issues

    def at(field: str) -> dict:
        return {"file": shown, "row": lines.get(f"{key}.{field}", lines.get(key))}

    threshold = entry.get("threshold")
    bad = _threshold_issue(key, threshold, at("threshold"))
    if bad:
        issues.append(bad)
    elif code in catalog and catalog[code].is_rate and not 0 <= float(threshold) <= 100:
        issues.append(Issue(ERROR, "target_rate_range",
                            f"{code} là tỷ lệ (%), ngưỡng {threshold} nằm ngoài khoảng 0–100: ghi ngưỡng theo "
                            "phần trăm từ 0 đến 100 (ví dụ 95 cho 95%).",
                            column=f"{key}.threshold", value=str(threshold), **at("threshold")))
    if "direction" not in entry:
        issues.append(Issue(WARNING, "target_direction_missing",
                            f"Chỉ tiêu {key} không ghi chiều so sánh direction, đang dùng mặc định \">=\" "
                            "(đạt khi từ ngưỡng trở lên): ghi rõ `direction: \">=\"` hoặc `direction: \"<=\"`.",
                            column=f"{key}.direction", **at("direction")))
    elif isinstance(entry["direction"], str) and entry["direction"].strip() in DIRECTION_ALIASES:
        raw = entry["direction"]
        fix = DIRECTION_ALIASES[raw.strip()]
        meaning = "từ ngưỡng trở lên" if fix == ">=" else "từ ngưỡng trở xuống"
        issues.append(Issue(WARNING, "target_direction_alias",
                            f"Chiều so sánh direction của {key} được gõ bằng ký hiệu {raw.strip()!r}: đã đọc là "
                            f"\"{fix}\" (đạt khi {meaning}); nên gõ `direction: \"{fix}\"` bằng bàn phím.",
                            column=f"{key}.direction", value=raw, **at("direction")))
    elif entry["direction"] not in DIRECTIONS:
        raw = entry["direction"]
        fix = _DIRECTION_FIX.get(str(raw).strip(), ">=")
        issues.append(Issue(ERROR, "target_direction",
                            f"Chiều so sánh direction của {key} là {raw!r}; chỉ dùng \">=\" (đạt khi từ ngưỡng trở "
                            f"lên) hoặc \"<=\" (đạt khi từ ngưỡng trở xuống), gõ bằng bàn phím và đặt trong ngoặc "
                            f"kép: `direction: \"{fix}\"`.",
                            column=f"{key}.direction", value="" if raw is None else str(raw), **at("direction")))
    issues += _periods_issues(key, entry.get("periods"), at("periods"))
    source = entry.get("source")
    if source is None or not str(source).strip():
        issues.append(Issue(WARNING, "target_source_missing",
                            f"Chỉ tiêu {key} không ghi nguồn source (căn cứ pháp lý hoặc kế hoạch, được nêu trong "
                            "báo cáo): thêm dòng `source: \"Kế hoạch CCHC của tỉnh\"` hoặc căn cứ đúng.",
                            column=f"{key}.source", **at("source")))
    for field in entry:
        if field not in FIELDS:
            close = difflib.get_close_matches(str(field), FIELDS, n=1, cutoff=0.6)
            hint = f" Có phải {close[0]}?" if close else ""
            issues.append(Issue(WARNING, "target_unknown_key",
                                f"Trường {field!r} của {key} không được dùng và bị bỏ qua; các trường: "
                                f"{', '.join(FIELDS)}.{hint}", column=f"{key}.{field}", value=str(field),
                                **at(str(field))))
    return issues


def check_targets(path: Path | str, catalog: Catalog | None = None,
                  shown: str | None = None) -> tuple[dict, list[Issue]]:
    """Read a targets file; return (the mapping PyYAML reads, every issue found)."""
    path = Path(path)
    shown = shown or path.as_posix()
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return {}, [Issue(ERROR, "encoding", f"Tệp không ở mã hóa UTF-8 (byte lỗi ở dòng {line}, vị trí {exc.start}): "
                          "mở bằng trình soạn thảo văn bản và lưu lại với mã hóa UTF-8.", file=shown, row=line,
                          advice="Lưu lại tệp YAML với mã hóa UTF-8.")]
    loader = DateCheckingLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        return {}, [_syntax_issue(exc, text, shown)]
    finally:
        loader.dispose()
    issues = [Issue(ERROR, "duplicate_key",
                    f"Khóa {key} được ghi hai lần (dòng {first} và dòng {line}): giữ một lần, xóa hoặc gộp lần còn lại.",
                    file=shown, row=line, column=key, value=key)
              for key, first, line in loader.duplicates]
    if data is None:
        return {}, issues
    if not isinstance(data, dict):
        issues.append(Issue(ERROR, "targets_not_mapping",
                            f"Tệp chỉ tiêu phải là một bảng \"mã chỉ tiêu: threshold, direction, source\", nhưng cấp "
                            f"ngoài cùng là {_kind_vn(data)}: viết mỗi chỉ tiêu thành một khóa ở đầu dòng (không có "
                            "dấu gạch đầu dòng), như mẫu ở đầu tệp.", file=shown, row=1, value=str(data)[:80]))
        return {}, issues
    catalog = catalog or load_catalog()
    for code, entry in data.items():
        issues += _entry_issues(code, entry, catalog, loader.lines, shown)
        if isinstance(entry, dict) and str(entry.get("direction", "")).strip() in DIRECTION_ALIASES:
            entry["direction"] = DIRECTION_ALIASES[entry["direction"].strip()]  # "≥" means ">=", never "<="
    return data, issues


def validate_targets(path: Path | str, catalog: Catalog | None = None, shown: str | None = None) -> list[Issue]:
    """Every problem of a targets file (params/targets.yaml): errors, and warnings for what is only unclear.

    ``shown`` is the path printed in the issues (default: ``path`` as given).
    """
    return check_targets(path, catalog, shown)[1]


def targets_issues() -> list[Issue]:
    """Every finding of the project's params/targets.yaml, so named (none when there is no such file)."""
    if not config.TARGETS_YAML.exists():
        return []
    return check_targets(config.TARGETS_YAML, shown="params/targets.yaml")[1]
