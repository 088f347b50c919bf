"""A teacher's class in a real browser: a class, five roster accounts, an assigned exam
taken on time, with extra time and late, the gradebook, a review and the CSV export,
every page checked by axe and the Nu Html Checker."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import PASSWORD, TEACHER, Audit, LiveServer, log_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EXAM = "Short timed exam"
KIDS = [("kid1", "Kid One"), ("kid2", "Kid Two"), ("kid3", "Kid Three"),
        ("kid4", "Kid Four"), ("kid5", "Kid Five")]


def local(moment: datetime) -> str:
    """A time as the datetime-local field takes it (the browser runs in UTC here)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def first_login(page: Any, audit: Audit, username: str, one_time: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(one_time)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    audit.check(page, f"{username} must change the one-time password")
    page.get_by_label("Current password").fill(one_time)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Your assignments")).to_be_visible()


def start_exam(page: Any) -> None:
    page.locator("section.assignments").get_by_role(
        "button", name=re.compile(f"Start {EXAM}")).click()


def take_exam(page: Any, answers: tuple[str | None, bool, str], *, started: bool = False) -> str:
    """Start the assigned exam from the home page, answer, finish; the score shown."""
    if not started:
        start_exam(page)
    if answers[0]:
        page.get_by_label(answers[0]).check()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("True" if answers[1] else "False", exact=True).check()
    page.get_by_role("button", name="Save and go on").click()
    page.get_by_label("Your answer").fill(answers[2])
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Finish the attempt").click()
    return page.locator("#score").inner_text()


def test_teacher_class_assigned_exam_gradebook_review_and_csv(
    new_context: Any, audit: Audit, live_server: LiveServer, tmp_path: Path
) -> None:
    teacher = audit.track(new_context(accept_downloads=True).new_page())
    log_in(teacher, *TEACHER)
    teacher.get_by_role("link", name="Classes").click()
    audit.check(teacher, "classes")
    teacher.get_by_label("Class name").fill("Year 9 geography")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Year 9 geography")
    audit.check(teacher, "class page")
    class_url = teacher.url

    # Five accounts from a roster; the one-time passwords are shown once.
    roster = tmp_path / "roster.csv"
    roster.write_text("username,display name\n" + "".join(f"{u},{n}\n" for u, n in KIDS),
                      encoding="utf-8")
    teacher.get_by_label("Roster file (.csv)").set_input_files(roster)
    teacher.get_by_role("button", name="Create accounts").click()
    expect(teacher.get_by_role("caption")).to_have_text("5 new accounts")
    audit.check(teacher, "one-time passwords")
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Download as CSV").click()
    sheet = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    passwords = {row["username"]: row["one_time_password"] for row in sheet}
    assert sorted(passwords) == [u for u, _n in KIDS]
    on_page = teacher.get_by_role("row", name=re.compile("Kid One")).inner_text()
    assert passwords["kid1"] in on_page

    # The exam, due tomorrow; Kid Two gets five extra minutes.
    now = datetime.now(UTC)
    teacher.goto(class_url)
    teacher.get_by_label("Quiz", exact=True).select_option(label=f"Every kind of question: {EXAM}")
    teacher.get_by_label("Opens", exact=True).fill(local(now - timedelta(hours=1)))
    teacher.get_by_label("Due", exact=True).fill(local(now + timedelta(days=1)))
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.get_by_role("status")).to_contain_text("Assigned")
    teacher.get_by_role("link", name=EXAM).click()
    audit.check(teacher, "assignment page before work")
    assignment_url = teacher.url
    teacher.get_by_label("Student", exact=True).select_option(label="Kid Two")
    teacher.get_by_label("Extra minutes").fill("5")
    teacher.get_by_role("button", name="Save allowance").click()
    expect(teacher.get_by_role("status")).to_contain_text("Allowance saved")

    scores = {}
    kid1 = audit.track(new_context().new_page())
    first_login(kid1, audit, "kid1", passwords["kid1"])
    audit.check(kid1, "home with an assignment")
    scores["kid1"] = take_exam(kid1, ("1,520 mm, as in Russia", True, "Minsk"))
    kid2 = audit.track(new_context().new_page())
    first_login(kid2, audit, "kid2", passwords["kid2"])
    start_exam(kid2)
    expect(kid2.get_by_role("timer")).to_contain_text("Time left: 14:")
    scores["kid2"] = take_exam(kid2, ("1,435 mm, as in most of Europe", True, "Gomel"),
                               started=True)

    # The due time passes before Kid Three finishes.
    from quizapp.extensions import db
    from quizapp.models import Assignment

    with live_server.app.app_context():
        assignment = db.session.query(Assignment).one()
        assignment.due_at = datetime.now(UTC)
        db.session.commit()
    kid3 = audit.track(new_context().new_page())
    first_login(kid3, audit, "kid3", passwords["kid3"])
    scores["kid3"] = take_exam(kid3, ("1,520 mm, as in Russia", False, "Homel"))
    assert all("2 out of 3" in shown and "67%" in shown for shown in scores.values()), scores

    # The gradebook: statuses, grades; not started highlighted only when due soon.
    teacher.goto(class_url)
    teacher.get_by_role("link", name="Gradebook", exact=True).click()
    audit.check(teacher, "gradebook")
    expect(teacher.get_by_role("row", name=re.compile("Kid One"))).to_contain_text("submitted")
    expect(teacher.get_by_role("row", name=re.compile("Kid Two"))).to_contain_text("submitted")
    expect(teacher.get_by_role("row", name=re.compile("Kid Three"))).to_contain_text("late")
    expect(teacher.get_by_role("row", name=re.compile("Kid Four"))).to_contain_text(
        "not started")
    teacher.get_by_role("link", name=re.compile(EXAM)).click()
    audit.check(teacher, "gradebook sorted by the exam")
    teacher.goto(assignment_url)
    expect(teacher.get_by_role("heading", name="Not started (2)")).to_be_visible()
    audit.check(teacher, "assignment page")

    # A review exactly as Kid One saw it, the responses as typed.
    teacher.get_by_role("link", name="Kid One").first.click()
    audit.check(teacher, "student page")
    teacher.get_by_role("link", name=re.compile("Review")).first.click()
    expect(teacher.get_by_text("Response as typed: Minsk")).to_be_visible()
    expect(teacher.get_by_text("Not right").first).to_be_visible()
    audit.check(teacher, "attempt review")

    # The CSV agrees with what the students saw.
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Gradebook CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    by_user = {row["username"]: row for row in rows}
    assert len(rows) == 5
    for kid in ("kid1", "kid2", "kid3"):
        assert f"{round(float(by_user[kid]['grade_percent'])):.0f}%" in scores[kid]
    assert by_user["kid3"]["status"] == "late" and by_user["kid5"]["status"] == "not started"
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Answers CSV").click()
    answers = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert {"Minsk", "Gomel", "Homel"} <= {row["response"] for row in answers}
    audit.verify()
