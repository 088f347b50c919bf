"""Exam navigation (services/navigation.py): where the page's "go" buttons lead."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from helpers import quiz_id

from quizapp.extensions import db
from quizapp.services import attempts
from quizapp.services.attempts import AttemptError
from quizapp.services.navigation import Move, following, move_without_answer

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("position", "go", "expected"), [
    (1, "next", 2), (1, None, 2), (2, "next", 3), (3, "next", None),
    (2, "previous", 1), (1, "previous", 2), (3, "previous", 2),
    (2, "summary", None), (2, "stay", 2), (3, "stay", 3),
    (2, "sideways", 3),
])
def test_following(position: int, go: str | None, expected: int | None) -> None:
    assert following(3, position, go) == expected


def test_a_blank_go_on_moves_through_an_open_exam(app: Flask, make_user) -> None:
    learner = make_user("lena")
    with app.app_context():
        attempt = attempts.start_attempt(db.session, learner, quiz_id(app, "exam"), NOW)
        total = len(attempt.items)
        assert move_without_answer(db.session, learner, attempt.id, 1, "next") == Move(2)
        assert move_without_answer(db.session, learner, attempt.id, 2, "previous") == Move(1)
        assert move_without_answer(db.session, learner, attempt.id, total, "next") == Move(None)
        with pytest.raises(AttemptError):
            move_without_answer(db.session, learner, attempt.id, total + 1, "next")
        other = make_user("otto")
        with pytest.raises(AttemptError):
            move_without_answer(db.session, other, attempt.id, 1, "next")
        attempts.finish_attempt(db.session, learner, attempt.id, NOW)
        # A finished exam does not move: the post is refused as an answer would be.
        assert move_without_answer(db.session, learner, attempt.id, 1, "next") is None


def test_outside_exams_a_blank_post_is_an_answer_to_read(app: Flask, make_user) -> None:
    learner = make_user("lena")
    with app.app_context():
        attempt = attempts.start_attempt(db.session, learner, quiz_id(app, "practice"), NOW)
        assert move_without_answer(db.session, learner, attempt.id, 1, "next") is None
