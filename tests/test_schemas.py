import pandas as pd
import pandera.pandas as pa
import pytest

from cchc_lib.ingest.schemas import DossierStatsSchema, arithmetic_schema, failure_cases, form_values_schema


def row(code, value):
    return {"unit_id": "xa-mau-01", "period": "2026-H1", "code": code, "value": value, "scope": "own",
            "source": "form", "file": "f.csv", "sheet": "", "cell": "dòng 2", "note": ""}


def test_form_values_reject_negative_fraction_and_unknown_codes():
    frame = pd.DataFrame([row("CD_KH_TONG", 3.5), row("CD_KH_TONG", -1), row("NOPE", 1)])
    with pytest.raises(pa.errors.SchemaErrors) as err:
        form_values_schema().validate(frame, lazy=True)
    checks = set(failure_cases(err.value)["check"])
    assert "count_is_integer" in checks
    assert any("greater_than_or_equal_to" in c for c in checks)
    assert any(c.startswith("isin") for c in checks)


def test_amounts_may_be_fractional():
    form_values_schema().validate(pd.DataFrame([row("TCC_THU_NS", 1234.5)]))


def test_arithmetic_rules_detect_each_breach_once():
    wide = pd.DataFrame([
        {"TTHC_HS_TONG": 10, "TTHC_HS_DAGQ": 6, "TTHC_HS_DANGGQ": 4},   # fine
        {"TTHC_HS_TONG": 10, "TTHC_HS_DAGQ": 6, "TTHC_HS_DANGGQ": 5},   # parts != total
        {"CDS_VB_DI": 5, "CDS_VB_DI_KYSO": 6},                            # part > whole
        {"TCC_DVSN_TUCHU": 68, "TCC_DVSN_NHANUOC": 65, "TCC_DVSN_TUCHU_MOTPHAN": 2,
         "TCC_DVSN_TUCHU_CHITX": 2},                                       # incomplete parts exceed total
        {"TTHC_HS_TONG": 10, "TTHC_HS_DAGQ": 6},                          # incomplete: not judged
    ])
    with pytest.raises(pa.errors.SchemaErrors) as err:
        arithmetic_schema().validate(wide, lazy=True)
    cases = failure_cases(err.value).dropna(subset=["index"])
    got = sorted((int(i), c.split(":")[0]) for i, c in zip(cases["index"], cases["check"], strict=True))
    assert (1, "parts_sum") in got and (2, "part_exceeds_whole") in got and (3, "parts_sum") in got
    assert not [g for g in got if g[0] in (0, 4)]
    assert len(got) == len(set(got))


def test_dossier_stats_balance():
    good = pd.DataFrame([{"unit_id": "u", "period": "2026-H1", "field": "f", "received": 5, "online": 2,
                          "early": 1, "on_time": 1, "late": 1, "pending_in_time": 1, "pending_overdue": 1}])
    DossierStatsSchema.validate(good)
    with pytest.raises(pa.errors.SchemaError):
        DossierStatsSchema.validate(good.assign(received=6))
