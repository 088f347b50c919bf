"""Cloze: placeholders, blanks of three kinds, mean score."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.qtypes import Cloze
from quizapp.qtypes.base import ResponseError


def make(text: str, blanks: dict[str, Any]) -> Cloze:
    return Cloze.model_validate(
        {"id": "z", "type": "cloze", "prompt": "Fill the blanks.", "text": text, "blanks": blanks}
    )


BLANKS: dict[str, Any] = {
    "gauge": {"type": "numeric", "answers": [{"value": 1520}], "units": {"mm": 1}},
    "city": {"type": "short_text", "answers": [{"accept": ["Gomel", "Homel"]}],
             "typo_tolerance": True},
    "who": {"type": "choice", "options": [
        {"text": "Mr Lukashenko", "correct": True}, {"text": "Mr Putin", "feedback": "No."}]},
}
PASSAGE = make(
    "Belarus's railways use a {{gauge}} mm gauge; bodies went through {{ city }}, "
    "says {{who}}. Again: {{gauge}}.",
    BLANKS,
)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ({"gauge": "1520", "city": "Gomel", "who": "a"}, 1.0),
        ({"gauge": "1,520 mm", "city": "gomell", "who": "a"}, 1.0),
        ({"gauge": "1435", "city": "Gomel", "who": "a"}, 2 / 3),
        ({"gauge": "1435", "city": "Minsk", "who": "a"}, 1 / 3),
        ({"gauge": "1435", "city": "Minsk", "who": "b"}, 0.0),
    ],
)
def test_scores(response: dict[str, str], fraction: float) -> None:
    outcome = PASSAGE.score(response)
    assert outcome.fraction == pytest.approx(fraction)
    assert [p.label for p in outcome.parts] == ["Blank 1", "Blank 2", "Blank 3"]


def test_feedback_from_blanks() -> None:
    assert PASSAGE.score({"gauge": "1520", "city": "Gomel", "who": "b"}).feedback == ("No.",)


@pytest.mark.parametrize(
    "response",
    [
        None, [], {"gauge": "1520", "city": "Gomel"},
        {"gauge": "1520", "city": "Gomel", "who": "a", "extra": "x"},
        {"gauge": "1,5", "city": "Gomel", "who": "a"},
        {"gauge": "1520", "city": "", "who": "a"},
        {"gauge": "1520", "city": "Gomel", "who": "zz"},
        {"gauge": 1520, "city": "Gomel", "who": "a"},
        {"gauge": "1520", "city": ["Gomel"], "who": "a"},
    ],
)
def test_score_refuses(response: Any) -> None:
    with pytest.raises(ResponseError):
        PASSAGE.score(response)


def test_view() -> None:
    view = PASSAGE.view(2)
    assert [b["kind"] for b in view["blanks"]] == ["numeric", "short_text", "choice"]
    assert "{{" not in view["text"] and "city" not in view["text"]
    assert view["text"].count("**(1)**") == 2
    text = repr(view)
    for secret in ("1520", "Gomel", "'gauge'", "'city'", "'who'", "correct"):
        assert secret not in text


def test_round_trip_display_shape() -> None:
    view = PASSAGE.view(2)
    by_kind = {b["kind"]: b for b in view["blanks"]}
    choice = by_kind["choice"]
    putin = next(o["key"] for o in choice["options"] if o["text"] == "Mr Putin")
    data = {by_kind["numeric"]["key"]: 1520, by_kind["short_text"]["key"]: "Homel",
            choice["key"]: putin}
    canonical = PASSAGE.parse_json(data, 2)
    assert canonical == {"gauge": "1520", "city": "Homel", "who": "b"}
    shown = PASSAGE.display_response(canonical, 2)
    assert shown[choice["key"]] == putin
    form = {b["field"]: [str(v)] for b, v in zip(view["blanks"], shown.values(), strict=True)}
    assert PASSAGE.parse_form(form, 2) == canonical


def test_form_and_json_refuse_garbage() -> None:
    view = PASSAGE.view(2)
    fields = [b["field"] for b in view["blanks"]]
    with pytest.raises(ResponseError, match="blank 2"):
        PASSAGE.parse_form({fields[0]: ["1520"], fields[1]: [""], fields[2]: ["x"]}, 2)
    for data in (None, [], {"kjunk": "1"}, {view["blanks"][0]["key"]: "1520"}):
        with pytest.raises(ResponseError):
            PASSAGE.parse_json(data, 2)


def test_parse_text() -> None:
    assert PASSAGE.parse_text(["gauge=1,520 mm; city = Homel; who=Mr Putin"]) == {
        "gauge": "1,520 mm", "city": "Homel", "who": "b"}
    assert PASSAGE.parse_text(["1=1520", "2=Gomel", "3=a"]) == PASSAGE.reference_response()
    with pytest.raises(ResponseError):
        PASSAGE.parse_text(["gauge 1520"])


def test_check_placeholder_mismatch() -> None:
    spec = make("A {{known}} and {{missing}}.", {
        "known": {"type": "short_text", "answers": [{"accept": ["x"]}]},
        "unused": {"type": "numeric", "answers": [{"value": 1, "min": 0}]},
    })
    problems = spec.check()
    locs = [p.loc for p in problems]
    assert ("text",) in locs
    assert ("blanks", "unused") in locs
    assert ("blanks", "unused", "answers", 0) in locs
    assert PASSAGE.check() == []


def test_check_choice_blank() -> None:
    spec = make("{{x}}", {"x": {"type": "choice", "options": [{"text": "a"}, {"text": "b"}]}})
    assert [p.loc for p in spec.check()] == [("blanks", "x", "options")]


def test_answers() -> None:
    assert PASSAGE.answer_numbers() == [1520.0]
    answer = PASSAGE.answer_view()
    assert [b["answer"] for b in answer["blanks"]] == ["1520", "Gomel", "Mr Lukashenko"]
    assert "**1520** mm" in answer["text"]
