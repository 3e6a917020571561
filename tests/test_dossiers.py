import datetime as dt

import pandas as pd

from cchc_lib.domain.periods import Window
from cchc_lib.ingest.dossiers import aggregate, classify

W = Window(dt.date(2026, 3, 15), dt.date(2026, 6, 14))


def rec(i, received, due, finished=None, channel="direct"):
    return {"dossier_id": f"H{i}", "unit_id": "xa-mau-01", "procedure_code": "1", "field": "Hộ tịch",
            "channel": channel, "received": pd.Timestamp(received), "due": pd.Timestamp(due),
            "finished": pd.Timestamp(finished) if finished else pd.NaT, "digitised": i % 2 == 0,
            "paid_online": False, "fee_bearing": False, "online_service": True}


RECORDS = pd.DataFrame([
    rec(1, "2026-04-01 08:00", "2026-04-05 17:00", "2026-04-03 10:00"),  # early
    rec(2, "2026-04-01 08:00", "2026-04-05 17:00", "2026-04-05 16:00"),  # on time (same day)
    rec(3, "2026-04-01 08:00", "2026-04-05 17:00", "2026-04-07 09:00", "online"),  # late
    rec(4, "2026-06-10 08:00", "2026-06-20 17:00"),  # pending in time at 14/06
    rec(5, "2026-05-01 08:00", "2026-05-10 17:00"),  # pending overdue
    rec(6, "2026-03-01 08:00", "2026-03-20 17:00", "2026-03-18 09:00", "postal"),  # carried over, early
    rec(7, "2026-03-01 08:00", "2026-03-10 17:00", "2026-03-09 09:00"),  # finished before window: out
    rec(8, "2026-06-15 08:00", "2026-06-20 17:00"),  # received after window: out
    rec(9, "2026-06-01 08:00", "2026-06-05 17:00", "2026-06-20 10:00"),  # finished after window end: overdue
])


def test_classification_at_window_end():
    c = classify(RECORDS.assign(unit_id=RECORDS["unit_id"].astype("string")), W)
    assert sorted(RECORDS.loc[c.index, "dossier_id"]) == ["H1", "H2", "H3", "H4", "H5", "H6", "H9"]
    by_id = c.assign(id=RECORDS.loc[c.index, "dossier_id"].to_numpy()).set_index("id")
    assert by_id.loc["H1", "early"] and by_id.loc["H2", "on_time"] and by_id.loc["H3", "late"]
    assert by_id.loc["H4", "pending_in_time"] and by_id.loc["H5", "pending_overdue"]
    assert by_id.loc["H6", "carried_over"] and by_id.loc["H6", "early"]
    assert by_id.loc["H9", "pending_overdue"]


def test_aggregate_to_catalog_codes():
    c = classify(RECORDS.assign(unit_id=RECORDS["unit_id"].astype("string")), W)
    stats, values = aggregate(c, "2026-Q2")
    v = dict(zip(values.code, values.value, strict=True))
    assert v["TTHC_HS_TONG"] == 7 and v["TTHC_HS_KYTRUOC"] == 1
    assert (v["TTHC_HS_TRUCTUYEN"], v["TTHC_HS_TRUCTIEP"], v["TTHC_HS_BUUCHINH"]) == (1, 5, 1)
    assert (v["TTHC_HS_GQ_TRUOCHAN"], v["TTHC_HS_GQ_DUNGHAN"], v["TTHC_HS_GQ_TREHAN"]) == (2, 1, 1)
    assert (v["TTHC_HS_DANGGQ_TRONGHAN"], v["TTHC_HS_DANGGQ_QUAHAN"]) == (1, 2)
    assert v["TTHC_HS_TREHAN_TONG"] == 3
    assert stats["received"].sum() == 7
