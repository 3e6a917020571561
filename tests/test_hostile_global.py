"""Bad global inputs (units.csv, targets.yaml) and report params: findings and exit 1 from every command, never a traceback."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_lib.domain.units import Registry, parent_cycles
from cchc_lib.exceptions import UnitError

from .conftest import REPO

# Long: each case ingests a copy of the shipped data. Run by `make hostile`, not `make test`.
pytestmark = pytest.mark.hostile

CCHC = [sys.executable, "-m", "cchc_lib.build.cli"]
UNITS = "data/raw/units.csv"
TARGETS = "params/targets.yaml"
PARAMS = "params/reports/2021-H1/tp-hoa-binh.yaml"
SETTINGS = "params/ingest.yaml"
BUILD = ("build", "--no-pdf", "--unit", "xa-mau-01", "--period", "2026-Q3")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A small project root: the shipped units.csv, the 2026-Q3 forms, params and notebooks."""
    root = tmp_path_factory.mktemp("base")
    (root / "data/raw/forms").mkdir(parents=True)
    shutil.copy(REPO / UNITS, root / UNITS)
    shutil.copytree(REPO / "data/raw/forms/2026-Q3", root / "data/raw/forms/2026-Q3")
    for rel in ("params", "notebooks"):
        shutil.copytree(REPO / rel, root / rel)
    for rel in ("data/processed", "outputs"):
        (root / rel).mkdir(parents=True)
    return root


def set_unit(root: Path, unit_id: str, **values: str) -> None:
    """Change some columns of one unit's row in units.csv."""
    path = root / UNITS
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["unit_id"] == unit_id:
            row.update(values)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def add_copy_of_line(root: Path, line: int) -> None:
    """Append a copy of a line of units.csv (a unit id registered twice)."""
    path = root / UNITS
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[line - 1]]) + "\n", "utf-8")


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


# "Billion laughs": 600 bytes that expand to 10^9 strings if aliases are followed without a budget.
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
TARGET_HEAD = "TTHC_TYLE_DUNGHAN:\n  threshold: 95\n  direction: \">=\"\n  source: \"Kế hoạch CCHC của tỉnh\"\n"

