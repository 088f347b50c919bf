"""The contract every question type fulfils.

A question type is one pydantic model (its schema in the bank file) whose methods
present it, read responses and score them. Everything here is pure: no Flask, no
database. The web pages, the JSON API, `quizapp try` and the teacher preview all go
through these methods, so a type behaves the same everywhere.

Responses exist in two shapes:

* the *display* shape, what a browser form or an API client sends: option keys are
  opaque tokens that depend on the seed, so nothing in a page gives the answer away;
* the *canonical* shape, stored in the database and scored: option ids from the
  bank file, plain text, numbers. It is plain JSON (str, list, dict, numbers).

`parse_form` and `parse_json` turn the display shape into the canonical one;
`parse_text` reads what a teacher types on the command line; `score` takes a
canonical response. Every reader raises `ResponseError` (never anything else) for
input it cannot read, with a message meant for the learner.

Each type names its canonical shape as the type argument R of `QuestionSpec[R]`
(`class SingleChoice(QuestionSpec[SingleChoiceResponse])`), so the readers return
and `score` takes exactly that shape, and mypy checks it. Code that handles every type
(services, pages, the API) writes plain `QuestionSpec`, which means `QuestionSpec[Any]`.
"""

from __future__ import annotations

import hashlib
import random
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Generic, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import TypeVar

# The one definition of an id in a bank file (bank, quiz, topic, question, option ids);
# banks/errors.py recognises pydantic's complaint about it by this same string.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=64)]
Markdown = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Difficulty = Literal["easy", "medium", "hard"]
# What reading skill a question exercises (docs/question-format.md describes each).
Skill = Literal[
    "recall", "inference", "main_idea", "vocabulary", "evidence", "cause_effect"
]

# A form as the web layer hands it over: every field name with all its values.
FormData = Mapping[str, Sequence[str]]


class StrictModel(BaseModel):
    """Unknown keys are errors: a misspelt field must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(StrictModel):
    source: Slug
    paragraph: int = Field(ge=1, le=10_000)
    quote: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class ResponseError(ValueError):
    """A response that cannot be read. The message is shown to the learner as is."""


@dataclass(frozen=True)
class Problem:
    """A semantic problem a type finds in its own spec (beyond what the schema checks).

    `loc` is the path inside the question, e.g. ("options", 2, "correct"), so the
    linter can point at the right line.
    """

    loc: tuple[str | int, ...]
    message: str
    severity: Literal["error", "warning"] = "error"


# The one threshold for "right": scores are sums of float credits, so a full answer may
# land a hair under 1. Feedback ticks, review ratings and statistics all use this.
CORRECT_FRACTION = 0.999_999


def is_correct(fraction: float) -> bool:
    return fraction >= CORRECT_FRACTION


@dataclass(frozen=True)
class PartOutcome:
    """The result for one part of a composite response (a blank, a pair, an option)."""

    label: str
    fraction: float
    reading: str = ""
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return is_correct(self.fraction)


@dataclass(frozen=True)
class Outcome:
    """What scoring a response produced.

    `fraction` is in [0, 1]. `feedback` holds Markdown strings from the bank (the
    chosen option's or matched rule's feedback). `reading` says in plain words how
    the response was read ("1520 mm", "gomel"), for the learner and `quizapp try`.
    """

    fraction: float
    feedback: tuple[str, ...] = ()
    reading: str = ""
    parts: tuple[PartOutcome, ...] = field(default_factory=tuple)

    @property
    def correct(self) -> bool:
        return is_correct(self.fraction)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction {self.fraction} outside [0, 1]")


def display_key(seed: int | None, item_id: str) -> str:
    """An opaque, stable key for an option or item as shown to one learner."""
    digest = hashlib.blake2s(f"{seed}:{item_id}".encode(), digest_size=5).hexdigest()
    return f"k{digest}"


def shuffled(items: Sequence[Any], seed: int | None, salt: str = "") -> list[Any]:
    """Items in a per-seed random order; `seed=None` keeps the file's order."""
    result = list(items)
    if seed is not None:
        random.Random(f"{seed}:{salt}").shuffle(result)
    return result


