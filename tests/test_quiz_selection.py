"""A quiz's `select` and `shuffle_questions` rules, as a started attempt draws them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from helpers import quiz_id

from quizapp import clock
from quizapp.extensions import db
from quizapp.services import attempts

QUESTIONS = 12


def bank() -> str:
    questions = "".join(
        f"""  - id: q{n}
    type: single_choice
    prompt: Which letter is number {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Beta}}
    topics: [{"odd" if n % 2 else "even"}]
"""
        for n in range(1, QUESTIONS + 1)
    )
    return f"""\
id: letters
title: Letters
topics:
  - {{id: odd, title: Odd}}
  - {{id: even, title: Even}}
quizzes:
  - id: three-odd
    title: Three odd ones
    select: {{topics: [odd], count: 3}}
  - id: in-order
    title: All, in the file's order
    shuffle_questions: false
  - id: shuffled
    title: All, shuffled
    shuffle_questions: true
questions:
{questions}"""


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "letters.yaml").write_text(bank(), encoding="utf-8")
    return folder


def drawn(app: Flask, user_id: int, slug: str, seed: int) -> list[str]:
    """The question ids of a new attempt, in the order it shows them."""
    with app.app_context():
        attempt = attempts.start_attempt(db.session, user_id, quiz_id(app, slug), clock.now(),
                                         seed=seed)
        ids = [item.version.question.slug for item in attempt.items]
        attempts.finish_now(db.session, attempt, clock.now())
        return ids


def test_a_topic_and_a_count_narrow_the_draw(app: Flask, make_user) -> None:
    learner = make_user("odette")
    for seed in range(5):
        ids = drawn(app, learner, "three-odd", seed)
        assert len(ids) == 3
        assert all(int(question[1:]) % 2 == 1 for question in ids), ids


def test_without_shuffling_questions_come_in_the_files_order(app: Flask, make_user) -> None:
    learner = make_user("orla")
    for seed in range(3):
        assert drawn(app, learner, "in-order", seed) == [f"q{n}" for n in range(1, 13)]


def test_shuffling_changes_the_order_and_keeps_every_question_once(
    app: Flask, make_user
) -> None:
    learner = make_user("sasha")
    orders = [drawn(app, learner, "shuffled", seed) for seed in range(5)]
    for order in orders:
        assert sorted(order) == sorted(f"q{n}" for n in range(1, 13))
    assert any(order != [f"q{n}" for n in range(1, 13)] for order in orders)
    assert len({tuple(order) for order in orders}) > 1
