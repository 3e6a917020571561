"""Product fingerprints: each edit changes exactly the products that depend on it (copies under tmp_path)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import nbformat
import pytest

from cchc_lib import config, digest
from cchc_lib.build import fingerprints
from cchc_lib.build.runner import NOTEBOOKS, TITLES
from cchc_lib.ingest.pipeline import ingest
from cchc_lib.reporting.dataset import Dataset

UNIT, PERIOD = "tp-hoa-binh", "2021-H1"
FORM = "indicator,value,note\nCD_KH_TONG,20,\nCD_KH_HOANTHANH,{done},\nCD_KH_CHUADENHAN,{open},\nCD_KH_KHONGDAT,0,\n"


@pytest.fixture()
def project(tmp_path):
    """A copied project root (params, notebooks; data/raw added by the tests) and a copied package tree."""
    root = tmp_path / "root"
    shutil.copytree(config.PARAMS_DIR, root / "params")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copy(config.UNITS_CSV, root / "data" / "raw" / "units.csv")
    package = tmp_path / "package" / "cchc_lib"
    shutil.copytree(config.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    return root, package


def products(root: Path, package: Path) -> dict[str, str]:
    """Every product's fingerprint for one unit and period, read afresh from the copies."""
    src = fingerprints.Sources.at(root, package)
    out = {"ingest": fingerprints.ingest(src)}
    manifest = {"tasks": {}}
    for nb in NOTEBOOKS:
        run = fingerprints.execution(src, UNIT, PERIOD, nb, rows="the unit's rows")
        kind = "official" if nb == "report" else "area"
        out[f"run:{nb}"] = run
        out[f"html:{nb}"] = fingerprints.html(src, run, f"{TITLES[nb]} - {UNIT} - {PERIOD}", kind)
        manifest["tasks"][f"{PERIOD}/{UNIT}/{nb}"] = {"status": "ok", "html": f"{nb}.html", "seconds": 1.0}
    out["pdf:report"] = fingerprints.pdf(src, out["html:report"])
    out["index"] = fingerprints.index(src, manifest, config.PROCESSED_DIR)
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k, fp in before.items() if after[k] != fp}


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


RUNS = {f"run:{nb}" for nb in NOTEBOOKS}
PAGES = {f"html:{nb}" for nb in NOTEBOOKS} | {"pdf:report"}


def test_same_inputs_same_fingerprints(project):
    assert products(*project) == products(*project)


def test_chart_helper_edit_reruns_every_charting_notebook_not_the_ingest_or_index(project):
    root, package = project
    before = products(root, package)
    append(package / "reporting" / "charts.py", "\n# a chart colour changed\n")
    # Every notebook draws charts (area notebooks: report.show(ctx, "charts"); report.ipynb: official.area_body).
    assert changed(before, products(root, package)) == RUNS | PAGES


def test_index_template_edit_rebuilds_only_the_index(project):
    root, package = project
    before = products(root, package)
    append(package / "templates" / "build" / "index.html.j2", "\n{# edited #}\n")
    assert changed(before, products(root, package)) == {"index"}


def test_stylesheet_edit_rerenders_without_re_executing(project):
    root, package = project
    before = products(root, package)
    append(package / "templates" / "cchc.css", "\n@media print { h1 { color: #000; } }\n")
    # Pages, the PDF and the index embed the stylesheet; so does the validation report written by the ingest.
    assert changed(before, products(root, package)) == PAGES | {"index", "ingest"}


def test_targets_edit_reruns_notebooks_not_the_ingest(project):
    root, package = project
    before = products(root, package)
    targets = root / "params" / "targets.yaml"
    targets.write_text(targets.read_text("utf-8").replace("threshold: 95", "threshold: 90", 1), "utf-8")
    assert changed(before, products(root, package)) == RUNS | PAGES


def test_ingest_code_edit_reingests_only(project):
    root, package = project
    before = products(root, package)
    append(package / "ingest" / "dossiers.py", "\n# a reader changed\n")
    assert changed(before, products(root, package)) == {"ingest"}


def test_one_params_file_reruns_that_unit_only(project):
    root, package = project
    src = fingerprints.Sources.at(root, package)
    others = fingerprints.execution(src, "tp-bien-hoa", "2024-H1", "report", "rows")
    mine = fingerprints.execution(src, UNIT, PERIOD, "report", "rows")
    append(root / "params" / "reports" / PERIOD / f"{UNIT}.yaml", "\n# edited\n")
    src = fingerprints.Sources.at(root, package)
    assert fingerprints.execution(src, "tp-bien-hoa", "2024-H1", "report", "rows") == others
    assert fingerprints.execution(src, UNIT, PERIOD, "report", "rows") != mine


def test_one_communes_form_reruns_it_and_its_ancestors_not_a_sibling(project, tmp_path):
    root, package = project
    forms = root / "data" / "raw" / "forms" / "2026-H1"
    forms.mkdir(parents=True)
    for unit in ("xa-mau-01", "xa-mau-02"):
        (forms / f"{unit}.csv").write_text(FORM.format(done=12, open=8), "utf-8")
    units = ("tinh-mau", "xa-mau-01", "xa-mau-02")

    def state(name: str) -> tuple[str, dict[str, str]]:
        ingest(root / "data" / "raw", tmp_path / name)
        ds = Dataset.load(tmp_path / name)
        src = fingerprints.Sources.at(root, package)
        rows = {u: fingerprints.unit_input_hash(ds, u) for u in units}
        return fingerprints.ingest(src), {u: fingerprints.execution(src, u, "2026-H1", "02_procedures", rows[u])
                                          for u in units}

    ingest_before, runs_before = state("before")
    (forms / "xa-mau-01.csv").write_text(FORM.format(done=13, open=7), "utf-8")
    ingest_after, runs_after = state("after")
    assert ingest_after != ingest_before
    assert {u for u in units if runs_after[u] != runs_before[u]} == {"xa-mau-01", "tinh-mau"}


