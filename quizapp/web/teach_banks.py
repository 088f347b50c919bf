"""Teacher pages for banks in the browser: questions, statistics, responses, regrading,
a whole-quiz preview, download, editing, versions and retiring.

Registered on the `teach` blueprint. Views parse input, call a service, render.
"""

from __future__ import annotations

import random
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import Length

from quizapp.banks.sync import BUNDLED_PREFIX
from quizapp.config import DEFAULT_MAX_QUESTIONS_PER_ATTEMPT
from quizapp.extensions import db
from quizapp.models import Bank, BankFile, Question, Quiz
from quizapp.qtypes import QUESTION_TYPES
from quizapp.qtypes.base import ResponseError
from quizapp.services import assignments, bank_versions, item_analysis, regrade
from quizapp.services import banks as bank_service
from quizapp.services.attempts import draw, quiz_pool, quiz_spec, spec_of
from quizapp.services.classes import ClassNotFound
from quizapp.web.forms import ActionForm
from quizapp.web.quiz import now
from quizapp.web.teach import bp, questions_dir, sources_dir, teacher_required

DIFFICULTIES = ("easy", "medium", "hard")
SKILLS = ("recall", "inference", "main_idea", "vocabulary", "evidence", "cause_effect")


class EditBankForm(FlaskForm):
    text = TextAreaField("Bank file", validators=[Length(max=5_000_000)])


@bp.app_template_filter("stat")
def stat(value: float | None, unit: str = "", digits: int = 1) -> str:
    """A statistic with its unit, or a dash where the formula is undefined."""
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def _bank(slug: str) -> Bank:
    bank = db.session.scalar(select(Bank).where(Bank.slug == slug))
    if bank is None:
        abort(404, "There is no bank with that id.")
    return bank


def _file_name(bank: Bank) -> str | None:
    """The file that serves (or last served) the bank."""
    return db.session.scalar(
        select(BankFile.name).where(BankFile.bank_id == bank.id)
        .order_by((BankFile.status == "ok").desc(), BankFile.checked_at.desc()).limit(1)
    )


def _bundled_dir() -> Path | None:
    bundled = current_app.config.get("BUNDLED_QUESTIONS_DIR")
    return Path(bundled) if bundled else None


def _max_bytes() -> int:
    return int(current_app.config["MAX_BANK_BYTES"])


def _quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404, "There is no such quiz.")
    return quiz


def _scope(quiz: Quiz) -> item_analysis.Scope:
    """All attempts or first ones, of everyone or of one assignment (`?assignment=`)."""
    which = request.args.get("attempts", "all")
    if which not in ("all", "first"):
        abort(400, "Choose all attempts or first attempts.")
    assignment_id = None
    chosen = request.args.get("assignment", "")
    if chosen:
        if not chosen.isdigit():
            abort(400, "Choose an assignment from the list.")
        try:
            assignment = assignments.assignment_for_teacher(
                db.session, current_user.id, int(chosen))
        except ClassNotFound:
            abort(404, "There is no such assignment among your classes.")
        if assignment.quiz_id != quiz.id:
            abort(404, "That assignment is for another quiz.")
        assignment_id = assignment.id
    return item_analysis.Scope(quiz.id, first_only=which == "first",
                               assignment_id=assignment_id)


def _scope_args(scope: item_analysis.Scope) -> dict[str, str]:
    """The query string that keeps the same scope in links between the pages."""
    args = {"attempts": "first" if scope.first_only else "all"}
    if scope.assignment_id is not None:
        args["assignment"] = str(scope.assignment_id)
    return args


# -- the bank's questions -------------------------------------------------------------------
@bp.route("/banks/<slug>/questions")
@teacher_required
def bank_questions(slug: str) -> str:
    bank = _bank(slug)
    args = request.args
    wanted = item_analysis.QuestionFilter(
        text=args.get("q", "")[:200], topic=args.get("topic", "")[:64],
        qtype=args.get("type", "")[:40], difficulty=args.get("difficulty", "")[:16],
        skill=args.get("skill", "")[:32],
    )
    rows = item_analysis.bank_questions(db.session, bank.id, wanted)
    topics = [t.get("id") for t in (bank.meta or {}).get("topics", [])]
    return render_template(
        "teach/banks/questions.html", bank=bank, rows=rows, wanted=wanted, topics=topics,
        types=QUESTION_TYPES, difficulties=DIFFICULTIES, skills=SKILLS,
        file_name=_file_name(bank), form=ActionForm(),
        retired_files=bank_versions.retired_files(questions_dir()),
    )


@bp.route("/banks/<slug>/download")
@teacher_required
def download_bank(slug: str) -> Response:
    bank = _bank(slug)
    name = _file_name(bank)
    path = questions_dir() / name if name else None
    bundled = _bundled_dir()
    if name and bundled is not None and name.startswith(BUNDLED_PREFIX):
        path = bundled / name.removeprefix(BUNDLED_PREFIX)
    if path is not None and path.is_file():
        data = path.read_bytes()
    else:
        latest = bank_versions.latest_version(db.session, name) if name else None
        if latest is None:
            abort(404, "This bank's file is not in the questions folder.")
        data = latest.content.encode()
    response = Response(data, mimetype="application/yaml")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{Path(name or "bank.yaml").name}"')
    return response


