"""The gradebook: a class's students by its assignments, per-assignment and per-student
views, and class mastery per topic.

Each page reads a fixed handful of rows sets (members, assignments, their attempts,
exceptions) and assembles the table in Python, so its cost does not grow with
queries per cell. The class gradebook's table is also kept once rendered: `table_state`
gives the fingerprint that says when it must be built again (services/stats_cache.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean, median
from typing import Any

from sqlalchemy import Select, String, bindparam, case, cast, func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.distribution_chart import Band, bands
from quizapp.models import (
    Assignment,
    AssignmentException,
    Attempt,
    AttemptItem,
    Bank,
    Membership,
    Question,
    QuestionVersion,
    Quiz,
    Regrade,
    SchoolClass,
    TopicStat,
    User,
    percent_of,
)
from quizapp.prepared import PreparedStatement
from quizapp.services.assignments import (
    NOT_STARTED,
    EffectiveSettings,
    effective_settings,
    status_of,
)
from quizapp.services.classes import ClassHeading, roster
from quizapp.services.progress import MASTERY_MIN_ANSWERS, TopicTitles

# "Due soon" on the gradebook: not started and due within this long.
DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True)
class AttemptRow:
    """What the gradebook needs of an attempt, read as plain columns: loading 600
    attempts as ORM objects cost more than the rest of the page together."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    score: float
    max_score: float

    @property
    def percent(self) -> float:
        return percent_of(self.score, self.max_score)


def grade_of(attempts: Sequence[AttemptRow | Attempt], grading: str) -> float | None:
    """The grade (percent) of the finished attempts under the quiz's grading method."""
    finished = sorted(
        (a for a in attempts if a.finished_at is not None),
        key=lambda a: (a.finished_at, a.id),
    )
    if not finished:
        return None
    percents = [a.percent for a in finished]
    if grading == "average":
        return sum(percents) / len(percents)
    if grading == "first":
        return percents[0]
    if grading == "last":
        return percents[-1]
    return max(percents)


@dataclass(frozen=True)
class Cell:
    status: str
    grade: float | None
    attempts_used: int
    last_active: datetime | None
    settings: EffectiveSettings
    due_soon: bool  # not started and due within DUE_SOON
    attempts: tuple[AttemptRow, ...] = ()

    @property
    def css(self) -> str:
        """The table cell's classes: its status, and whether it is due soon."""
        status = "status-" + self.status.replace(" ", "-")
        return status + " due-soon" if self.due_soon else status

    @property
    def attempts_text(self) -> str:
        """"1 attempt", "2 of 3 attempts": used, and allowed where there is a limit."""
        allowed = self.settings.attempts_allowed
        used = f"{self.attempts_used} of {allowed}" if allowed else str(self.attempts_used)
        return f"{used} attempt{'s' if self.attempts_used != 1 else ''}"


@dataclass(frozen=True)
class Column:
    """One assignment's share of every cell, worked out once per page rather than once
    per student: the quiz's rules are parsed through their model, which is not free."""

    assignment: Assignment
    grading: str
    settings: EffectiveSettings  # for a student without an exception

    @classmethod
    def of(cls, assignment: Assignment) -> Column:
        return cls(assignment, assignment.quiz.rules.grading,
                   effective_settings(assignment, None))

    def settings_for(self, exception: AssignmentException | None) -> EffectiveSettings:
        if exception is None:
            return self.settings
        return effective_settings(self.assignment, exception)


def make_cell(
    column: Column, attempts: list[AttemptRow],
    exception: AssignmentException | None, now: datetime,
) -> Cell:
    settings = column.settings_for(exception)
    status = status_of(settings, attempts, now)
    moments = [t for a in attempts for t in (a.started_at, a.finished_at) if t is not None]
    return Cell(
        status=status,
        grade=grade_of(attempts, column.grading),
        attempts_used=len(attempts),
        last_active=max(moments) if moments else None,
        settings=settings,
        due_soon=status == NOT_STARTED and now <= settings.due_at <= now + DUE_SOON,
        attempts=tuple(sorted(attempts, key=lambda a: a.started_at)),
    )


@dataclass(frozen=True)
class Row:
    """A student's line of the gradebook, with what the page shows beside the cells."""

    student: User
    cells: list[Cell]
    last_active: datetime | None


@dataclass
class Gradebook:
    school_class: SchoolClass
    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    sort: str = "name"

    def cell(self, student_id: int, assignment_id: int) -> Cell:
        return self.cells[(student_id, assignment_id)]

    def rows(self) -> list[Row]:
        rows = []
        for student in self.students:
            cells = [self.cell(student.id, a.id) for a in self.assignments]
            moments = [c.last_active for c in cells if c.last_active is not None]
            rows.append(Row(student, cells, max(moments) if moments else None))
        return rows


