"""Memory benchmark: peak RSS of `cchc ingest` and `cchc validate` on one large generated dossier export.

Per kind (CSV, XLSX, Parquet export; `cchc validate` of the CSV) one seeded file of about the size is made
in a fresh project root (units.csv, forms, params; no shipped dossiers) and each command runs in its own
child, whose peak RSS is its own (``os.wait4``). Baselines: the floor (importing the ingest and pandas),
``pd.read_csv(path, dtype=str)``. An XLSX too slow to write (``--xlsx-seconds``) is measured at two
smaller sizes, with the slope. Verdict: ok at or under 1024 MB.

    .venv/bin/python benchmarks/bench_memory.py [--sizes-mb 200] [--kinds csv xlsx parquet validate] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cchc_lib.ingest.zip_guard import MAX_TOTAL

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIMIT_MB = 1024
CHUNK = 200_000
FIRST = 20_000  # the first chunk, from whose size the rows of the target are estimated
SEED = 10
MB = 2**20
HEADERS = ["MaHoSo", "DonViXuLy", "MaTTHC", "LinhVuc", "KenhThucHien", "NgayTiepNhan", "NgayHenTra",
           "NgayKetThucXuLy", "DaSoHoa", "ThanhToanTrucTuyen", "CoPhi", "CoDVCTT"]
PROCEDURES = [("1.001000", "Hộ tịch"), ("1.001037", "Chứng thực"), ("1.001111", "Lao động - Thương binh và Xã hội"),
              ("1.001259", "Giáo dục và Đào tạo"), ("1.001185", "Đăng ký kinh doanh"), ("1.004227", "Đất đai"),
              ("1.002255", "Xây dựng"), ("1.003003", "Tư pháp")]
CHANNELS = [("online", "Trực tuyến"), ("direct", "Trực tiếp"), ("postal", "Bưu chính công ích")]
FLOOR = [sys.executable, "-c", "import pandas, cchc_lib.ingest.pipeline"]
READ_CSV = [sys.executable, "-c", "import sys, pandas as pd; pd.read_csv(sys.argv[1], dtype=str)"]
# A child's peak RSS starts at its parent's size: a small launcher spawns it and reports os.wait4's figure.
LAUNCH = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[2:]); _, s, u = os.wait4(p.pid, 0); "
          "open(sys.argv[1], 'w').write(f'{u.ru_maxrss} {os.waitstatus_to_exitcode(s)}')")


def sample_units(units_csv: Path) -> list[tuple[str, str]]:
    """(unit_id, name) of the synthetic sample units still valid in 2026."""
    with units_csv.open(encoding="utf-8-sig") as f:
        return [(r["unit_id"], r["name"]) for r in csv.DictReader(f)
                if r.get("synthetic") == "1" and not r["valid_to"] and r["valid_from"] <= "2026-01-01"]


def typed_chunk(index: int, n: int, units: list[tuple[str, str]]) -> pd.DataFrame:
    """N seeded canonical dossier rows of 2026-H1 (chunk ``index``), typed as the shipped Parquet export.

    One row in a thousand is due before it was received, so the rejects are exercised too.
    """
    rng = np.random.default_rng([SEED, index])
    start = np.datetime64("2026-01-01T07:00:00", "s")
    received = start + rng.integers(0, 181 * 86400 - 12 * 3600, n).astype("timedelta64[s]")
    days = rng.integers(1, 15, n)
    due = received.astype("datetime64[D]") + days.astype("timedelta64[D]") + np.timedelta64(17, "h")
    due = np.where(rng.random(n) < 0.001, received - np.timedelta64(1, "D"), due)
    finished = received + (rng.integers(0, 86400, n) * (days + rng.integers(-1, 4, n)).clip(0)).astype("timedelta64[s]")
    proc, unit = rng.choice(np.array(PROCEDURES), n), rng.choice(np.array(units), n)
    chan = np.array(CHANNELS)[rng.choice(3, n, p=[0.56, 0.42, 0.02])]
    return pd.DataFrame({
        "dossier_id": pd.Series(np.arange(index * CHUNK, index * CHUNK + n)).astype(str).str.zfill(8).radd("HS-"),
        "unit_id": unit[:, 0], "unit_name": unit[:, 1], "procedure_code": proc[:, 0], "field": proc[:, 1],
        "channel": chan[:, 0], "channel_text": chan[:, 1],
        "received": received.astype("datetime64[us]"),
        "due": due.astype("datetime64[us]"),
        "finished": pd.Series(finished.astype("datetime64[us]")).where(rng.random(n) > 0.04),
        **{c: rng.random(n) < p for c, p in [("digitised", 0.55), ("paid_online", 0.1), ("fee_bearing", 0.45),
                                              ("online_service", 0.9)]},
    })


def export_chunk(typed: pd.DataFrame) -> pd.DataFrame:
    """The rows as the one-stop-shop software exports them: Vietnamese headers, dd/mm/yyyy HH:MM:SS text."""
    def when(col: str) -> pd.Series:
        seconds = pa.array(typed[col]).cast(pa.timestamp("s"))
        return pd.Series(pc.strftime(seconds, format="%d/%m/%Y %H:%M:%S").to_pandas())

    def bit(col: str) -> np.ndarray:
        return typed[col].to_numpy().astype(int)

    values = [typed["dossier_id"], typed["unit_name"], typed["procedure_code"], typed["field"], typed["channel_text"],
              when("received"), when("due"), when("finished"), np.where(typed["digitised"], "Có", "Không"),
              bit("paid_online"), bit("fee_bearing"), bit("online_service")]
    return pd.DataFrame({h: np.asarray(v) for h, v in zip(HEADERS, values, strict=True)})


def _chunks(target_bytes: float, size, units: list[tuple[str, str]], max_rows: int | None = None):
    """Chunks of rows until ``size()`` (bytes written) reaches the target or ``max_rows``; the last chunk is cut."""
    rows, index, limit = 0, 0, max_rows or float("inf")
    while size() < target_bytes and rows < limit:
        n = FIRST if not rows else min(CHUNK, max(1000, (target_bytes - size()) * rows / max(size(), 1) + 1))
        n = int(min(n, limit - rows))
        yield typed_chunk(index, n, units)
        rows, index = rows + n, index + 1


def write_csv(path: Path, target_mb: float, units: list[tuple[str, str]], max_rows: int | None = None) -> int:
    """Write about ``target_mb`` of export rows as UTF-8 CSV with a BOM (as the shipped export); return the rows."""
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        for typed in _chunks(target_mb * MB, f.tell, units, max_rows):
            export_chunk(typed).to_csv(f, index=False, header=rows == 0, lineterminator="\n")
            rows += len(typed)
    return rows


def write_parquet(path: Path, target_mb: float, units: list[tuple[str, str]], max_rows: int | None = None) -> int:
    """Write about ``target_mb`` (or ``max_rows``) of rows as Parquet, typed canonical columns as the shipped one."""
    rows, writer = 0, None
    try:
        for typed in _chunks(target_mb * MB, lambda: path.stat().st_size if path.exists() else 0, units, max_rows):
            table = pa.Table.from_pandas(typed.drop(columns=["unit_name", "channel_text"]), preserve_index=False)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            rows += len(typed)
    finally:
        if writer:
            writer.close()
    return rows


def write_xlsx(path: Path, rows: int, units: list[tuple[str, str]]) -> int:
    """Write ``rows`` export rows to an .xlsx with openpyxl's write-only mode (dates as text, as exported)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DanhSachHoSo")
    ws.append(HEADERS)
    for index, first in enumerate(range(0, rows, CHUNK)):
        frame = export_chunk(typed_chunk(index, min(CHUNK, rows - first), units)).astype(object)
        for row in frame.where(frame.notna(), None).itertuples(index=False, name=None):
            ws.append(row)
    wb.save(path)
    return rows


