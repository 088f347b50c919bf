"""The JSON API: the same services as the pages, in JSON.

Authentication is the session cookie (log in with POST /api/session). Every
state-changing call must send `Content-Type: application/json`: browsers cannot
send that cross-site without a CORS preflight this API never grants, which is
what protects it from cross-site requests in place of a form token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.login import client_address, log_in, log_out, login_policy
from quizapp.models import Attempt
from quizapp.params import page_number
from quizapp.services import accounts
from quizapp.services import attempts as attempt_service
from quizapp.services import progress as progress_service
from quizapp.services import review as review_service
from quizapp.services.attempts import AttemptError, QuestionPage, StalePage
from quizapp.services.review import NothingToReview
from quizapp.web.quiz import now

bp = Blueprint("api", __name__)


@bp.before_request
def _require_json_and_login() -> Response | None:
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.is_json:
        abort(415, "Send a JSON body with Content-Type: application/json.")
    if request.endpoint != "api.login" and not current_user.is_authenticated:
        abort(401, "Log in first: POST /api/session with username and password.")
    return None


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "The body must be a JSON object.")
    return body


def error_response(error: AttemptError) -> tuple[Response, int]:
    body: dict[str, Any] = {
        "error": type(error).__name__, "message": error.message, "status": error.status,
    }
    if isinstance(error, NothingToReview):
        body["next_due"] = error.next_due.isoformat() if error.next_due else None
    return jsonify(body), error.status


@bp.post("/session")
def login() -> Response | tuple[Response, int]:
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        abort(400, "username and password must be strings.")
    try:
        user = accounts.authenticate(
            db.session, username[:100], password[:500],
            address=client_address(), now=now(), policy=login_policy(),
        )
    except accounts.TooManyAttempts as error:
        response = jsonify(error="Too Many Requests", message=str(error), status=429,
                           retry_after=error.retry_after)
        response.headers["Retry-After"] = str(error.retry_after)
        return response, 429
    if user is None:
        return jsonify(error="Unauthorized", message="Wrong username or password.",
                       status=401), 401
    log_in(user)
    return jsonify(username=user.username, role=user.role)


@bp.delete("/session")
def logout() -> Response:
    log_out()
    return jsonify(ok=True)


@bp.get("/quizzes")
def quizzes() -> Response:
    return jsonify(
        quizzes=[
            {
                "id": quiz.id,
                "slug": quiz.slug,
                "bank": quiz.bank.slug,
                "title": quiz.title,
                "description": quiz.description,
                "mode": quiz.settings.get("mode", "practice"),
                "time_limit": quiz.settings.get("time_limit"),
            }
            for quiz in attempt_service.available_quizzes(db.session)
        ]
    )


def attempt_json(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "quiz_id": attempt.quiz_id,
        "kind": attempt.kind,
        "title": progress_service.attempt_title(attempt),
        "mode": attempt.mode,
        "feedback": attempt.feedback,
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "score": attempt.score if attempt.finished else None,
        "max_score": attempt.max_score,
        "questions": [
            {
                "position": item.position,
                "answered": item.answer is not None,
                "flagged": item.flagged,
                "url": url_for(
                    "api.question", attempt_id=attempt.id, position=item.position
                ),
            }
            for item in attempt.items
        ],
    }


def page_json(page: QuestionPage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "attempt_id": page.attempt.id,
        "position": page.position,
        "total": page.total,
        "type": page.spec.type,
        "points": page.item.points,
        "question": page.view,
        "response": page.current,
        "locked": page.locked,
        # Send it back with an answer: a stale one (changed since) is refused with 409.
        "sequence": page.item.sequence,
        "feedback": None,
    }
    if page.outcome is not None:
        data["feedback"] = {
            **attempt_service.outcome_to_dict(page.outcome),
            "correct": page.outcome.correct,
            "answer": page.answer_view,
            "explanation": page.spec.explanation,
            "evidence": page.spec.evidence.model_dump() if page.spec.evidence else None,
        }
    return data


@bp.post("/quizzes/<int:quiz_id>/attempts")
def start(quiz_id: int) -> tuple[Response, int]:
    json_body()
    try:
        attempt = attempt_service.start_attempt(
            db.session, current_user.id, quiz_id, now(),
            max_questions=current_app.config["MAX_QUESTIONS_PER_ATTEMPT"],
        )
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(attempt)), 201


@bp.post("/review/<kind>")
def start_review(kind: str) -> tuple[Response, int]:
    """Start or resume a session of due questions (`review`) or of `mistakes`."""
    json_body()
    if kind not in review_service.KINDS:
        abort(404, "There is no such kind of review: use review or mistakes.")
    try:
        attempt = review_service.start_session(db.session, current_user.id, kind, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(attempt)), 201


@bp.get("/attempts")
def history() -> Response:
    number = page_number(request.args.get("page"))
    if number is None:
        abort(400, "page must be a whole number from 1.")
    page = progress_service.history_page(db.session, current_user.id, number)
    return jsonify(
        page=page.page,
        has_next=page.has_next,
        attempts=[_history_json(attempt) for attempt in page.attempts],
    )


def _history_json(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "title": progress_service.attempt_title(attempt),
        "kind": attempt.kind,
        "mode": attempt.mode,
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "percent": attempt.percent,
        "url": url_for("api.attempt", attempt_id=attempt.id),
    }


@bp.get("/attempts/<int:attempt_id>")
def attempt(attempt_id: int) -> Response | tuple[Response, int]:
    try:
        found = attempt_service.get_attempt(db.session, current_user.id, attempt_id)
        attempt_service.finish_if_expired(db.session, found, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(found))


@bp.get("/attempts/<int:attempt_id>/questions/<int:position>")
def question(attempt_id: int, position: int) -> Response | tuple[Response, int]:
    try:
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
    except AttemptError as error:
        return error_response(error)
    return jsonify(page_json(page))


@bp.post("/attempts/<int:attempt_id>/questions/<int:position>")
def answer(attempt_id: int, position: int) -> Response | tuple[Response, int]:
    body = json_body()
    if "response" not in body:
        abort(400, "The body needs a 'response' field.")
    sequence = body.get("sequence")
    if sequence is not None and (type(sequence) is not int or sequence < 0):
        abort(400, "'sequence' must be the whole number the question was shown with.")
    try:
        result = attempt_service.submit_answer(
            db.session,
            current_user.id,
            attempt_id,
            position,
            lambda spec, seed: spec.parse_json(body["response"], seed),
            now(),
            sequence=sequence,
        )
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
    except StalePage as error:
        # The question as it is now, so a client can show it again.
        response, status = error_response(error)
        body = response.get_json()
        body["current"] = page_json(attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        ))
        return jsonify(body), status
    except AttemptError as error:
        return error_response(error)
    if result.error:
        return jsonify(error="Unreadable", message=result.error, status=422), 422
    data = page_json(page)
    data["stored"] = result.stored
    data["already_answered"] = result.already_answered
    return jsonify(data)


@bp.post("/attempts/<int:attempt_id>/questions/<int:position>/flag")
def flag(attempt_id: int, position: int) -> Response | tuple[Response, int]:
    flagged = json_body().get("flagged")
    if not isinstance(flagged, bool):
        abort(400, "The body needs 'flagged': true or false.")
    try:
        attempt_service.set_flag(db.session, current_user.id, attempt_id, position, flagged)
    except AttemptError as error:
        return error_response(error)
    return jsonify(position=position, flagged=flagged)


@bp.post("/attempts/<int:attempt_id>/finish")
def finish(attempt_id: int) -> Response | tuple[Response, int]:
    try:
        done = attempt_service.finish_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(done))


@bp.get("/progress")
def progress() -> Response:
    attempt_service.open_attempts(db.session, current_user.id, now())
    report = progress_service.progress_report(db.session, current_user.id, now())
    review = report.review
    return jsonify(
        quizzes=[
            {
                "quiz_id": s.quiz.id,
                "title": s.quiz.title,
                "attempts": s.attempts,
                "attempts_left": s.attempts_left,
                "grading": s.grading,
                "grade": s.grade,
                "pass_mark": s.pass_mark,
                "passed": s.passed,
            }
            for s in report.quizzes
        ],
        topics=[
            {
                "bank": t.bank_title,
                "topic": t.topic,
                "title": t.title,
                "answered": t.answered,
                "correct": t.correct,
                "mastery": t.mastery,
            }
            for t in report.topics
        ],
        due=review.due,
        mistakes=review.mistakes,
        next_due=review.next_due.isoformat() if review.next_due else None,
        streak_days=report.streak_days,
        active_days=report.active_days,
        recent_attempts=[_history_json(a) for a in report.history],
        scores=[
            {"title": p.label, "finished_at": p.when.isoformat(), "percent": p.percent}
            for p in progress_service.chart_points(report.chronological)
        ],
    )
