"""The Jinja macros: accessible controls, no inline script or style, no answer leaks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pydantic import TypeAdapter

from quizapp.markdown import render_inline, render_markdown
from quizapp.qtypes import QUESTION_TYPES, question_union
from quizapp.qtypes.base import QuestionSpec

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ADAPTER: TypeAdapter[Any] = TypeAdapter(question_union())


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined)
    env.filters["markdown"] = lambda text: Markup(render_markdown(text))
    env.filters["inline_markdown"] = lambda text: Markup(render_inline(text))
    return env


ENV = environment()


def render(macro: str, spec: QuestionSpec, *args: Any, **kwargs: Any) -> str:
    module = ENV.get_template(f"qtypes/{spec.type_name}.html").module
    return str(getattr(module, macro)(*args, **kwargs))


# Each example carries the secrets that must stay out of the unanswered page.
CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({"id": "sc", "type": "single_choice", "prompt": "Which gauge does Belarus use?",
      "options": [{"id": "opt-right", "text": "Russian gauge", "correct": True,
                   "feedback": "FEEDBACK-RIGHT"},
                  {"id": "opt-wrong", "text": "Standard gauge", "feedback": "FEEDBACK-WRONG"}]},
     ["opt-right", "opt-wrong", "FEEDBACK"]),
    ({"id": "tf", "type": "true_false", "prompt": "Belarus borders Ukraine.", "answer": True,
      "feedback_true": "FEEDBACK-T", "feedback_false": "FEEDBACK-F"},
     ["FEEDBACK"]),
    ({"id": "mr", "type": "multiple_response", "prompt": "Sent by rail?",
      "options": [{"id": "opt-ammo", "text": "Ammunition", "correct": True},
                  {"id": "opt-jets", "text": "Jets", "feedback": "FEEDBACK-JETS"}]},
     ["opt-ammo", "opt-jets", "FEEDBACK"]),
    ({"id": "nu", "type": "numeric", "prompt": "How wide is the gauge?",
      "answers": [{"value": 1520, "feedback": "FEEDBACK-N"}, {"min": 1400, "max": 1600,
                                                             "fraction": 0.5}],
      "units": {"mm": 1, "m": 1000}},
     ["1520", "1,520", "1400", "1600", "FEEDBACK"]),
    ({"id": "st", "type": "short_text", "prompt": "Which city?",
      "answers": [{"accept": ["Gomel", "Homel"], "feedback": "FEEDBACK-S"},
                  {"regex": "^zzcity$"}]},
     ["Gomel", "Homel", "zzcity", "FEEDBACK"]),
    ({"id": "ma", "type": "matching", "prompt": "Match each person.",
      "pairs": [{"left": "Bikanau", "right": "Tracker"}, {"left": "Ferris", "right": "RUSI"},
                {"left": "Lukashenko", "right": "President"}],
      "distractors": ["Chatham"]},
     []),
    ({"id": "or", "type": "ordering", "prompt": "Put these in order.",
      "items": ["First event", "Second event", "Third event"]},
     []),
    ({"id": "cl", "type": "cloze", "prompt": "Fill the gaps.",
      "text": "The gauge is {{secret-gauge}} mm, via {{secret-city}}, said {{secret-who}}.",
      "blanks": {
          "secret-gauge": {"type": "numeric", "answers": [{"value": 1520}], "units": {"mm": 1}},
          "secret-city": {"type": "short_text", "answers": [{"accept": ["Gomel"]}]},
          "secret-who": {"type": "choice", "options": [
              {"id": "opt-luka", "text": "Lukashenko", "correct": True},
              {"id": "opt-putin", "text": "Putin"}]}}},
     ["secret-", "1520", "Gomel", "opt-luka", "opt-putin", "{{"]),
]
SPECS = [(ADAPTER.validate_python(data), secrets) for data, secrets in CASES]
IDS = [spec.type_name for spec, _ in SPECS]


def test_one_template_per_type() -> None:
    assert {p.stem for p in (TEMPLATES / "qtypes").glob("*.html")} >= set(QUESTION_TYPES)
    assert set(IDS) == set(QUESTION_TYPES)


@pytest.mark.parametrize(("spec", "secrets"), SPECS, ids=IDS)
@pytest.mark.parametrize("seed", [None, 11])
def test_unanswered_field_leaks_nothing(spec: QuestionSpec, secrets: list[str],
                                        seed: int | None) -> None:
    html = render("field", spec, spec.view(seed))
    assert "correct" not in html.lower()
    for secret in secrets:
        assert secret not in html, secret
    assert "checked" not in html and "selected" not in html


@pytest.mark.parametrize(("spec", "secrets"), SPECS, ids=IDS)
def test_field_is_accessible_and_csp_safe(spec: QuestionSpec, secrets: list[str]) -> None:
    html = render("field", spec, spec.view(3))
    assert "<fieldset" in html and "<legend>" in html
    assert spec.prompt in html
    assert not re.search(r"<script|\sstyle=|\son[a-z]+=|javascript:", html, re.IGNORECASE)
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    assert controls
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    for control in controls:
        control_id = re.search(r'\sid="([^"]+)"', control)
        assert control_id and control_id.group(1) in labels, control
        name = re.search(r'\sname="([^"]+)"', control)
        assert name and (name.group(1) == "r" or name.group(1).startswith("r-"))


def test_matching_rights_not_in_pair_order() -> None:
    spec = next(s for s, _ in SPECS if s.type_name == "matching")
    html = render("field", spec, spec.view(None))
    first_select = html.split("</select>")[0]
    shown = re.findall(r">(Tracker|RUSI|President|Chatham)<", first_select)
    assert shown[:3] != ["Tracker", "RUSI", "President"]


def test_ordering_items_not_in_answer_order() -> None:
    spec = next(s for s, _ in SPECS if s.type_name == "ordering")
    html = render("field", spec, spec.view(None))
    order = re.findall(r"(First|Second|Third) event", html)
    assert order != ["First", "Second", "Third"]


@pytest.mark.parametrize(("spec", "secrets"), SPECS, ids=IDS)
def test_field_refills_from_current(spec: QuestionSpec, secrets: list[str]) -> None:
    current = spec.display_response(spec.reference_response(), 3)
    html = render("field", spec, spec.view(3), current, disabled=True)
    assert "disabled" in html
    if spec.type_name in {"numeric", "short_text"}:
        assert f'value="{current}"' in html
    elif spec.type_name == "cloze":
        assert 'value="1520"' in html and 'value="Gomel"' in html and " selected" in html
    elif spec.type_name == "ordering":
        assert html.count(" selected") == len(current)
    else:
        assert " checked" in html or " selected" in html


@pytest.mark.parametrize(("spec", "secrets"), SPECS, ids=IDS)
def test_answer_macro_shows_the_answer(spec: QuestionSpec, secrets: list[str]) -> None:
    html = render("answer", spec, spec.answer_view())
    expected = {
        "single_choice": "Russian gauge", "true_false": "true", "multiple_response": "Ammunition",
        "numeric": "1520 mm", "short_text": "Gomel", "matching": "Tracker",
        "ordering": "First event", "cloze": "Lukashenko",
    }[spec.type_name]
    assert expected in html
    assert not re.search(r"<script|\sstyle=", html)


def test_markup_in_prompts_and_options_is_made_safe() -> None:
    spec = ADAPTER.validate_python({
        "id": "x", "type": "single_choice", "prompt": "Pick <script>alert(1)</script> *one*",
        "options": [{"text": "<img src=x onerror=alert(1)> **bold**", "correct": True},
                    {"text": "other"}]})
    html = render("field", spec, spec.view(1))
    assert "<script" not in html and "<img" not in html
    assert "<em>one</em>" in html and "<strong>bold</strong>" in html
