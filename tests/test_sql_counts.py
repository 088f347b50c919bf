"""SQL statements per page: a small fixed number, however long the attempt or history.

A listener on the engine counts every statement a request sends; the same page for
a short and a long attempt (or history) must send the same number, so no page
loads one row per question or per attempt (no N+1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import SAMPLE_BANK, Browser, quiz_id
from htmlform import controls
from sqlalchemy import event

from quizapp.extensions import db
from quizapp.models import AttemptItem
from quizapp.services import stats_cache

# The counts as they are: a change that adds a statement must say why here.
# The login, then the attempt with one item, its answer and version and the counts.
QUESTION_PAGE_MAX = 2
# The login; the attempt with the item, the count of open exams, the question's bank
# and the learner's review card; the five statements of the write; the page's redirect
# reads nothing more.
ANSWER_POST_MAX = 7
# The progress page: the login's row, the learner's open attempts with their quizzes'
# titles, then the report: per-quiz rows, per-topic rows, the latest active days, the
# review counts and the latest finished attempts.
PROGRESS_PAGE_MAX = 7
# The class gradebook with its table kept (stats_cache) by another worker: the login,
# the class, the fingerprint (assignments; the roster, sums of attempts and allowances),
# the kept table, and mastery per topic with the banks' titles. The worker that read or
# built the table keeps it too, and reads one statement less.
GRADEBOOK_PAGE_MAX = 6
# Its first view also reads roster, assignments, attempts and allowances, stores the table.
GRADEBOOK_FIRST_VIEW_MAX = 13
# A practice answer's write transaction: the claim of the question (its sequence
# bump, guarded by the attempt being open), the answer, and one upsert each for
# topics, day and review card. Nothing else may run while SQLite's write lock is held,
# every other answer waits for it.
ANSWER_WRITE_STATEMENTS = 5
BIG = 12
COMMIT = "-- COMMIT"


def big_bank(count: int) -> str:
    questions = "".join(
        f"""  - id: q{n}
    type: single_choice
    prompt: Which letter is number {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Beta}}
    topics: [{"odd" if n % 2 else "even"}]
"""
        for n in range(1, count + 1)
    )
    return f"""\
id: big
title: Big bank
topics:
  - {{id: odd, title: Odd}}
  - {{id: even, title: Even}}
quizzes:
  - id: big
    title: Big practice
    mode: practice
    shuffle_questions: false
questions:
{questions}"""


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE_BANK, encoding="utf-8")
    (folder / "big.yaml").write_text(big_bank(BIG), encoding="utf-8")
    return folder


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def commit(_conn: Any) -> None:
        statements.append(COMMIT)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", commit)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", commit)


def sent(statements: list[str]) -> list[str]:
    """The SQL statements, without the commit markers."""
    return [s for s in statements if s != COMMIT]


def write_transaction(statements: list[str]) -> list[str]:
    """The statements from the first write to the commit that ends it."""
    first = next(i for i, s in enumerate(statements)
                 if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")))
    end = statements.index(COMMIT, first)
    return statements[first:end]


def start(browser: Browser, app: Flask, slug: str) -> str:
    response = browser.post(f"/quiz/{quiz_id(app, slug)}/start")
    return browser.get(response.headers["Location"]).headers["Location"]


def measure(app: Flask, browser: Browser, slug: str) -> dict[str, int]:
    """Statements for the question page, an answer and the progress page."""
    url = start(browser, app, slug)
    html = browser.get(url).get_data(as_text=True)
    radio = next((c for c in controls(html) if c.attrs.get("type") == "radio"), None)
    data = {radio.name: radio.value} if radio else {
        next(c.name for c in controls(html) if c.attrs.get("type") == "text"): "1520"}
    data["csrf_token"] = browser.csrf(url)
    with counting(app) as question:
        assert browser.get(url).status_code == 200
    with counting(app) as answer:
        assert browser.client.post(url, data=data).status_code == 302
    with counting(app) as progress:
        assert browser.get("/progress").status_code == 200
    return {"question": len(sent(question)), "answer": len(sent(answer)),
            "progress": len(sent(progress)), "write": len(write_transaction(answer)),
            "read_in_write": sum(s.lstrip().upper().startswith("SELECT")
                                 for s in write_transaction(answer))}


def finish_many(app: Flask, browser: Browser, times: int) -> None:
    for _ in range(times):
        url = start(browser, app, "practice")
        html = browser.get(url).get_data(as_text=True)
        field = next(c.name for c in controls(html) if c.attrs.get("type") == "text")
        browser.post(url, {field: "1520"}, token_from=url)
        attempt_id = url.split("/attempt/")[1].split("/")[0]
        browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)


def test_pages_send_a_small_fixed_number_of_statements(app: Flask, make_user) -> None:
    make_user("short")
    make_user("long")
    short = Browser(app.test_client())
    short.login("short")
    long = Browser(app.test_client())
    long.login("long")
    finish_many(app, short, 1)
    finish_many(app, long, 35)  # more than the chart and the history show

    small = measure(app, short, "practice")  # 2 questions, no history
    large = measure(app, long, "big")  # 12 questions, 35 finished attempts
    assert small == large, (small, large)
    assert large["question"] <= QUESTION_PAGE_MAX
    assert large["answer"] <= ANSWER_POST_MAX
    assert large["progress"] <= PROGRESS_PAGE_MAX
    assert large["write"] <= ANSWER_WRITE_STATEMENTS
    assert large["read_in_write"] == 0


def test_the_question_page_builds_no_item_entity(
    app: Flask, make_user
) -> None:
    make_user("reader")
    browser = Browser(app.test_client())
    browser.login("reader")
    url = start(browser, app, "big")  # 12 questions
    loaded: list[object] = []

    def on_load(target: object, _context: Any) -> None:
        loaded.append(target)

    event.listen(AttemptItem, "load", on_load)
    try:
        page = browser.get(url).get_data(as_text=True)
    finally:
        event.remove(AttemptItem, "load", on_load)
    assert "Question 1 of 12" in page
    assert loaded == []  # read as plain values: no item entity at all


def test_a_first_answer_schedules_without_sleeping(monkeypatch) -> None:
    """fsrs's Card() waits a millisecond when given no id; an answer must not wait."""
    import time
    from datetime import UTC, datetime

    from quizapp import scheduling

    def no_sleep(_seconds: float) -> None:
        raise AssertionError("scheduling slept")

    monkeypatch.setattr(time, "sleep", no_sleep)
    state = scheduling.review(None, 1.0, datetime(2026, 1, 5, tzinfo=UTC))
    assert scheduling.due_of(state) > datetime(2026, 1, 5, tzinfo=UTC)


