import datetime as dt

import pytest

from cchc_lib import config
from cchc_lib.domain.units import check_unit_id
from cchc_lib.exceptions import UnitError
from cchc_lib.ingest.check import load_registry


@pytest.fixture(scope="module")
def reg():
    return load_registry(config.UNITS_CSV)


def test_children_follow_the_merger(reg):
    before = {u.unit_id for u in reg.children("tinh-mau", "2025-Y")}
    after = {u.unit_id for u in reg.children("tinh-mau", "2026-H1")}
    assert {"xa-mau-09", "xa-mau-10"} <= before and "xa-mau-11" not in before
    assert "xa-mau-11" in after and not {"xa-mau-09", "xa-mau-10"} & after
    communes = [u for u in reg.children("tinh-mau", "2026-H1") if u.level == "commune"]
    assert len(communes) >= 12


def test_crosswalk_sums_predecessors(reg):
    assert reg.crosswalk("xa-mau-11", "2025-H1") == ["xa-mau-09", "xa-mau-10"]
    assert reg.crosswalk("xa-mau-11", "2026-Q1") == ["xa-mau-11"]
    assert reg.crosswalk("xa-mau-01", "2025-H1") == ["xa-mau-01"]
    assert reg.crosswalk("xa-mau-11", "2020-H1") is None


def test_successor_for_records_after_merger(reg):
    assert reg.successor_on("xa-mau-09", dt.date(2026, 3, 14)) == "xa-mau-11"
    assert reg.successor_on("xa-mau-09", dt.date(2025, 12, 14)) == "xa-mau-09"


def test_validity(reg):
    with pytest.raises(UnitError, match="xa-mau-11"):
        reg.require_valid("xa-mau-09", "2026-H1")
    assert reg.require_valid("tp-bien-hoa", "2024-H1").name == "Thành phố Biên Hòa"
    with pytest.raises(UnitError):
        reg.require_valid("tp-bien-hoa", "2026-H1")  # no district level after 1/7/2025


def test_find_by_name_however_typed(reg):
    assert reg.find("Xa\u0303 Mâ\u0303u 03") == "xa-mau-03"
    assert reg.find("THÀNH PHỐ HOÀ BÌNH") == "tp-hoa-binh"
    assert reg.find("Xã Không Có") is None


@pytest.mark.parametrize("bad", ["../etc", "Xa Mau", "xa_mau", "xa-mau-", "XA-MAU", "xã-mẫu", "a/b"])
def test_unit_id_must_be_a_slug(bad):
    with pytest.raises(UnitError, match="Mã đơn vị không hợp lệ"):
        check_unit_id(bad)


def test_hierarchy(reg):
    assert [u.unit_id for u in reg.ancestors("phuong-tran-phu")] == ["tp-hai-duong", "tinh-hai-duong"]
    assert reg["xa-mau-01"].synthetic and not reg["tp-bien-hoa"].synthetic
