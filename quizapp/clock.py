"""The app's notion of now: UTC, replaceable in tests through the CLOCK setting.

Pages and the API both read it, so neither has to import the other.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app


def now() -> datetime:
    """The current time; tests replace the app's clock through config."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(UTC)
