"""The student's journey through the pages, and what they refuse."""

from __future__ import annotations

import re

from flask import Flask
from helpers import Browser, quiz_id
from htmlform import by_label, controls, unlabelled


def start(browser: Browser, app: Flask, slug: str = "practice") -> str:
    response = browser.post(f"/quiz/{quiz_id(app, slug)}/start")
    assert response.status_code == 302
    attempt_url = response.headers["Location"]
    response = browser.get(attempt_url)
    assert response.status_code == 302
    return response.headers["Location"]


def text_field(html: str) -> str:
    names = [c.name for c in controls(html) if c.tag == "input" and c.attrs.get("type") == "text"]
    assert names, "no text box on the page"
    return names[0]


def test_home_lists_quizzes_for_everyone(app: Flask) -> None:
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Sample practice" in page and "Sample exam" in page


def test_a_student_takes_a_practice_quiz_end_to_end(browser: Browser, app: Flask) -> None:
    browser.register("anna")
    url = start(browser, app)
    assert url.endswith("/q/1")

    page = browser.get(url).get_data(as_text=True)
    assert "rail gauge" in page
    assert not unlabelled(page)
    response = browser.post(url, {text_field(page): "1,520 mm"}, token_from=url)
    assert response.status_code == 302
    feedback = browser.get(url).get_data(as_text=True)
    assert "Right" in feedback
    assert "1,520mm gauge" in feedback  # the evidence quote is cited
    assert "Belarus uses the Russian broad gauge." in feedback

    url2 = url.replace("/q/1", "/q/2")
    page = browser.get(url2).get_data(as_text=True)
    gomel = by_label(page, "Gomel")
    browser.post(url2, {gomel.name: gomel.value}, token_from=url2)
    feedback = browser.get(url2).get_data(as_text=True)
    assert "Right, Gomel is the second city." in feedback

    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    response = browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url2)
    assert response.status_code == 302
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "3 out of 3" in results
    # Each reviewed question keeps its own radio group, so every choice stays shown.
    assert results.count('<form class="review-answer">') == 2
    assert by_label(results, "Gomel").attrs.get("checked") is not None

    progress = browser.get("/progress").get_data(as_text=True)
    assert "Sample practice" in progress and "100%" in progress


def test_wrong_choice_shows_that_options_feedback(browser: Browser, app: Flask) -> None:
    browser.register("ben")
    url = start(browser, app).replace("/q/1", "/q/2")
    page = browser.get(url).get_data(as_text=True)
    minsk = by_label(page, "Minsk")
    browser.post(url, {minsk.name: minsk.value}, token_from=url)
    feedback = browser.get(url).get_data(as_text=True)
    assert "Not right" in feedback
    assert "Minsk is the capital" in feedback


def test_unreadable_numeric_answers_are_not_stored(browser: Browser, app: Flask) -> None:
    browser.register("cleo")
    url = start(browser, app)
    page = browser.get(url).get_data(as_text=True)
    field = text_field(page)
    for garbage in ("", "abc", "12abc", "1,5"):
        response = browser.post(url, {field: garbage}, token_from=url)
        assert response.status_code == 422, garbage
        assert "could not be read" in response.get_data(as_text=True)
    # Still unanswered: a real answer is accepted afterwards.
    assert browser.post(url, {field: "1520"}, token_from=url).status_code == 302


def test_a_resent_practice_answer_does_not_change_the_first(browser: Browser, app: Flask) -> None:
    browser.register("dora")
    url = start(browser, app)
    field = text_field(browser.get(url).get_data(as_text=True))
    browser.post(url, {field: "1435"}, token_from=url)
    browser.post(url, {field: "1520"}, token_from=url)
    assert "Not right" in browser.get(url).get_data(as_text=True)


def test_a_question_outside_the_attempt_is_404(browser: Browser, app: Flask) -> None:
    browser.register("eli")
    url = start(browser, app)
    missing = url.replace("/q/1", "/q/99")
    assert browser.get(missing).status_code == 404
    assert browser.post(missing, {"r": "1"}, token_from=url).status_code == 404


def test_another_learners_attempt_is_404(browser: Browser, app: Flask) -> None:
    browser.register("fin")
    url = start(browser, app)
    intruder = Browser(app.test_client())
    intruder.register("gil")
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, {"r": "1520"}).status_code == 404
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    assert intruder.get(f"/attempt/{attempt_id}/results").status_code == 404
    assert intruder.post(f"/attempt/{attempt_id}/finish").status_code == 404


