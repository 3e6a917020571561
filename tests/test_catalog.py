import pytest
import yaml

from cchc_lib.domain.catalog import Area, Catalog, Indicator, check_catalog, load_catalog, parse_catalog
from cchc_lib.exceptions import CatalogError


def test_catalog_is_sound_and_covers_all_areas():
    cat = load_catalog()
    assert check_catalog(cat) == []
    assert [a.code for a in cat.areas] == ["direction", "institutions", "procedures", "apparatus",
                                           "civil_service", "public_finance", "digital_government"]
    for area in cat.areas:
        assert cat.in_area(area.code, rates=False), area.code


def test_three_on_time_definitions_are_distinct():
    cat = load_catalog()
    defs = {c: (cat[c].num, cat[c].den) for c in ("TTHC_TYLE_DUNGHAN", "TTHC_TYLE_DUNGHAN_766", "TTHC_TYLE_DUNGHAN_DAGQ")}
    assert defs["TTHC_TYLE_DUNGHAN"] == (("TTHC_HS_DUNGHAN_TONG",), "TTHC_HS_TONG")
    assert defs["TTHC_TYLE_DUNGHAN_766"] == (("TTHC_HS_DUNGHAN_TONG", "TTHC_HS_DANGGQ_TRONGHAN"), "TTHC_HS_TONG")
    assert defs["TTHC_TYLE_DUNGHAN_DAGQ"] == (("TTHC_HS_DUNGHAN_TONG",), "TTHC_HS_DAGQ")
    assert len({cat[c].label for c in defs}) == 3


def test_rules_from_design():
    cat = load_catalog()
    rules = {(t, p) for t, p in cat.breakdowns()}
    assert ("TTHC_HS_TONG", ("TTHC_HS_TRUCTUYEN", "TTHC_HS_TRUCTIEP", "TTHC_HS_BUUCHINH")) in rules
    assert ("TTHC_HS_TONG", ("TTHC_HS_DAGQ", "TTHC_HS_DANGGQ")) in rules
    assert ("TTHC_HS_DANGGQ", ("TTHC_HS_DANGGQ_TRONGHAN", "TTHC_HS_DANGGQ_QUAHAN")) in rules
    assert all(cat[r].is_rate and cat[r].unit == "%" for r in [i.code for i in cat.rates])


def test_catalog_errors_are_caught():
    base = {"areas": [{"code": "a", "label": "A", "short": "A", "sheet": "A", "notebook": "n"}]}
    with pytest.raises(CatalogError, match="unknown code"):
        parse_catalog(base | {"indicators": [{"code": "X", "area": "a", "label": "x", "unit": "u",
                                             "kind": "count", "parts": [["Y"]]}]})
    with pytest.raises(CatalogError, match="contain itself"):
        parse_catalog(base | {"indicators": [
            {"code": "X", "area": "a", "label": "x", "unit": "u", "kind": "count", "parts": [["Y"]]},
            {"code": "Y", "area": "a", "label": "y", "unit": "u", "kind": "count", "parts": [["X"]]}]})
    with pytest.raises(CatalogError, match="needs num and den"):
        parse_catalog(base | {"indicators": [{"code": "R", "area": "a", "label": "r", "unit": "%", "kind": "rate"}]})


# ----------------------------------------------------------------------------- a small catalog, every lookup

MINI = {
    "areas": [{"code": "a", "label": "Lĩnh vực A", "short": "A gọn", "sheet": "SheetA", "notebook": "00_a"},
              {"code": "b", "label": "Lĩnh vực B", "short": "B gọn", "sheet": "SheetB", "notebook": "01_b"}],
    "indicators": [
        {"code": "T", "area": "a", "label": "Tổng", "unit": "hồ sơ", "kind": "count", "parts": [["P1", "P2"]]},
        {"code": "P1", "area": "a", "label": "Phần 1", "unit": "hồ sơ", "kind": "count"},
        {"code": "P2", "area": "a", "label": "Phần 2", "unit": "hồ sơ", "kind": "count", "agg": "none"},
        {"code": "S", "area": "a", "label": "Trong đó", "unit": "hồ sơ", "kind": "count", "within": "P1"},
        {"code": "R", "area": "a", "label": "Tỷ lệ", "unit": "%", "kind": "rate", "num": "P1", "den": "T",
         "higher": True},
        {"code": "M", "area": "b", "label": "Tiền", "unit": "triệu đồng", "kind": "amount", "note": "ghi chú"},
    ],
}


