"""Learner progress, kept as running aggregates.

Each answer updates the learner's topic, day and review-card rows in the same
transaction that stores it, and each finished attempt updates its quiz row, so
the progress page reads a handful of small rows however long the history is.
Upserts use INSERT ... ON CONFLICT so that two answers at once cannot collide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from quizapp import scheduling
from quizapp.models import (
    Attempt,
    AttemptItem,
    Bank,
    DayStat,
    Quiz,
    QuizStat,
    ReviewCard,
    TopicStat,
)
from quizapp.qtypes.base import Outcome

# Mastery looks at about the last RECENT_WINDOW answers of a topic.
RECENT_WINDOW = 5


def _insert(session: Session, model: type) -> Any:
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


def record_answer(
    session: Session, user_id: int, item: AttemptItem, outcome: Outcome, when: datetime
) -> None:
    """Fold one final answer into the learner's aggregates and review schedule."""
    version = item.version
    right = 1 if outcome.correct else 0
    bank_id = version.question.bank_id
    for topic in version.spec.get("topics") or ():
        _bump_topic(session, user_id, bank_id, topic, right)
    _bump_day(session, user_id, when, right)
    _schedule(session, user_id, version.question_id, outcome, when)


def _bump_topic(session: Session, user_id: int, bank_id: int, topic: str, right: int) -> None:
    table = TopicStat.__table__
    # Running mean over the first answers, then an exponential average over the window.
    step = case(
        (table.c.answered + 1 < RECENT_WINDOW, table.c.answered + 1), else_=literal(RECENT_WINDOW)
    )
    statement = _insert(session, TopicStat).values(
        user_id=user_id, bank_id=bank_id, topic=topic, answered=1, correct=right,
        recent=float(right),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "bank_id", "topic"],
        set_={
            "answered": table.c.answered + 1,
            "correct": table.c.correct + right,
            "recent": table.c.recent + (float(right) - table.c.recent) / step,
        },
    )
    session.execute(statement)


def _bump_day(session: Session, user_id: int, when: datetime, right: int) -> None:
    table = DayStat.__table__
    statement = _insert(session, DayStat).values(
        user_id=user_id, day=when.date(), answered=1, correct=right
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "day"],
        set_={"answered": table.c.answered + 1, "correct": table.c.correct + right},
    )
    session.execute(statement)


def _schedule(
    session: Session, user_id: int, question_id: int, outcome: Outcome, when: datetime
) -> None:
    card = session.scalar(
        select(ReviewCard).where(
            ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
        )
    )
    state = scheduling.review(card.card if card else None, outcome.fraction, when)
    due = scheduling.due_of(state)
    values = {
        "card": state,
        "due": due,
        "last_correct": outcome.correct,
        "last_answered_at": when,
    }
    if card is None:
        statement = _insert(session, ReviewCard).values(
            user_id=user_id, question_id=question_id, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=["user_id", "question_id"],
            set_={key: statement.excluded[key] for key in values},
        )
        session.execute(statement)
    else:
        for key, value in values.items():
            setattr(card, key, value)


def record_finish(session: Session, attempt: Attempt) -> None:
    """Fold a finished quiz attempt into the learner's per-quiz row."""
    if attempt.quiz_id is None:
        return
    percent = attempt.percent
    table = QuizStat.__table__
    statement = _insert(session, QuizStat).values(
        user_id=attempt.user_id, quiz_id=attempt.quiz_id, attempts=1,
        first_percent=percent, last_percent=percent, best_percent=percent, sum_percent=percent,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "quiz_id"],
        set_={
            "attempts": table.c.attempts + 1,
            "last_percent": percent,
            "best_percent": case(
                (table.c.best_percent < percent, literal(percent)), else_=table.c.best_percent
            ),
            "sum_percent": table.c.sum_percent + percent,
        },
    )
    session.execute(statement)


