"""The teacher's JSON API: classes, gradebook and exports, from the same services as
the pages. Another teacher's class is a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.api import bp, schemas
from quizapp.api.contract import responses, spec
from quizapp.clock import now
from quizapp.extensions import db
from quizapp.models import Quiz, SchoolClass
from quizapp.services import assignments as assignment_service
from quizapp.services import classes as class_service
from quizapp.services import exports, item_analysis
from quizapp.services import gradebook as gradebook_service
from quizapp.services.attempts import AttemptError
from quizapp.services.classes import ClassNotFound


def _teacher_class(class_id: int) -> SchoolClass:
    if not current_user.is_teacher:
        abort(403, "This is for teachers.")
    try:
        return class_service.class_for_teacher(db.session, current_user.id, class_id)
    except AttemptError as error:
        abort(error.status, error.message)


def class_json(school_class: SchoolClass) -> dict[str, Any]:
    return {
        "id": school_class.id,
        "name": school_class.name,
        "archived": school_class.archived,
        "join_code": school_class.join_code if school_class.code_enabled else None,
        "code_expires_at": (school_class.code_expires_at.isoformat()
                            if school_class.code_expires_at else None),
        "students": len(school_class.memberships),
        "assignments": [
            {"id": a.id, "quiz_id": a.quiz_id, "opens_at": a.opens_at.isoformat(),
             "due_at": a.due_at.isoformat(),
             "closes_at": a.closes_at.isoformat() if a.closes_at else None,
             "time_limit": a.time_limit, "attempts_allowed": a.attempts_allowed}
            for a in school_class.assignments
        ],
    }


@bp.get("/teach/classes")
@spec.validate(resp=responses(200, schemas.ClassList, 403), tags=["teaching"])
def teach_classes() -> Response:
    """Your classes (teachers)."""
    if not current_user.is_teacher:
        abort(403, "This is for teachers.")
    return jsonify(classes=[
        class_json(c) for c in class_service.teacher_classes(db.session, current_user.id)
    ])


@bp.get("/teach/classes/<int:class_id>")
@spec.validate(resp=responses(200, schemas.ClassOut, 403, 404), tags=["teaching"])
def teach_class(class_id: int) -> Response:
    """One of your classes; another teacher's class is a 404."""
    return jsonify(class_json(_teacher_class(class_id)))


@bp.get("/teach/classes/<int:class_id>/gradebook")
@spec.validate(resp=responses(200, schemas.Rows, 403, 404), tags=["teaching"])
def teach_gradebook(class_id: int) -> Response:
    """One row per student × assignment: the same rows as the gradebook CSV."""
    book = gradebook_service.gradebook(db.session, _teacher_class(class_id), now())
    return jsonify(rows=exports.gradebook_rows(book))


@bp.get("/teach/classes/<int:class_id>/answers")
@spec.validate(resp=responses(200, schemas.Rows, 403, 404), tags=["teaching"])
def teach_answers(class_id: int) -> Response:
    """One row per answer, with the response as typed: the same rows as the answers CSV."""
    school_class = _teacher_class(class_id)
    return jsonify(rows=exports.answer_rows(db.session, school_class.id))


@bp.get("/teach/quizzes/<int:quiz_id>/statistics")
@spec.validate(query=schemas.StatisticsQuery,
               resp=responses(200, schemas.QuizStatisticsOut, 403, 404), tags=["teaching"])
def teach_statistics(quiz_id: int) -> Response:
    """Item analysis of a quiz (docs/statistics.md): the page's figures, as JSON."""
    if not current_user.is_teacher:
        abort(403, "This is for teachers.")
    if db.session.get(Quiz, quiz_id) is None:
        abort(404, "There is no such quiz.")
    query = request.context.query  # type: ignore[attr-defined]
    assignment_id = None
    if query.assignment is not None:
        try:
            assignment = assignment_service.assignment_for_teacher(
                db.session, current_user.id, query.assignment)
        except ClassNotFound:
            abort(404, "There is no such assignment among your classes.")
        if assignment.quiz_id != quiz_id:
            abort(404, "That assignment is for another quiz.")
        assignment_id = assignment.id
    scope = item_analysis.Scope(quiz_id, first_only=query.attempts == "first",
                                assignment_id=assignment_id)
    report = item_analysis.quiz_report(db.session, scope)
    if report is None:
        abort(404, "There is no such quiz.")
    stats = report.stats
    return jsonify(
        quiz_id=quiz_id, attempts=stats.count, first_only=scope.first_only,
        assignment_id=assignment_id, mean=stats.mean, median=stats.median, sd=stats.sd,
        skewness=stats.skewness, kurtosis=stats.kurtosis, cronbach_alpha=stats.cic,
        error_ratio=stats.error_ratio, standard_error=stats.standard_error,
        questions=[{
            "question_id": item.question.slug, "type": item.spec.type,
            "attempts": item.stats.count, "facility": item.stats.facility,
            "sd": item.stats.sd, "random_guess": item.random_guess,
            "intended_weight": item.stats.intended_weight,
            "effective_weight": item.stats.effective_weight,
            "discrimination": item.stats.discrimination,
            "discriminative_efficiency": item.stats.efficiency,
            "review": list(item.reasons),
        } for item in report.items])
