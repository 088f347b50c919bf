"""Draft questions load and lint, but are never served."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from helpers import SAMPLE_BANK
from sqlalchemy import select

from quizapp.banks.loader import load_bank_text
from quizapp.banks.sync import sync_folder
from quizapp.extensions import db
from quizapp.models import Question, Quiz


def with_flags(text: str, flags: str) -> str:
    """The sample bank with `flags` added to its first question ('gauge')."""
    return text.replace("  - id: gauge\n", f"  - id: gauge\n{flags}", 1)


def test_lint_reports_each_draft_and_each_rewrite():
    loaded = load_bank_text("sample.yaml", with_flags(
        SAMPLE_BANK, "    draft: true\n    rewrite: true\n").encode())
    assert loaded.errors == []
    messages = [m.message for m in loaded.warnings]
    assert any("'gauge' is a draft to review" in m for m in messages)
    assert any("'gauge' still copies seven or more words" in m for m in messages)


def test_sync_skips_drafts(app: Flask, questions_dir: Path) -> None:
    (questions_dir / "sample.yaml").write_text(with_flags(SAMPLE_BANK, "    draft: true\n"))
    with app.app_context():
        sync_folder(db.session, questions_dir)
        slugs = set(db.session.scalars(select(Question.slug).where(~Question.retired)))
        assert "gauge" not in slugs and "city" in slugs


def test_a_bank_of_nothing_but_drafts_offers_no_quiz(app: Flask, questions_dir: Path) -> None:
    text = SAMPLE_BANK.replace("  - id: city\n", "  - id: city\n    draft: true\n", 1)
    (questions_dir / "sample.yaml").write_text(with_flags(text, "    draft: true\n"))
    with app.app_context():
        sync_folder(db.session, questions_dir)
        assert db.session.scalars(select(Quiz).where(~Quiz.retired)).all() == []