def run_child(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, int, str]:
    """Run ``cmd``: (seconds, peak RSS MB of that child alone, exit code (< 0: a traceback), last output line)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage"
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", LAUNCH, str(report), *cmd], env=env, cwd=cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        seconds = time.perf_counter() - t0
        maxrss_kb, code = map(int, report.read_text().split())
    lines = out.stdout.strip().splitlines()
    if "Traceback (most recent call last)" in out.stdout:
        code = -abs(code) or -1  # a crash, not the exit code of a finding
    return seconds, maxrss_kb / 1024, code, lines[-1][:150] if lines else ""


def make_root(root: Path) -> Path:
    """A fresh project root: data/raw (units.csv, forms; no dossiers), params, data/processed."""
    shutil.rmtree(root, ignore_errors=True)
    for sub in ("data/raw/forms", "params"):
        shutil.copytree(ROOT / sub, root / sub)
    (root / "data" / "raw" / "dossiers").mkdir()
    (root / "data" / "processed").mkdir()
    shutil.copy2(ROOT / "data" / "raw" / "units.csv", root / "data" / "raw" / "units.csv")
    return root


class Bench:
    """The work folder, the project root, the generated files and the rows of the table."""

    def __init__(self, work: Path, xlsx_seconds: float) -> None:
        self.work, self.xlsx_seconds = work, xlsx_seconds
        self.root = make_root(work / "root")
        self.dossiers = self.root / "data" / "raw" / "dossiers"
        self.units = sample_units(self.root / "data" / "raw" / "units.csv")
        self.env = os.environ | {"CCHC_ROOT": str(self.root)}
        self.table: list[dict] = []

    def record(self, label: str, path: Path | None, rows: int, result: tuple) -> dict:
        """One row of the table, printed at once with the command's last line."""
        seconds, peak, code, last = result
        row = {"input": label, "file_mb": path.stat().st_size / MB if path else 0.0, "rows": rows,
               "seconds": seconds, "peak_mb": peak, "exit": code}
        self.table.append(row)
        print(f"  {label}: {seconds:.1f} s, peak {peak:.0f} MB, exit {code}: {last}", flush=True)
        return row

    def ingest(self, label: str, path: Path, rows: int, command: str = "ingest") -> dict:
        """Move ``path`` alone into data/raw/dossiers, run `cchc <command>` on it, move it back."""
        inside = self.dossiers / path.name
        os.replace(path, inside)
        try:
            args = [str(BIN / "cchc"), command] + ([str(inside)] if command == "validate" else [])
            return self.record(label, inside, rows, run_child(args, self.env, cwd=self.root))
        finally:
            os.replace(inside, path)

    def generate(self, kind: str, mb: float, rows: int = 0) -> tuple[Path, int]:
        """The file of ``kind`` at ``mb`` (a CSV or Parquet of ``rows`` rows when given), reused when kept."""
        path = self.work / f"dossiers_{kind}_{f'{rows}rows' if rows and kind != 'xlsx' else f'{mb:g}mb'}.{kind}"
        t0 = time.perf_counter()
        if path.exists():
            rows = rows or self._count(path)
        elif kind == "xlsx":
            write_xlsx(path, rows, self.units)
        else:
            rows = (write_csv if kind == "csv" else write_parquet)(path, float("inf") if rows else mb, self.units,
                                                                    rows or None)
        print(f"generated {path.name}: {path.stat().st_size / MB:.1f} MB, {rows:,} rows "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
        return path, rows

    @staticmethod
    def _count(path: Path) -> int:
        with path.open("rb") as f:
            return pq.ParquetFile(path).metadata.num_rows if path.suffix == ".parquet" else sum(
                chunk.count(b"\n") for chunk in iter(lambda: f.read(MB), b"")) - 1

    def xlsx(self, mb: float) -> None:
        """The XLSX at ``mb``, or (if writing it is too slow) at two smaller sizes, with the slope."""
        probe = self.work / "probe.xlsx"
        t0 = time.perf_counter()
        write_xlsx(probe, 20_000, self.units)
        per_row_s, per_row_b = (time.perf_counter() - t0) / 20_000, probe.stat().st_size / 20_000
        with zipfile.ZipFile(probe) as z:
            inflated = sum(m.file_size for m in z.infolist()) / probe.stat().st_size
        probe.unlink()
        print(f"xlsx: {MB / per_row_b:,.0f} rows per MB; {mb:g} MB inflate to about {mb * inflated:,.0f} MB "
              f"(ingest refuses more than {MAX_TOTAL // MB} MB unread)", flush=True)
        rows, sizes = int(mb * MB / per_row_b), [mb]
        if rows * per_row_s > self.xlsx_seconds:
            small = min(50.0, self.xlsx_seconds / per_row_s * per_row_b / MB)
            sizes = [round(small / 2, 1), round(small, 1)]
            print(f"xlsx: {mb:g} MB would take {rows * per_row_s / 60:.0f} min to write; measuring "
                  f"{sizes[0]:g} and {sizes[1]:g} MB", flush=True)
        points = [self.ingest(f"cchc ingest xlsx {s:g} MB", *self.generate("xlsx", s, int(s * MB / per_row_b)))
                  for s in sizes]
        if len(points) == 2 and min(p["exit"] for p in points) >= 0:
            a, b = points
            slope = (b["peak_mb"] - a["peak_mb"]) / (b["file_mb"] - a["file_mb"])
            x = min(mb, MAX_TOTAL / inflated / MB)  # the zip guard lets ingest open no larger workbook
            print(f"xlsx slope: {slope:.1f} MB peak per MB of file; at {x:.0f} MB{' (the largest opened)' * (x < mb)}"
                  f": about {b['peak_mb'] + slope * (x - b['file_mb']):.0f} MB", flush=True)

    def run(self, mb: float, kinds: list[str]) -> None:
        self.record("floor (import ingest + pandas)", None, 0, run_child(FLOOR))
        if {"csv", "validate"} & set(kinds):
            path, rows = self.generate("csv", mb)
            self.record("pd.read_csv(dtype=str) of the CSV", path, rows, run_child([*READ_CSV, str(path)]))
            if "csv" in kinds:
                self.ingest("cchc ingest csv", path, rows)
            if "validate" in kinds:
                self.ingest("cchc validate csv", path, rows, "validate")
        if "parquet" in kinds:
            self.ingest("cchc ingest parquet", *self.generate("parquet", mb))
            if "csv" in kinds:  # the CSV's rows, typed: a Parquet export of the same dossiers
                self.ingest("cchc ingest parquet, CSV's rows", *self.generate("parquet", mb, rows))
        if "xlsx" in kinds:
            self.xlsx(mb)


def print_table(table: list[dict]) -> None:
    """The measured rows: input, file MB, rows, seconds, peak RSS MB, verdict."""
    print(f"\n{'input':<36} {'file MB':>8} {'rows':>11} {'seconds':>8} {'peak MB':>8} {'exit':>4}  verdict")
    for r in table:
        print(f"{r['input']:<36} {r['file_mb']:>8.1f} {r['rows']:>11,} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} "
              f"{r['exit']:>4}  {'CRASHED' if r['exit'] < 0 else 'ok' if r['peak_mb'] <= LIMIT_MB else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", nargs="+", type=float, default=[200.0], help="file size(s) to generate")
    parser.add_argument("--kinds", nargs="+", default=["csv", "xlsx", "parquet", "validate"],
                        choices=["csv", "xlsx", "parquet", "validate"])
    parser.add_argument("--keep", type=Path, help="work folder to keep (files are reused when present)")
    parser.add_argument("--xlsx-seconds", type=float, default=300.0, help="longest XLSX write before scaling down")
    args = parser.parse_args()
    work = (args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(work, args.xlsx_seconds)
    try:
        for mb in args.sizes_mb:
            bench.run(mb, args.kinds)
    finally:
        print_table(bench.table)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
