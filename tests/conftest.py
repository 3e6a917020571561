"""Shared fixtures: a new machine's environment, the shipped data ingested once, and tmp raw trees.

Before any test (nbval included), data/processed/ is brought up to date with data/raw/,
because the committed notebooks read it on their default parameters.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from cchc_lib import config
from cchc_lib.ingest.pipeline import ingest

# Every test runs as on a new machine: an empty HOME, matplotlib config, caches and XDG folders of its
# own (kernels and child processes inherit them). Set in pytest_configure, before anything imports
# matplotlib or Jupyter (importing cchc_lib.ingest.pipeline imports neither).
NEW_MACHINE = tempfile.mkdtemp(prefix="cchc-test-home-")
NEW_MACHINE_VARS = {"HOME": "home", "MPLCONFIGDIR": "mpl", "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config",
                    "XDG_DATA_HOME": "data", "IPYTHONDIR": "ipython"}


def pytest_configure(config):
    atexit.register(shutil.rmtree, NEW_MACHINE, True)
    for var, sub in NEW_MACHINE_VARS.items():
        os.environ[var] = os.path.join(NEW_MACHINE, sub)
        os.makedirs(os.environ[var], exist_ok=True)


FIXTURES = Path(__file__).parent / "fixtures"
GRID = [("tinh-mau", "2026-H1"), ("tp-hoa-binh", "2021-H1"), ("tp-bien-hoa", "2024-H1")]


def pytest_sessionstart(session):
    from cchc_lib.build.cli import raw_state

    state_path = config.PROCESSED_DIR / "build_state.json"
    state = raw_state()
    import json

    old = json.loads(state_path.read_text("utf-8")).get("state") if state_path.exists() else None
    if old != state or not (config.PROCESSED_DIR / "indicators.parquet").exists():
        result = ingest(config.RAW_DIR, config.PROCESSED_DIR)
        state_path.write_text(json.dumps({"state": state, "errors": len(result.errors)}), "utf-8")


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """Ingest data/raw/ as shipped into a temporary processed folder."""
    out = tmp_path_factory.mktemp("processed")
    return ingest(config.RAW_DIR, out), out


@pytest.fixture()
def raw_tree(tmp_path):
    """A minimal raw tree: the real units.csv and one valid form of xa-mau-01 (2026-H1)."""
    raw = tmp_path / "data" / "raw"
    (raw / "forms" / "2026-H1").mkdir(parents=True)
    (raw / "dossiers").mkdir()
    shutil.copy(config.UNITS_CSV, raw / "units.csv")
    (raw / "forms" / "2026-H1" / "xa-mau-01.csv").write_text(
        "indicator,value,note\nCD_KH_TONG,20,\nCD_KH_HOANTHANH,12,\nCD_KH_CHUADENHAN,8,\nCD_KH_KHONGDAT,0,\n", "utf-8")
    return raw


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The eight notebooks for three (unit, period) pairs, rendered to HTML and PDF, with the index."""
    from cchc_lib.build.index import write_index
    from cchc_lib.build.runner import run

    out = tmp_path_factory.mktemp("outputs")
    results = run(GRID, outputs_dir=out, jobs=2, progress=False)
    write_index(out)
    return out, results
