"""Seeded generator of the synthetic sample data (Tỉnh Mẫu): dossier records and forms.

Everything it writes is fictional and labelled as such. Run ``cchc sample`` to
regenerate data/raw/dossiers/ and the sample forms byte-for-byte.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from cchc_lib.config import RAW_DIR
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.sample_forms import write_forms

SEED = 20260101
FIRST_DAY = dt.date(2024, 12, 15)
EXPORT_DAY = dt.date(2026, 9, 14)

# field -> (share, processing days, late probability, fee-bearing probability)
FIELDS = {
    "Hộ tịch": (0.30, 3, 0.004, 0.35),
    "Chứng thực": (0.24, 1, 0.001, 0.95),
    "Đất đai": (0.14, 20, 0.070, 0.90),
    "Lao động - Thương binh và Xã hội": (0.10, 7, 0.010, 0.00),
    "Xây dựng": (0.06, 12, 0.040, 0.80),
    "Đăng ký kinh doanh": (0.08, 3, 0.008, 0.70),
    "Tư pháp": (0.05, 5, 0.012, 0.50),
    "Giáo dục và Đào tạo": (0.03, 10, 0.015, 0.10),
}
# unit -> (dossiers per working day, quality factor: multiplies late probability)
VOLUME = {
    "tinh-mau": (48, 1.4), "so-noi-vu-mau": (6, 0.8), "so-nnmt-mau": (14, 1.8),
    "phuong-mau-01": (30, 0.6), "phuong-mau-02": (26, 0.9), "phuong-mau-03": (22, 1.0),
    "phuong-mau-04": (20, 2.6), "xa-mau-01": (12, 0.7), "xa-mau-02": (10, 1.0),
    "xa-mau-03": (9, 1.2), "xa-mau-04": (8, 0.5), "xa-mau-05": (8, 3.0), "xa-mau-06": (7, 1.1),
    "xa-mau-07": (7, 0.9), "xa-mau-08": (6, 1.5), "xa-mau-09": (6, 1.0), "xa-mau-10": (5, 1.3),
    "xa-mau-11": (11, 1.1),
}
CSV_EXPORT_UNIT = "xa-mau-03"


def _units(raw_dir: Path) -> Registry:
    frame = pd.read_csv(raw_dir / "units.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    for flag in ("synthetic", "group"):
        frame[flag] = frame.get(flag, "0") == "1"
    return Registry(frame)


def generate_records(raw_dir: Path = RAW_DIR, seed: int = SEED, scale: float = 2.0,
                     last_day: dt.date = EXPORT_DAY) -> pd.DataFrame:
    """Generate canonical dossier records for every sample unit (vectorised, seeded)."""
    rng = np.random.default_rng(seed)
    registry = _units(raw_dir)
    days = pd.date_range(FIRST_DAY, last_day, freq="D")
    workdays = days[days.dayofweek < 5]
    frames = []
    field_names = list(FIELDS)
    shares = np.array([FIELDS[f][0] for f in field_names])
    shares = shares / shares.sum()
    for unit_id, (per_day, quality) in VOLUME.items():
        unit = registry[unit_id]
        alive = np.array([unit.valid_on(d.date()) for d in workdays])
        unit_days = workdays[alive]
        counts = rng.poisson(per_day * scale, len(unit_days))
        n = int(counts.sum())
        received = np.repeat(unit_days.values, counts) + (
            rng.integers(7 * 60, 17 * 60, n) * np.timedelta64(1, "m"))
        f_idx = rng.choice(len(field_names), n, p=shares)
        proc = np.array([FIELDS[f][1] for f in field_names])[f_idx]
        late_p = np.array([FIELDS[f][2] for f in field_names])[f_idx] * quality
        fee_p = np.array([FIELDS[f][3] for f in field_names])[f_idx]
        t = (received - np.datetime64(FIRST_DAY)) / np.timedelta64(1, "D") / 640.0
        due = received.astype("datetime64[D]") + proc * np.timedelta64(1, "D") + np.timedelta64(17, "h")
        u = rng.random(n)
        # early: finish within the allowed time; on time: on the due day; late: 1-20 days after
        early_cut = 0.62 + 0.1 * t
        finish_days = np.where(
            u < late_p, proc + rng.integers(1, 21, n),
            np.where(u < late_p + early_cut, np.floor(rng.random(n) * proc), proc))
        finished = received.astype("datetime64[D]") + finish_days.astype(int) * np.timedelta64(1, "D") + (
            rng.integers(8 * 60, 17 * 60, n) * np.timedelta64(1, "m"))
        finished = np.maximum(finished, received + np.timedelta64(20, "m"))
        # a few files stall for long (pending overdue at the window's end)
        stalled = rng.random(n) < 0.004 * quality
        finished = np.where(stalled, finished + rng.integers(30, 200, n) * np.timedelta64(1, "D"), finished)
        finished = finished.astype("datetime64[us]")
        open_mask = finished > np.datetime64(last_day + dt.timedelta(days=1))
        finished_series = pd.Series(finished).where(~open_mask)
        online_share = 0.35 + 0.40 * t + (0.05 if unit.level == "department" else 0)
        c = rng.random(n)
        channel = np.where(c < online_share, "online", np.where(c < online_share + 0.02, "postal", "direct"))
        fee = rng.random(n) < fee_p
        frames.append(pd.DataFrame({
            "dossier_id": [f"{unit_id.upper().replace('-', '')}-{i:07d}" for i in range(n)],
            "unit_id": unit_id,
            "procedure_code": [f"1.{1000 + k * 37:06d}" for k in f_idx],
            "field": np.array(field_names)[f_idx],
            "channel": channel,
            "received": received.astype("datetime64[us]"),
            "due": due.astype("datetime64[us]"),
            "finished": finished_series.astype("datetime64[us]"),
            "digitised": rng.random(n) < (0.25 + 0.6 * t),
            "paid_online": fee & (rng.random(n) < (0.15 + 0.55 * t)),
            "fee_bearing": fee,
            "online_service": rng.random(n) < 0.92,
        }))
    return pd.concat(frames, ignore_index=True)


def write_records(raw_dir: Path = RAW_DIR, seed: int = SEED) -> list[Path]:
    """Write the sample exports: one Parquet for the province, one CSV commune export."""
    records = generate_records(raw_dir, seed)
    out_dir = raw_dir / "dossiers"
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_part = records[records["unit_id"] == CSV_EXPORT_UNIT]
    main = records[records["unit_id"] != CSV_EXPORT_UNIT]
    pq = out_dir / "tinh-mau_mot-cua.parquet"
    main.to_parquet(pq, index=False, compression="zstd")
    # A commune export with the one-stop software's own headers, names instead of ids
    # (in NFD, as some exports write them) and Vietnamese dates and channel words.
    channel_vi = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}
    export = pd.DataFrame({
        "MaHoSo": csv_part["dossier_id"],
        "DonViXuLy": unicodedata.normalize("NFD", "Xã Mẫu 03"),
        "MaTTHC": csv_part["procedure_code"],
        "LinhVuc": csv_part["field"],
        "KenhThucHien": csv_part["channel"].map(channel_vi),
        "NgayTiepNhan": csv_part["received"].dt.strftime("%d/%m/%Y %H:%M:%S"),
        "NgayHenTra": csv_part["due"].dt.strftime("%d/%m/%Y %H:%M:%S"),
        "NgayKetThucXuLy": csv_part["finished"].dt.strftime("%d/%m/%Y %H:%M:%S").fillna(""),
        "DaSoHoa": csv_part["digitised"].map({True: "Có", False: "Không"}),
        "ThanhToanTrucTuyen": csv_part["paid_online"].astype(int),
        "CoPhi": csv_part["fee_bearing"].astype(int),
        "CoDVCTT": csv_part["online_service"].astype(int),
    })
    csv_path = out_dir / f"{CSV_EXPORT_UNIT}_egov-export.csv"
    export.to_csv(csv_path, index=False, encoding="utf-8-sig")
    return [pq, csv_path]


def write_sample(raw_dir: Path = RAW_DIR, seed: int = SEED) -> list[Path]:
    """Regenerate all synthetic sample inputs: the dossier exports, then the forms (:mod:`~cchc_lib.ingest.sample_forms`).

    Parameters
    ----------
    raw_dir : Path
        The raw tree; its units.csv names the sample units.
    seed : int
        The sample's seed.

    Returns
    -------
    list of Path
        Every file written.
    """
    return write_records(raw_dir, seed) + write_forms(raw_dir, seed, _units(raw_dir))
