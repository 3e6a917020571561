"""Unit-defined indicators: params/catalog/<unit_id>.yaml, read and checked into an extended catalog.

A unit may report a figure the package catalog does not know. It declares it once, for every period, in its own
file (the fields of catalog.yaml, plus ``section`` and ``counts``; ``breakdowns`` adds parts to a total that
must add up). The indicator is valid for that unit and every unit below it; a file's problems are findings about
that file (file, line, field, value, rule) and never change another unit's catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cchc_lib.domain.catalog import FIELDS, KINDS, Catalog, Indicator, indicator_from
from cchc_lib.domain.issues import ERROR, Issue
from cchc_lib.domain.units import Registry
from cchc_lib.exceptions import CatalogError
from cchc_lib.ingest.yaml_keys import KeyLinesLoader

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{2,63}$")
REQUIRED = ("code", "area", "label", "unit", "kind")
AGGS = {"sum", "none"}
ADVICE = "Sửa tệp khai báo chỉ tiêu riêng theo mẫu trong params/README.md, rồi chạy lại `cchc validate`."


@dataclass
class _Entry:
    """One declared indicator with where it was written."""

    indicator: Indicator
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)  # field -> line


@dataclass
class _Breakdown:
    total: str
    parts: tuple[str, ...]
    owner: str
    file: str
    line: int


def _issue(rule: str, message: str, file: str, line: int | None, column: str = "", value: object = "",
           unit_id: str = "") -> Issue:
    return Issue(ERROR, rule, message, file=file, row=line, column=column, value="" if value is None else value,
                 unit_id=unit_id, advice=ADVICE)


def _load(path: Path, shown: str) -> tuple[yaml.Node | None, object, list[Issue]]:
    """The file's node tree and data, or the findings that make it unreadable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, None, [_issue("encoding", f"Tệp không ở mã hóa UTF-8 (byte lỗi ở dòng {line}): lưu lại tệp "
                                   "với mã hóa UTF-8.", shown, line)]
    loader = KeyLinesLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return None, None, [_issue("unit_catalog_syntax", f"Tệp không đọc được như YAML"
                                   f"{f' (dòng {line})' if line else ''}: {getattr(exc, 'problem', exc)}.",
                                   shown, line)]
    finally:
        loader.dispose()
    dupes = [_issue("duplicate_key", f"Khóa {key} được ghi hai lần (dòng {first} và dòng {line}): giữ một lần.",
                    shown, line, key, key) for key, first, line in loader.duplicates]
    return node, data, dupes