@bp.route("/quizzes/<int:quiz_id>/preview")
@teacher_required
def quiz_preview(quiz_id: int) -> str:
    """Every question a new attempt would draw, with its answer; nothing is recorded."""
    quiz = _quiz(quiz_id)
    limit = current_app.config.get("MAX_QUESTIONS_PER_ATTEMPT", DEFAULT_MAX_QUESTIONS_PER_ATTEMPT)
    versions = draw(quiz_pool(db.session, quiz), quiz_spec(quiz), random.Random(), limit)
    items = [(version, spec_of(version)) for version in versions]
    return render_template("teach/banks/preview.html", quiz=quiz, items=items)


# -- editing and versions -------------------------------------------------------------------
@bp.route("/banks/<slug>/edit", methods=["GET", "POST"])
@teacher_required
def edit_bank(slug: str) -> str | Response | tuple[str, int]:
    bank = _bank(slug)
    name = _file_name(bank)
    if name is None:
        abort(404, "This bank has no file.")
    try:
        path = bank_versions.editable_path(questions_dir(), _bundled_dir(), name)
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    form = EditBankForm()
    messages: list[dict[str, object]] = []
    status = 200
    if request.method == "GET":
        form.text.data = path.read_text(encoding="utf-8", errors="replace")
    elif form.validate_on_submit():
        text = (form.text.data or "").replace("\r\n", "\n")
        bank_versions.baseline(db.session, questions_dir(), name, bank.slug)
        result = bank_service.upload_bank(
            db.session, questions_dir(), name, text.encode("utf-8"), _max_bytes(),
            sources_dir(), user_id=current_user.id, action="edit",
        )
        if result.ok:
            flash(f"Saved {name}: it is clean and now serving.", "success")
            return redirect(url_for("teach.bank_versions_page", slug=result.bank_slug))
        messages, status = result.messages, 422
    else:
        status = 422
    lines = (form.text.data or "").split("\n")
    return render_template("teach/banks/edit.html", bank=bank, name=name, form=form,
                           messages=messages, lines=lines), status


@bp.route("/banks/<slug>/versions")
@teacher_required
def bank_versions_page(slug: str) -> str:
    bank = _bank(slug)
    name = _file_name(bank)
    history = bank_versions.versions(db.session, name) if name else []
    return render_template("teach/banks/versions.html", bank=bank, name=name,
                           history=history, form=ActionForm())


@bp.route("/banks/<slug>/versions/<int:version_id>")
@teacher_required
def bank_version(slug: str, version_id: int) -> str:
    bank = _bank(slug)
    name = _file_name(bank)
    try:
        version = bank_versions.get_version(db.session, name or "", version_id)
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    return render_template("teach/banks/version.html", bank=bank, name=name, version=version,
                           lines=version.content.split("\n"), form=ActionForm())


@bp.route("/banks/<slug>/versions/<int:version_id>/restore", methods=["POST"])
@teacher_required
def restore_version(slug: str, version_id: int) -> Response | tuple[str, int]:
    ActionForm()
    bank = _bank(slug)
    name = _file_name(bank)
    try:
        version = bank_versions.get_version(db.session, name or "", version_id)
        bank_versions.editable_path(questions_dir(), _bundled_dir(), version.file_name)
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    result = bank_service.upload_bank(
        db.session, questions_dir(), version.file_name, version.content.encode("utf-8"),
        _max_bytes(), sources_dir(), user_id=current_user.id, action="restore",
        note=f"restored version {version.id}",
    )
    if not result.ok:
        flash("That version no longer passes the checks, so it was not restored: "
              + "; ".join(str(m["message"]) for m in result.messages if m["severity"] == "error"),
              "error")
        return redirect(url_for("teach.bank_version", slug=slug, version_id=version_id))
    flash(f"Version {version.id} restored as a new version.", "success")
    return redirect(url_for("teach.bank_versions_page", slug=result.bank_slug))


@bp.route("/banks/<slug>/retire", methods=["POST"])
@teacher_required
def retire_bank(slug: str) -> Response:
    ActionForm()
    bank = _bank(slug)
    name = _file_name(bank)
    try:
        if name is None:
            raise bank_versions.VersionError("This bank has no file.", 404)
        bank_versions.editable_path(questions_dir(), _bundled_dir(), name)
        bank_versions.retire_file(db.session, questions_dir(), name, _max_bytes())
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    flash(f"{bank.title} is retired: its quizzes are gone from students' lists; past "
          "attempts stay readable.", "success")
    return redirect(url_for("teach.bank_questions", slug=slug))


