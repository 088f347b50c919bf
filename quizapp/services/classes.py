"""Classes: creating them, join codes, rosters, co-teachers, archiving.

Every function takes a session and plain values. Lookups for a teacher go through
`class_for_teacher`, which reports a class the teacher does not teach as not found,
so no page can learn that another teacher's class exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from quizapp.models import ClassTeacher, Membership, SchoolClass, User
from quizapp.prepared import PreparedStatement
from quizapp.services.attempts import AttemptError

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B or U/V: codes are read aloud and copied from a board.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
# 23 ** 10 is about 4 * 10**13 (45 bits): with joining rate limited, not guessable.
CODE_LENGTH = 10
MAX_NAME_LENGTH = 120


class ClassError(AttemptError):
    """A request the rules refuse; `status` is the HTTP status a view should use."""

    status = 409


class ClassNotFound(ClassError):
    status = 404


class BadInput(ClassError):
    status = 422


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a student typed, as stored: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def format_code(code: str | None) -> str:
    """A code in two halves, easier to read aloud: ACDEF-GHJKM."""
    if not code:
        return ""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInput("A class needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise BadInput(f"A class name is at most {MAX_NAME_LENGTH} characters.")
    return name


def create_class(session: Session, teacher_id: int, name: str, now: datetime) -> SchoolClass:
    school_class = SchoolClass(
        name=_check_name(name), join_code=new_code(), code_enabled=True, created_at=now
    )
    session.add(school_class)
    session.flush()
    session.add(ClassTeacher(class_id=school_class.id, user_id=teacher_id))
    session.commit()
    return school_class


def teaches(session: Session, teacher_id: int, class_id: int) -> bool:
    return bool(session.scalar(select(exists().where(
        ClassTeacher.class_id == class_id, ClassTeacher.user_id == teacher_id
    ))))


def class_for_teacher(session: Session, teacher_id: int, class_id: int) -> SchoolClass:
    """The class, if this teacher teaches it; anyone else's is reported as not found."""
    school_class = session.scalar(
        _taught_class_statement(), {"class_id": class_id, "teacher_id": teacher_id})
    if school_class is None:
        raise ClassNotFound("There is no such class.")
    return school_class


@dataclass(frozen=True, slots=True)
class ClassHeading:
    """A class as a page's heading and navigation show it (plain values)."""

    id: int
    name: str


def class_heading_for_teacher(session: Session, teacher_id: int, class_id: int) -> ClassHeading:
    """`class_for_teacher` as plain values, for a page that reads the class's figures
    but changes nothing through it (the gradebook): no entity built."""
    row = _taught_heading_statement().first(
        session.connection(), {"class_id": class_id, "teacher_id": teacher_id})
    if row is None:
        raise ClassNotFound("There is no such class.")
    return ClassHeading(id=row.id, name=row.name)


def _taught() -> tuple[Any, ...]:
    """The one rule for a class a teacher may see: the class, taught by the teacher."""
    return (
        SchoolClass.id == bindparam("class_id"),
        exists().where(ClassTeacher.class_id == SchoolClass.id,
                       ClassTeacher.user_id == bindparam("teacher_id")),
    )


@cache
def _taught_class_statement() -> Select[SchoolClass]:
    # One statement, built once: every teacher's class page starts with it.
    return select(SchoolClass).where(*_taught())


@cache
def _taught_heading_statement() -> PreparedStatement:
    return PreparedStatement(select(SchoolClass.id, SchoolClass.name).where(*_taught()))


def teacher_classes(session: Session, teacher_id: int) -> list[SchoolClass]:
    """The teacher's classes, current ones first, each with its roster and assignments."""
    return list(session.scalars(
        select(SchoolClass)
        .join(ClassTeacher, ClassTeacher.class_id == SchoolClass.id)
        .where(ClassTeacher.user_id == teacher_id)
        .options(selectinload(SchoolClass.memberships), selectinload(SchoolClass.assignments))
        .order_by(SchoolClass.archived, SchoolClass.name, SchoolClass.id)
    ))


def student_classes(session: Session, student_id: int) -> list[SchoolClass]:
    return list(session.scalars(
        select(SchoolClass)
        .join(Membership, Membership.class_id == SchoolClass.id)
        .where(Membership.user_id == student_id, SchoolClass.archived.is_(False))
        .order_by(SchoolClass.name)
    ))


