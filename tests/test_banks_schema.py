"""schema.py: defaults, the default quiz, selection, and unknown keys refused everywhere."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from quizapp.banks.errors import known_keys, place_of, relevant, translate
from quizapp.banks.schema import BankFile, Quiz, question_adapter
from quizapp.qtypes import QUESTION_TYPES


def question(qid: str = "q1", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": qid, "type": "true_false", "prompt": "Is it?", "answer": True}
    return {**base, **extra}


def bank(**extra: Any) -> dict[str, Any]:
    return {"id": "demo", "title": "Demo", "questions": [question()], **extra}


def test_bank_defaults() -> None:
    loaded = BankFile.model_validate(bank())
    assert loaded.language == "en"
    assert loaded.description is None and loaded.sources == () and loaded.topics == ()


def test_a_bank_without_quizzes_gets_one_with_every_question() -> None:
    for quizzes in ({}, {"quizzes": []}):
        loaded = BankFile.model_validate(bank(questions=[question("a"), question("b")],
                                              description="About it", **quizzes))
        (quiz,) = loaded.quizzes
        assert (quiz.id, quiz.title, quiz.description) == ("demo", "Demo", "About it")
        assert [q.id for q in loaded.quiz_questions(quiz)] == ["a", "b"]


def test_quiz_defaults_depend_on_the_mode() -> None:
    practice = Quiz.model_validate({"id": "p", "title": "P"})
    exam = Quiz.model_validate({"id": "e", "title": "E", "mode": "exam"})
    assert practice.feedback == "immediate" and exam.feedback == "deferred"
    assert practice.model_dump() == {
        "id": "p", "title": "P", "description": None, "mode": "practice",
        "select": {"topics": (), "difficulty": (), "ids": (), "count": None},
        "time_limit": None, "attempts_allowed": None, "grading": "highest", "pass_mark": 60,
        "shuffle_questions": True, "shuffle_options": True, "feedback": "immediate",
        # Filled from the bank's visibility once the quiz is part of a bank.
        "visibility": None,
    }


def test_quizzes_inherit_the_banks_visibility_unless_they_set_their_own() -> None:
    loaded = BankFile.model_validate(bank(
        visibility="assigned", questions=[question("a")],
        quizzes=[{"id": "x", "title": "X"}, {"id": "y", "title": "Y", "visibility": "open"}],
    ))
    assert [q.visibility for q in loaded.quizzes] == ["assigned", "open"]
    default = BankFile.model_validate(bank(questions=[question("a")]))
    assert [q.visibility for q in default.quizzes] == ["open"]


def test_explicit_feedback_is_kept() -> None:
    quiz = Quiz.model_validate({"id": "e", "title": "E", "mode": "exam", "feedback": "immediate"})
    assert quiz.feedback == "immediate"


def test_selection_criteria_narrow_together() -> None:
    questions = [
        question("a", topics=["rail"], difficulty="easy"),
        question("b", topics=["rail"], difficulty="hard"),
        question("c", topics=["people"], difficulty="easy"),
    ]
    loaded = BankFile.model_validate(bank(questions=questions))

    def ids(**select: Any) -> list[str]:
        quiz = Quiz.model_validate({"id": "x", "title": "X", "select": select})
        return [q.id for q in loaded.quiz_questions(quiz)]

    assert ids() == ["a", "b", "c"]
    assert ids(topics=["rail"]) == ["a", "b"]
    assert ids(difficulty=["easy"]) == ["a", "c"]
    assert ids(topics=["rail"], difficulty=["easy"]) == ["a"]
    assert ids(ids=["c", "a"]) == ["a", "c"]
    assert ids(ids=["c"], topics=["rail"]) == []


def test_source_fields() -> None:
    source = {"id": "s", "title": "T", "publisher": "P", "date": "2023-03-17",
              "url": "https://example.org/a", "file": "a.md"}
    loaded = BankFile.model_validate(bank(sources=[source]))
    assert loaded.sources[0].date == datetime.date(2023, 3, 17)
    for bad in ({"file": "../secret.md"}, {"file": "dir/a.md"}, {"url": "example.org"},
                {"date": "March 2023"}):
        with pytest.raises(ValidationError):
            BankFile.model_validate(bank(sources=[{**source, **bad}]))


@pytest.mark.parametrize(
    "where",
    [
        lambda b: b.update(extra=1),
        lambda b: b.update(topics=[{"id": "t", "title": "T", "extra": 1}]),
        lambda b: b.update(quizzes=[{"id": "q", "title": "Q", "extra": 1}]),
        lambda b: b.update(quizzes=[{"id": "q", "title": "Q", "select": {"extra": 1}}]),
        lambda b: b.update(sources=[{"id": "s", "title": "T", "publisher": "P",
                                     "date": "2023-03-17", "url": "https://x.org", "extra": 1}]),
        lambda b: b["questions"][0].update(extra=1),
        lambda b: b["questions"][0].update(evidence={"source": "s", "paragraph": 1,
                                                     "quote": "q", "extra": 1}),
    ],
)
def test_unknown_keys_are_refused_everywhere(where: Any) -> None:
    data = bank()
    where(data)
    with pytest.raises(ValidationError) as caught:
        BankFile.model_validate(data)
    # `relevant` drops pydantic's echo that the questions list is now "too short".
    assert [e["type"] for e in relevant(caught.value.errors())] == ["extra_forbidden"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("pass_mark", 101), ("pass_mark", -1), ("time_limit", 0), ("attempts_allowed", 0),
     ("grading", "best"), ("mode", "test"), ("feedback", "never")],
)
def test_quiz_field_limits(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        Quiz.model_validate({"id": "q", "title": "Q", field: value})


def test_a_bank_needs_questions() -> None:
    with pytest.raises(ValidationError):
        BankFile.model_validate(bank(questions=[]))


def test_every_registered_type_is_in_the_union() -> None:
    adapter = question_adapter()
    assert question_adapter() is adapter  # built once
    for name in QUESTION_TYPES:
        with pytest.raises(ValidationError) as caught:
            adapter.validate_python({"type": name})
        assert all(e["loc"][0] == name for e in caught.value.errors())


def test_locations_are_walked_through_the_models() -> None:
    place = place_of(("questions", 3, "numeric", "answers", 0, "value"))
    assert place.field == "value"
    assert "tolerance" in known_keys(("questions", 0, "numeric", "answers", 0))
    assert "options" in known_keys(("questions", 0, "single_choice"))
    assert "answer" in known_keys(("questions", 0, "true_false"))
    blank = ("questions", 0, "cloze", "blanks", "g", "numeric")
    assert "units" in known_keys(blank)
    assert place_of((*blank, "units", "mm")).name == "mm"


def test_translation_names_the_field_and_its_limits() -> None:
    with pytest.raises(ValidationError) as caught:
        BankFile.model_validate(bank(questions=[question(points="ten")]))
    (error,) = relevant(caught.value.errors())
    friendly = translate(error)
    assert friendly.message == ("`points` must be a number greater than 0 and at most 1000, "
                                "got 'ten'")
    assert friendly.loc == ("questions", 0, "true_false", "points")
