"""The student pages: pick a quiz, answer, finish, see results and progress."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.clock import now
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.params import MAX_ID, page_number, whole_number
from quizapp.services import attempts as attempt_service
from quizapp.services import navigation
from quizapp.services import progress as progress_service
from quizapp.services import review as review_service
from quizapp.services.attempts import AttemptError, StalePage, TimeUp
from quizapp.services.review import NothingToReview
from quizapp.web.forms import ActionForm
from quizapp.web.progress_page import progress_page

bp = Blueprint("quiz", __name__)




# Form fields that steer the page rather than carry an answer.
CONTROL_FIELDS = frozenset({"csrf_token", "go", "action", "seq"})


def form_data() -> dict[str, list[str]]:
    return {key: request.form.getlist(key) for key in request.form}


def entered(data: dict[str, list[str]]) -> list[str]:
    """What the learner typed or chose: every non-blank value but buttons and the token."""
    return [value.strip() for key, values in data.items() if key not in CONTROL_FIELDS
            for value in values if value.strip()]


def is_blank(data: dict[str, list[str]]) -> bool:
    """True when the learner entered nothing at all (only buttons and the token)."""
    return not entered(data)


@bp.app_template_filter("attempt_title")
def attempt_title(attempt: Attempt) -> str:
    return progress_service.attempt_title(attempt)


def refuse(error: AttemptError) -> Response:
    """Turn a refused action into a message on the attempt's page, or a 404."""
    if error.status == 404:
        abort(404, error.message)
    flash(error.message, "error")
    return redirect(request.referrer or url_for("quiz.index"))


def question_count(quiz: Any) -> int:
    """How many questions an attempt at this quiz draws (the same rule as starting one)."""
    return attempt_service.question_count(
        db.session, quiz, current_app.config["MAX_QUESTIONS_PER_ATTEMPT"])


@bp.route("/")
def index() -> str:
    quizzes = attempt_service.available_quizzes(db.session)
    open_attempts: dict[int, Any] = {}
    review = None
    user_id = None
    if current_user.is_authenticated:
        user_id = current_user.id
        open_attempts = attempt_service.open_attempts_by_quiz(db.session, current_user.id, now())
        review = progress_service.review_counts(db.session, current_user.id, now())
    cards = progress_service.quiz_cards(
        db.session, user_id, quizzes, open_attempts, {q.id: question_count(q) for q in quizzes}
    )
    return render_template(
        "index.html", quizzes=quizzes, cards=cards, open_attempts=open_attempts, review=review,
        form=ActionForm(),
    )


@bp.route("/quiz/<int:quiz_id>")
def quiz_detail(quiz_id: int) -> str:
    try:
        quiz = attempt_service.get_quiz(db.session, quiz_id)
    except AttemptError as error:
        abort(404, error.message)
    if quiz.rules.visibility == "assigned" and not (
            current_user.is_authenticated and current_user.is_teacher):
        # Reached only through an assignment: its page would offer a start that fails.
        abort(404, "This quiz is set through an assignment; open it from your assignments.")
    summary = None
    if current_user.is_authenticated:
        current = attempt_service.open_attempts_by_quiz(db.session, current_user.id, now())
        summary = progress_service.quiz_summary(
            db.session, current_user.id, quiz, current.get(quiz.id)
        )
    sources = [s for s in (quiz.bank.meta or {}).get("sources", []) if s.get("title")]
    return render_template(
        "quiz/detail.html", quiz=quiz, summary=summary, sources=sources,
        questions=question_count(quiz), form=ActionForm(),
    )


@bp.route("/quiz/<int:quiz_id>/start", methods=["POST"])
@login_required
def start(quiz_id: int) -> Response:
    try:
        attempt = attempt_service.start_attempt(
            db.session, current_user.id, quiz_id, now(),
            max_questions=current_app.config["MAX_QUESTIONS_PER_ATTEMPT"],
        )
    except AttemptError as error:
        return refuse(error)
    return redirect(url_for("quiz.resume", attempt_id=attempt.id))


