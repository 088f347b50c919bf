"""Properties every question type keeps, checked on one example of each type.

The reference response scores 1; scores stay in [0, 1]; the display shape round-trips;
every response a type reads has exactly the shape the type declares (`QuestionSpec[R]`);
and garbage of any JSON shape, in forms, canonical responses or typed text, only
ever raises `ResponseError`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from quizapp.qtypes import question_union
from quizapp.qtypes.base import QuestionSpec, ResponseError

EXAMPLES: list[dict[str, Any]] = [
    {"id": "sc", "type": "single_choice", "prompt": "Gauge?", "options": [
        {"text": "1,520 mm", "correct": True, "feedback": "Yes."}, {"text": "1,435 mm"},
        {"text": "1,000 mm"}]},
    {"id": "tf", "type": "true_false", "prompt": "Belarus borders Ukraine.", "answer": True},
    {"id": "mr", "type": "multiple_response", "prompt": "By rail?", "options": [
        {"text": "Ammunition", "correct": True}, {"text": "Fuel", "correct": True},
        {"text": "Fighter jets"}, {"text": "Submarines"}]},
    {"id": "nu", "type": "numeric", "prompt": "Troops?", "answers": [
        {"value": 30000}, {"value": 30000, "tolerance": 5000, "fraction": 0.5},
        {"min": 10000, "max": 50000, "fraction": 0.25}], "units": {"soldiers": 1, "%": 1}},
    {"id": "st", "type": "short_text", "prompt": "City?", "typo_tolerance": True, "answers": [
        {"accept": ["Gomel", "Homel"]}, {"regex": "^city of gomel$"},
        {"accept": ["Minsk"], "fraction": 0, "feedback": "Capital."}]},
    {"id": "ma", "type": "matching", "prompt": "Match", "pairs": [
        {"left": "Bikanau", "right": "Belarus Change Tracker"},
        {"left": "Ferris", "right": "RUSI"}, {"left": "Lukashenko", "right": "President"}],
        "distractors": ["Chatham House"]},
    {"id": "or", "type": "ordering", "prompt": "Order", "items": ["one", "two", "three", "four"]},
    {"id": "cl", "type": "cloze", "prompt": "Fill", "text": "{{g}} mm, {{c}}, {{w}}.", "blanks": {
        "g": {"type": "numeric", "answers": [{"value": 1520}], "units": {"mm": 1, "m": 1000}},
        "c": {"type": "short_text", "answers": [{"accept": ["Gomel"]}]},
        "w": {"type": "choice", "options": [{"text": "Lukashenko", "correct": True},
                                            {"text": "Putin"}]}}},
]
ADAPTER: TypeAdapter[Any] = TypeAdapter(question_union())
SPECS: list[QuestionSpec] = [ADAPTER.validate_python(e) for e in EXAMPLES]
IDS = [s.type_name for s in SPECS]
SEEDS = st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63))
PROPERTY = settings(deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def test_every_type_has_an_example() -> None:
    from quizapp.qtypes import QUESTION_TYPES

    assert set(IDS) == set(QUESTION_TYPES)


def view_strings(view: Any) -> list[str]:
    """Every string in a view: keys, field names, texts: the likeliest near-misses."""
    if isinstance(view, dict):
        return [s for k, v in view.items() for s in (k, *view_strings(v))]
    if isinstance(view, list):
        return [s for v in view for s in view_strings(v)]
    return [view] if isinstance(view, str) else []


leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.just("x" * 5000), st.just("1" * 1500), st.sampled_from(["1,5", "12abc", "", " ", "true"]),
)


def junk(spec: QuestionSpec, seed: int | None) -> st.SearchStrategy[Any]:
    """Any JSON, mixed with real keys and texts from this question's page."""
    near = st.sampled_from(sorted({*view_strings(spec.view(seed)), *view_strings(
        spec.reference_response())}))
    base = st.one_of(leaves, near)
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.lists(inner, max_size=6),
            st.dictionaries(st.one_of(near, st.text(max_size=10)), inner, max_size=6),
        ),
        max_leaves=25,
    )


