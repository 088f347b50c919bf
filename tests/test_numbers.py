"""The number reader: every form people type, and refusals for what is ambiguous."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes.base import ResponseError
from quizapp.qtypes.numbers import format_number, read_quantity

UNITS = {"mm": 1, "cm": 10, "m": 1000, "%": 1, "soldiers": 1}

READS = [
    # text, value in the answer's unit, unit, approximate
    ("1520", 1520, None, False),
    ("1,520", 1520, None, False),
    ("1 520", 1520, None, False),
    ("1520mm", 1520, "mm", False),
    ("1,520 mm", 1520, "mm", False),
    ("1.52 m", 1520, "m", False),
    ("152 cm", 1520, "cm", False),
    ("7%", 7, "%", False),
    ("7 %", 7, "%", False),
    ("7 percent", 7, "%", False),
    ("7 per cent", 7, "%", False),
    ("45k", 45_000, None, False),
    ("45K", 45_000, None, False),
    ("45 thousand", 45_000, None, False),
    ("45,000 soldiers", 45_000, "soldiers", False),
    ("45k soldiers", 45_000, "soldiers", False),
    ("45,000 Soldiers", 45_000, "soldiers", False),
    ("45,000 soldier", 45_000, "soldiers", False),
    ("about 30,000", 30_000, None, True),
    ("around 30,000", 30_000, None, True),
    ("roughly 30,000", 30_000, None, True),
    ("approximately 30,000", 30_000, None, True),
    ("~30,000", 30_000, None, True),
    ("~ 30,000", 30_000, None, True),
    ("About 30 000 soldiers", 30_000, "soldiers", True),
    ("-3", -3, None, False),
    ("+3", 3, None, False),
    ("\u22123", -3, None, False),
    ("1.5e3", 1500, None, False),
    ("1.5E3", 1500, None, False),
    ("2e-3", 0.002, None, False),
    ("1\u00a0520", 1520, None, False),
    ("1\u2009520", 1520, None, False),
    ("1\u202f520", 1520, None, False),
    ("1\u202f520\u00a0mm", 1520, "mm", False),
    ("forty-five thousand", 45_000, None, False),
    ("forty five thousand", 45_000, None, False),
    ("Forty-Five Thousand soldiers", 45_000, "soldiers", False),
    ("one hundred and twenty", 120, None, False),
    ("a hundred", 100, None, False),
    ("twelve hundred", 1200, None, False),
    ("two million", 2_000_000, None, False),
    ("three million four hundred thousand", 3_400_000, None, False),
    ("zero", 0, None, False),
    ("minus five", -5, None, False),
    ("1.5 million", 1_500_000, None, False),
    ("1.5m", 1500, "m", False),  # with metres declared, m is metres, never million
    ("2bn", 2_000_000_000, None, False),
    ("2 billion", 2_000_000_000, None, False),
    ("0.5", 0.5, None, False),
    (".5", 0.5, None, False),
    ("1,234,567.89", 1_234_567.89, None, False),
    ("1,520.", 1520, None, False),
    ("  1520  ", 1520, None, False),
    ("１５２０", 1520, None, False),  # full-width digits
]


@pytest.mark.parametrize(("text", "value", "unit", "approximate"), READS)
def test_reads(text: str, value: float, unit: str | None, approximate: bool) -> None:
    quantity = read_quantity(text, UNITS)
    assert quantity.value == pytest.approx(value, rel=1e-12)
    assert quantity.unit == unit
    assert quantity.approximate is approximate


REFUSALS = [
    # text, a phrase the message must contain
    ("1,5", "comma"),
    ("1,52", "comma"),
    ("1,5200", "comma"),
    ("12abc", "abc"),
    ("10 20", "one number"),
    ("1 52", "one number"),
    ("10-20", "one number"),
    ("1.5.3", "one number"),
    ("1, 520", "one number"),
    ("five four", "one number"),
    ("", "Type a number"),
    ("   ", "Type a number"),
    ("abc", "abc"),
    ("a", "'a'"),
    ("45 km", "km"),
    ("1" * 300, "too long"),
    ("1e999", "too large"),
]


@pytest.mark.parametrize(("text", "phrase"), REFUSALS)
def test_refuses(text: str, phrase: str) -> None:
    with pytest.raises(ResponseError, match=phrase):
        read_quantity(text, UNITS)


def test_undeclared_unit_names_the_unit_and_the_accepted_ones() -> None:
    with pytest.raises(ResponseError) as caught:
        read_quantity("45 km", {"mm": 1, "m": 1000})
    assert "km" in str(caught.value)
    assert "mm, m" in str(caught.value)


def test_percent_needs_declaring() -> None:
    with pytest.raises(ResponseError, match=r"%|percent"):
        read_quantity("7 percent", {"mm": 1})


def test_no_units_declared_refuses_any_unit() -> None:
    with pytest.raises(ResponseError, match="without a unit"):
        read_quantity("1520 mm")


def test_unit_required() -> None:
    with pytest.raises(ResponseError, match="unit"):
        read_quantity("1520", {"mm": 1}, unit_required=True)
    assert read_quantity("1520 mm", {"mm": 1}, unit_required=True).value == 1520


def test_declared_unit_wins_over_scale_word() -> None:
    assert read_quantity("3 k", {"k": 1}).unit == "k"
    assert read_quantity("3 k", {"k": 1}).value == 3


def test_reading_says_how_it_was_read() -> None:
    assert read_quantity("1.52 m", UNITS).reading == "1.52 m = 1520 mm"
    assert read_quantity("about 30,000", UNITS).reading == "about 30,000"
    assert read_quantity("7 per cent", UNITS).reading == "7%"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1520, "1520"), (2022, "2022"), (30000, "30,000"), (2101, "2,101"), (1.52, "1.52"),
     (0.1 + 0.2, "0.3"), (-3, "-3"), (12345.5, "12,345.5")],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_repr_of_any_float_reads_back(number: float) -> None:
    text = repr(number)
    if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text):  # "1.525": maybe 1,525, so asked again
        with pytest.raises(ResponseError, match="or"):
            read_quantity(text)
        text += "0"
    assert read_quantity(text).value == pytest.approx(number, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("text", "asked"), [
    ("65.000", "is it 65 or 65,000? Write 65,000 for the thousands, or 65 for the decimal."),
    ("30.000", "is it 30 or 30,000?"),
    ("-1.525", "is it -1.525 or -1,525? Write -1,525 for the thousands, or -1.5250 for the "
               "decimal."),
    ("about 45.000", "is it 45 or 45,000?"),
])
def test_a_dot_before_three_digits_is_asked_about(text: str, asked: str) -> None:
    with pytest.raises(ResponseError) as raised:
        read_quantity(text)
    assert asked in str(raised.value)


@pytest.mark.parametrize(("text", "value"), [
    ("1.520 m", 1520),  # a unit says the dot is a decimal point
    ("1.500 million", 1_500_000),  # so does a scale word
    ("0.125", 0.125),  # no thousands start with 0
    ("1.5", 1.5),
    ("1.5250", 1.525),
    ("1\u00ad520", 1520),  # format characters are dropped, as in text
    ("1520\u200b", 1520),
    ("\u20105", -5),  # U+2010 HYPHEN as a minus, like the en dash
    ("\u20135", -5),
])
def test_unambiguous_neighbours_still_read(text: str, value: float) -> None:
    assert read_quantity(text, {"m": 1000, "mm": 1}).value == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_integers_read_back(number: int) -> None:
    assert read_quantity(f"{number:,}").value == number
    assert read_quantity(f"{number:,}".replace(",", "\u202f")).value == number


@given(st.text(max_size=60))
def test_any_text_reads_or_raises_response_error(text: str) -> None:
    try:
        quantity = read_quantity(text, UNITS)
    except ResponseError as exc:
        assert str(exc)
    else:
        assert math.isfinite(quantity.value)


@pytest.mark.parametrize(("text", "value"), [
    ("1520 millimetres", 1520), ("1520 millimeters", 1520), ("1.52 metres", 1520),
    ("152 centimetres", 1520), ("1 metre", 1000), ("1520 Millimetres", 1520),
])
def test_spelled_out_names_of_declared_units(text: str, value: float) -> None:
    assert read_quantity(text, {"mm": 1, "cm": 10, "m": 1000}).value == value


def test_a_spelled_out_name_needs_its_symbol_declared() -> None:
    with pytest.raises(ResponseError, match="kilometres"):
        read_quantity("2 kilometres", {"mm": 1, "m": 1000})


def test_plain_numbers_are_never_grouped() -> None:
    assert format_number(10115, plain=True) == "10115"
    assert format_number(1234567.25, plain=True) == "1234567.25"
    assert format_number(2022, plain=False) == "2,022"
