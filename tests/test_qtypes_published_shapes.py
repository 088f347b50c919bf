"""The shapes other programs read: each type's right answer (the API's `answer`, the review
page's macros) and `quizapp try --json`. Exact values, so a renamed key or a changed
reading fails here rather than in a client."""

from __future__ import annotations

from typing import Any

import pytest
from test_qtypes_properties import SPECS

from quizapp.qtypes import QUESTION_TYPES, try_responses
from quizapp.qtypes.base import QuestionSpec

BY_TYPE: dict[str, QuestionSpec] = {spec.type_name: spec for spec in SPECS}


def _option(option_id: str, text: str, correct: bool,
            feedback: str | None = None) -> dict[str, Any]:
    return {"id": option_id, "text": text, "correct": correct, "feedback": feedback}


ANSWER_VIEWS: dict[str, dict[str, Any]] = {
    "single_choice": {
        "type": "single_choice", "answer": ["1,520 mm"],
        "options": [_option("a", "1,520 mm", True, "Yes."), _option("b", "1,435 mm", False),
                    _option("c", "1,000 mm", False)],
    },
    "true_false": {"type": "true_false", "answer": True, "answer_text": "True"},
    "multiple_response": {
        "type": "multiple_response", "all_or_nothing": False, "answer": ["Ammunition", "Fuel"],
        "options": [_option("a", "Ammunition", True), _option("b", "Fuel", True),
                    _option("c", "Fighter jets", False), _option("d", "Submarines", False)],
    },
    "numeric": {
        "type": "numeric", "answer": "30,000 soldiers", "units": ["soldiers", "%"],
        "rules": [{"text": "30,000", "fraction": 1.0, "feedback": None},
                  {"text": "30,000 ± 5,000", "fraction": 0.5, "feedback": None},
                  {"text": "10,000 to 50,000", "fraction": 0.25, "feedback": None}],
    },
    "short_text": {
        "type": "short_text", "answer": "Gomel", "accepted": ["Gomel", "Homel"],
        "rules": [
            {"accept": ["Gomel", "Homel"], "regex": None, "fraction": 1.0, "feedback": None},
            {"accept": [], "regex": "^city of gomel$", "fraction": 1.0, "feedback": None},
            {"accept": ["Minsk"], "regex": None, "fraction": 0.0, "feedback": "Capital."},
        ],
    },
    "matching": {
        "type": "matching", "distractors": ["Chatham House"],
        "pairs": [{"left": "Bikanau", "right": "Belarus Change Tracker"},
                  {"left": "Ferris", "right": "RUSI"},
                  {"left": "Lukashenko", "right": "President"}],
    },
    "ordering": {"type": "ordering", "items": ["one", "two", "three", "four"]},
    "cloze": {
        "type": "cloze", "text": "**1520** mm, **Gomel**, **Lukashenko**.",
        "blanks": [{"name": "g", "number": 1, "label": "Blank 1", "answer": "1520"},
                   {"name": "c", "number": 2, "label": "Blank 2", "answer": "Gomel"},
                   {"name": "w", "number": 3, "label": "Blank 3", "answer": "Lukashenko"}],
    },
}


def test_every_registered_type_has_its_answer_shape_here() -> None:
    assert set(ANSWER_VIEWS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("type_name", sorted(QUESTION_TYPES))
def test_answer_view_is_exactly_the_published_shape(type_name: str) -> None:
    assert BY_TYPE[type_name].answer_view() == ANSWER_VIEWS[type_name]


def test_try_reports_a_right_a_partial_and_an_unreadable_answer() -> None:
    right, partial, unreadable = try_responses(BY_TYPE["numeric"],
                                               ["30000 soldiers", "31,000", "lots"])
    assert right.to_dict() == {
        "text": "30000 soldiers", "readable": True, "response": "30000 soldiers",
        "reading": "30,000 soldiers", "fraction": 1.0, "correct": True, "feedback": [],
        "parts": [], "error": None,
    }
    assert (partial.fraction, partial.correct, partial.reading) == (0.5, False, "31,000")
    assert unreadable.to_dict() == {
        "text": "lots", "readable": False, "response": None, "reading": "",
        "fraction": None, "correct": False, "feedback": [], "parts": [],
        "error": "Could not read 'lots' as a number.",
    }


def test_try_reports_each_part_of_a_cloze() -> None:
    (result,) = try_responses(BY_TYPE["cloze"], ["g = 1.52 m; c = homel; w = Putin"])
    data = result.to_dict()
    assert data["response"] == {"g": "1.52 m", "c": "homel", "w": "b"}
    assert data["parts"] == [
        {"label": "Blank 1", "fraction": 1.0, "reading": "1.52 m = 1520 mm", "feedback": ""},
        {"label": "Blank 2", "fraction": 0.0, "reading": "homel", "feedback": ""},
        {"label": "Blank 3", "fraction": 0.0, "reading": "Putin", "feedback": ""},
    ]
    assert result.to_text().splitlines() == [
        "'g = 1.52 m; c = homel; w = Putin'",
        "  read as:  (1) 1.52 m = 1520 mm; (2) homel; (3) Putin",
        "  score:    0.33 (partly right)",
        "  part:     Blank 1: read as 1.52 m = 1520 mm -> 1.00",
        "  part:     Blank 2: read as homel -> 0.00",
        "  part:     Blank 3: read as Putin -> 0.00",
    ]
