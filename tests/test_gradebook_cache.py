"""The gradebook's table is rendered once and kept (stats_cache) until something it shows
changes: every such change must show on the next view, and 30 first views at once all
get the same, whole table."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from flask import Flask
from helpers import Browser, Clock, quiz_id
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, SchoolClass, StatsCache, User
from quizapp.services import assignments as assignment_service
from quizapp.services import attempts as attempt_service
from quizapp.services import classes as class_service


def table(teacher: Browser, class_id: int, query: str = "") -> str:
    response = teacher.get(f"/teach/classes/{class_id}/gradebook{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    start = page.index('<table class="gradebook">')
    return page[start:page.index("</table>", start)]


def row_of(html: str, name: str) -> str:
    start = html.index(f">{name}</a>")
    return html[start:html.index("</tr>", start)]


def make_class(app: Flask, make_user: Any, clock: Clock) -> tuple[int, dict[str, int], int]:
    """tess's class of anna and ben, one practice quiz due in 30 hours, one attempt each,
    closing 2 hours after it is due."""
    students = {name: make_user(name) for name in ("anna", "ben")}
    with app.app_context():
        session = db.session
        teacher = session.scalar(select(User.id).where(User.username == "tess"))
        school_class = class_service.create_class(session, teacher, "Year 9", clock.now)
        for student_id in students.values():
            class_service.add_student(session, school_class, student_id, clock.now)
        session.commit()
        work = assignment_service.assign(
            session, school_class, quiz_id(app, "practice"), clock.now,
            clock.now + timedelta(hours=30), closes_at=clock.now + timedelta(hours=32),
            attempts_allowed=1)
        return school_class.id, students, work.id


def test_each_change_to_what_the_table_shows_shows_on_the_next_view(
    app: Flask, teacher: Browser, make_user: Any, clock: Clock
) -> None:
    class_id, students, work_id = make_class(app, make_user, clock)
    first = table(teacher, class_id)
    assert "not started" in row_of(first, "anna")
    assert table(teacher, class_id) == first  # kept

    # An attempt starts, then finishes: status, attempts used, grade.
    with app.app_context():
        attempt = assignment_service.start_assigned(db.session, students["anna"], work_id,
                                                    clock.now)
        attempt_id = attempt.id
    assert "in progress" in row_of(table(teacher, class_id), "anna")
    with app.app_context():
        attempt_service.finish_attempt(db.session, students["anna"], attempt_id, clock.now)
    anna = row_of(table(teacher, class_id), "anna")
    assert "submitted" in anna and "<strong>0%</strong>" in anna

    # A regrade changes the score.
    with app.app_context():
        regraded = db.session.get(Attempt, attempt_id)
        regraded.score = regraded.max_score / 2
        db.session.commit()
    assert "<strong>50%</strong>" in row_of(table(teacher, class_id), "anna")

    # An allowance of two more attempts.
    assert "0 of 1 attempts" in row_of(table(teacher, class_id), "ben")
    with app.app_context():
        work = assignment_service.assignment_for_teacher(
            db.session, db.session.scalar(select(User.id).where(User.username == "tess")),
            work_id)
        assignment_service.set_exception(db.session, work, students["ben"], 0, 2)
    assert "0 of 3 attempts" in row_of(table(teacher, class_id), "ben")

    # A new name, a new member, a member gone.
    with app.app_context():
        db.session.get(User, students["ben"]).display_name = "Benjamin"
        db.session.commit()
    assert ">Benjamin</a>" in table(teacher, class_id)
    cleo = make_user("cleo")
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        class_service.add_student(db.session, school_class, cleo, clock.now)
        db.session.commit()
    assert ">cleo</a>" in table(teacher, class_id)
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        class_service.remove_student(db.session, school_class, cleo)
    assert ">cleo</a>" not in table(teacher, class_id)

    # The clock alone: due within 24 hours, then closed.
    assert "due soon" not in row_of(table(teacher, class_id), "Benjamin")
    clock.advance(hours=7)
    assert "due soon" in row_of(table(teacher, class_id), "Benjamin")
    clock.advance(hours=26)
    teacher.login("tess")  # a day and more later: a new login
    assert "closed" in row_of(table(teacher, class_id), "Benjamin")
    assert "submitted" in row_of(table(teacher, class_id), "anna")


def test_sorts_and_time_zones_are_kept_apart(
    app: Flask, teacher: Browser, make_user: Any, clock: Clock
) -> None:
    class_id, _students, _work_id = make_class(app, make_user, clock)
    by_name = table(teacher, class_id)
    backwards = table(teacher, class_id, "?sort=-name")
    assert by_name.index(">anna<") < by_name.index(">ben<")
    assert backwards.index(">ben<") < backwards.index(">anna<")
    assert table(teacher, class_id) == by_name
    assert table(teacher, class_id, "?sort=nonsense") == by_name  # an unknown sort: by name
    teacher.client.set_cookie("tz", "Asia/Tokyo")
    in_tokyo = table(teacher, class_id)
    assert "JST" in in_tokyo and "JST" not in by_name


def test_thirty_first_views_at_once_get_the_same_whole_table(
    app: Flask, teacher: Browser, make_user: Any, clock: Clock
) -> None:
    class_id, students, work_id = make_class(app, make_user, clock)
    with app.app_context():
        attempt = assignment_service.start_assigned(db.session, students["anna"], work_id,
                                                    clock.now)
        attempt_service.finish_attempt(db.session, students["anna"], attempt.id, clock.now)
    clients = []
    for _ in range(30):
        browser = Browser(app.test_client())
        browser.login("tess")
        clients.append(browser)
    start = threading.Barrier(len(clients))
    tables: list[str] = []
    errors: list[BaseException] = []

    def view(browser: Browser) -> None:
        start.wait()
        try:
            tables.append(table(browser, class_id))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=view, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(tables) == 30 and len(set(tables)) == 1
    assert "submitted" in row_of(tables[0], "anna")
    with app.app_context():
        kept = db.session.scalar(select(func.count()).select_from(StatsCache).where(
            StatsCache.key.like(f"gradebook:{class_id}:%")))
    assert kept == 1
    assert table(teacher, class_id) == tables[0]


def test_the_tables_fingerprint_reads_the_attempts_index_alone(app: Flask) -> None:
    from quizapp.services.gradebook import _FIGURES

    with app.app_context():
        compiled = _FIGURES.statement.params(class_id=1).compile(  # type: ignore[attr-defined]
            db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    details = [row[-1] for row in plan]
    assert any(d.startswith("SEARCH attempts USING COVERING INDEX ix_attempts_assignment_id")
               for d in details), details
