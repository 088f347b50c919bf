"""Teacher pages for classes: roster, join code, assignments, gradebook, review, export.

Every page looks its class up through `class_for_teacher`, so another teacher's class,
student, assignment or attempt is a 404, never a glimpse of their data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from quizapp.distribution_chart import distribution_svg
from quizapp.extensions import db
from quizapp.models import SchoolClass
from quizapp.services import assignments as assignment_service
from quizapp.services import attempts as attempt_service
from quizapp.services import classes as class_service
from quizapp.services import exports, people, stats_cache
from quizapp.services import gradebook as gradebook_service
from quizapp.services.accounts import AccountError
from quizapp.services.attempts import AttemptError
from quizapp.timezones import to_utc
from quizapp.web.class_forms import (
    AssignForm,
    ClassForm,
    CodeForm,
    CoTeacherForm,
    ExceptionForm,
    RosterForm,
)
from quizapp.web.forms import ActionForm
from quizapp.web.quiz import now
from quizapp.web.teach import bp, teacher_required
from quizapp.web.templating import viewer_zone

MAX_ROSTER_BYTES = 200_000
T = TypeVar("T")


def _class(class_id: int) -> SchoolClass:
    return _taught(class_service.class_for_teacher, class_id)


def _class_heading(class_id: int) -> class_service.ClassHeading:
    """The class as plain values, for a page that changes nothing through it."""
    return _taught(class_service.class_heading_for_teacher, class_id)


def _taught(lookup: Callable[[Session, int, int], T], class_id: int) -> T:
    """The class by `lookup`, if the teacher teaches it; anyone else's is a 404."""
    try:
        return lookup(db.session, current_user.id, class_id)
    except AttemptError as error:
        abort(error.status, error.message)


def _refuse(error: AttemptError, class_id: int) -> Response:
    if error.status == 404:
        abort(404, error.message)
    flash(error.message, "error")
    return redirect(url_for("teach.class_page", class_id=class_id))


def _typed_time(value: datetime | None) -> datetime | None:
    """A time typed in a form, read in the teacher's zone (the one the page names)."""
    if value is None:
        return None
    return to_utc(value, viewer_zone())


def _quiz_choices() -> list[tuple[int, str]]:
    return [(quiz.id, f"{quiz.bank.title}: {quiz.title}")
            for quiz in assignment_service.assignable_quizzes(db.session)]


def _class_page(school_class: SchoolClass, status: int = 200, **forms: Any) -> Any:
    assign = forms.get("assign") or AssignForm(formdata=None)
    assign.quiz_id.choices = _quiz_choices()
    return render_template(
        "teach/classes/class.html",
        school_class=school_class,
        code=class_service.format_code(school_class.join_code),
        roster=class_service.roster(db.session, school_class),
        teachers=class_service.teachers_of(db.session, school_class),
        assignments=gradebook_service.class_assignments(db.session, school_class),
        form=ActionForm(),
        code_form=forms.get("code_form") or CodeForm(formdata=None),
        teacher_form=forms.get("teacher_form") or CoTeacherForm(formdata=None),
        roster_form=forms.get("roster_form") or RosterForm(formdata=None),
        assign=assign,
        zone=str(viewer_zone()),
        now=now(),
    ), status


# -- classes ------------------------------------------------------------------------
@bp.route("/classes", methods=["GET", "POST"])
@teacher_required
def classes() -> Any:
    form = ClassForm()
    if form.validate_on_submit():
        try:
            created = class_service.create_class(db.session, current_user.id, form.name.data,
                                                 now())
        except AttemptError as error:
            form.name.errors.append(error.message)
        else:
            flash(f"Class “{created.name}” created. Give your students its join code.",
                  "success")
            return redirect(url_for("teach.class_page", class_id=created.id))
    return render_template(
        "teach/classes/list.html",
        classes=class_service.teacher_classes(db.session, current_user.id),
        form=form, format_code=class_service.format_code,
    ), 422 if form.errors else 200


@bp.route("/classes/<int:class_id>")
@teacher_required
def class_page(class_id: int) -> Any:
    return _class_page(_class(class_id))


@bp.route("/classes/<int:class_id>/code", methods=["POST"])
@teacher_required
def class_code(class_id: int) -> Any:
    school_class = _class(class_id)
    if request.form.get("action") == "disable":
        ActionForm()
        class_service.disable_code(db.session, school_class)
        flash("The join code is turned off: nobody can join until you make a new one.", "info")
        return redirect(url_for("teach.class_page", class_id=class_id))
    code_form = CodeForm()
    if not code_form.validate_on_submit():
        return _class_page(school_class, 422, code_form=code_form)
    try:
        code = class_service.regenerate_code(db.session, school_class, now(),
                                             code_form.valid_days.data)
    except AttemptError as error:
        return _refuse(error, class_id)
    flash(f"New join code: {class_service.format_code(code)}. The old one no longer works.",
          "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/archive", methods=["POST"])
