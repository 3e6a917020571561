"""Targets (which periods, met at the boundary) and how a figure reads in a table."""

from __future__ import annotations

from cchc_lib.domain.catalog import load_catalog
from cchc_lib.domain.periods import Period
from cchc_lib.reporting.figures import MISSING, Figure, Target, display_value

CAT = load_catalog()


def test_target_applies_to_its_period_kinds():
    yearly = Target("x", 95, ">=", "", periods=("Y",))
    assert yearly.applies(Period.parse("2025-Y")) and not yearly.applies(Period.parse("2025-H1"))
    assert Target("x", 95, ">=", "").applies(Period.parse("2026-Q3"))  # no periods: every period


def test_target_met_at_the_boundary():
    at_least = Target("x", 95, ">=", "")
    assert at_least.met(95) and at_least.met(95 - 1e-10) and at_least.met(99.16)
    assert not at_least.met(94.999999) and not at_least.met(0)
    at_most = Target("x", 5, "<=", "")
    assert at_most.met(5) and at_most.met(5 + 1e-10) and at_most.met(0)
    assert not at_most.met(5.000001)
    assert (at_least.label, at_most.label) == ("≥ 95,00%", "≤ 5,00%")


def test_display_value_reads_as_in_the_reports():
    assert display_value(CAT["TTHC_HS_TONG"], Figure(22296.0)) == "22.296 hồ sơ"
    assert display_value(CAT["TTHC_TYLE_DUNGHAN"], Figure(99.1612845)) == "99,16%"
    assert display_value(CAT["TCC_DTC_GIAINGAN"], Figure(964056.0)) == "964.056 triệu đồng"
    assert display_value(CAT["TTHC_HS_TONG"], MISSING) == "chưa có số liệu"
    assert display_value(CAT["TTHC_HS_TONG"], Figure(float("nan"))) == "chưa có số liệu"
    assert display_value(CAT["TTHC_HS_TONG"], None) == "chưa có số liệu"
