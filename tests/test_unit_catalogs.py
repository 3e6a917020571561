"""Unit-defined indicators (params/catalog/<unit_id>.yaml): declared, checked, ingested, shown."""

from pathlib import Path

import pandas as pd
import pytest

from cchc_lib.domain.catalog import load_catalog, with_extension
from cchc_lib.ingest.pipeline import ingest
from cchc_lib.ingest.unit_catalogs import read_unit_catalogs
from cchc_lib.reporting.dataset import Dataset

REPO = Path(__file__).resolve().parents[1]

DECLARED = """\
indicators:
  - {code: XM_NV_THUONGXUYEN, area: direction, label: "Nhiệm vụ hoàn thành thực hiện thường xuyên",
     unit: nhiệm vụ, kind: count, agg: none, section: "I.1"}
  - {code: XM_NV_COTHOIHAN, area: direction, label: "Nhiệm vụ hoàn thành có thời hạn", unit: nhiệm vụ,
     kind: count, agg: none}
  - {code: XM_THON_TONG, area: digital_government, label: "Số thôn", unit: thôn, kind: count}
  - {code: XM_THON_KYSO, area: digital_government, label: "Thôn đã ký số văn bản", unit: thôn, kind: count,
     within: XM_THON_TONG}
  - {code: XM_TYLE_THON_KYSO, area: digital_government, label: "Tỷ lệ thôn đã ký số văn bản", unit: "%",
     kind: rate, num: [XM_THON_KYSO], den: XM_THON_TONG, higher: true, counts: true}
  - {code: XM_MUCTIEU, area: procedures, label: "Mục tiêu tỷ lệ hồ sơ trực tuyến", unit: "%", kind: amount, agg: none}
breakdowns:
  - {total: CD_KH_HOANTHANH, parts: [XM_NV_THUONGXUYEN, XM_NV_COTHOIHAN]}
"""


def _registry():
    from cchc_lib.domain.issues import IssueLog
    from cchc_lib.domain.units import Registry
    from cchc_lib.ingest.units_file import read_units

    units, _, _ = read_units(REPO / "data" / "raw" / "units.csv", "data/raw/units.csv", IssueLog())
    return Registry(units)


def _project(tmp_path: Path, raw_tree: Path, declared: str = DECLARED, form_rows: str = "") -> Path:
    catalog = tmp_path / "params" / "catalog"
    catalog.mkdir(parents=True)
    (catalog / "xa-mau-01.yaml").write_text(declared, "utf-8")
    form = raw_tree / "forms" / "2026-H1" / "xa-mau-01.csv"
    form.write_text(form.read_text("utf-8") + form_rows, "utf-8")
    return tmp_path / "params" / "reports"


def test_declared_indicators_extend_the_catalog_with_their_owner_and_breakdown():
    cat = read_unit_catalogs(Path("/nonexistent"), load_catalog(), _registry()).catalog
    assert cat is load_catalog()
    folder = Path(pytest.importorskip("tempfile").mkdtemp())
    (folder / "xa-mau-01.yaml").write_text(DECLARED, "utf-8")
    found = read_unit_catalogs(folder, load_catalog(), _registry())
    assert found.issues == []
    ind = found.catalog["XM_TYLE_THON_KYSO"]
    assert (ind.owner, ind.counts, ind.num, ind.den) == ("xa-mau-01", True, ("XM_THON_KYSO",), "XM_THON_TONG")
    assert found.catalog["XM_NV_THUONGXUYEN"].section == "I.1"
    assert ("XM_NV_THUONGXUYEN", "XM_NV_COTHOIHAN") in found.catalog["CD_KH_HOANTHANH"].parts
    assert "XM_NV_THUONGXUYEN" not in load_catalog()  # the package catalog is left as it is


@pytest.mark.parametrize("declared, rule, line, value", [
    ("indicators:\n  - {code: CD_KH_TONG, area: direction, label: x, unit: x, kind: count}\n",
     "unit_catalog_code", 2, "CD_KH_TONG"),
    ("indicators:\n  - {code: XM_A, area: direction, label: x, unit: x, kind: count}\n"
     "  - {code: XM_B, area: nowhere, label: x, unit: x, kind: count}\n", "unit_catalog_area", 3, "nowhere"),
    ("indicators:\n  - {code: XM_R, area: direction, label: x, unit: \"%\", kind: rate, num: [XM_NONE], den: CD_KH_TONG}\n",
     "unit_catalog_ref", 2, "XM_NONE"),
    ("indicators:\n  - {code: XM_R, area: direction, label: x, unit: \"%\", kind: rate}\n", "unit_catalog_rate", 2, "rate"),
    ("indicators:\n  - {code: xm lower, area: direction, label: x, unit: x, kind: count}\n",
     "unit_catalog_code", 2, "xm lower"),
    ("indicators:\n  - {code: XM_A, area: direction, label: x, unit: x, kind: count, colour: red}\n",
     "unit_catalog_field", 2, "colour"),
    ("indicators: [\n", "unit_catalog_syntax", None, ""),
])
def test_a_faulty_declaration_is_named_by_file_line_and_value(tmp_path, declared, rule, line, value):
    (tmp_path / "xa-mau-01.yaml").write_text(declared, "utf-8")
    (tmp_path / "xa-mau-02.yaml").write_text(
        "indicators:\n  - {code: XM2_OK, area: direction, label: ok, unit: x, kind: count}\n", "utf-8")
    found = read_unit_catalogs(tmp_path, load_catalog(), _registry())
    issue = next(i for i in found.issues if i.rule == rule)
    assert issue.file == "params/catalog/xa-mau-01.yaml"
    assert issue.row == line or line is None
    assert issue.value == value
    assert "XM2_OK" in found.catalog  # another unit's declarations are unaffected


