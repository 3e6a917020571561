"""Number conventions: classifying texts and detecting a column's convention (forms read with them: test_forms)."""

import doctest
import math
from decimal import Decimal

import pytest

from cchc_lib.domain import number_chars
from cchc_lib.domain import number_text as numbers
from cchc_lib.domain.issues import ADVICE
from cchc_lib.domain.number_text import (
    AMBIGUOUS,
    DOT,
    DOT_EVIDENCE,
    MIXED,
    NEUTRAL,
    NOT_A_NUMBER,
    SCIENTIFIC,
    VN,
    VN_EVIDENCE,
    NumberError,
    classify,
    detect_convention,
    read,
    readings,
)

# ----------------------------------------------------------------------------- numbers.py


def test_module_doctests():
    assert doctest.testmod(numbers).failed == 0
    assert doctest.testmod(number_chars).failed == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("22296", NEUTRAL), ("-0", NEUTRAL), ("0", NEUTRAL), ("22 296", NEUTRAL), ("'123", NEUTRAL), ("", NEUTRAL),
        ("99,16", VN_EVIDENCE), ("1.234.567", VN_EVIDENCE), ("1.234,5", VN_EVIDENCE), ("0,296", VN_EVIDENCE),
        ("12,3456", VN_EVIDENCE), ("22 296,5", VN_EVIDENCE),
        ("234708.830632", DOT_EVIDENCE), ("12.3456", DOT_EVIDENCE), ("12.5", DOT_EVIDENCE),
        ("1,234,567", DOT_EVIDENCE), ("1,234,567.5", DOT_EVIDENCE), ("1,234.5", DOT_EVIDENCE),
        ("0.296", DOT_EVIDENCE), ("1234.567", DOT_EVIDENCE),
        ("22.296", AMBIGUOUS), ("1,234", AMBIGUOUS), ("２２.２９６", AMBIGUOUS),
        ("1e6", SCIENTIFIC), ("1E+06", SCIENTIFIC), ("2,5E+07", SCIENTIFIC),
        ("mười hai", NOT_A_NUMBER), ("1,2,3", NOT_A_NUMBER), ("1.23.456", NOT_A_NUMBER), ("12 34", NOT_A_NUMBER),
        ("--1", NOT_A_NUMBER), ("\u0662\u0662", NOT_A_NUMBER),  # Arabic-Indic digits are not read
        (17002.5, NEUTRAL), (None, NEUTRAL),
    ],
)
def test_classify(text, kind):
    assert classify(text) == kind


@pytest.mark.parametrize(
    ("texts", "convention"),
    [
        (["22.296", "20", "99,16"], VN),
        (["22.296", "1,234"], VN),  # ambiguous only: the Vietnamese default
        ([], VN),
        ([22296.0, 1.5, "20"], VN),  # Excel numbers carry no evidence
        (["234708.830632", "12.3456", "22.296"], DOT),
        (["12.5", "20"], DOT),
        (["234708.830632", "99,16"], MIXED),
        (["1,234,567", "1.234.567"], MIXED),
    ],
)
def test_detect_convention(texts, convention):
    assert detect_convention(texts) == convention


@pytest.mark.parametrize(
    ("text", "convention", "value"),
    [
        ("22.296", VN, 22296.0), ("22.296", DOT, 22.296), ("1,234", VN, 1.234), ("1,234", DOT, 1234.0),
        ("1.234,5", VN, 1234.5), ("1,234,567.5", DOT, 1234567.5), ("234708.830632", DOT, 234708.830632),
        ("12.3456", DOT, 12.3456), ("12.5", DOT, 12.5), ("99,16", VN, 99.16),
        ("20", MIXED, 20.0), ("22 296", MIXED, 22296.0), ("'123", VN, 123.0), ("+5", VN, 5.0),
    ],
)
def test_read_under_a_convention(text, convention, value):
    assert read(text, convention).value == value


def test_minus_zero_is_zero():
    for text in ("-0", "-0,0", -0.0):
        value = read(text).value
        assert value == 0 and math.copysign(1, value) == 1, text


@pytest.mark.parametrize("text", ["1e6", "1E+06", "2,5E+07", "1.5e-3"])
def test_scientific_notation_is_refused(text):
    with pytest.raises(NumberError) as exc:
        read(text)
    assert exc.value.rule == "scientific_notation"
    assert "Excel đã viết lại giá trị thành dạng số mũ" in str(exc.value)
    assert "định dạng ô là Số (Number)" in str(exc.value) and "gõ lại" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        ("22\u00a0296", 22296.0, "NBSP, U+00A0"),
        ("22\u202f296", 22296.0, "U+202F"),
        ("22\u2009296", 22296.0, "U+2009"),
        ("22 296", 22296.0, "dấu cách giữa các nhóm chữ số"),
        ("1\u00a0234\u00a0567,5", 1234567.5, "NBSP"),
        ("２２.２９６", 22296.0, "chữ số toàn độ rộng"),
        ("２２．２９６", 22296.0, "dấu câu toàn độ rộng"),
    ],
)
def test_special_characters_are_read_and_noted(text, value, note):
    reading = read(text)
    assert reading.value == value
    assert any(note in n for n in reading.notes), reading.notes


def test_plain_values_have_no_notes():
    assert read(" 17002 ").notes == () and read("'123").notes == () and read("1.234,5").notes == ()


def test_excel_numbers_are_taken_exactly():
    assert read(234708.830632, VN).value == 234708.830632
    assert read(234708.830632, MIXED).value == 234708.830632
    assert read(0.1 + 0.2).value == 0.1 + 0.2
    assert read(22296).value == 22296.0
    assert read(float("nan")).value is None


def test_not_a_number_and_bool():
    for value in ("mười hai", "12a", True, float("inf"), "1.234 567"):
        with pytest.raises(NumberError) as exc:
            read(value)
        assert exc.value.rule == "not_a_number", value


def test_mixed_column_refuses_what_depends_on_the_convention():
    for text in ("22.296", "1,234", "99,16", "234708.830632"):
        with pytest.raises(NumberError) as exc:
            read(text, MIXED)
        assert exc.value.rule == "ambiguous_number"
    with pytest.raises(NumberError) as exc:
        read("234708.830632", MIXED)
    assert exc.value.readings == {VN: Decimal("234708830632"), DOT: Decimal("234708.830632")}
    assert "234.708.830.632" in str(exc.value) and "234.708,830632" in str(exc.value)


def test_readings_give_both_conventions():
    assert readings("22.296") == {VN: Decimal("22296"), DOT: Decimal("22.296")}
    assert readings("99,16") == {VN: Decimal("99.16"), DOT: Decimal("9916")}
    assert readings("1,234,567.5") == {VN: None, DOT: Decimal("1234567.5")}


def test_new_rules_have_advice():
    for rule in ("number_convention", "ambiguous_number", "scientific_notation", "special_characters"):
        assert ADVICE.get(rule), rule
