"""The gradebook: a class's students by its assignments, per-assignment and per-student
views, and class mastery per topic.

Each page reads a fixed handful of rows sets (members, assignments, their attempts,
exceptions) and assembles the table in Python, so its cost does not grow with
queries per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean, median

from sqlalchemy import select
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
    SchoolClass,
    TopicStat,
    User,
)
from quizapp.services.assignments import (
    NOT_STARTED,
    EffectiveSettings,
    effective_settings,
    status_of,
)
from quizapp.services.classes import roster
from quizapp.services.progress import MASTERY_MIN_ANSWERS

# "Due soon" on the gradebook: not started and due within this long.
DUE_SOON = timedelta(hours=24)


def grade_of(attempts: list[Attempt], grading: str) -> float | None:
    """The grade (percent) of the finished attempts under the quiz's grading method."""
    finished = sorted(
        (a for a in attempts if a.finished_at is not None), key=lambda a: (a.finished_at, a.id)
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
    attempts: tuple[Attempt, ...] = ()


def make_cell(
    assignment: Assignment, attempts: list[Attempt],
    exception: AssignmentException | None, now: datetime,
) -> Cell:
    settings = effective_settings(assignment, exception)
    status = status_of(settings, attempts, now)
    moments = [t for a in attempts for t in (a.started_at, a.finished_at) if t is not None]
    return Cell(
        status=status,
        grade=grade_of(attempts, assignment.quiz.rules.grading),
        attempts_used=len(attempts),
        last_active=max(moments) if moments else None,
        settings=settings,
        due_soon=status == NOT_STARTED and now <= settings.due_at <= now + DUE_SOON,
        attempts=tuple(sorted(attempts, key=lambda a: a.started_at)),
    )


@dataclass
class Gradebook:
    school_class: SchoolClass
    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    sort: str = "name"

    def cell(self, student_id: int, assignment_id: int) -> Cell:
        return self.cells[(student_id, assignment_id)]

    def rows(self) -> list[tuple[User, list[Cell]]]:
        return [
            (student, [self.cell(student.id, a.id) for a in self.assignments])
            for student in self.students
        ]


def _class_data(
    session: Session, school_class: SchoolClass, assignments: list[Assignment]
) -> tuple[dict[tuple[int, int], list[Attempt]], dict[tuple[int, int], AssignmentException]]:
    ids = [a.id for a in assignments]
    attempts: dict[tuple[int, int], list[Attempt]] = {}
    exceptions: dict[tuple[int, int], AssignmentException] = {}
    if ids:
        for attempt in session.scalars(
            select(Attempt).where(Attempt.assignment_id.in_(ids)).options(
                selectinload(Attempt.quiz))
        ):
            attempts.setdefault((attempt.user_id, attempt.assignment_id or 0), []).append(attempt)
        for exception in session.scalars(
            select(AssignmentException).where(AssignmentException.assignment_id.in_(ids))
        ):
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


def sort_key_valid(sort: str, assignments: list[Assignment]) -> bool:
    key = sort.removeprefix("-")
    if key == "name":
        return True
    return key.startswith("a") and key[1:].isdigit() and int(key[1:]) in {
        a.id for a in assignments
    }


def gradebook(
    session: Session, school_class: SchoolClass, now: datetime, sort: str = "name"
) -> Gradebook:
    """Students × assignments. `sort` is "name" or "a<id>" (grade), "-" first to reverse;
    students without a grade stay last either way."""
    students = roster(session, school_class)
    assignments = class_assignments(session, school_class)
    attempts, exceptions = _class_data(session, school_class, assignments)
    book = Gradebook(school_class, students, assignments, sort=sort)
    for student in students:
        for assignment in assignments:
            key = (student.id, assignment.id)
            book.cells[key] = make_cell(
                assignment, attempts.get(key, []), exceptions.get(key), now
            )
    if not sort_key_valid(sort, assignments):
        sort = book.sort = "name"
    reverse = sort.startswith("-")
    column = sort.removeprefix("-")
    if column == "name":
        students.sort(key=lambda u: (u.shown_name.casefold(), u.id), reverse=reverse)
    else:
        assignment_id = int(column[1:])
        graded = [s for s in students if book.cell(s.id, assignment_id).grade is not None]
        ungraded = [s for s in students if book.cell(s.id, assignment_id).grade is None]
        graded.sort(key=lambda u: book.cell(u.id, assignment_id).grade or 0.0, reverse=reverse)
        book.students = graded + ungraded
    return book


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
    attempts, exceptions = _class_data(session, school_class, [assignment])
    rows = [
        (s, make_cell(assignment, attempts.get((s.id, assignment.id), []),
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
    attempts, exceptions = _class_data(session, school_class, assignments)
    rows = [
        (a, make_cell(a, attempts.get((student.id, a.id), []),
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


def topic_mastery(session: Session, student_ids: list[int]) -> list[TopicRow]:
    """Mastery per topic over these students, from the TopicStat aggregates (one read)."""
    if not student_ids:
        return []
    rows = session.execute(
        select(TopicStat, Bank)
        .join(Bank, Bank.id == TopicStat.bank_id)
        .where(TopicStat.user_id.in_(student_ids))
        .order_by(Bank.title, TopicStat.topic)
    ).all()
    grouped: dict[tuple[int, str], list[TopicStat]] = {}
    banks: dict[int, Bank] = {}
    for stat, bank in rows:
        grouped.setdefault((bank.id, stat.topic), []).append(stat)
        banks[bank.id] = bank
    result = []
    for (bank_id, topic), stats in grouped.items():
        bank = banks[bank_id]
        titles = {t.get("id"): t.get("title") for t in (bank.meta or {}).get("topics", [])}
        counted = [s for s in stats if s.answered >= MASTERY_MIN_ANSWERS]
        result.append(TopicRow(
            bank_title=bank.title,
            topic=topic,
            title=titles.get(topic) or topic,
            students_counted=len(counted),
            answered=sum(s.answered for s in stats),
            correct=sum(s.correct for s in stats),
            mastery=mean(s.recent for s in counted) if counted else None,
        ))
    return result


def class_mastery(session: Session, school_class: SchoolClass) -> list[TopicRow]:
    ids = list(session.scalars(
        select(Membership.user_id).where(Membership.class_id == school_class.id)
    ))
    return topic_mastery(session, ids)