def test_the_review_of_a_long_attempt_reads_it_at_once(app: Flask, make_user) -> None:
    make_user("rev")
    browser = Browser(app.test_client())
    browser.login("rev")
    counts = []
    for slug in ("practice", "big"):
        url = start(browser, app, slug)
        attempt_id = url.split("/attempt/")[1].split("/")[0]
        browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url)
        with counting(app) as results:
            assert browser.get(f"/attempt/{attempt_id}/results").status_code == 200
        counts.append(len(sent(results)))
    assert counts[0] == counts[1], counts


def test_counts_are_reported(app: Flask, make_user, capsys) -> None:
    make_user("report")
    browser = Browser(app.test_client())
    browser.login("report")
    counts = measure(app, browser, "big")
    with capsys.disabled():
        print(f"\nSQL statements per request: {counts}")


def test_the_progress_page_sends_the_same_few_statements_for_any_history(
    app: Flask, make_user
) -> None:
    """However many attempts, days and topics a learner has, the progress page sends
    the same statements: none per attempt, quiz, topic or day shown."""
    counts = []
    for name, finished in (("newcomer", 1), ("veteran", 35)):
        make_user(name)
        browser = Browser(app.test_client())
        browser.login(name)
        finish_many(app, browser, finished)
        start(browser, app, "big")  # an unfinished attempt, listed on the page
        with counting(app) as progress:
            page = browser.get("/progress")
        assert page.status_code == 200
        assert "Resume Big practice" in page.get_data(as_text=True)
        counts.append(len(sent(progress)))
    assert counts[0] == counts[1] == PROGRESS_PAGE_MAX, (counts, sent(progress))


def gradebook_statements(app: Flask, make_user, size: int) -> tuple[int, int]:
    """Statements for a class gradebook of `size` students × 2 assignments, every
    student with a finished attempt on each and an allowance on one: its first view,
    the next (the table kept), and its CSV."""
    from datetime import UTC, datetime, timedelta

    from quizapp.models import SchoolClass
    from quizapp.services import assignments as assignment_service
    from quizapp.services import attempts as attempt_service
    from quizapp.services import classes as class_service

    now = datetime.now(UTC)
    teacher_name = f"teacher{size}"
    teacher_id = make_user(teacher_name, role="teacher")
    students = [make_user(f"s{size}x{n}") for n in range(size)]
    with app.app_context():
        session = db.session
        school_class = class_service.create_class(session, teacher_id, f"C{size}", now)
        for student_id in students:
            class_service.add_student(session, school_class, student_id, now)
        session.commit()
        work = [assignment_service.assign(session, school_class, quiz_id(app, slug),
                                          now - timedelta(days=1), now + timedelta(days=1))
                for slug in ("practice", "big")]
        for student_id in students:
            assignment_service.set_exception(session, work[0], student_id, 5, 1)
            for assignment in work:
                attempt = assignment_service.start_assigned(session, student_id,
                                                            assignment.id, now)
                attempt_service.finish_attempt(session, student_id, attempt.id, now)
        class_id = session.get(SchoolClass, school_class.id).id
    teacher = Browser(app.test_client())
    teacher.login(teacher_name)
    page = f"/teach/classes/{class_id}/gradebook"
    with counting(app) as first:  # builds the table and keeps it
        assert teacher.get(page).status_code == 200
    with counting(app) as again:  # the table this worker keeps
        assert teacher.get(page).status_code == 200
    stats_cache._kept.clear()  # as another worker finds it: kept in the database only
    with counting(app) as elsewhere:
        assert teacher.get(page).status_code == 200
    with counting(app) as export:
        assert teacher.get(f"/teach/classes/{class_id}/export/gradebook.csv").status_code == 200
    return len(sent(first)), len(sent(again)), len(sent(elsewhere)), len(sent(export))


def test_the_gradebook_sends_as_many_statements_for_30_students_as_for_2(
    app: Flask, make_user
) -> None:
    small = gradebook_statements(app, make_user, 2)
    large = gradebook_statements(app, make_user, 30)
    assert small == large, (small, large)
    assert large[0] <= GRADEBOOK_FIRST_VIEW_MAX
    assert large[1] == large[2] - 1
    assert large[2] <= GRADEBOOK_PAGE_MAX