def test_a_code_declared_by_two_units_names_both_places(tmp_path):
    for unit in ("xa-mau-01", "xa-mau-02"):
        (tmp_path / f"{unit}.yaml").write_text(
            "indicators:\n  - {code: XM_SAME, area: direction, label: x, unit: x, kind: count}\n", "utf-8")
    found = read_unit_catalogs(tmp_path, load_catalog(), _registry())
    (issue,) = found.issues
    assert issue.file == "params/catalog/xa-mau-02.yaml" and "params/catalog/xa-mau-01.yaml dòng 2" in issue.message
    assert found.catalog["XM_SAME"].owner == "xa-mau-01"


def test_a_file_not_named_after_a_unit_is_refused(tmp_path):
    (tmp_path / "nobody.yaml").write_text(DECLARED, "utf-8")
    found = read_unit_catalogs(tmp_path, load_catalog(), _registry())
    assert [i.rule for i in found.issues] == ["unit_catalog_unit"]
    assert "XM_THON_TONG" not in found.catalog


def test_ingest_keeps_values_checks_breakdown_and_scope_and_the_report_shows_them(tmp_path, raw_tree):
    rows = ("XM_NV_THUONGXUYEN,5,own,\nXM_NV_COTHOIHAN,7,own,\nXM_THON_TONG,19,own,\nXM_THON_KYSO,19,own,\n"
            "XM_MUCTIEU,50,own,\n")
    params = _project(tmp_path, raw_tree, form_rows=rows)
    other = raw_tree / "forms" / "2026-H1" / "xa-mau-02.csv"
    other.write_text("indicator,value,note\nCD_KH_TONG,4,\nXM_THON_TONG,3,\n", "utf-8")
    processed = tmp_path / "processed"
    result = ingest(raw_tree, processed, params_dir=params)
    got = result.indicators.set_index(["unit_id", "code"])["value"]
    assert got[("xa-mau-01", "XM_THON_KYSO")] == 19 and got[("xa-mau-01", "XM_MUCTIEU")] == 50
    scope = [i for i in result.issues if i.rule == "unit_indicator_scope"]
    assert len(scope) == 1 and scope[0].unit_id == "xa-mau-02" and scope[0].value == "XM_THON_TONG"
    assert ("xa-mau-02", "XM_THON_TONG") not in got.index and got[("xa-mau-02", "CD_KH_TONG")] == 4
    rejects = pd.concat(pd.read_csv(p) for p in (processed / "rejects").glob("*.csv"))
    assert "unit_indicator_scope" in set(rejects["rule"])
    ds = Dataset.load(processed)
    values = ds.values("xa-mau-01", "2026-H1")
    assert values["XM_TYLE_THON_KYSO"].value == 100
    from cchc_lib.reporting.figures import display_value
    assert display_value(ds.catalog["XM_TYLE_THON_KYSO"], values["XM_TYLE_THON_KYSO"], values) == "100,00% (19/19)"
    assert display_value(ds.catalog["XM_MUCTIEU"], values["XM_MUCTIEU"]) == "50,00%"


def test_a_breakdown_that_does_not_add_up_rejects_its_rows_naming_both_numbers(tmp_path, raw_tree):
    params = _project(tmp_path, raw_tree, form_rows="XM_NV_THUONGXUYEN,5,own,\nXM_NV_COTHOIHAN,8,own,\n")
    result = ingest(raw_tree, tmp_path / "processed", params_dir=params)
    issue = next(i for i in result.issues if i.rule == "parts_sum" and "CD_KH_HOANTHANH" in i.message + i.indicator)
    assert "12" in issue.message and "13" in issue.message
    assert "XM_NV_COTHOIHAN" not in set(result.indicators["code"])


def test_processed_extension_reads_back_as_the_ingest_catalog(tmp_path, raw_tree):
    params = _project(tmp_path, raw_tree)
    result = ingest(raw_tree, tmp_path / "processed", params_dir=params)
    import yaml
    back = with_extension(load_catalog(), yaml.safe_load((tmp_path / "processed" / "unit_catalog.yaml").read_text()))
    assert back.indicators == result.catalog.indicators


def test_the_unit_form_template_holds_its_own_indicators_and_no_other_units(tmp_path, raw_tree):
    from openpyxl import load_workbook

    from cchc_lib.domain.periods import Period
    from cchc_lib.ingest.form_template import write_template
    from cchc_lib.ingest.unit_catalogs import unit_catalog

    _project(tmp_path, raw_tree)
    reg = _registry()
    for unit, expected in (("xa-mau-01", True), ("xa-mau-02", False)):
        path = write_template(tmp_path / f"{unit}.xlsx", reg[unit], Period.parse("2026-H1"),
                              unit_catalog(reg, unit, tmp_path / "params" / "catalog"))
        codes = {c.value for c in load_workbook(path)["CDS"]["B"]}
        assert ("XM_THON_KYSO" in codes) is expected
        assert "CDS_VB_DEN" in codes and "XM_TYLE_THON_KYSO" not in codes  # rates are computed, never typed
