import pytest

from cchc_lib.domain.catalog import check_catalog, load_catalog, parse_catalog
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
