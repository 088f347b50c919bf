"""The student pages' own behaviour: flag with an answer, skip, confirm before finishing,
attempts counted while one is open, practising one attempt's mistakes, local times."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from helpers import Browser, quiz_id
from htmlform import by_label
from test_web_quiz import start, text_field

from quizapp.extensions import db
from quizapp.models import Attempt


def attempt_of(url: str) -> str:
    return re.search(r"/attempt/(\d+)/", url).group(1)


def test_flagging_saves_what_was_typed(browser: Browser, app: Flask) -> None:
    browser.register("fern")
    url = start(browser, app, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    # The flag button is part of the answer form and never blocked by `required`.
    page = browser.get(url).get_data(as_text=True)
    flag = re.search(r'<button[^>]*value="flag"[^>]*>', page).group(0)
    assert "formnovalidate" in flag
    form_at = page.index('id="answer-form"')
    assert form_at < page.index('value="flag"') < page.index("</form>", form_at)
    response = browser.post(url, {field: "1520 mm", "action": "flag"}, token_from=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = browser.get(url).get_data(as_text=True)
    assert 'value="1520 mm"' in page and "Remove flag" in page
    # Unflagging with the box left as it is keeps the saved answer.
    browser.post(url, {field: "1520 mm", "action": "unflag"}, token_from=url)
    page = browser.get(url).get_data(as_text=True)
    assert 'value="1520 mm"' in page and "Flag for later" in page


def test_flagging_with_an_unreadable_answer_says_so(browser: Browser, app: Flask) -> None:
    browser.register("fay")
    url = start(browser, app, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    response = browser.post(url, {field: "1,5", "action": "flag"}, token_from=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "could not be read" in page and "Remove flag" in page


def test_exam_moves_on_without_an_answer_and_practice_can_skip(
    browser: Browser, app: Flask
) -> None:
    browser.register("skip")
    url = start(browser, app, "exam")
    page = browser.get(url).get_data(as_text=True)
    go_on = re.search(r'<button[^>]*value="next"[^>]*>', page).group(0)
    assert "formnovalidate" in go_on
    response = browser.post(url, {"go": "next"}, token_from=url)
    assert response.headers["Location"].endswith("/q/2")

    practice = Browser(app.test_client())
    practice.register("pia")
    purl = start(practice, app, "practice")
    page = practice.get(purl).get_data(as_text=True)
    assert "Skip for now" in page and purl.replace("/q/1", "/q/2") in page
    page2 = practice.get(purl.replace("/q/1", "/q/2")).get_data(as_text=True)
    assert "Previous question" in page2


def test_finishing_with_unanswered_questions_asks_first(browser: Browser, app: Flask) -> None:
    browser.register("cora")
    url = start(browser, app, "exam")
    attempt_id = attempt_of(url)
    response = browser.post(f"/attempt/{attempt_id}/finish", token_from=url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 of 2 questions not answered" in page and "Finish anyway" in page
    assert f"/attempt/{attempt_id}/q/1" in page and f"/attempt/{attempt_id}/q/2" in page
    with app.app_context():
        assert db.session.get(Attempt, int(attempt_id)).finished_at is None
    # The confirmation is a page of its own too, reachable without a form.
    assert browser.get(f"/attempt/{attempt_id}/finish").status_code == 200
    response = browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    assert response.headers["Location"].endswith(f"/attempt/{attempt_id}/results")


def test_all_answered_finishes_at_once(browser: Browser, app: Flask) -> None:
    browser.register("dora")
    url = start(browser, app, "practice")
    browser.post(url, {text_field(browser.get(url).get_data(as_text=True)): "1520"},
                 token_from=url)
    url2 = url.replace("/q/1", "/q/2")
    gomel = by_label(browser.get(url2).get_data(as_text=True), "Gomel")
    browser.post(url2, {gomel.name: gomel.value}, token_from=url2)
    response = browser.post(f"/attempt/{attempt_of(url)}/finish", token_from=url)
    assert response.status_code == 302


def test_quiz_page_counts_the_open_attempt(browser: Browser, app: Flask) -> None:
    browser.register("eddie")
    detail = f"/quiz/{quiz_id(app, 'exam')}"
    page = browser.get(detail).get_data(as_text=True)
    assert "Start the quiz" in page and "Attempts left: 2." in page
    url = start(browser, app, "exam")
    page = browser.get(detail).get_data(as_text=True)
    assert "Resume (0 of 2 answered)" in page and "Attempts left: 1." in page
    home = browser.get("/").get_data(as_text=True)
    assert "0 of 2 answered" in home
    browser.post(f"/attempt/{attempt_of(url)}/finish", {"confirm": "yes"}, token_from=url)
    url = start(browser, app, "exam")
    browser.post(f"/attempt/{attempt_of(url)}/finish", {"confirm": "yes"}, token_from=url)
    page = browser.get(detail).get_data(as_text=True)
    assert "You have used all 2 attempts" in page
    assert "Start a new attempt" not in page and "Resume" not in page
    assert "No attempts left." in browser.get("/").get_data(as_text=True)


def test_quiz_page_links_the_banks_own_article(browser: Browser, app: Flask) -> None:
    page = browser.get(f"/quiz/{quiz_id(app, 'practice')}").get_data(as_text=True)
    assert "Read the article" in page
    assert '<a href="https://example.org/article" rel="noopener noreferrer">An article</a>' in page
    assert "2 questions" in page


def test_practise_what_i_missed_draws_only_this_attempts_mistakes(
    browser: Browser, app: Flask
) -> None:
    browser.register("gil")
    url = start(browser, app, "practice")
    browser.post(url, {text_field(browser.get(url).get_data(as_text=True)): "1435"},
                 token_from=url)
    url2 = url.replace("/q/1", "/q/2")
    gomel = by_label(browser.get(url2).get_data(as_text=True), "Gomel")
    browser.post(url2, {gomel.name: gomel.value}, token_from=url2)
    attempt_id = attempt_of(url)
    browser.post(f"/attempt/{attempt_id}/finish", token_from=url)
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "Practise what I missed here (1)" in results and "Try again" in results
    assert results.index('id="score"') < results.index("<details")
    response = browser.post("/review/mistakes/start", {"attempt": attempt_id},
                            token_from=f"/attempt/{attempt_id}/results")
    session_url = browser.get(response.headers["Location"]).headers["Location"]
    page = browser.get(session_url).get_data(as_text=True)
    assert "Question 1 <span class=\"of\">of 1</span>" in page and "rail gauge" in page
    # Pressed again: the same session goes on rather than a second one.
    again = browser.post("/review/mistakes/start", {"attempt": attempt_id},
                         token_from=f"/attempt/{attempt_id}/results")
    assert again.headers["Location"] == response.headers["Location"]
    bad = browser.post("/review/mistakes/start", {"attempt": "x1"}, token_from="/")
    assert bad.status_code == 400


def test_practice_results_never_say_not_passed(browser: Browser, app: Flask) -> None:
    browser.register("hal")
    url = start(browser, app, "exam")
    attempt_id = attempt_of(url)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "not passed this time" in results and "<strong>not passed" not in results


def test_times_are_shown_in_the_viewers_zone(browser: Browser, app: Flask) -> None:
    from quizapp.web.templating import localtime

    moment = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    with app.test_request_context("/", headers={"Cookie": "tz=Europe/Paris"}):
        assert str(localtime(moment)) == (
            '<time datetime="2026-07-01T12:30:00Z">1 Jul 2026, 14:30 CEST</time>')
    with app.test_request_context("/", headers={"Cookie": "tz=Europe/Minsk"}):
        assert "15:30 UTC+03" in str(localtime(moment, "time"))
    for junk in ("Mars/Olympus", "../../etc/passwd", "x" * 300, ""):
        with app.test_request_context("/", headers={"Cookie": f"tz={junk}"}):
            assert "12:30 UTC</time>" in str(localtime(moment))
    browser.register("ivy")
    browser.client.set_cookie("tz", "America/New_York")
    url = start(browser, app, "exam")
    page = browser.get(url).get_data(as_text=True)
    assert re.search(r'<time datetime="[0-9T:-]+Z">\d\d:\d\d E[DS]T</time>', page)


def test_progress_states_the_mastery_rule_and_tables_scroll_by_keyboard(
    browser: Browser, app: Flask
) -> None:
    browser.register("jude")
    url = start(browser, app, "practice")
    browser.post(url, {text_field(browser.get(url).get_data(as_text=True)): "1435"},
                 token_from=url)
    page = browser.get("/progress").get_data(as_text=True)
    assert "How it is worked out" in page
    assert "0 of 1 right (0%)" in page
    # Every table sits in a region the keyboard can focus, to scroll it on a phone.
    assert page.count('<div class="table-scroll" role="region"') == page.count("<table")
    assert 'tabindex="0"' in page


def test_practise_what_i_missed_pressed_30_times_at_once_starts_one_session(
    app: Flask, make_user
) -> None:
    import threading

    from sqlalchemy import func, select

    make_user("thirty")
    browser = Browser(app.test_client())
    browser.login("thirty")
    url = start(browser, app, "practice")
    attempt_id = attempt_of(url)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    token = browser.csrf(f"/attempt/{attempt_id}/results")
    barrier = threading.Barrier(30)
    locations: list[str] = []

    def press() -> None:
        client = app.test_client()
        client.set_cookie("session", browser.client.get_cookie("session").value)
        barrier.wait()
        response = client.post("/review/mistakes/start",
                               data={"attempt": attempt_id, "csrf_token": token})
        locations.append(f"{response.status_code} {response.headers.get('Location')}")

    threads = [threading.Thread(target=press) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(locations)) == 1 and locations[0].startswith("302 "), set(locations)
    with app.app_context():
        sessions = db.session.scalar(
            select(func.count(Attempt.id)).where(Attempt.kind == "mistakes"))
        assert sessions == 1
