"""Exam integrity under concurrency and across windows: the attempt limit, answers
racing a finish, stale pages, open exams and exam-only questions, the per-attempt cap
and the quiz selection rules."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import SAMPLE_BANK, Browser, all_at_once, clients_sharing, database_at, quiz_id
from htmlform import controls
from sqlalchemy import func, select

from quizapp.banks import load_bank_text
from quizapp.extensions import db
from quizapp.models import Answer, Attempt, AttemptItem, ReviewCard, TopicStat
from quizapp.services import attempts as attempt_service
from quizapp.services import review as review_service

THREADS = 30
QUESTIONS = 12


def race_bank(count: int = QUESTIONS) -> str:
    """Single-choice questions whose first option is right (options keep file order)."""
    questions = "".join(
        f"""  - id: q{n}
    type: single_choice
    prompt: Which letter is number {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Beta}}
    topics: [{"odd" if n % 2 else "even"}]
{"    exam_only: true" + chr(10) if n == count else ""}"""
        for n in range(1, count + 1)
    )
    return f"""\
id: race
title: Race bank
topics:
  - {{id: odd, title: Odd}}
  - {{id: even, title: Even}}
quizzes:
  - id: once
    title: One-attempt exam
    mode: exam
    attempts_allowed: 1
    shuffle_options: false
  - id: open-exam
    title: Open exam
    mode: exam
    shuffle_questions: false
    shuffle_options: false
  - id: drill
    title: Drill
    mode: practice
    shuffle_questions: false
    shuffle_options: false
  - id: odd-only
    title: Odd ones
    mode: practice
    select: {{topics: [odd]}}
    shuffle_questions: false
  - id: three
    title: Three of them
    mode: practice
    select: {{count: 3}}
    shuffle_questions: false
  - id: three-odd
    title: Three odd ones
    mode: practice
    select: {{topics: [odd], count: 3}}
    shuffle_questions: false
  - id: shuffled
    title: Shuffled
    mode: practice
