"""Login sessions kept server-side, so they can be ended.

Each login gets a random token; the browser's cookies carry the token and the
`user_sessions` table only its SHA-256. A request is logged in while its token's
row exists and has not expired, so deleting the row (logout, password change, an
administrator's reset) ends that login wherever its cookies were copied to.

A "keep me logged in" login lives longer and is rotated: each time the long-lived
cookie restores a login in a new browser session, it is exchanged for a fresh
token and the old one stops working after a short grace period (for requests that
were already on their way with it).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from quizapp.models import AccountRules, User, UserSession
from quizapp.prepared import PreparedStatement

# Long enough for the requests a browser sends at once when it reopens.
ROTATION_GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    # A login without "keep me logged in" ends after this long however it is used:
    # a school day, so a shared computer left logged in does not stay so overnight.
    lifetime: timedelta = timedelta(hours=12)
    # A remembered login ends this long after it was last restored by its cookie.
    remember_lifetime: timedelta = timedelta(days=30)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SessionPolicy:
        """The SESSION_LIFETIME_HOURS and REMEMBER_LIFETIME_DAYS settings, where set."""
        default = cls()
        hours, days = config.get("SESSION_LIFETIME_HOURS"), config.get("REMEMBER_LIFETIME_DAYS")
        return cls(
            lifetime=default.lifetime if hours is None else timedelta(hours=float(hours)),
            remember_lifetime=(
                default.remember_lifetime if days is None else timedelta(days=float(days))
            ),
        )

    def lifetime_for(self, remember: bool) -> timedelta:
        return self.remember_lifetime if remember else self.lifetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start(
    session: Session, user: User, now: datetime, *, remember: bool, policy: SessionPolicy
) -> str:
    """Record a new login for `user` and return its token (the only copy)."""
    token = secrets.token_urlsafe(32)
    # The user's expired logins go now: they can never be used again.
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            remember=remember,
            created_at=now,
            expires_at=now + policy.lifetime_for(remember),
        )
    )
    session.commit()
    return token


@dataclass(slots=True)
class SignedInUser(AccountRules):
    """The logged-in user as every request sees it: the account's columns as plain
    values, read with the login in one statement, and the login's token.

    Pages read who is logged in on every request, and building an ORM entity for it
    cost more than the statement; a view that changes the account loads its `User`
    by `id`. Flask-Login's interface (`is_authenticated`, `get_id`...) is here too; the
    account's rules (`is_teacher`, `shown_name`...) are `User`'s (models.AccountRules).
    """

    id: int
    username: str
    role: str
    display_name: str | None
    disabled: bool
    must_change_password: bool
    timezone: str | None
    session_token: str | None = None

    is_authenticated = True
    is_anonymous = False


def load(session: Session, token: str, now: datetime) -> SignedInUser | None:
    """The user whose login `token` is, while that login lasts (one statement)."""
    row = _load_statement().first(session.connection(), {"token_hash": token_hash(token)})
    if row is None or row.expires_at <= now:
        return None
    return SignedInUser(
        id=row.id, username=row.username, role=row.role, display_name=row.display_name,
        disabled=bool(row.disabled), must_change_password=bool(row.must_change_password),
        timezone=row.timezone, session_token=token,
    )


@cache
def _load_statement() -> PreparedStatement:
    # Every request runs it: composed and compiled once (quizapp/prepared.py).
    return PreparedStatement(
        select(User.id, User.username, User.role, User.display_name, User.disabled,
               User.must_change_password, User.timezone, UserSession.expires_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


def rotate(session: Session, token: str, now: datetime, policy: SessionPolicy) -> str | None:
    """Exchange a remembered login's token for a new one; None if it is no longer valid.

    The old token keeps working for ROTATION_GRACE, then stops. The guarded update
    means two requests rotating the same token at once make one new login each, and
    neither can extend the old one.
    """
    current = session.scalars(
        select(UserSession).where(
            UserSession.token_hash == token_hash(token), UserSession.expires_at > now
        )
    ).first()
    if current is None:
        return None
    new_token = secrets.token_urlsafe(32)
    session.execute(
        update(UserSession)
        .where(UserSession.id == current.id, UserSession.expires_at > now + ROTATION_GRACE)
        .values(expires_at=now + ROTATION_GRACE)
    )
    session.add(
        UserSession(
            user_id=current.user_id,
            token_hash=token_hash(new_token),
            remember=current.remember,
            created_at=now,
            expires_at=now + policy.lifetime_for(current.remember),
        )
    )
    session.commit()
    return new_token


def end(session: Session, token: str) -> None:
    """End one login (logout): its cookies, wherever they were copied, stop working."""
    session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    session.commit()


def end_all(session: Session, user_id: int) -> int:
    """End every login of one user ("log out everywhere"); returns how many there were."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
