"""Strict nbval passes on the committed notebook and fails when a stored figure changes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cchc_lib import config

SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")


def nbval(path, cwd, env=None):
    """Strict nbval of one notebook in a child pytest (``env``: the machine it runs on)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE),
                           "-o", "addopts=", str(path)], capture_output=True, text=True, cwd=cwd, timeout=600, env=env)


def test_nbval_catches_a_changed_figure(tmp_path):
    src = config.NOTEBOOKS_DIR / "02_procedures.ipynb"
    good = tmp_path / "good" / "02_procedures.ipynb"
    bad = tmp_path / "bad" / "02_procedures.ipynb"
    for p in (good, bad):
        p.parent.mkdir()
        shutil.copy(src, p)
    nb = json.loads(bad.read_text("utf-8"))
    changed = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data and "Tổng số hồ sơ tiếp nhận là" in "".join(data["text/html"]):
                html = "".join(data["text/html"])
                new = html.replace("Tổng số hồ sơ tiếp nhận là 64.389", "Tổng số hồ sơ tiếp nhận là 64.398")
                assert new != html
                data["text/html"] = new
                changed = True
    assert changed
    bad.write_text(json.dumps(nb, ensure_ascii=False), "utf-8")
    ok = nbval(good, tmp_path)
    assert ok.returncode == 0, ok.stdout[-2000:]
    fail = nbval(bad, tmp_path)
    assert fail.returncode != 0
    assert "64.389" in fail.stdout and "64.398" in fail.stdout


def test_notebook_kernels_run_under_the_temporary_root(tmp_path):
    """The committed notebooks' kernels read the session's temporary root, never the repository's folders."""
    import nbformat
    from nbclient import NotebookClient

    from .conftest import REPO, TEST_ROOT

    assert config.PROJ_ROOT == TEST_ROOT.resolve() != REPO
    assert (config.PROCESSED_DIR / "indicators.parquet").exists()  # ingested at session start
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from cchc_lib import config\nprint(config.PROJ_ROOT, config.PROCESSED_DIR, config.OUTPUTS_DIR, sep='\\n')")])
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0]["text"].split() == [str(config.PROJ_ROOT), str(config.PROCESSED_DIR),
                                                      str(config.OUTPUTS_DIR)]
