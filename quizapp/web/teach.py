"""Teacher pages: bank status, reload, upload, and question previews."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.qtypes.base import ResponseError
from quizapp.services import banks as bank_service
from quizapp.web.forms import ActionForm, UploadBankForm

bp = Blueprint("teach", __name__)

F = TypeVar("F", bound=Callable[..., Any])


def teacher_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_teacher:
            abort(403, "This page is for teachers.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


@bp.route("/")
@teacher_required
def banks() -> str:
    overview = bank_service.bank_overview(db.session)
    return render_template(
        "teach/banks.html", overview=overview, form=ActionForm(), upload=UploadBankForm()
    )


@bp.route("/reload", methods=["POST"])
@teacher_required
def reload() -> Response:
    ActionForm()
    report = bank_service.reload_folder(
        db.session, questions_dir(), current_app.config["MAX_BANK_BYTES"], current_user.id
    )
    flash(f"Reloaded the questions folder: {report.summary()}.",
          "success" if report.ok else "error")
    return redirect(url_for("teach.banks"))


@bp.route("/upload", methods=["POST"])
@teacher_required
def upload() -> Response | tuple[str, int]:
    form = UploadBankForm()
    if not form.validate_on_submit():
        overview = bank_service.bank_overview(db.session)
        return render_template(
            "teach/banks.html", overview=overview, form=ActionForm(), upload=form
        ), 422
    storage = form.bank_file.data
    data = storage.stream.read(current_app.config["MAX_BANK_BYTES"] + 1)
    result = bank_service.upload_bank(
        db.session,
        questions_dir(),
        storage.filename or "",
        data,
        current_app.config["MAX_BANK_BYTES"],
        user_id=current_user.id,
    )
    if not result.ok:
        overview = bank_service.bank_overview(db.session)
        return render_template(
            "teach/banks.html",
            overview=overview,
            form=ActionForm(),
            upload=form,
            upload_result=result,
        ), 422
    flash(f"{result.file_name} is clean and now serving.", "success")
    return redirect(url_for("teach.bank", slug=result.bank_slug))


@bp.route("/banks/<slug>")
@teacher_required
def bank(slug: str) -> str:
    preview = bank_service.bank_preview(db.session, slug)
    if preview is None:
        abort(404, "There is no bank with that id.")
    return render_template("teach/bank.html", preview=preview)


@bp.route("/banks/<slug>/questions/<question_id>", methods=["GET", "POST"])
@teacher_required
def question(slug: str, question_id: str) -> str | tuple[str, int]:
    item = bank_service.question_preview(db.session, slug, question_id)
    if item is None:
        abort(404, "There is no question with that id in this bank.")
    trial = error = None
    status = 200
    if request.method == "POST":
        ActionForm()
        data = {key: request.form.getlist(key) for key in request.form}
        try:
            response = item.spec.parse_form(data, None)
            trial = item.spec.score(response)
        except ResponseError as problem:
            error = str(problem)
            status = 422
    return render_template(
        "teach/question.html", item=item, trial=trial, error=error, form=ActionForm()
    ), status