questions:
{questions}"""


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE_BANK, encoding="utf-8")
    (folder / "race.yaml").write_text(race_bank(), encoding="utf-8")
    return folder


def clients_of(app: Flask, username: str, count: int) -> list[FlaskClient]:
    """`count` clients sharing one login, like tabs of one browser."""
    first = app.test_client()
    response = first.post("/api/session", json={"username": username,
                                                "password": "correct horse"})
    assert response.status_code == 200
    cookie = first.get_cookie("session")
    assert cookie is not None
    return [first, *clients_sharing(app, cookie.value, count - 1)]


def attempts_on(app: Flask, user_id: int, slug: str) -> list[Attempt]:
    with app.app_context():
        return list(db.session.scalars(select(Attempt).where(
            Attempt.user_id == user_id, Attempt.quiz_id == quiz_id(app, slug))))


# -- 1. the attempt limit holds under simultaneous starts ---------------------------------
def test_thirty_api_starts_at_once_make_one_attempt(app: Flask, make_user) -> None:
    user = make_user("racer")
    clients = clients_of(app, "racer", THREADS)
    url = f"/api/quizzes/{quiz_id(app, 'once')}/attempts"
    results = all_at_once([lambda c=c: c.post(url, json={}) for c in clients])
    rows = attempts_on(app, user, "once")
    assert len(rows) == 1
    # Every start resumed the one attempt (or was told to try again), none made another.
    assert {r.get_json().get("id") for r in results if r.status_code == 201} == {rows[0].id}
    assert all(r.status_code in (201, 409) for r in results)

    # Once it is finished, thirty more starts are all refused with the usual message.
    assert clients[0].post(f"/api/attempts/{rows[0].id}/finish", json={}).status_code == 200
    results = all_at_once([lambda c=c: c.post(url, json={}) for c in clients])
    assert [r.status_code for r in results] == [403] * THREADS
    assert all("all 1 attempts" in r.get_json()["detail"] for r in results)
    assert len(attempts_on(app, user, "once")) == 1


def test_thirty_form_starts_at_once_make_one_attempt(app: Flask, make_user) -> None:
    user = make_user("clicker")
    browser = Browser(app.test_client())
    browser.login("clicker")
    token = browser.csrf("/")
    clients = browser.tabs(THREADS)
    url = f"/quiz/{quiz_id(app, 'once')}/start"
    results = all_at_once(
        [lambda c=c: c.post(url, data={"csrf_token": token}) for c in clients])
    rows = attempts_on(app, user, "once")
    assert len(rows) == 1
    assert all(r.status_code == 302 for r in results)
    assert {r.headers["Location"] for r in results} <= {f"/attempt/{rows[0].id}", "/"}


def test_unlimited_quiz_starts_at_once_share_one_open_attempt(app: Flask, make_user) -> None:
    user = make_user("tabby")
    clients = clients_of(app, "tabby", THREADS)
    url = f"/api/quizzes/{quiz_id(app, 'drill')}/attempts"
    all_at_once([lambda c=c: c.post(url, json={}) for c in clients])
    assert len(attempts_on(app, user, "drill")) == 1


# -- 2. an answer racing a finish is refused or counted ------------------------------------
def test_answers_racing_a_finish_are_counted_or_refused(app: Flask, make_user) -> None:
    race_rounds(app, make_user("photo"), "photo", rounds=4)


def race_rounds(app: Flask, user: int, username: str, rounds: int) -> None:
    """Exams answered in twelve threads while a thirteenth finishes them."""
    clients = clients_of(app, username, QUESTIONS)
    client = clients[0]
    exam = quiz_id(app, "open-exam")
    for _round in range(rounds):
        attempt = client.post(f"/api/quizzes/{exam}/attempts", json={}).get_json()
        base = f"/api/attempts/{attempt['id']}"
        keys = {}
        for question in attempt["questions"]:
            page = client.get(f"{base}/questions/{question['position']}").get_json()
            keys[question["position"]] = page["question"]["options"][0]["key"]

        calls: list[Callable[[], Any]] = [
            lambda c=c, p=p, b=base, k=keys: c.post(f"{b}/questions/{p}",
                                                    json={"response": k[p]})
            for c, p in zip(clients, sorted(keys), strict=False)
        ]
        calls.insert(len(calls) // 2, lambda b=base: client.post(f"{b}/finish", json={}))
        results = all_at_once(calls)

        answers = [r for r in results if "stored" in (r.get_json() or {})]
        for response in results:
            body = response.get_json()
            assert response.status_code in (200, 409), body
            if response.status_code == 409:
                # Refused with a message: finished meanwhile, or already finished.
                assert ("not recorded" in body["detail"]
                        or "answers can no longer change" in body["detail"]), body
        stored = sum(1 for r in answers if r.get_json()["stored"])
        with app.app_context():
            row = db.session.get(Attempt, attempt["id"])
            assert row is not None and row.finished
            rows = db.session.scalar(select(func.count(Answer.item_id)).join(AttemptItem).where(
                AttemptItem.attempt_id == row.id))
            # Every acknowledged answer is a stored answer, and every one is scored.
            assert rows == stored
            assert row.score == stored
    with app.app_context():
        counted = db.session.scalar(
            select(func.sum(TopicStat.answered)).where(TopicStat.user_id == user))
        total = db.session.scalar(select(func.count(Answer.item_id)))
    # Exam answers reach progress when the exam finishes: none is left out.
    assert counted == total


# -- 10. a stale page cannot overwrite a newer answer ---------------------------------------
def exam_question_url(browser: Browser, app: Flask) -> str:
    response = browser.post(f"/quiz/{quiz_id(app, 'open-exam')}/start")
    return browser.get(response.headers["Location"]).headers["Location"]


def radio_values(html: str) -> tuple[str, list[str], str]:
    radios = [c for c in controls(html) if c.attrs.get("type") == "radio"]
    seq = next(c.value for c in controls(html) if c.name == "seq")
    return radios[0].name, [r.value for r in radios], seq


def test_a_post_from_an_older_page_is_refused(browser: Browser, app: Flask) -> None:
    browser.register("twotabs")
    url = exam_question_url(browser, app)
    html = browser.get(url).get_data(as_text=True)  # both tabs show this page
    name, values, seq = radio_values(html)
    token = browser.csrf(url)
    first = browser.client.post(url, data={name: values[0], "seq": seq, "go": "next",
                                           "csrf_token": token})
    assert first.status_code == 302
    stale = browser.client.post(url, data={name: values[1], "seq": seq, "go": "next",
                                           "csrf_token": token})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "This question was changed in another window." in text
    # The page shows the question as it is now, with the newer answer chosen.
    checked = [c.value for c in controls(text) if "checked" in c.attrs]
    assert checked == [values[0]]
    name, _values, newer = radio_values(text)
    assert int(newer) == int(seq) + 1
    # From the reloaded page, a change goes through.
    again = browser.client.post(url, data={name: values[1], "seq": newer, "go": "next",
                                           "csrf_token": token})
    assert again.status_code == 302
    assert browser.get(url).status_code == 200


def test_stale_answers_through_the_api(app: Flask, make_user) -> None:
    make_user("apitabs")
    client = clients_of(app, "apitabs", 1)[0]
    attempt = client.post(f"/api/quizzes/{quiz_id(app, 'open-exam')}/attempts",
                          json={}).get_json()
    url = f"/api/attempts/{attempt['id']}/questions/1"
    page = client.get(url).get_json()
    a, b = (o["key"] for o in page["question"]["options"])
    first = client.post(url, json={"response": a, "sequence": page["sequence"]})
    assert first.status_code == 200 and first.get_json()["sequence"] == page["sequence"] + 1
    stale = client.post(url, json={"response": b, "sequence": page["sequence"]})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["detail"] == "This question was changed in another window."
    assert body["current"]["response"] == a
    assert client.post(url, json={"response": b, "sequence": "x"}).status_code == 400


def test_thirty_posts_from_one_page_store_one_answer(app: Flask, make_user) -> None:
    make_user("burst")
    clients = clients_of(app, "burst", THREADS)
    attempt = clients[0].post(f"/api/quizzes/{quiz_id(app, 'open-exam')}/attempts",
                              json={}).get_json()
    url = f"/api/attempts/{attempt['id']}/questions/1"
    page = clients[0].get(url).get_json()
    keys = [o["key"] for o in page["question"]["options"]]
    results = all_at_once([
        lambda c=c, i=i: c.post(url, json={"response": keys[i % 2], "sequence": 0})
        for i, c in enumerate(clients)
    ])
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * (THREADS - 1)
    with app.app_context():
        item = db.session.scalar(select(AttemptItem).where(
            AttemptItem.attempt_id == attempt["id"], AttemptItem.position == 1))
        assert item is not None and item.sequence == 1


# -- 9. open exams and exam-only questions ---------------------------------------------------
def test_practice_is_refused_while_an_exam_shares_its_questions(
    browser: Browser, app: Flask
) -> None:
    browser.register("sneaky")
    exam_question_url(browser, app)
    response = browser.post(f"/quiz/{quiz_id(app, 'drill')}/start")
    assert response.status_code == 302
    page = browser.get("/").get_data(as_text=True)
    assert "You have an exam in progress (Open exam)" in page
    # A quiz on other questions is fine.
    assert "/attempt/" in browser.post(f"/quiz/{quiz_id(app, 'practice')}/start").headers[
        "Location"]


def test_a_practice_tab_from_before_the_exam_gives_no_feedback(
    app: Flask, make_user, clock
) -> None:
    user = make_user("oldtab")
    with app.app_context():
        drill = attempt_service.start_attempt(db.session, user, quiz_id(app, "drill"),
                                              clock())
        attempt_service.start_attempt(db.session, user, quiz_id(app, "open-exam"), clock())
        with pytest.raises(attempt_service.ExamInProgress):
            answer_all(drill.id, user, clock())
        assert db.session.scalar(select(func.count(Answer.item_id))) == 0


def test_review_sessions_are_refused_while_an_exam_shares_their_questions(
    app: Flask, make_user, clock
) -> None:
    user = make_user("reviewer")
    with app.app_context():
        drill = attempt_service.start_attempt(db.session, user, quiz_id(app, "drill"),
                                              clock())
        answer_all(drill.id, user, clock(), wrong=True)
        attempt_service.finish_attempt(db.session, user, drill.id, clock())
        attempt_service.start_attempt(db.session, user, quiz_id(app, "open-exam"), clock())
        clock.advance(days=30)  # the cards are due
        for kind in review_service.KINDS:
            with pytest.raises(attempt_service.ExamInProgress):
                review_service.start_session(db.session, user, kind, clock())
    client = clients_of(app, "reviewer", 1)[0]
    response = client.post("/api/review/mistakes", json={})
    assert response.status_code == 409
    assert "exam in progress" in response.get_json()["detail"]


def answer_all(attempt_id: int, user: int, now: Any, wrong: bool = False) -> None:
    attempt = attempt_service.get_attempt(db.session, user, attempt_id)
    for item in list(attempt.items):
        attempt_service.submit_answer(
            db.session, user, attempt_id, item.position,
            lambda spec, seed: spec.parse_json(
                spec.view(seed)["options"][1 if wrong else 0]["key"], seed),
            now,
        )


def test_exam_only_questions_are_drawn_by_exams_only(app: Flask, make_user, clock) -> None:
    check_exam_only(app, make_user("examonly"), clock)


def check_exam_only(app: Flask, user: int, clock: Any) -> None:
    last = f"q{QUESTIONS}"
    with app.app_context():
        exam = attempt_service.start_attempt(db.session, user, quiz_id(app, "open-exam"),
                                             clock())
        assert last in slugs_of(exam)
        answer_all(exam.id, user, clock(), wrong=True)
        attempt_service.finish_attempt(db.session, user, exam.id, clock())
        # The exam's wrong answers made cards, the exam-only one among them...
        assert db.session.scalar(select(func.count(ReviewCard.id))) == QUESTIONS
        for slug in ("drill", "shuffled"):
            drawn = attempt_service.start_attempt(db.session, user, quiz_id(app, slug),
                                                  clock())
            assert last not in slugs_of(drawn)
            assert len(drawn.items) == QUESTIONS - 1
        # ...but review and mistakes sessions leave it out.
        for kind in review_service.KINDS:
            session = review_service.start_session(db.session, user, kind,
                                                   clock.now.replace(year=2027))
            assert last not in slugs_of(session)
            assert len(session.items) == QUESTIONS - 1


def slugs_of(attempt: Attempt) -> set[str]:
    return {item.version.question.slug for item in attempt.items}


def test_lint_reports_a_practice_quiz_of_exam_only_questions() -> None:
    bank = race_bank(2).replace("  - id: q1\n", "  - id: q1\n    exam_only: true\n", 1)
    messages = [m.message for m in load_bank_text("race.yaml", bank.encode()).messages]
    assert "quiz 'drill' selects no questions" in messages
    assert "quiz 'once' selects no questions" not in messages


# -- 16. the per-attempt cap and the paged review ---------------------------------------------
def test_attempts_are_capped_and_the_review_is_paged(
    make_app, make_user, monkeypatch
) -> None:
    app = make_app(MAX_QUESTIONS_PER_ATTEMPT=5)
    make_user_in(app, "capped")
    browser = Browser(app.test_client())
    browser.login("capped")
    response = browser.post(f"/quiz/{quiz_id(app, 'drill')}/start")
    url = browser.get(response.headers["Location"]).headers["Location"]
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    with app.app_context():
        attempt = db.session.get(Attempt, int(attempt_id))
        assert attempt is not None and len(attempt.items) == 5
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
    monkeypatch.setattr(attempt_service, "REVIEW_PAGE_SIZE", 2)
    results = f"/attempt/{attempt_id}/results"
    first = browser.get(results).get_data(as_text=True)
    assert first.count('class="review-item"') == 2
    assert "page 1 of 3" in first and f'href="{results}?page=2"' in first
    last = browser.get(f"{results}?page=3").get_data(as_text=True)
    assert last.count('class="review-item"') == 1
    assert browser.get(f"{results}?page=4").status_code == 404
    assert browser.get(f"{results}?page=%C2%B2").status_code == 400


def make_user_in(app: Flask, name: str) -> None:
    from quizapp.services.accounts import create_user

    with app.app_context():
        create_user(db.session, name, "correct horse", "student")


def test_lint_warns_about_a_quiz_over_the_cap() -> None:
    # No `quizzes:`: the bank's one quiz would draw all 205.
    text = race_bank(205).replace("    exam_only: true\n", "")
    text = text.split("quizzes:")[0] + "questions:\n" + text.split("questions:\n", 1)[1]
    messages = load_bank_text("big.yaml", text.encode(), max_bytes=10**7).messages
    warnings = [m.message for m in messages if m.severity == "warning"]
    assert any("would draw 205 questions" in w and "at most 200" in w for w in warnings)


# -- the quiz selection rules ----------------------------------------------------------------
def draw_slugs(app: Flask, user: int, slug: str, seed: int) -> list[str]:
    with app.app_context():
        now = datetime.now(UTC)
        attempt = attempt_service.start_attempt(db.session, user, quiz_id(app, slug), now,
                                                seed=seed)
        slugs = [item.version.question.slug for item in attempt.items]
        attempt_service.finish_attempt(db.session, user, attempt.id, now)
        return slugs


def test_the_topic_rule_draws_only_that_topic(app: Flask, make_user) -> None:
    user = make_user("topical")
    drawn = draw_slugs(app, user, "odd-only", 7)
    assert drawn == [f"q{n}" for n in range(1, QUESTIONS, 2)]


def test_the_count_rule_draws_that_many_at_random(app: Flask, make_user) -> None:
    user = make_user("counter")
    draws = [draw_slugs(app, user, "three", seed) for seed in range(1, 6)]
    assert all(len(d) == 3 and len(set(d)) == 3 for d in draws)
    assert len({tuple(d) for d in draws}) > 1


def test_a_topic_and_a_count_narrow_the_draw_together(app: Flask, make_user) -> None:
    user = make_user("narrower")
    for seed in range(1, 6):
        drawn = draw_slugs(app, user, "three-odd", seed)
        assert len(drawn) == 3
        assert all(int(slug[1:]) % 2 == 1 for slug in drawn), drawn


def test_the_shuffle_rule_changes_the_order(app: Flask, make_user) -> None:
    user = make_user("shuffler")
    in_file_order = [f"q{n}" for n in range(1, QUESTIONS)]
    shuffled = [draw_slugs(app, user, "shuffled", seed) for seed in range(1, 4)]
    assert all(sorted(d) == sorted(in_file_order) for d in shuffled)
    assert any(d != in_file_order for d in shuffled)
    assert draw_slugs(app, user, "drill", random.randrange(1, 1000)) == in_file_order


# -- the migration numbers the attempts already made --------------------------------------
def check_migration_numbers_attempts(url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    with database_at(url, tmp_path / "mig", "0002") as connection:
        connection.exec_driver_sql(
            "INSERT INTO quizzes (id, bank_id, slug, title, settings, position, retired)"
            " VALUES (1, 1, 'q', 'Q', '{}', 0, false), (2, 1, 'r', 'R', '{}', 1, false)")
        rows = [(1, 1), (1, 1), (2, 1), (1, 2), (1, None), (1, 1), (1, None)]
        for number, (user, quiz) in enumerate(rows, start=1):
            connection.exec_driver_sql(
                "INSERT INTO attempts (id, user_id, quiz_id, kind, mode, feedback, seed,"
                " started_at, score, max_score, last_position) VALUES"
                f" ({number}, {user}, {'NULL' if quiz is None else quiz}, 'quiz', 'practice',"
                " 'immediate', 1, '2026-01-01 00:00:00', 0, 0, 0)")
        db.session.commit()
        upgrade(revision="0003")
        numbers = db.session.execute(
            select(Attempt.id, Attempt.number).order_by(Attempt.id)).all()
        assert [n for _id, n in numbers] == [1, 2, 1, 1, None, 3, None]


def test_the_migration_numbers_existing_attempts(tmp_path: Path) -> None:
    check_migration_numbers_attempts(f"sqlite:///{tmp_path / 'mig.sqlite3'}", tmp_path)
