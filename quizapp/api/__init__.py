"""The JSON API, version 1 (/api/v1): the same services as the pages, in JSON.

Authentication is a bearer token (POST /api/v1/tokens) or the browser's session
cookie (POST /api/v1/session). Every state-changing call must send
`Content-Type: application/json`: browsers cannot send that cross-site without a
CORS preflight this API never grants, which is what protects cookie sessions from
cross-site requests in place of a form token. Request bodies and queries are
validated by the pydantic models in `schemas.py`, from which the OpenAPI document is
generated; every error is a problem document (RFC 9457).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.api import contract, schemas
from quizapp.api.contract import responses, spec
from quizapp.clock import now
from quizapp.extensions import db
from quizapp.login import client_address, log_in, log_out, login_policy
from quizapp.models import Attempt, User
from quizapp.problems import problem
from quizapp.services import accounts
from quizapp.services import attempts as attempt_service
from quizapp.services import progress as progress_service
from quizapp.services import review as review_service
from quizapp.services import tokens as token_service
from quizapp.services.attempts import AttemptError, QuestionPage, StalePage
from quizapp.services.review import NothingToReview

bp = Blueprint("api", __name__)

# What can be called without logging in: logging in, getting a token, the contract.
PUBLIC_ENDPOINTS = frozenset({"api.login", "api.create_token", "api.reference",
                              "api.openapi"})


@bp.before_request
def _require_json_and_login() -> Response | None:
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.is_json:
        abort(415, "Send a JSON body with Content-Type: application/json.")
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        abort(401, "Log in first: POST /api/v1/tokens (or /api/v1/session) with your "
                   "username and password.")
    return None


def body_of(model: type[schemas.Request]) -> Any:
    """The validated request body (spectree has checked it against `model`)."""
    context = getattr(request, "context", None)
    if context is not None and context.json is not None:
        return context.json
    return model.model_validate(request.get_json(silent=True) or {})


def error_response(error: AttemptError) -> Response:
    extra: dict[str, Any] = {}
    if isinstance(error, NothingToReview):
        extra["next_due"] = error.next_due.isoformat() if error.next_due else None
    return problem(error.status, error.message, _title(error), **extra)


def _title(error: AttemptError) -> str:
    """`NotYourAttempt` -> "Not your attempt": the kind of refusal, for people."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in type(error).__name__)
    return words.strip().capitalize()


@bp.post("/session")
@spec.validate(json=schemas.Credentials, resp=responses(200, schemas.SessionInfo, 403),
               tags=["session"])
def login() -> Response:
    """Log in with the session cookie (for the browser)."""
    body = body_of(schemas.Credentials)
    user = _authenticate(body.username, body.password)
    if isinstance(user, Response):
        return user
    log_in(user)
    return jsonify(username=user.username, role=user.role)


@bp.delete("/session")
@spec.validate(resp=responses(200, schemas.Ok), tags=["session"])
def logout() -> Response:
    """Log out of the cookie session."""
    log_out()
    return jsonify(ok=True)


def _authenticate(username: str, password: str) -> User | Response:
    """The user with these credentials, or the problem to answer with (401, or 429 with
    Retry-After while the login throttle refuses): the same throttle as the login form."""
    try:
        user = accounts.authenticate(db.session, username, password,
                                     address=client_address(), now=now(),
                                     policy=login_policy())
    except accounts.TooManyAttempts as error:
        response = problem(429, str(error), retry_after=error.retry_after)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if user is None:
        return problem(401, "Wrong username or password.")
    if not user.is_active:
        return problem(403, accounts.DISABLED_MESSAGE)
    return user


@bp.post("/tokens")
@spec.validate(json=schemas.TokenRequest, resp=responses(201, schemas.NewToken, 403),
               tags=["tokens"])
def create_token() -> Response:
    """Trade a username and password for a bearer token, shown once, stored hashed."""
    body = body_of(schemas.TokenRequest)
    user = _authenticate(body.username, body.password)
    if isinstance(user, Response):
        return user
    issued = token_service.issue_token(db.session, user, body.name, now())
    response = jsonify(token_service.token_json(issued.token) | {"token": issued.secret})
    response.status_code = 201
    return response


@bp.get("/tokens")
@spec.validate(resp=responses(200, schemas.TokenList), tags=["tokens"])
def tokens() -> Response:
    """Your tokens (never their secrets)."""
    return jsonify(tokens=[token_service.token_json(t)
                           for t in token_service.user_tokens(db.session, current_user.id)])


@bp.delete("/tokens/<int:token_id>")
@spec.validate(resp=responses(200, schemas.Ok, 404), tags=["tokens"])
def revoke_token(token_id: int) -> Response:
    """Revoke one of your tokens; another user's token id is a 404."""
    if not token_service.revoke_token(db.session, current_user.id, token_id, now()):
        return problem(404, "You have no token with that id.")
    return jsonify(ok=True)


