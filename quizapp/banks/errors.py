"""Pydantic's validation errors, told the way a teacher understands them.

pydantic says "Input should be a valid number, unable to parse string as a number";
a teacher should read "`points` must be a number greater than 0, got 'ten'". To say
that, each error's location is walked through the models to find the field it is
about, its constraints and, for an unknown key, the keys that would have been known.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from quizapp.banks.schema import BankFile
from quizapp.qtypes import QUESTION_TYPES
from quizapp.qtypes.base import SLUG_PATTERN

# Words teachers reach for that the format spells differently.
SYNONYMS: dict[str, str] = {
    "choices": "options", "answer_options": "options", "question": "prompt",
    "stem": "prompt", "explain": "explanation", "rationale": "explanation",
    "tags": "topics", "topic": "topics", "level": "difficulty", "score": "points",
    "marks": "points", "kind": "type", "correct_answer": "answer", "name": "title",
    "source": "evidence", "quote": "evidence", "lang": "language",
}


# -- walking a location through the models ------------------------------------------
@dataclass
class Place:
    """What an error location points at in the schema."""

    model: type[BaseModel] | None = None  # the model whose field was reached last
    field: str | None = None  # that field's name
    annotation: Any = None  # the type of the value at the location
    constraints: list[Any] = dataclasses.field(default_factory=list)
    item: int | None = None  # set when the location ends on a list entry
    name: str | None = None  # set when it ends on a name of a mapping (`units: {mm: 1}`)
    is_name: bool = False  # the error is about the name itself, not its value


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _unwrap(annotation: Any, constraints: list[Any]) -> Any:
    """Strip Annotated and Optional, collecting the constraints on the way."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                constraints.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _member_by_tag(union: Any, tag: str) -> Any:
    """The member of a discriminated union whose Literal field holds `tag`."""
    for member in get_args(union):
        if not _is_model(member):
            continue
        for info in member.model_fields.values():
            if get_origin(info.annotation) is Literal and tag in get_args(info.annotation):
                return member
    return None


def _step(place: Place, annotation: Any, part: str | int) -> Any:
    """The annotation one location part further in, or None to skip the part."""
    if part == "[key]":  # pydantic's mark for an error in a mapping's name, not its value
        place.is_name = True
        return None
    if _is_model(annotation):
        if isinstance(part, str) and part in annotation.model_fields:
            info = annotation.model_fields[part]
            place.model, place.field, place.item, place.name = annotation, part, None, None
            place.constraints = list(info.metadata)
            return info.annotation
        return None
    origin = get_origin(annotation)
    if origin in (tuple, list, set, frozenset) and type(part) is int:
        place.item = part
        return get_args(annotation)[0]
    if origin is dict and isinstance(part, str):
        place.name = part
        return get_args(annotation)[1]
    if origin in (Union, types.UnionType) and isinstance(part, str):
        return _member_by_tag(annotation, part)
    return None


def place_of(loc: Sequence[str | int], root: Any = BankFile) -> Place:
    """Follow `loc` through the models; parts that lead nowhere are skipped."""
    place = Place()
    annotation = root
    for part in loc:
        constraints = place.constraints
        annotation_here = _unwrap(annotation, constraints)
        following = _step(place, annotation_here, part)
        annotation = annotation_here if following is None else following
    place.annotation = _unwrap(annotation, place.constraints)
    return place


def known_keys(loc: Sequence[str | int]) -> list[str]:
    """The keys the model at `loc` accepts (empty when `loc` is not a model)."""
    annotation = place_of(loc).annotation
    return list(annotation.model_fields) if _is_model(annotation) else []


