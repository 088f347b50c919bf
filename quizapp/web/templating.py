"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, has_request_context, request
from flask_login import current_user
from markupsafe import Markup, escape

from quizapp.markdown import render_inline, render_markdown

# The browser's zone, written by static/app.js (Intl's IANA name), read when the
# account has no zone of its own.
TIMEZONE_COOKIE = "tz"


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    app.jinja_env.filters["inline_markdown"] = lambda text: Markup(render_inline(text or ""))
    app.jinja_env.filters["percent"] = _percent
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}%"


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d %b %Y, %H:%M UTC")


def _zone(name: object) -> tzinfo | None:
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def viewer_zone() -> tzinfo:
    """The zone times are shown in: the account's, else the browser's, else UTC."""
    if not has_request_context():
        return UTC
    zone = _zone(getattr(current_user, "timezone", None))
    if zone is None:
        zone = _zone(request.cookies.get(TIMEZONE_COOKIE))
    return zone or UTC


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation, or its offset from UTC where it has none ("+03")."""
    name = moment.tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def localtime(
    value: datetime | None, style: str = "datetime", zone: tzinfo | None = None
) -> Markup:
    """`<time datetime="UTC ISO">` with the moment in the viewer's zone, zone stated.

    style "datetime" gives "1 Dec 2026, 14:05 CET"; "time" gives "14:05 CET". A page
    showing hundreds of times passes `zone` (its viewer_zone(), looked up once).
    """
    if value is None:
        return Markup("")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    utc = value.astimezone(UTC)
    local = utc.astimezone(viewer_zone() if zone is None else zone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    text = clock if style == "time" else f"{local.day} {local:%b %Y}, {clock}"
    machine = utc.isoformat(timespec="seconds").replace("+00:00", "Z")
    # Digits and a month name need no escaping; the zone label is escaped.
    return Markup(f'<time datetime="{machine}">{text} {escape(zone_label(local))}</time>')


def duration(seconds: float | None) -> str:
    """A length of time in words: "1 h 05 min", "12 min 30 s", "45 s"."""
    if seconds is None or seconds < 0:
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
