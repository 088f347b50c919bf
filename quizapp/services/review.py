"""Review and mistakes sessions: questions drawn from the learner's own schedule.

A review session holds the questions whose FSRS due date has come, across every
bank; a mistakes session holds the questions the learner last answered wrong.
Both are practice attempts without a quiz (`Attempt.quiz_id` is NULL), so every
answer gives feedback at once and reschedules its card through the same
`progress.record_answer` as any practice answer.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from quizapp.models import Attempt, QuestionVersion, ReviewCard
from quizapp.services.attempts import (
    AttemptError,
    add_items,
    finish_now,
    get_attempt,
    latest_open,
    question_ids_of,
    refuse_during_exam,
)
from quizapp.services.progress import live_cards

# A session long enough to be worth it, short enough to finish in one sitting.
SESSION_SIZE = 20
KINDS = ("review", "mistakes")


class NothingToReview(AttemptError):
    """No question qualifies; the learner is told when the next one will."""

    status = 409

    def __init__(self, message: str, next_due: datetime | None = None) -> None:
        super().__init__(message)
        self.next_due = next_due


def _cards(user_id: int) -> Select[QuestionVersion]:
    """The current versions behind a learner's cards, live questions in live banks only."""
    return live_cards(select(QuestionVersion).select_from(ReviewCard), user_id)


def due_versions(session: Session, user_id: int, now: datetime) -> list[QuestionVersion]:
    """Questions whose review has come, the longest overdue first."""
    statement = _cards(user_id).where(ReviewCard.due <= now)
    statement = statement.order_by(ReviewCard.due, ReviewCard.id).limit(SESSION_SIZE)
    return list(session.scalars(statement))


def mistake_versions(session: Session, user_id: int) -> list[QuestionVersion]:
    """Questions the learner last answered wrong, the most recent mistakes first."""
    statement = _cards(user_id).where(ReviewCard.last_correct.is_(False))
    statement = statement.order_by(ReviewCard.last_answered_at.desc(), ReviewCard.id)
    return list(session.scalars(statement.limit(SESSION_SIZE)))


def next_due(session: Session, user_id: int) -> datetime | None:
    statement = _cards(user_id).with_only_columns(ReviewCard.due).order_by(ReviewCard.due)
    return session.scalar(statement.limit(1))


def open_session(session: Session, user_id: int, kind: str) -> Attempt | None:
    found = latest_open(session, user_id, Attempt.kind == kind)
    return None if found is None else get_attempt(session, user_id, found.id)


def start_session(
    session: Session, user_id: int, kind: str, now: datetime, seed: int | None = None
) -> Attempt:
    """Resume the learner's open session of this kind, or start one.

    A session whose questions are all answered is finished first, so "Review now"
    never lands on a page with nothing left to do.
    """
    if kind not in KINDS:
        raise AttemptError(f"Unknown kind of session {kind!r}: use review or mistakes.")
    current = open_session(session, user_id, kind)
    if current is not None:
        if any(item.answer is None for item in current.items):
            refuse_during_exam(session, user_id, question_ids_of(current), now)
            return current
        finish_now(session, current, now)
    versions = (
        due_versions(session, user_id, now)
        if kind == "review"
        else mistake_versions(session, user_id)
    )
    if not versions:
        raise _nothing(session, user_id, kind)
    refuse_during_exam(session, user_id, {v.question_id for v in versions}, now)
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31 - 1)
    attempt = Attempt(
        user_id=user_id,
        quiz_id=None,
        kind=kind,
        mode="practice",
        feedback="immediate",
        seed=seed,
        started_at=now,
    )
    session.add(attempt)
    session.flush()
    add_items(session, attempt, versions)
    session.commit()
    return attempt


def _nothing(session: Session, user_id: int, kind: str) -> NothingToReview:
    if kind == "mistakes":
        return NothingToReview(
            "No mistakes to practise: every question you answered, you last answered right."
        )
    upcoming = next_due(session, user_id)
    if upcoming is None:
        return NothingToReview(
            "Nothing to review yet: answer some quiz questions first, and they will come "
            "back here when it is time to review them."
        )
    return NothingToReview(
        "Nothing is due for review now. The next question is due on "
        f"{upcoming:%d %b %Y at %H:%M} UTC.",
        next_due=upcoming,
    )
