"""The provenance block: the hashes of the unit's input files, the pinned code version, the parameters."""

from __future__ import annotations

import hashlib
import json

from cchc_lib import config
from cchc_lib.reporting import report
from cchc_lib.reporting.provenance import input_fingerprint, provenance_data, provenance_html

ROWS = "(số liệu đã kiểm tra của đơn vị và đơn vị trực thuộc)"


def short_sha(rel: str) -> str:
    return hashlib.sha256((config.PROJ_ROOT / rel).read_bytes()).hexdigest()[:16]


def test_input_fingerprint_hashes_the_unit_files():
    ctx = report.load("xa-mau-07", "2026-H1")
    found = input_fingerprint(ctx)
    forms = [f"data/raw/forms/{p}/xa-mau-07.xlsx" for p in ("2025-H1", "2025-Q1", "2025-Q3", "2025-Y", "2026-H1",
                                                              "2026-Q1", "2026-Q3")]
    dossiers = ["data/raw/dossiers/tinh-mau_mot-cua.parquet", "data/raw/dossiers/xa-mau-03_egov-export.csv"]
    assert list(found) == sorted([ROWS, *dossiers, *forms, "data/raw/units.csv"])
    for rel in [*dossiers, *forms, "data/raw/units.csv"]:
        assert found[rel] == short_sha(rel), rel
    assert len(found[ROWS]) == 16 and all(c in "0123456789abcdef" for c in found[ROWS])
    assert "data/raw/forms/2026-H1/xa-mau-08.xlsx" not in found  # a sibling's form


def test_input_fingerprint_covers_the_descendants():
    found = input_fingerprint(report.load("tinh-mau", "2026-H1"))
    for unit in ("tinh-mau", "xa-mau-11", "phuong-mau-04", "so-noi-vu-mau"):
        assert any(f.startswith("data/raw/forms/") and f.rsplit("/", 1)[1].split(".")[0] == unit for f in found), unit


def test_provenance_data_fields(monkeypatch):
    monkeypatch.setenv("CCHC_CODE_VERSION", "cchc (phiên bản cố định)")
    ctx = report.load("xa-mau-07", "2026-H1")
    data = provenance_data(ctx, "02_procedures")
    assert json.loads(data["params"]) == {"unit": "xa-mau-07", "period": "2026-H1", "notebook": "02_procedures",
                                          "window": "15/12/2025 - 14/06/2026"}
    assert data["version"] == "cchc (phiên bản cố định)"
    table = data["table"]
    assert table["id"] == "xa-mau-07-2026-H1-02_procedures-provenance"
    assert [h["text"] for h in table["head"]] == ["Tệp đầu vào", "SHA-256 (16 ký tự đầu)"]
    assert [[c["text"] for c in r] for r in table["rows"]] == [[k, v] for k, v in input_fingerprint(ctx).items()]
    html = provenance_html(ctx, "02_procedures")
    assert "<p>Phiên bản mã: cchc (phiên bản cố định)</p>" in html
    assert f"<td>data/raw/units.csv</td><td>{short_sha('data/raw/units.csv')}</td>" in html
