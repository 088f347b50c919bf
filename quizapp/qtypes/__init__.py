"""The question types, listed explicitly: adding a type means adding it to `_TYPES`.

`question_union()` is the discriminated union the bank schema uses for a question;
`get_type(name)` finds a class by its `type:` value.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field

from quizapp.qtypes.base import (
    Outcome,
    PartOutcome,
    Problem,
    QuestionSpec,
    ResponseError,
    display_key,
    shuffled,
)
from quizapp.qtypes.cloze import Cloze
from quizapp.qtypes.matching import Matching
from quizapp.qtypes.multiple_response import MultipleResponse
from quizapp.qtypes.numeric import Numeric
from quizapp.qtypes.ordering import Ordering
from quizapp.qtypes.short_text import ShortText
from quizapp.qtypes.single_choice import SingleChoice, TrueFalse
from quizapp.qtypes.trial import TrialResult, try_responses

_TYPES: tuple[type[QuestionSpec], ...] = (
    SingleChoice,
    TrueFalse,
    MultipleResponse,
    Numeric,
    ShortText,
    Matching,
    Ordering,
    Cloze,
)

QUESTION_TYPES: dict[str, type[QuestionSpec]] = {cls.type_name: cls for cls in _TYPES}


def get_type(name: str) -> type[QuestionSpec]:
    """The class for a `type:` value; `KeyError` naming the known types otherwise."""
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        known = ", ".join(QUESTION_TYPES)
        raise KeyError(f"unknown question type {name!r}; known types: {known}") from None


def question_union() -> Any:
    """`Annotated[Union[...], Field(discriminator="type")]` over every registered type."""
    return Annotated[Union[_TYPES], Field(discriminator="type")]  # noqa: UP007


__all__ = [
    "QUESTION_TYPES",
    "Cloze",
    "Matching",
    "MultipleResponse",
    "Numeric",
    "Ordering",
    "Outcome",
    "PartOutcome",
    "Problem",
    "QuestionSpec",
    "ResponseError",
    "ShortText",
    "SingleChoice",
    "TrialResult",
    "TrueFalse",
    "display_key",
    "get_type",
    "question_union",
    "shuffled",
    "try_responses",
]
