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

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.models import Attempt, Bank, Question, QuestionVersion, ReviewCard
from quizapp.services.attempts import (
    AttemptError,
    NotFound,
    add_items,
    finish_now,
    get_attempt,
    latest_open,
    question_ids_of,
    refuse_during_exam,
    start_in_rounds,
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


def attempt_mistake_versions(
    session: Session, user_id: int, attempt_id: int
) -> list[QuestionVersion]:
    """The current versions of the questions a finished attempt got wrong (or left
    unanswered), in the attempt's order; retired questions and banks left out."""
    attempt = get_attempt(session, user_id, attempt_id, with_versions=True)
    if not attempt.finished:
        raise AttemptError("Finish the attempt first; then you can practise what you missed.")
    wanted = [
        item.version.question_id
        for item in attempt.items
        if item.answer is None or item.answer.fraction < 1.0 - 1e-9
    ]
    if not wanted:
        return []
    rows = session.scalars(
        select(QuestionVersion)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Question.bank_id == Bank.id)
        .where(Question.id.in_(wanted), Question.retired.is_(False), Bank.retired.is_(False))
    ).all()
    order = {question_id: index for index, question_id in enumerate(wanted)}
    return sorted(rows, key=lambda v: order[v.question_id])[:SESSION_SIZE]


def start_session(
    session: Session, user_id: int, kind: str, now: datetime, seed: int | None = None,
    from_attempt: int | None = None,
) -> Attempt:
    """Resume the learner's open session of this kind, or start one.

    A session whose questions are all answered is finished first, so "Review now"
    never lands on a page with nothing left to do. `from_attempt` (mistakes only)
    starts a mistakes session of that finished attempt's wrong questions, ending
    any open mistakes session first: the learner asked for these questions.
    """
    if kind not in KINDS:
        raise AttemptError(f"Unknown kind of session {kind!r}: use review or mistakes.")
    if from_attempt is not None and kind != "mistakes":
        raise AttemptError("Only a mistakes session can be drawn from one attempt.")
    if from_attempt is not None:
        return _session_from_attempt(session, user_id, kind, now, seed, from_attempt)
    # One open session per learner and kind is a unique index (uq_attempts_open_session):
    # of simultaneous starts one insert succeeds, and the others look again and resume it.
    return start_in_rounds(session, lambda: _start_once(session, user_id, kind, now, seed))


def _start_once(
    session: Session, user_id: int, kind: str, now: datetime, seed: int | None
) -> Attempt:
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
    return _new_session(session, user_id, kind, now, seed, versions)


def _session_from_attempt(
    session: Session, user_id: int, kind: str, now: datetime, seed: int | None,
    from_attempt: int,
) -> Attempt:
    """The mistakes session of one finished attempt: the open one if it holds exactly
    these questions, else a new one (ending any other open mistakes session)."""
    for _ in range(3):
        _lock_attempt(session, user_id, from_attempt)
        try:
            current = open_session(session, user_id, kind)
            versions = attempt_mistake_versions(session, user_id, from_attempt)
        except AttemptError:
            session.rollback()
            raise
        if not versions:
            session.rollback()
            raise NothingToReview("Nothing to practise: every question of that attempt was right.")
        if current is None:
            try:
                return _new_session(session, user_id, kind, now, seed, versions)
            except IntegrityError:
                # A plain mistakes start opened one meanwhile: look again.
                session.rollback()
                continue
            except AttemptError:
                session.rollback()
                raise
        wanted = [v.question_id for v in versions]
        if [i.version.question_id for i in current.items] == wanted and any(
            item.answer is None for item in current.items
        ):
            try:
                refuse_during_exam(session, user_id, set(wanted), now)
            except AttemptError:
                session.rollback()
                raise
            session.commit()  # pressed again: the session already started goes on
            return current
        # Another mistakes session gives way to the one asked for now; finishing it
        # commits, so the lock is taken again and the open session looked up again.
        finish_now(session, current, now)
    raise AttemptError("Your mistakes session changed meanwhile; please try again.")


def _lock_attempt(session: Session, user_id: int, attempt_id: int) -> None:
    """Take the lock that makes the same press, arriving many times at once, start one
    session: a no-op UPDATE of the source attempt as the transaction's first write
    holds SQLite's write lock (or PostgreSQL's row lock) until the commit, so these
    requests run one at a time and each later one finds what the first one started."""
    locked = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id)
        .values(seed=Attempt.seed)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NotFound("There is no such attempt.")


def _new_session(
    session: Session, user_id: int, kind: str, now: datetime, seed: int | None,
    versions: list[QuestionVersion],
) -> Attempt:
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