# -- join codes ---------------------------------------------------------------------
def regenerate_code(
    session: Session, school_class: SchoolClass, now: datetime, valid_days: int | None = None
) -> str:
    """A fresh code (the old one stops working), valid for `valid_days` or until changed."""
    if valid_days is not None and not 1 <= valid_days <= 365:
        raise BadInput("A code is valid for 1 to 365 days, or until you change it.")
    school_class.join_code = new_code()
    school_class.code_enabled = True
    school_class.code_expires_at = now + timedelta(days=valid_days) if valid_days else None
    session.commit()
    return school_class.join_code


def disable_code(session: Session, school_class: SchoolClass) -> None:
    school_class.code_enabled = False
    session.commit()


def join_class(session: Session, student_id: int, typed_code: str, now: datetime) -> SchoolClass:
    """Join the class with this code; joining twice (or thirty times at once) is one
    membership, kept by the unique (class, student) pair."""
    code = normalise_code(typed_code)
    if not code:
        raise BadInput("Enter the join code your teacher gave you.")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise BadInput(
            f"A join code is {CODE_LENGTH} letters and digits, like {format_code('ACDEFGHJKM')}."
            " Check it against the one your teacher gave you."
        )
    school_class = session.scalar(select(SchoolClass).where(SchoolClass.join_code == code))
    if school_class is None:
        raise ClassNotFound("No class has that code. Check it against the one your teacher gave.")
    if school_class.archived or not school_class.code_enabled:
        raise ClassError("This code has been turned off. Ask your teacher for a new one.")
    if school_class.code_expires_at is not None and now >= school_class.code_expires_at:
        raise ClassError("This code has expired. Ask your teacher for a new one.")
    already = session.scalar(select(Membership).where(
        Membership.class_id == school_class.id, Membership.user_id == student_id
    ))
    if already is None:
        session.add(Membership(class_id=school_class.id, user_id=student_id, joined_at=now))
        try:
            session.commit()
        except IntegrityError:
            # The same join arrived twice at once: the first one stands.
            session.rollback()
    return school_class


# -- roster and teachers ------------------------------------------------------------
def roster(session: Session, school_class: SchoolClass) -> list[User]:
    users = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.class_id == school_class.id)
    ).all()
    return sorted(users, key=lambda u: (u.shown_name.casefold(), u.id))


def is_member(session: Session, class_id: int, student_id: int) -> bool:
    return bool(session.scalar(select(exists().where(
        Membership.class_id == class_id, Membership.user_id == student_id
    ))))


def student_in_class(
    session: Session, school_class: SchoolClass, student_id: int
) -> User:
    """A student of this class; anyone else is reported as not found."""
    user = session.get(User, student_id)
    if user is None or not is_member(session, school_class.id, student_id):
        raise ClassNotFound("There is no such student in this class.")
    return user


def remove_student(session: Session, school_class: SchoolClass, student_id: int) -> None:
    """Take a student off the roster; their attempts stay, as history."""
    membership = session.scalar(select(Membership).where(
        Membership.class_id == school_class.id, Membership.user_id == student_id
    ))
    if membership is None:
        raise ClassNotFound("There is no such student in this class.")
    session.delete(membership)
    session.commit()


def add_student(session: Session, school_class: SchoolClass, student_id: int,
                now: datetime) -> None:
    """Put an account on the roster directly (bulk-created accounts)."""
    if not is_member(session, school_class.id, student_id):
        session.add(Membership(class_id=school_class.id, user_id=student_id, joined_at=now))
        session.flush()


def set_archived(session: Session, school_class: SchoolClass, archived: bool) -> None:
    """An archived class leaves students' pages and stops taking joins; nothing is deleted."""
    school_class.archived = archived
    session.commit()


def teachers_of(session: Session, school_class: SchoolClass) -> list[User]:
    return list(session.scalars(
        select(User)
        .join(ClassTeacher, ClassTeacher.user_id == User.id)
        .where(ClassTeacher.class_id == school_class.id)
        .order_by(User.username)
    ))


def add_co_teacher(session: Session, school_class: SchoolClass, username: str) -> User:
    from quizapp.services.accounts import username_key

    user: User | None = session.scalar(
        select(User).where(User.username_key == username_key(username)))
    if user is None or not user.is_teacher or user.disabled:
        raise BadInput(f"There is no teacher account called '{username.strip()}'.")
    if not teaches(session, user.id, school_class.id):
        session.add(ClassTeacher(class_id=school_class.id, user_id=user.id))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
    return user
