"""Time zones: names people choose and conversions (pure: no Flask, no database).

Times are stored in UTC; pages show them in the viewer's zone and say which zone.
A time a teacher types (an assignment's due time) is read in the teacher's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone of an IANA name such as "Europe/Minsk"; None for anything else."""
    if not name or len(name) > 64 or name not in zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def to_utc(local: datetime, zone: tzinfo | None) -> datetime:
    """A wall-clock time typed in `zone` (UTC when None), as an aware UTC time."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=zone or UTC).astimezone(UTC)