def test_an_unfinished_attempt_resumes_after_a_restart(browser: Browser, make_app) -> None:
    first = make_app()
    browser = Browser(first.test_client())
    browser.register("hana")
    url = start(browser, first)
    field = text_field(browser.get(url).get_data(as_text=True))
    browser.post(url, {field: "1520"}, token_from=url)

    restarted = make_app()  # a new app object over the same database file
    again = Browser(restarted.test_client())
    again.login("hana")
    response = again.post(f"/quiz/{quiz_id(restarted, 'practice')}/start")
    attempt_url = response.headers["Location"]
    assert attempt_url in url
    resumed = again.get(attempt_url).headers["Location"]
    assert resumed.endswith("/q/2")  # the answered question is not asked again


def test_exam_time_limit_is_enforced_on_the_server(browser: Browser, app: Flask, clock) -> None:
    browser.register("ivan")
    url = start(browser, app, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    token = browser.csrf(url)
    clock.advance(minutes=11)
    response = browser.post(url, {field: "1520", "csrf_token": token})
    assert response.status_code == 409  # refused and shown back (test_late_answers.py)
    assert "Time is up" in response.get_data(as_text=True)
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    results = browser.get(f"/attempt/{attempt_id}/results")
    assert results.status_code == 200
    assert "0 out of 3" in results.get_data(as_text=True)


def test_opening_a_question_after_the_deadline_goes_to_the_results(
    browser: Browser, app: Flask, clock
) -> None:
    browser.register("ivy")
    url = start(browser, app, "exam")
    clock.advance(minutes=10)
    response = browser.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")
    assert "Time is up" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_exam_shows_no_feedback_until_finished(browser: Browser, app: Flask) -> None:
    browser.register("jody")
    url = start(browser, app, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    response = browser.post(url, {field: "1520", "go": "next"}, token_from=url)
    assert response.headers["Location"].endswith("/q/2")
    page = browser.get(url).get_data(as_text=True)
    assert "Right" not in page and "broad gauge" not in page
    # Answers may change until the attempt is finished.
    browser.post(url, {field: "1435"}, token_from=url)
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    results = browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    assert "0 out of 3" in results and "broad gauge" in results


def test_exam_attempts_allowed(browser: Browser, app: Flask) -> None:
    browser.register("kim")
    for _ in range(2):
        url = start(browser, app, "exam")
        attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
        browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    response = browser.post(f"/quiz/{quiz_id(app, 'exam')}/start")
    assert response.status_code == 302
    assert "all 2 attempts" in browser.get("/").get_data(as_text=True)


def attempt_of(url: str) -> str:
    return re.search(r"/attempt/(\d+)/", url).group(1)


def test_exam_moves_back_and_forth_and_flags(browser: Browser, app: Flask) -> None:
    browser.register("lars")
    url = start(browser, app, "exam")
    url2 = url.replace("/q/1", "/q/2")
    field = text_field(browser.get(url).get_data(as_text=True))
    # Going on with nothing entered moves on and saves nothing.
    response = browser.post(url, {field: "", "go": "next"}, token_from=url)
    assert response.headers["Location"].endswith("/q/2")
    page = browser.get(url2).get_data(as_text=True)
    assert "Save and go back" in page
    response = browser.post(url2, {"action": "flag"}, token_from=url2)
    assert response.headers["Location"].endswith("/q/2")
    assert "Remove flag" in browser.get(url2).get_data(as_text=True)
    gomel = by_label(page, "Gomel")
    response = browser.post(url2, {gomel.name: gomel.value, "go": "previous"}, token_from=url2)
    assert response.headers["Location"].endswith("/q/1")
    summary = browser.get(f"/attempt/{attempt_of(url)}/summary").get_data(as_text=True)
    assert "Flagged" in summary and "1</strong> question not answered" in summary
    browser.post(url2, {"action": "unflag"}, token_from=url2)
    assert "Flagged" not in browser.get(f"/attempt/{attempt_of(url)}/summary").get_data(
        as_text=True)
    # The saved answer is kept when going on with nothing entered.
    page = browser.get(url2).get_data(as_text=True)
    assert by_label(page, "Gomel").attrs.get("checked") is not None
    browser.post(url, {field: "1520", "go": "summary"}, token_from=url)
    browser.post(f"/attempt/{attempt_of(url)}/finish", {"confirm": "yes"}, token_from=url)
    assert "3 out of 3" in browser.get(f"/attempt/{attempt_of(url)}/results").get_data(
        as_text=True)


def test_tampered_hidden_fields_change_nothing(browser: Browser, app: Flask, clock) -> None:
    browser.register("mona")
    url = start(browser, app, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    forged = {field: "1435", "score": "100", "points": "99", "correct": "1", "fraction": "1",
              "deadline": "2099-01-01T00:00:00", "position": "2", "attempt_id": "1",
              "finished_at": "", "go": "next"}
    assert browser.post(url, forged, token_from=url).status_code == 302
    token = browser.csrf(url)
    clock.advance(minutes=11)  # a forged deadline does not extend the time
    response = browser.post(url, {field: "1520", "deadline": "2099-01-01", "csrf_token": token})
    assert response.status_code == 409
    assert "Time is up" in response.get_data(as_text=True)
    results = browser.get(f"/attempt/{attempt_of(url)}/results").get_data(as_text=True)
    assert "0 out of 3" in results


def test_practice_flag_and_finish_are_refused_after_finishing(
    browser: Browser, app: Flask
) -> None:
    browser.register("nils")
    url = start(browser, app)
    attempt_id = attempt_of(url)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    response = browser.post(url, {"action": "flag"}, token_from=url)
    assert response.status_code == 302
    assert "finished" in browser.get(response.headers["Location"]).get_data(as_text=True)
    # A second finish is harmless: the first result stands.
    again = browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    assert again.status_code == 302


def test_an_exam_resumes_after_a_restart(make_app, clock) -> None:
    first = make_app()
    browser = Browser(first.test_client())
    browser.register("olga")
    url = start(browser, first, "exam")
    field = text_field(browser.get(url).get_data(as_text=True))
    browser.post(url, {field: "1435", "go": "next"}, token_from=url)

    restarted = make_app()
    again = Browser(restarted.test_client())
    again.login("olga")
    home = again.get("/").get_data(as_text=True)
    assert "Resume" in home
    response = again.post(f"/quiz/{quiz_id(restarted, 'exam')}/start")
    resumed = again.get(response.headers["Location"]).headers["Location"]
    assert resumed.endswith("/q/2")
    page = again.get(resumed.replace("/q/2", "/q/1")).get_data(as_text=True)
    assert 'value="1435"' in page  # the saved answer is still there


def test_history_page_and_bad_page_numbers(browser: Browser, app: Flask) -> None:
    browser.register("pia")
    url = start(browser, app)
    browser.post(f"/attempt/{attempt_of(url)}/finish", {"confirm": "yes"}, token_from=url)
    page = browser.get("/progress/attempts").get_data(as_text=True)
    assert "Sample practice" in page and f"/attempt/{attempt_of(url)}/results" in page
    for bad in ("0", "-1", "abc", "1.5", "9999999"):
        response = browser.get(f"/progress/attempts?page={bad}")
        assert response.status_code == 400, bad
        assert "whole number" in response.get_data(as_text=True)
    assert browser.get("/progress/attempts?page=2").status_code == 404


def test_many_learners_answering_at_once_lose_nothing(app: Flask, make_user) -> None:
    import threading

    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Answer, DayStat

    learners = [f"crowd{i}" for i in range(8)]
    browsers = []
    for name in learners:
        make_user(name)
        browser = Browser(app.test_client())
        browser.login(name)
        url = start(browser, app)
        field = text_field(browser.get(url).get_data(as_text=True))
        browsers.append((browser, url, field, browser.csrf(url)))
    barrier = threading.Barrier(len(browsers) * 2)
    statuses: list[int] = []

    def answer(browser: Browser, url: str, field: str, token: str) -> None:
        barrier.wait()
        response = browser.client.post(url, data={field: "1520", "csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=answer, args=entry)
               for entry in browsers for _ in range(2)]  # each learner double-clicks
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(threads)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == len(learners)
        assert db.session.scalar(select(func.sum(DayStat.answered))) == len(learners)
