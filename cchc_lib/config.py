"""Project paths, derived once from the project root."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = Path(os.environ.get("CCHC_ROOT", PACKAGE_DIR.parent)).resolve()

DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REJECTS_DIR = PROCESSED_DIR / "rejects"
FORMS_DIR = RAW_DIR / "forms"
DOSSIERS_DIR = RAW_DIR / "dossiers"
UNITS_CSV = RAW_DIR / "units.csv"

PARAMS_DIR = PROJ_ROOT / "params"
TARGETS_YAML = PARAMS_DIR / "targets.yaml"
REPORT_PARAMS_DIR = PARAMS_DIR / "reports"
INGEST_YAML = PARAMS_DIR / "ingest.yaml"  # the ingest's settings (the dossier date bound)

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
OUTPUTS_DIR = PROJ_ROOT / "outputs"

CATALOG_YAML = PACKAGE_DIR / "domain" / "catalog.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
NBCONVERT_TEMPLATES_DIR = TEMPLATES_DIR / "nbconvert"


def processed_paths(processed_dir: Path | None = None) -> dict[str, Path]:
    """Return the paths of every processed table under ``processed_dir``."""
    base = Path(processed_dir) if processed_dir else PROCESSED_DIR
    return {
        "units": base / "units.parquet",
        "indicators": base / "indicators.parquet",
        "dossier_stats": base / "dossier_stats.parquet",
        "issues": base / "validation_report.json",
        "report_html": base / "validation_report.html",
        "rejects": base / "rejects",
        "unit_catalog": base / "unit_catalog.yaml",  # the units' own indicators (params/catalog/), as checked
    }