def _class_data(
    session: Session, assignments: list[Assignment], student_id: int | None = None
) -> tuple[dict[tuple[int, int], list[AttemptRow]], dict[tuple[int, int], AssignmentException]]:
    """Every attempt and exception of these assignments, keyed by (student, assignment):
    two statements, whatever the number of students."""
    ids = [a.id for a in assignments]
    attempts: dict[tuple[int, int], list[AttemptRow]] = {}
    exceptions: dict[tuple[int, int], AssignmentException] = {}
    if not ids:
        return attempts, exceptions
    query = select(
        Attempt.user_id, Attempt.assignment_id, Attempt.id, Attempt.started_at,
        Attempt.finished_at, Attempt.score, Attempt.max_score,
    ).where(Attempt.assignment_id.in_(ids))
    wanted = select(AssignmentException).where(AssignmentException.assignment_id.in_(ids))
    if student_id is not None:
        query = query.where(Attempt.user_id == student_id)
        wanted = wanted.where(AssignmentException.user_id == student_id)
    rows = session.execute(query).all()
    for user_id, assignment_id, attempt_id, started, finished, score, top in rows:
        attempts.setdefault((user_id, assignment_id or 0), []).append(
            AttemptRow(attempt_id, started, finished, score, top))
    for exception in session.scalars(wanted):
        exceptions[(exception.user_id, exception.assignment_id)] = exception
    return attempts, exceptions


def class_assignments(session: Session, school_class: SchoolClass) -> list[Assignment]:
    return list(session.scalars(
        select(Assignment)
        .where(Assignment.class_id == school_class.id)
        .options(selectinload(Assignment.quiz))
        .order_by(Assignment.due_at, Assignment.id)
    ))


SORT_HELP = "name, -name, or a<assignment id> / -a<assignment id> for grades"


def sort_key_valid(sort: str, assignment_ids: list[int]) -> bool:
    key = sort.removeprefix("-")
    if key == "name":
        return True
    return key.startswith("a") and key[1:].isdigit() and int(key[1:]) in assignment_ids


def gradebook(
    session: Session, school_class: SchoolClass, now: datetime, sort: str = "name"
) -> Gradebook:
    """Students × assignments. `sort` is "name" or "a<id>" (grade), "-" first to reverse;
    students without a grade stay last either way."""
    students = roster(session, school_class)
    assignments = class_assignments(session, school_class)
    attempts, exceptions = _class_data(session, assignments)
    book = Gradebook(school_class, students, assignments, sort=sort)
    columns = [Column.of(a) for a in assignments]
    no_attempts: list[AttemptRow] = []
    for student in students:
        for column in columns:
            key = (student.id, column.assignment.id)
            book.cells[key] = make_cell(
                column, attempts.get(key, no_attempts), exceptions.get(key), now
            )
    if not sort_key_valid(sort, [a.id for a in assignments]):
        sort = book.sort = "name"
    reverse = sort.startswith("-")
    column_key = sort.removeprefix("-")
    if column_key == "name":
        students.sort(key=lambda u: (u.shown_name.casefold(), u.id), reverse=reverse)
    else:
        assignment_id = int(column_key[1:])
        graded = [s for s in students if book.cell(s.id, assignment_id).grade is not None]
        ungraded = [s for s in students if book.cell(s.id, assignment_id).grade is None]
        graded.sort(key=lambda u: book.cell(u.id, assignment_id).grade or 0.0, reverse=reverse)
        book.students = graded + ungraded
    return book


# -- what the table is made of ------------------------------------------------------
def clock_marks(
    due_at: datetime, closes_at: datetime | None, now: datetime
) -> tuple[bool, bool, bool]:
    """Where the clock stands against the moments at which an assignment's cells can
    change by time alone (make_cell and status_of): the start of the due-soon window,
    the due time, and the closing time."""
    return (now >= due_at - DUE_SOON, now > due_at,
            closes_at is not None and now >= closes_at)


# Between the roster's members in the fingerprint (see _table_statements).
RECORD_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class TableState:
    sort: str  # the sort asked for if valid, else "name"
    fingerprint: str


