"""Seeded sample forms (Tỉnh Mẫu): consistent, plausible values per unit and period, as XLSX or CSV.

Everything is fictional and labelled as such. The random draws happen in a fixed order, so the
same seed writes the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np

from cchc_lib.domain.catalog import load_catalog
from cchc_lib.domain.periods import Period
from cchc_lib.domain.units import Registry
from cchc_lib.ingest.form_template import fill_template, write_template

FORM_PERIODS = ["2025-Q1", "2025-H1", "2025-Q3", "2025-Y", "2026-Q1", "2026-H1", "2026-Q3"]
PROGRESS = {"Q1": 0.25, "H1": 0.5, "Q3": 0.75, "9M": 0.75, "Y": 1.0}  # share of the year's work done


def _split(rng: np.random.Generator, total: int, weights: list[float]) -> list[int]:
    weights = np.array(weights, dtype=float) / sum(weights)
    parts = np.floor(weights * total).astype(int)
    parts[0] += total - parts.sum()
    rng.shuffle(parts[1:])
    return [int(p) for p in parts]


def form_values(unit_id: str, level: str, period: Period, rng: np.random.Generator) -> dict[str, float]:
    """Return consistent, plausible form values for one unit and period.

    Parameters
    ----------
    unit_id : str
        The unit (its values depend on ``level`` and ``rng`` only).
    level : str
        "province", "department", "commune", ...: sets the orders of magnitude.
    period : Period
        The period: how much of the year's plans is done.
    rng : Generator
        The seeded draws, taken area by area in a fixed order.

    Returns
    -------
    dict
        Indicator code -> value, area by area.
    """
    progress = PROGRESS[period.kind]
    big = level == "province"
    v = _direction(rng, progress, big)
    v |= _institutions_and_procedures(rng, progress, big, level)
    v |= _apparatus_and_civil_service(rng, progress, big, level, period)
    v |= _finance_and_digital(rng, progress, big, level, int(v["TTHC_CONGKHAI"]))
    return {k: float(x) for k, x in v.items()}


def _direction(rng: np.random.Generator, progress: float, big: bool) -> dict[str, float]:
    """Plans, assigned tasks, inspections, communication, rewards (CD_*)."""
    v: dict[str, float] = {}
    total = int(rng.integers(38, 52) if big else rng.integers(18, 30))
    done = int(round(total * min(1.0, progress * rng.uniform(0.85, 1.05))))
    bad = int(rng.integers(0, 3)) if done < total else 0
    bad = min(bad, total - done)
    v |= {"CD_KH_TONG": total, "CD_KH_HOANTHANH": done, "CD_KH_KHONGDAT": bad,
          "CD_KH_CHUADENHAN": total - done - bad}
    given = int(rng.integers(60, 260) if big else rng.integers(15, 60))
    ht_late = int(rng.integers(0, 4))
    open_ = int(round(given * rng.uniform(0.05, 0.2)))
    overdue = int(rng.integers(0, 3))
    overdue = min(overdue, open_)
    v |= {"CD_GIAO_TONG": given, "CD_GIAO_HOANTHANH": given - open_,
          "CD_GIAO_HT_DUNGHAN": given - open_ - ht_late, "CD_GIAO_HT_QUAHAN": ht_late,
          "CD_GIAO_CHUAHT": open_, "CD_GIAO_CHUAHT_TRONGHAN": open_ - overdue,
          "CD_GIAO_CHUAHT_QUAHAN": overdue}
    scope = 30 if big else 8
    v |= {"CD_KT_PHAMVI": scope, "CD_KT_DONVI": int(round(scope * min(1, progress * rng.uniform(0.6, 1.2)))),
          "CD_TUYENTRUYEN": int(rng.integers(20, 140) * (3 if big else 1)),
          "CD_KHENTHUONG_TAPTHE": int(rng.integers(0, 8)), "CD_KHENTHUONG_CANHAN": int(rng.integers(0, 15)),
          "CD_NHACNHO": int(rng.integers(0, 5)), "CD_PHEBINH": int(rng.integers(0, 2))}
    return v


def _institutions_and_procedures(rng: np.random.Generator, progress: float, big: bool,
                                 level: str) -> dict[str, float]:
    """Legal documents (TC_*) and administrative procedures, controls and feedback (TTHC_*)."""
    v: dict[str, float] = {}
    v |= {"TC_VB_BANHANH": int(rng.integers(0, 12 if big else 3)),
          "TC_VB_TUKIEMTRA": int(rng.integers(0, 12 if big else 3)),
          "TC_VB_RASOAT": int(rng.integers(0, 30 if big else 6)),
          "TC_PBGDPL": int(rng.integers(3, 40))}
    v["TC_VB_SAICHINH"] = min(int(rng.integers(0, 2)), int(v["TC_VB_TUKIEMTRA"]))
    published = int(rng.integers(1600, 1750) if big else (rng.integers(140, 180) if level == "department" else rng.integers(110, 130)))
    v |= {"TTHC_CONGKHAI": published, "TTHC_RASOAT": int(published * rng.uniform(0.03, 0.12) * progress)}
    k_total = int(rng.integers(20, 35))
    k_done = int(round(k_total * progress * rng.uniform(0.8, 1.0)))
    k_not = int(rng.integers(0, 3)) if k_done < k_total else 0
    k_not = min(k_not, k_total - k_done)
    v |= {"TTHC_KSTT_TONG": k_total, "TTHC_KSTT_HOANTHANH": k_done, "TTHC_KSTT_CHUATH": k_not,
          "TTHC_KSTT_CHUADENHAN": k_total - k_done - k_not, "TTHC_KSTT_KHONGTHE": 0}
    pakn = int(rng.integers(5, 80) * (4 if big else 1))
    pakn_open = int(round(pakn * rng.uniform(0.0, 0.08)))
    v |= {"TTHC_PAKN_1022_TIEPNHAN": pakn, "TTHC_PAKN_1022_DAXULY": pakn - pakn_open,
          "TTHC_PAKN_1022_DANGXULY": pakn_open}
    portal = int(rng.integers(0, 20))
    v |= {"TTHC_PAKN_CONG_TIEPNHAN": portal, "TTHC_PAKN_CONG_DAXULY": portal - int(rng.integers(0, 2) if portal else 0)}
    return v


def _province_apparatus(rng: np.random.Generator, progress: float, period: Period) -> dict[str, float]:
    """The province's agencies, staffing quotas and autonomous public service units (BM_*, TCC_*)."""
    v: dict[str, float] = {}
    dvsn = int(rng.integers(180, 200))
    v |= {"BM_CQCM": 14, "BM_DVSN": dvsn}
    v |= dict(zip(["BM_DVSN_MAMNON", "BM_DVSN_TIEUHOC", "BM_DVSN_THCS", "BM_DVSN_KHAC"],
                  _split(rng, dvsn, [0.3, 0.35, 0.25, 0.1]), strict=True))
    v |= {"BM_BC_CC_GIAO": 1450, "BM_BC_CC_CO": int(rng.integers(1350, 1440)),
          "BM_LANHDAO": int(rng.integers(300, 340)), "BM_CBCC_CQCM": int(rng.integers(980, 1020)),
          "BM_TINHGIAN_CHITIEU": 40, "BM_TINHGIAN_DAT": int(round(40 * progress * rng.uniform(0.7, 1.0)))}
    vc_gd, vc_k = 9800, 2100
    v |= {"BM_BC_VC_GIAO": vc_gd + vc_k, "BM_BC_VC_GIAO_GD": vc_gd, "BM_BC_VC_GIAO_KHAC": vc_k}
    co_gd, co_k = vc_gd - int(rng.integers(50, 200)), vc_k - int(rng.integers(10, 80))
    v |= {"BM_BC_VC_CO": co_gd + co_k, "BM_BC_VC_CO_GD": co_gd, "BM_BC_VC_CO_KHAC": co_k,
          "BM_DVHC_CAPXA": 13 if period.year >= 2026 else 14}
    tc = int(rng.integers(150, 170))
    parts = _split(rng, int(tc * 0.97), [0.05, 0.1, 0.25, 0.6])
    v |= {"TCC_DVSN_TONG": tc, "TCC_DVSN_TUCHU": sum(parts)}
    v |= dict(zip(["TCC_DVSN_TUCHU_CHITXDT", "TCC_DVSN_TUCHU_CHITX", "TCC_DVSN_TUCHU_MOTPHAN",
                   "TCC_DVSN_NHANUOC"], parts, strict=True))
    v |= {"TCC_CQHC_TONG": 16, "TCC_CQHC_KHOAN": 16}
    return v


