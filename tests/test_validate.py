"""`cchc validate`: no argument checks data/raw, params/reports and params/targets.yaml; every fault of
params/targets.yaml is named by file, line, key, value and rule; README files are skipped; folder mode
finds params wherever they sit and prints only paths that exist; exit 1 on any error."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cchc_lib import config
from cchc_lib.build.cli import main
from cchc_lib.domain.issues import ADVICE
from cchc_lib.exceptions import CchcError, TargetsError
from cchc_lib.ingest.check import check_paths
from cchc_lib.ingest.targets import validate_targets
from cchc_lib.reporting.dataset import Target, load_targets

from .conftest import FIXTURES

PRINTED = re.compile(r"^(?:LỖI|CẢNH BÁO) \[(\w+)\] (.+?)(?:, |: )", re.MULTILINE)
COUNTS = re.compile(r"^Đã kiểm tra (\d+) tệp: (\d+) lỗi, (\d+) cảnh báo\.$", re.MULTILINE)
GOOD = """\
TTHC_TYLE_DUNGHAN:
  threshold: 95
  direction: ">="
  source: "Kế hoạch CCHC của tỉnh"
"""


def invoke(*args):
    return CliRunner().invoke(main, ["validate", *args])


def counts(output: str) -> tuple[int, int, int]:
    match = COUNTS.findall(output)
    assert len(match) == 1, output
    return tuple(int(x) for x in match[0])


def write_targets(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params" / "targets.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def inputs_read_by_ingest(raw: Path) -> int:
    forms_and_dossiers = [p for sub in ("forms", "dossiers") for p in (raw / sub).rglob("*")
                          if p.is_file() and p.name != "README.md"]
    return 1 + len(forms_and_dossiers)  # units.csv


# ----------------------------------------------------------------------------- no argument


def test_no_argument_checks_shipped_raw_params_and_targets(monkeypatch):
    monkeypatch.chdir(config.PROJ_ROOT)
    result = invoke()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Kiểm tra: data/raw, params/reports, params/targets.yaml"
    params = sorted(config.REPORT_PARAMS_DIR.glob("*/*.yaml"))
    assert len(params) == 4
    files, errors, warnings = counts(result.output)
    assert (files, errors) == (inputs_read_by_ingest(config.RAW_DIR) + len(params) + 1, 0)
    assert warnings == len(PRINTED.findall(result.output))
    checked = check_paths([config.RAW_DIR, config.REPORT_PARAMS_DIR, config.TARGETS_YAML]).files
    assert "params/targets.yaml" in checked and "params/reports/2024-H1/tp-bien-hoa.yaml" in checked
    assert len(checked) == len(set(checked)) == files  # params beside data/raw are not checked twice
    assert not any("README" in f for f in checked)


@pytest.fixture()
def project(tmp_path, raw_tree, monkeypatch):
    """A project in tmp_path (data/raw, params/reports, params/targets.yaml) that config points to."""
    shutil.copytree(config.REPORT_PARAMS_DIR, tmp_path / "params" / "reports")
    shutil.copy(config.TARGETS_YAML, tmp_path / "params" / "targets.yaml")
    for name, value in {"RAW_DIR": raw_tree, "UNITS_CSV": raw_tree / "units.csv",
                        "REPORT_PARAMS_DIR": tmp_path / "params" / "reports",
                        "TARGETS_YAML": tmp_path / "params" / "targets.yaml"}.items():
        monkeypatch.setattr(config, name, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_argument_on_a_clean_project_counts_every_input(project):
    result = invoke()
    assert result.exit_code == 0, result.output
    assert counts(result.output) == (2 + 4 + 1, 0, 0)  # units.csv, one form, 4 params, targets


def test_no_argument_reports_targets_and_params_faults_at_paths_that_exist(project):
    targets = project / "params" / "targets.yaml"
    targets.write_text(targets.read_text("utf-8").replace("threshold: 97\n", 'threshold: "97%"\n', 1), "utf-8")
    params = project / "params" / "reports" / "2024-H1" / "tp-bien-hoa.yaml"
    params.write_text(params.read_text("utf-8") + "subject_typo: x\n", "utf-8")
    (project / "params" / "reports" / "2024-H1" / "xa-khong-co.yaml").write_text("subject: x\n", "utf-8")
    result = invoke()
    assert result.exit_code == 1
    printed = PRINTED.findall(result.output)
    assert ("target_threshold_not_number", "params/targets.yaml") in printed
    assert ("params_field", "params/reports/2024-H1/tp-bien-hoa.yaml") in printed
    assert ("unknown_unit", "params/reports/2024-H1/xa-khong-co.yaml") in printed
    assert all((project / path).is_file() for _, path in printed)
    assert "'97%'" in result.output and "threshold: 97`" in result.output
    assert counts(result.output) == (2 + 5 + 1, 3, 0)


# ----------------------------------------------------------------------------- targets.yaml faults

FAULTS = [
    # (name, yaml text, rule, severity, row, column, value, words in the message)
    ("syntax", GOOD + "CDS_TYLE_SOHOA:\n  threshold: 80\n\tdirection: \">=\"\n", "targets_yaml_syntax", "error",
     7, "", 'direction: ">="', ["dòng 7, cột 1", "Tab"]),
    ("unclosed quote", GOOD + 'CDS_TYLE_SOHOA:\n  source: "Kế hoạch\n', "targets_yaml_syntax", "error",
     6, "", 'source: "Kế hoạch', ["dòng 6", "ngoặc kép đóng"]),
    ("top level list", "- TTHC_TYLE_DUNGHAN\n- CDS_TYLE_SOHOA\n", "targets_not_mapping", "error",
     1, "", "['TTHC_TYLE_DUNGHAN', 'CDS_TYLE_SOHOA']", ["một danh sách", "mỗi chỉ tiêu thành một khóa"]),
    ("code twice", GOOD + GOOD.replace("95", "97"), "duplicate_key", "error",
     5, "TTHC_TYLE_DUNGHAN", "TTHC_TYLE_DUNGHAN", ["TTHC_TYLE_DUNGHAN", "dòng 1 và dòng 5", "giữ một lần"]),
    ("field twice", GOOD + "  threshold: 90\n", "duplicate_key", "error",
     5, "TTHC_TYLE_DUNGHAN.threshold", "TTHC_TYLE_DUNGHAN.threshold", ["dòng 2 và dòng 5"]),
    ("unknown code", GOOD.replace("TTHC_TYLE_DUNGHAN", "TTHC_TYLE_DUNGHN"), "target_unknown_indicator", "error",
     1, "TTHC_TYLE_DUNGHN", "TTHC_TYLE_DUNGHN", ["'TTHC_TYLE_DUNGHN'", "danh mục", "Có phải TTHC_TYLE_DUNGHAN?"]),
    ("entry not a mapping", "TTHC_TYLE_DUNGHAN: 95\n", "target_entry_not_mapping", "error",
     1, "TTHC_TYLE_DUNGHAN", "95", ["TTHC_TYLE_DUNGHAN", "threshold, direction, source"]),
    ("no threshold", GOOD.replace("  threshold: 95\n", ""), "target_threshold_missing", "error",
     1, "TTHC_TYLE_DUNGHAN.threshold", "", ["TTHC_TYLE_DUNGHAN", "threshold: <số>"]),
    ("empty threshold", GOOD.replace("threshold: 95", "threshold:"), "target_threshold_missing", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "", ["TTHC_TYLE_DUNGHAN thiếu ngưỡng"]),
    ("percent sign", GOOD.replace("threshold: 95", "threshold: 95%"), "target_threshold_not_number", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "95%", ["TTHC_TYLE_DUNGHAN", "'95%'", "`threshold: 95`", "dấu %"]),
    ("decimal comma", GOOD.replace("threshold: 95", 'threshold: "97,5"'), "target_threshold_not_number", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "97,5", ["`threshold: 97.5`", "dấu phẩy"]),
    ("words", GOOD.replace("threshold: 95", "threshold: cao"), "target_threshold_not_number", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "cao", ["'cao'", "ví dụ `threshold: 95`"]),
    ("yes/no", GOOD.replace("threshold: 95", "threshold: yes"), "target_threshold_not_number", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "True", ["có/không", "không phải số"]),
    ("math sign", GOOD.replace('">="', '"≥"'), "target_direction_alias", "warning",
     3, "TTHC_TYLE_DUNGHAN.direction", "≥", ["'≥'", '`direction: ">="`']),
    ("reversed sign", GOOD.replace('">="', '"=<"'), "target_direction", "error",
     3, "TTHC_TYLE_DUNGHAN.direction", "=<", ["'=<'", '`direction: "<="`']),
    ("rate above 100", GOOD.replace("threshold: 95", "threshold: 120"), "target_rate_range", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "120", ["TTHC_TYLE_DUNGHAN là tỷ lệ", "120", "0–100"]),
    ("rate below 0", GOOD.replace("threshold: 95", "threshold: -5"), "target_rate_range", "error",
     2, "TTHC_TYLE_DUNGHAN.threshold", "-5", ["-5", "0–100"]),
    ("periods as text", GOOD + "  periods: H1\n", "target_periods_not_list", "error",
     5, "TTHC_TYLE_DUNGHAN.periods", "H1", ["'H1'", "`periods: [H1]`"]),
    ("periods as text, two", GOOD + '  periods: "H1, Y"\n', "target_periods_not_list", "error",
     5, "TTHC_TYLE_DUNGHAN.periods", "H1, Y", ["`periods: [H1, Y]`"]),
    ("unknown period kind", GOOD + "  periods: [6T]\n", "target_period_kind", "error",
     5, "TTHC_TYLE_DUNGHAN.periods", "6T", ["'6T'", "Q1, Q2, H1, Q3, 9M, Q4, Y"]),
    ("period code, not kind", GOOD + "  periods: [2024-Y]\n", "target_period_kind", "error",
     5, "TTHC_TYLE_DUNGHAN.periods", "2024-Y", ["không ghi năm: Y"]),
    ("no source", GOOD.replace('  source: "Kế hoạch CCHC của tỉnh"\n', ""), "target_source_missing", "warning",
     1, "TTHC_TYLE_DUNGHAN.source", "", ["TTHC_TYLE_DUNGHAN", "source"]),
    ("misspelt field", GOOD + "  period: [Y]\n", "target_unknown_key", "warning",
     5, "TTHC_TYLE_DUNGHAN.period", "period", ["'period'", "bị bỏ qua", "Có phải periods?"]),
    ("no direction", GOOD.replace('  direction: ">="\n', ""), "target_direction_missing", "warning",
     1, "TTHC_TYLE_DUNGHAN.direction", "", ['mặc định ">="']),
]


@pytest.mark.parametrize(("text", "rule", "severity", "row", "column", "value", "words"),
                         [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_targets_fault_is_named(tmp_path, text, rule, severity, row, column, value, words):
    path = write_targets(tmp_path, text)
    issues = validate_targets(path, shown="params/targets.yaml")
    assert [(i.rule, i.severity) for i in issues] == [(rule, severity)], [str(i) for i in issues]
    issue = issues[0]
    assert (issue.file, issue.row, issue.column, issue.value) == ("params/targets.yaml", row, column, value)
    for word in words:
        assert word in issue.message, (word, issue.message)
    assert unicodedata.is_normalized("NFC", issue.message) and issue.advice == ADVICE[rule]
    assert str(issue).startswith(f"{'LỖI' if severity == 'error' else 'CẢNH BÁO'} [{rule}] params/targets.yaml")
    if severity == "error":
        # load_targets refuses what it would otherwise drop or misread, naming file, key and rule
        with pytest.raises(TargetsError, match=re.escape(f"[{rule}]")) as exc:
            load_targets(path)
        assert isinstance(exc.value, CchcError) and path.as_posix() in str(exc.value)
        assert column.split(".")[0] in str(exc.value)
    else:
        assert set(load_targets(path)) == {"TTHC_TYLE_DUNGHAN"}  # warnings do not stop the reports


def test_targets_fault_through_the_command(tmp_path):
    path = write_targets(tmp_path, GOOD.replace("threshold: 95", "threshold: 95%").replace('">="', '"≥"'))
    result = invoke(str(path))
    assert result.exit_code == 1
    assert PRINTED.findall(result.output) == [("target_threshold_not_number", path.as_posix()),
                                               ("target_direction_alias", path.as_posix())]
    assert f"{path.as_posix()}, dòng 2, trường TTHC_TYLE_DUNGHAN.threshold:" in result.output
    assert counts(result.output) == (1, 1, 1)  # the threshold an error, '≥' read as '>=' with a warning


def test_load_targets_reads_valid_files_as_before():
    data = yaml.safe_load(config.TARGETS_YAML.read_text("utf-8"))
    before = {code: Target(code, float(t["threshold"]), t.get("direction", ">="), t.get("source", ""),
                           tuple(t.get("periods", []) or [])) for code, t in data.items()}
    assert load_targets(config.TARGETS_YAML) == before and len(before) == 15
    assert load_targets(config.TARGETS_YAML)["CD_KH_TYLE"].periods == ("Y",)
    assert validate_targets(config.TARGETS_YAML) == []


def test_new_rules_have_vietnamese_advice():
    rules = ["targets_yaml_syntax", "targets_not_mapping", "target_entry_not_mapping", "duplicate_key",
             "target_unknown_indicator", "target_threshold_missing", "target_threshold_not_number",
             "target_direction", "target_direction_missing", "target_rate_range", "target_periods_not_list",
             "target_period_kind", "target_source_missing", "target_unknown_key", "unknown_yaml", "yaml_extension"]
    for rule in rules:
        assert ADVICE[rule] and unicodedata.is_normalized("NFC", ADVICE[rule]), rule


# ----------------------------------------------------------------------------- folders


def test_readme_and_markdown_are_skipped(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(config.REPORT_PARAMS_DIR, reports)
    (reports / "2024-H1" / "NOTES.md").write_text("# ghi chú\n", "utf-8")
    (reports / "2024-H1" / "README.md").write_text("# đọc tôi\n", "utf-8")
    assert (reports / "README.md").exists()
    run = check_paths([reports])
    assert sorted(Path(f).name for f in run.files) == ["huyen-hong-ngu.yaml", "phuong-tran-phu.yaml",
                                                       "tp-bien-hoa.yaml", "tp-hoa-binh.yaml"]
    assert run.issues == []
    result = invoke(str(reports / "README.md"))
    assert result.exit_code == 0 and counts(result.output) == (0, 0, 0)


def test_folder_mode_finds_params_and_prints_paths_that_exist(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seeds_as_published", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    for given in ("seeds", str(tmp_path / "seeds")):
        result = invoke(given)
        assert result.exit_code == 1
        printed = PRINTED.findall(result.output)
        assert printed and all(Path(path).is_file() for _, path in printed), printed
        assert "data/raw" not in result.output
        assert ("document_after_report", "seeds/params/2021-H1/huyen-hong-ngu.yaml") in printed
        assert ("number_year_mismatch", "seeds/params/2021-H1/phuong-tran-phu.yaml") in printed
        assert ("parts_sum", "seeds/forms/2021-H1/tp-hoa-binh.csv") in printed
        assert counts(result.output) == (1 + 7 + 4, 10, 3)  # units.csv, 7 forms, 4 params
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    printed = PRINTED.findall(invoke("../seeds").output)
    assert printed and all(Path(path).is_file() for _, path in printed)
    assert printed[0][1].startswith("../seeds/")


def test_folder_mode_finds_targets_and_reports_yaml_it_cannot_place(tmp_path, monkeypatch):
    folder = tmp_path / "nop"
    (folder / "2024-H1").mkdir(parents=True)
    (folder / "2024-H3").mkdir()
    (folder / "chi-tieu").mkdir()
    (folder / "chi-tieu" / "targets.yaml").write_text(GOOD.replace("threshold: 95", "threshold: 95%"), "utf-8")
    (folder / "2024-H1" / "tp-bien-hoa.yml").write_text("subject: x\n", "utf-8")
    (folder / "2024-H3" / "tp-bien-hoa.yaml").write_text("subject: x\n", "utf-8")
    (folder / "ghi-chu.yaml").write_text("a: 1\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("nop")
    assert result.exit_code == 1
    assert sorted(PRINTED.findall(result.output)) == [
        ("bad_period", "nop/2024-H3/tp-bien-hoa.yaml"),
        ("target_threshold_not_number", "nop/chi-tieu/targets.yaml"),
        ("unknown_yaml", "nop/ghi-chu.yaml"),
        ("yaml_extension", "nop/2024-H1/tp-bien-hoa.yml"),
    ]
    assert "'2024-H3'" in result.output and "đổi tên thành tp-bien-hoa.yaml" in result.output
    assert counts(result.output) == (4, 3, 1)


# ----------------------------------------------------------------------------- exit codes


def test_exit_codes(tmp_path):
    warned = write_targets(tmp_path, GOOD.replace('  source: "Kế hoạch CCHC của tỉnh"\n', ""))
    result = invoke(str(warned))
    assert result.exit_code == 0 and counts(result.output) == (1, 0, 1)  # warnings alone: 0, as cchc ingest
    bad = tmp_path / "bad" / "targets.yaml"
    bad.parent.mkdir()
    bad.write_text(GOOD.replace("TTHC_TYLE_DUNGHAN", "KHONG_CO"), "utf-8")
    result = invoke(str(warned), str(bad))
    assert result.exit_code == 1 and counts(result.output) == (2, 1, 1)
    result = invoke(str(tmp_path / "khong-co"))
    assert result.exit_code == 2 and f"LỖI: không có tệp hoặc thư mục {tmp_path / 'khong-co'}" in result.output