def _table_statements() -> tuple[Select[Any], Select[Any]]:
    """The fingerprint's two statements, built once: building a statement costs more
    than SQLite takes to run these."""
    in_class = Assignment.class_id == bindparam("class_id")
    assignments = (
        select(Assignment.id, Quiz.title, Quiz.settings, Assignment.opens_at,
               Assignment.due_at, Assignment.closes_at, Assignment.time_limit,
               Assignment.attempts_allowed)
        .join(Quiz, Quiz.id == Assignment.quiz_id).where(in_class).order_by(Assignment.id)
    )
    # The roster as one string of "id:username:display name", one member after another:
    # joining, leaving or a rename changes it, and one string is cheaper to read than a
    # row each. It reads one way only: usernames hold no ":" and display names no
    # record separator (people.clean_display_name folds it away as white space). Its
    # order is the index's; were a database to change it, the table would only be
    # built again.
    members = (
        select((cast(User.id, String) + ":" + User.username + ":"
                + func.coalesce(User.display_name, "")).label("member"))
        .select_from(Membership).join(User, Membership.user_id == User.id)
        .where(Membership.class_id == bindparam("class_id"))
        .subquery()
    )
    allowance = AssignmentException.assignment_id.in_(
        select(Assignment.id).where(in_class).scalar_subquery())
    figures = (
        select(func.count(Attempt.id).label("attempts"),
               func.max(Attempt.id).label("last_attempt"),
               func.sum(Attempt.score).label("score"),
               func.sum(Attempt.max_score).label("max_score"),
               func.count(Attempt.finished_at).label("finished"),
               func.max(Attempt.finished_at).label("last_finished"),
               *(select(figure).where(allowance).scalar_subquery().label(name)
                 for name, figure in (
                     ("allowances", func.count()),
                     ("last_allowance", func.max(AssignmentException.id)),
                     ("allowed", func.sum(
                         AssignmentException.extra_attempts * AssignmentException.user_id
                         + AssignmentException.extra_minutes)))),
               select(func.max(Regrade.id)).scalar_subquery().label("last_regrade"),
               select(func.aggregate_strings(members.c.member, RECORD_SEPARATOR))
               .scalar_subquery().label("roster"))
        .select_from(Assignment)
        .join(Attempt, Attempt.assignment_id == Assignment.id).where(in_class)
    )
    return assignments, figures


# Compiled once too (quizapp/prepared.py): the gradebook's every view runs them.
_ASSIGNMENTS, _FIGURES = (PreparedStatement(statement) for statement in _table_statements())


def table_state(
    session: Session, school_class: SchoolClass | ClassHeading, now: datetime, sort: str = "name"
) -> TableState:
    """The gradebook table's sort and fingerprint, without building the table (the
    fingerprint keys its cached rendering). The fingerprint changes whenever the table
    could: a member joins, leaves or is renamed; an assignment or its quiz's settings
    change; an attempt starts, finishes or is regraded; an allowance changes; the clock
    passes a due-soon, due or closing time. Two small statements, whatever the class
    size, where building the table reads and formats every cell."""
    params = {"class_id": school_class.id}
    # Plain rows through the session's connection: the ORM's statement handling costs
    # more than these statements take to run.
    connection = session.connection()
    assignments = _ASSIGNMENTS.all(connection, params)
    figures = _FIGURES.first(connection, params)
    assert figures is not None  # an aggregate without GROUP BY: always one row
    marks = [
        (*row, clock_marks(row.due_at, row.closes_at, now)) for row in assignments
    ]
    data = repr((marks, tuple(figures)))
    valid = sort_key_valid(sort, [row.id for row in assignments])
    return TableState(
        sort=sort if valid else "name",
        fingerprint=hashlib.sha256(data.encode()).hexdigest(),
    )


# -- one assignment -----------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentReport:
    assignment: Assignment
    rows: list[tuple[User, Cell]]
    bands: list[Band]
    not_started: list[User]
    mean: float | None
    median: float | None


def assignment_report(
    session: Session, assignment: Assignment, now: datetime
) -> AssignmentReport:
    school_class = assignment.school_class
    students = roster(session, school_class)
    attempts, exceptions = _class_data(session, [assignment])
    column = Column.of(assignment)
    rows = [
        (s, make_cell(column, attempts.get((s.id, assignment.id), []),
                      exceptions.get((s.id, assignment.id)), now))
        for s in students
    ]
    grades = [cell.grade for _s, cell in rows if cell.grade is not None]
    return AssignmentReport(
        assignment=assignment,
        rows=rows,
        bands=bands(grades),
        not_started=[s for s, cell in rows if cell.attempts_used == 0],
        mean=mean(grades) if grades else None,
        median=median(grades) if grades else None,
    )


