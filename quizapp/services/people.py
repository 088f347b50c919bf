"""Managing accounts: the admin's user list, roles, disabling, one-time passwords,
bulk student accounts from a roster, and a person's own name, password and zone.

Every changed password goes through `accounts.set_password` (strength rule, hash, and
the end of every login of the account); new roster accounts get the same strength
check as any new account.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.models import ROLES, User
from quizapp.services.accounts import (
    USERNAME_PATTERN,
    AccountError,
    check_password_strength,
    end_all_sessions,
    hash_password,
    set_password,
    username_key,
)
from quizapp.timezones import zone_named

# Lower-case letters and digits without look-alikes, in groups: easy to copy from paper.
OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
OTP_GROUPS, OTP_GROUP_LENGTH = 3, 4  # about 59 bits
PAGE_SIZE = 25
MAX_ROSTER_ROWS = 200
MAX_DISPLAY_NAME = 80


def one_time_password() -> str:
    return "-".join(
        "".join(secrets.choice(OTP_ALPHABET) for _ in range(OTP_GROUP_LENGTH))
        for _ in range(OTP_GROUPS)
    )


def clean_display_name(name: str | None) -> str | None:
    name = " ".join((name or "").split())
    if len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"A display name is at most {MAX_DISPLAY_NAME} characters.")
    return name or None


# -- the admin's list ---------------------------------------------------------------
@dataclass(frozen=True)
class UserPage:
    users: list[User]
    page: int
    total: int
    query: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def list_users(session: Session, query: str, page: int) -> UserPage:
    """Users whose username or display name contains `query`, a page at a time."""
    query = query.strip()[:80]
    condition: ColumnElement[bool] = true()
    if query:
        pattern = "%" + query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        condition = or_(
            User.username_key.like(pattern, escape="\\"),
            func.lower(User.display_name).like(pattern, escape="\\"),
        )
    total = session.scalar(select(func.count(User.id)).where(condition)) or 0
    users = session.scalars(
        select(User).where(condition).order_by(User.username_key)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return UserPage(list(users), page, total, query)


def set_role(session: Session, actor: User, user: User, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    if user.id == actor.id and role != "admin":
        raise AccountError("You cannot take away your own admin role.")
    user.role = role
    session.commit()


def set_disabled(session: Session, actor: User, user: User, disabled: bool) -> None:
    if user.id == actor.id:
        raise AccountError("You cannot disable your own account.")
    user.disabled = disabled
    if disabled:
        # Logged out everywhere now; `is_active` keeps the account from logging in again.
        end_all_sessions(session, user)
    session.commit()


def reset_password(session: Session, user: User) -> str:
    """A one-time password, to be shown once; it must be changed at the next login."""
    password = one_time_password()
    set_password(session, user, password)
    user.must_change_password = True
    session.commit()
    return password


# -- one's own account --------------------------------------------------------------
def update_profile(
    session: Session, user: User, display_name: str | None, timezone: str | None
) -> None:
    name = clean_display_name(display_name)
    if timezone and zone_named(timezone) is None:
        raise AccountError(f"'{timezone}' is not a time zone name; pick one from the list.")
    user.display_name = name
    user.timezone = timezone or None
    session.commit()


# -- bulk accounts from a roster ----------------------------------------------------
@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    display_name: str | None


def parse_roster(text: str) -> tuple[list[RosterRow], list[str]]:
    """Rows of `username,display name` (a header row is optional); problems by line."""
    rows: list[RosterRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text))
    for number, record in enumerate(reader, start=1):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() == "username":
            continue
        if len(rows) >= MAX_ROSTER_ROWS:
            problems.append(f"At most {MAX_ROSTER_ROWS} students at a time.")
            break
        username = cells[0]
        display = cells[1] if len(cells) > 1 else ""
        if len(cells) > 2 and any(cells[2:]):
            problems.append(f"Line {number}: expected two columns, username and display name.")
            continue
        if not USERNAME_PATTERN.match(username):
            problems.append(
                f"Line {number}: '{username[:40]}' is not a username (3 to 40 letters, digits, "
                "dots, dashes or underscores, starting with a letter or digit)."
            )
            continue
        key = username_key(username)
        if key in seen:
            problems.append(f"Line {number}: '{username}' is already on line {seen[key]}.")
            continue
        seen[key] = number
        try:
            name = clean_display_name(display)
        except AccountError as error:
            problems.append(f"Line {number}: {error}")
            continue
        rows.append(RosterRow(number, username, name))
    if not rows and not problems:
        problems.append("The file has no students: one line per student, "
                        "username then display name.")
    return rows, problems


def bulk_create_students(
    session: Session, rows: list[RosterRow]
) -> list[tuple[User, str]]:
    """Create every account or none: a taken username stops the whole roster, so a
    teacher never gets half a class of passwords. Commits nothing; the caller does."""
    keys = [username_key(r.username) for r in rows]
    taken = set(session.scalars(select(User.username).where(User.username_key.in_(keys))))
    if taken:
        raise AccountError("These usernames are already taken: " + ", ".join(sorted(taken))
                           + ". Change them in the file and upload it again.")
    created = []
    for row in rows:
        password = one_time_password()
        user = User(
            username=row.username, username_key=username_key(row.username),
            display_name=row.display_name, role="student", must_change_password=True,
        )
        check_password_strength(password, row.username, row.display_name)
        user.password_hash = hash_password(password)
        session.add(user)
        created.append((user, password))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise AccountError("Some of these usernames were taken meanwhile; upload the file "
                           "again to see which.") from None
    return created
