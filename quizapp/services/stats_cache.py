"""Figures kept in the stats_cache table beside a fingerprint of what they came from.

A page that is costly to work out (a quiz's item analysis, a class gradebook) asks for
its payload under a key with the fingerprint of its inputs as they stand: the stored
payload when the fingerprint matches, else a fresh one, computed and stored. The
fingerprint is the whole invalidation rule: it must change whenever the payload could.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quizapp.models import StatsCache, utcnow

# Built once, run through the session's connection: plain rows, no ORM handling.
_STORED = select(StatsCache.fingerprint, StatsCache.payload).where(
    StatsCache.key == bindparam("key"))


def cached(
    session: Session, key: str, fingerprint: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The payload stored under `key` if it was computed at `fingerprint`; else
    `compute()`, stored (committed) for the next view."""
    stored = session.connection().execute(_STORED, {"key": key}).first()
    if stored is not None and stored[0] == fingerprint:
        payload: dict[str, Any] = stored[1]
        return payload
    payload = compute()
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(StatsCache)
    # Two first views at once both compute; the later write simply wins (both hold
    # the same figures, computed from the same fingerprint's data or newer).
    session.execute(
        insert.values(key=key, fingerprint=fingerprint, payload=payload, computed_at=utcnow())
        .on_conflict_do_update(index_elements=["key"], set_={
            "fingerprint": fingerprint, "payload": payload, "computed_at": utcnow()})
    )
    session.commit()
    return payload
