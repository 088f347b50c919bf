"""Numeric questions: rules, tolerance, units, readers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes import Numeric
from quizapp.qtypes.base import ResponseError


def make(answers: list[dict[str, Any]], **extra: Any) -> Numeric:
    return Numeric.model_validate(
        {"id": "n", "type": "numeric", "prompt": "How many?", "answers": answers, **extra}
    )


GAUGE = make(
    [{"value": 1520, "feedback": "Exactly."}, {"value": 1520, "tolerance": 100, "fraction": 0.5}],
    units={"mm": 1, "cm": 10, "m": 1000},
)
TROOPS = make(
    [
        {"value": 45000, "fraction": 1, "feedback": "Right."},
        {"value": 45000, "tolerance": 5000, "fraction": 0.5, "feedback": "Close."},
        {"min": 30000, "max": 60000, "fraction": 0.25},
    ],
    units={"soldiers": 1, "troops": 1},
)
SHARE = make([{"value": 7, "tolerance_percent": 10}], units={"%": 1})

ACCEPTED_FORMS = [
    # every input form the reader must take, against a question that fits it
    (GAUGE, "1520", 1.0),
    (GAUGE, "1,520", 1.0),
    (GAUGE, "1 520", 1.0),
    (GAUGE, "1520mm", 1.0),
    (GAUGE, "1,520 mm", 1.0),
    (GAUGE, "1.52 m", 1.0),
    (GAUGE, "152 cm", 1.0),
    (GAUGE, "1\u00a0520", 1.0),
    (GAUGE, "1\u2009520 mm", 1.0),
    (GAUGE, "1\u202f520", 1.0),
    (GAUGE, "1.52e3", 1.0),
    (GAUGE, "about 1,520", 1.0),
    (GAUGE, "1,600 mm", 0.5),
    (GAUGE, "1.4 m", 0.0),
    (SHARE, "7%", 1.0),
    (SHARE, "7 %", 1.0),
    (SHARE, "7 percent", 1.0),
    (SHARE, "7 per cent", 1.0),
    (SHARE, "7.7", 1.0),  # within 10% of 7
    (SHARE, "7.71", 0.0),
    (TROOPS, "45000", 1.0),
    (TROOPS, "45k", 1.0),
    (TROOPS, "45 thousand", 1.0),
    (TROOPS, "45,000 soldiers", 1.0),
    (TROOPS, "45,000 troops", 1.0),
    (TROOPS, "forty-five thousand", 1.0),
    (TROOPS, "about 45,000", 1.0),
    (TROOPS, "around 45,000", 1.0),
    (TROOPS, "roughly 45,000", 1.0),
    (TROOPS, "approximately 45,000", 1.0),
    (TROOPS, "~45,000", 1.0),
    (TROOPS, "0.045 million", 1.0),
    (TROOPS, "50k", 0.5),  # edge of the tolerance counts
    (TROOPS, "about 30,000", 0.25),
    (TROOPS, "60 thousand", 0.25),
    (TROOPS, "60,001", 0.0),
    (TROOPS, "two million", 0.0),
    (make([{"value": -3}]), "-3", 1.0),
    (make([{"value": -3}]), "\u22123", 1.0),
    (make([{"value": -3}]), "minus three", 1.0),
    (make([{"value": 1500}]), "1.5e3", 1.0),
    (make([{"value": 120}]), "one hundred and twenty", 1.0),
    (make([{"value": 2_000_000}]), "two million", 1.0),
    (make([{"value": 1_500_000}]), "1.5 million", 1.0),
    (make([{"value": 0.1}]), "0.1", 1.0),
]


@pytest.mark.parametrize(("spec", "text", "fraction"), ACCEPTED_FORMS)
def test_scores(spec: Numeric, text: str, fraction: float) -> None:
    assert spec.score(spec.parse_text([text])).fraction == fraction


GARBAGE = ["1,5", "12abc", "1,52", "10 20", "", "  ", "abc", "45 km", "1.5.3", "x" * 5000]


@pytest.mark.parametrize("text", GARBAGE)
def test_unreadable(text: str) -> None:
    with pytest.raises(ResponseError):
        GAUGE.parse_json(text, 1)
    with pytest.raises(ResponseError):
        GAUGE.score(text)


def test_unknown_unit_message_names_units() -> None:
    with pytest.raises(ResponseError) as caught:
        GAUGE.parse_json("45 km", 1)
    assert "km" in str(caught.value)
    assert "mm, cm, m" in str(caught.value)


def test_best_rule_wins_and_gives_its_feedback() -> None:
    outcome = TROOPS.score("45,000")
    assert (outcome.fraction, outcome.feedback) == (1.0, ("Right.",))
    assert TROOPS.score("48,000").feedback == ("Close.",)
    assert TROOPS.score("48,000").reading == "48,000"


def test_reading() -> None:
    assert GAUGE.score("1.52 m").reading == "1.52 m = 1520 mm"


def test_json_numbers() -> None:
    assert GAUGE.parse_json(1520, 1) == "1520"
    assert GAUGE.score(GAUGE.parse_json(1520.0, 1)).fraction == 1.0
    for garbage in (True, None, [1520], {"v": 1}, float("nan"), float("inf"), 10**40):
        with pytest.raises(ResponseError):
            GAUGE.parse_json(garbage, 1)


def test_form() -> None:
    assert GAUGE.parse_form({"r": [" 1,520 mm "]}, None) == "1,520 mm"
    for form in ({}, {"r": [""]}, {"r": ["1", "2"]}, {"r": ["1520"], "r-x": ["1"]}):
        with pytest.raises(ResponseError):
            GAUGE.parse_form(form, None)


def test_unit_required() -> None:
    spec = make([{"value": 1520}], units={"mm": 1, "m": 1000}, unit_required=True)
    with pytest.raises(ResponseError, match="unit"):
        spec.parse_text(["1520"])
    assert spec.score(spec.reference_response()).fraction == 1.0
    assert spec.reference_response() == "1520 mm"


def test_view_and_answer_view() -> None:
    view = GAUGE.view(3)
    assert "1520" not in repr(view) and "1,520" not in repr(view)
    assert view["units"] == ["mm", "cm", "m"]
    assert GAUGE.answer_view()["answer"] == "1520 mm"
    assert GAUGE.answer_numbers() == [1520.0]
    assert TROOPS.answer_numbers() == [45000.0]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"value": 1, "min": 0, "max": 2}, "either"),
        ({"min": 5, "max": 1}, "above max"),
        ({"value": 1, "tolerance": -1}, "negative"),
        ({"value": 1, "tolerance_percent": -1}, "negative"),
        ({"value": 1, "fraction": 1.5}, "outside"),
        ({"value": 1, "fraction": -0.5}, "outside"),
        ({"value": 1, "tolerance": 1, "tolerance_percent": 2}, "not both"),
        ({"fraction": 1}, "needs"),
    ],
)
def test_check(rule: dict[str, Any], message: str) -> None:
    assert any(message in p.message for p in make([{"value": 0}, rule]).check())


def test_check_no_full_marks() -> None:
    problems = make([{"value": 1, "fraction": 0.5}]).check()
    assert [p.loc for p in problems] == [("answers",)]


def test_check_clean() -> None:
    assert GAUGE.check() == TROOPS.check() == SHARE.check() == []


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite, st.floats(min_value=0, max_value=1e6), st.data())
def test_reference_and_random_numbers(value: float, tolerance: float, data: st.DataObject) -> None:
    spec = make([{"value": value, "tolerance": tolerance}, {"min": value - 1, "max": value + 1,
                                                            "fraction": 0.3}])
    assert spec.score(spec.reference_response()).fraction == 1.0
    guess = data.draw(finite)
    assert 0.0 <= spec.score(repr(guess)).fraction <= 1.0


def test_years_and_plain_numbers_print_without_separators() -> None:
    year = Numeric.model_validate({
        "id": "year", "type": "numeric", "prompt": "Which year?",
        "answers": [{"value": 2022}, {"value": 2023, "fraction": 0}],
    })
    assert year.answer_view()["answer"] == "2022"
    assert [rule["text"] for rule in year.answer_view()["rules"]] == ["2022", "2023"]
    assert year.score("2022").reading == "2022"
    code = Numeric.model_validate({
        "id": "code", "type": "numeric", "prompt": "Which postcode?", "plain": True,
        "answers": [{"value": 10115}],
    })
    assert code.answer_view()["answer"] == "10115"
    assert code.score("10,115").reading == "10115"
    big = Numeric.model_validate({
        "id": "big", "type": "numeric", "prompt": "How many?", "answers": [{"value": 30000}],
    })
    assert big.answer_view()["answer"] == "30,000" and big.score("30000").reading == "30,000"


# -- rules that contradict each other -----------------------------------------------------------
@pytest.mark.parametrize(("answers", "at", "words"), [
    # A tolerance that gives a listed distractor full credit.
    ([{"value": 1520, "tolerance": 100}, {"value": 1435, "fraction": 0,
                                          "feedback": "That is standard gauge."}],
     ("answers", 1, "value"), "1435 is listed at fraction 0, but answer 1 (1520 ± 100) "
                              "already gives it 1"),
    # A tolerance that swallows a partial-credit value.
    ([{"value": 1520, "tolerance_percent": 5}, {"value": 1500, "fraction": 0.5}],
     ("answers", 1, "value"), "1500 is listed at fraction 0.5, but answer 1"),
    # A band entirely inside a better one.
    ([{"min": 1000, "max": 2000}, {"min": 1400, "max": 1600, "fraction": 0.5}],
     ("answers", 1, "min"), "1400 to 1600 is listed at fraction 0.5"),
    # The right answer also listed at 0 credit.
    ([{"value": 1520}, {"min": 1000, "max": 2000, "fraction": 0}],
     ("answers", 1), "the right answer 1520 is also listed at fraction 0"),
])
def test_overlapping_rules_are_errors(answers: list[dict[str, Any]],
                                      at: tuple[Any, ...], words: str) -> None:
    problems = make(answers).check()
    assert [(p.loc, p.severity) for p in problems] == [(at, "error")], problems
    assert words in problems[0].message


def test_a_partial_band_around_the_answer_is_not_an_overlap() -> None:
    # Exact for full marks, near for half: the band is wider than the exact rule.
    assert make([{"value": 1520}, {"value": 1520, "tolerance": 10, "fraction": 0.5},
                 {"min": 1000, "max": 1400, "fraction": 0}]).check() == []
