"""The committed table of input cases (tests/hostile_cases.md, written by `make hostile`) and how it is made."""

from __future__ import annotations

import re
from pathlib import Path

from .case_table import KINDS, markdown, rows_text

TABLE = Path(__file__).parent / "hostile_cases.md"


def test_the_committed_table_holds_at_least_100_passing_cases_and_5_of_each_kind():
    text = TABLE.read_text("utf-8")
    summary = dict(re.findall(r"^\| (.+?) \| (\d+) \| \d+ \|$", text, re.M))
    assert set(summary) == set(KINDS.values())
    assert all(int(n) >= 5 for n in summary.values()), summary
    cases = [line for line in text.splitlines() if line.endswith(("| pass |", "| FAIL |"))
             and not line.startswith("| kind |")]
    assert len(cases) >= 100 and sum(map(int, summary.values())) == len(cases)
    assert not [c for c in cases if c.endswith("| FAIL |")]
    assert re.search(rf"\*\*{len(cases)} cases, {len(cases)} pass\.\*\*", text)


def test_rows_must_add_up():
    assert rows_text({"data/raw/x.csv": (3, 2, 1)}) == ("x.csv: 3 = 2 + 1", True)
    assert rows_text({"data/raw/x.csv": (3, 2, 0)})[1] is False


def test_the_table_groups_cases_by_kind_with_their_verdict():
    rows = [{"kind": "silent", "case": "b|c", "expected": "lỗi `x`", "exit": "1", "finding": "f", "rows": "r",
             "file": "test_hostile_forms.py", "verdict": "pass"},
            {"kind": "stops", "case": "a", "expected": "e", "exit": "–", "finding": "–", "rows": "–",
             "file": "test_bad_inputs.py", "verdict": "FAIL"}]
    text = markdown(rows)
    assert "**2 cases, 1 pass.**" in text and "| A figure changes silently | 1 | 1 |" in text
    assert "| A bad file stops every unit | 1 | 0 |" in text
    assert "| b\\|c (hostile_forms) | lỗi `x` | 1 | f | r | pass |" in text
    assert text.index("## A bad file stops every unit") < text.index("## A figure changes silently")
