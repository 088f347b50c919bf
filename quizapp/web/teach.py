"""Teacher pages: bank status, reload, upload, and question previews."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.banks.interchange import ImportFailure, guess_format, import_bank, slug
from quizapp.extensions import db
from quizapp.qtypes.base import ResponseError
from quizapp.services import banks as bank_service
from quizapp.web.forms import ActionForm, UploadBankForm

# Moodle's formats, converted on upload and shown before they are saved.
IMPORT_SUFFIXES = (".gift", ".txt")

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
        db.session, questions_dir(), current_app.config["MAX_BANK_BYTES"]
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
    if (storage.filename or "").lower().endswith(IMPORT_SUFFIXES):
        return _import_preview(storage.filename or "", data)
    result = bank_service.upload_bank(
        db.session,
        questions_dir(),
        storage.filename or "",
        data,
        current_app.config["MAX_BANK_BYTES"],
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


def _import_preview(file_name: str, data: bytes) -> str | tuple[str, int]:
    """A GIFT or Aiken file, converted into a bank and shown before it is saved."""
    name = Path(file_name.replace("\\", "/")).name
    text_format = guess_format(name, data) or "gift"
    bank_id = slug(name.rsplit(".", 1)[0], "imported")
    try:
        text, imported = import_bank(data, text_format, bank_id=bank_id, title="",
                                     source_name=name,
                                     max_bytes=current_app.config["MAX_BANK_BYTES"])
    except ImportFailure as failure:
        return render_template("teach/import.html", file_name=name, failure=failure,
                               text_format=text_format), 422
    return render_template("teach/import.html", file_name=name, text=text, imported=imported,
                           bank_file=f"{bank_id}.yaml", text_format=text_format,
                           form=ActionForm())


@bp.route("/import/save", methods=["POST"])
@teacher_required
def save_import() -> Response | tuple[str, int]:
    ActionForm()
    text = request.form.get("bank_text", "")
    bank_file = request.form.get("bank_file", "")
    if not text or not bank_file:
        abort(400, "The converted bank is missing from the form; upload the file again.")
    result = bank_service.upload_bank(db.session, questions_dir(), bank_file, text.encode(),
                                      current_app.config["MAX_BANK_BYTES"])
    if not result.ok:
        overview = bank_service.bank_overview(db.session)
        return render_template("teach/banks.html", overview=overview, form=ActionForm(),
                               upload=UploadBankForm(), upload_result=result), 422
    flash(f"{result.file_name} is clean and now serving.", "success")
    return redirect(url_for("teach.bank", slug=result.bank_slug))
