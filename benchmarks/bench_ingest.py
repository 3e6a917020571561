"""Ingest benchmark: read, validate, classify and aggregate N generated dossier rows.

Prints rows, seconds per stage and peak memory for 1M and 10M rows (each size in
its own process so that peak memory is its own). A baseline in the same run: pandas'
plain read_parquet + one groupby of the same file, to judge the overhead of validation.

    .venv/bin/python benchmarks/bench_ingest.py [--sizes 1000000 10000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(n: int, path: Path, seed: int = 7) -> None:
    """Write n synthetic canonical dossier rows for the sample units to Parquet."""
    rng = np.random.default_rng(seed)
    units = np.array(["tinh-mau", "phuong-mau-01", "phuong-mau-02", "xa-mau-01", "xa-mau-02", "xa-mau-03",
                      "xa-mau-04", "xa-mau-05", "xa-mau-06", "xa-mau-07", "xa-mau-08", "xa-mau-11"])
    fields = np.array(["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Tư pháp", "Khác"])
    start = np.datetime64("2025-12-15T00:00", "m")
    received = start + rng.integers(0, 180 * 24 * 60, n).astype("timedelta64[m]")
    proc = rng.integers(1, 20, n)
    due = received.astype("datetime64[D]") + proc.astype("timedelta64[D]") + np.timedelta64(17, "h")
    fin_days = np.where(rng.random(n) < 0.05, proc + rng.integers(1, 10, n), rng.integers(0, proc + 1))
    finished = (received.astype("datetime64[D]") + fin_days.astype("timedelta64[D]")
                + np.timedelta64(16, "h")).astype("datetime64[us]")
    finished = pd.Series(finished).where(rng.random(n) > 0.03)
    frame = pd.DataFrame({
        "dossier_id": pd.Series(np.arange(n)).astype(str).radd("HS"),
        "unit_id": pd.Categorical(units[rng.integers(0, len(units), n)]),
        "field": pd.Categorical(fields[rng.integers(0, len(fields), n)]),
        "channel": pd.Categorical(np.array(["online", "direct", "postal"])[rng.choice(3, n, p=[.6, .38, .02])]),
        "received": received.astype("datetime64[us]"),
        "due": due.astype("datetime64[us]"),
        "finished": finished,
        "digitised": rng.random(n) < 0.6,
        "paid_online": rng.random(n) < 0.3,
        "fee_bearing": rng.random(n) < 0.5,
        "online_service": rng.random(n) < 0.9,
    })
    frame.to_parquet(path, index=False)


def measure(path: Path) -> dict:
    """Run the ingest stages on one file and return timings."""
    from cchc_lib.domain.periods import window
    from cchc_lib.ingest.check import load_registry
    from cchc_lib.ingest.dossiers import aggregate, classify, read_records

    registry = load_registry(ROOT / "data" / "raw" / "units.csv")
    t0 = time.perf_counter()
    base = pd.read_parquet(path)
    base.groupby(["unit_id", "field"], observed=True)["dossier_id"].count()
    t_base = time.perf_counter() - t0
    del base
    t0 = time.perf_counter()
    result = read_records(path, path.name, registry)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    classified = classify(result.records, window("2026-H1"), registry)
    stats, values = aggregate(classified, "2026-H1")
    t_agg = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {"rows": result.rows_in, "valid": len(result.records), "baseline_s": round(t_base, 2),
            "read_validate_s": round(t_read, 2), "classify_aggregate_s": round(t_agg, 2),
            "total_s": round(t_read + t_agg, 2), "peak_gib": round(peak, 2),
            "dossiers_in_window": int(stats["received"].sum())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[1_000_000, 10_000_000])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print(f"{'rows':>12} {'baseline s':>10} {'read+valid s':>12} {'classify+agg s':>14} {'total s':>8} "
          f"{'x baseline':>10} {'peak GiB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"records_{n}.parquet"
            generate(n, path)
            out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                                 check=True)
            m = json.loads(out.stdout.strip().splitlines()[-1])
            ratio = m["total_s"] / m["baseline_s"] if m["baseline_s"] else float("nan")
            print(f"{m['rows']:>12,} {m['baseline_s']:>10} {m['read_validate_s']:>12} "
                  f"{m['classify_aggregate_s']:>14} {m['total_s']:>8} {ratio:>10.1f} {m['peak_gib']:>8}")


if __name__ == "__main__":
    main()
