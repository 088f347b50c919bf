"""Sync: files in, rows out; all or nothing per bank; history is never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from helpers import SAMPLE_BANK
from sqlalchemy import func, select

from quizapp.banks.sync import sync_folder
from quizapp.extensions import db
from quizapp.models import Bank, BankFile, Question, QuestionVersion, Quiz


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield db.session


def sync(questions_dir: Path):  # type: ignore[no-untyped-def]
    return sync_folder(db.session, questions_dir)


def question(slug: str) -> Question:
    return db.session.scalar(select(Question).where(Question.slug == slug))


def test_first_sync_loads_bank_questions_and_quizzes(ctx, questions_dir: Path) -> None:
    bank = db.session.scalar(select(Bank).where(Bank.slug == "sample"))
    assert bank.title == "Sample bank"
    assert [q.slug for q in bank.questions] == ["gauge", "city"]
    assert {q.slug for q in bank.quizzes} == {"practice", "exam"}
    assert db.session.scalar(select(BankFile.status)) == "ok"


def test_unchanged_files_are_skipped(ctx, questions_dir: Path) -> None:
    report = sync(questions_dir)
    assert report.unchanged == ["sample.yaml"] and not report.loaded


def test_an_edit_makes_a_new_version_and_keeps_the_old(ctx, questions_dir: Path) -> None:
    old_version = question("city").current_version_id
    path = questions_dir / "sample.yaml"
    path.write_text(SAMPLE_BANK.replace("Which city is", "Which town is"), encoding="utf-8")
    assert sync(questions_dir).loaded == ["sample.yaml"]
    city = question("city")
    assert city.current_version_id != old_version
    assert db.session.get(QuestionVersion, old_version) is not None
    # The unchanged question keeps its version.
    versions = db.session.scalar(
        select(func.count()).select_from(QuestionVersion)
        .where(QuestionVersion.question_id == question("gauge").id))
    assert versions == 1


def test_reorder_changes_positions_only(ctx, questions_dir: Path) -> None:
    versions_before = db.session.scalar(select(func.count()).select_from(QuestionVersion))
    gauge_block, city_block = SAMPLE_BANK.split("  - id: city\n")
    head, gauge = gauge_block.split("questions:\n")
    reordered = head + "questions:\n  - id: city\n" + city_block + gauge
    (questions_dir / "sample.yaml").write_text(reordered, encoding="utf-8")
    sync(questions_dir)
    bank = db.session.scalar(select(Bank))
    db.session.refresh(bank)
    assert [q.slug for q in bank.questions] == ["city", "gauge"]
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == versions_before


def test_rename_of_a_file_keeps_the_bank(ctx, questions_dir: Path) -> None:
    bank_id = db.session.scalar(select(Bank.id))
    (questions_dir / "sample.yaml").rename(questions_dir / "renamed.yaml")
    report = sync(questions_dir)
    assert report.removed == ["sample.yaml"] and report.loaded == ["renamed.yaml"]
    bank = db.session.scalar(select(Bank))
    assert bank.id == bank_id and not bank.retired
    assert not any(q.retired for q in bank.quizzes)


def test_a_removed_question_is_retired_not_deleted(ctx, questions_dir: Path) -> None:
    without_city = SAMPLE_BANK.split("  - id: city\n")[0]
    (questions_dir / "sample.yaml").write_text(without_city, encoding="utf-8")
    sync(questions_dir)
    city = question("city")
    assert city is not None and city.retired


def test_a_removed_file_retires_its_bank(ctx, questions_dir: Path) -> None:
    (questions_dir / "sample.yaml").unlink()
    assert sync(questions_dir).removed == ["sample.yaml"]
    assert db.session.scalar(select(Bank.retired)) is True
    assert all(q.retired for q in db.session.scalars(select(Quiz)))


def test_an_invalid_edit_keeps_the_last_good_version(ctx, questions_dir: Path) -> None:
    before = question("city").current_version_id
    broken = SAMPLE_BANK.replace("Which city is", "Which town is").replace(
        "points: 2", "points: lots")
    (questions_dir / "sample.yaml").write_text(broken, encoding="utf-8")
    report = sync(questions_dir)
    assert report.failed == ["sample.yaml"]
    assert question("city").current_version_id == before  # nothing half-imported
    bank_file = db.session.scalar(select(BankFile))
    assert bank_file.status == "error"
    assert any("points" in m["message"] for m in bank_file.messages)
    assert not db.session.scalar(select(Bank.retired))


def test_two_files_with_one_bank_id(ctx, questions_dir: Path) -> None:
    (questions_dir / "twin.yaml").write_text(SAMPLE_BANK, encoding="utf-8")
    report = sync(questions_dir)
    assert report.failed == ["twin.yaml"]
    twin = db.session.scalar(select(BankFile).where(BankFile.name == "twin.yaml"))
    assert "already used by sample.yaml" in twin.messages[-1]["message"]


def test_a_new_invalid_file_is_recorded(ctx, questions_dir: Path) -> None:
    (questions_dir / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    report = sync(questions_dir)
    assert report.failed == ["bad.yaml"]
    bad = db.session.scalar(select(BankFile).where(BankFile.name == "bad.yaml"))
    assert bad.status == "error" and bad.bank_id is None and bad.messages


# -- source texts: a change re-checks the banks that cite them -------------------------------
CITING = SAMPLE_BANK.replace("    url: https://example.org/article\n",
                             "    url: https://example.org/article\n    file: art.md\n")
ARTICLE = """\
# An article
By a correspondent.
Preamble paragraph.
A second paragraph.
Belarus's railways (which use Russia’s 1,520mm gauge) resupply the front.
Buses carried bodies through Gomel, Belarus’s second city, at night.
"""


def test_an_edited_source_rechecks_the_banks_that_cite_it(ctx, tmp_path: Path) -> None:
    banks, sources = tmp_path / "banks", tmp_path / "sources"
    banks.mkdir()
    sources.mkdir()
    (banks / "sample.yaml").write_text(CITING, encoding="utf-8")
    (banks / "other.yaml").write_text(
        SAMPLE_BANK.replace("id: sample", "id: other"), encoding="utf-8")
    (sources / "art.md").write_text(ARTICLE, encoding="utf-8")
    first = sync_folder(db.session, banks, sources_dir=sources)
    assert first.failed == [], [f.messages for f in db.session.scalars(select(BankFile))]
    assert sync_folder(db.session, banks, sources_dir=sources).unchanged == [
        "other.yaml", "sample.yaml"]
    # Paragraph 3 loses its quote: the citing bank is checked again and now fails; the
    # bank that cites no source file is left alone.
    (sources / "art.md").write_text(ARTICLE.replace("1,520mm", "1,435mm"), encoding="utf-8")
    report = sync_folder(db.session, banks, sources_dir=sources)
    assert report.failed == ["sample.yaml"] and report.unchanged == ["other.yaml"]
    messages = db.session.scalar(select(BankFile.messages).where(BankFile.name == "sample.yaml"))
    assert any("the quote does not occur in 'art'" in m["message"] for m in messages)
    # Removing the source is a change too: the bank loads again, with a warning naming it.
    (sources / "art.md").unlink()
    report = sync_folder(db.session, banks, sources_dir=sources)
    assert report.loaded == ["sample.yaml"]
    messages = db.session.scalar(select(BankFile.messages).where(BankFile.name == "sample.yaml"))
    assert [m["message"] for m in messages if "art.md" in m["message"]] == [
        f"source file 'art.md' is not in {sources}, so quotes from 'art' are not checked"]