def _apparatus_and_civil_service(rng: np.random.Generator, progress: float, big: bool, level: str,
                                 period: Period) -> dict[str, float]:
    """Apparatus by level of government (BM_*), then civil service (CV_*)."""
    v: dict[str, float] = {}
    if big:
        v |= _province_apparatus(rng, progress, period)
    elif level == "commune":
        giao = int(rng.integers(20, 24))
        v |= {"BM_BC_XA_GIAO": giao, "BM_BC_XA_CO": giao - int(rng.integers(0, 3)),
              "BM_KCT_GIAO": int(rng.integers(10, 16))}
        cb = int(rng.integers(9, 12))
        cc = int(rng.integers(11, 14))
        v |= {"CV_CBXA_TONG": cb, "CV_CBXA_DATCHUAN": cb - int(rng.integers(0, 2)),
              "CV_CCXA_TONG": cc, "CV_CCXA_DATCHUAN": cc - int(rng.integers(0, 2))}
    else:
        v |= {"BM_BC_CC_GIAO": int(rng.integers(50, 70))}
        v["BM_BC_CC_CO"] = v["BM_BC_CC_GIAO"] - int(rng.integers(0, 5))
    v |= {"CV_TUYENDUNG": int(rng.integers(0, 30 if big else 3)), "CV_BONHIEM": int(rng.integers(0, 8 if big else 2)),
          "CV_DAOTAO": int(rng.integers(5, 400 if big else 25)), "CV_KYLUAT": int(rng.integers(0, 3))}
    return v


