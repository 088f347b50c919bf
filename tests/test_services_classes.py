"""Classes, assignments, the gradebook and exports, through the services directly."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from helpers import quiz_id

from quizapp.extensions import db
from quizapp.models import Attempt, Membership, User
from quizapp.services import assignments as assignment_service
from quizapp.services import attempts as attempt_service
from quizapp.services import classes as class_service
from quizapp.services import exports
from quizapp.services import gradebook as gradebook_service
from quizapp.services.attempts import AttemptError, LimitReached

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def ids(app: Flask, make_user: Any) -> tuple[int, int, int]:
    return make_user("tess", "teacher"), make_user("anna"), make_user("ben")


def test_join_codes_are_long_unambiguous_and_unique() -> None:
    codes = {class_service.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == class_service.CODE_LENGTH
        assert not set(code) & set("0O1IL5S2Z8BUV")
    assert class_service.normalise_code(" acdef-ghjkm ") == "ACDEFGHJKM"


def test_joining_and_its_clear_refusals(app: Flask, make_user: Any) -> None:
    teacher, anna, _ben = ids(app, make_user)
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "  Year 9   history ", NOW)
        assert cls.name == "Year 9 history"
        code = cls.join_code
        with pytest.raises(class_service.BadInput, match="10 letters"):
            class_service.join_class(s, anna, "abc", NOW)
        with pytest.raises(class_service.ClassNotFound, match="No class has that code"):
            class_service.join_class(s, anna, "ACDEFGHJKM" if code != "ACDEFGHJKM" else
                                     "ACDEFGHJKN", NOW)
        joined = class_service.join_class(s, anna, code.lower(), NOW)
        assert joined.id == cls.id
        class_service.join_class(s, anna, code, NOW)  # twice: still one membership
        assert s.query(Membership).count() == 1
        class_service.disable_code(s, cls)
        with pytest.raises(class_service.ClassError, match="turned off"):
            class_service.join_class(s, anna, code, NOW)
        new = class_service.regenerate_code(s, cls, NOW, valid_days=7)
        assert new != code
        with pytest.raises(class_service.ClassNotFound):
            class_service.join_class(s, anna, code, NOW)
        with pytest.raises(class_service.ClassError, match="expired"):
            class_service.join_class(s, anna, new, NOW + timedelta(days=7))
        assert [u.username for u in class_service.roster(s, cls)] == ["anna"]
        class_service.remove_student(s, cls, anna)
        assert class_service.roster(s, cls) == []


def test_a_teacher_reaches_only_their_own_classes(app: Flask, make_user: Any) -> None:
    teacher, _anna, _ben = ids(app, make_user)
    other = make_user("otto", "teacher")
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "Mine", NOW)
        with pytest.raises(class_service.ClassNotFound):
            class_service.class_for_teacher(s, other, cls.id)
        class_service.add_co_teacher(s, cls, "OTTO")
        assert class_service.class_for_teacher(s, other, cls.id).id == cls.id
        with pytest.raises(class_service.BadInput):
            class_service.add_co_teacher(s, cls, "nobody")


def test_effective_settings_layer_quiz_assignment_and_exception(
    app: Flask, make_user: Any
) -> None:
    teacher, anna, _ben = ids(app, make_user)
    exam = quiz_id(app, "exam")  # 10 minutes, 2 attempts
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "C", NOW)
        class_service.join_class(s, anna, cls.join_code, NOW)
        plain = assignment_service.assign(s, cls, exam, NOW, NOW + timedelta(days=1))
        settings = assignment_service.effective_settings(plain, None)
        assert (settings.time_limit, settings.attempts_allowed) == (10, 2)
        override = assignment_service.assign(s, cls, exam, NOW, NOW + timedelta(days=1),
                                             time_limit=20, attempts_allowed=1)
        exception = assignment_service.set_exception(s, override, anna, 15, 1)
        settings = assignment_service.effective_settings(override, exception)
        assert (settings.time_limit, settings.attempts_allowed) == (35, 2)
        with pytest.raises(class_service.BadInput, match="due time"):
            assignment_service.assign(s, cls, exam, NOW, NOW - timedelta(minutes=1))
        with pytest.raises(class_service.BadInput, match="closing time"):
            assignment_service.assign(s, cls, exam, NOW, NOW + timedelta(days=1),
                                      closes_at=NOW)


def test_assigned_start_uses_the_effective_settings_and_statuses(
    app: Flask, make_user: Any
) -> None:
    teacher, anna, ben = ids(app, make_user)
    exam = quiz_id(app, "exam")
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "C", NOW)
        for student in (anna, ben):
            class_service.join_class(s, student, cls.join_code, NOW)
        due = NOW + timedelta(hours=2)
        work = assignment_service.assign(s, cls, exam, NOW, due, closes_at=due + timedelta(
            days=1), attempts_allowed=1)
        assignment_service.set_exception(s, work, anna, 5, 0)
        attempt = assignment_service.start_assigned(s, anna, work.id, NOW)
        assert attempt.assignment_id == work.id
        assert attempt.deadline == NOW + timedelta(minutes=15)
        listed = assignment_service.student_assignments(s, anna, NOW)
        assert [(a.status, a.attempts_used) for a in listed] == [("in progress", 1)]
        attempt_service.finish_attempt(s, anna, attempt.id, NOW + timedelta(minutes=3))
        with pytest.raises(LimitReached):
            assignment_service.start_assigned(s, anna, work.id, NOW + timedelta(minutes=4))
        # Ben starts after the due time: late.
        late = assignment_service.start_assigned(s, ben, work.id, due + timedelta(hours=1))
        attempt_service.finish_attempt(s, ben, late.id, due + timedelta(hours=1, minutes=1))
        book = gradebook_service.gradebook(s, cls, due + timedelta(hours=2))
        statuses = {u.username: book.cell(u.id, work.id).status for u in book.students}
        assert statuses == {"anna": "submitted", "ben": "late"}
        # After closing nothing new starts.
        with pytest.raises(AttemptError, match="closed"):
            assignment_service.start_assigned(s, ben, work.id, due + timedelta(days=2))


def test_visibility_assigned_quizzes_start_only_through_an_assignment(
    app: Flask, make_user: Any
) -> None:
    anna = make_user("anna")
    exam = quiz_id(app, "exam")
    with app.app_context():
        s = db.session
        from quizapp.models import Quiz
        quiz = s.get(Quiz, exam)
        quiz.settings = {**quiz.settings, "visibility": "assigned"}
        s.commit()
        assert exam not in {q.id for q in attempt_service.available_quizzes(s)}
        with pytest.raises(attempt_service.NotFound):
            attempt_service.start_attempt(s, anna, exam, NOW)


def test_status_not_started_closed_and_due_soon(app: Flask, make_user: Any) -> None:
    teacher, anna, _ben = ids(app, make_user)
    practice = quiz_id(app, "practice")
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "C", NOW)
        class_service.join_class(s, anna, cls.join_code, NOW)
        soon = assignment_service.assign(s, cls, practice, NOW, NOW + timedelta(hours=23))
        later = assignment_service.assign(s, cls, practice, NOW, NOW + timedelta(hours=25),
                                          closes_at=NOW + timedelta(hours=26))
        book = gradebook_service.gradebook(s, cls, NOW)
        assert book.cell(anna, soon.id).due_soon and not book.cell(anna, later.id).due_soon
        book = gradebook_service.gradebook(s, cls, NOW + timedelta(hours=27))
        assert book.cell(anna, later.id).status == "closed"
        listed = assignment_service.student_assignments(s, anna, NOW)
        assert [a.assignment.id for a in listed] == [soon.id, later.id]  # soonest due first


def test_grades_distribution_mastery_and_exports(app: Flask, make_user: Any) -> None:
    teacher, anna, ben = ids(app, make_user)
    practice = quiz_id(app, "practice")
    with app.app_context():
        s = db.session
        s.get(User, anna).display_name = "=HYPERLINK(\"http://x\")"
        s.commit()
        cls = class_service.create_class(s, teacher, "C", NOW)
        for student in (anna, ben):
            class_service.join_class(s, student, cls.join_code, NOW)
        work = assignment_service.assign(s, cls, practice, NOW, NOW + timedelta(days=1))
        attempt = assignment_service.start_assigned(s, anna, work.id, NOW)
        for item in attempt.items:
            typed = "+1520 mm" if item.version.qtype == "numeric" else None
            if typed:
                attempt_service.submit_answer(
                    s, anna, attempt.id, item.position,
                    lambda spec, seed, typed=typed: spec.parse_form({"r": [typed]}, seed), NOW)
        attempt_service.finish_attempt(s, anna, attempt.id, NOW + timedelta(minutes=5))
        report = gradebook_service.assignment_report(s, work, NOW)
        assert [u.username for u in report.not_started] == ["ben"]
        assert sum(b.count for b in report.bands) == 1
        book = gradebook_service.gradebook(s, cls, NOW)
        grade = book.cell(anna, work.id).grade
        assert grade == pytest.approx(100 / 3)
        rows = list(csv.DictReader(io.StringIO(exports.gradebook_csv(book))))
        assert len(rows) == 2
        anna_row = next(r for r in rows if r["username"] == "anna")
        assert anna_row["display_name"].startswith("'=")
        assert float(anna_row["grade_percent"]) == pytest.approx(round(grade, 2))
        answers = list(csv.DictReader(io.StringIO(exports.answers_csv(s, cls.id))))
        assert len(answers) == 1
        assert answers[0]["response"] == "'+1520 mm"  # as typed, made formula-safe
        assert float(answers[0]["fraction"]) == 1.0
        mastery = gradebook_service.class_mastery(s, cls)
        assert [(m.topic, m.answered, m.students_counted) for m in mastery] == [("rail", 1, 0)]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text: str) -> None:
    assert exports.safe_cell(text) == "'" + text
    assert exports.safe_cell("plain") == "plain"
    assert exports.safe_cell(-1.5) == -1.5


def _run_at_once(count: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except Exception as error:  # the test inspects every outcome
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_thirty_simultaneous_joins_make_one_membership(app: Flask, make_user: Any) -> None:
    teacher, anna, _ben = ids(app, make_user)
    with app.app_context():
        code = class_service.create_class(db.session, teacher, "C", NOW).join_code

    def join() -> int:
        with app.app_context():
            return class_service.join_class(db.session, anna, code, NOW).id

    results = _run_at_once(30, join)
    assert all(isinstance(r, int) for r in results), results
    with app.app_context():
        assert db.session.query(Membership).filter_by(user_id=anna).count() == 1


def test_thirty_simultaneous_starts_take_exactly_the_attempts_allowed(
    app: Flask, make_user: Any
) -> None:
    teacher, anna, _ben = ids(app, make_user)
    exam = quiz_id(app, "exam")
    with app.app_context():
        s = db.session
        cls = class_service.create_class(s, teacher, "C", NOW)
        class_service.join_class(s, anna, cls.join_code, NOW)
        work = assignment_service.assign(s, cls, exam, NOW, NOW + timedelta(days=1),
                                         attempts_allowed=1)
        assignment_service.set_exception(s, work, anna, 0, 1)
        work_id = work.id

    def start_and_finish() -> str:
        with app.app_context():
            try:
                attempt = assignment_service.start_assigned(db.session, anna, work_id, NOW)
            except LimitReached:
                return "refused"
            attempt_service.finish_attempt(db.session, anna, attempt.id, NOW)
            return "ok"

    results = _run_at_once(30, start_and_finish)
    assert set(results) <= {"ok", "refused"}, results
    with app.app_context():
        assert db.session.query(Attempt).filter_by(user_id=anna).count() == 2
