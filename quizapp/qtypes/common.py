"""Pieces several question types share: readers for forms and JSON, and fractions.

Every reader here raises `ResponseError` with a message for the learner and never
anything else, so a type built from them keeps the contract of `base.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from quizapp.qtypes.base import FormData, Problem, ResponseError

# Long enough for any honest answer, short enough that nothing hostile gets stored.
MAX_TEXT = 1_000
MAX_ITEMS = 200

InlineText = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
Fraction = Annotated[float, Field(allow_inf_nan=False)]


# -- forms ------------------------------------------------------------------------
def form_values(form: FormData, name: str) -> list[str]:
    """All values of one field; accepts a plain mapping or a MultiDict-like object."""
    if not isinstance(form, Mapping) and not hasattr(form, "getlist"):
        raise ResponseError("The form could not be read.")
    try:
        raw: Any = form.getlist(name) if hasattr(form, "getlist") else form.get(name)
    except Exception as exc:  # a hostile mapping must not escape as another error
        raise ResponseError("The form could not be read.") from exc
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
        raise ResponseError("The form could not be read.")
    return list(values)


def form_value(form: FormData, name: str, missing: str) -> str:
    """The single value of a field; `missing` is the message when it is absent or blank."""
    values = form_values(form, name)
    if len(values) > 1:
        raise ResponseError("The form sent the same answer field twice.")
    if not values or not values[0].strip():
        raise ResponseError(missing)
    return check_length(values[0])


def form_response_fields(form: FormData) -> list[str]:
    """Names of the answer fields in a form (`r` and `r-...`), skipping csrf and buttons."""
    try:
        names = list(form.keys())
    except Exception as exc:
        raise ResponseError("The form could not be read.") from exc
    if not all(isinstance(n, str) for n in names):
        raise ResponseError("The form could not be read.")
    return [n for n in names if n == "r" or n.startswith("r-")]


def reject_unknown_fields(form: FormData, known: set[str]) -> None:
    unknown = sorted(set(form_response_fields(form)) - known)
    if unknown:
        raise ResponseError(f"The form has an answer field this question lacks: {unknown[0][:40]}")


# -- JSON -------------------------------------------------------------------------
def check_length(text: str, limit: int = MAX_TEXT) -> str:
    if len(text) > limit:
        raise ResponseError(f"The answer is too long ({len(text)} characters; at most {limit}).")
    return text


def json_text(data: Any, what: str = "The answer") -> str:
    """A JSON value that must be a non-blank string."""
    if not isinstance(data, str):
        raise ResponseError(f"{what} must be text.")
    check_length(data)
    if not data.strip():
        raise ResponseError(f"{what} is empty.")
    return data


def json_number_or_text(data: Any) -> str:
    """A number answer may arrive as a JSON number; keep it as the text it stands for."""
    if isinstance(data, bool):
        raise ResponseError("The answer must be a number or text.")
    if isinstance(data, int):
        if abs(data) > 10**30:
            raise ResponseError("The number is too large.")
        return str(data)
    if isinstance(data, float):
        if not math.isfinite(data):
            raise ResponseError("The number is not finite.")
        return repr(data)
    return json_text(data)


def json_list(data: Any, what: str = "The answer") -> list[Any]:
    if not isinstance(data, list):
        raise ResponseError(f"{what} must be a list.")
    if len(data) > MAX_ITEMS:
        raise ResponseError(f"{what} has too many entries.")
    return data


def json_dict(data: Any, what: str = "The answer") -> dict[str, Any]:
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ResponseError(f"{what} must be an object with text keys.")
    if len(data) > MAX_ITEMS:
        raise ResponseError(f"{what} has too many entries.")
    return data


def lookup_key(keys: Mapping[str, str], key: Any, what: str = "option") -> str:
    """The canonical id behind a display key."""
    if not isinstance(key, str):
        raise ResponseError(f"Each {what} must be given by its key, as text.")
    try:
        return keys[key]
    except KeyError:
        raise ResponseError(f"There is no {what} {key[:40]!r} in this question.") from None


def no_duplicates(values: Sequence[str], what: str = "option") -> None:
    if len(set(values)) != len(values):
        raise ResponseError(f"The same {what} is given more than once.")


# -- scoring and authoring ------------------------------------------------------------
def clamp(fraction: float) -> float:
    return min(1.0, max(0.0, fraction))


def check_fraction(fraction: float, loc: tuple[str | int, ...]) -> list[Problem]:
    if 0.0 <= fraction <= 1.0:
        return []
    return [Problem(loc, f"fraction {fraction} is outside 0..1")]


def letter_id(position: int) -> str:
    """Default option ids by position: a..z, then aa, ab..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    head, tail = divmod(position, 26)
    return (letters[head - 1] if head else "") + letters[tail]


def fill_option_ids(value: Any) -> Any:
    """Give options without an `id` the default one; runs before validation."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        return value
    filled: list[Any] = []
    for position, item in enumerate(value):
        if isinstance(item, Mapping) and item.get("id") is None:
            item = {**item, "id": letter_id(position)}
        filled.append(item)
    return filled


def casefold_key(text: str) -> str:
    return " ".join(text.casefold().split())