def _items(node: yaml.Node, key: str) -> list[tuple[int, dict[str, int]]]:
    """Line of each item of the top-level list ``key``, and the line of each of its fields."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            out = []
            for item in v.value:
                fields = {}
                if isinstance(item, yaml.MappingNode):
                    fields = {str(fk.value): fk.start_mark.line + 1 for fk, _ in item.value}
                out.append((item.start_mark.line + 1, fields))
            return out
    return []


def _entry_problems(raw: object, base: Catalog, where: tuple[str, int, dict[str, int]]) -> list[Issue]:
    """What is wrong with one declared indicator on its own (references are checked later)."""
    shown, line, lines = where
    if not isinstance(raw, dict):
        return [_issue("unit_catalog_entry", f"Mỗi chỉ tiêu là một bảng {{code: ..., area: ..., label: ..., unit: ..., "
                       f"kind: ...}}, nhưng dòng {line} ghi {raw!r}.", shown, line, value=str(raw)[:80])]
    code = raw.get("code")
    problems = []

    def at(name: str) -> int:
        return lines.get(name, line)

    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            problems.append(_issue("unit_catalog_field", f"Chỉ tiêu {code or '(không mã)'} thiếu trường {name}.",
                                   shown, line, name))
    for name in raw:
        if name not in FIELDS:
            problems.append(_issue("unit_catalog_field", f"Trường {name!r} của {code} không có trong khai báo chỉ tiêu; "
                                   f"các trường: {', '.join(FIELDS)}.", shown, at(str(name)), str(name), name))
    if problems:
        return problems
    if not CODE_RE.fullmatch(str(code)):
        problems.append(_issue("unit_catalog_code", f"Mã {code!r} không hợp lệ: chữ in hoa không dấu, số và dấu _, "
                               "bắt đầu bằng chữ (ví dụ HB_CD_NV_THUONGXUYEN).", shown, at("code"), "code", code))
    elif code in base:
        problems.append(_issue("unit_catalog_code", f"Mã {code} đã có trong danh mục chung ({base[code].label}): "
                               "dùng mã đó trong biểu mẫu, hoặc đặt mã khác cho chỉ tiêu riêng.", shown, at("code"),
                               "code", code))
    if raw["area"] not in {a.code for a in base.areas}:
        problems.append(_issue("unit_catalog_area", f"Lĩnh vực {raw['area']!r} của {code} không có; các lĩnh vực: "
                               f"{', '.join(a.code for a in base.areas)}.", shown, at("area"), "area", raw["area"]))
    kind = raw["kind"]
    if kind not in KINDS:
        problems.append(_issue("unit_catalog_kind", f"Loại {kind!r} của {code} không có; các loại: count (số đếm), "
                               "amount (số lượng, tiền, tỷ lệ tự nêu), rate (tỷ lệ tính từ num/den).", shown,
                               at("kind"), "kind", kind))
    if raw.get("agg", "sum") not in AGGS and kind != "rate":
        problems.append(_issue("unit_catalog_field", f"Cách cộng dồn {raw.get('agg')!r} của {code}: ghi sum (cộng các "
                               "đơn vị trực thuộc) hoặc none (số liệu riêng của đơn vị).", shown, at("agg"), "agg",
                               raw.get("agg")))
    if kind == "rate" and (not raw.get("num") or not raw.get("den") or raw["unit"] != "%"):
        problems.append(_issue("unit_catalog_rate", f"Tỷ lệ {code} cần num (mã tử số), den (mã mẫu số) và unit: \"%\"; "
                               "một tỷ lệ chỉ nêu, không có số đếm, là kind: amount với unit: \"%\".", shown, line,
                               "kind", kind))
    if kind != "rate" and (raw.get("num") or raw.get("den") or raw.get("counts")):
        problems.append(_issue("unit_catalog_rate", f"Chỉ tỷ lệ (kind: rate) mới có num, den, counts; {code} là "
                               f"{kind}.", shown, line, "kind", kind))
    return problems


def _refs(ind: Indicator) -> list[str]:
    return [c for p in ind.parts for c in p] + list(ind.num) + [r for r in (ind.within, ind.den) if r]


@dataclass
class UnitCatalogs:
    """The package catalog extended with every sound unit declaration, and the findings."""

    catalog: Catalog
    issues: list[Issue]
    files: dict[str, str]  # owner -> file as shown


def read_unit_catalogs(folder: Path, base: Catalog, registry: Registry, shown_dir: str = "params/catalog"
                       ) -> UnitCatalogs:
    """Read every ``<unit_id>.yaml`` of ``folder`` into ``base``; a faulty entry or file is left out, with findings."""
    issues: list[Issue] = []
    entries: list[_Entry] = []
    breakdowns: list[_Breakdown] = []
    files: dict[str, str] = {}
    paths = sorted(p for p in Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []
    for path in paths:
        shown = f"{shown_dir}/{path.name}"
        owner = path.stem
        if owner not in registry:
            issues.append(_issue("unit_catalog_unit", f"Tên tệp {path.name} phải là mã một đơn vị trong units.csv "
                                 f"({owner} không có): đặt tên tệp theo mã đơn vị khai báo chỉ tiêu.", shown, None,
                                 value=owner))
            continue
        node, data, problems = _load(path, shown)
        issues += problems
        if node is None or data is None:
            continue
        if not isinstance(data, dict) or set(data) - {"indicators", "breakdowns"}:
            issues.append(_issue("unit_catalog_entry", "Tệp gồm hai mục: indicators (danh sách chỉ tiêu) và "
                                 "breakdowns (danh sách cơ cấu {total, parts}).", shown, 1,
                                 value=str(sorted(data) if isinstance(data, dict) else data)[:80]))
            continue
        files[owner] = shown
        declared = {e.indicator.code: e for e in entries}
        for raw, (line, lines) in zip(data.get("indicators") or [], _items(node, "indicators"), strict=False):
            bad = _entry_problems(raw, base, (shown, line, lines))
            if not bad and raw["code"] in declared:
                other = declared[raw["code"]]
                bad = [_issue("unit_catalog_code", f"Mã {raw['code']} đã được khai báo ở {other.file} dòng "
                              f"{other.line}: mỗi mã chỉ khai báo một lần.", shown, line, "code", raw["code"])]
            issues += [i for i in bad]
            if not bad:
                entry = _Entry(indicator_from(raw, owner=owner), shown, line, lines)
                entries.append(entry)
                declared[entry.indicator.code] = entry
        for raw, (line, _) in zip(data.get("breakdowns") or [], _items(node, "breakdowns"), strict=False):
            if not isinstance(raw, dict) or not raw.get("total") or not isinstance(raw.get("parts"), list):
                issues.append(_issue("unit_catalog_entry", "Mỗi cơ cấu ghi {total: MÃ_TỔNG, parts: [MÃ_1, MÃ_2]}.",
                                     shown, line, value=str(raw)[:80]))
                continue
            breakdowns.append(_Breakdown(str(raw["total"]), tuple(str(p) for p in raw["parts"]), owner, shown, line))
    kept, ref_issues = _check_references(entries, breakdowns, base, registry)
    issues += ref_issues
    catalog = base
    for owner in sorted({e.indicator.owner for e in kept} | {b.owner for b in breakdowns}):
        mine = [e.indicator for e in kept if e.indicator.owner == owner]
        splits = [(b.total, b.parts) for b in breakdowns if b.owner == owner and b.line > 0]
        try:
            catalog = catalog.extended(mine, splits)
        except CatalogError as exc:
            issues.append(_issue("unit_catalog_rule", f"Khai báo của {owner} không dùng được: {exc}.",
                                 files.get(owner, ""), None, unit_id=owner))
    return UnitCatalogs(catalog, issues, files)


def _visible(code: str, owner: str, base: Catalog, entries: dict[str, _Entry], registry: Registry) -> bool:
    """True when ``owner`` may refer to ``code``: a package code, its own, or one of an ancestor's."""
    if code in base:
        return True
    entry = entries.get(code)
    if entry is None:
        return False
    return entry.indicator.owner in {owner} | {u.unit_id for u in registry.ancestors(owner)}


