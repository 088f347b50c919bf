"""Regrading: score past answers to a question again with its current version.

A dry run lists who would gain and who would lose, and by how much; applying it
rewrites those answers, moves their attempt items to the current version (so a
review shows the key they were scored by), and brings every aggregate built from
them back in line: attempt scores, the per-quiz rows, the per-topic and per-day
counts. Each item is claimed with a guarded UPDATE (`... WHERE question_version_id
= <old>`), so two regrades at once cannot apply the same change twice: the second
finds nothing left to claim. Responses the current version cannot read are left as
they were and reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from quizapp.models import (
    Answer,
    Attempt,
    AttemptItem,
    DayStat,
    Question,
    QuestionVersion,
    QuizStat,
    Regrade,
    TopicStat,
    User,
)
from quizapp.qtypes.base import Outcome, QuestionSpec, ResponseError, is_correct
from quizapp.services.attempts import outcome_to_dict, spec_of
from quizapp.services.progress import RECENT_WINDOW, record_finish


class RegradeError(Exception):
    status = 404


@dataclass(frozen=True)
class Change:
    item_id: int  # the answer's key too
    old_version_id: int
    attempt_id: int
    user_id: int
    username: str
    before: float  # points
    after: float
    before_correct: bool
    after_correct: bool

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class RegradePlan:
    question: Question
    version: QuestionVersion
    changes: list[Change] = field(default_factory=list)  # points move
    unchanged: list[Change] = field(default_factory=list)  # same points, new version
    unreadable: int = 0  # responses the current version cannot read; left alone

    @property
    def gainers(self) -> list[Change]:
        return [c for c in self.changes if c.delta > 0]

    @property
    def losers(self) -> list[Change]:
        return [c for c in self.changes if c.delta < 0]

    @property
    def points_delta(self) -> float:
        return sum(c.delta for c in self.changes)

    @property
    def pending(self) -> int:
        return len(self.changes) + len(self.unchanged)


def _question(session: Session, question_id: int) -> tuple[Question, QuestionVersion]:
    question = session.get(Question, question_id)
    if question is None or question.current_version_id is None:
        raise RegradeError("There is no such question.")
    version = session.get(QuestionVersion, question.current_version_id)
    assert version is not None
    return question, version


def _rescore(spec: QuestionSpec, response: Any) -> Outcome | None:
    try:
        return spec.score(response)
    except ResponseError:
        return None


def plan_regrade(session: Session, question_id: int) -> RegradePlan:
    """The dry run: what applying a regrade now would change. Writes nothing."""
    question, version = _question(session, question_id)
    spec = spec_of(version)
    plan = RegradePlan(question, version)
    rows = session.execute(
        select(Answer.response, Answer.points, Answer.fraction, AttemptItem.id,
               AttemptItem.question_version_id, AttemptItem.points, Attempt.id,
               Attempt.user_id, User.username)
        .join(AttemptItem, Answer.item_id == AttemptItem.id)
        .join(QuestionVersion, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Attempt, AttemptItem.attempt_id == Attempt.id)
        .join(User, Attempt.user_id == User.id)
        .where(QuestionVersion.question_id == question.id,
               AttemptItem.question_version_id != version.id)
        .order_by(User.username, Attempt.id)
    ).all()
    for (response, points, fraction, item_id, old_version, weight, attempt_id,
         user_id, username) in rows:
        outcome = _rescore(spec, response)
        if outcome is None:
            plan.unreadable += 1
            continue
        change = Change(item_id, old_version, attempt_id, user_id, username,
                        points, outcome.fraction * weight, is_correct(fraction),
                        outcome.correct)
        (plan.changes if abs(change.delta) > 1e-9 else plan.unchanged).append(change)
    return plan


@dataclass(frozen=True)
class RegradeResult:
    record: Regrade | None  # None when nothing was left to regrade
    applied: list[Change]


def apply_regrade(
    session: Session, question_id: int, user_id: int | None, now: datetime
) -> RegradeResult:
    """Apply the regrade in one transaction; safe to run twice at once."""
    plan = plan_regrade(session, question_id)
    spec = spec_of(plan.version)
    applied: list[Change] = []
    try:
        for change in [*plan.changes, *plan.unchanged]:
            claimed = session.execute(
                update(AttemptItem)
                .where(AttemptItem.id == change.item_id,
                       AttemptItem.question_version_id == change.old_version_id)
                .values(question_version_id=plan.version.id)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            if claimed != 1:
                continue  # another regrade got there first
            # Read again under the write lock: the response may have changed since the plan.
            answer = session.get(Answer, change.item_id, populate_existing=True)
            assert answer is not None
            outcome = _rescore(spec, answer.response)
            if outcome is None:
                continue
            weight = session.scalar(
                select(AttemptItem.points).where(AttemptItem.id == change.item_id))
            before, before_correct = answer.points, is_correct(answer.fraction)
            answer.fraction = outcome.fraction
            answer.points = outcome.fraction * (weight or 0.0)
            answer.outcome = outcome_to_dict(outcome)
            applied.append(Change(
                change.item_id, change.old_version_id, change.attempt_id,
                change.user_id, change.username, before, answer.points, before_correct,
                outcome.correct))
        session.flush()
        moved = [c for c in applied if abs(c.delta) > 1e-9]
        _refresh_aggregates(session, plan.question, applied)
        record = None
        if applied:
            record = Regrade(
                question_id=plan.question.id, version_id=plan.version.id, user_id=user_id,
                created_at=now, answers_changed=len(moved),
                gained=sum(1 for c in moved if c.delta > 0),
                lost=sum(1 for c in moved if c.delta < 0),
                points_delta=sum(c.delta for c in moved),
                changes=[{"attempt_id": c.attempt_id, "user_id": c.user_id,
                          "username": c.username, "before": c.before, "after": c.after}
                         for c in moved],
            )
            session.add(record)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return RegradeResult(record, applied)


def history(session: Session, question_id: int) -> list[Regrade]:
    return list(session.scalars(
        select(Regrade).where(Regrade.question_id == question_id).order_by(Regrade.id.desc())
    ))


# -- aggregates -----------------------------------------------------------------------------
def _refresh_aggregates(session: Session, question: Question, applied: list[Change]) -> None:
    moved = [c for c in applied if abs(c.delta) > 1e-9 or c.before_correct != c.after_correct]
    if not moved:
        return
    attempt_ids = sorted({c.attempt_id for c in moved})
    attempts = session.scalars(
        select(Attempt).where(Attempt.id.in_(attempt_ids)).with_for_update()
    ).all()
    for attempt in attempts:
        if attempt.finished_at is not None:
            attempt.score = session.scalar(
                select(func.coalesce(func.sum(Answer.points), 0.0))
                .join(AttemptItem, Answer.item_id == AttemptItem.id)
                .where(AttemptItem.attempt_id == attempt.id)
            ) or 0.0
    session.flush()
    pairs = {(a.user_id, a.quiz_id) for a in attempts if a.quiz_id is not None}
    for user_id, quiz_id in sorted(pairs):
        _rebuild_quiz_stat(session, user_id, quiz_id)
    for user_id in sorted({c.user_id for c in moved}):
        _rebuild_topics_and_days(session, user_id, question.bank_id)


def _rebuild_quiz_stat(session: Session, user_id: int, quiz_id: int) -> None:
    """Fold the learner's finished attempts into a fresh per-quiz row, in finishing order,
    with the same rule the finish uses."""
    session.execute(delete(QuizStat).where(QuizStat.user_id == user_id,
                                           QuizStat.quiz_id == quiz_id))
    finished = session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id,
               Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at, Attempt.id)
    ).all()
    for attempt in finished:
        record_finish(session, attempt)


def _rebuild_topics_and_days(session: Session, user_id: int, bank_id: int) -> None:
    """Recount the learner's topic rows of this bank and right answers per day.

    An answer counts when it was folded into progress: a practice answer at once, an
    exam answer when its attempt finished. Replayed in that order, the running
    "recent" share comes out as the answer service would have kept it.
    """
    rows = session.execute(
        select(Answer.fraction, Answer.answered_at, Answer.item_id, Attempt.mode,
               Attempt.finished_at, AttemptItem.position, QuestionVersion.spec)
        .join(AttemptItem, Answer.item_id == AttemptItem.id)
        .join(Attempt, AttemptItem.attempt_id == Attempt.id)
        .join(QuestionVersion, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Question, QuestionVersion.question_id == Question.id)
        .where(Attempt.user_id == user_id, Question.bank_id == bank_id)
    ).all()
    counted = []
    for fraction, answered_at, item_id, mode, finished_at, position, spec in rows:
        if mode == "exam":
            if finished_at is None:
                continue
            counted.append(((finished_at, 1, position, item_id), fraction, spec))
        else:
            counted.append(((answered_at, 0, 0, item_id), fraction, spec))
    counted.sort(key=lambda row: row[0])
    topics: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    days: dict[Any, int] = defaultdict(int)
    for (when, *_rest), fraction, spec in counted:
        right = 1 if is_correct(fraction) else 0
        for topic in spec.get("topics") or ():
            state = topics[topic]
            step = min(state[0] + 1, RECENT_WINDOW)
            state[0] += 1
            state[1] += right
            state[2] += (right - state[2]) / step
        days[when.date()] += right
    for stat in session.scalars(select(TopicStat).where(TopicStat.user_id == user_id,
                                                        TopicStat.bank_id == bank_id)):
        answered, correct, recent = topics.pop(stat.topic, (0, 0, 0.0))
        stat.answered, stat.correct, stat.recent = int(answered), int(correct), recent
    for topic, (answered, correct, recent) in topics.items():
        session.add(TopicStat(user_id=user_id, bank_id=bank_id, topic=topic,
                              answered=int(answered), correct=int(correct), recent=recent))
    _recount_days(session, user_id)


def _recount_days(session: Session, user_id: int) -> None:
    """Right answers per day over every bank (day rows are not per bank)."""
    rows = session.execute(
        select(Answer.fraction, Answer.answered_at, Attempt.mode, Attempt.finished_at)
        .join(AttemptItem, Answer.item_id == AttemptItem.id)
        .join(Attempt, AttemptItem.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id)
    ).all()
    right: dict[Any, int] = defaultdict(int)
    for fraction, answered_at, mode, finished_at in rows:
        if mode == "exam" and finished_at is None:
            continue
        when = finished_at if mode == "exam" else answered_at
        assert when is not None  # the open exams were skipped above
        right[when.date()] += 1 if is_correct(fraction) else 0
    for stat in session.scalars(select(DayStat).where(DayStat.user_id == user_id)):
        stat.correct = right.get(stat.day, 0)
