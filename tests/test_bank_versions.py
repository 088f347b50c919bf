"""Accepting a response rewrites the bank text and keeps its layout; diffs and versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.banks.loader import load_bank_text
from quizapp.extensions import db
from quizapp.models import BankVersion
from quizapp.services.bank_versions import (
    RETIRED_DIR,
    VersionError,
    accept_response,
    editable_path,
    line_diff,
    record_version,
)

BANK = """\
id: accepting
title: Accepting
quizzes:
  - {id: q, title: Q}
questions:
  # Short text first.
  - id: city
    type: short_text
    prompt: Second city?
    answers:
      - accept: [Gomel]   # official
      - accept: [Minsk]
        fraction: 0
  - id: gauge
    type: numeric
    prompt: How wide?
    answers:
      - value: 1520
    units: {mm: 1, m: 1000}
  - id: gap
    type: cloze
    prompt: Fill it.
    text: "The {{town}} line."
    blanks:
      town:
        type: short_text
        answers:
          - accept: [Gomel]
  - id: pick
    type: single_choice
    prompt: Pick.
    options:
      - {id: a, text: A, correct: true}
      - {id: b, text: B}
"""


def loads_cleanly(text: str) -> bool:
    loaded = load_bank_text("accepting.yaml", text.encode())
    return loaded.bank is not None and not any(m.is_error for m in loaded.messages)


def changed_lines(old: str, new: str) -> list[str]:
    diff, _added, _removed = line_diff(old, new, "f")
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in
            ("+++", "---")]


def test_short_text_keeps_comments_and_layout() -> None:
    result = accept_response(BANK, "city", "homel")
    assert changed_lines(BANK, result.text) == [
        "-      - accept: [Gomel]   # official", "+      - accept: [Gomel, homel] # official"]
    assert "# Short text first." in result.text
    assert "'homel'" in result.summary and loads_cleanly(result.text)


def test_numbers_add_a_right_value() -> None:
    result = accept_response(BANK, "gauge", "1.52 m", number=1520.5)
    assert changed_lines(BANK, result.text) == ["+      - value: 1520.5"]
    assert loads_cleanly(result.text)


def test_cloze_blanks() -> None:
    result = accept_response(BANK, "gap", "homel", blank="town")
    assert "- accept: [Gomel, homel]" in result.text and loads_cleanly(result.text)


@pytest.mark.parametrize(("question", "value", "kwargs", "status"), [
    ("nope", "x", {}, 404),
    ("pick", "x", {}, 422),
    ("city", "Gomel", {}, 409),
    ("gap", "x", {"blank": "nope"}, 404),
    ("gauge", "wide", {}, 422),
])
def test_refusals(question: str, value: str, kwargs: dict[str, str], status: int) -> None:
    with pytest.raises(VersionError) as raised:
        accept_response(BANK, question, value, **kwargs)  # type: ignore[arg-type]
    assert raised.value.status == status and raised.value.message


def test_unparsable_text_is_refused() -> None:
    with pytest.raises(VersionError):
        accept_response("questions: [unclosed", "city", "x")


def test_versions_record_only_changes(app: Flask) -> None:
    with app.app_context():
        first = record_version(db.session, "f.yaml", b"a\nb\n", bank_slug="f", action="upload",
                               user_id=None)
        same = record_version(db.session, "f.yaml", b"a\nb\n", bank_slug="f", action="sync",
                              user_id=None)
        second = record_version(db.session, "f.yaml", b"a\nc\n", bank_slug="f", action="edit",
                                user_id=None)
        db.session.commit()
        assert first is not None and same is None and second is not None
        assert (second.lines_added, second.lines_removed) == (1, 1)
        assert "-b\n+c\n" in second.diff
        assert db.session.scalar(select(func.count(BankVersion.id))) == 2
        with pytest.raises(ValueError):
            record_version(db.session, "f.yaml", b"x", bank_slug="f", action="bogus",
                           user_id=None)


def test_a_file_retired_while_it_is_looked_for_is_reported_retired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request's retire may move the file aside at any moment: whenever it does,
    the file is found in service or aside, never in neither place."""
    (tmp_path / RETIRED_DIR).mkdir()
    live = tmp_path / "bank.yaml"
    live.write_text("id: bank\n", encoding="utf-8")
    looks = {"is_file": Path.is_file, "exists": Path.exists}

    def moved_after_first_look(name: str):  # type: ignore[no-untyped-def]
        def look(path: Path) -> bool:
            seen = looks[name](path)
            if path == live and seen:
                live.rename(tmp_path / RETIRED_DIR / live.name)  # the other request
            return seen
        return look

    for name in looks:
        monkeypatch.setattr(Path, name, moved_after_first_look(name))
    try:
        found = editable_path(tmp_path, None, "bank.yaml")
    except VersionError as error:
        assert error.status == 409 and "retired" in error.message
    else:
        assert found == live  # found in service: the retire's own rename then refuses
