"""The teacher's JSON API: classes, gradebook and exports, from the same services as
the pages. Another teacher's class is a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.api import bp
from quizapp.extensions import db
from quizapp.models import SchoolClass
from quizapp.services import classes as class_service
from quizapp.services import exports
from quizapp.services import gradebook as gradebook_service
from quizapp.services.attempts import AttemptError
from quizapp.web.quiz import now


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
def teach_classes() -> Response:
    if not current_user.is_teacher:
        abort(403, "This is for teachers.")
    return jsonify(classes=[
        class_json(c) for c in class_service.teacher_classes(db.session, current_user.id)
    ])


@bp.get("/teach/classes/<int:class_id>")
def teach_class(class_id: int) -> Response:
    return jsonify(class_json(_teacher_class(class_id)))


@bp.get("/teach/classes/<int:class_id>/gradebook")
def teach_gradebook(class_id: int) -> Response:
    """One row per student × assignment: the same rows as the gradebook CSV."""
    book = gradebook_service.gradebook(db.session, _teacher_class(class_id), now())
    return jsonify(rows=exports.gradebook_rows(book))


@bp.get("/teach/classes/<int:class_id>/answers")
def teach_answers(class_id: int) -> Response:
    """One row per answer, with the response as typed: the same rows as the answers CSV."""
    school_class = _teacher_class(class_id)
    return jsonify(rows=exports.answer_rows(db.session, school_class.id))
