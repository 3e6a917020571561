"""Provenance of a report: the input files' hashes, the code version and the parameters (no wall-clock time)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

from cchc_lib import __version__, config, pages
from cchc_lib.domain.fmt import fmt_date
from cchc_lib.domain.units import Unit
from cchc_lib.reporting.context import Context
from cchc_lib.reporting.tables import table_data


def code_version() -> str:
    """The package version, the git commit when available, and a digest of the code the reports run.

    The digest covers the master report's facade and everything it imports, with the data and templates
    they read (cchc_lib.digest.of_code; the same code every notebook run's fingerprint holds, see
    cchc_lib.build.fingerprints.PROVENANCE_CODE), not the whole package: an index template or ingest edit
    changes no report. ``CCHC_CODE_VERSION`` replaces the whole text: comparing the outputs of two commits
    needs both builds to print the same version line.
    """
    from cchc_lib import digest as code_digest

    pinned = os.environ.get("CCHC_CODE_VERSION")
    if pinned:
        return pinned
    digest = code_digest.of_code(["cchc_lib.reporting.official"], config.PACKAGE_DIR, 12)
    commit = ""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=config.PROJ_ROOT,
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"cchc {__version__}" + (f", commit {commit}" if commit else "") + f", mã thư viện {digest}"


def _descendants(ctx: Context) -> list[Unit]:
    """Every unit below the report's unit in its period, level by level."""
    out, frontier = [], [ctx.unit.unit_id]
    while frontier:
        nxt = []
        for u in frontier:
            kids = ctx.ds.registry.children(u, ctx.period.code)
            out.extend(kids)
            nxt.extend(k.unit_id for k in kids)
        frontier = nxt
    return out


def input_fingerprint(ctx: Context) -> dict[str, str]:
    """Hashes of the raw files behind this unit and period (and of the processed rows used)."""
    units = {ctx.unit.unit_id} | {d.unit_id for d in _descendants(ctx)}
    files = {f: h for f, h in ctx.ds.hashes.items()
             if f.endswith("units.csv") or "dossiers/" in f
             or any(f.endswith(f"/{u}.xlsx") or f.endswith(f"/{u}.csv") for u in units)}
    rows = ctx.ds.indicators[ctx.ds.indicators["unit_id"].isin(units)]
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()[:16]
    files["(số liệu đã kiểm tra của đơn vị và đơn vị trực thuộc)"] = digest
    return dict(sorted(files.items()))


def provenance_data(ctx: Context, notebook: str) -> dict:
    """The parameters as JSON, the code version and the table of input hashes."""
    params = {"unit": ctx.unit.unit_id, "period": ctx.period.code, "notebook": notebook,
              "window": f"{fmt_date(ctx.window.start)} - {fmt_date(ctx.window.end)}"}
    if ctx.params_file:
        params["params"] = ctx.params_file
    rows = [[k, v] for k, v in input_fingerprint(ctx).items()]
    return {"params": json.dumps(params, ensure_ascii=False), "version": code_version(),
            "table": table_data(["Tệp đầu vào", "SHA-256 (16 ký tự đầu)"], rows,
                                table_id=ctx.tid(f"{notebook}-provenance"))}


def provenance_html(ctx: Context, notebook: str) -> str:
    """Provenance block: inputs with hashes, code version, parameters (no wall-clock time)."""
    return pages.render_fragment("reporting/provenance.html.j2", provenance=provenance_data(ctx, notebook))
