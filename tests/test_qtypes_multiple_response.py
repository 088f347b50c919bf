"""Multiple response: partial credit, all-or-nothing, readers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes import MultipleResponse
from quizapp.qtypes.base import ResponseError


def make(correct: list[bool], **extra: Any) -> MultipleResponse:
    options = [{"text": f"Option {i}", "correct": c} for i, c in enumerate(correct)]
    return MultipleResponse.model_validate(
        {"id": "supplies", "type": "multiple_response", "prompt": "Which?", "options": options,
         **extra}
    )


# options a, b correct; c, d, e wrong
SUPPLIES = make([True, True, False, False, False])


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["a", "b"], 1.0),
        (["a"], 0.5),
        (["a", "c"], 0.5 - 1 / 3),
        (["a", "b", "c"], 1 - 1 / 3),
        (["c"], 0.0),  # floor at 0
        (["a", "c", "d", "e"], 0.0),
        (["a", "b", "c", "d", "e"], 0.0),
    ],
)
def test_partial_credit(response: list[str], fraction: float) -> None:
    assert SUPPLIES.score(response).fraction == pytest.approx(fraction)


def test_all_or_nothing() -> None:
    strict = make([True, True, False], all_or_nothing=True)
    assert strict.score(["a", "b"]).fraction == 1.0
    assert strict.score(["a"]).fraction == 0.0
    assert strict.score(["a", "b", "c"]).fraction == 0.0


def test_all_options_correct_has_no_penalty_term() -> None:
    every = make([True, True])
    assert every.score(["a"]).fraction == 0.5


def test_feedback_of_chosen_options() -> None:
    spec = MultipleResponse.model_validate({
        "id": "q", "type": "multiple_response", "prompt": "p",
        "options": [{"text": "Ammunition", "correct": True},
                    {"text": "Fighter jets", "feedback": "Not by rail."}],
    })
    assert spec.score(["a", "b"]).feedback == ("Not by rail.",)


def test_canonical_is_in_file_order() -> None:
    keys = [SUPPLIES.option_key(i, 3, "supplies") for i in ("c", "a")]
    assert SUPPLIES.parse_json(keys, 3) == ["a", "c"]
    assert SUPPLIES.parse_form({"r": keys}, 3) == ["a", "c"]
    assert SUPPLIES.display_response(["a", "c"], 3) == keys[::-1]


@pytest.mark.parametrize(
    "data",
    [[], None, "a", {}, [1], ["zz"], ["a", "a"], [["a"]], ["x" * 5000]],
)
def test_parse_json_refuses(data: Any) -> None:
    with pytest.raises(ResponseError):
        SUPPLIES.parse_json(data, 3)


@pytest.mark.parametrize("response", [[], None, "a", ["a", "a"], ["zz"], [None], {"a": 1}])
def test_score_refuses(response: Any) -> None:
    with pytest.raises(ResponseError):
        SUPPLIES.score(response)


def test_duplicate_key_in_form() -> None:
    key = SUPPLIES.option_key("a", 3, "supplies")
    with pytest.raises(ResponseError):
        SUPPLIES.parse_form({"r": [key, key]}, 3)
    with pytest.raises(ResponseError):
        SUPPLIES.parse_form({}, 3)


@pytest.mark.parametrize(
    ("typed", "ids"),
    [(["a,b"], ["a", "b"]), (["b", "a"], ["a", "b"]), (["a c"], ["a", "c"]),
     (["Option 3, a"], ["a", "d"])],
)
def test_parse_text(typed: list[str], ids: list[str]) -> None:
    assert SUPPLIES.parse_text(typed) == ids


def test_check() -> None:
    assert any("no option" in p.message for p in make([False, False]).check())
    assert SUPPLIES.check() == []


@given(st.lists(st.booleans(), min_size=1, max_size=8).filter(any), st.data())
def test_scores_stay_in_range(correct: list[bool], data: st.DataObject) -> None:
    spec = make(correct, all_or_nothing=data.draw(st.booleans()))
    ids = [o.id for o in spec.options]
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    assert 0.0 <= spec.score(chosen).fraction <= 1.0
    assert spec.score(spec.reference_response()).fraction == 1.0
