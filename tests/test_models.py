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
