"""Short text: accept lists, regexes, typos, fractions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.qtypes import ShortText
from quizapp.qtypes.base import ResponseError


def make(answers: list[dict[str, Any]], **extra: Any) -> ShortText:
    return ShortText.model_validate(
        {"id": "city", "type": "short_text", "prompt": "Which city?", "answers": answers, **extra}
    )


CITY = make(
    [
        {"accept": ["Gomel", "Homel", "Homiel", "Гомель"], "feedback": "Yes."},
        {"regex": "^(the )?city of gomel$"},
        {"accept": ["Minsk"], "fraction": 0, "feedback": "Minsk is the capital."},
        {"accept": ["Mozyr"], "fraction": 0.5},
    ],
    typo_tolerance=True,
)
STRICT = make([{"accept": ["Gomel"]}])


@pytest.mark.parametrize(
    ("spec", "text", "fraction", "feedback"),
    [
        (CITY, "Gomel", 1.0, ("Yes.",)),
        (CITY, "  gomel ", 1.0, ("Yes.",)),
        (CITY, "GÓMEL!", 1.0, ("Yes.",)),
        (CITY, "Гомель", 1.0, ("Yes.",)),
        (CITY, "the Homel", 1.0, ("Yes.",)),
        (CITY, "City of Gomel", 1.0, ()),
        (CITY, "the city of Gomel.", 1.0, ()),
        (CITY, "Gomell", 1.0, ("Yes.",)),  # one typo, 5+ letters
        (CITY, "Homiell", 1.0, ("Yes.",)),
        (CITY, "Minsk", 0.0, ("Minsk is the capital.",)),
        (CITY, "Mozyr", 0.5, ()),
        (CITY, "Mozir", 0.5, ()),
        (CITY, "Brest", 0.0, ()),
        (CITY, "Gmoel", 1.0, ("Yes.",)),  # two neighbouring letters swapped: one slip
        (CITY, "Mogel", 0.0, ()),  # letters swapped across a gap: two edits
        (STRICT, "Gomell", 0.0, ()),  # no typo tolerance
        (STRICT, "gomel", 1.0, ()),
    ],
)
def test_scores(spec: ShortText, text: str, fraction: float, feedback: tuple[str, ...]) -> None:
    outcome = spec.score(spec.parse_json(text, 1))
    assert (outcome.fraction, outcome.feedback) == (fraction, feedback)


def test_exact_match_beats_typo_match() -> None:
    spec = make([{"accept": ["Gomel"]}, {"accept": ["Gomez"], "fraction": 0}], typo_tolerance=True)
    assert spec.score("Gomez").fraction == 0.0
    assert spec.score("Gomek").fraction == 1.0


def test_reading_shows_normalised_text_and_typo() -> None:
    # Echoed as typed (spaces tidied), never lower-cased.
    assert CITY.score("The  GÓMEL").reading == "The GÓMEL"
    assert CITY.score("Gomell").reading == "Gomell (taken as 'Gomel')"


@pytest.mark.parametrize("data", [None, 1, [], {}, "", "  ", "?!", "x" * 1001, ["Gomel"]])
def test_refuses(data: Any) -> None:
    with pytest.raises(ResponseError):
        CITY.parse_json(data, 1)
    with pytest.raises(ResponseError):
        CITY.score(data)


def test_form() -> None:
    assert CITY.parse_form({"r": [" Gomel "], "csrf_token": ["t"]}, None) == "Gomel"
    with pytest.raises(ResponseError):
        CITY.parse_form({"r": ["a", "b"]}, None)
    with pytest.raises(ResponseError, match="too long"):
        CITY.parse_form({"r": ["x" * 2000]}, None)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([{"regex": "(unclosed"}], "invalid regular expression"),
        ([{"accept": ["x"], "fraction": 2}], "outside"),
        ([{"accept": ["x"], "fraction": 0.5}], "no rule has fraction 1"),
        ([{"regex": "^x$"}], "needs an `accept`"),
        ([{"fraction": 1}], "needs `accept` or `regex`"),
        ([{"accept": ["!!"]}], "empty once normalised"),
    ],
)
def test_check(answers: list[dict[str, Any]], message: str) -> None:
    assert any(message in p.message for p in make(answers).check())


def test_invalid_regex_never_crashes_scoring() -> None:
    spec = make([{"accept": ["x"]}, {"regex": "(unclosed"}])
    assert spec.score("y").fraction == 0.0


def test_answer_view_and_view() -> None:
    assert CITY.answer_view()["answer"] == "Gomel"
    assert "Gomel" not in repr(CITY.view(None))


@given(st.text(max_size=40))
def test_any_text_scores_in_range_or_is_refused(text: str) -> None:
    try:
        fraction = CITY.score(text).fraction
    except ResponseError:
        return
    assert 0.0 <= fraction <= 1.0


# -- rules that contradict each other -----------------------------------------------------------
def test_an_accepted_answer_also_listed_as_wrong_is_an_error() -> None:
    problems = make([{"accept": ["Gomel", "Homel"]},
                     {"accept": ["Minsk", "the  GOMEL"], "fraction": 0}]).check()
    assert [(p.loc, p.severity) for p in problems] == [(("answers", 1, "accept", 1), "error")]
    assert problems[0].message == ("'the  GOMEL' is listed at fraction 0 but is also accepted "
                                   "at 1 by answer 1")


def test_with_typo_tolerance_a_wrong_answer_one_typo_away_is_an_error() -> None:
    answers = [{"accept": ["Gomel"]}, {"accept": ["Gomal", "Minsk"], "fraction": 0}]
    problems = make(answers, typo_tolerance=True).check()
    assert [(p.loc, p.message) for p in problems] == [
        (("answers", 1, "accept", 0),
         "'Gomal' is listed at fraction 0 but is one typo from 'Gomel', accepted at 1 by "
         "answer 1")]
    # Without typo tolerance the two never meet.
    assert make(answers).check() == []
