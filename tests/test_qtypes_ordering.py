"""Ordering: longest increasing subsequence scoring, readers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes import Ordering
from quizapp.qtypes.base import ResponseError
from quizapp.qtypes.ordering import longest_increasing_run


def make(items: list[str]) -> Ordering:
    data = {"id": "o", "type": "ordering", "prompt": "Order", "items": items}
    return Ordering.model_validate(data)


ABCDE = make(["A", "B", "C", "D", "E"])


@pytest.mark.parametrize(
    ("order", "fraction"),
    [
        ("ABCDE", 1.0),
        ("BACDE", 0.8),
        ("EABCD", 0.8),
        ("ACBED", 0.6),
        ("EDCBA", 0.0),  # run of 1 scores 0
        ("DEABC", 0.6),
        ("EDCAB", 0.4),
    ],
)
def test_scores(order: str, fraction: float) -> None:
    assert ABCDE.score(list(order)).fraction == pytest.approx(fraction)


def test_two_items() -> None:
    two = make(["first", "second"])
    assert two.score(["first", "second"]).fraction == 1.0
    assert two.score(["second", "first"]).fraction == 0.0


@pytest.mark.parametrize(
    ("ranks", "length"),
    [([], 0), ([3], 1), ([1, 2, 3], 3), ([3, 1, 2], 2), ([2, 5, 3, 7, 1, 4, 6], 4)],
)
def test_longest_increasing_run(ranks: list[int], length: int) -> None:
    assert longest_increasing_run(ranks) == length


def test_view_never_shows_the_answer_order_without_a_seed() -> None:
    for items in (["A", "B", "C"], ["C", "B", "A"], ["x", "y", "z", "w"], list("ABCDEFG")):
        spec = make(items)
        assert [x["text"] for x in spec.view(None)["items"]] != items


def test_form_of_positions() -> None:
    view = ABCDE.view(4)
    key = {x["text"]: x["key"] for x in view["items"]}
    form = {f"r-{key[t]}": [str(i)] for i, t in enumerate("BACDE", start=1)}
    assert ABCDE.parse_form({**form, "csrf_token": ["t"]}, 4) == list("BACDE")
    assert ABCDE.display_response(list("BACDE"), 4) == [key[t] for t in "BACDE"]
    assert ABCDE.parse_json([key[t] for t in "BACDE"], 4) == list("BACDE")


@pytest.mark.parametrize(
    "positions",
    [
        {"A": "1", "B": "1", "C": "3", "D": "4", "E": "5"},  # two items in one place
        {"A": "1", "B": "2", "C": "3", "D": "4"},  # one missing
        {"A": "0", "B": "2", "C": "3", "D": "4", "E": "5"},
        {"A": "6", "B": "2", "C": "3", "D": "4", "E": "5"},
        {"A": "x", "B": "2", "C": "3", "D": "4", "E": "5"},
        {"A": "²", "B": "2", "C": "3", "D": "4", "E": "5"},
        {"A": "", "B": "2", "C": "3", "D": "4", "E": "5"},
    ],
)
def test_form_refuses(positions: dict[str, str]) -> None:
    key = {x["text"]: x["key"] for x in ABCDE.view(4)["items"]}
    with pytest.raises(ResponseError):
        ABCDE.parse_form({f"r-{key[t]}": [p] for t, p in positions.items()}, 4)


@pytest.mark.parametrize(
    "data", [None, "ABCDE", [], ["kx"], [1, 2], {"a": 1}, [["k"]]]
)
def test_json_refuses(data: Any) -> None:
    with pytest.raises(ResponseError):
        ABCDE.parse_json(data, 4)


@pytest.mark.parametrize(
    "response", [None, list("ABCD"), list("ABCDD"), list("ABCDEF"), list("ABCDX"), [1, 2, 3, 4, 5]]
)
def test_score_refuses(response: Any) -> None:
    with pytest.raises(ResponseError):
        ABCDE.score(response)


def test_parse_text() -> None:
    assert ABCDE.parse_text(["2,1,3,4,5"]) == list("BACDE")
    assert ABCDE.parse_text(["2", "1", "3", "4", "5"]) == list("BACDE")
    assert ABCDE.parse_text(["b; a; c; d; e"]) == list("BACDE")
    for bad in (["1,2"], ["1,1,2,3,4"], [" , "], ["9,1,2,3,4"]):
        with pytest.raises(ResponseError):
            ABCDE.parse_text(bad)


def test_check() -> None:
    assert any("2 items" in p.message for p in make(["only"]).check())
    assert any("duplicate" in p.message for p in make(["a", "A"]).check())
    assert ABCDE.check() == []


@given(st.permutations(list("ABCDEFG")))
def test_any_permutation_scores_in_range(order: list[str]) -> None:
    spec = make(list("ABCDEFG"))
    fraction = spec.score(order).fraction
    assert fraction == 0.0 or 2 / 7 <= fraction <= 1.0
    assert (fraction == 1.0) == (order == list("ABCDEFG"))


def test_feedback_names_the_items_in_their_right_place() -> None:
    outcome = ABCDE.score(["A", "B", "D", "C", "E"])
    assert outcome.reading == (
        "3 of 5 in the right place; 4 of 5 in the right order relative to each other")
    assert [(p.label, p.fraction, p.reading) for p in outcome.parts] == [
        ("1. A", 1.0, "in the right place"),
        ("2. B", 1.0, "in the right place"),
        ("3. D", 0.0, "belongs at position 4"),
        ("4. C", 0.0, "belongs at position 3"),
        ("5. E", 1.0, "in the right place"),
    ]
    assert "file positions" not in outcome.reading
