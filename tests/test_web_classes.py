"""The teacher's class pages, the student's join and assignments, admin and account pages."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

from flask import Flask
from helpers import Browser, Clock, quiz_id

from quizapp.extensions import db
from quizapp.models import Attempt, Membership, SchoolClass, User


def new_class(teacher: Browser, name: str = "Year 9") -> tuple[int, str]:
    response = teacher.post("/teach/classes", {"name": name}, token_from="/teach/classes")
    assert response.status_code == 302
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    code = re.search(r'<code id="join-code">([A-Z0-9-]+)</code>', page).group(1)
    return class_id, code


def student(app: Flask, make_user: Any, name: str) -> Browser:
    make_user(name)
    browser = Browser(app.test_client())
    browser.login(name)
    return browser


def assign(teacher: Browser, class_id: int, quiz: int, **fields: Any) -> Any:
    data = {"quiz_id": quiz, "opens_at": "2026-03-01T08:00", "due_at": "2026-03-01T12:00",
            **fields}
    return teacher.post(f"/teach/classes/{class_id}/assignments", data,
                        token_from=f"/teach/classes/{class_id}")


def test_teacher_creates_a_class_students_join_and_take_the_assignment(
    app: Flask, teacher: Browser, make_user: Any, clock: Clock
) -> None:
    class_id, code = new_class(teacher)
    anna = student(app, make_user, "anna")
    wrong = anna.post("/classes/join", {"code": "ACDEF-GHJKM"}, token_from="/classes/join")
    assert wrong.status_code == 422 and "No class has that code" in wrong.get_data(as_text=True)
    joined = anna.post("/classes/join", {"code": code.lower()}, token_from="/classes/join")
    assert joined.status_code == 302
    exam = quiz_id(app, "exam")
    assert assign(teacher, class_id, exam, time_limit="30").status_code == 302
    home = anna.get("/").get_data(as_text=True)
    assert "Your assignments" in home and "Sample exam" in home and "not started" in home
    assignment_id = int(re.search(r'/assignments/(\d+)/start', home).group(1))
    started = anna.post(f"/assignments/{assignment_id}/start")
    assert started.status_code == 302
    with app.app_context():
        attempt = db.session.query(Attempt).one()
        assert attempt.assignment_id == assignment_id
        assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
        attempt_id = attempt.id
    anna.post(f"/attempt/{attempt_id}/q/1", {"r": "1520"}, token_from=f"/attempt/{attempt_id}/q/1")
    anna.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"},
              token_from=f"/attempt/{attempt_id}/summary")
    book = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "anna" in book and "submitted" in book
    review = teacher.get(f"/teach/classes/{class_id}/attempts/{attempt_id}")
    assert review.status_code == 200
    assert "Response as typed: <code>1520</code>" in review.get_data(as_text=True)
    page = teacher.get(f"/teach/classes/{class_id}/assignments/{assignment_id}")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    exported = teacher.get(f"/teach/classes/{class_id}/export/gradebook.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["username"], r["status"]) for r in rows] == [("anna", "submitted")]
    answers = teacher.get(f"/teach/classes/{class_id}/export/answers.csv").get_data(as_text=True)
    assert "1520" in answers
    api = teacher.client.get(f"/api/teach/classes/{class_id}/gradebook").get_json()
    assert api["rows"][0]["grade_percent"] == float(rows[0]["grade_percent"])


def test_gradebook_sorts_with_links_and_highlights_due_soon(
    app: Flask, teacher: Browser, make_user: Any
) -> None:
    class_id, code = new_class(teacher)
    for name in ("zoe", "adam"):
        student(app, make_user, name).post("/classes/join", {"code": code},
                                           token_from="/classes/join")
    assign(teacher, class_id, quiz_id(app, "practice"), due_at="2026-03-01T20:00")
    page = teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    assert page.index(">adam<") < page.index(">zoe<")
    assert "due-soon" in page and "sort=-name" in page
    page = teacher.get(f"/teach/classes/{class_id}/gradebook?sort=-name").get_data(as_text=True)
    assert page.index(">zoe<") < page.index(">adam<")
    assert teacher.get(f"/teach/classes/{class_id}/gradebook?sort=%3D1").status_code == 200


def test_bad_assignment_input_gets_a_message_not_a_500(
    app: Flask, teacher: Browser
) -> None:
    class_id, _code = new_class(teacher)
    response = assign(teacher, class_id, quiz_id(app, "exam"), due_at="2026-02-01T08:00")
    assert response.status_code == 422
    assert "must not come before" in response.get_data(as_text=True)
    response = assign(teacher, class_id, quiz_id(app, "exam"), due_at="soon")
    assert response.status_code == 422
    response = assign(teacher, class_id, 99999)
    assert response.status_code == 422


def test_bulk_roster_creates_accounts_with_one_time_passwords(
    app: Flask, teacher: Browser
) -> None:
    class_id, _code = new_class(teacher)
    roster = "username,display name\nkid1,Kid One\nkid2,=cmd|' /C calc'!A0\n"
    response = teacher.post(
        f"/teach/classes/{class_id}/roster",
        {"roster": (io.BytesIO(roster.encode()), "roster.csv")},
        token_from=f"/teach/classes/{class_id}", content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    passwords = re.findall(r"<td><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></td>", html)
    assert len(passwords) == 2
    assert "%27%3Dcmd" in html  # the CSV download neutralises the formula
    with app.app_context():
        users = db.session.query(User).filter(User.username.in_(["kid1", "kid2"])).all()
        assert all(u.must_change_password for u in users)
        assert db.session.query(Membership).filter_by(class_id=class_id).count() == 2
    # The one-time password logs in, then every page asks for a new password.
    kid = Browser(app.test_client())
    kid.login("kid1", passwords[0])
    assert kid.get("/").headers["Location"].endswith("/account/password")
    assert kid.client.get("/api/quizzes").status_code == 403
    own = "walrus tiptoe ember quay"
    changed = kid.post("/account/password",
                       {"current": passwords[0], "password": own, "confirm": own},
                       token_from="/account/password")
    assert changed.status_code == 302
    assert kid.get("/").status_code == 200
    # A roster with a taken username creates nobody.
    again = teacher.post(
        f"/teach/classes/{class_id}/roster",
        {"roster": (io.BytesIO(b"kid1,Again\nkid3,New\n"), "roster.csv")},
        token_from=f"/teach/classes/{class_id}", content_type="multipart/form-data",
    )
    assert again.status_code == 422 and "already taken" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).filter_by(username="kid3").count() == 0


def test_code_regenerate_disable_archive_and_co_teacher(
    app: Flask, teacher: Browser, make_user: Any
) -> None:
    class_id, code = new_class(teacher)
    url = f"/teach/classes/{class_id}"
    teacher.post(f"{url}/code", {"action": "disable"}, token_from=url)
    anna = student(app, make_user, "anna")
    refused = anna.post("/classes/join", {"code": code}, token_from="/classes/join")
    assert "turned off" in refused.get_data(as_text=True)
    teacher.post(f"{url}/code", {"valid_days": "3"}, token_from=url)
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        assert school_class.code_enabled and school_class.join_code != code.replace("-", "")
    make_user("otto", "teacher")
    assert teacher.post(f"{url}/teachers", {"username": "otto"}, token_from=url).status_code == 302
    otto = Browser(app.test_client())
    otto.login("otto")
    assert otto.get(url).status_code == 200
    teacher.post(f"{url}/archive", {"archived": "1"}, token_from=url)
    with app.app_context():
        assert db.session.get(SchoolClass, class_id).archived


def test_joining_is_rate_limited(app: Flask, make_user: Any) -> None:
    anna = student(app, make_user, "anna")
    statuses = [
        anna.post("/classes/join", {"code": "ACDEFGHJKM"}, token_from="/classes/join").status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_admin_lists_changes_roles_disables_and_resets(
    app: Flask, make_user: Any
) -> None:
    make_user("root", "admin")
    for i in range(30):
        make_user(f"pupil{i:02d}")
    admin = Browser(app.test_client())
    admin.login("root")
    first = admin.get("/admin/users").get_data(as_text=True)
    assert "31 users" in first and "Next page" in first
    found = admin.get("/admin/users?q=pupil07").get_data(as_text=True)
    assert "1 user " in found
    assert admin.get("/admin/users?page=x").status_code == 400
    with app.app_context():
        target = db.session.query(User).filter_by(username="pupil07").one().id
    admin.post(f"/admin/users/{target}/role", {"role": "teacher"}, token_from="/admin/users")
    reset = admin.post(f"/admin/users/{target}/reset", token_from="/admin/users")
    password = re.search(r'<code id="one-time-password">([^<]+)</code>',
                         reset.get_data(as_text=True)).group(1)
    assert "no-store" in reset.headers["Cache-Control"]
    pupil = Browser(app.test_client())
    pupil.login("pupil07", password)
    assert pupil.get("/teach/").headers["Location"].endswith("/account/password")
    admin.post(f"/admin/users/{target}/disabled", {"disabled": "1"}, token_from="/admin/users")
    assert pupil.get("/account/password").status_code == 302  # logged out: to the login page
    with app.app_context():
        user = db.session.get(User, target)
        assert (user.role, user.disabled, user.must_change_password) == ("teacher", True, True)
    # The right password for a disabled account is refused with a message that says why.
    again = Browser(app.test_client()).login("pupil07", password)
    assert again.status_code == 403
    assert "This account is disabled" in again.get_data(as_text=True)
    api = app.test_client().post("/api/v1/tokens", json={"username": "pupil07",
                                                         "password": password})
    assert api.status_code == 403 and "disabled" in api.get_json()["detail"]


def test_account_display_name_and_time_zone(app: Flask, make_user: Any) -> None:
    anna = student(app, make_user, "anna")
    bad = anna.post("/account", {"display_name": "Anna", "timezone": "Mars/Olympus"},
                    token_from="/account")
    assert bad.status_code == 422
    anna.post("/account", {"display_name": "Anna K", "timezone": "Europe/Minsk"},
              token_from="/account")
    page = anna.get("/account").get_data(as_text=True)
    assert "Europe/Minsk" in page
    with app.app_context():
        user = db.session.query(User).filter_by(username="anna").one()
        assert (user.display_name, user.timezone) == ("Anna K", "Europe/Minsk")


def test_typed_times_are_read_and_shown_in_the_teachers_zone(
    app: Flask, teacher: Browser
) -> None:
    teacher.post("/account", {"display_name": "", "timezone": "Europe/Minsk"},
                 token_from="/account")
    class_id, _code = new_class(teacher)
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Times on this page are in Europe/Minsk" in page
    assign(teacher, class_id, quiz_id(app, "exam"), due_at="2026-03-01T12:00")
    from quizapp.models import Assignment

    with app.app_context():
        due = db.session.query(Assignment).one().due_at
        assert (due.hour, due.minute) == (9, 0)  # Minsk is UTC+3
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert '<time datetime="2026-03-01T09:00:00Z">1 Mar 2026, 12:00' in page


def test_a_bank_marked_assigned_is_reached_only_through_an_assignment(
    app: Flask, teacher: Browser, make_user: Any, questions_dir: Any
) -> None:
    from pathlib import Path

    from helpers import SAMPLE_BANK

    from quizapp.banks.sync import sync_folder

    text = SAMPLE_BANK.replace("id: sample\n", "id: homework\n", 1).replace(
        "title: Sample bank\n", "title: Homework bank\nvisibility: assigned\n", 1)
    text = text.replace("title: Sample practice", "title: Homework practice")
    text = text.replace("title: Sample exam", "title: Homework exam")
    (Path(questions_dir) / "homework.yaml").write_text(text, encoding="utf-8")
    with app.app_context():
        assert sync_folder(db.session, Path(questions_dir)).ok
        from quizapp.models import Bank, Quiz

        quiz = (db.session.query(Quiz).join(Bank)
                .filter(Bank.slug == "homework", Quiz.slug == "practice").one())
        assert quiz.settings["visibility"] == "assigned"
        homework = quiz.id
    anna = student(app, make_user, "anna")
    home = anna.get("/").get_data(as_text=True)
    assert "Homework practice" not in home and "Sample practice" in home
    assert anna.post(f"/quiz/{homework}/start").status_code == 404
    assert anna.get(f"/quiz/{homework}").status_code == 404  # no page offering a start
    assert teacher.get(f"/quiz/{homework}").status_code == 200
    class_id, code = new_class(teacher)
    anna.post("/classes/join", {"code": code}, token_from="/classes/join")
    assign(teacher, class_id, homework)
    home = anna.get("/").get_data(as_text=True)
    assert "Homework practice" in home
    assignment_id = int(re.search(r'/assignments/(\d+)/start', home).group(1))
    assert anna.post(f"/assignments/{assignment_id}/start").status_code == 302
