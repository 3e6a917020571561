"""Vietnamese formatting of numbers, rates, money and dates, and NFC text keys.

Babel (CLDR data for ``vi_VN``) writes every number and date: the dot between thousands,
the decimal comma, the percent sign with no space before it, ``dd/MM/yyyy`` dates. What
Babel cannot do is kept here, each for a reason:

- rounding: Babel rounds half to even (``0,125`` -> ``0,12``), the reports round half up
  (:func:`round_half_up`, ``0,13``), so numbers reach Babel already rounded and Babel only
  writes them; a value that rounds to zero is written ``0``, never ``-0``;
- missing values: ``None`` and NaN read "chưa có số liệu" (never zero);
- percentage points carry ``+``, ``-`` or ``±`` and the words "điểm %" (:func:`fmt_pp`);
- money in đồng, triệu đồng or tỷ đồng (:func:`fmt_money`, :func:`fmt_value`);
- the long date of Nghị định 30/2020 ("ngày 05 tháng 02 năm 2024"): CLDR's Vietnamese long
  date is "5 tháng 2, 2024" and no CLDR pattern pads months below 3 only, so the pattern is
  chosen per month (:func:`fmt_long_date`);
- reading numbers back (:func:`parse_number`), which needs the column conventions of
  :mod:`cchc_lib.domain.number_text`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from cchc_lib.domain import number_text as numbers

MISSING_TEXT = "chưa có số liệu"
LOCALE = Locale.parse("vi_VN")

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def nfc(text: str) -> str:
    """Return ``text`` in NFC form, trimmed.

    >>> nfc("Hoa\u0300 Bi\u0300nh") == "Hoà Bình"
    True
    """
    return unicodedata.normalize("NFC", str(text)).strip()


def name_key(text: str) -> str:
    """Return a key that matches a Vietnamese name however it was typed.

    NFD or NFC input, old ("hoà") or new ("hòa") tone-mark placement, case and
    extra spaces all give the same key; different tones still differ.

    >>> name_key("Thành phố Hòa Bình") == name_key("THÀNH PHỐ HOÀ  BÌNH")
    True
    >>> name_key("Hòa") == name_key("Hóa")
    False
    """
    words = []
    for word in unicodedata.normalize("NFD", str(text)).lower().split():
        tones = "".join(c for c in word if c in _TONE_MARKS)
        base = "".join(c for c in word if c not in _TONE_MARKS)
        words.append(unicodedata.normalize("NFC", base) + tones)
    return " ".join(words)


def round_half_up(value: float, digits: int = 2) -> Decimal:
    """Round ``value`` half-up (not banker's rounding, not truncation).

    >>> round_half_up(76.92584, 2)
    Decimal('76.93')
    >>> round_half_up(0.125, 2)
    Decimal('0.13')
    """
    quant = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(quant, rounding=ROUND_HALF_UP)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded half-up, with a zero that lost its minus sign (Babel would write "-0")."""
    rounded = round_half_up(value, digits)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _pattern(min_digits: int, max_digits: int, suffix: str = "") -> str:
    """A CLDR number pattern grouping thousands with ``min_digits`` to ``max_digits`` decimals."""
    fraction = "0" * min_digits + "#" * (max_digits - min_digits)
    return "#,##0" + ("." + fraction if fraction else "") + suffix


def fmt_int(value: float | int | None) -> str:
    """Format a count with dots between thousands.

    >>> fmt_int(22296)
    '22.296'
    >>> fmt_int(None)
    'chưa có số liệu'
    """
    if _is_missing(value):
        return MISSING_TEXT
    return format_decimal(_rounded(value, 0), _pattern(0, 0), locale=LOCALE)


def fmt_num(value: float | None, digits: int = 2) -> str:
    """Format a decimal number Vietnamese-style, dropping a zero fraction.

    >>> fmt_num(1234.5)
    '1.234,5'
    >>> fmt_num(208986.0)
    '208.986'
    """
    if _is_missing(value):
        return MISSING_TEXT
    return format_decimal(_rounded(value, digits), _pattern(0, digits), locale=LOCALE)


def rate_value(numerator: float | None, denominator: float | None) -> float | None:
    """Return ``numerator / denominator`` in percent, or None when undefined.

    >>> round(rate_value(22109, 22296), 4)
    99.1613
    >>> rate_value(1, 0) is None
    True
    """
    if _is_missing(numerator) or _is_missing(denominator) or denominator == 0:
        return None
    return 100.0 * float(numerator) / float(denominator)


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """Format a percentage half-up with a decimal comma, always two decimals.

    >>> fmt_pct(99.16128453534266)
    '99,16%'
    >>> fmt_pct(100)
    '100,00%'
    """
    if _is_missing(value):
        return MISSING_TEXT
    # A percent pattern multiplies by 100: the rounded percentage is divided back first (exactly).
    return format_percent(_rounded(value, digits).scaleb(-2), _pattern(digits, digits, "%"), locale=LOCALE)


def fmt_rate(numerator: float | None, denominator: float | None) -> str:
    """Format the rate of two counts.

    >>> fmt_rate(16135, 20974)
    '76,93%'
    >>> fmt_rate(852, 3734)
    '22,82%'
    """
    return fmt_pct(rate_value(numerator, denominator))


def fmt_pp(value: float | None) -> str:
    """Format a change in percentage points with its sign.

    >>> fmt_pp(1.5)
    '+1,50 điểm %'
    >>> fmt_pp(-0.001), fmt_pp(-2)
    ('±0,00 điểm %', '-2,00 điểm %')
    """
    if _is_missing(value):
        return "không có kỳ so sánh"
    rounded = _rounded(value, 2)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "±")
    return f"{sign}{format_decimal(abs(rounded), _pattern(2, 2), locale=LOCALE)} điểm %"