@bp.route("/attempt/<int:attempt_id>")
@login_required
def resume(attempt_id: int) -> Response:
    try:
        attempt = attempt_service.current_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return refuse(error)
    if attempt.finished:
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    # Back where the learner stopped: the first unanswered question from the last one saved.
    position = attempt_service.resume_position(attempt)
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))


@bp.route("/review/<kind>/start", methods=["POST"])
@login_required
def start_review(kind: str) -> Response:
    """Start (or resume) a review of due questions or of the learner's mistakes."""
    if kind not in review_service.KINDS:
        abort(404, "There is no such kind of review: use review or mistakes.")
    raw = request.form.get("attempt", "")
    if raw and (not raw.isdigit() or len(raw) > 12):
        abort(400, "The attempt must be given by its number.")
    try:
        attempt = review_service.start_session(
            db.session, current_user.id, kind, now(), from_attempt=int(raw) if raw else None
        )
    except NothingToReview as error:
        flash(error.message, "info")
        return redirect(url_for("quiz.progress"))
    except AttemptError as error:
        return refuse(error)
    return redirect(url_for("quiz.resume", attempt_id=attempt.id))


@bp.route("/attempt/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int) -> Response | tuple[str, int] | str:
    if request.method == "POST":
        return _answer(attempt_id, position)
    try:
        state, finished_now = attempt_service.current_question(
            db.session, current_user.id, attempt_id, position, now()
        )
        if finished_now:
            flash("Time is up: your attempt was finished at its deadline.", "info")
            return redirect(url_for("quiz.results", attempt_id=attempt_id))
        page = attempt_service.page_of_state(db.session, state)
    except AttemptError as error:
        return refuse(error)
    # The page's form token comes from csrf_token() in the template: no form object.
    return render_template("quiz/question.html", page=page, error=None)


def _answer(attempt_id: int, position: int) -> Response | tuple[str, int]:
    action = request.form.get("action", "answer")
    data = form_data()
    try:
        if action in ("flag", "unflag"):
            attempt_service.set_flag(
                db.session, current_user.id, attempt_id, position, action == "flag"
            )
            # The flag button belongs to the answer form: what was typed is saved too.
            if is_blank(data):
                return redirect(
                    url_for("quiz.question", attempt_id=attempt_id, position=position)
                )
        go = request.form.get("go")
        if go and is_blank(data):
            moved = _move_without_answer(attempt_id, position, go)
            if moved is not None:
                return moved
        result = attempt_service.submit_answer(
            db.session,
            current_user.id,
            attempt_id,
            position,
            lambda spec, seed: spec.parse_form(data, seed),
            now(),
            sequence=posted_sequence(request.form.get("seq")),
        )
    except StalePage as error:
        # Show the question as it is now, with why the older page's answer was refused.
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
        return render_template(
            "quiz/question.html", page=page, error=None, conflict=error.message
        ), 409
    except TimeUp as error:
        return _time_up(attempt_id, position, data, error)
    except AttemptError as error:
        return refuse(error)
    if result.error:
        page = attempt_service.question_page(
            db.session, current_user.id, attempt_id, position, now()
        )
        return render_template("quiz/question.html", page=page, error=result.error), 422
    if result.already_answered:
        flash("This question was already answered; the first answer stands.", "info")
    if result.immediate_feedback or action in ("flag", "unflag") or go == "stay":
        return redirect(url_for("quiz.question", attempt_id=attempt_id, position=position))
    following = _following(result.total, position, request.form.get("go"))
    if following is None:
        return redirect(url_for("quiz.summary", attempt_id=attempt_id))
    return redirect(url_for("quiz.question", attempt_id=attempt_id, position=following))


def _time_up(
    attempt_id: int, position: int, data: dict[str, list[str]], error: TimeUp
) -> tuple[str, int]:
    """An answer sent after the deadline is not recorded (the deadline is exact), but
    it is not dropped silently either: the page says the time was up, shows what was
    sent (disabled, marked not counted) and leads to the results."""
    page = attempt_service.question_page(db.session, current_user.id, attempt_id, position, now())
    sent = attempt_service.unrecorded_response(
        page, lambda spec, seed: spec.parse_form(data, seed))
    return render_template(
        "quiz/time_up.html", page=page, message=error.message, sent=sent, typed=entered(data),
    ), 409


def posted_sequence(raw: str | None) -> int | None:
    """The question's sequence number a page posted; None when the post has none.

    Anything but a number is treated as a page of no known state, which is stale.
    """
    if raw is None:
        return None
    number = whole_number(raw, MAX_ID)
    return -1 if number is None else number


def _move_without_answer(attempt_id: int, position: int, go: str) -> Response | None:
    """In an exam, "go on" with nothing entered moves on and keeps any saved answer."""
    move = navigation.move_without_answer(db.session, current_user.id, attempt_id, position, go)
    if move is None:
        return None
    if move.position is None:
        return redirect(url_for("quiz.summary", attempt_id=attempt_id))
    return redirect(url_for("quiz.question", attempt_id=attempt_id, position=move.position))


def _following(total: int, position: int, go: str | None) -> int | None:
    """Where "save and go on" leads (services/navigation.py holds the rule)."""
    return navigation.following(total, position, go)


@bp.route("/attempt/<int:attempt_id>/summary")
@login_required
def summary(attempt_id: int) -> Response | str:
    try:
        attempt = attempt_service.current_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return refuse(error)
    if attempt.finished:
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    return render_template("quiz/summary.html", attempt=attempt, form=ActionForm())


@bp.route("/attempt/<int:attempt_id>/finish", methods=["GET", "POST"])
@login_required
def finish(attempt_id: int) -> Response | str:
    """Finish an attempt; with questions unanswered or flagged, ask first.

    The confirmation is a page of its own (GET), so it works without JavaScript; its
    button posts `confirm=yes`.
    """
    try:
        attempt = attempt_service.current_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return refuse(error)
    if attempt.finished:
        return redirect(url_for("quiz.results", attempt_id=attempt_id))
    unanswered = [item for item in attempt.items if item.answer is None]
    flagged = [item for item in attempt.items if item.flagged and item.answer is not None]
    confirmed = request.method == "POST" and request.form.get("confirm") == "yes"
    if request.method == "GET" or ((unanswered or flagged) and not confirmed):
        return render_template(
            "quiz/confirm.html", attempt=attempt, unanswered=unanswered, flagged=flagged,
            form=ActionForm(),
        )
    try:
        attempt_service.finish_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return refuse(error)
    return redirect(url_for("quiz.results", attempt_id=attempt_id))


@bp.route("/attempt/<int:attempt_id>/results")
@login_required
def results(attempt_id: int) -> Response | str:
    try:
        attempt = attempt_service.current_attempt(db.session, current_user.id, attempt_id, now())
    except AttemptError as error:
        return refuse(error)
    if not attempt.finished:
        return redirect(url_for("quiz.summary", attempt_id=attempt.id))
    number = page_number(request.args.get("page"))
    if number is None:
        abort(400, "The page number must be a whole number from 1.")
    try:
        review = attempt_service.review_pages(
            db.session, current_user.id, attempt_id, now(), number
        )
    except AttemptError as error:
        return refuse(error)
    summary = None
    if attempt.quiz is not None:
        current = attempt_service.open_attempts_by_quiz(db.session, current_user.id, now())
        summary = progress_service.quiz_summary(
            db.session, current_user.id, attempt.quiz, current.get(attempt.quiz.id)
        )
    return render_template(
        "quiz/results.html", attempt=attempt, review=review, summary=summary,
        page_size=attempt_service.REVIEW_PAGE_SIZE, form=ActionForm(),
    )


@bp.route("/progress")
@login_required
def progress() -> str:
    # Finishing any attempt whose time ran out first, so its grade counts here.
    unfinished = attempt_service.unfinished_attempts(db.session, current_user.id, now())
    report = progress_service.progress_report(db.session, current_user.id, now())
    return render_template(
        "progress.html", report=report, unfinished=unfinished, page=progress_page(report),
    )


@bp.route("/progress/attempts")
@login_required
def history() -> str:
    number = page_number(request.args.get("page"))
    if number is None:
        abort(400, "The page number must be a whole number from 1.")
    page = progress_service.history_page(db.session, current_user.id, number)
    if not page.attempts and page.page > 1:
        abort(404, "There is no such page of attempts.")
    return render_template("quiz/history.html", page=page)
