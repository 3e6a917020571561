"""Seed fidelity: whether a rebuilt report shows each figure a published report states, with its meaning.

A fidelity table (../shared/fidelity/seedNNN.md) lists, row by row, what a published report says ("Seed
says"), the figure ("Value") and the catalog indicator behind it. A row is shown when one text unit of
the rebuilt report (a sentence, a list item, a table row, a heading) holds the value and its meaning:
enough of the seed's own words, or the catalog label of its indicator. The check is the same for every
unit and report: nothing in it knows a seed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "div", "dt", "dd", "text",
          "title", "br", "table", "section"}
SKIPPED = {"style", "script", "metadata"}
NUMERIC = r"[\d.,%\s/−-]+"
ROW_NUMBER_HEADERS = {"stt", "tt", "#"}
CHART = "[biểu đồ] "
# The share of an indicator label's words a unit must hold (in a chart: many labels side by side), and of the
# seed's own words when the figure has no indicator.
LABEL_SHARE, CHART_LABEL_SHARE, WORDS_SHARE = 0.5, 0.8, 0.8
# Words that carry no meaning of their own in a report sentence.
STOPWORDS = set("""và các của có là được đã đang trong cho với tại trên theo từ đến này đó những một số như về
do để khi thì mà nên hay hoặc cũng vẫn còn ra vào lại đều bị tổng cộng gồm đạt chiếm tỷ lệ trong_đó đ/c""".split())


@dataclass(frozen=True)
class Row:
    """One figure of a fidelity table."""

    number: int
    section: str
    says: str
    value: str
    status: str
    catalog: str


def read_table(path: Path) -> list[Row]:
    """The figure rows of a fidelity table, as written (no row edited or dropped)."""
    rows = []
    for line in Path(path).read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[0].isdigit():
            rows.append(Row(int(cells[0]), cells[1], cells[2], cells[3], cells[4], cells[6]))
    return rows


class _Text(HTMLParser):
    """Visible text of a page in units.

    Units: blocks of text; each table cell with its row's label and its column's header; each chart (SVG)
    with all its labels.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._buf: list[str] = []
        self._skip = 0
        self._tables: list[list[str]] = []  # the header cells of each open table
        self._row: list[str] | None = None
        self._svg: list[str] | None = None
        self._groups: list[str] = []  # the ids of the open SVG groups (matplotlib names axis ticks xtick_N)

    def _text(self) -> str:
        text = " ".join("".join(self._buf).split())
        self._buf = []
        return text

    def _flush(self) -> None:
        if text := self._text():
            self.units.append(text)

    def _end_row(self) -> None:
        cells, self._row = self._row or [], None
        if not self._tables or not any(cells):
            return
        if not self._tables[-1]:
            self._tables[-1][:] = cells or [""]
            return
        header = self._tables[-1]
        label = next((c for c in cells if c and not re.fullmatch(NUMERIC, c)), "")
        for i, cell in enumerate(cells):
            column = header[i] if i < len(header) else ""
            if cell and cell != label and column.lower() not in ROW_NUMBER_HEADERS:
                self.units.append(f"{label} | {column} | {cell}")

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skip += 1
        elif tag == "svg":
            self._flush()
            self._svg, self._groups = [], []
        elif tag == "g" and self._svg is not None:
            self._groups.append(dict(attrs).get("id") or "")
        elif tag == "table":
            self._flush()
            self._tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._buf = []
        elif tag in BLOCKS and self._row is None and self._svg is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "svg" and self._svg is not None:
            self.units.append(CHART + " | ".join(self._svg))
            self._svg = None
        elif tag == "g" and self._svg is not None and self._groups:
            self._groups.pop()
        elif tag == "text" and self._svg is not None:
            text = self._text()
            on_axis = any(g.startswith(("xtick", "ytick")) for g in self._groups)
            if text and not (on_axis and re.fullmatch(NUMERIC, text)):  # an axis's numbers are no figure
                self._svg.append(text)
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(self._text())
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            if self._tables:
                self._tables.pop()
        elif tag in BLOCKS and self._row is None and self._svg is None:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)


