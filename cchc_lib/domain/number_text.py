"""Reading numbers typed as text, and the column conventions that make them unambiguous.

Two conventions exist. The Vietnamese one (the default, :data:`VN`): dots group digits
by three, the comma is the decimal mark (``22.296``, ``1.234,5``). The dot-decimal one
(:data:`DOT`): the dot is the decimal mark, commas group by three (``1,234,567.5``).
Spaces (ordinary, NBSP, narrow NBSP, thin) may group the integer part by three in both;
unusual characters are replaced first (:func:`~cchc_lib.domain.number_chars.clean`).

A text is classified by the readings it has under each convention:

- neutral: the same reading under both (``17002``, ``-0``, ``22 296``);
- VN evidence: readable only the Vietnamese way (``99,16``, ``1.234.567``, ``1.234,5``);
- dot evidence: readable only with a dot decimal (``12.5``, ``234708.830632``, ``1,234,567``);
- ambiguous: two different readings (``22.296``, ``1,234``).

A column with VN evidence only, or no evidence, is Vietnamese; dot evidence only makes it
dot-decimal; both make it mixed, and then every cell whose reading depends on the
convention is refused (:class:`NumberError`, rule ``ambiguous_number``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cchc_lib.domain.number_chars import clean

VN = "vn"
DOT = "dot"
MIXED = "mixed"

NEUTRAL = "neutral"
VN_EVIDENCE = "vn_evidence"
DOT_EVIDENCE = "dot_evidence"
AMBIGUOUS = "ambiguous"
SCIENTIFIC = "scientific"
NOT_A_NUMBER = "not_a_number"
# Beyond 2^53 a float no longer holds every integer: such a figure cannot be kept exactly.
EXACT_INTEGER_LIMIT = 2 ** 53

# How an analyst reads each convention's name (Vietnamese).
CONVENTION_LABEL = {
    VN: "cách viết Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)",
    DOT: "cách viết dấu chấm thập phân (dấu phẩy ngăn cách hàng nghìn)",
}


def _grammar(group: str, decimal: str) -> re.Pattern[str]:
    # ASCII digits only (\d would accept other scripts' digits). The integer part is grouped
    # by three with ``group`` or with spaces, or not grouped; the first group has no leading 0.
    lead = "[1-9][0-9]{0,2}"
    integer = f"(?P<int>{lead}(?:{group}[0-9]{{3}})+|{lead}(?: [0-9]{{3}})+|[0-9]+)"
    return re.compile(f"^(?P<sign>[+-]?){integer}(?:{decimal}(?P<frac>[0-9]+))?$")


_GRAMMAR = {VN: _grammar(r"\.", ","), DOT: _grammar(",", r"\.")}
_MARKS = {VN: (".", ","), DOT: (",", ".")}  # convention -> (group mark, decimal mark)
_SCIENTIFIC = re.compile(r"^[+-]?[0-9][0-9.,]*[eE][+-]?[0-9]+$")


class NumberError(ValueError):
    """A text that cannot be read as one number; ``rule`` says why.

    ``rule`` is ``not_a_number``, ``scientific_notation`` or ``ambiguous_number``;
    ``readings`` holds, for the last one, what each convention would make of the text.
    """

    def __init__(self, rule: str, message: str, text: object = "",
                 readings: dict[str, Decimal | None] | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.text = text
        self.readings = readings or {}


@dataclass(frozen=True)
class Reading:
    """A value read from a cell: the number (None when blank), exactly, and what was unusual in it."""

    value: float | None
    exact: Decimal | None = None
    kind: str = NEUTRAL
    notes: tuple[str, ...] = ()


def _strict(core: str, convention: str) -> Decimal | None:
    match = _GRAMMAR[convention].match(core)
    if not match:
        return None
    digits = re.sub(r"[ .,]", "", match["int"])
    frac = match["frac"]
    return Decimal(match["sign"] + digits + ("." + frac if frac else ""))


def _lax(core: str, convention: str) -> Decimal | None:
    group, decimal = _MARKS[convention]
    body = core.replace(group, "").replace(" ", "")
    if not re.fullmatch(r"[+-]?[0-9]+(?:" + re.escape(decimal) + r"[0-9]+)?", body):
        return None
    return Decimal(body.replace(",", "."))


def _kind(core: str) -> str:
    if core == "":
        return NEUTRAL
    if _SCIENTIFIC.match(core):
        return SCIENTIFIC
    vn, dot = _strict(core, VN), _strict(core, DOT)
    if vn is None and dot is None:
        return NOT_A_NUMBER
    if vn is None:
        return DOT_EVIDENCE
    if dot is None:
        return VN_EVIDENCE
    return NEUTRAL if vn == dot else AMBIGUOUS


def classify(text: object) -> str:
    """Return what ``text`` says about the convention: one of the kind constants.

    Blanks and values that are not text (an Excel number) carry no evidence: neutral.

    >>> [classify(t) for t in ("22296", "99,16", "1.234.567", "234708.830632", "1,234,567")]
    ['neutral', 'vn_evidence', 'vn_evidence', 'dot_evidence', 'dot_evidence']
    >>> [classify(t) for t in ("22.296", "1,234", "-0", "1E+06", "mười hai", 17002.5)]
    ['ambiguous', 'ambiguous', 'neutral', 'scientific', 'not_a_number', 'neutral']
    """
    if not isinstance(text, str):
        return NEUTRAL
    return _kind(clean(text)[0])


def detect_convention(texts: Iterable[object]) -> str:
    """Return the convention of a column of cells: VN, DOT or MIXED.

    >>> detect_convention(["22.296", "20", "99,16"])
    'vn'
    >>> detect_convention(["234708.830632", "12.5", "22.296"])
    'dot'
    >>> detect_convention(["234708.830632", "99,16"])
    'mixed'
    >>> detect_convention([])
    'vn'
    """
    kinds = {classify(t) for t in texts}
    if VN_EVIDENCE in kinds and DOT_EVIDENCE in kinds:
        return MIXED
    return DOT if DOT_EVIDENCE in kinds else VN


def readings(text: str) -> dict[str, Decimal | None]:
    """Return what each convention makes of ``text``, for messages.

    The strict reading when the text follows the convention, else the reading one gets
    by dropping that convention's grouping mark (what a careless reader would make of
    it, e.g. the ×10⁶ misreading), else None.

    >>> readings("234708.830632")
    {'vn': Decimal('234708830632'), 'dot': Decimal('234708.830632')}
    >>> readings("22.296")
    {'vn': Decimal('22296'), 'dot': Decimal('22.296')}
    """
    core = clean(text)[0]
    return {c: _strict(core, c) if _strict(core, c) is not None else _lax(core, c) for c in (VN, DOT)}


def show(value: Decimal | None) -> str:
    """Write an exact value the Vietnamese way, keeping every typed digit.

    >>> show(Decimal("234708.830632")), show(Decimal("234708830632")), show(Decimal("-0"))
    ('234.708,830632', '234.708.830.632', '0')
    """
    if value is None:
        return "(không đọc được)"
    sign = "-" if value < 0 else ""
    int_part, _, frac = format(abs(value), "f").partition(".")
    grouped = re.sub(r"(?<=[0-9])(?=([0-9]{3})+$)", ".", int_part)
    return sign + grouped + ("," + frac if frac else "")


def explain(text: str) -> str:
    """Say in Vietnamese what ``text`` would be under each convention (see :func:`readings`).

    >>> print(explain("22.296"))
    '22.296' có thể là 22.296 theo cách viết Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân), hoặc 22,296 theo cách viết dấu chấm thập phân (dấu phẩy ngăn cách hàng nghìn)
    >>> print(explain("1,234,567.5"))
    '1,234,567.5' là 1.234.567,5 theo cách viết dấu chấm thập phân (dấu phẩy ngăn cách hàng nghìn), không hiểu được theo cách viết Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)
    """
    both = readings(text)
    core = clean(text)[0]
    known = [c for c in (VN, DOT) if both[c] is not None]
    if len(known) == 2:
        return (f"{core!r} có thể là {show(both[VN])} theo {CONVENTION_LABEL[VN]}, "
                f"hoặc {show(both[DOT])} theo {CONVENTION_LABEL[DOT]}")
    if len(known) == 1:
        other = DOT if known[0] == VN else VN
        return (f"{core!r} là {show(both[known[0]])} theo {CONVENTION_LABEL[known[0]]}, "
                f"không hiểu được theo {CONVENTION_LABEL[other]}")
    return f"{core!r} không hiểu được theo cách viết nào"


def _as_float(value: Decimal) -> float:
    return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0


def read(value: object, convention: str = VN) -> Reading:
    """Read one cell under a column ``convention``; raise :class:`NumberError` when it cannot.

    Numbers (an Excel cell holding a float or int) are taken as they are. Text is read
    under ``convention``; in a MIXED column only neutral text is read.

    >>> read("234708.830632", DOT).value
    234708.830632
    >>> read("22.296").value, read("1.234,5").value, read("'123").value, read("-0").value
    (22296.0, 1234.5, 123.0, 0.0)
    >>> read("22\u00a0296").notes
    ('dấu cách không ngắt (NBSP, U+00A0)',)
    >>> read(0.1 + 0.2).value
    0.30000000000000004
    >>> for text in ("2,5E+07", "99,16"):
    ...     try:
    ...         read(text, MIXED)
    ...     except NumberError as exc:
    ...         print(exc.rule, exc.readings)
    scientific_notation {}
    ambiguous_number {'vn': Decimal('99.16'), 'dot': Decimal('9916')}
    """
    if value is None:
        return Reading(None)
    if isinstance(value, bool):
        raise NumberError(NOT_A_NUMBER, f"không phải số: {value!r}", value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number):
            return Reading(None)
        if math.isinf(number):
            raise NumberError(NOT_A_NUMBER, f"không phải số: {value!r}", value)
        return Reading(number + 0.0, Decimal(repr(number + 0.0)))
    if not isinstance(value, str):
        raise NumberError(NOT_A_NUMBER, f"không phải số: {value!r}", value)
    core, notes = clean(value)
    if core == "":
        return Reading(None)
    kind = _kind(core)
    if kind == SCIENTIFIC:
        raise NumberError("scientific_notation",
                          f"Excel đã viết lại giá trị thành dạng số mũ ({core}), số đầy đủ có thể đã mất; "
                          "định dạng ô là Số (Number) rồi gõ lại số đầy đủ.", value)
    if kind == NOT_A_NUMBER:
        raise NumberError(NOT_A_NUMBER, f"không phải số: {value!r}", value)
    if kind == NEUTRAL:
        exact = _strict(core, VN)
    elif convention in (VN, DOT) and (kind == AMBIGUOUS or kind == (VN_EVIDENCE if convention == VN else DOT_EVIDENCE)):
        exact = _strict(core, convention)
    else:
        raise NumberError("ambiguous_number", explain(core) + ".", value, readings(core))
    assert exact is not None
    if exact.is_zero() and exact.is_signed():
        exact = exact.copy_negate()  # "-0" is zero, not a negative number
    return Reading(_as_float(exact), exact, kind, notes)


def parse(value: object, convention: str = VN) -> float | None:
    """Return the number in one cell under ``convention`` (None when blank).

    >>> parse("1,234,567.5", DOT), parse("1.234.567,5", VN), parse("") is None
    (1234567.5, 1234567.5, True)
    """
    return read(value, convention).value