@teacher_required
def class_archive(class_id: int) -> Response:
    school_class = _class(class_id)
    ActionForm()
    archived = request.form.get("archived") == "1"
    class_service.set_archived(db.session, school_class, archived)
    flash("Class archived: it leaves your students' pages; nothing is deleted." if archived
          else "Class restored.", "info")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/teachers", methods=["POST"])
@teacher_required
def class_teachers(class_id: int) -> Any:
    school_class = _class(class_id)
    teacher_form = CoTeacherForm()
    if teacher_form.validate_on_submit():
        try:
            added = class_service.add_co_teacher(db.session, school_class,
                                                 teacher_form.username.data)
        except AttemptError as error:
            teacher_form.username.errors.append(error.message)
        else:
            flash(f"{added.username} now teaches this class too.", "success")
            return redirect(url_for("teach.class_page", class_id=class_id))
    return _class_page(school_class, 422, teacher_form=teacher_form)


@bp.route("/classes/<int:class_id>/students/<int:student_id>/remove", methods=["POST"])
@teacher_required
def remove_student(class_id: int, student_id: int) -> Response:
    school_class = _class(class_id)
    ActionForm()
    try:
        class_service.remove_student(db.session, school_class, student_id)
    except AttemptError as error:
        return _refuse(error, class_id)
    flash("Student removed from the class; their past work is kept.", "info")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/roster", methods=["POST"])
@teacher_required
def roster_upload(class_id: int) -> Any:
    """Accounts for a roster of pupils: one-time passwords shown once, never stored."""
    school_class = _class(class_id)
    roster_form = RosterForm()
    if not roster_form.validate_on_submit():
        return _class_page(school_class, 422, roster_form=roster_form)
    data = roster_form.roster.data.stream.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        roster_form.roster.errors.append("The file is too large for a roster.")
        return _class_page(school_class, 422, roster_form=roster_form)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        roster_form.roster.errors.append("Save the roster as CSV in UTF-8 and upload it again.")
        return _class_page(school_class, 422, roster_form=roster_form)
    rows, problems = people.parse_roster(text)
    if problems:
        roster_form.roster.errors.extend(problems)
        return _class_page(school_class, 422, roster_form=roster_form)
    try:
        created = people.bulk_create_students(db.session, rows)
        for user, _password in created:
            class_service.add_student(db.session, school_class, user.id, now())
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        roster_form.roster.errors.append(str(error))
        return _class_page(school_class, 422, roster_form=roster_form)
    sheet = [(user.username, user.display_name or "", password) for user, password in created]
    csv_text = exports.to_csv(("username", "display_name", "one_time_password"), sheet)
    response = FlaskResponse(render_template(
        "teach/classes/passwords.html", school_class=school_class, sheet=sheet,
        csv_data="data:text/csv;charset=utf-8," + _percent_encode(csv_text),
    ))
    # Shown once: the page must not stay in a cache or history.
    response.headers["Cache-Control"] = "no-store"
    return response


