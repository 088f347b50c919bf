"""Accounts: creating users and checking passwords."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.models import ROLES, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,39}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200


class AccountError(ValueError):
    """A reason an account cannot be created, worded for the person creating it."""


def username_key(username: str) -> str:
    return username.strip().casefold()


def check_new_credentials(username: str, password: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "A username is 3 to 40 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"A password is {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long."
        )


def create_user(session: Session, username: str, password: str, role: str = "student") -> User:
    username = username.strip()
    check_new_credentials(username, password)
    if role not in ROLES:
        raise AccountError(f"Unknown role '{role}'; choose one of {', '.join(ROLES)}.")
    user = User(
        username=username,
        username_key=username_key(username),
        password_hash=generate_password_hash(password),
        role=role,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AccountError(f"The username '{username}' is already taken.") from None
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user