def assert_only_response_errors(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except ResponseError as exc:
        assert str(exc)
        return None


@cache
def _declared(cls: type[QuestionSpec]) -> TypeAdapter[Any]:
    return TypeAdapter(cls.response_type())


def assert_declared_shape(spec: QuestionSpec, response: Any) -> None:
    """The response is exactly of the type's declared response type R: strict, so a
    tuple is no list, "true" no bool and 3 no str."""
    try:
        _declared(type(spec)).validate_python(response, strict=True)
    except ValidationError as exc:
        declared = type(spec).response_type()
        raise AssertionError(f"{spec.type_name} read {response!r}, not a {declared}") from exc


def read(spec: QuestionSpec, call: Any, *args: Any) -> Any:
    """A reader's response (None when it refused with `ResponseError`), of the declared
    shape and scoring in [0, 1]."""
    response = assert_only_response_errors(call, *args)
    if response is not None:
        assert_declared_shape(spec, response)
        assert 0.0 <= spec.score(response).fraction <= 1.0
    return response


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_shape_check_refuses_another_shape(spec: QuestionSpec) -> None:
    """The check above is no formality: each type's reference answer wrapped in a
    tuple, and a bare number, are refused."""
    for wrong in ((spec.reference_response(),), 3):
        with pytest.raises(AssertionError, match="not a"):
            assert_declared_shape(spec, wrong)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_example_is_clean(spec: QuestionSpec) -> None:
    assert spec.check() == []


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@given(seed=SEEDS)
def test_reference_scores_one_and_round_trips(spec: QuestionSpec, seed: int | None) -> None:
    reference = spec.reference_response()
    assert_declared_shape(spec, reference)
    assert spec.score(reference).fraction == 1.0
    shown = spec.display_response(reference, seed)
    assert spec.parse_json(shown, seed) == reference
    assert spec.score(spec.parse_json(shown, seed)).correct


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@PROPERTY
@given(data=st.data(), seed=SEEDS)
def test_parse_json_garbage(spec: QuestionSpec, data: st.DataObject, seed: int | None) -> None:
    read(spec, spec.parse_json, data.draw(junk(spec, seed)), seed)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@PROPERTY
@given(data=st.data(), seed=SEEDS)
def test_score_garbage(spec: QuestionSpec, data: st.DataObject, seed: int | None) -> None:
    outcome = assert_only_response_errors(spec.score, data.draw(junk(spec, seed)))
    if outcome is not None:
        assert 0.0 <= outcome.fraction <= 1.0
    assert_only_response_errors(spec.display_response, data.draw(junk(spec, seed)), seed)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@PROPERTY
@given(data=st.data(), seed=SEEDS)
def test_parse_form_garbage(spec: QuestionSpec, data: st.DataObject, seed: int | None) -> None:
    strings = sorted(set(view_strings(spec.view(seed))))
    names = st.one_of(st.sampled_from(["r", "r-x", "csrf_token", *strings]),
                      st.sampled_from([f"r-{s}" for s in strings]), st.text(max_size=8))
    values = st.one_of(st.sampled_from(strings), st.text(max_size=20), st.just("x" * 3000),
                       st.sampled_from(["1", "2", "3", "4", "0", "", "1,5"]))
    value_lists = st.one_of(st.lists(values, max_size=3), values, st.integers(), st.none())
    form = data.draw(st.dictionaries(names, value_lists, max_size=8))
    read(spec, spec.parse_form, form, seed)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@given(texts=st.lists(st.text(max_size=40), min_size=0, max_size=3))
def test_parse_text_garbage(spec: QuestionSpec, texts: list[str]) -> None:
    read(spec, spec.parse_text, texts)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@PROPERTY
@given(seed=SEEDS, data=st.data())
def test_valid_display_answers_score_in_range(
    spec: QuestionSpec, seed: int | None, data: st.DataObject
) -> None:
    """Well-formed answers built from the page itself are read and scored."""
    view = spec.view(seed)
    read(spec, spec.parse_json, data.draw(plausible(view)), seed)


def plausible(view: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = view["type"]
    if kind in {"single_choice", "true_false"}:
        return st.sampled_from([o["key"] for o in view["options"]])
    if kind == "multiple_response":
        return st.lists(st.sampled_from([o["key"] for o in view["options"]]), min_size=1,
                        unique=True)
    if kind == "numeric":
        return st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(-(10**9), 10**9),
            st.integers(0, 10**6).map(lambda n: f"{n:,} soldiers"),
        )
    if kind == "short_text":
        return st.text(min_size=1, max_size=20)
    if kind == "matching":
        rights = [r["key"] for r in view["rights"]]
        return st.fixed_dictionaries({x["key"]: st.sampled_from(rights) for x in view["lefts"]})
    if kind == "ordering":
        return st.permutations([x["key"] for x in view["items"]])
    return st.fixed_dictionaries({b["key"]: _blank_value(b) for b in view["blanks"]})


def _blank_value(blank: dict[str, Any]) -> st.SearchStrategy[Any]:
    if blank["kind"] == "choice":
        return st.sampled_from([o["key"] for o in blank["options"]])
    if blank["kind"] == "numeric":
        return st.integers(-5000, 5000)
    return st.text(min_size=1, max_size=10)
