"""Accounts: creating users, checking and changing passwords, ending their logins."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from quizapp.models import ROLES, User
from quizapp.services import sessions, throttle
from quizapp.services.throttle import Limit

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,39}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
APP_NAME = "quizapp"
# zxcvbn's score: 0 and 1 fall to an online guesser within about a million tries
# (top passwords, keyboard runs, repeats, a name plus digits); 2 and up do not.
MIN_PASSWORD_SCORE = 2
# zxcvbn's time grows with the length it analyses; the rest adds strength anyway.
STRENGTH_CHECK_CHARS = 100


class AccountError(ValueError):
    """A reason an account cannot be created, worded for the person creating it.

    `field` names the input it is about ("username" or "password"), for forms.
    """

    def __init__(self, message: str, field: str = "username") -> None:
        super().__init__(message)
        self.field = field


DISABLED_MESSAGE = "This account is disabled. Ask your teacher or the administrator."


class TooManyAttempts(AccountError):
    """Refused by a throttle; `retry_after` says in how many seconds to try again."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(throttle.wait_message(retry_after))


@dataclass(frozen=True)
class LoginPolicy:
    """How many login and registration attempts are let through (see docs/deploy.md).

    Failed logins count against both the account and the client address; a right
    password gives its attempt back. A whole class behind one school address
    shares the per-address allowance, hence the larger number.
    """

    per_account: Limit = Limit(10, 900)  # noqa: RUF009 - Limit is frozen
    per_address: Limit = Limit(50, 900)  # noqa: RUF009
    registrations_per_address: Limit = Limit(60, 3600)  # noqa: RUF009

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginPolicy:
        """The LOGIN_LIMIT_* and REGISTER_LIMIT_PER_ADDRESS settings, where set."""
        default = cls()
        window = int(config.get("LOGIN_LIMIT_WINDOW_SECONDS") or default.per_account.seconds)

        def number(key: str, fallback: Limit) -> int:
            value = config.get(key)
            return fallback.count if value is None else int(value)

        return cls(
            per_account=Limit(number("LOGIN_LIMIT_PER_ACCOUNT", default.per_account), window),
            per_address=Limit(number("LOGIN_LIMIT_PER_ADDRESS", default.per_address), window),
            registrations_per_address=Limit(
                number("REGISTER_LIMIT_PER_ADDRESS", default.registrations_per_address),
                default.registrations_per_address.seconds,
            ),
        )


def username_key(username: str) -> str:
    return username.strip().casefold()


def check_new_credentials(username: str, password: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "A username is 3 to 40 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    check_password_strength(password, username)


def check_password_strength(password: str, *context: str | None) -> None:
    """Refuse short, common and guessable passwords, and ones built from `context`
    (the username, the display name) or the app's own name."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"A password is {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long.",
            "password",
        )
    # Each name whole and word by word: "Rosalind Franklin" also rules out "franklin1".
    words = [APP_NAME]
    for name in filter(None, context):
        words.append(name)
        words.extend(part for part in re.split(r"[\W_]+", name) if len(part) >= 3)
    _check_score(password, words)
    # zxcvbn finds a name inside a password but still credits what joins its parts
    # ("Rosalind-Franklin"); what is left without the names must be strong alone.
    rest = password
    for word in sorted(words, key=len, reverse=True):
        rest = re.sub(re.escape(word), "", rest, flags=re.IGNORECASE)
    if rest != password:
        _check_score(rest, words, "It is too close to your name or the app's name.")


def _check_score(password: str, words: list[str], reason: str = "") -> None:
    result = zxcvbn(password[:STRENGTH_CHECK_CHARS], user_inputs=words)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return
    feedback = result["feedback"]
    parts = ["This password is too easy to guess."]
    if reason:
        parts.append(reason)
    elif feedback.get("warning"):
        parts.append(feedback["warning"])
    parts.extend(feedback.get("suggestions") or ["Add another word or two."])
    raise AccountError(
        " ".join(part if part.endswith(".") else part + "." for part in parts), "password"
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


def register(
    session: Session,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime | None = None,
    policy: LoginPolicy | None = None,
) -> User:
    """Self-registration from a client address: throttled per address, then `create_user`."""
    policy = policy or LoginPolicy()
    result = throttle.hit(
        session, "register-address", address, policy.registrations_per_address,
        now or datetime.now(UTC),
    )
    if not result.allowed:
        raise TooManyAttempts(result.retry_after)
    return create_user(session, username, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash made like real ones, checked for unknown names so they take as long."""
    return generate_password_hash("no account has this password")


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime | None = None,
    policy: LoginPolicy | None = None,
) -> User | None:
    """The user with these credentials, or None; raises TooManyAttempts when throttled.

    The throttles are counted before any hashing, so a flood of guesses is refused
    for the price of two small writes instead of queueing everyone behind the hash.
    An unknown name is checked against a dummy hash: the same work as a real one,
    so the time taken does not tell which names exist.
    """
    policy = policy or LoginPolicy()
    now = now or datetime.now(UTC)
    key = username_key(username)
    checks = (("login-address", address, policy.per_address),
              ("login-account", key, policy.per_account))
    # A read first: while a flood is being refused it costs no writes at all.
    for scope, value, limit in checks:
        result = throttle.check(session, scope, value, limit, now)
        if not result.allowed:
            raise TooManyAttempts(result.retry_after)
    for scope, value, limit in checks:
        result = throttle.hit(session, scope, value, limit, now)
        if not result.allowed:
            raise TooManyAttempts(result.retry_after)
    user = session.scalar(select(User).where(User.username_key == key))
    valid = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is None or not valid:
        return None
    # A right password was not a guess: give its attempts back.
    for scope, value, _limit in checks:
        throttle.refund(session, scope, value)
    return user


def set_password(session: Session, user: User, new_password: str) -> None:
    """Change a password (the user's own change or an administrator's reset).

    Checks its strength against the user's own names, stores the hash and ends
    every login of the user, so whoever knew the old password is logged out.
    """
    check_password_strength(
        new_password, user.username, getattr(user, "display_name", None)
    )
    user.password_hash = generate_password_hash(new_password)
    # A password set here is the account's own (an admin reset sets the flag again).
    user.must_change_password = False
    # One transaction: the new hash and the end of the old logins land together.
    end_all_sessions(session, user)


def end_all_sessions(session: Session, user: User) -> int:
    """Log the user out everywhere; returns how many logins were ended."""
    return sessions.end_all(session, user.id)
