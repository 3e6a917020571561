"""Typed numbers: number_chars.clean, and number_text's show, explain, parse (classify, read: test_numbers.py)."""

from decimal import Decimal

import pytest

from cchc_lib.domain.number_chars import clean
from cchc_lib.domain.number_text import DOT, MIXED, VN, NumberError, Reading, explain, parse, read, show

GROUPING = "dấu cách giữa các nhóm chữ số"
VN_WAY = "cách viết Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)"
DOT_WAY = "cách viết dấu chấm thập phân (dấu phẩy ngăn cách hàng nghìn)"


@pytest.mark.parametrize(("text", "core", "notes"), [
    ("22.296", "22.296", ()),
    ("  99,16\t", "99,16", ()),
    ("'123", "123", ()),
    (" 22 296 ", "22 296", (GROUPING,)),
    ("1  234", "1 234", (GROUPING,)),
    ("\u200b1\u00a0234", "1 234", ("ký tự vô hình (U+200B)", "dấu cách không ngắt (NBSP, U+00A0)")),
    ("＋１２", "+12", ("dấu câu toàn độ rộng (full-width)", "chữ số toàn độ rộng (full-width)")),
    ("\u22121", "-1", ("dấu trừ Unicode (U+2212)",)),
    ("\ufeff5", "5", ("ký tự vô hình (U+FEFF)",)),
    ("Xa\u0303", "Xã", ()),  # NFC
])
def test_clean(text, core, notes):
    assert clean(text) == (core, notes)


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("22296"), "22.296"), (Decimal("99.16"), "99,16"), (Decimal("0.5"), "0,5"), (Decimal("12"), "12"),
    (Decimal("-1234567.50"), "-1.234.567,50"), (Decimal("1E+3"), "1.000"), (Decimal("-0.000"), "0,000"),
    (None, "(không đọc được)"),
])
def test_show_keeps_every_typed_digit(value, text):
    assert show(value) == text


@pytest.mark.parametrize(("text", "said"), [
    ("1,234", f"'1,234' có thể là 1,234 theo {VN_WAY}, hoặc 1.234 theo {DOT_WAY}"),
    ("99,16", f"'99,16' có thể là 99,16 theo {VN_WAY}, hoặc 9.916 theo {DOT_WAY}"),
    ("12.5", f"'12.5' có thể là 125 theo {VN_WAY}, hoặc 12,5 theo {DOT_WAY}"),
    (" 1.234.567 ", f"'1.234.567' là 1.234.567 theo {VN_WAY}, không hiểu được theo {DOT_WAY}"),
    ("mười", "'mười' không hiểu được theo cách viết nào"),
])
def test_explain(text, said):
    assert explain(text) == said


@pytest.mark.parametrize(("value", "convention", "number"), [
    ("22.296", VN, 22296.0), ("99,16", VN, 99.16), ("1.234", DOT, 1.234), ("1,234", DOT, 1234.0),
    ("17002", MIXED, 17002.0), (12, VN, 12.0), (Decimal("1.5"), VN, 1.5), ("-0", VN, 0.0),
    (None, VN, None), (float("nan"), VN, None), (" ", VN, None), ("", DOT, None),
])
def test_parse(value, convention, number):
    assert parse(value, convention) == number


@pytest.mark.parametrize(("value", "rule", "message", "readings"), [
    ("12.5", "ambiguous_number", f"'12.5' có thể là 125 theo {VN_WAY}, hoặc 12,5 theo {DOT_WAY}.",
     {"vn": Decimal("125"), "dot": Decimal("12.5")}),
    (True, "not_a_number", "không phải số: True", {}),
    (float("inf"), "not_a_number", "không phải số: inf", {}),
    ([1], "not_a_number", "không phải số: [1]", {}),
    ("1E+06", "scientific_notation", "Excel đã viết lại giá trị thành dạng số mũ (1E+06), số đầy đủ có thể đã mất; "
     "định dạng ô là Số (Number) rồi gõ lại số đầy đủ.", {}),
])
def test_parse_refuses_with_a_rule(value, rule, message, readings):
    with pytest.raises(NumberError) as err:
        parse(value)
    assert (err.value.rule, str(err.value), err.value.text, err.value.readings) == (rule, message, value, readings)


def test_read_returns_the_exact_value_and_what_was_unusual():
    assert read("1.234,5") == Reading(1234.5, Decimal("1234.5"), "vn_evidence", ())
    assert read("22 296") == Reading(22296.0, Decimal("22296"), "neutral", (GROUPING,))
    assert read("") == Reading(None)
