"""Drafting in the browser: an article in, drafts ticked and edited, a bank saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from helpers import Browser

from quizapp.extensions import db

HARBOUR = (Path(__file__).parent / "drafting" / "harbour.md").read_text()


@pytest.fixture
def app(make_app, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app with a sources folder, where a drafted article is kept for grounding."""
    app = make_app(SOURCES_DIR=str(tmp_path / "sources"))
    yield app
    with app.app_context():
        db.engine.dispose()


def review(teacher: Browser, **fields: object):  # type: ignore[no-untyped-def]
    data = {"article_text": HARBOUR, "bank_id": "harbour", **fields}
    return teacher.post("/teach/drafts", data, token_from="/teach/drafts",
                        content_type="multipart/form-data")


def review_form(page: str) -> dict[str, object]:
    """The review page's form as a browser would send it back, all drafts ticked."""
    form: dict[str, object] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        form[name] = value.replace("&amp;", "&").replace("&#39;", "'").replace("&#34;", '"')
    for name in re.findall(r'<input type="checkbox" name="(keep-\d+)"', page):
        form[name] = "on"
    import html

    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page,
                                 re.DOTALL):
        form[name] = html.unescape(body)
    return form


def test_students_cannot_draft(browser: Browser) -> None:
    browser.register("stu")
    assert browser.get("/teach/drafts").status_code == 403


def test_drafts_are_grouped_by_paragraph_beside_the_text(teacher: Browser,
                                                         make_app) -> None:
    response = review(teacher)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h2 id=\"paragraph-") == 3
    assert "Maria Lund" in page
    assert "figure-p1-people" in page


def test_missing_link_is_asked_for_and_nothing_is_drafted(teacher: Browser) -> None:
    text = HARBOUR.replace("url: https://example.org/harbour-pier\n", "")
    response = review(teacher, article_text=text)
    assert response.status_code == 422
    assert "does not say its url" in response.get_data(as_text=True)


def test_an_empty_form_is_refused(teacher: Browser) -> None:
    response = teacher.post("/teach/drafts", {"article_text": ""}, token_from="/teach/drafts",
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose an article file or paste the article" in response.get_data(as_text=True)


def test_kept_and_edited_drafts_are_saved_as_a_clean_bank(
        teacher: Browser, app: Flask, questions_dir: Path, tmp_path: Path) -> None:
    page = review(teacher).get_data(as_text=True)
    form = review_form(page)
    kept = [k for k in form if k.startswith("keep-")]
    for name in kept[1:]:
        del form[name]  # keep only the first draft
    first = kept[0].split("-")[1]
    form[f"yaml-{first}"] = str(form[f"yaml-{first}"]).replace(
        "What figure belongs in the gap?", "How many people live in the village?")
    response = teacher.post("/teach/drafts/save", form, token_from="/teach/drafts")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = (questions_dir / "harbour.yaml").read_text()
    assert "How many people live in the village?" in saved
    assert "draft: true" not in saved
    sources = Path(app.config["SOURCES_DIR"])
    assert (sources / "a-harbour-town-rebuilds-its-pier.md").read_text() == HARBOUR


def test_a_broken_edit_is_shown_and_nothing_is_saved(teacher: Browser,
                                                    questions_dir: Path) -> None:
    page = review(teacher).get_data(as_text=True)
    form = review_form(page)
    first = next(k for k in form if k.startswith("yaml-"))
    form[first] = str(form[first]).replace("type: numeric", "type: numerik")
    response = teacher.post("/teach/drafts/save", form, token_from="/teach/drafts")
    assert response.status_code == 422
    assert "numerik" in response.get_data(as_text=True)
    assert not (questions_dir / "harbour.yaml").exists()


def test_nothing_kept_is_refused(teacher: Browser, questions_dir: Path) -> None:
    form = {k: v for k, v in review_form(review(teacher).get_data(as_text=True)).items()
            if not k.startswith("keep-")}
    response = teacher.post("/teach/drafts/save", form, token_from="/teach/drafts")
    assert response.status_code == 422
    assert "tick at least one draft" in response.get_data(as_text=True)


def test_a_save_without_the_article_is_a_clear_400(teacher: Browser) -> None:
    response = teacher.post("/teach/drafts/save", {"file_name": "x.md"},
                            token_from="/teach/drafts")
    assert response.status_code == 400
