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
from quizapp.banks.messages import excerpt
from quizapp.extensions import db
from quizapp.services import banks as bank_service
from quizapp.services import preview as preview_service
from quizapp.services import sources as source_service
from quizapp.web.forms import ActionForm, UploadBankForm, UploadSourceForm

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


def sources_dir() -> Path | None:
    """The folder of source texts banks are grounded against (the SOURCES_DIR setting)."""
    folder = current_app.config.get("SOURCES_DIR")
    return Path(folder) if folder else None


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
        db.session, questions_dir(), current_app.config["MAX_BANK_BYTES"], sources_dir(),
        user_id=current_user.id,
    )
    flash(f"Reloaded the questions folder: {report.summary()}.",
          "success" if report.ok else "error")
    return redirect(url_for("teach.banks"))


@bp.route("/upload", methods=["POST"])
@teacher_required
def upload() -> str | Response | tuple[str, int]:
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
        sources_dir(),
        user_id=current_user.id,
    )
    if not result.ok:
        overview = bank_service.bank_overview(db.session)
        lines = data.decode("utf-8", errors="replace").splitlines()
        result.messages = [{**m, "excerpt": excerpt(lines, m["line"], m["col"])}
                           for m in result.messages]
        return render_template(
            "teach/banks.html",
            overview=overview,
            form=ActionForm(),
            upload=form,
            upload_result=result,
        ), 422
    flash(f"{result.file_name} is clean and now serving.", "success")
    return redirect(url_for("teach.bank", slug=result.bank_slug))


@bp.route("/sources", methods=["GET", "POST"])
@teacher_required
def sources() -> str | tuple[str, int] | Response:
    """The source texts banks quote from; upload one (saved into SOURCES_DIR)."""
    form = UploadSourceForm()
    folder = sources_dir()
    result = None
    status = 200
    if request.method == "POST":
        if folder is None:
            abort(409, "No sources folder is set up (the QUIZAPP_SOURCES_DIR setting).")
        if form.validate_on_submit():
            storage = form.source_file.data
            limit = current_app.config["MAX_BANK_BYTES"]
            result = source_service.upload_source(
                db.session, folder, questions_dir(), storage.filename or "",
                storage.stream.read(limit + 1), limit)
            if result.ok:
                assert result.report is not None
                flash(f"{result.file_name} is saved; banks re-checked: "
                      f"{result.report.summary()}.", "success" if result.report.ok else "error")
                return redirect(url_for("teach.sources"))
        status = 422
    return render_template("teach/sources.html", form=form, folder=folder, result=result,
                           files=source_service.list_sources(folder)), status


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
    tried = preview_service.PreviewTry()
    if request.method == "POST":
        ActionForm()
        form = {key: request.form.getlist(key) for key in request.form}
        tried = preview_service.try_answer(item.spec, form)
    return render_template(
        "teach/question.html", item=item, trial=tried.outcome, error=tried.error,
        tried=tried.shown, form=ActionForm(),
    ), 422 if tried.error else 200


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
                                      current_app.config["MAX_BANK_BYTES"], sources_dir(),
                                      user_id=current_user.id)
    if not result.ok:
        overview = bank_service.bank_overview(db.session)
        return render_template("teach/banks.html", overview=overview, form=ActionForm(),
                               upload=UploadBankForm(), upload_result=result), 422
    flash(f"{result.file_name} is clean and now serving.", "success")
    return redirect(url_for("teach.bank", slug=result.bank_slug))
