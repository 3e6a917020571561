"""Importing any cchc_lib module changes no global state (matplotlib settings, warnings, locale, fonts)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import json, locale, warnings
import matplotlib
from matplotlib import font_manager
before = {"rc": {k: repr(v) for k, v in matplotlib.rcParams.items()}, "backend": matplotlib.get_backend(),
          "warnings": repr(warnings.filters), "locale": locale.setlocale(locale.LC_ALL),
          "fonts": [f.fname for f in font_manager.fontManager.ttflist]}
import importlib, pkgutil, cchc_lib
names = sorted(m.name for m in pkgutil.walk_packages(cchc_lib.__path__, "cchc_lib."))
for name in names:
    importlib.import_module(name)
after = {"rc": {k: repr(v) for k, v in matplotlib.rcParams.items()}, "backend": matplotlib.get_backend(),
         "warnings": repr(warnings.filters), "locale": locale.setlocale(locale.LC_ALL),
         "fonts": [f.fname for f in font_manager.fontManager.ttflist]}
changed = {k: k for k in before if before[k] != after[k]}
rc = sorted(k for k in before["rc"] if before["rc"][k] != after["rc"].get(k))
print(json.dumps({"modules": names, "changed": sorted(changed), "rc": rc}))
"""


def test_importing_every_module_changes_no_global_state():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert "cchc_lib.reporting.charts" in found["modules"] and "cchc_lib.build.cli" in found["modules"]
    assert found["changed"] == [], found
    assert found["rc"] == []
