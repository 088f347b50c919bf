"""Matching: pairs, distractors, shuffled right-hand list."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes import Matching
from quizapp.qtypes.base import ResponseError

PEOPLE = Matching.model_validate({
    "id": "who", "type": "matching", "prompt": "Match each person to their organisation.",
    "pairs": [
        {"left": "Philipp Bikanau", "right": "Belarus Change Tracker"},
        {"left": "Emily Ferris", "right": "Royal United Services Institute"},
        {"left": "Alexander Lukashenko", "right": "Government of Belarus"},
    ],
    "distractors": ["Chatham House"],
})
BIK, FER, LUK = "Philipp Bikanau", "Emily Ferris", "Alexander Lukashenko"
BCT, RUSI, GOV, CH = (
    "Belarus Change Tracker", "Royal United Services Institute", "Government of Belarus",
    "Chatham House",
)


def keys(seed: int | None) -> tuple[dict[str, str], dict[str, str]]:
    view = PEOPLE.view(seed)
    return ({x["text"]: x["key"] for x in view["lefts"]},
            {x["text"]: x["key"] for x in view["rights"]})


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ({BIK: BCT, FER: RUSI, LUK: GOV}, 1.0),
        ({BIK: RUSI, FER: BCT, LUK: GOV}, 1 / 3),
        ({BIK: CH, FER: RUSI, LUK: GOV}, 2 / 3),
        ({BIK: GOV, FER: GOV, LUK: GOV}, 1 / 3),  # a right item may be used twice
        ({BIK: CH, FER: CH, LUK: CH}, 0.0),
    ],
)
def test_scores(response: dict[str, str], fraction: float) -> None:
    outcome = PEOPLE.score(response)
    assert outcome.fraction == pytest.approx(fraction)
    assert len(outcome.parts) == 3


def test_view_shuffles_rights_and_hides_pairs() -> None:
    view = PEOPLE.view(None)
    assert [x["text"] for x in view["lefts"]] == [BIK, FER, LUK]
    rights = [x["text"] for x in view["rights"]]
    assert sorted(rights) == sorted([BCT, RUSI, GOV, CH])
    assert rights[:3] != [BCT, RUSI, GOV]  # never the file's order, even without a seed
    assert "right'" not in repr(view)


def test_round_trip_through_display_shape() -> None:
    lefts, rights = keys(9)
    answer = {lefts[BIK]: rights[RUSI], lefts[FER]: rights[BCT], lefts[LUK]: rights[GOV]}
    canonical = PEOPLE.parse_json(answer, 9)
    assert canonical == {BIK: RUSI, FER: BCT, LUK: GOV}
    assert PEOPLE.display_response(canonical, 9) == answer
    form = {f"r-{k}": [v] for k, v in answer.items()}
    assert PEOPLE.parse_form({**form, "csrf_token": ["t"]}, 9) == canonical


def test_refuses_garbage() -> None:
    lefts, rights = keys(9)
    bad_json: list[Any] = [
        None, [], "x", {lefts[BIK]: rights[BCT]},  # missing pairs
        {lefts[BIK]: rights[BCT], lefts[FER]: rights[RUSI], lefts[LUK]: "kffff"},
        {lefts[BIK]: rights[BCT], lefts[FER]: rights[RUSI], lefts[LUK]: 3},
        {**{k: rights[BCT] for k in lefts.values()}, "kjunk": rights[BCT]},
    ]
    for data in bad_json:
        with pytest.raises(ResponseError):
            PEOPLE.parse_json(data, 9)
    with pytest.raises(ResponseError):
        PEOPLE.parse_form({f"r-{lefts[BIK]}": [rights[BCT]]}, 9)
    with pytest.raises(ResponseError):
        PEOPLE.parse_form({f"r-{k}": [""] for k in lefts.values()}, 9)
    for response in (None, {BIK: BCT}, {BIK: [BCT], FER: RUSI, LUK: GOV}, {1: 2}):
        with pytest.raises(ResponseError):
            PEOPLE.score(response)


def test_parse_text_by_number_or_text() -> None:
    assert PEOPLE.parse_text(["1=1; 2=2; 3=3"]) == PEOPLE.reference_response()
    assert PEOPLE.parse_text([f"{BIK.upper()} = chatham house", "2=2\n3=3"])[BIK] == CH
    with pytest.raises(ResponseError):
        PEOPLE.parse_text(["1=1"])


def test_check() -> None:
    spec = Matching.model_validate({
        "id": "m", "type": "matching", "prompt": "p",
        "pairs": [{"left": "A", "right": "1"}, {"left": "a", "right": "2"}],
        "distractors": ["2", "3", "3"],
    })
    messages = " | ".join(p.message for p in spec.check())
    assert "duplicate left item" in messages
    assert "also a right answer" in messages
    assert "duplicate distractor" in messages
    assert PEOPLE.check() == []


@given(st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=6, unique=True),
       st.data())
def test_random_assignments_score_in_range(texts: list[str], data: st.DataObject) -> None:
    pairs = [{"left": f"L{t}", "right": f"R{t}"} for t in texts]
    spec = Matching.model_validate({"id": "m", "type": "matching", "prompt": "p", "pairs": pairs})
    rights = spec.rights()
    guess = {p["left"]: data.draw(st.sampled_from(rights)) for p in pairs}
    assert 0.0 <= spec.score(guess).fraction <= 1.0
    assert spec.score(spec.reference_response()).fraction == 1.0


def _matching(pairs: list[tuple[str, str]], distractors: tuple[str, ...] = ()) -> Matching:
    return Matching.model_validate({
        "id": "m", "type": "matching", "prompt": "Match",
        "pairs": [{"left": left, "right": right} for left, right in pairs],
        "distractors": list(distractors),
    })


def test_check_points_at_each_faulty_entry() -> None:
    spec = _matching([("A", "1"), ("A", "1"), ("B", "2")], ("X", "X", "2"))
    assert [(p.loc, p.severity, p.message) for p in spec.check()] == [
        (("pairs", 1, "left"), "error", "duplicate left item 'A'"),
        (("distractors", 1), "error", "duplicate distractor 'X'"),
        (("distractors", 2), "error", "'2' is also a right answer"),
    ]


def test_one_pair_is_a_warning_and_two_are_a_question() -> None:
    assert [(p.loc, p.severity, p.message) for p in _matching([("A", "1")]).check()] == [
        (("pairs",), "warning", "a single pair is no question"),
    ]
    assert _matching([("A", "1"), ("B", "2")]).check() == []


def test_the_reading_and_each_part_say_what_was_paired() -> None:
    # The learner's feedback lists these: "Your answer was read as" and a tick per pair.
    outcome = PEOPLE.score({BIK: CH, FER: RUSI, LUK: GOV})
    assert outcome.reading == (f"{BIK} = {CH}; {FER} = {RUSI}; {LUK} = {GOV}")
    assert [(p.label, p.fraction, p.reading) for p in outcome.parts] == [
        (BIK, 0.0, CH), (FER, 1.0, RUSI), (LUK, 1.0, GOV),
    ]