# name -> (how to break the root, exit code of every command, rule, file, line, value shown, global input)
CASES = {
    "units missing": (lambda r: (r / UNITS).unlink(), 1, "units_missing", UNITS, None, "", True),
    "units not UTF-8": (lambda r: (r / UNITS).write_bytes((r / UNITS).read_text("utf-8").encode("cp1258",
                                                                                             "replace")),
                        1, "units_encoding", UNITS, 2, "", True),
    "units not CSV": (lambda r: replace(r, UNITS, "xa-mau-02,Xã Mẫu 02", "xa-mau-02,Xã,Mẫu,02,,"),
                      1, "units_not_csv", UNITS, 10, "", True),
    "self parent": (lambda r: set_unit(r, "xa-mau-01", parent_id="xa-mau-01"),
                    1, "unit_parent_cycle", UNITS, 9, "xa-mau-01 → xa-mau-01", True),
    "two-unit cycle": (lambda r: set_unit(r, "tinh-mau", parent_id="xa-mau-01"),
                       1, "unit_parent_cycle", UNITS, 2, "tinh-mau → xa-mau-01 → tinh-mau", True),
    "three-unit cycle": (lambda r: set_unit(r, "tinh-hai-duong", parent_id="phuong-tran-phu"),
                         1, "unit_parent_cycle", UNITS, 31,
                         "phuong-tran-phu → tp-hai-duong → tinh-hai-duong → phuong-tran-phu", True),
    "unit id twice": (lambda r: add_copy_of_line(r, 9), 1, "duplicate_unit", UNITS, 32, "xa-mau-01", True),
    "date dd/mm/yyyy": (lambda r: set_unit(r, "xa-mau-02", valid_from="01/01/2024"),
                        1, "unit_bad_date", UNITS, 10, "01/01/2024", True),
    "date that does not exist": (lambda r: set_unit(r, "xa-mau-03", valid_to="2024-02-30"),
                                 1, "unit_bad_date", UNITS, 11, "2024-02-30", True),
    "targets syntax": (lambda r: (r / TARGETS).write_text(TARGET_HEAD + "CDS_TYLE_SOHOA:\n  threshold: 80\n"
                                                          " direction: \">=\"\n", "utf-8"),
                       1, "targets_yaml_syntax", TARGETS, 7, "direction: \">=\"", True),
    "targets not UTF-8": (lambda r: (r / TARGETS).write_bytes(TARGET_HEAD.encode("utf-8").replace(b"\xe1\xba\xbf", b"\xea")),
                          1, "encoding", TARGETS, 4, "", True),
    "threshold 95%": (lambda r: replace(r, TARGETS, "threshold: 95\n", "threshold: 95%\n"),
                      1, "target_threshold_not_number", TARGETS, 12, "95%", True),
    "rate above 100": (lambda r: replace(r, TARGETS, "threshold: 95\n", "threshold: 120\n"),
                       1, "target_rate_range", TARGETS, 12, "120", True),
    "periods a string": (lambda r: replace(r, TARGETS, "threshold: 95\n", "threshold: 95\n  periods: H1, Y\n"),
                         1, "target_periods_not_list", TARGETS, 13, "H1, Y", True),
    "direction typed =>": (lambda r: replace(r, TARGETS, "threshold: 95\n  direction: \">=\"",
                                             "threshold: 95\n  direction: \"=>\""),
                           1, "target_direction", TARGETS, 13, "=>", True),
    "direction typed ≥": (lambda r: replace(r, TARGETS, "threshold: 95\n  direction: \">=\"",
                                            "threshold: 95\n  direction: \"≥\""),
                          0, "target_direction_alias", TARGETS, 13, "≥", False),
    "params date that does not exist": (lambda r: replace(r, PARAMS, "date: 2021-06-11", "date: 2021-06-31"),
                                        1, "params_bad_date", PARAMS, 5, "2021-06-31", False),
    "as_of that does not exist": (lambda r: (r / SETTINGS).write_text("as_of: 2026-09-31\n", "utf-8"),
                                  1, "settings_bad_date", SETTINGS, 1, "2026-09-31", False),
    "as_of under a misspelt key": (lambda r: (r / SETTINGS).write_text("asof: 2026-09-30\n", "utf-8"),
                                   1, "settings_unknown_key", SETTINGS, 1, "asof", False),
    "unit name typed in TCVN3": (lambda r: set_unit(r, "xa-mau-02", name="X· MÉu 02"), 0, "legacy_text", UNITS, 10,
                                 "X· MÉu 02", False),
    "unit name with an emoji": (lambda r: set_unit(r, "xa-mau-02", name="Xã Mẫu 02 🌾"), 0, "unit_name_characters",
                                UNITS, 10, "Xã Mẫu 02 🌾", False),
    "targets alias bomb": (lambda r: (r / TARGETS).write_text(LAUGHS, "utf-8"), 1, "targets_yaml_syntax", TARGETS,
                           None, "", True),
    "params alias bomb": (lambda r: (r / PARAMS).write_text(LAUGHS, "utf-8"), 1, "params_unreadable", PARAMS, None,
                          "", False),
}
KIND = {"units missing": "stops", "units not UTF-8": "stops", "units not CSV": "stops", "self parent": "stops",
        "two-unit cycle": "stops", "three-unit cycle": "stops", "unit id twice": "imprecise",
        "date dd/mm/yyyy": "imprecise", "date that does not exist": "imprecise", "targets syntax": "stops",
        "targets not UTF-8": "stops", "threshold 95%": "stops", "rate above 100": "imprecise",
        "periods a string": "imprecise", "direction typed =>": "imprecise", "direction typed ≥": "refused",
        "params date that does not exist": "stops", "as_of that does not exist": "imprecise",
        "as_of under a misspelt key": "imprecise", "targets alias bomb": "security",
        "params alias bomb": "security", "unit name typed in TCVN3": "imprecise", "unit name with an emoji": "chart"}