def fmt_money(value_dong: float | None, scale: str = "auto") -> str:
    """Format an amount in đồng as đồng, triệu đồng or tỷ đồng.

    >>> fmt_money(208_986_000_000, "triệu")
    '208.986 triệu đồng'
    >>> fmt_money(243_000_000_000)
    '243 tỷ đồng'
    >>> fmt_money(100_000_000, "đồng")
    '100.000.000 đồng'
    """
    if _is_missing(value_dong):
        return MISSING_TEXT
    value = float(value_dong)
    if scale == "auto":
        scale = "tỷ" if abs(value) >= 1e9 else ("triệu" if abs(value) >= 1e6 else "đồng")
    if scale == "tỷ":
        return f"{fmt_num(value / 1e9, 2)} tỷ đồng"
    if scale == "triệu":
        return f"{fmt_num(value / 1e6, 2)} triệu đồng"
    return f"{fmt_int(value)} đồng"


def fmt_value(value: float | None, unit: str) -> str:
    """Format a catalog value according to its unit of measure.

    >>> fmt_value(22296, "hồ sơ")
    '22.296 hồ sơ'
    >>> fmt_value(208986, "triệu đồng"), fmt_value(243000, "triệu đồng")
    ('208.986 triệu đồng', '243 tỷ đồng')
    """
    if _is_missing(value):
        return MISSING_TEXT
    if unit == "đồng":
        return fmt_money(value)
    if unit == "triệu đồng":
        # Whole billions read as "243 tỷ đồng"; anything else keeps every digit in millions.
        whole_billions = abs(value) >= 1000 and float(value) % 1000 == 0
        return fmt_money(value * 1e6, "tỷ" if whole_billions else "triệu")
    if unit == "%":
        return fmt_pct(value)
    return f"{fmt_int(value)} {unit}"


def fmt_date(day: dt.date | None) -> str:
    """Format a date as dd/mm/yyyy.

    >>> fmt_date(dt.date(2024, 6, 14))
    '14/06/2024'
    """
    if day is None:
        return MISSING_TEXT
    return format_date(day, "dd/MM/yyyy", locale=LOCALE)


def fmt_long_date(day: dt.date) -> str:
    """Format a date for an official header (Nghị định 30/2020, Phụ lục I).

    Days below 10 and months below 3 take a leading zero (no CLDR pattern says "pad months
    below 3 only", so the month's pattern is chosen here).

    >>> fmt_long_date(dt.date(2024, 6, 14))
    'ngày 14 tháng 6 năm 2024'
    >>> fmt_long_date(dt.date(2024, 2, 5))
    'ngày 05 tháng 02 năm 2024'
    """
    month = "MM" if day.month < 3 else "M"
    return format_date(day, f"'ngày' dd 'tháng' {month} 'năm' y", locale=LOCALE)


_LEGACY_DOT_DECIMAL = re.compile(r"^[+-]?[0-9]+\.[0-9]{1,2}$")


def parse_number(text: object) -> float | None:
    """Parse one number as Vietnamese analysts type it; blank means missing.

    Dots group digits by three, the comma is the decimal mark; a value that reads two
    ways ("22.296", "1,234") takes the Vietnamese reading, so that the output of
    :func:`fmt_int` and :func:`fmt_num` reads back. A lone dot followed by one or two
    digits ("12.5") is a decimal point, as spreadsheets write it. Any other value that
    only a dot decimal explains ("234708.830632") needs its column to be read safely
    (:mod:`cchc_lib.domain.number_text`) and is refused here, as is scientific notation.

    >>> parse_number("22.296")
    22296.0
    >>> parse_number("1.234,5")
    1234.5
    >>> parse_number("") is None
    True
    >>> parse_number(17002)
    17002.0
    >>> parse_number("234708.830632")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cchc_lib.domain.number_text.NumberError: '234708.830632' có thể là 234.708.830.632 theo cách viết Việt Nam ...
    """
    if isinstance(text, str):
        core = numbers.clean(text)[0]
        if _LEGACY_DOT_DECIMAL.match(core):
            return numbers.parse(core, numbers.DOT)
    return numbers.parse(text, numbers.VN)
