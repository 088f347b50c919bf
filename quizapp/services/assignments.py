"""Assignments: a quiz set for a class, its effective settings per student, its status.

A student's effective settings are the quiz's own, then the assignment's overrides,
then the student's exception (extra minutes, extra attempts), in that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from quizapp.models import (
    Assignment,
    AssignmentException,
    Attempt,
    Bank,
    ClassTeacher,
    Membership,
    Quiz,
    SchoolClass,
)
from quizapp.services import attempts as attempt_service
from quizapp.services.attempts import Assigned, AttemptError, NotFound
from quizapp.services.classes import BadInput, ClassNotFound

MAX_TIME_LIMIT = 24 * 60  # minutes, as for a quiz in a bank file
MAX_ATTEMPTS = 1_000
MAX_EXTRA_MINUTES = 24 * 60
MAX_EXTRA_ATTEMPTS = 100

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
SUBMITTED = "submitted"
LATE = "late"
CLOSED = "closed"
STATUSES = (NOT_STARTED, IN_PROGRESS, SUBMITTED, LATE, CLOSED)


@dataclass(frozen=True)
class EffectiveSettings:
    time_limit: int | None  # minutes
    attempts_allowed: int | None
    opens_at: datetime
    due_at: datetime
    closes_at: datetime | None
    extra_minutes: int = 0
    extra_attempts: int = 0

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)


def effective_settings(
    assignment: Assignment, exception: AssignmentException | None
) -> EffectiveSettings:
    """Quiz settings, then the assignment's overrides, then the student's exception."""
    rules = assignment.quiz.rules
    time_limit = assignment.time_limit or rules.time_limit
    allowed = assignment.attempts_allowed or rules.attempts_allowed
    extra_minutes = exception.extra_minutes if exception else 0
    extra_attempts = exception.extra_attempts if exception else 0
    return EffectiveSettings(
        # Extra time only lengthens a timed quiz; an untimed one stays untimed.
        time_limit=time_limit + extra_minutes if time_limit else None,
        attempts_allowed=allowed + extra_attempts if allowed else None,
        opens_at=assignment.opens_at,
        due_at=assignment.due_at,
        closes_at=assignment.closes_at,
        extra_minutes=extra_minutes,
        extra_attempts=extra_attempts,
    )


class Finishable(Protocol):
    """Of an attempt, what its status reads (an Attempt, or a gradebook's plain row)."""

    @property
    def finished_at(self) -> datetime | None: ...


def status_of(
    settings: EffectiveSettings, attempts: Sequence[Finishable], now: datetime
) -> str:
    """Submitted if a finished attempt ended by the due time, late if only after it;
    in progress with an open attempt; closed when nothing was done and it has closed."""
    finished = [a for a in attempts if a.finished_at is not None]
    if any(a.finished_at <= settings.due_at for a in finished):  # type: ignore[operator]
        return SUBMITTED
    if finished:
        return LATE
    if attempts:
        return IN_PROGRESS
    if settings.closes_at is not None and now >= settings.closes_at:
        return CLOSED
    return NOT_STARTED


def _check_numbers(time_limit: int | None, attempts_allowed: int | None) -> None:
    if time_limit is not None and not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise BadInput(f"A time limit is 1 to {MAX_TIME_LIMIT} minutes, or empty for the quiz's.")
    if attempts_allowed is not None and not 1 <= attempts_allowed <= MAX_ATTEMPTS:
        raise BadInput(f"Attempts allowed is 1 to {MAX_ATTEMPTS}, or empty for the quiz's.")


def assign(
    session: Session,
    school_class: SchoolClass,
    quiz_id: int,
    opens_at: datetime,
    due_at: datetime,
    closes_at: datetime | None = None,
    time_limit: int | None = None,
    attempts_allowed: int | None = None,
) -> Assignment:
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.retired or quiz.bank.retired:
        raise BadInput("Choose a quiz that is being served.")
    if school_class.archived:
        raise BadInput("This class is archived; restore it before assigning work.")
    if due_at < opens_at:
        raise BadInput("The due time must not come before the opening time.")
    if closes_at is not None and closes_at < due_at:
        raise BadInput("The closing time must not come before the due time.")
    _check_numbers(time_limit, attempts_allowed)
    assignment = Assignment(
        class_id=school_class.id, quiz_id=quiz.id, opens_at=opens_at, due_at=due_at,
        closes_at=closes_at, time_limit=time_limit, attempts_allowed=attempts_allowed,
    )
    session.add(assignment)
    session.commit()
    return assignment


def assignable_quizzes(session: Session) -> list[Quiz]:
    """Every quiz being served, assigned-only ones included (assigning is their purpose)."""
    return list(session.scalars(
        select(Quiz).join(Bank)
        .where(Quiz.retired.is_(False), Bank.retired.is_(False))
        .options(selectinload(Quiz.bank))
        .order_by(Bank.title, Quiz.position)
    ))


def assignment_for_teacher(session: Session, teacher_id: int, assignment_id: int) -> Assignment:
    """The assignment, if the teacher teaches its class; otherwise not found."""
    assignment = session.scalar(
        select(Assignment)
        .join(ClassTeacher, ClassTeacher.class_id == Assignment.class_id)
        .where(Assignment.id == assignment_id, ClassTeacher.user_id == teacher_id)
    )
    if assignment is None:
        raise ClassNotFound("There is no such assignment.")
    return assignment


def exception_for(
    session: Session, assignment_id: int, student_id: int
) -> AssignmentException | None:
    return session.scalar(select(AssignmentException).where(
        AssignmentException.assignment_id == assignment_id,
        AssignmentException.user_id == student_id,
    ))


def set_exception(
    session: Session, assignment: Assignment, student_id: int,
    extra_minutes: int, extra_attempts: int,
) -> AssignmentException | None:
    """Give one student extra minutes and extra attempts; zeros remove the exception."""
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise BadInput(f"Extra time is 0 to {MAX_EXTRA_MINUTES} minutes.")
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise BadInput(f"Extra attempts are 0 to {MAX_EXTRA_ATTEMPTS}.")
    membership = session.scalar(select(Membership).where(
        Membership.class_id == assignment.class_id, Membership.user_id == student_id
    ))
    if membership is None:
        raise ClassNotFound("There is no such student in this class.")
    exception = exception_for(session, assignment.id, student_id)
    if extra_minutes == 0 and extra_attempts == 0:
        if exception is not None:
            session.delete(exception)
            session.commit()
        return None
    if exception is None:
        exception = AssignmentException(assignment_id=assignment.id, user_id=student_id)
        session.add(exception)
    exception.extra_minutes = extra_minutes
    exception.extra_attempts = extra_attempts
    try:
        session.commit()
    except IntegrityError:
        # Two saves at once for the same student: write over the one that won.
        session.rollback()
        return set_exception(session, assignment, student_id, extra_minutes, extra_attempts)
    return exception


# -- the student's side -------------------------------------------------------------
@dataclass(frozen=True)
class StudentAssignment:
    assignment: Assignment
    settings: EffectiveSettings
    status: str
    attempts_used: int
    open_attempt_id: int | None
    is_open: bool  # between opening and closing now

    @property
    def can_start(self) -> bool:
        """A new attempt may start now (resuming an open one is always possible)."""
        allowed = self.settings.attempts_allowed
        return self.is_open and (allowed is None or self.attempts_used < allowed)


def student_assignments(
    session: Session, student_id: int, now: datetime
) -> list[StudentAssignment]:
    """The student's assignments in current classes that have opened, soonest due first."""
    assignments = session.scalars(
        select(Assignment)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(Membership, Membership.class_id == SchoolClass.id)
        .join(Quiz, Quiz.id == Assignment.quiz_id)
        .where(
            Membership.user_id == student_id,
            SchoolClass.archived.is_(False),
            Quiz.retired.is_(False),
            Assignment.opens_at <= now,
        )
        .options(selectinload(Assignment.quiz), selectinload(Assignment.school_class))
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    if not assignments:
        return []
    ids = [a.id for a in assignments]
    exceptions = {
        e.assignment_id: e for e in session.scalars(select(AssignmentException).where(
            AssignmentException.user_id == student_id,
            AssignmentException.assignment_id.in_(ids),
        ))
    }
    by_assignment: dict[int, list[Attempt]] = {}
    for attempt in session.scalars(select(Attempt).where(
        Attempt.user_id == student_id, Attempt.assignment_id.in_(ids)
    )):
        by_assignment.setdefault(attempt.assignment_id or 0, []).append(attempt)
    result = []
    for assignment in assignments:
        settings = effective_settings(assignment, exceptions.get(assignment.id))
        attempts = by_assignment.get(assignment.id, [])
        open_ids = [a.id for a in attempts if a.finished_at is None]
        result.append(StudentAssignment(
            assignment=assignment,
            settings=settings,
            status=status_of(settings, attempts, now),
            attempts_used=len(attempts),
            open_attempt_id=open_ids[0] if open_ids else None,
            is_open=settings.is_open(now),
        ))
    return result


def assignment_for_student(session: Session, student_id: int, assignment_id: int) -> Assignment:
    assignment = session.scalar(
        select(Assignment)
        .join(Membership, Membership.class_id == Assignment.class_id)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .where(
            Assignment.id == assignment_id,
            Membership.user_id == student_id,
            SchoolClass.archived.is_(False),
        )
    )
    if assignment is None:
        raise NotFound("There is no such assignment.")
    return assignment


def start_assigned(
    session: Session, student_id: int, assignment_id: int, now: datetime
) -> Attempt:
    """Start (or resume) the student's attempt on an assignment, with its settings."""
    assignment = assignment_for_student(session, student_id, assignment_id)
    settings = effective_settings(assignment, exception_for(session, assignment.id, student_id))
    if now < settings.opens_at:
        raise AttemptError("This assignment has not opened yet.")
    assigned = Assigned(
        assignment_id=assignment.id,
        time_limit=settings.time_limit,
        attempts_allowed=settings.attempts_allowed,
        closes_at=settings.closes_at,
    )
    if settings.closes_at is not None and now >= settings.closes_at:
        # Past closing nothing new starts, but an attempt already running may go on.
        current = attempt_service.latest_open(
            session, student_id, Attempt.quiz_id == assignment.quiz_id, *assigned.scope()
        )
        if current is None:
            raise AttemptError("This assignment has closed; no new attempts can start.")
    return attempt_service.start_attempt(
        session, student_id, assignment.quiz_id, now, assigned=assigned)