def quiz_grade(stat: QuizStat, grading: str) -> float | None:
    """The quiz grade under its grading method, from the running aggregate."""
    if not stat.attempts:
        return None
    if grading == "average":
        return stat.sum_percent / stat.attempts
    if grading == "first":
        return stat.first_percent
    if grading == "last":
        return stat.last_percent
    return stat.best_percent


# -- reading progress ---------------------------------------------------------------
HISTORY_LIMIT = 20


@dataclass(frozen=True)
class QuizSummary:
    quiz: Quiz
    attempts: int
    grade: float | None
    passed: bool | None
    attempts_left: int | None


@dataclass(frozen=True)
class TopicMastery:
    bank_title: str
    topic: str
    title: str
    answered: int
    correct: int
    mastery: float  # share of recent answers right, 0..1


@dataclass(frozen=True)
class ProgressReport:
    quizzes: list[QuizSummary]
    topics: list[TopicMastery]
    due_count: int
    streak_days: int
    recent_attempts: list[Attempt]
    total_attempts: int


def summarise_quiz(quiz: Quiz, stat: QuizStat | None) -> QuizSummary:
    settings = quiz.settings
    grade = quiz_grade(stat, settings.get("grading", "highest")) if stat else None
    pass_mark = settings.get("pass_mark")
    allowed = settings.get("attempts_allowed")
    attempts = stat.attempts if stat else 0
    return QuizSummary(
        quiz=quiz,
        attempts=attempts,
        grade=grade,
        passed=None if grade is None or pass_mark is None else grade >= pass_mark,
        attempts_left=None if allowed is None else max(0, allowed - attempts),
    )


def quiz_summary(session: Session, user_id: int, quiz: Quiz) -> QuizSummary:
    stat = session.scalar(
        select(QuizStat).where(QuizStat.user_id == user_id, QuizStat.quiz_id == quiz.id)
    )
    return summarise_quiz(quiz, stat)


def streak(days: list[date], today: date) -> int:
    """Consecutive active days ending today (or yesterday, if today is still empty)."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def progress_report(session: Session, user_id: int, now: datetime) -> ProgressReport:
    stats = session.execute(
        select(QuizStat, Quiz)
        .join(Quiz, QuizStat.quiz_id == Quiz.id)
        .where(QuizStat.user_id == user_id)
        .order_by(Quiz.title)
    ).all()
    topic_rows = session.execute(
        select(TopicStat, Bank)
        .join(Bank, TopicStat.bank_id == Bank.id)
        .where(TopicStat.user_id == user_id)
        .order_by(Bank.title, TopicStat.topic)
    ).all()
    due_count = session.scalar(
        select(func.count(ReviewCard.id)).where(
            ReviewCard.user_id == user_id, ReviewCard.due <= now
        )
    ) or 0
    # A streak longer than a year is still shown as a year: the page reads at most 366 rows.
    recent_days = session.scalars(
        select(DayStat.day)
        .where(DayStat.user_id == user_id)
        .order_by(DayStat.day.desc())
        .limit(366)
    ).all()
    recent_attempts = list(
        session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
            .options(selectinload(Attempt.quiz))
            .order_by(Attempt.finished_at.desc())
            .limit(HISTORY_LIMIT)
        )
    )
    total_attempts = sum(stat.attempts for stat, _quiz in stats)
    return ProgressReport(
        quizzes=[summarise_quiz(quiz, stat) for stat, quiz in stats],
        topics=[_mastery(stat, bank) for stat, bank in topic_rows],
        due_count=due_count,
        streak_days=streak(list(recent_days), now.date()),
        recent_attempts=recent_attempts,
        total_attempts=total_attempts,
    )


def _mastery(stat: TopicStat, bank: Bank) -> TopicMastery:
    titles = {t.get("id"): t.get("title") for t in (bank.meta or {}).get("topics", [])}
    return TopicMastery(
        bank_title=bank.title,
        topic=stat.topic,
        title=titles.get(stat.topic) or stat.topic,
        answered=stat.answered,
        correct=stat.correct,
        mastery=stat.recent,
    )