# -- one student --------------------------------------------------------------------
@dataclass(frozen=True)
class StudentReport:
    student: User
    rows: list[tuple[Assignment, Cell]]
    mastery: list[TopicRow]


def student_report(
    session: Session, school_class: SchoolClass, student: User, now: datetime
) -> StudentReport:
    assignments = class_assignments(session, school_class)
    attempts, exceptions = _class_data(session, assignments, student.id)
    rows = [
        (a, make_cell(Column.of(a), attempts.get((student.id, a.id), []),
                      exceptions.get((student.id, a.id)), now))
        for a in assignments
    ]
    return StudentReport(
        student=student, rows=rows, mastery=topic_mastery(session, [student.id])
    )


def attempt_for_teacher(
    session: Session, school_class: SchoolClass, attempt_id: int
) -> Attempt:
    """An attempt by a student of this class on one of its assignments; else not found."""
    from quizapp.services.classes import ClassNotFound

    attempt = session.scalar(
        select(Attempt)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Membership, (Membership.class_id == Assignment.class_id)
              & (Membership.user_id == Attempt.user_id))
        .where(Attempt.id == attempt_id, Assignment.class_id == school_class.id)
        .options(
            selectinload(Attempt.quiz),
            selectinload(Attempt.items).selectinload(AttemptItem.answer),
            selectinload(Attempt.items).selectinload(AttemptItem.version)
            .selectinload(QuestionVersion.question).selectinload(Question.bank),
        )
    )
    if attempt is None:
        raise ClassNotFound("There is no such attempt in this class.")
    return attempt


# -- mastery ------------------------------------------------------------------------
MASTERY_RULE = (
    "Mastery comes from the same running figures as each student's progress page: for "
    "every topic, the share of that student's recent answers that were right (recent "
    "answers weigh more), counting every answer the student gave on the topic, in "
    "assignments and in practice. A student counts towards the class figure for a topic "
    f"once they have answered at least {MASTERY_MIN_ANSWERS} questions on it; the class "
    "figure is the average over the students counted."
)


@dataclass(frozen=True)
class TopicRow:
    bank_title: str
    topic: str
    title: str
    students_counted: int
    answered: int
    correct: int
    mastery: float | None  # 0..1, None when no student has enough answers


def _mastery_statement(students: Any) -> Select[Any]:
    counted = TopicStat.answered >= MASTERY_MIN_ANSWERS
    per_topic = (
        select(
            TopicStat.bank_id, TopicStat.topic,
            func.sum(case((counted, 1), else_=0)).label("students_counted"),
            func.sum(TopicStat.answered).label("answered"),
            func.sum(TopicStat.correct).label("correct"),
            func.avg(case((counted, TopicStat.recent))).label("mastery"),
        )
        .where(TopicStat.user_id.in_(students))
        .group_by(TopicStat.bank_id, TopicStat.topic)
        .subquery()
    )
    # Each topic's bank title and topic titles joined to its figures, after grouping.
    return (
        select(per_topic.c.topic, per_topic.c.students_counted, per_topic.c.answered,
               per_topic.c.correct, per_topic.c.mastery, Bank.title,
               Bank.meta["topics"].label("topics"))
        .join(Bank, Bank.id == per_topic.c.bank_id)
    )


# Built once, as the gradebook's fingerprint statements are.
_CLASS_MASTERY = PreparedStatement(_mastery_statement(
    select(Membership.user_id).where(Membership.class_id == bindparam("class_id"))))


def topic_mastery(session: Session, student_ids: list[int]) -> list[TopicRow]:
    """Mastery per topic over these students, summed by the database from the TopicStat
    aggregates: one row per topic, whatever the number of students."""
    if not student_ids:
        return []
    return _mastery_rows(session.execute(_mastery_statement(student_ids)).all())


def class_mastery(
    session: Session, school_class: SchoolClass | ClassHeading
) -> list[TopicRow]:
    return _mastery_rows(_CLASS_MASTERY.all(session.connection(), {"class_id": school_class.id}))


def _mastery_rows(rows: Sequence[Any]) -> list[TopicRow]:
    result = []
    titles = TopicTitles()
    for topic, students_counted, answered, correct, mastery, bank_title, topics in rows:
        result.append(TopicRow(
            bank_title=bank_title,
            topic=topic,
            title=titles.of(bank_title, topics, topic),
            students_counted=int(students_counted),
            answered=int(answered),
            correct=int(correct),
            mastery=None if mastery is None else float(mastery),
        ))
    result.sort(key=lambda row: (row.bank_title, row.topic))
    return result