@pytest.fixture()
def mini():
    return parse_catalog(MINI)


def test_parse_catalog_builds_indicators(mini):
    assert mini["T"] == Indicator("T", "a", "Tổng", "hồ sơ", "count", parts=(("P1", "P2"),), agg="sum")
    assert mini["R"] == Indicator("R", "a", "Tỷ lệ", "%", "rate", num=("P1",), den="T", higher=True, agg="none")
    assert mini["M"] == Indicator("M", "b", "Tiền", "triệu đồng", "amount", note="ghi chú")
    assert (mini["P2"].agg, mini["S"].within) == ("none", "P1")
    assert [(c, i.is_rate, i.integer) for c, i in mini.indicators.items()] == [
        ("T", False, True), ("P1", False, True), ("P2", False, True), ("S", False, True), ("R", True, False),
        ("M", False, False)]


def test_lookups(mini):
    assert ("R" in mini, "X" in mini, 5 in mini) == (True, False, False)
    with pytest.raises(KeyError):
        mini["X"]  # noqa: B018
    assert mini.area("b") == Area("b", "Lĩnh vực B", "B gọn", "SheetB", "01_b")
    with pytest.raises(KeyError, match="zz"):
        mini.area("zz")
    assert mini.area_by_sheet(" sheeta ").code == "a"
    assert mini.area_by_sheet("ThongTin") is None


def test_selections(mini):
    codes = lambda inds: [i.code for i in inds]  # noqa: E731
    assert codes(mini.in_area("a")) == ["T", "P1", "P2", "S", "R"]
    assert codes(mini.in_area("a", rates=True)) == ["R"]
    assert codes(mini.in_area("a", rates=False)) == ["T", "P1", "P2", "S"]
    assert codes(mini.in_area("b", rates=True)) == []
    assert codes(mini.inputs) == ["T", "P1", "P2", "S", "M"]
    assert codes(mini.rates) == ["R"]
    assert mini.breakdowns() == [("T", ("P1", "P2"))]
    assert mini.subsets() == [("P1", "T"), ("P2", "T"), ("S", "P1")]


def test_to_frame(mini):
    frame = mini.to_frame()
    assert list(frame.columns) == ["order", "code", "area", "label", "unit", "kind", "agg"]
    assert frame.iloc[[0, 4, 5]].to_dict("records") == [
        {"order": 0, "code": "T", "area": "a", "label": "Tổng", "unit": "hồ sơ", "kind": "count", "agg": "sum"},
        {"order": 4, "code": "R", "area": "a", "label": "Tỷ lệ", "unit": "%", "kind": "rate", "agg": "none"},
        {"order": 5, "code": "M", "area": "b", "label": "Tiền", "unit": "triệu đồng", "kind": "amount",
         "agg": "sum"}]


def test_check_catalog_lists_every_problem():
    area = Area("a", "A", "A", "A", "n")
    bad = {
        "X": Indicator("X", "zz", "x", "u", "weird"),
        "R": Indicator("R", "a", "r", "hồ sơ", "rate", num=("C",)),
        "C": Indicator("C", "a", "c", "u", "count", num=("R",), den="R", within="NOPE"),
    }
    assert check_catalog(Catalog((area,), bad)) == [
        "X: unknown area zz", "X: unknown kind weird",
        "R: a rate needs num and den", "R: a rate is measured in %",
        "C: refers to rate R", "C: refers to unknown code NOPE", "C: refers to rate R", "C: only rates have num/den",
    ]
    assert check_catalog(Catalog((area,), bad), area_codes={"a", "zz"})[0] == "X: unknown kind weird"


