"""Single choice and true/false."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from quizapp.qtypes import SingleChoice, TrueFalse
from quizapp.qtypes.base import ResponseError

BASE: dict[str, Any] = {"id": "gauge", "type": "single_choice", "prompt": "Which gauge?"}


def make(options: list[dict[str, Any]], **extra: Any) -> SingleChoice:
    return SingleChoice.model_validate({**BASE, "options": options, **extra})


GAUGE = make([
    {"text": "1,520 mm", "correct": True, "feedback": "Yes, Russia's gauge."},
    {"text": "1,435 mm", "feedback": "That is the standard gauge."},
    {"id": "narrow", "text": "1,000 mm"},
])


def key(option_id: str, seed: int | None = 5) -> str:
    return GAUGE.option_key(option_id, seed, GAUGE.id)


def test_default_ids_by_position() -> None:
    assert [o.id for o in GAUGE.options] == ["a", "b", "narrow"]


@pytest.mark.parametrize(
    ("response", "fraction", "feedback"),
    [
        ("a", 1.0, ("Yes, Russia's gauge.",)),
        ("b", 0.0, ("That is the standard gauge.",)),
        ("narrow", 0.0, ()),
    ],
)
def test_score(response: str, fraction: float, feedback: tuple[str, ...]) -> None:
    outcome = GAUGE.score(response)
    assert outcome.fraction == fraction
    assert outcome.feedback == feedback


@pytest.mark.parametrize("garbage", [None, 1, ["a"], {"a": 1}, "z", "", True])
def test_score_refuses_garbage(garbage: Any) -> None:
    with pytest.raises(ResponseError):
        GAUGE.score(garbage)


def test_view_hides_ids_and_correctness() -> None:
    view = GAUGE.view(5)
    assert {o["key"] for o in view["options"]} == {key("a"), key("b"), key("narrow")}
    assert all(set(o) == {"key", "text"} for o in view["options"])
    assert "correct" not in repr(view)


def test_view_without_seed_keeps_file_order() -> None:
    assert [o["text"] for o in GAUGE.view(None)["options"]] == ["1,520 mm", "1,435 mm", "1,000 mm"]


def test_view_order_depends_on_seed() -> None:
    orders = {tuple(o["text"] for o in GAUGE.view(s)["options"]) for s in range(30)}
    assert len(orders) > 1


def test_parse_form_and_json() -> None:
    assert GAUGE.parse_form({"r": [key("b")], "csrf_token": ["x"]}, 5) == "b"
    assert GAUGE.parse_json(key("a"), 5) == "a"
    assert GAUGE.display_response("a", 5) == key("a")


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"r": []},
        {"r": [""]},
        {"r": ["kdeadbeef00"]},
        {"r": [key("a"), key("b")]},
        {"r": [key("a")], "r-extra": ["x"]},
        {"r": [key("a", seed=6)]},  # a key from another learner's page
        {"r": "x" * 5000},
        {"r": [1]},
    ],
)
def test_parse_form_refuses(form: Any) -> None:
    with pytest.raises(ResponseError):
        GAUGE.parse_form(form, 5)


@pytest.mark.parametrize("data", [None, 3, [], {}, "a", "x" * 5000, ["k"], True])
def test_parse_json_refuses(data: Any) -> None:
    with pytest.raises(ResponseError):
        GAUGE.parse_json(data, 5)


def test_parse_text_takes_id_or_text() -> None:
    assert GAUGE.parse_text(["a"]) == "a"
    assert GAUGE.parse_text(["1,435 MM"]) == "b"
    with pytest.raises(ResponseError, match="ids: a, b, narrow"):
        GAUGE.parse_text(["zz"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([{"text": "x"}, {"text": "y"}], "no option"),
        ([{"text": "x", "correct": True}, {"text": "y", "correct": True}], "exactly one"),
        (
            [{"id": "a", "text": "x", "correct": True}, {"id": "a", "text": "y"}],
            "duplicate option id",
        ),
        ([{"text": "x", "correct": True}, {"text": " X "}], "duplicate option text"),
    ],
)
def test_check(options: list[dict[str, Any]], message: str) -> None:
    assert any(message in p.message for p in make(options).check())


def test_check_clean() -> None:
    assert GAUGE.check() == []


def test_schema_refuses_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        make([{"text": "x", "correct": True, "right": True}])
    with pytest.raises(ValidationError):
        make([{"text": "x", "correct": True}], shuffle=True)


# -- true/false -------------------------------------------------------------------------
TF = TrueFalse.model_validate({
    "id": "tf", "type": "true_false", "prompt": "Belarus borders Ukraine.", "answer": True,
    "feedback_false": "It does: a long border.",
})


@pytest.mark.parametrize(
    ("typed", "fraction", "feedback"),
    [("true", 1.0, ()), ("Yes", 1.0, ()), ("false", 0.0, ("It does: a long border.",)),
     ("F", 0.0, ("It does: a long border.",))],
)
def test_true_false(typed: str, fraction: float, feedback: tuple[str, ...]) -> None:
    outcome = TF.score(TF.parse_text([typed]))
    assert (outcome.fraction, outcome.feedback) == (fraction, feedback)


def test_true_false_shapes() -> None:
    assert TF.parse_form({"r": ["false"]}, 1) is False
    assert TF.parse_json(True, 1) is True
    assert TF.display_response(False, 1) == "false"
    assert TF.reference_response() is True
    for garbage in (None, "maybe", 1, [], {"a": 1}):
        with pytest.raises(ResponseError):
            TF.parse_json(garbage, 1)
        with pytest.raises(ResponseError):
            TF.score(garbage)