def cchc(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"CCHC_ROOT": str(root), "CCHC_CODE_VERSION": "cchc (phiên bản cố định để so sánh)"}
    return subprocess.run([*CCHC, *args], capture_output=True, text=True, cwd=root, env=env, timeout=600)


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_input_gives_a_finding_never_a_traceback(name, base, tmp_path, case_row):
    breaks, code, rule, file, line, value, stops = CASES[name]
    root = tmp_path / "root"
    shutil.copytree(base, root)
    breaks(root)
    # The ones that are not a global error (an alias, a report's params, the ingest's settings) run notebooks:
    # their build is not run here.
    commands = [("validate",), ("ingest",)] + ([BUILD] if stops else [])
    for args in commands:
        proc = cchc(root, *args)
        out = proc.stdout + proc.stderr
        if args == ("ingest",):
            record(case_row, name, root, proc, rule, file, line)
        assert "Traceback" not in out, (args, out[-3000:])
        assert proc.returncode == code, (args, out[-3000:])
        finding = next((x for x in out.splitlines() if f"[{rule}]" in x), "")
        assert finding, (args, out[-3000:])
        assert file in finding and (line is None or f"dòng {line}" in finding), finding
        assert value in finding, finding
    if stops:
        assert "chưa chạy sổ nào" in proc.stderr
        assert not [p for p in (root / "outputs").rglob("*") if p.suffix in (".ipynb", ".html", ".pdf")]


def record(case_row, name, root, proc, rule, file, line) -> None:
    """The case's row of the table: what `cchc ingest` exited with, printed, and read."""
    out = proc.stdout + proc.stderr
    finding = next((x for x in out.splitlines() if "[" in x and "]" in x), "")
    report = root / "data/processed/validation_report.json"
    files = json.loads(report.read_text("utf-8"))["files"] if report.is_file() else []
    rows = {f["file"]: (f["rows_in"], f["rows_ok"], f["rows_rejected"]) for f in files}
    stop = "; dừng, không chạy sổ nào" if KIND[name] == "stops" and file != PARAMS else ""
    case_row(KIND[name], f"exit {CASES[name][1]}; `{rule}` @ {file}" + (f", dòng {line}" if line else "") + stop,
             proc.returncode, finding[:150], {k: v for k, v in rows.items() if k == UNITS}, rows)


def test_every_unit_of_a_cycle_is_named(base, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(base, root)
    set_unit(root, "tinh-hai-duong", parent_id="phuong-tran-phu")
    proc = cchc(root, "validate")
    out = proc.stdout + proc.stderr
    finding = next(x for x in out.splitlines() if "[unit_parent_cycle]" in x)
    for unit, line in (("phuong-tran-phu", 31), ("tp-hai-duong", 30), ("tinh-hai-duong", 29)):
        assert f"{unit} (dòng {line})" in finding
    assert out.count("[unit_parent_cycle]") == 1


def test_a_unit_given_twice_is_one_finding_naming_both_lines(base, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(base, root)
    add_copy_of_line(root, 9)
    proc = cchc(root, "validate")
    out = proc.stdout + proc.stderr
    assert [x for x in out.splitlines() if "xa-mau-01" in x and "LỖI" in x] == [
        next(x for x in out.splitlines() if "[duplicate_unit]" in x)]
    assert "(dòng 9 và dòng 32)" in out and "không có trong" not in out


def test_direction_typed_with_the_sign_is_read_never_inverted(tmp_path):
    from cchc_lib.reporting.dataset import load_targets

    path = tmp_path / "targets.yaml"
    path.write_text(TARGET_HEAD.replace('">="', '"≥"') + "BM_TYLE_LANHDAO:\n  threshold: 10\n"
                    "  direction: \"≤\"\n  source: x\n", "utf-8")
    targets = load_targets(path)
    assert targets["TTHC_TYLE_DUNGHAN"].direction == ">=" and targets["BM_TYLE_LANHDAO"].direction == "<="


@pytest.mark.parametrize(("parents", "cycles"), [
    ({"a": "a"}, [["a"]]),
    ({"a": "b", "b": "c", "c": "a", "d": "a"}, [["a", "b", "c"]]),
    ({"b": "a", "a": "b", "c": "c", "e": None, "f": "x"}, [["a", "b"], ["c"]]),
    ({"a": None, "b": "a"}, []),
])
def test_parent_cycles(parents, cycles):
    assert parent_cycles(parents) == cycles


def test_a_registry_refuses_a_cycle():
    import pandas as pd

    frame = pd.DataFrame([{"unit_id": "a", "name": "Xã A", "level": "commune", "parent_id": "b"},
                          {"unit_id": "b", "name": "Xã B", "level": "commune", "parent_id": "a"}])
    with pytest.raises(UnitError, match="a → b → a"):
        Registry(frame)
