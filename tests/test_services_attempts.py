"""Attempt rules at the service level: one answer per question, grading, integrity."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from flask import Flask
from helpers import Browser, quiz_id
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, QuizStat
from quizapp.services import attempts, progress
from quizapp.services.attempts import AttemptError, NotFound

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def read_text(text: str):  # type: ignore[no-untyped-def]
    return lambda spec, seed: spec.parse_json(text, seed)


@pytest.fixture
def learner(app: Flask, make_user) -> int:
    return make_user("lena")


def test_start_resumes_the_open_attempt(app: Flask, learner: int) -> None:
    with app.app_context():
        first = attempts.start_attempt(db.session, learner, quiz_id(app, "practice"), NOW)
        again = attempts.start_attempt(db.session, learner, quiz_id(app, "practice"), NOW)
        assert first.id == again.id


def test_concurrent_submissions_of_one_answer_store_one_row(app: Flask, learner: int) -> None:
    with app.app_context():
        attempt_id = attempts.start_attempt(
            db.session, learner, quiz_id(app, "practice"), NOW).id
    barrier = threading.Barrier(30)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with app.app_context():
                barrier.wait()
                attempts.submit_answer(db.session, learner, attempt_id, 1, read_text("1520"), NOW)
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_cannot_answer_a_finished_attempt(app: Flask, learner: int) -> None:
    with app.app_context():
        attempt = attempts.start_attempt(db.session, learner, quiz_id(app, "practice"), NOW)
        attempts.finish_attempt(db.session, learner, attempt.id, NOW)
        with pytest.raises(AttemptError, match="finished"):
            attempts.submit_answer(db.session, learner, attempt.id, 1, read_text("1520"), NOW)


def test_other_learners_get_not_found(app: Flask, learner: int, make_user) -> None:
    other = make_user("moritz")
    with app.app_context():
        attempt = attempts.start_attempt(db.session, learner, quiz_id(app, "practice"), NOW)
        with pytest.raises(NotFound):
            attempts.get_attempt(db.session, other, attempt.id)
        with pytest.raises(NotFound):
            attempts.submit_answer(db.session, other, attempt.id, 1, read_text("1520"), NOW)


@pytest.mark.parametrize(("grading", "expected"), [
    ("highest", 100.0), ("average", 50.0), ("first", 0.0), ("last", 50.0),
])
def test_grading_methods(grading: str, expected: float) -> None:
    stat = QuizStat(attempts=3, first_percent=0.0, last_percent=50.0, best_percent=100.0,
                    sum_percent=150.0)
    assert progress.quiz_grade(stat, grading) == expected


def test_finishing_updates_the_quiz_aggregate(app: Flask, learner: int) -> None:
    with app.app_context():
        practice = quiz_id(app, "practice")
        for answer in ("1520", "1435"):
            attempt = attempts.start_attempt(db.session, learner, practice, NOW)
            attempts.submit_answer(db.session, learner, attempt.id, 1, read_text(answer), NOW)
            attempts.finish_attempt(db.session, learner, attempt.id, NOW)
        stat = db.session.scalar(select(QuizStat))
        assert stat.attempts == 2
        assert stat.first_percent == pytest.approx(100 / 3)
        assert stat.last_percent == 0.0
        assert stat.best_percent == pytest.approx(100 / 3)


def test_streak_counts_consecutive_days() -> None:
    from datetime import date

    days = [date(2026, 3, 1), date(2026, 2, 28), date(2026, 2, 27), date(2026, 2, 25)]
    assert progress.streak(days, date(2026, 3, 1)) == 3
    assert progress.streak(days, date(2026, 3, 2)) == 3  # today not yet active
    assert progress.streak(days, date(2026, 3, 3)) == 0


def test_question_counts_follow_the_bank_when_it_changes(app: Flask, questions_dir) -> None:
    """The home page's counts are cached by the bank's last sync, never stale after one."""
    from pathlib import Path

    from helpers import SAMPLE_BANK

    from quizapp.banks.sync import sync_folder
    from quizapp.models import Quiz

    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id(app, "practice"))
        assert attempts.question_count(db.session, quiz, 200) == 2
        assert attempts.question_count(db.session, quiz, 1) == 1  # the cap counts too
        fewer = SAMPLE_BANK.split("  - id: city\n")[0]
        (Path(questions_dir) / "sample.yaml").write_text(fewer, encoding="utf-8")
        assert sync_folder(db.session, Path(questions_dir)).ok
        db.session.expire_all()
        quiz = db.session.get(Quiz, quiz_id(app, "practice"))
        assert attempts.question_count(db.session, quiz, 200) == 1


def right_answer(spec, seed):  # type: ignore[no-untyped-def]
    return spec.reference_response()


def test_a_learner_resumes_after_the_last_answer_saved(app: Flask, learner: int) -> None:
    with app.app_context():
        exam = attempts.start_attempt(db.session, learner, quiz_id(app, "exam"), NOW)
        exam_id = exam.id
        assert [item.position for item in exam.items] == [1, 2]
        assert attempts.resume_position(exam) == 1  # nothing answered yet

        def answer(position: int, minute: int) -> int:
            attempts.submit_answer(db.session, learner, exam_id, position, right_answer,
                                   NOW.replace(minute=minute))
            db.session.expire_all()
            return attempts.resume_position(attempts.get_attempt(db.session, learner, exam_id))

        # The first unanswered question, even when it is before the last answer.
        assert answer(2, 1) == 1
        # All answered: back at the last answer saved, not at the furthest question.
        assert answer(1, 2) == 1
        # Changing an answer is saving it again.
        assert answer(2, 3) == 2


def test_an_exam_answer_changed_before_the_end_replaces_the_first(
    app: Flask, learner: int
) -> None:
    with app.app_context():
        exam = attempts.start_attempt(db.session, learner, quiz_id(app, "exam"), NOW)
        exam_id = exam.id
        gauge = next(item.position for item in exam.items
                     if item.version.question.slug == "gauge")
        first = attempts.submit_answer(db.session, learner, exam_id, gauge,
                                       read_text("1435"), NOW, sequence=0)
        changed = attempts.submit_answer(db.session, learner, exam_id, gauge,
                                         read_text("1520"), NOW, sequence=1)
        assert first.stored and changed.stored
        stored = db.session.scalars(select(Answer)).all()
        assert [(a.response, a.fraction) for a in stored] == [("1520", 1.0)]
        # The page of the first answer is out of date now: its answer is refused.
        with pytest.raises(attempts.StalePage):
            attempts.submit_answer(db.session, learner, exam_id, gauge, read_text("1435"),
                                   NOW, sequence=1)
        finished = attempts.finish_attempt(db.session, learner, exam_id, NOW)
        assert finished.score == 1.0


def test_the_question_page_cites_the_banks_source_once_feedback_is_due(
    app: Flask, learner: int
) -> None:
    with app.app_context():
        attempt_id = attempts.start_attempt(
            db.session, learner, quiz_id(app, "practice"), NOW).id
        before = attempts.question_page(db.session, learner, attempt_id, 1, NOW)
        assert not before.show_feedback and before.sources == {}
        attempts.submit_answer(db.session, learner, attempt_id, 1, read_text("1520"), NOW)
        after = attempts.question_page(db.session, learner, attempt_id, 1, NOW)
        assert after.show_feedback
        assert after.sources["art"]["title"] == "An article"
    # The page as the learner sees it names the source beside the quote.
    browser = Browser(app.test_client())
    browser.login("lena")
    page = browser.get(f"/attempt/{attempt_id}/q/1").get_data(as_text=True)
    assert "An article</a>, A paper" in page
