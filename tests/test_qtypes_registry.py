"""The registry, the bank-schema union and `try_responses`."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import typing
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from quizapp import qtypes
from quizapp.qtypes import QUESTION_TYPES, get_type, question_union, try_responses
from quizapp.qtypes.base import QuestionSpec


def defined_types() -> dict[str, type[QuestionSpec]]:
    """Every concrete question type defined in a module of the qtypes package, by name,
    found by walking the package rather than listed again here."""
    found: dict[str, type[QuestionSpec]] = {}
    for module_info in pkgutil.iter_modules(qtypes.__path__):
        module = importlib.import_module(f"{qtypes.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, QuestionSpec)
                    and value.__module__ == module.__name__ and not inspect.isabstract(value)):
                found[value.type_name] = value
    return found


ADAPTER: TypeAdapter[Any] = TypeAdapter(question_union())


def test_registry_lists_every_type() -> None:
    # A type written but left out of `_TYPES` (or registered twice) fails here.
    assert defined_types() == QUESTION_TYPES
    assert len(QUESTION_TYPES) >= 8
    for name, cls in QUESTION_TYPES.items():
        assert cls.type_name == name
        assert cls.label
        assert typing.get_args(cls.model_fields["type"].annotation) == (name,)
        assert issubclass(cls, QuestionSpec)
        assert not getattr(cls, "__abstractmethods__", None)


def test_get_type() -> None:
    assert get_type("numeric").type_name == "numeric"
    with pytest.raises(KeyError, match="known types"):
        get_type("essay")


def test_union_picks_the_class_by_type() -> None:
    spec = ADAPTER.validate_python(
        {"id": "t", "type": "true_false", "prompt": "Belarus borders Poland.", "answer": True}
    )
    assert type(spec) is get_type("true_false")


@pytest.mark.parametrize(
    "data",
    [
        {"id": "t", "type": "essay", "prompt": "p"},
        {"id": "t", "type": "true_false", "prompt": "p", "answer": True, "colour": "red"},
        {"id": "t", "type": "true_false", "prompt": "p"},
        {"id": "T!", "type": "true_false", "prompt": "p", "answer": True},
        {"id": "t", "type": "numeric", "prompt": "p", "answers": [{"value": 1, "tol": 2}]},
        {"id": "t", "type": "numeric", "prompt": "p", "answers": []},
        {"id": "t", "type": "numeric", "prompt": "p", "answers": [{"value": 1}], "units": {"m": 0}},
        {"id": "t", "type": "cloze", "prompt": "p", "text": "{{x}}",
         "blanks": {"x": {"type": "essay"}}},
        {"id": "t", "type": "cloze", "prompt": "p", "text": "{{x}}",
         "blanks": {"x": {"type": "short_text", "answers": [{"accept": ["a"]}], "prompt": "no"}}},
    ],
)
def test_union_refuses(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ADAPTER.validate_python(data)


def test_json_schema_builds() -> None:
    schema = ADAPTER.json_schema()
    assert "oneOf" in json.dumps(schema) or "anyOf" in json.dumps(schema)


TROOPS = ADAPTER.validate_python({
    "id": "troops", "type": "numeric", "prompt": "How many soldiers?",
    "answers": [{"value": 30000, "feedback": "Right."},
                {"value": 30000, "tolerance_percent": 20, "fraction": 0.5}],
    "units": {"soldiers": 1},
})


def test_try_responses() -> None:
    results = try_responses(TROOPS, ["about 30,000 soldiers", "25k", "1,5", "30 km"])
    assert [r.fraction for r in results] == [1.0, 0.5, None, None]
    assert results[0].reading == "about 30,000 soldiers"
    assert results[0].feedback == ("Right.",)
    assert results[0].correct and not results[1].correct
    assert "comma" in (results[2].error or "")
    assert "km" in (results[3].error or "") and "soldiers" in (results[3].error or "")


def test_trial_output_forms() -> None:
    good, bad = try_responses(TROOPS, ["25,000", "ten twenty"])
    assert "read as:  25,000" in good.to_text()
    assert "0.50 (partly right)" in good.to_text()
    assert "could not be read" in bad.to_text()
    for result in (good, bad):
        assert json.loads(json.dumps(result.to_dict()))["text"] == result.text
    assert bad.to_dict()["readable"] is False


def test_trial_parts_for_composite_types() -> None:
    spec = ADAPTER.validate_python({
        "id": "o", "type": "ordering", "prompt": "Order", "items": ["a", "b", "c"]})
    (result,) = try_responses(spec, ["2,1,3"])
    assert result.fraction == pytest.approx(2 / 3)
    cloze = ADAPTER.validate_python({
        "id": "z", "type": "cloze", "prompt": "p", "text": "{{n}} and {{w}}",
        "blanks": {"n": {"type": "numeric", "answers": [{"value": 3}]},
                   "w": {"type": "short_text", "answers": [{"accept": ["x"]}]}}})
    (result,) = try_responses(cloze, ["n=3; w=y"])
    assert [p["fraction"] for p in result.to_dict()["parts"]] == [1.0, 0.0]
    assert "part:" in result.to_text()


def test_each_type_is_named_by_its_literal_alone() -> None:
    from typing import get_args

    from quizapp.qtypes import QUESTION_TYPES

    for name, cls in QUESTION_TYPES.items():
        assert get_args(cls.model_fields["type"].annotation) == (name,) == (cls.type_name,)


def _generic_origin(cls: type) -> Any:
    return (getattr(cls, "__pydantic_generic_metadata__", None) or {}).get("origin")


def test_every_type_declares_its_response_type() -> None:
    """Each type names its canonical response as `QuestionSpec[R]`; the classes pydantic
    makes for `QuestionSpec[str]` and the like stay out of the registry and get no
    `type_name`. (tests/test_qtypes_properties.py checks every reader returns R.)"""
    intermediates: set[type] = set()
    for cls in QUESTION_TYPES.values():
        assert cls.response_type() is not Any, f"{cls.__name__} declares no response type"
        intermediates |= {k for k in cls.__mro__ if _generic_origin(k) is QuestionSpec}
    assert intermediates
    assert not intermediates & set(QUESTION_TYPES.values())
    assert not any("type_name" in vars(k) for k in intermediates)
    assert QuestionSpec.response_type() is Any