# The canonical response of a question type. Its default, Any, is what a bare
# `QuestionSpec` means: callers that handle every type (services, pages, the API, the
# linter) keep writing `QuestionSpec` rather than `QuestionSpec[Any]` everywhere, and
# strict mypy does not ask for a type argument. (`typing.TypeVar` has no `default`
# before Python 3.13, hence typing_extensions.)
R = TypeVar("R", default=Any)


class QuestionSpec(StrictModel, Generic[R]):
    """Fields every question has. Each type subclasses `QuestionSpec[ItsResponse]`
    with `type: Literal[...]`.

    pydantic makes `QuestionSpec[str]` a real intermediate class between a type and
    this one; it has no `Literal` type, so it gets no `type_name` and is never a
    member of the registry or the bank schema's union (those list the types by name).
    """

    # The `type:` value, read from the subclass's `type: Literal[...]`: one definition.
    type_name: ClassVar[str]
    label: ClassVar[str]  # human name, e.g. "Single choice"

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        values = get_args(cls.model_fields["type"].annotation)
        if len(values) == 1 and isinstance(values[0], str):
            cls.type_name = values[0]

    @classmethod
    def response_type(cls) -> Any:
        """The canonical response type R this class declared, e.g. `list[str]`;
        `Any` for a class that declared none."""
        for klass in cls.__mro__:
            metadata = getattr(klass, "__pydantic_generic_metadata__", None)
            if metadata and metadata["origin"] is QuestionSpec:
                return metadata["args"][0]
        return Any

    id: Slug
    type: str
    prompt: Markdown
    explanation: Markdown | None = None
    evidence: Evidence | None = None
    topics: tuple[Slug, ...] = ()
    difficulty: Difficulty = "medium"
    skill: Skill | None = None
    # Never shown in practice, review or mistakes sessions: only exams draw it.
    exam_only: bool = False
    # A first draft (`quizapp draft`) that a teacher has not reviewed: never served.
    draft: bool = False
    # A draft whose wording still copies the article and must be rewritten.
    rewrite: bool = False
    points: float = Field(default=1.0, gt=0, le=1000)

    # -- presentation -------------------------------------------------------------
    def view_id(self, seed: int | None) -> str:
        """The question's id in pages and the API: opaque, since a bank's ids may
        name the answer (`satellite-word`)."""
        return display_key(seed, f"question:{self.id}")

    @abstractmethod
    def view(self, seed: int | None) -> dict[str, Any]:
        """JSON-able data to render the unanswered question. Reveals no answer."""

    @abstractmethod
    def display_response(self, response: R, seed: int | None) -> Any:
        """A canonical response in the display shape, to refill a form."""

    @abstractmethod
    def answer_view(self) -> dict[str, Any]:
        """JSON-able data showing the right answer, for review pages and previews."""

    # -- reading responses --------------------------------------------------------
    @abstractmethod
    def parse_form(self, form: FormData, seed: int | None) -> R:
        """Read a submitted HTML form (display keys) into a canonical response."""

    @abstractmethod
    def parse_json(self, data: Any, seed: int | None) -> R:
        """Read a JSON API body's `response` value (display keys), any JSON type."""

    @abstractmethod
    def parse_text(self, texts: Sequence[str]) -> R:
        """What a teacher types after `quizapp try FILE ID`, with bank-file ids."""

    # -- scoring ------------------------------------------------------------------
    @abstractmethod
    def score(self, response: R) -> Outcome:
        """Score a canonical response; `ResponseError` when it is not one. A stored
        response may be older JSON of another shape, so each type still checks it at
        run time, whatever the annotation says."""

    @abstractmethod
    def reference_response(self) -> R:
        """A canonical response that scores 1.0."""

    # -- authoring ----------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Problems the schema cannot express (no correct option, empty range...)."""
        return []

    def answer_numbers(self) -> list[float]:
        """Numbers that make up the answer, for grounding against the evidence quote."""
        return []

    def answer_phrases(self) -> list[tuple[str, ...]]:
        """The words that make up the answer, each part with its accepted spellings
        (a right option's text; the full-marks spellings of a typed answer), so the
        linter can find them printed in another question of the same quiz."""
        return []

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(location, text) of what a learner reads before answering that may state a fact.

        A wrong option is left out: being listed as a choice gives nothing away."""
        return [(("prompt",), self.prompt)]