@bp.route("/banks/<slug>/unretire", methods=["POST"])
@teacher_required
def unretire_bank(slug: str) -> Response:
    ActionForm()
    bank = _bank(slug)
    name = _file_name(bank)
    try:
        bank_versions.unretire_file(db.session, questions_dir(), name or "", _max_bytes())
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    flash(f"{bank.title} is back in service.", "success")
    return redirect(url_for("teach.bank_questions", slug=slug))


# -- statistics -----------------------------------------------------------------------------
@bp.route("/quizzes/<int:quiz_id>/statistics")
@teacher_required
def quiz_statistics(quiz_id: int) -> str:
    quiz = _quiz(quiz_id)
    scope = _scope(quiz)
    report = item_analysis.quiz_report(db.session, scope)
    assert report is not None
    return render_template(
        "teach/banks/statistics.html", report=report, quiz=quiz, scope_args=_scope_args(scope),
        assignments=item_analysis.quiz_assignments(db.session, current_user.id, quiz.id))


@bp.route("/quizzes/<int:quiz_id>/statistics/<question_id>")
@teacher_required
def question_responses(quiz_id: int, question_id: str) -> str:
    quiz = _quiz(quiz_id)
    scope = _scope(quiz)
    report = item_analysis.response_report(db.session, scope, question_id)
    if report is None:
        abort(404, "There is no question with that id in this quiz's bank.")
    return render_template("teach/banks/responses.html", report=report, quiz=quiz,
                           scope=scope, scope_args=_scope_args(scope), form=ActionForm())


@bp.route("/quizzes/<int:quiz_id>/statistics/<question_id>/accept", methods=["POST"])
@teacher_required
def accept_response(quiz_id: int, question_id: str) -> Response:
    ActionForm()
    quiz = _quiz(quiz_id)
    question = db.session.scalar(select(Question).where(
        Question.bank_id == quiz.bank_id, Question.slug == question_id))
    if question is None or question.current_version is None:
        abort(404, "There is no question with that id in this quiz's bank.")
    value = request.form.get("value", "").strip()[:500]
    blank = request.form.get("blank", "").strip()[:64] or None
    if not value:
        abort(400, "Say which response to accept.")
    number = None
    spec = spec_of(question.current_version)
    scorer = spec.blanks.get(blank) if blank and hasattr(spec, "blanks") else spec
    if hasattr(scorer, "quantity"):
        try:
            number = scorer.quantity(value).value
        except ResponseError as error:
            abort(422, f"{value!r} cannot be read as a number: {error}")
    name = _file_name(quiz.bank)
    try:
        path = bank_versions.editable_path(questions_dir(), _bundled_dir(), name or "")
        bank_slug = quiz.bank.slug
        # Give the connection back while waiting for the lock: the holder needs one.
        db.session.commit()
        # Read, change and save under the file's lock, so two accepts never lose one.
        with bank_versions.file_lock(questions_dir(), path.name):
            bank_versions.baseline(db.session, questions_dir(), path.name, bank_slug)
            accepted = bank_versions.accept_response(
                path.read_text(encoding="utf-8"), question_id, value, blank=blank,
                number=number)
            result = bank_service.upload_bank(
                db.session, questions_dir(), path.name, accepted.text.encode("utf-8"),
                _max_bytes(), sources_dir(), user_id=current_user.id, action="accept",
                note=accepted.summary,
            )
    except bank_versions.VersionError as error:
        abort(error.status, error.message)
    if not result.ok:
        flash("The bank file would no longer pass the checks, so nothing was changed: "
              + "; ".join(str(m["message"]) for m in result.messages if m["severity"] == "error"),
              "error")
        return redirect(url_for("teach.question_responses", quiz_id=quiz.id,
                                question_id=question_id))
    flash(f"Saved: {accepted.summary}. Review the regrade below before applying it.", "success")
    return redirect(url_for("teach.regrade_question", question_pk=question.id))


# -- regrading ------------------------------------------------------------------------------
@bp.route("/questions/<int:question_pk>/regrade", methods=["GET", "POST"])
@teacher_required
def regrade_question(question_pk: int) -> str | Response:
    if request.method == "POST":
        ActionForm()
        try:
            result = regrade.apply_regrade(db.session, question_pk, current_user.id,
                                           now())
        except regrade.RegradeError as error:
            abort(error.status, str(error))
        if result.record is None:
            flash("Nothing left to regrade: every answer is already scored by the current "
                  "version.", "info")
        else:
            flash(f"Regraded: {result.record.answers_changed} answers changed "
                  f"({result.record.gained} gained, {result.record.lost} lost).", "success")
        return redirect(url_for("teach.regrade_question", question_pk=question_pk))
    try:
        plan = regrade.plan_regrade(db.session, question_pk)
    except regrade.RegradeError as error:
        abort(error.status, str(error))
    return render_template("teach/banks/regrade.html", plan=plan,
                           history=regrade.history(db.session, question_pk), form=ActionForm())