def _percent_encode(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# -- assignments --------------------------------------------------------------------
@bp.route("/classes/<int:class_id>/assignments", methods=["POST"])
@teacher_required
def assign(class_id: int) -> Any:
    school_class = _class(class_id)
    form = AssignForm()
    form.quiz_id.choices = _quiz_choices()
    if not form.validate_on_submit():
        return _class_page(school_class, 422, assign=form)
    try:
        assignment_service.assign(
            db.session, school_class, form.quiz_id.data,
            opens_at=_typed_time(form.opens_at.data),  # type: ignore[arg-type]
            due_at=_typed_time(form.due_at.data),  # type: ignore[arg-type]
            closes_at=_typed_time(form.closes_at.data),
            time_limit=form.time_limit.data, attempts_allowed=form.attempts_allowed.data,
        )
    except AttemptError as error:
        form.due_at.errors.append(error.message)
        return _class_page(school_class, 422, assign=form)
    flash("Assigned.", "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


def _assignment(class_id: int, assignment_id: int) -> Any:
    school_class = _class(class_id)
    try:
        assignment = assignment_service.assignment_for_teacher(
            db.session, current_user.id, assignment_id)
    except AttemptError as error:
        abort(404, error.message)
    if assignment.class_id != school_class.id:
        abort(404, "There is no such assignment in this class.")
    return school_class, assignment


def _exception_form(school_class: SchoolClass, formdata: bool = True) -> ExceptionForm:
    form = ExceptionForm() if formdata else ExceptionForm(formdata=None)
    form.student_id.choices = [
        (u.id, u.shown_name) for u in class_service.roster(db.session, school_class)
    ]
    return form


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>")
@teacher_required
def assignment_page(class_id: int, assignment_id: int, exception_form: Any = None,
                    status: int = 200) -> Any:
    school_class, assignment = _assignment(class_id, assignment_id)
    report = gradebook_service.assignment_report(db.session, assignment, now())
    svg = distribution_svg(report.bands, f"Grades on {assignment.quiz.title}")
    return render_template(
        "teach/classes/assignment.html", school_class=school_class, report=report,
        chart_svg=Markup(svg),
        exception_form=exception_form or _exception_form(school_class, formdata=False),
    ), status


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/exceptions",
          methods=["POST"])
@teacher_required
def assignment_exception(class_id: int, assignment_id: int) -> Any:
    school_class, assignment = _assignment(class_id, assignment_id)
    form = _exception_form(school_class)
    if not form.validate_on_submit():
        return assignment_page(class_id, assignment_id, exception_form=form, status=422)
    try:
        assignment_service.set_exception(
            db.session, assignment, form.student_id.data,
            form.extra_minutes.data or 0, form.extra_attempts.data or 0,
        )
    except AttemptError as error:
        if error.status == 404:
            abort(404, error.message)
        form.extra_minutes.errors.append(error.message)
        return assignment_page(class_id, assignment_id, exception_form=form, status=422)
    flash("Allowance saved.", "success")
    return redirect(url_for("teach.assignment_page", class_id=class_id,
                            assignment_id=assignment_id))


# -- gradebook, students, attempts --------------------------------------------------
@bp.route("/classes/<int:class_id>/gradebook")
@teacher_required
def gradebook(class_id: int) -> Any:
    # The class's heading as plain values: the entity is loaded only to build the table.
    heading = _class_heading(class_id)
    moment = now()
    zone = viewer_zone()
    state = gradebook_service.table_state(
        db.session, heading, moment, request.args.get("sort", "name")[:20])

    def render_table() -> dict[str, Any]:
        school_class = _class(class_id)
        book = gradebook_service.gradebook(db.session, school_class, moment, state.sort)
        # One URL built, each row appends its student's id.
        student_url = url_for("teach.student_page", class_id=class_id, student_id=0)[:-1]
        return {"html": render_template(
            "teach/classes/_gradebook_table.html", school_class=school_class, book=book,
            zone=zone, student_url=student_url)}

    # The table (600 cells for 200 students and 3 assignments) is rendered again only
    # when its fingerprint says something it shows has changed.
    table = stats_cache.cached(
        db.session, f"gradebook:{class_id}:{state.sort}:{zone}", state.fingerprint,
        render_table)["html"]
    return render_template(
        "teach/classes/gradebook.html", school_class=heading, table=Markup(table),
        mastery=gradebook_service.class_mastery(db.session, heading),
        mastery_rule=gradebook_service.MASTERY_RULE,
    )


@bp.route("/classes/<int:class_id>/students/<int:student_id>")
@teacher_required
def student_page(class_id: int, student_id: int) -> Any:
    school_class = _class(class_id)
    try:
        student = class_service.student_in_class(db.session, school_class, student_id)
    except AttemptError as error:
        abort(404, error.message)
    report = gradebook_service.student_report(db.session, school_class, student, now())
    return render_template(
        "teach/classes/student.html", school_class=school_class, report=report,
        mastery_rule=gradebook_service.MASTERY_RULE,
    )


@bp.route("/classes/<int:class_id>/attempts/<int:attempt_id>")
@teacher_required
def attempt_review(class_id: int, attempt_id: int) -> Any:
    """An attempt exactly as its student sees it in review, with the responses as typed."""
    school_class = _class(class_id)
    try:
        attempt = gradebook_service.attempt_for_teacher(db.session, school_class, attempt_id)
    except AttemptError as error:
        abort(404, error.message)
    attempt_service.finish_if_expired(db.session, attempt, now())
    review = [attempt_service.page_for(attempt, item.position) for item in attempt.items]
    return render_template(
        "teach/classes/attempt.html", school_class=school_class, attempt=attempt,
        review=review,
    )


# -- exports ------------------------------------------------------------------------
def _csv(text: str, name: str) -> FlaskResponse:
    response = FlaskResponse(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/classes/<int:class_id>/export/gradebook.csv")
@teacher_required
def export_gradebook(class_id: int) -> FlaskResponse:
    school_class = _class(class_id)
    book = gradebook_service.gradebook(db.session, school_class, now())
    return _csv(exports.gradebook_csv(book), f"class-{class_id}-gradebook.csv")


@bp.route("/classes/<int:class_id>/export/answers.csv")
@teacher_required
def export_answers(class_id: int) -> FlaskResponse:
    _class(class_id)
    return _csv(exports.answers_csv(db.session, class_id), f"class-{class_id}-answers.csv")


