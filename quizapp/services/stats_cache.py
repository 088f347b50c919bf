"""Figures kept in the stats_cache table beside a fingerprint of what they came from.

A page that is costly to work out (a quiz's item analysis, a class gradebook) asks for
its payload under a key with the fingerprint of its inputs as they stand: the stored
payload when the fingerprint matches, else a fresh one, computed and stored. The
fingerprint is the whole invalidation rule: it must change whenever the payload could.

Because of that rule, a payload is good for as long as its fingerprint is current,
wherever it is kept: each worker also keeps the payloads it has read or computed, and
a view whose fingerprint matches the one kept reads nothing more. (A gradebook's kept
table is about 120 kB of HTML: reading and decoding it cost more than the rest of the
page's reads together.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from quizapp.memo import Memo
from quizapp.models import StatsCache, utcnow

# Payloads kept per worker (a gradebook's about 120 kB): a few classes' and quizzes'
# pages in each sort and time zone, at most a few MB.
PAYLOADS_KEPT = 64
_kept: Memo[tuple[URL, str], tuple[str, dict[str, Any]]] = Memo(limit=PAYLOADS_KEPT)

# Built once, run through the session's connection: plain rows, no ORM handling.
_STORED = select(StatsCache.fingerprint, StatsCache.payload).where(
    StatsCache.key == bindparam("key"))


def cached(
    session: Session, key: str, fingerprint: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The payload stored under `key` if it was computed at `fingerprint`; else
    `compute()`, stored (committed) for the next view. The payload returned is shared
    with later views: read it, never change it."""
    # Each database keeps its own figures, so the worker's table holds them apart.
    engine = session.get_bind().engine
    kept_key = (engine.url, key)
    kept = _kept.get(kept_key)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    stored = session.connection().execute(_STORED, {"key": key}).first()
    if stored is not None and stored[0] == fingerprint:
        payload: dict[str, Any] = stored[1]
        return _kept.keep(kept_key, (fingerprint, payload))[1]
    payload = compute()
    dialect = engine.dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(StatsCache)
    # Two first views at once both compute; the later write simply wins (both hold
    # the same figures, computed from the same fingerprint's data or newer).
    session.execute(
        insert.values(key=key, fingerprint=fingerprint, payload=payload, computed_at=utcnow())
        .on_conflict_do_update(index_elements=["key"], set_={
            "fingerprint": fingerprint, "payload": payload, "computed_at": utcnow()})
    )
    session.commit()
    return _kept.keep(kept_key, (fingerprint, payload))[1]
