"""Review and mistakes sessions end to end, through the pages and the API."""

from __future__ import annotations

import re

from flask import Flask
from helpers import Browser, quiz_id
from htmlform import by_label, controls
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, ReviewCard


def text_field(html: str) -> str:
    return next(c.name for c in controls(html) if c.attrs.get("type") == "text")


def practise(browser: Browser, app: Flask, gauge: str, city: str) -> None:
    """A finished practice attempt: question 1 is the gauge, question 2 the city."""
    response = browser.post(f"/quiz/{quiz_id(app, 'practice')}/start")
    url = browser.get(response.headers["Location"]).headers["Location"]
    browser.post(url, {text_field(browser.get(url).get_data(as_text=True)): gauge},
                 token_from=url)
    url2 = url.replace("/q/1", "/q/2")
    option = by_label(browser.get(url2).get_data(as_text=True), city)
    browser.post(url2, {option.name: option.value}, token_from=url2)
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url2)


def start(browser: Browser, kind: str) -> str:
    """Start a session; the question URL it lands on (or where it was sent instead)."""
    response = browser.post(f"/review/{kind}/start", token_from="/progress")
    assert response.status_code == 302
    location = response.headers["Location"]
    if "/attempt/" not in location:
        return location
    return browser.get(location).headers["Location"]


def cards(app: Flask) -> dict[int, ReviewCard]:
    with app.app_context():
        return {c.question_id: c for c in db.session.scalars(select(ReviewCard))}


def test_nothing_due_is_said_kindly(browser: Browser, app: Flask) -> None:
    browser.register("rhea")
    assert start(browser, "review").endswith("/progress")
    page = browser.get("/progress").get_data(as_text=True)
    assert "Nothing to review yet" in page
    practise(browser, app, "1520", "Gomel")
    assert start(browser, "review").endswith("/progress")
    assert "Nothing is due for review now" in browser.get("/progress").get_data(as_text=True)
    assert start(browser, "mistakes").endswith("/progress")
    assert "No mistakes to practise" in browser.get("/progress").get_data(as_text=True)


def test_a_mistakes_session_end_to_end(browser: Browser, app: Flask) -> None:
    browser.register("sami")
    practise(browser, app, "1520", "Minsk")
    home = browser.get("/").get_data(as_text=True)
    assert "Practise my 1 mistake" in home
    url = start(browser, "mistakes")
    assert url.endswith("/q/1")
    page = browser.get(url).get_data(as_text=True)
    assert "Mistakes session" in page and "second city" in page
    assert "Question 1 <span class=\"of\">of 1" in page
    gomel = by_label(page, "Gomel")
    browser.post(url, {gomel.name: gomel.value}, token_from=url)
    feedback = browser.get(url).get_data(as_text=True)
    assert "Right, Gomel is the second city." in feedback  # practice feedback at once
    assert "Gomel, Belarus’s second city" in feedback  # with the evidence
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "Mistakes session: results" in results and "2 out of 2" in results
    progress = browser.get("/progress").get_data(as_text=True)
    assert "No mistakes to practise" in progress
    assert "Mistakes session" in progress  # in the history, with its review link
    assert f"/attempt/{attempt_id}/results" in progress


def test_a_review_session_of_due_questions(browser: Browser, app: Flask, clock) -> None:
    browser.register("tove")
    practise(browser, app, "1520", "Minsk")
    before = cards(app)
    clock.advance(days=400)
    browser.login("tove")  # a login lasts hours, not 400 days
    assert "2</strong> questions due for review" in browser.get("/progress").get_data(
        as_text=True)
    url = start(browser, "review")
    # Resuming: a second click lands in the same session.
    assert start(browser, "review") == url
    first = browser.get(url).get_data(as_text=True)
    assert "Review session" in first
    answers = {"rail gauge": "1520", "second city": "Brest"}
    position_url = url
    for position in (1, 2):
        position_url = url.replace("/q/1", f"/q/{position}")
        page = browser.get(position_url).get_data(as_text=True)
        if "rail gauge" in page:
            browser.post(position_url, {text_field(page): answers["rail gauge"]},
                         token_from=position_url)
        else:
            brest = by_label(page, "Brest")
            browser.post(position_url, {brest.name: brest.value}, token_from=position_url)
    after = cards(app)
    with app.app_context():
        gauge_id = next(qid for qid, c in after.items() if c.last_correct)
    city_id = next(qid for qid in after if qid != gauge_id)
    now = clock.now
    # Right: due moves well ahead; wrong: due comes back sooner than the right one.
    assert after[gauge_id].due > before[gauge_id].due and after[gauge_id].due > now
    assert after[city_id].due < after[gauge_id].due
    assert after[city_id].last_correct is False
    # All answered: the next start finishes this session and finds nothing due.
    assert start(browser, "review").endswith("/progress")
    with app.app_context():
        session = db.session.scalar(select(Attempt).where(Attempt.kind == "review"))
        assert session.finished and session.quiz_id is None


def test_another_learner_cannot_touch_a_review_session(browser: Browser, app: Flask) -> None:
    browser.register("uma")
    practise(browser, app, "1435", "Minsk")
    url = start(browser, "mistakes")
    intruder = Browser(app.test_client())
    intruder.register("vik")
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, {"x": "1"}).status_code == 404
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    assert intruder.get(f"/attempt/{attempt_id}/results").status_code == 404


def test_bad_review_requests(browser: Browser, app: Flask) -> None:
    browser.register("walt")
    assert browser.post("/review/everything/start").status_code == 404
    assert browser.get("/review/review/start").status_code == 405
    assert app.test_client().post("/review/review/start").status_code in (302, 400)


def test_review_through_the_api(app: Flask, make_user, clock) -> None:
    make_user("xena")
    client = app.test_client()
    client.post("/api/session", json={"username": "xena", "password": "correct horse"})
    nothing = client.post("/api/review/review", json={})
    assert nothing.status_code == 409
    assert nothing.get_json()["title"] == "Nothing to review"
    attempt_id = client.post(f"/api/quizzes/{quiz_id(app, 'practice')}/attempts",
                             json={}).get_json()["id"]
    client.post(f"/api/attempts/{attempt_id}/questions/1", json={"response": "1435"})
    client.post(f"/api/attempts/{attempt_id}/finish", json={})
    later = client.post("/api/review/review", json={})
    assert later.status_code == 409 and later.get_json()["next_due"]
    mistakes = client.post("/api/review/mistakes", json={})
    assert mistakes.status_code == 201
    body = mistakes.get_json()
    assert body["kind"] == "mistakes" and body["quiz_id"] is None
    assert len(body["questions"]) == 1
    answered = client.post(f"/api/attempts/{body['id']}/questions/1",
                           json={"response": "1520"}).get_json()
    assert answered["feedback"]["correct"] is True
    assert client.post("/api/review/nope", json={}).status_code == 404
    progress = client.get("/api/progress").get_json()
    assert progress["mistakes"] == 0 and progress["due"] == 0
    clock.advance(days=400)
    client.post("/api/session", json={"username": "xena", "password": "correct horse"})
    assert client.get("/api/progress").get_json()["due"] == 1
