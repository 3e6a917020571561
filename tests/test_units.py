import datetime as dt

import pandas as pd
import pytest

from cchc_lib import config
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry, Unit, check_unit_id
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


# ----------------------------------------------------------------------------- a small registry, every lookup

def unit_row(unit_id, name, level, parent_id=None, valid_from="2000-01-01", valid_to=None, successor_id=None, **extra):
    return {"unit_id": unit_id, "name": name, "level": level, "parent_id": parent_id,
            "valid_from": pd.Timestamp(valid_from) if valid_from else pd.NaT,
            "valid_to": pd.Timestamp(valid_to) if valid_to else pd.NaT, "successor_id": successor_id,
            "issuing_body": float("nan"), "parent_body": float("nan"), "place": float("nan"), "doc_code": float("nan"),
            "synthetic": False, "group": False} | extra


@pytest.fixture()
def mini():
    return Registry(pd.DataFrame([
        unit_row("tinh-a", "Tỉnh A", "province", issuing_body="ỦY BAN NHÂN DÂN|TỈNH A", place="Thành A",
                 doc_code="UBND", synthetic=True),
        unit_row("xa-e", "Xã E", "commune", "tinh-a", valid_from="2025-07-01"),
        unit_row("huyen-b", "Huyện B", "district", "tinh-a", valid_to="2025-06-30"),
        unit_row("so-f", "Sở F", "department", "tinh-a", parent_body="ỦY BAN NHÂN DÂN TỈNH A", doc_code="SF"),
        unit_row("xa-c", "Xã C", "commune", "huyen-b", valid_from="2020-01-01", valid_to="2025-06-30",
                 successor_id="xa-e"),
        unit_row("xa-d", "Xa\u0303 D", "commune", "huyen-b", valid_to="2025-06-30", successor_id="xa-e",
                 group=True),
        unit_row("thon-g", "Thôn G", "commune", "xa-c", valid_from="2010-01-01", valid_to="2019-12-31",
                 successor_id="xa-c"),
        unit_row("xa-h", "Xã H", "commune", "huyen-b", valid_from=None, valid_to="2025-06-30"),
        unit_row("xa-h2", "Xã H", "commune", "tinh-a", valid_from="2025-07-01"),
    ]))


def test_registry_reads_the_validated_table(mini):
    assert mini["tinh-a"] == Unit("tinh-a", "Tỉnh A", "province", None, dt.date(2000, 1, 1), None, None,
                                  "ỦY BAN NHÂN DÂN|TỈNH A", "", "Thành A", "UBND", True, False)
    so = mini["so-f"]
    assert (so.parent_id, so.parent_body, so.doc_code, so.valid_to) == ("tinh-a", "ỦY BAN NHÂN DÂN TỈNH A", "SF", None)
    assert mini["xa-d"].name == "Xã D" and mini["xa-d"].group  # names are NFC
    assert mini["xa-c"].valid_to == dt.date(2025, 6, 30) and mini["xa-h"].valid_from is None
    assert mini["xa-e"].doc_code == "UBND"  # the default
    assert ("xa-c" in mini, "xa-z" in mini) == (True, False)
    with pytest.raises(UnitError) as err:
        mini["xa-z"]  # noqa: B018
    assert str(err.value) == "Đơn vị 'xa-z' không có trong danh mục đơn vị (data/raw/units.csv)."


def test_unit_validity_and_name_in_text(mini):
    c = mini["xa-c"]
    assert [c.valid_on(d) for d in (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2025, 6, 30),
                                    dt.date(2025, 7, 1))] == [False, True, True, False]
    assert (c.valid_in("2025-Q1"), c.valid_in(Period.parse("2025-H1")), c.valid_in("2025-Q3")) == (True, True, False)
    assert mini["xa-h"].valid_on(dt.date(1900, 1, 1))  # no start date: always existed
    assert mini["huyen-b"].name_in_text == "huyện B" and mini["so-f"].name_in_text == "sở F"


def test_children_ancestors_predecessors(mini):
    assert [u.unit_id for u in mini.children("tinh-a", "2025-H1")] == ["so-f", "huyen-b"]
    assert [u.unit_id for u in mini.children("tinh-a", "2026-H1")] == ["so-f", "xa-e", "xa-h2"]
    assert [u.unit_id for u in mini.children("huyen-b", "2025-H1")] == ["xa-c", "xa-d", "xa-h"]
    assert mini.children("xa-e", "2026-H1") == []
    assert [u.unit_id for u in mini.ancestors("thon-g")] == ["xa-c", "huyen-b", "tinh-a"]
    assert mini.ancestors("tinh-a") == []
    assert mini.predecessors("xa-e") == ["xa-c", "xa-d"] and mini.predecessors("xa-c") == ["thon-g"]


def test_successor_on_follows_mergers(mini):
    assert mini.successor_on("thon-g", dt.date(2015, 1, 1)) == "thon-g"
    assert mini.successor_on("thon-g", dt.date(2020, 1, 1)) == "xa-c"
    assert mini.successor_on("thon-g", dt.date(2026, 1, 1)) == "xa-e"  # two steps
    assert mini.successor_on("xa-z", dt.date(2026, 1, 1)) == "xa-z"  # unknown: itself
    assert mini.successor_on("huyen-b", dt.date(2026, 1, 1)) == "huyen-b"  # ended without successor: itself


def test_crosswalk(mini):
    assert mini.crosswalk("xa-e", "2026-H1") == ["xa-e"]
    assert mini.crosswalk("xa-e", "2025-H1") == ["xa-c", "xa-d"]
    assert mini.crosswalk("xa-e", "2015-Y") == ["thon-g", "xa-d"]  # xa-c did not exist yet: its predecessor did
    assert mini.crosswalk("xa-c", "2015-Y") == ["thon-g"]
    assert mini.crosswalk("xa-h2", "2025-H1") is None


def test_find_by_id_or_name(mini):
    assert mini.find(" xa-c ") == "xa-c"
    assert mini.find("XÃ D") == "xa-d"
    assert mini.find("Xã H") is None  # two units share the name
    assert mini.find("Xã H", on=dt.date(2026, 1, 1)) == "xa-h2"
    assert mini.find("Xã H", on=dt.date(2024, 1, 1)) == "xa-h"


def test_require_valid_says_why(mini):
    assert mini.require_valid("xa-c", "2025-H1").name == "Xã C"
    with pytest.raises(UnitError) as err:
        mini.require_valid("xa-c", "2025-Y")
    assert str(err.value) == ("Đơn vị xa-c (Xã C) không còn hoặc chưa tồn tại vào ngày 14/12/2025 "
                              "(hiệu lực 01/01/2020 – 30/06/2025); đơn vị kế thừa: xa-e.")
    with pytest.raises(UnitError) as err:
        mini.require_valid("xa-e", "2025-H1")
    assert str(err.value) == ("Đơn vị xa-e (Xã E) không còn hoặc chưa tồn tại vào ngày 14/06/2025 "
                              "(hiệu lực 01/07/2025 – nay).")


def test_check_unit_id_returns_the_slug():
    assert [check_unit_id(u) for u in ("xa-mau-01", "a", "tp-2")] == ["xa-mau-01", "a", "tp-2"]
    with pytest.raises(UnitError) as err:
        check_unit_id("Xa Mau")
    assert str(err.value) == ("Mã đơn vị không hợp lệ: 'Xa Mau'. Mã đơn vị chỉ gồm chữ thường không dấu, chữ số "
                              "và dấu gạch ngang (ví dụ: xa-mau-01), vì được dùng làm tên thư mục.")
