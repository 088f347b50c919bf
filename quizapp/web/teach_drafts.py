"""Drafting a bank in the browser: an article in, drafts to tick and edit, a bank out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quizapp.banks.interchange import slug
from quizapp.extensions import db
from quizapp.services import banks as bank_service
from quizapp.services import drafts as draft_service
from quizapp.web.forms import ActionForm, DraftArticleForm
from quizapp.web.teach import bp, questions_dir, sources_dir, teacher_required

MAX_ARTICLE_BYTES = 200_000


def _sources_dir() -> Path:
    folder = sources_dir()
    if folder is None:
        abort(409, "No folder for source texts is set (QUIZAPP_SOURCES_DIR), so drafts "
                   "could not be checked against their article.")
    return folder


def _article_text(form: DraftArticleForm) -> str | None:
    storage = form.article_file.data
    if storage and getattr(storage, "filename", ""):
        data = storage.stream.read(MAX_ARTICLE_BYTES + 1)
        if len(data) > MAX_ARTICLE_BYTES:
            form.article_file.errors = [f"The file is over {MAX_ARTICLE_BYTES:,} bytes."]
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.article_file.errors = ["The file is not UTF-8 text."]
            return None
    if form.article_text.data and form.article_text.data.strip():
        return form.article_text.data.replace("\r\n", "\n")
    form.article_text.errors = ["Choose an article file or paste the article."]
    return None


def _source_options(values: Any) -> dict[str, Any]:
    return {"title": values.get("title") or None, "publisher": values.get("publisher") or None,
            "published": values.get("published") or None, "url": values.get("url") or None}


@bp.route("/drafts", methods=["GET", "POST"])
@teacher_required
def drafts() -> str | tuple[str, int]:
    form = DraftArticleForm()
    if request.method == "GET":
        return render_template("teach/drafts.html", form=form)
    text = _article_text(form) if form.validate_on_submit() else None
    if text is None:
        return render_template("teach/drafts.html", form=form), 422
    options = _source_options(form.data)
    try:
        described = draft_service.describe_source(text, file_name="article.md", **options)
        file_name = _file_name_for(described.title, text)
        _, result = draft_service.draft_from_text(
            text, file_name=file_name, bank_id=slug(form.bank_id.data or "", ""), **options)
    except draft_service.DraftError as error:
        return render_template("teach/drafts.html", form=form, error=str(error)), 422
    return _review_page(text, file_name, options, form.bank_id.data or "", result)


def _file_name_for(title: str, text: str) -> str:
    folder = _sources_dir()
    names = {p.name for p in folder.glob("*")} if folder.is_dir() else set()
    existing = {}
    for name in names:
        if name.startswith(slug(title, "article")[:56]):
            existing[name] = (folder / name).read_text(encoding="utf-8", errors="replace")
    return draft_service.article_file_name(title, names, text, existing)


def _review_page(text: str, file_name: str, options: dict[str, Any], bank_id: str,
                 result: Any, *, messages: Any = None, error: str | None = None,
                 status: int = 200, edited: dict[int, draft_service.ReviewedDraft] | None = None,
                 ) -> tuple[str, int]:
    from quizapp.banks.grounding import split_paragraphs

    paragraphs = split_paragraphs(text)
    grouped: dict[int, list[tuple[int, dict[str, Any], str]]] = {}
    for index, draft in enumerate(result.drafts):
        yaml_text = draft_service.question_yaml(draft.question)
        if edited and index in edited:
            yaml_text = edited[index].yaml_text
        grouped.setdefault(draft.paragraph, []).append((index, draft.question, yaml_text))
    return render_template(
        "teach/drafts_review.html", paragraphs=paragraphs, grouped=grouped, text=text,
        file_name=file_name, options=options, bank_id=bank_id or slug(file_name[:-3], "draft"),
        report=result.report, messages=messages, error=error, form=ActionForm(),
        kept={i for i, r in (edited or {}).items() if r.keep} if edited else None,
    ), status


@bp.route("/drafts/save", methods=["POST"])
@teacher_required
def save_drafts() -> Response | tuple[str, int]:
    ActionForm()
    text = request.form.get("article", "")
    file_name = os.path.basename(request.form.get("file_name", ""))
    if not text.strip() or not file_name.endswith(".md") or len(text) > MAX_ARTICLE_BYTES:
        abort(400, "The article is missing from the form; start again from the drafts page.")
    options = _source_options(request.form)
    bank_id = slug(request.form.get("bank_id", ""), "draft")
    count = min(int(request.form.get("count", "0") or 0) if
                request.form.get("count", "").isdigit() else 0, 1000)
    reviewed = {i: draft_service.ReviewedDraft(f"keep-{i}" in request.form,
                                               request.form.get(f"yaml-{i}", ""))
                for i in range(count)}
    try:
        described = draft_service.describe_source(text, file_name=file_name, **options)
        header = {"id": bank_id, "title": described.title[:300],
                  "sources": [described.as_source()]}
        data = draft_service.reviewed_bank(header, list(reviewed.values())).encode()
    except draft_service.DraftError as error:
        return _fail(text, file_name, options, bank_id, reviewed, error=str(error))
    sources = _sources_dir()
    bank_service.write_atomically(sources / file_name, text.encode())
    upload = bank_service.upload_bank(db.session, questions_dir(), f"{bank_id}.yaml", data,
                                      current_app.config["MAX_BANK_BYTES"], sources)
    if not upload.ok:
        return _fail(text, file_name, options, bank_id, reviewed, messages=upload.messages)
    flash(f"{upload.file_name} is clean and now serving the questions you kept.", "success")
    return redirect(url_for("teach.bank", slug=upload.bank_slug))


def _fail(text: str, file_name: str, options: dict[str, Any], bank_id: str,
          reviewed: dict[int, draft_service.ReviewedDraft], **problem: Any) -> tuple[str, int]:
    _, result = draft_service.draft_from_text(text, file_name=file_name, bank_id=bank_id,
                                              **options)
    return _review_page(text, file_name, options, bank_id, result, status=422,
                        edited=reviewed, **problem)
