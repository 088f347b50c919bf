"""No bundled question gives its answer away before it is answered.

Every question of the bundled banks is rendered unanswered exactly as the quiz page
renders it (the app's own template environment and filters), for two seeds, and the
page is searched for anything that would reveal the right answer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask, render_template_string
from helpers import REPO_ROOT
from htmlform import controls

from quizapp.banks.loader import load_folder
from quizapp.qtypes.base import QuestionSpec

BANKS = load_folder(REPO_ROOT / "questions")
QUESTIONS = [q for loaded in BANKS if loaded.bank for q in loaded.bank.questions]
PAGE = (
    '{% import "qtypes/" ~ spec.type ~ ".html" as qtype %}'
    "{{ qtype.field(view, None) }}"
)


def number_forms(value: float) -> set[str]:
    if value != int(value):
        return {repr(value)}
    whole = int(value)
    forms = {str(whole)}
    if abs(whole) >= 1000:
        forms |= {f"{whole:,}", f"{whole:,}".replace(",", " ")}
    return forms


def secrets_of(data: dict[str, Any]) -> set[str]:
    """Strings that only the answer data holds: feedback, accepted texts, values."""
    found: set[str] = set()
    for option in data.get("options") or ():
        if option.get("feedback"):
            found.add(option["feedback"])
    for answer in data.get("answers") or ():
        if answer.get("feedback"):
            found.add(answer["feedback"])
        if answer.get("fraction", 1) <= 0:
            continue  # a listed wrong answer may well appear in the question
        found.update(text for text in answer.get("accept") or () if len(text) > 3)
        for key in ("value", "min", "max"):
            if isinstance(answer.get(key), (int, float)) and abs(answer[key]) >= 10:
                found |= number_forms(answer[key])
    for key in ("feedback_true", "feedback_false"):
        if data.get(key):
            found.add(data[key])
    for blank in (data.get("blanks") or {}).values():
        found |= secrets_of(blank)
    return found


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture(scope="module")
def page_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from quizapp import create_app

    return create_app({"INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
                       "TESTING": True})


def render(app: Flask, spec: QuestionSpec, seed: int | None) -> str:
    with app.test_request_context():
        return render_template_string(PAGE, spec=spec, view=spec.view(seed))


def test_the_bundled_banks_load() -> None:
    assert QUESTIONS, "no bundled questions"
    assert all(loaded.bank is not None for loaded in BANKS)


@pytest.mark.parametrize("spec", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_an_unanswered_question_reveals_nothing(page_app: Flask, spec: QuestionSpec) -> None:
    data = spec.model_dump(mode="json")
    for seed in (1234, 98765):
        html = render(page_app, spec, seed)
        assert "correct" not in html.lower()
        assert "checked" not in html and "selected" not in html
        for secret in secrets_of(data):
            pattern = rf"(?<![\w,.]){re.escape(secret)}(?![\w,])"
            assert not re.search(pattern, html, re.IGNORECASE), secret
        ids = {o.get("id") for o in data.get("options") or ()}
        for blank in (data.get("blanks") or {}).values():
            ids |= {o.get("id") for o in blank.get("options") or ()}
        values = {c.value for c in controls(html) if c.tag == "input"}
        assert not values & ids, "option ids from the file appear in the page"
        text = visible_text(html)
        if spec.type == "ordering" and len(data["items"]) >= 3:
            positions = [text.find(item) for item in data["items"]]
            assert positions != sorted(positions), "items are shown in the right order"
        if spec.type == "matching" and len(data["pairs"]) >= 3:
            rights = [pair["right"] for pair in data["pairs"]]
            select_options = [c.options for c in controls(html) if c.tag == "select"]
            shown = [text for value, text in select_options[0] if value]
            assert [r for r in shown if r in rights] != rights, "rights in pair order"
