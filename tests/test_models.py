"""The typed models' derived values."""

from __future__ import annotations

from quizapp.models import Quiz


def test_quiz_rules_are_read_once_and_again_after_a_change() -> None:
    quiz = Quiz(slug="weekly", title="Weekly check", settings={"mode": "exam", "time_limit": 20})
    rules = quiz.rules
    assert (rules.mode, rules.time_limit, rules.grading) == ("exam", 20, "highest")
    assert quiz.rules is rules  # validated once while nothing changed

    quiz.settings = {"mode": "practice"}
    assert (quiz.rules.mode, quiz.rules.time_limit) == ("practice", None)
    quiz.title = "Weekly practice"
    assert quiz.rules.title == "Weekly practice"
    # Keys a newer or older version stored, unknown to the model, are left out.
    quiz.settings = {"mode": "exam", "retired_option": True}
    assert quiz.rules.mode == "exam"


def test_rows_of_the_same_declaration_share_their_rules() -> None:
    # Each request loads new rows: the rules are validated once per declaration.
    first = Quiz(slug="weekly", title="Weekly check", settings={"mode": "exam", "time_limit": 20})
    again = Quiz(slug="weekly", title="Weekly check", settings={"mode": "exam", "time_limit": 20})
    assert again.rules is first.rules
    other = [
        Quiz(slug="weekly", title="Weekly check", settings={"mode": "exam", "time_limit": 25}),
        Quiz(slug="weekly", title="Weekly test", settings={"mode": "exam", "time_limit": 20}),
        Quiz(slug="monthly", title="Weekly check", settings={"mode": "exam", "time_limit": 20}),
    ]
    assert [quiz.rules.time_limit for quiz in other] == [25, 20, 20]
    assert [quiz.rules.title for quiz in other] == ["Weekly check", "Weekly test", "Weekly check"]
    assert all(quiz.rules is not first.rules for quiz in other)