def test_notebook_fingerprint_ignores_stored_outputs(project):
    root, _ = project
    path = root / "notebooks" / "02_procedures.ipynb"
    before = fingerprints.notebook_source(path)
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], 7
    nbformat.write(nb, str(path))
    assert fingerprints.notebook_source(path) == before  # `cchc notebooks` re-executed it: same run
    nb.cells[-1].source += "\n# edited"
    nbformat.write(nb, str(path))
    assert fingerprints.notebook_source(path) != before


@pytest.mark.parametrize("root", ["cchc_lib.reporting.official", "cchc_lib.ingest.pipeline",
                                  "cchc_lib.build.index", "cchc_lib.reporting.render"])
def test_import_closure_is_grimps_plus_parent_packages(root):
    graph = grimp.build_graph("cchc_lib", cache_dir=None)
    expected = graph.find_upstream_modules(root) | {root}
    found = digest.closure([root]).modules
    assert expected <= found
    assert all(m.count(".") <= 1 and digest.module_path(m).name == "__init__.py" for m in found - expected)


def test_every_notebook_imports_the_reporting_facade():
    src = fingerprints.Sources()
    for nb in NOTEBOOKS:
        source = "\n".join(c.source for c in nbformat.read(str(config.NOTEBOOKS_DIR / f"{nb}.ipynb"), 4).cells
                           if c.cell_type == "code")
        own, _ = digest.source_imports(source)
        assert "cchc_lib.reporting.report" in own, nb
    assert fingerprints.notebook_code(src, "00_direction") == fingerprints.notebook_code(src, "06_digital_government")


def test_every_package_data_file_belongs_to_a_product():
    roots = [fingerprints.INGEST_CODE, fingerprints.PROVENANCE_CODE, fingerprints.RENDER_CODE,
             fingerprints.INDEX_CODE]
    covered = {p for r in roots for p in digest.closure(r).files()}
    covered |= set(digest.tree_files(config.TEMPLATES_DIR / "build")) | set(digest.tree_files(config.TEMPLATES_DIR, "*"))
    data = [p for p in digest.tree_files(config.PACKAGE_DIR) if p.suffix not in {".py", ".txt", ".md"}]
    assert data and [p for p in data if p not in covered] == []


def test_provenance_line_digests_what_the_runs_depend_on(monkeypatch):
    from cchc_lib.reporting.report import code_version

    monkeypatch.delenv("CCHC_CODE_VERSION", raising=False)
    assert code_version().endswith(f"mã thư viện {digest.of_code(fingerprints.PROVENANCE_CODE, length=12)}")
    monkeypatch.setenv("CCHC_CODE_VERSION", "cchc (cố định)")
    assert code_version() == "cchc (cố định)"


def test_due_stages_follow_the_fingerprints(tmp_path):
    for rel in ("p/u/report.ipynb", "p/u/report.html", "p/u/report.pdf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    old = {"status": "ok", "fingerprint": "E", "html_fingerprint": "H", "pdf_fingerprint": "P",
           "html": "p/u/report.html", "pdf": "p/u/report.pdf"}

    def due(entry, e="E", h="H", p="P"):
        return fingerprints.due(entry, tmp_path, "p/u/report.ipynb", e, h, p)

    assert due(old) == []
    assert due({}) == ["execute", "html", "pdf"]
    assert due({**old, "status": "failed"}) == ["execute", "html", "pdf"]
    assert due(old, e="E2") == ["execute", "html", "pdf"]
    assert due(old, h="H2") == ["html", "pdf"]
    assert due(old, p="P2") == ["pdf"]
    assert due(old, p="") == []  # no PDF wanted: the page is current, the old PDF too
    assert due(old, h="H2", p="") == ["html"]
    (tmp_path / "p/u/report.pdf").unlink()
    assert due(old) == ["pdf"]


END_TO_END = """
import json, sys
from pathlib import Path
from cchc_lib.build.runner import run

out = Path(sys.argv[1])
statuses = []
def once():
    results = run([("tp-hoa-binh", "2021-H1")], notebooks=["02_procedures"], outputs_dir=out, jobs=1,
                  progress=False, pdf=False)
    statuses.append([(r.status, r.stages, r.error) for r in results])
once()
once()
targets = Path(sys.argv[2])
targets.write_text(targets.read_text("utf-8").replace("TTHC_TYLE_DUNGHAN:\\n  threshold: 95",
                                                      "TTHC_TYLE_DUNGHAN:\\n  threshold: 90"), "utf-8")
once()
print(json.dumps(statuses))
"""


def test_second_run_skips_and_a_targets_edit_reruns(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(config.PARAMS_DIR, root / "params")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(config.PROCESSED_DIR, root / "data" / "processed")
    env = {**os.environ, "CCHC_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-c", END_TO_END, str(root / "outputs"), str(root / "params/targets.yaml")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    first, second, third = json.loads(proc.stdout.strip().splitlines()[-1])
    assert first == [["ok", "execute,html", ""]]
    assert second == [["skipped", "", ""]]
    assert third == [["ok", "execute,html", ""]]
    manifest = json.loads((root / "outputs" / "manifest.json").read_text("utf-8"))
    assert list(manifest["tasks"]) == ["2021-H1/tp-hoa-binh/02_procedures"]
