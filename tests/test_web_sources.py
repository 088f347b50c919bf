"""Teachers upload source texts in the browser; banks citing them are re-checked."""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import SAMPLE_BANK, Browser
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import BankFile

# Cites art.md, and leaves the title and publisher to the file's front matter.
CITING = SAMPLE_BANK.replace("id: sample", "id: citing").replace(
    "    url: https://example.org/article\n",
    "    url: https://example.org/article\n    file: art.md\n").replace(
    "    title: An article\n    publisher: A paper\n", "")
ARTICLE = """\
---
title: The real headline
publisher: The Real Paper
---
# The real headline
By a correspondent.
Preamble paragraph.
A second paragraph.
Belarus's railways (which use Russia’s 1,520mm gauge) resupply the front.
Buses carried bodies through Gomel, Belarus’s second city, at night.
"""


@pytest.fixture
def sources_app(make_app: Callable[..., Flask], tmp_path: Path,
                questions_dir: Path) -> Flask:
    (questions_dir / "citing.yaml").write_text(CITING, encoding="utf-8")
    return make_app(SOURCES_DIR=str(tmp_path / "sources"))


@pytest.fixture
def teacher(sources_app: Flask, make_user: Callable[..., Any]) -> Browser:
    make_user("tess", role="teacher")
    browser = Browser(sources_app.test_client())
    browser.login("tess")
    return browser


@pytest.fixture
def make_user(sources_app: Flask) -> Callable[..., Any]:
    from quizapp.services.accounts import create_user

    def make(username: str, role: str = "student", password: str = "correct horse") -> int:
        with sources_app.app_context():
            return create_user(db.session, username, password, role).id

    return make


def upload(teacher: Browser, name: str, data: bytes) -> Any:
    return teacher.post("/teach/sources", {"source_file": (io.BytesIO(data), name)},
                        token_from="/teach/sources", content_type="multipart/form-data")


def status(app: Flask, name: str) -> tuple[str, list[str]]:
    with app.app_context():
        row = db.session.scalar(select(BankFile).where(BankFile.name == name))
        return row.status, [m["message"] for m in row.messages]


def test_students_cannot_see_or_upload_sources(sources_app: Flask, make_user) -> None:
    make_user("stu")
    browser = Browser(sources_app.test_client())
    browser.login("stu")
    assert browser.get("/teach/sources").status_code == 403


def test_an_uploaded_source_is_saved_listed_and_grounds_the_banks_citing_it(
        teacher: Browser, sources_app: Flask, tmp_path: Path) -> None:
    # Before: the bank loads, but says its quotes could not be checked.
    assert status(sources_app, "citing.yaml")[0] == "ok"
    assert any("quotes from 'art' are not checked" in m
               for m in status(sources_app, "citing.yaml")[1])
    wrong = ARTICLE.replace("1,520mm", "1,435mm").encode()
    response = upload(teacher, "art.md", wrong)
    assert response.status_code == 302
    assert (tmp_path / "sources" / "art.md").read_bytes() == wrong
    # The quote is no longer in the text: the bank is re-checked at once and fails.
    state, messages = status(sources_app, "citing.yaml")
    assert state == "error" and any("the quote does not occur in 'art'" in m for m in messages)
    page = teacher.get("/teach/sources").get_data(as_text=True)
    assert "art.md" in page and "The real headline" in page and "The Real Paper" in page
    # The corrected text makes it serve again, and the page learners see cites the file's
    # title and publisher.
    assert upload(teacher, "art.md", ARTICLE.encode()).status_code == 302
    assert status(sources_app, "citing.yaml") == ("ok", [])
    with sources_app.app_context():
        from quizapp.models import Bank

        bank = db.session.scalar(select(Bank).where(Bank.slug == "citing"))
        (source,) = bank.meta["sources"]
    assert (source["title"], source["publisher"], source["url"]) == (
        "The real headline", "The Real Paper", "https://example.org/article")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("-evil.md", b"# T\nText.\n", "a source file name uses"),
    ("two words.md", b"# T\nText.\n", "a source file name uses"),
    ("notes.yaml", b"# T\nText.\n", "ends in .md or .txt"),
    ("latin1.md", "# T\nCaf\u00e9.\n".encode("latin-1"), "not UTF-8"),
    ("empty.md", b"# Only a title\n\n", "has no paragraphs"),
])
def test_bad_source_files_are_refused_and_nothing_is_saved(
        teacher: Browser, tmp_path: Path, name: str, data: bytes, words: str) -> None:
    response = upload(teacher, name, data)
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    folder = tmp_path / "sources"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_path_in_the_name_stays_in_the_folder(teacher: Browser, tmp_path: Path) -> None:
    assert upload(teacher, "../../evil.md", b"# T\nText.\n").status_code == 302
    assert [p.name for p in (tmp_path / "sources").iterdir()] == ["evil.md"]
    assert not (tmp_path / "evil.md").exists()


def test_an_oversized_source_is_refused(teacher: Browser, sources_app: Flask) -> None:
    limit = sources_app.config["MAX_BANK_BYTES"]
    sources_app.config["MAX_BANK_BYTES"] = 100
    try:
        response = upload(teacher, "big.md", b"# T\n" + b"word " * 100)
    finally:
        sources_app.config["MAX_BANK_BYTES"] = limit
    assert response.status_code == 422 and "larger than 100 bytes" in response.get_data(
        as_text=True)


def test_thirty_uploads_at_once_leave_one_whole_file(
        sources_app: Flask, make_user, tmp_path: Path) -> None:
    make_user("tess", role="teacher")
    texts = [ARTICLE.replace("Preamble", f"Preamble {n}").encode() for n in range(30)]

    def one(data: bytes) -> int:
        browser = Browser(sources_app.test_client())
        browser.login("tess")
        return upload(browser, "art.md", data).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = list(pool.map(one, texts))
    assert codes == [302] * 30
    folder = tmp_path / "sources"
    assert [p.name for p in folder.iterdir()] == ["art.md"]  # no temporary files left
    assert folder.joinpath("art.md").read_bytes() in texts
    assert status(sources_app, "citing.yaml") == ("ok", [])
