"""Reporting periods: codes, data windows, Vietnamese labels and comparisons.

Windows follow the CCHC reporting regime (Nghị định 09/2019/NĐ-CP): data run
from the 15th of the last month of the previous period to the 14th of the last
month of this one; H1, 9M and Y are cumulative from 15/12 of the previous year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cchc_lib.exceptions import PeriodError

_CODE_RE = re.compile(r"^(\d{4})-(Q1|Q2|Q3|Q4|H1|9M|Y)$")
_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}
# Kind -> (first month of window counted from December of previous year, last month)
_END_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "9M": 9, "Y": 12}
_ORDER = {"Q1": 0, "H1": 1, "Q2": 1, "Q3": 2, "9M": 2, "Q4": 3, "Y": 3}
_DUE_DAY = 20


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period, e.g. ``Period.parse("2024-H1")``."""

    year: int
    kind: str

    @classmethod
    def parse(cls, code: str) -> Period:
        """Parse a period code such as ``2024-H1``.

        >>> Period.parse("2024-Q3").label
        'quý III năm 2024'
        """
        match = _CODE_RE.match(str(code).strip())
        if not match:
            raise PeriodError(
                f"Mã kỳ báo cáo không hợp lệ: {code!r}. Dùng một trong các dạng "
                "YYYY-Q1, YYYY-Q2, YYYY-H1, YYYY-Q3, YYYY-9M, YYYY-Q4, YYYY-Y (ví dụ 2024-H1)."
            )
        return cls(int(match.group(1)), match.group(2))

    @property
    def code(self) -> str:
        """Return the period code, e.g. ``2024-H1``."""
        return f"{self.year}-{self.kind}"

    def __str__(self) -> str:
        return self.code

    @property
    def cumulative(self) -> bool:
        """Return True when the window starts at the beginning of the year."""
        return self.kind in {"H1", "9M", "Y", "Q1"}

    @property
    def start(self) -> dt.date:
        """First day of the default data window.

        >>> Period.parse("2024-H1").start
        datetime.date(2023, 12, 15)
        >>> Period.parse("2024-Q3").start
        datetime.date(2024, 6, 15)
        """
        if self.cumulative:
            return dt.date(self.year - 1, 12, 15)
        end_month = _END_MONTH[self.kind]
        return dt.date(self.year, end_month - 3, 15)

    @property
    def end(self) -> dt.date:
        """Last day of the default data window (inclusive).

        >>> Period.parse("2024-Y").end
        datetime.date(2024, 12, 14)
        """
        return dt.date(self.year, _END_MONTH[self.kind], 14)

    @property
    def due(self) -> dt.date:
        """Date the report is due (the 20th of the window's last month)."""
        return dt.date(self.year, _END_MONTH[self.kind], _DUE_DAY)

    @property
    def label(self) -> str:
        """Vietnamese label as used in report titles.

        >>> Period.parse("2024-H1").label
        '6 tháng đầu năm 2024'
        >>> Period.parse("2023-Y").label
        'năm 2023'
        """
        if self.kind in _ROMAN:
            return f"quý {_ROMAN[self.kind]} năm {self.year}"
        return {
            "H1": f"6 tháng đầu năm {self.year}",
            "9M": f"9 tháng năm {self.year}",
            "Y": f"năm {self.year}",
        }[self.kind]

    @property
    def title(self) -> str:
        """The label at the start of a heading or table header: first letter upper, Roman numerals kept.

        >>> Period.parse("2023-Q3").title, Period.parse("2023-Y").title
        ('Quý III năm 2023', 'Năm 2023')
        """
        label = self.label
        return label[:1].upper() + label[1:]

    @property
    def short_label(self) -> str:
        """Short label for chart axes, e.g. ``6T/2024`` or ``Q3/2024``."""
        return {
            "H1": f"6T/{self.year}",
            "9M": f"9T/{self.year}",
            "Y": f"Năm {self.year}",
        }.get(self.kind, f"{self.kind}/{self.year}")

    @property
    def next_label(self) -> str:
        """Label of what comes next, for section IV ("6 tháng cuối năm 2024")."""
        return {
            "Q1": f"quý II năm {self.year}",
            "Q2": f"quý III năm {self.year}",
            "H1": f"6 tháng cuối năm {self.year}",
            "Q3": f"quý IV năm {self.year}",
            "9M": f"quý IV năm {self.year}",
            "Q4": f"năm {self.year + 1}",
            "Y": f"năm {self.year + 1}",
        }[self.kind]

    def same_period_last_year(self) -> Period:
        """Return the same period of the previous year.

        >>> Period.parse("2026-H1").same_period_last_year().code
        '2025-H1'
        """
        return Period(self.year - 1, self.kind)

    def previous_report(self) -> Period:
        """Return the period of the previous regular report.

        The regular sequence is Q1, H1, Q3, Y (9M and Q2/Q4 map onto it).

        >>> Period.parse("2026-Q1").previous_report().code
        '2025-Y'
        >>> Period.parse("2026-Q3").previous_report().code
        '2026-H1'
        """
        sequence = ["Q1", "H1", "Q3", "Y"]
        position = _ORDER[self.kind]
        if position == 0:
            return Period(self.year - 1, "Y")
        return Period(self.year, sequence[position - 1])

    def trend(self, count: int = 4) -> list[Period]:
        """Return up to ``count`` comparable periods ending with this one.

        Cumulative kinds compare with the same kind of earlier years; quarters
        with the previous regular reports.
        """
        return [Period(self.year - i, self.kind) for i in range(count - 1, -1, -1)]

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Key that orders periods by the end of their windows."""
        return (self.end.year, self.end.month, 0 if self.cumulative else 1)


@dataclass(frozen=True)
class Window:
    """A data window: inclusive first and last day."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"Khoảng số liệu không hợp lệ: ngày kết thúc {self.end:%d/%m/%Y} "
                f"trước ngày bắt đầu {self.start:%d/%m/%Y}."
            )

    @property
    def label(self) -> str:
        """Vietnamese text for the report's data line.

        >>> Window(dt.date(2023, 12, 15), dt.date(2024, 6, 14)).label
        'số liệu từ ngày 15/12/2023 đến ngày 14/6/2024'
        """
        return (
            f"số liệu từ ngày {self.start.day:02d}/{self.start.month:02d}/{self.start.year} "
            f"đến ngày {self.end.day}/{self.end.month}/{self.end.year}"
        )


def window(period: Period | str, override: dict | None = None) -> Window:
    """Return the data window of ``period``, honouring a params override.

    >>> window("2021-H1", {"start": "2021-01-01", "end": "2021-06-09"}).end
    datetime.date(2021, 6, 9)
    """
    p = Period.parse(period) if isinstance(period, str) else period
    start, end = p.start, p.end
    if override:
        if override.get("start"):
            start = _as_date(override["start"])
        if override.get("end"):
            end = _as_date(override["end"])
    return Window(start, end)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise PeriodError(f"Ngày không hợp lệ: {value!r} (dùng dd/mm/yyyy hoặc yyyy-mm-dd).")


def sort_periods(codes: list[str]) -> list[str]:
    """Sort period codes by the end of their windows, cumulative first."""
    return sorted(codes, key=lambda c: Period.parse(c).sort_key)