def page_units(html: str) -> list[str]:
    """The text units of one page: blocks and table rows, and each block's sentences."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    units = []
    for block in parser.units:
        # a table cell or chart is one unit; text is cut into its sentences and their clauses (". ", "; ", ": ")
        units += [block] if " | " in block else [c for c in re.split(r"(?<=[.;:])\s+", block) if c]
    return [unicodedata.normalize("NFC", u) for u in units]


def report_units(unit_dir: Path) -> list[str]:
    """The text units of a unit's rebuilt report: the master report and its area pages."""
    return [u for page in sorted(Path(unit_dir).glob("*.html")) for u in page_units(page.read_text("utf-8"))]


def _number(text: str) -> str:
    # not inside a longer number, and not a period's length ("6 tháng đầu năm")
    return rf"(?<![\d.,/]){text}(?![\d/]|[.,]\d|\s*tháng\s+(?:đầu|cuối))"


def _parse(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def value_matchers(value: str, corrected: bool = False):
    """Tests of a text unit for ``value``: counts as written (6 or 06), rates to the stated decimals.

    A rate matches a written rate that rounds or truncates to it at the stated decimals (the seed's 96%
    for a computed 95,92%); a corrected row (``corrected``) also takes the rate one unit of the last
    stated decimal away (the seed's truncated 36,98% for a computed 36,99%).
    """
    matchers = []
    for part in re.findall(r"\d[\d.,]*(?:/\d[\d.]*)?%?", value):
        part = part.rstrip(".,")
        if part.endswith("%"):
            matchers.append(_rate_matcher(part[:-1], corrected))
        else:
            lead = "0?" if re.fullmatch(r"\d", part) else ""
            pattern = re.compile(_number(lead + re.escape(part)))
            matchers.append(pattern.search)
    return matchers


def _rate_matcher(stated: str, corrected: bool):
    decimals = len(stated.partition(",")[2])
    target, step = _parse(stated), 10 ** -decimals
    written = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d+)?)\s*%")

    def test(unit: str) -> bool:
        for found in written.finditer(unit):
            x = _parse(found.group(1))
            if (round(x, decimals) == round(target, decimals) or math.floor(x / step + 1e-9) * step == target
                    or (corrected and abs(x - target) <= step + 1e-9)):
                return True
        return False
    return test


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text).lower())
            if w not in STOPWORDS and len(w) > 1]


def means(unit: str, row: Row, labels: dict[str, str]) -> bool:
    """True when ``unit`` carries the row's meaning: its indicator's label, or (no indicator) most of the seed's words."""
    have = set(_words(unit))
    codes = [c for c in re.findall(r"[A-Z][A-Z0-9_]{3,}", row.catalog) if c in labels]
    if codes:  # an indicator's figure means what its label says (a long label may be cut short in a header)
        share = CHART_LABEL_SHARE if unit.startswith(CHART) else LABEL_SHARE
        return any(sum(w in have for w in _words(labels[c])) >= math.ceil(share * len(_words(labels[c])))
                   for c in codes)
    if unit.startswith(CHART):
        return False  # a chart holds many labels and numbers: only an indicator's label ties a number to it
    said = list(dict.fromkeys(_words(row.says)))
    return bool(said) and sum(w in have for w in said) >= max(1, math.ceil(WORDS_SHARE * len(said)))


def shows(row: Row, units: list[str], labels: dict[str, str]) -> str:
    """The text unit that shows the row's value with its meaning ("" when none does)."""
    matchers = value_matchers(row.value, corrected=row.status == "C")
    if not matchers:
        return ""
    for unit in units:
        if any(m(unit) for m in matchers) and means(unit, row, labels):
            return unit
    return ""


def measure(table: Path, unit_dir: Path, labels: dict[str, str]) -> list[tuple[Row, str]]:
    """Each row of ``table`` with the text unit of the report in ``unit_dir`` that shows it ("" if none)."""
    units = report_units(unit_dir)
    return [(row, shows(row, units, labels)) for row in read_table(table)]
