"""Quiz pages read a quiz's rules through the typed model (`Quiz.rules`), so a default
is written once and settings stored by an older version still show the right facts."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from helpers import Browser, quiz_id
from test_web_quiz import attempt_of, start, text_field

from quizapp.extensions import db
from quizapp.models import Quiz


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def store_settings(app: Flask, slug: str, settings: dict[str, object]) -> int:
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id(app, slug))
        assert quiz is not None
        quiz.settings = settings
        db.session.commit()
        return quiz.id


def test_the_detail_page_shows_the_stored_rules(browser: Browser, app: Flask) -> None:
    browser.register("rita")
    page = words(browser.get(f"/quiz/{quiz_id(app, 'exam')}").get_data(as_text=True))
    assert "10 minutes, timed" in page
    assert "2 attempts allowed" in page
    assert "Exam: feedback after you finish" in page
    assert "Pass mark 50%" in page
    assert "Grade your best attempt" in page


def test_settings_missing_keys_show_the_models_defaults(browser: Browser, app: Flask) -> None:
    # As stored by an older version: no pass mark, no grading, a key no longer known.
    exam = store_settings(app, "exam", {"mode": "exam", "retired_setting": 1})
    store_settings(app, "practice", {})
    browser.register("sam")
    page = words(browser.get(f"/quiz/{exam}").get_data(as_text=True))
    assert "no time limit" in page and "as many attempts as you like" in page
    assert "Pass mark 60%" in page  # banks/schema.py Quiz.pass_mark's default
    assert "Grade your best attempt" in page  # ... and Quiz.grading's
    home = words(browser.get("/").get_data(as_text=True))
    assert "Sample exam Exam" in home and "Sample practice Practice" in home


def test_results_and_confirm_read_the_attempt_limit_and_pass_mark(
        browser: Browser, app: Flask) -> None:
    store_settings(app, "exam", {"mode": "exam", "attempts_allowed": 3, "pass_mark": 0})
    browser.register("tess")
    url = start(browser, app, "exam")
    attempt = attempt_of(url)
    confirm = words(browser.get(f"/attempt/{attempt}/finish").get_data(as_text=True))
    assert "counts as one of your 3 attempts" in confirm
    browser.post(f"/attempt/{attempt}/finish", {"confirm": "yes"}, token_from=url)
    results = browser.get(f"/attempt/{attempt}/results").get_data(as_text=True)
    assert "celebrate" in results  # 0% passes a pass mark of 0


def test_results_tick_by_the_one_correct_threshold(
        browser: Browser, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    browser.register("uma")
    url = start(browser, app)
    browser.post(url, {text_field(browser.get(url).get_data(as_text=True)): "1520"},
                 token_from=url)
    attempt = attempt_of(url)
    browser.post(f"/attempt/{attempt}/finish", {"confirm": "yes"}, token_from=url)
    results = f"/attempt/{attempt}/results"
    assert "verdict-right" in browser.get(results).get_data(as_text=True)
    # Raise the one threshold past any score: the same stored answer is no longer ticked.
    monkeypatch.setattr("quizapp.qtypes.base.CORRECT_FRACTION", 1.5)
    assert "verdict-right" not in browser.get(results).get_data(as_text=True)