@bp.get("/quizzes")
@spec.validate(resp=responses(200, schemas.QuizList), tags=["quizzes"])
def quizzes() -> Response:
    """The quizzes open to you."""
    return jsonify(
        quizzes=[
            {
                "id": quiz.id,
                "slug": quiz.slug,
                "bank": quiz.bank.slug,
                "title": quiz.title,
                "description": quiz.description,
                "mode": quiz.rules.mode,
                "time_limit": quiz.rules.time_limit,
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
@spec.validate(json=schemas.Empty, resp=responses(201, schemas.AttemptOut, 403, 404, 409),
               tags=["attempts"])
def start(quiz_id: int) -> Response | tuple[Response, int]:
    """Start an attempt at a quiz, or resume the unfinished one."""
    try:
        attempt = attempt_service.start_attempt(
            db.session, current_user.id, quiz_id, now(),
            max_questions=current_app.config["MAX_QUESTIONS_PER_ATTEMPT"],
        )
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(attempt)), 201


@bp.post("/review/<kind>")
@spec.validate(json=schemas.Empty, resp=responses(201, schemas.AttemptOut, 404, 409),
               tags=["attempts"])
def start_review(kind: str) -> Response | tuple[Response, int]:
    """Start or resume a session of due questions (`review`) or of `mistakes`."""
    if kind not in review_service.KINDS:
        return problem(404, "There is no such kind of review: use review or mistakes.")
    try:
        attempt = review_service.start_session(db.session, current_user.id, kind, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(attempt)), 201


@bp.get("/attempts")
@spec.validate(query=schemas.PageQuery, resp=responses(200, schemas.HistoryPage),
               tags=["attempts"])
def history() -> Response:
    """Your finished attempts, newest first, 25 a page."""
    query = request.context.query  # type: ignore[attr-defined]
    page = progress_service.history_page(db.session, current_user.id, int(query.page))
    return jsonify(
        page=page.page,
        has_next=page.has_next,
        attempts=[_history_json(attempt) for attempt in page.attempts],
    )


def _history_json(attempt: Attempt | progress_service.FinishedAttempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "title": (attempt.title if isinstance(attempt, progress_service.FinishedAttempt)
                  else progress_service.attempt_title(attempt)),
        "kind": attempt.kind,
        "mode": attempt.mode,
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "percent": attempt.percent,
        "url": url_for("api.attempt", attempt_id=attempt.id),
    }


@bp.get("/attempts/<int:attempt_id>")
@spec.validate(resp=responses(200, schemas.AttemptOut, 404), tags=["attempts"])
def attempt(attempt_id: int) -> Response:
    """One of your attempts, with its questions."""
    try:
        found = attempt_service.current_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(found))


@bp.get("/attempts/<int:attempt_id>/questions/<int:position>")
@spec.validate(resp=responses(200, schemas.QuestionPageOut, 404), tags=["attempts"])
def question(attempt_id: int, position: int) -> Response:
    """A question as the page shows it (no answer), your response, feedback when due."""
    try:
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
    except AttemptError as error:
        return error_response(error)
    return jsonify(page_json(page))


@bp.post("/attempts/<int:attempt_id>/questions/<int:position>")
@spec.validate(json=schemas.AnswerRequest, resp=responses(200, schemas.AnswerOut, 404, 409),
               tags=["attempts"])
def answer(attempt_id: int, position: int) -> Response:
    """Answer a question; 422 when the response cannot be read, 409 when the attempt is
    over or `sequence` is not the question's current one (with the question as it is)."""
    body = body_of(schemas.AnswerRequest)
    response_value, sequence = body.response, body.sequence
    try:
        result = attempt_service.submit_answer(
            db.session,
            current_user.id,
            attempt_id,
            position,
            lambda question, seed: question.parse_json(response_value, seed),
            now(),
            sequence=sequence,
        )
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
    except StalePage as error:
        # The question as it is now, so a client can show it again.
        return problem(error.status, error.message, _title(error), current=page_json(
            attempt_service.question_page(db.session, current_user.id, attempt_id, position,
                                          now())))
    except AttemptError as error:
        return error_response(error)
    if result.error:
        return problem(422, result.error, "Unreadable response")
    data = page_json(page)
    data["stored"] = result.stored
    data["already_answered"] = result.already_answered
    return jsonify(data)


@bp.post("/attempts/<int:attempt_id>/questions/<int:position>/flag")
@spec.validate(json=schemas.FlagRequest, resp=responses(200, schemas.FlagOut, 404, 409),
               tags=["attempts"])
def flag(attempt_id: int, position: int) -> Response:
    """Flag a question of an exam for later, or remove the flag."""
    flagged = body_of(schemas.FlagRequest).flagged
    try:
        attempt_service.set_flag(db.session, current_user.id, attempt_id, position, flagged)
    except AttemptError as error:
        return error_response(error)
    return jsonify(position=position, flagged=flagged)


@bp.post("/attempts/<int:attempt_id>/finish")
@spec.validate(json=schemas.Empty, resp=responses(200, schemas.AttemptOut, 404, 409),
               tags=["attempts"])
def finish(attempt_id: int) -> Response:
    """Finish an attempt; it is scored once."""
    try:
        done = attempt_service.finish_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return error_response(error)
    return jsonify(attempt_json(done))


@bp.get("/progress")
@spec.validate(resp=responses(200, schemas.ProgressOut), tags=["progress"])
def progress() -> Response:
    """Grades per quiz, mastery per topic, what is due, streak, recent attempts."""
    attempt_service.unfinished_attempts(db.session, current_user.id, now())
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
            {"title": a.title, "finished_at": a.finished_at.isoformat(), "percent": a.percent}
            for a in report.chronological
        ],
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the models in `schemas.py`."""
    return jsonify(contract.document())


@bp.get("/docs")
def reference() -> str:
    """The API's reference, readable without JavaScript, made from the OpenAPI document."""
    return render_template("api/reference.html", document=contract.document())
