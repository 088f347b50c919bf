"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup

from quizapp.markdown import render_inline, render_markdown


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    app.jinja_env.filters["inline_markdown"] = lambda text: Markup(render_inline(text or ""))
    app.jinja_env.filters["percent"] = _percent
    app.jinja_env.filters["when"] = _when
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
