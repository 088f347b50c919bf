"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup, escape

from quizapp.markdown import render_inline, render_markdown
from quizapp.timezones import to_local, zone_named


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    app.jinja_env.filters["inline_markdown"] = lambda text: Markup(render_inline(text or ""))
    app.jinja_env.filters["percent"] = _percent
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.globals["viewer_zone_name"] = viewer_zone_name
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


# The cookie the page script sets to the browser's zone, for viewers with no preference.
ZONE_COOKIE = "tz"


def viewer_zone_name() -> str:
    """The viewer's zone: their preference, else the browser's (cookie), else UTC."""
    preference = getattr(current_user, "timezone", None)
    if zone_named(preference):
        return str(preference)
    cookie = request.cookies.get(ZONE_COOKIE)
    return str(cookie) if zone_named(cookie) else "UTC"


def localtime(value: datetime | None) -> Markup:
    """A UTC time as `<time datetime="…Z">` text in the viewer's zone, the zone named."""
    if value is None:
        return Markup("")
    name = viewer_zone_name()
    local = to_local(value, zone_named(name))
    iso = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = local.strftime("%d %b %Y, %H:%M") + f" {name}"
    return Markup('<time datetime="{}">{}</time>').format(escape(iso), escape(shown))
