"""Throttles: how often one key (an account, a client address, a code) may try something.

A fixed window per (scope, key), counted in the database with one atomic
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, so every worker and machine
shares the count and 30 simultaneous hits count 30 on SQLite and PostgreSQL alike.
The count is taken *before* the guarded work (a password hash, a code lookup), so
a flood is refused cheaply instead of queueing behind the expensive part.

    result = throttle.hit(session, "login-account", name, Limit(10, 900), now)
    if not result.allowed:
        ...  # refuse; result.retry_after seconds until the window ends
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quizapp.models import Throttle

# About one hit in PRUNE_ONE_IN also deletes windows that started PRUNE_AFTER ago or
# more, so the table stays the size of the recent traffic without a separate job.
# Limits are therefore for windows shorter than PRUNE_AFTER.
PRUNE_ONE_IN = 200
PRUNE_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `seconds`-long window."""

    count: int
    seconds: int


@dataclass(frozen=True)
class ThrottleResult:
    allowed: bool
    count: int  # attempts in the current window, this one included
    retry_after: int  # seconds until the window ends (0 when allowed)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def hit(session: Session, scope: str, key: str, limit: Limit, now: datetime) -> ThrottleResult:
    """Count one attempt for (scope, key) and say whether it is within the limit.

    Commits, so the count holds even when the caller's work then fails.
    """
    table = Throttle.__table__
    window = timedelta(seconds=limit.seconds)
    expired = table.c.window_start <= now - window
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    # Both SQLite and PostgreSQL evaluate every SET expression against the old row,
    # so the two CASEs agree on whether the window had expired.
    statement = (
        insert.values(scope=scope, key=_key_hash(key), window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key],
            set_={
                "count": case((expired, 1), else_=table.c.count + 1),
                "window_start": case((expired, now), else_=table.c.window_start),
            },
        )
        .returning(table.c.count, table.c.window_start)
    )
    # Unpacked: `row.count` would be the tuple method to a type checker.
    counted, started = session.execute(statement).one()
    if prune_is_due():
        prune(session, now)
    session.commit()
    count = int(counted)
    window_start: datetime = started  # aware UTC, through UTCDateTime
    if count <= limit.count:
        return ThrottleResult(True, count, 0)
    remaining = (window_start + window - now).total_seconds()
    return ThrottleResult(False, count, max(1, math.ceil(remaining)))


def check(session: Session, scope: str, key: str, limit: Limit, now: datetime) -> ThrottleResult:
    """Whether (scope, key) is already past its limit, without counting an attempt.

    A read, so a flood that is already refused costs no writes; callers still
    `hit` before the guarded work, which is what makes the limit exact.
    """
    row = session.execute(
        select(Throttle.count, Throttle.window_start).where(
            Throttle.scope == scope, Throttle.key == _key_hash(key)
        )
    ).first()
    session.commit()  # ends the read transaction: no snapshot held across the request
    if row is None:
        return ThrottleResult(True, 0, 0)
    count, window_start = row
    if count < limit.count:
        return ThrottleResult(True, count, 0)
    remaining = (window_start + timedelta(seconds=limit.seconds) - now).total_seconds()
    if remaining <= 0:
        return ThrottleResult(True, 0, 0)
    return ThrottleResult(False, count, max(1, math.ceil(remaining)))


def refund(session: Session, scope: str, key: str) -> None:
    """Take back one attempt (one that turned out legitimate, such as a right password)."""
    session.execute(
        update(Throttle)
        .where(Throttle.scope == scope, Throttle.key == _key_hash(key), Throttle.count > 0)
        .values(count=Throttle.count - 1)
    )
    session.commit()


def reset(session: Session, scope: str, key: str) -> None:
    """Forget every attempt of (scope, key): an administrator lifting a lock-out."""
    session.execute(
        delete(Throttle).where(Throttle.scope == scope, Throttle.key == _key_hash(key))
    )
    session.commit()


def prune_is_due() -> bool:
    """A random draw that comes up about once in PRUNE_ONE_IN hits."""
    return secrets.randbelow(PRUNE_ONE_IN) == 0


def prune(session: Session, now: datetime) -> int:
    """Delete windows that ended long ago (they would restart at the next hit anyway)."""
    result = session.execute(
        delete(Throttle).where(Throttle.window_start < now - PRUNE_AFTER)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def wait_message(seconds: int) -> str:
    """"Too many attempts. Try again in 4 minutes." (rounded up, never "0 minutes")."""
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"Too many attempts. Try again in {wait}."
