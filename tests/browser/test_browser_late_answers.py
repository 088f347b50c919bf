"""Without JavaScript, an answer sent after the time limit: the page says the time was
up, shows what was typed as not counted, and leads to the results (axe and the Nu Html
Checker clean)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from browser_support import PASSWORD, Audit, LiveServer, log_in
from playwright.sync_api import expect
from sqlalchemy import update

pytestmark = pytest.mark.browser

EXAM = "Short timed exam"


def end_the_time_limit(live_server: LiveServer, attempt_id: int) -> None:
    """The attempt's deadline a minute ago, as if the learner had taken too long."""
    from quizapp.extensions import db
    from quizapp.models import Attempt, utcnow

    with live_server.app.app_context():
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(
            deadline=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def test_a_late_answer_without_script_is_shown_back_as_not_counted(
    new_context: Any, live_server: LiveServer, audit: Audit
) -> None:
    live_server.user("lena", PASSWORD)
    page = audit.track(new_context(java_script_enabled=False).new_page(), javascript=False)
    log_in(page, "lena", PASSWORD)
    page.goto("/")
    page.get_by_role("button", name=re.compile(rf"(Start|Resume) {EXAM}$")).click()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("Your answer").fill("Gomel")
    match = re.search(r"/attempt/(\d+)/", page.url)
    assert match
    end_the_time_limit(live_server, int(match.group(1)))
    page.get_by_role("button", name="Save and review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Time is up")
    expect(page.get_by_role("alert")).to_contain_text("this answer was not recorded")
    sent = page.get_by_role("region", name="What you sent (not counted)")
    expect(sent.get_by_label("Your answer")).to_have_value("Gomel")
    expect(sent.get_by_label("Your answer")).to_be_disabled()
    audit.check(page, "time up, answer not counted")
    page.get_by_role("link", name="See your results").click()
    expect(page.locator("#score")).to_contain_text("0 out of 3")
    audit.verify()