def _check_references(entries: list[_Entry], breakdowns: list[_Breakdown], base: Catalog,
                      registry: Registry) -> tuple[list[_Entry], list[Issue]]:
    """Entries whose references all resolve (dropping one may orphan another: repeat until stable)."""
    issues: list[Issue] = []
    kept = list(entries)
    while True:
        by_code = {e.indicator.code: e for e in kept}
        bad = []
        for e in kept:
            ind = e.indicator
            for ref in _refs(ind):
                if not _visible(ref, ind.owner, base, by_code, registry):
                    bad.append((e, ref))
                    break
                target = base[ref] if ref in base else by_code[ref].indicator
                if target.is_rate:
                    bad.append((e, ref))
                    break
        if not bad:
            break
        for e, ref in bad:
            issues.append(_issue("unit_catalog_ref", f"{e.indicator.code} dẫn tới mã {ref}, không phải một chỉ tiêu "
                                 "số đếm, số lượng của danh mục chung hay của đơn vị (hoặc đơn vị cấp trên).",
                                 e.file, e.line, "code", ref, e.indicator.owner))
            kept.remove(e)
    by_code = {e.indicator.code: e for e in kept}
    for b in breakdowns:
        for code in (b.total, *b.parts):
            target = base[code] if code in base else by_code[code].indicator if code in by_code else None
            if not _visible(code, b.owner, base, by_code, registry) or target is None or target.is_rate:
                issues.append(_issue("unit_catalog_ref", f"Cơ cấu của {b.total} dẫn tới mã {code}, không phải một "
                                     "chỉ tiêu số đếm, số lượng đã khai báo.", b.file, b.line, "breakdowns", code,
                                     b.owner))
                b.line = 0  # left out
                break
    return kept, issues


def unit_catalog(registry: Registry, unit_id: str, folder: Path | None = None) -> Catalog:
    """The catalog a unit's form holds: the package's and the indicators declared by the unit or above it."""
    from cchc_lib import config
    from cchc_lib.domain.catalog import load_catalog

    found = read_unit_catalogs(Path(folder or config.PARAMS_DIR / "catalog"), load_catalog(), registry)
    return found.catalog.visible_to({unit_id} | {u.unit_id for u in registry.ancestors(unit_id)})


def out_of_scope(code: str, unit_id: str, catalog: Catalog, registry: Registry) -> str | None:
    """The owner of a unit-defined ``code`` when ``unit_id`` is neither it nor below it (None: in scope)."""
    ind = catalog.indicators.get(code)
    if ind is None or not ind.owner:
        return None
    if unit_id == ind.owner or unit_id not in registry:
        return None
    return None if ind.owner in {u.unit_id for u in registry.ancestors(unit_id)} else ind.owner


def dump(catalog: Catalog, base: Catalog) -> str:
    """What ``catalog`` adds to ``base`` (unit-defined indicators, breakdowns of base totals), as YAML."""
    items = []
    for ind in catalog.unit_defined():
        raw = {"code": ind.code, "owner": ind.owner, "area": ind.area, "label": ind.label, "unit": ind.unit,
               "kind": ind.kind, "agg": ind.agg}
        raw |= {k: v for k, v in (("parts", [list(p) for p in ind.parts]), ("within", ind.within),
                                  ("num", list(ind.num)), ("den", ind.den), ("higher", ind.higher),
                                  ("note", ind.note), ("section", ind.section), ("counts", ind.counts)) if v}
        items.append(raw)
    splits = [{"total": code, "parts": list(parts)} for code, ind in base.indicators.items()
              for parts in catalog[code].parts[len(ind.parts):]]
    return yaml.safe_dump({"indicators": items, "breakdowns": splits}, allow_unicode=True, sort_keys=False,
                          width=200)