def _finance_and_digital(rng: np.random.Generator, progress: float, big: bool, level: str,
                         published: int) -> dict[str, float]:
    """Public finance (TCC_*) and digital government (CDS_*) for ``published`` procedures."""
    v: dict[str, float] = {}
    scale = 40 if big else (6 if level == "department" else 1)
    est = float(round(rng.uniform(8000, 15000) * scale))
    v |= {"TCC_THU_DUTOAN": est, "TCC_THU_NS": float(round(est * progress * rng.uniform(0.85, 1.2))),
          "TCC_CHI_DUTOAN": est * 1.1, "TCC_CHI_NS": float(round(est * 1.1 * progress * rng.uniform(0.8, 1.05)))}
    plan = float(round(rng.uniform(20000, 60000) * (scale if big else 1)))
    v |= {"TCC_DTC_KEHOACH": plan, "TCC_DTC_GIAINGAN": float(round(plan * progress * rng.uniform(0.55, 1.0))),
          "TCC_KINHPHI_CCHC": float(round(rng.uniform(50, 300) * (5 if big else 1)))}
    den = int(rng.integers(2000, 5000) * scale * progress) + 10
    di = int(rng.integers(600, 1500) * scale * progress) + 5
    v |= {"CDS_VB_DEN": den, "CDS_VB_DEN_DIENTU": int(den * rng.uniform(0.9, 0.995)),
          "CDS_VB_DI": di, "CDS_VB_DI_KYSO": int(di * rng.uniform(0.93, 1.0))}
    tthc = published
    full = int(tthc * rng.uniform(0.45, 0.6))
    part = int(tthc * rng.uniform(0.25, 0.35))
    v |= {"CDS_TTHC_TONG": tthc, "CDS_DVCTT_TTHC": full + part, "CDS_DVCTT_TOANTRINH": full,
          "CDS_DVCTT_MOTPHAN": part, "CDS_HOP_TRUCTUYEN": 15 if big else 1, "CDS_ISO_DONVI": 1}
    return v


# Units whose forms leave an area blank (missing, never zero), for the data notes.
MISSING_AREAS = {"xa-mau-07": ["public_finance"], "phuong-mau-04": ["digital_government", "civil_service"]}
CSV_FORM_UNITS = {"so-noi-vu-mau"}
TYPED_DOSSIERS = {("xa-mau-02", "2026-Q1"): 1500.0}


def write_forms(raw_dir: Path, seed: int, registry: Registry) -> list[Path]:
    """Write sample forms for every sample unit valid in each sample period.

    Parameters
    ----------
    raw_dir : Path
        The raw tree: forms go to ``forms/<period>/<unit>.xlsx`` (or .csv for :data:`CSV_FORM_UNITS`).
    seed : int
        The sample's seed; each unit and period draws from its own generator.
    registry : Registry
        The units; only synthetic ones get a form.

    Returns
    -------
    list of Path
        The forms written.
    """
    catalog = load_catalog()
    written = []
    for code in FORM_PERIODS:
        period = Period.parse(code)
        for unit in registry.units.values():
            if not unit.synthetic or not unit.valid_in(period):
                continue
            rng = np.random.default_rng([seed, period.year, period.end.month, sum(map(ord, unit.unit_id))])
            values = form_values(unit.unit_id, unit.level, period, rng)
            for area in MISSING_AREAS.get(unit.unit_id, []):
                for ind in catalog.in_area(area):
                    values.pop(ind.code, None)
            values = {k: x for k, x in values.items() if k in catalog}
            if (unit.unit_id, code) in TYPED_DOSSIERS:
                # A typed total that the records will contradict: ingest warns, records win.
                values["TTHC_HS_TONG"] = TYPED_DOSSIERS[(unit.unit_id, code)]
            folder = raw_dir / "forms" / code
            if unit.unit_id in CSV_FORM_UNITS:
                path = folder / f"{unit.unit_id}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                lines = ["indicator,value,note"] + [
                    f"{k},{_vn(x)},Dữ liệu mẫu (giả lập)" for k, x in values.items()]
                path.write_text("\n".join(lines) + "\n", "utf-8")
            else:
                path = folder / f"{unit.unit_id}.xlsx"
                write_template(path, unit, period, catalog)
                fill_template(path, values)
                _fix_zip_times(path)
            written.append(path)
    return written


def _vn(x: float) -> str:
    """Write a number as an analyst would type it in a CSV: "22.296" or "1.234,5"."""
    if float(x).is_integer():
        return f'"{int(x):,}"'.replace(",", ".")
    return f'"{x:,.1f}"'.replace(",", " ").replace(".", ",").replace(" ", ".")


def _fix_zip_times(path: Path) -> None:
    """Rewrite an XLSX with fixed zip timestamps and core dates (byte-stable sample)."""
    data = {}
    with zipfile.ZipFile(path) as zin:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                                 rb"<dcterms:\1\2>2026-01-01T00:00:00Z</dcterms:\1>", content)
            data[info.filename] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, content in data.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, content)

