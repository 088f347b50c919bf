"""Student pages for classes: joining with a code and starting an assignment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.services import assignments as assignment_service
from quizapp.services import classes as class_service
from quizapp.services import throttle
from quizapp.services.attempts import AttemptError
from quizapp.web.class_forms import JoinForm
from quizapp.web.forms import ActionForm
from quizapp.web.quiz import now

bp = Blueprint("student", __name__)

# Joins per student and per client address: enough for typos, far too few to guess
# a code from an alphabet of 23 ** 10.
JOIN_LIMIT = throttle.Limit(10, 15 * 60)
JOIN_ADDRESS_LIMIT = throttle.Limit(60, 15 * 60)


def _join_allowed() -> throttle.ThrottleResult:
    by_user = throttle.hit(db.session, "class-join-user", str(current_user.id), JOIN_LIMIT,
                           now())
    by_address = throttle.hit(db.session, "class-join-address", request.remote_addr or "",
                              JOIN_ADDRESS_LIMIT, now())
    return by_user if not by_user.allowed else by_address


@bp.app_template_global()
def student_assignments() -> list[assignment_service.StudentAssignment]:
    """For the home page's list; called only where the partial is shown."""
    if not current_user.is_authenticated:
        return []
    return assignment_service.student_assignments(db.session, current_user.id, now())


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join() -> Any:
    form = JoinForm()
    status = 200
    if form.validate_on_submit():
        allowed = _join_allowed()
        if not allowed.allowed:
            minutes = max(1, -(-allowed.retry_after // 60))
            form.code.errors.append(
                f"Too many tries. Wait {minutes} minute{'s' if minutes != 1 else ''} "
                "and try again, or ask your teacher for the code."
            )
            response = render_template("assignments/join.html", form=form,
                                       classes=_my_classes())
            return response, 429, {"Retry-After": str(allowed.retry_after)}
        try:
            joined = class_service.join_class(db.session, current_user.id, form.code.data,
                                              now())
        except AttemptError as error:
            form.code.errors.append(error.message)
        else:
            flash(f"You are in “{joined.name}”. Its assignments are on your home page.",
                  "success")
            return redirect(url_for("quiz.index"))
    if form.errors:
        status = 422
    return render_template("assignments/join.html", form=form, classes=_my_classes()), status


def _my_classes() -> list[Any]:
    return class_service.student_classes(db.session, current_user.id)


@bp.route("/assignments/<int:assignment_id>/start", methods=["POST"])
@login_required
def start(assignment_id: int) -> Response:
    ActionForm()
    try:
        attempt = assignment_service.start_assigned(
            db.session, current_user.id, assignment_id, now())
    except AttemptError as error:
        if error.status == 404:
            abort(404, error.message)
        flash(error.message, "error")
        return redirect(url_for("quiz.index"))
    return redirect(url_for("quiz.resume", attempt_id=attempt.id))