@pytest.mark.parametrize(("indicators", "message"), [
    ([{"area": "a", "label": "x", "unit": "u", "kind": "count"}], "src: an indicator has no code: "),
    ([{"code": "X", "area": "a", "label": "x", "unit": "u", "kind": "count"}] * 2, "src: duplicate indicator code X"),
    ([{"code": "X", "area": "a", "label": "x", "unit": "u", "kind": "count", "num": "Y", "den": "Y"},
      {"code": "Y", "area": "a", "label": "y", "unit": "u", "kind": "count"}], "src: X: only rates have num/den"),
])
def test_parse_catalog_names_the_source(indicators, message):
    with pytest.raises(CatalogError) as err:
        parse_catalog({"areas": MINI["areas"], "indicators": indicators}, source="src")
    assert str(err.value).startswith(message)


def test_load_catalog_reads_a_file_once(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(MINI, allow_unicode=True), "utf-8")
    cat = load_catalog(path)
    assert cat == parse_catalog(MINI) and load_catalog(path) is cat  # cached per path
    assert [a.notebook for a in cat.areas] == ["00_a", "01_b"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump({"areas": MINI["areas"], "indicators": [MINI["indicators"][0]]}), "utf-8")
    with pytest.raises(CatalogError, match=f"^{broken}: T: refers to unknown code P1; T: refers to unknown code P2$"):
        load_catalog(broken)


def test_shipped_catalog_lookups():
    cat = load_catalog()
    assert load_catalog() is cat
    assert [a.sheet for a in cat.areas] == ["ChiDao", "TheChe", "TTHC", "BoMay", "CongVu", "TaiChinh", "CDS"]
    assert [a.notebook for a in cat.areas] == ["00_direction", "01_institutions", "02_procedures", "03_apparatus",
                                               "04_civil_service", "05_public_finance", "06_digital_government"]
    assert cat.area_by_sheet("tthc").label == "Cải cách thủ tục hành chính"
    rates = ["CD_KH_TYLE", "CD_GIAO_TYLE_DUNGHAN", "CD_KT_TYLE"]
    assert [i.code for i in cat.in_area("direction", rates=True)] == rates
    assert cat["TCC_THU_NS"].unit == "triệu đồng" and not cat["TCC_THU_NS"].integer
    assert ("TTHC_HS_TRUCTUYEN", "TTHC_HS_TONG") in cat.subsets() and ("CDS_VB_DI_KYSO", "CDS_VB_DI") in cat.subsets()
    frame = cat.to_frame()
    assert list(frame["order"]) == list(range(len(cat.indicators))) and list(frame["code"]) == list(cat.indicators)


def test_each_area_names_its_breakdown_by_child_unit():
    cat = load_catalog()
    assert cat.area("procedures").children == ("TTHC_HS_TONG", "TTHC_HS_DUNGHAN_TONG", "TTHC_TYLE_DUNGHAN_766",
                                               "TTHC_TYLE_DUNGHAN", "TTHC_TYLE_TRUCTUYEN", "TTHC_HS_TREHAN_TONG")
    assert all(a.children for a in cat.areas)
    foreign = Catalog((Area("direction", "Chỉ đạo", "Chỉ đạo", "ChiDao", "00_direction", ("TTHC_HS_TONG",)),
                       Area("procedures", "TTHC", "TTHC", "TTHC", "02_procedures")),
                      {"TTHC_HS_TONG": cat["TTHC_HS_TONG"]})
    assert "area direction: children column TTHC_HS_TONG is not an indicator of the area" in check_catalog(foreign)
    assert not [p for p in check_catalog(cat) if p.startswith("area ")]