# -- describing values ----------------------------------------------------------------
def shown(value: Any) -> str:
    """A value as a teacher wrote it, short."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__


def did_you_mean(word: str, candidates: Sequence[str]) -> str | None:
    if word in SYNONYMS and SYNONYMS[word] in candidates:
        return f"did you mean '{SYNONYMS[word]}'?"
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def slug_suggestion(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    slug = re.sub(r"[^a-z0-9_-]+", "-", value.strip().lower()).strip("-_")[:64]
    return f"did you mean '{slug}'?" if re.match(SLUG_PATTERN, slug) else None


def _bounds(constraints: Sequence[Any]) -> str:
    """'greater than 0', 'from 0 to 100', 'at most 1000'..."""
    low = high = None
    for item in constraints:
        for name in ("gt", "ge"):
            if getattr(item, name, None) is not None:
                low = (name, getattr(item, name))
        for name in ("lt", "le"):
            if getattr(item, name, None) is not None:
                high = (name, getattr(item, name))
    if low and high and low[0] == "ge" and high[0] == "le":
        return f"from {shown(low[1])} to {shown(high[1])}"
    words = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}
    parts = [f"{words[pair[0]]} {shown(pair[1])}" for pair in (low, high) if pair]
    return " and ".join(parts)


def _number_phrase(kind: str, constraints: Sequence[Any]) -> str:
    bounds = _bounds(constraints)
    return f"{kind} {bounds}" if bounds else kind


# -- the translation ------------------------------------------------------------------
@dataclass(frozen=True)
class Friendly:
    loc: tuple[str | int, ...]  # where to point
    message: str
    hint: str | None = None
    at_key: bool = False  # point at the key itself rather than its value


def _subject(place: Place, loc: Sequence[str | int]) -> str:
    name = place.field or next((p for p in reversed(loc) if isinstance(p, str)), None)
    if name is None:
        return "the bank file"
    if place.is_name:
        return f"the name '{place.name}' in `{name}`"
    if place.name is not None:
        return f"`{place.name}` in `{name}`"
    if place.item is not None:
        return f"entry {place.item + 1} of `{name}`"
    return f"`{name}`"


def _type_names(ctx: dict[str, Any]) -> list[str]:
    return re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))


def _unknown_tag(loc: tuple[str | int, ...], ctx: dict[str, Any]) -> Friendly:
    tag = str(ctx.get("tag", ""))
    known = _type_names(ctx) or list(QUESTION_TYPES)
    what = "blank type" if "blanks" in loc else "question type"
    return Friendly((*loc, "type"), f"unknown {what} '{tag}'; the types are: {', '.join(known)}",
                    did_you_mean(tag, known))


def _missing_tag(loc: tuple[str | int, ...], ctx: dict[str, Any]) -> Friendly:
    known = _type_names(ctx) or list(QUESTION_TYPES)
    what = "blank" if "blanks" in loc else "question"
    return Friendly(loc, f"the {what} has no `type`; it must be one of: {', '.join(known)}")


def _unknown_key(loc: tuple[str | int, ...]) -> Friendly:
    key = str(loc[-1])
    known = known_keys(loc[:-1])
    hint = did_you_mean(key, known)
    owners = [name for name, cls in QUESTION_TYPES.items() if key in cls.model_fields]
    if owners and "prompt" in known:
        # A field of another question type: the type is more likely wrong than the key.
        hint = f"`{key}` belongs to {', '.join(owners)} questions"
    elif hint is None and known:
        hint = "the fields here are: " + ", ".join(known)
    return Friendly(loc, f"unknown field `{key}`", hint, at_key=True)


def _missing(loc: tuple[str | int, ...]) -> Friendly:
    return Friendly(loc[:-1], f"`{loc[-1]}` is missing", f"add `{loc[-1]}:`")


def _pattern(subject: str, place: Place, value: Any, ctx: dict[str, Any]) -> Friendly | None:
    pattern = str(ctx.get("pattern", ""))
    if pattern == SLUG_PATTERN:
        return Friendly((), f"{subject} must be a short id of lowercase letters, digits, '-' "
                        f"and '_' (at most 64), got {shown(value)}", slug_suggestion(value))
    described = {
        "language": "a language tag such as en, en-GB or fr",
        "url": "a web address starting with http:// or https://",
        "file": "a plain file name such as article.md, without folders",
    }
    if place.field in described:
        return Friendly((), f"{subject} must be {described[place.field]}, got {shown(value)}")
    return None


def _text_hint(value: Any) -> str | None:
    if isinstance(value, bool | int | float):
        return f'put it in quotes to make it text: "{shown(value)}"'
    return None


def _number_hint(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[-+]?\d{1,3}([, ]\d{3})+(\.\d+)?", value.strip()):
        return f"write numbers without thousands separators: {re.sub(r'[, ]', '', value)}"
    if isinstance(value, str) and re.search(r"\d", value):
        return "write the number alone; units go under `units:`"
    return None


def _list_hint(value: Any) -> str | None:
    if isinstance(value, str | int | float):
        return f"write a list: [{value}], or one '- {value}' line per entry"
    return None


@dataclass(frozen=True)
class _Error:
    """One pydantic error with what is known about its place, for the templates below."""

    kind: str
    subject: str
    place: Place
    value: Any
    ctx: dict[str, Any]

    @property
    def got(self) -> str:
        return f", got {shown(self.value)}"


def _number(e: _Error) -> Friendly:
    whole = e.kind.startswith("int") or e.place.annotation is int
    noun = "a whole number" if whole else "a number"
    bounds = _number_phrase(noun, [*e.place.constraints, _Bound(e.ctx)])
    return Friendly((), f"{e.subject} must be {bounds}{e.got}", _number_hint(e.value))


def _too_long_text(e: _Error) -> Friendly:
    return Friendly((), f"{e.subject} is too long: {len(str(e.value)):,} characters, "
                    f"at most {e.ctx.get('max_length')}")


def _one_of(e: _Error) -> Friendly:
    options = re.findall(r"'([^']*)'", str(e.ctx.get("expected", "")))
    return Friendly((), f"{e.subject} must be one of {', '.join(options)}{e.got}",
                    did_you_mean(str(e.value), options))


def _too_few(e: _Error) -> Friendly:
    least = e.ctx.get("min_length", 1)
    entries = "an entry" if least == 1 else f"at least {least} entries"
    return Friendly((), f"{e.subject} needs {entries}")


def _too_many(e: _Error) -> Friendly:
    return Friendly((), f"{e.subject} has {e.ctx.get('actual_length')} entries, "
                    f"at most {e.ctx.get('max_length')}")


def _group(e: _Error) -> Friendly:
    keys = known_keys_of(e.place.annotation)
    shape = f" ({', '.join(k + ':' for k in keys[:4])} ...)" if keys else ""
    return Friendly((), f"{e.subject} must be a group of fields{shape}{e.got}")


_NUMBER_KINDS = ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float",
                 "greater_than", "greater_than_equal", "less_than", "less_than_equal",
                 "finite_number")
_TEMPLATES: dict[str, Callable[[_Error], Friendly]] = {
    **dict.fromkeys(_NUMBER_KINDS, _number),
    **dict.fromkeys(("bool_parsing", "bool_type"), lambda e: Friendly(
        (), f"{e.subject} must be true or false{e.got}")),
    "string_type": lambda e: Friendly((), f"{e.subject} must be text{e.got}",
                                      _text_hint(e.value)),
    "string_too_short": lambda e: Friendly((), f"{e.subject} must not be empty"),
    "string_too_long": _too_long_text,
    "literal_error": _one_of,
    **dict.fromkeys(("list_type", "tuple_type", "set_type"), lambda e: Friendly(
        (), f"{e.subject} must be a list{e.got}", _list_hint(e.value))),
    "too_short": _too_few,
    "too_long": _too_many,
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type"), _group),
    **dict.fromkeys(("date_type", "date_parsing", "date_from_datetime_parsing",
                     "date_from_datetime_inexact"), lambda e: Friendly(
        (), f"{e.subject} must be a date written as YYYY-MM-DD{e.got}")),
}


@dataclass(frozen=True)
class _Bound:
    """The limits pydantic names in an error's context, read like a constraint."""

    ctx: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name in ("gt", "ge", "lt", "le"):
            return self.ctx.get(name)
        raise AttributeError(name)


