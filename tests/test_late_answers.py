"""An answer sent after the time limit, without JavaScript: the deadline is exact (it is
not recorded, to the second), but the learner is told plainly, sees what they sent
marked as not counted, and gets the way to the results; a 409, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from helpers import Browser, Clock, quiz_id
from htmlform import by_label, controls
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, AttemptItem

TIME_UP = "Time is up: the attempt was finished at its deadline and this answer was not recorded."


def start_exam(browser: Browser, app: Flask) -> tuple[str, int]:
    """The first question's URL of a new 10-minute exam attempt, and the attempt's id."""
    response = browser.post(f"/quiz/{quiz_id(app, 'exam')}/start")
    url = browser.get(response.headers["Location"]).headers["Location"]
    match = re.search(r"/attempt/(\d+)/", url)
    assert match
    return url, int(match.group(1))


def text_field(html: str) -> str:
    return next(c.name for c in controls(html) if c.attrs.get("type") == "text")


def stored_answers(app: Flask, attempt_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Answer.item_id)).join(AttemptItem).where(
            AttemptItem.attempt_id == attempt_id)) or 0


def deadline_of(app: Flask, attempt_id: int) -> Clock:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.deadline is not None
        clock = Clock()
        clock.now = attempt.deadline
        return clock


@pytest.fixture
def exam(browser: Browser, app: Flask) -> tuple[str, int, str, str]:
    """A learner on question 1 of an exam: its URL, the attempt, the field, a CSRF token."""
    browser.register("late")
    url, attempt_id = start_exam(browser, app)
    page = browser.get(url).get_data(as_text=True)
    return url, attempt_id, text_field(page), browser.csrf(url)


def test_an_answer_after_the_deadline_is_refused_and_shown_back(
    browser: Browser, app: Flask, clock: Clock, exam: tuple[str, int, str, str]
) -> None:
    url, attempt_id, field, token = exam
    clock.now = deadline_of(app, attempt_id).now  # exactly at the deadline: too late
    response = browser.client.post(url, data={field: "1.52 m", "go": "next",
                                              "csrf_token": token})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    # Said plainly, with when the time ended and when the answer came.
    assert "<h1>Time is up</h1>" in page and TIME_UP in page
    assert "this one does not" in page
    # What was typed is shown back, disabled, under a heading that says it did not count.
    assert "What you sent (not counted)" in page
    echoed = next(c for c in controls(page) if c.name == field)
    assert echoed.value == "1.52 m" and "disabled" in echoed.attrs
    # The way on is the results, which count nothing sent late.
    assert f'href="/attempt/{attempt_id}/results"' in page
    assert stored_answers(app, attempt_id) == 0
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "0 out of 3" in results


def test_one_second_before_the_deadline_still_counts(
    browser: Browser, app: Flask, clock: Clock, exam: tuple[str, int, str, str]
) -> None:
    url, attempt_id, field, token = exam
    clock.now = deadline_of(app, attempt_id).now - timedelta(seconds=1)
    response = browser.client.post(url, data={field: "1520", "go": "next",
                                              "csrf_token": token})
    assert response.status_code == 302
    assert stored_answers(app, attempt_id) == 1


def test_a_late_choice_is_shown_as_chosen(
    browser: Browser, app: Flask, clock: Clock, exam: tuple[str, int, str, str]
) -> None:
    url, attempt_id, _field, _token = exam
    url2 = url.replace("/q/1", "/q/2")
    page = browser.get(url2).get_data(as_text=True)
    gomel = by_label(page, "Gomel")
    token = browser.csrf(url2)
    clock.advance(minutes=11)
    response = browser.client.post(url2, data={gomel.name: gomel.value, "go": "summary",
                                               "csrf_token": token})
    assert response.status_code == 409
    shown = response.get_data(as_text=True)
    assert TIME_UP in shown
    chosen = by_label(shown, "Gomel")
    assert "checked" in chosen.attrs and "disabled" in chosen.attrs
    assert stored_answers(app, attempt_id) == 0


def test_an_unreadable_or_empty_late_answer_is_still_explained(
    browser: Browser, app: Flask, clock: Clock, exam: tuple[str, int, str, str]
) -> None:
    url, attempt_id, field, token = exam
    clock.advance(minutes=11)
    # Not a number: shown back as typed, escaped.
    response = browser.client.post(url, data={field: "about <b>fifteen</b>",
                                              "csrf_token": token})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert TIME_UP in page and "about &lt;b&gt;fifteen&lt;/b&gt;" in page
    # Nothing entered, and the flag button pressed at the last moment.
    response = browser.client.post(url, data={field: "", "action": "flag",
                                              "csrf_token": token})
    assert response.status_code == 409
    assert "Nothing had been entered for this question." in response.get_data(as_text=True)
    assert stored_answers(app, attempt_id) == 0


def test_a_page_left_open_past_the_deadline_is_refused_the_same_way(
    app: Flask, browser: Browser, clock: Clock
) -> None:
    """The attempt was already finished at its deadline (opened in another tab) when
    the older page's answer arrives."""
    browser.register("tabs")
    url, attempt_id = start_exam(browser, app)
    page = browser.get(url).get_data(as_text=True)
    token = browser.csrf(url)
    clock.advance(minutes=10)
    assert browser.get(url).status_code == 302  # opening it finishes it at its deadline
    response = browser.client.post(url, data={text_field(page): "1520",
                                              "csrf_token": token})
    assert response.status_code == 409 and TIME_UP in response.get_data(as_text=True)
    assert stored_answers(app, attempt_id) == 0
