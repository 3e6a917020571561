"""Shared fixtures: a new machine's environment, a temporary project root, the shipped data ingested, tmp raw trees.

The whole suite runs under a temporary project root: pytest_configure copies data/raw, params and
notebooks into it, creates an empty data/processed and outputs, and points ``CCHC_ROOT`` at it before
anything imports ``cchc_lib.config`` (which reads it once, at import). At session start the shipped data
are ingested into the root's data/processed, because the committed notebooks (collected by nbval from the
repository's notebooks/, read-only) run on their default parameters and their kernels inherit
``CCHC_ROOT``. Nothing is written into the repository; the root is removed when the session ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ("tests.case_table",)  # the input cases' table (make hostile)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
GRID = [("tinh-mau", "2026-H1"), ("tp-hoa-binh", "2021-H1"), ("tp-bien-hoa", "2024-H1")]

# Every test runs as on a new machine: an empty HOME, matplotlib config, caches and XDG folders of its
# own (kernels and child processes inherit them). Set in pytest_configure, before anything imports
# matplotlib or Jupyter.
NEW_MACHINE_VARS = {"HOME": "home", "MPLCONFIGDIR": "mpl", "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config",
                    "XDG_DATA_HOME": "data", "IPYTHONDIR": "ipython"}
# Made by pytest_configure in one temporary folder: the new machine's folders, and the project root the tests
# (and the nbval kernels, and every child process) see as CCHC_ROOT.
NEW_MACHINE = ""
TEST_ROOT = Path()
COPIED = ("data/raw", "params", "notebooks")  # copies, not links: `cchc template/sample/notebooks` write there
EMPTY = ("data/processed", "outputs")


def make_root(root: Path) -> Path:
    """A project root with copies of the repository's inputs and empty build folders."""
    for rel in COPIED:
        shutil.copytree(REPO / rel, root / rel, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for rel in EMPTY:
        (root / rel).mkdir(parents=True)
    return root


def pytest_configure(config):
    global NEW_MACHINE, TEST_ROOT
    if "cchc_lib.config" in sys.modules:
        raise pytest.UsageError("cchc_lib.config was imported before tests/conftest.py set CCHC_ROOT")
    session_dir = Path(tempfile.mkdtemp(prefix="cchc-test-"))
    atexit.register(shutil.rmtree, session_dir, True)
    NEW_MACHINE, TEST_ROOT = str(session_dir / "machine"), session_dir / "root"
    for var, sub in NEW_MACHINE_VARS.items():
        os.environ[var] = os.path.join(NEW_MACHINE, sub)
        os.makedirs(os.environ[var], exist_ok=True)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # kernels and child processes write no __pycache__
    sys.dont_write_bytecode = True
    os.environ["CCHC_ROOT"] = str(make_root(TEST_ROOT))


def pytest_sessionstart(session):
    from cchc_lib import config
    from cchc_lib.ingest.pipeline import ingest

    assert config.PROJ_ROOT == TEST_ROOT.resolve(), config.PROJ_ROOT
    ingest(config.RAW_DIR, config.PROCESSED_DIR)  # a fresh root: no build_state.json, nothing to compare with


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """Ingest data/raw/ as shipped into a temporary processed folder."""
    from cchc_lib import config
    from cchc_lib.ingest.pipeline import ingest

    out = tmp_path_factory.mktemp("processed")
    return ingest(config.RAW_DIR, out), out


@pytest.fixture()
def raw_tree(tmp_path):
    """A minimal raw tree: the real units.csv and one valid form of xa-mau-01 (2026-H1)."""
    raw = tmp_path / "data" / "raw"
    (raw / "forms" / "2026-H1").mkdir(parents=True)
    (raw / "dossiers").mkdir()
    shutil.copy(REPO / "data" / "raw" / "units.csv", raw / "units.csv")
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