def known_keys_of(annotation: Any) -> list[str]:
    """A model's fields; for a union of models (a question), the fields all share."""
    if _is_model(annotation):
        return list(annotation.model_fields)
    members = [m for m in get_args(annotation) if _is_model(m)]
    if not members:
        return []
    return [k for k in members[0].model_fields if all(k in m.model_fields for m in members)]


def _custom(message: str) -> str:
    # Messages from validators arrive as "Value error, <text>".
    return re.sub(r"^(Value|Assertion) error, ", "", message)


def relevant(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Drop "needs at least 1 entry" for a list whose entries have errors of their own:
    pydantic counts only the entries that validated, so the list looks empty."""
    locs = [tuple(e["loc"]) for e in errors]

    def echoed(error: Mapping[str, Any]) -> bool:
        loc = tuple(error["loc"])
        return error["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        )

    return [e for e in errors if not echoed(e)]


def translate(error: Mapping[str, Any]) -> Friendly:
    """One pydantic error (from `ValidationError.errors()`) in teacher language."""
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "union_tag_invalid":
        return _unknown_tag(loc, ctx)
    if kind == "union_tag_not_found":
        return _missing_tag(loc, ctx)
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "missing":
        return _missing(loc)
    place = place_of(loc)
    subject = _subject(place, loc)
    if kind == "string_pattern_mismatch":
        friendly = _pattern(subject, place, value, ctx)
        if friendly is not None:
            return Friendly(loc, friendly.message, friendly.hint, place.is_name)
    template = _TEMPLATES.get(kind)
    if template is not None:
        friendly = template(_Error(kind, subject, place, value, ctx))
        return Friendly(loc, friendly.message, friendly.hint, place.is_name)
    text = _custom(str(error.get("msg", "is not valid")))
    return Friendly(loc, f"{subject}: {text[:1].lower()}{text[1:]}")

