"""Single choice (one right option) and true/false.

Display shape: the chosen option's key (a string); form field `r`.
Canonical shape: the option id from the bank file (`"a"`); true/false uses a bool.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal, TypeAlias

from pydantic import Field, field_validator

from quizapp.qtypes.base import (
    FormData,
    Markdown,
    Outcome,
    Problem,
    QuestionSpec,
    ResponseError,
    Slug,
    StrictModel,
    display_key,
    shuffled,
)
from quizapp.qtypes.common import (
    InlineText,
    casefold_key,
    check_length,
    fill_option_ids,
    form_value,
    json_text,
    lookup_key,
    reject_unknown_fields,
)

MAX_OPTIONS = 50
FIELD = "r"


class ChoiceOption(StrictModel):
    id: Slug
    text: InlineText
    correct: bool = False
    feedback: Markdown | None = None


class ChoiceFields(StrictModel):
    """The options of a choice; shared by single_choice, multiple_response and cloze blanks."""

    options: tuple[ChoiceOption, ...] = Field(min_length=1, max_length=MAX_OPTIONS)

    @field_validator("options", mode="before")
    @classmethod
    def _default_ids(cls, value: Any) -> Any:
        return fill_option_ids(value)

    # Keys are salted with the question (or blank) so two questions never share them.
    def option_keys(self, seed: int | None, salt: str) -> dict[str, str]:
        return {display_key(seed, f"{salt}:{o.id}"): o.id for o in self.options}

    def option_key(self, option_id: str, seed: int | None, salt: str) -> str:
        return display_key(seed, f"{salt}:{option_id}")

    def options_view(self, seed: int | None, salt: str) -> list[dict[str, str]]:
        return [
            {"key": self.option_key(o.id, seed, salt), "text": o.text}
            for o in shuffled(self.options, seed, salt)
        ]

    def option(self, option_id: Any) -> ChoiceOption:
        if not isinstance(option_id, str):
            raise ResponseError("An option must be given by its id, as text.")
        for option in self.options:
            if option.id == option_id:
                return option
        raise ResponseError(f"There is no option {option_id[:40]!r} in this question.")

    def option_from_text(self, text: str) -> ChoiceOption:
        """A teacher may type an option's id or its text."""
        wanted = casefold_key(check_length(text))
        for option in self.options:
            if option.id == text.strip() or casefold_key(option.text) == wanted:
                return option
        ids = ", ".join(o.id for o in self.options)
        raise ResponseError(f"No option has the id or text {text.strip()[:40]!r}; ids: {ids}.")

    def correct_ids(self) -> list[str]:
        return [o.id for o in self.options if o.correct]

    def correct_texts(self) -> list[str]:
        return [o.text for o in self.options if o.correct]

    def option_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        """The right options' texts with their places (what a choice states as fact)."""
        return [(("options", i, "text"), o.text) for i, o in enumerate(self.options)
                if o.correct]

    def option_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        problems: list[Problem] = []
        seen_ids: set[str] = set()
        seen_texts: set[str] = set()
        for index, option in enumerate(self.options):
            if option.id in seen_ids:
                problems.append(Problem((*loc, index, "id"), f"duplicate option id {option.id!r}"))
            if casefold_key(option.text) in seen_texts:
                problems.append(
                    Problem((*loc, index, "text"), f"duplicate option text {option.text!r}")
                )
            seen_ids.add(option.id)
            seen_texts.add(casefold_key(option.text))
        return problems

    def single_problems(self, loc: tuple[str | int, ...]) -> list[Problem]:
        count = len(self.correct_ids())
        problems = self.option_problems(loc)
        if count == 0:
            problems.append(Problem(loc, "no option is marked correct: true"))
        elif count > 1:
            problems.append(Problem(loc, f"{count} options are correct; exactly one must be"))
        return problems

    def score_choice(self, option_id: Any) -> Outcome:
        option = self.option(option_id)
        feedback = (option.feedback,) if option.feedback else ()
        return Outcome(1.0 if option.correct else 0.0, feedback, reading=option.text)

    def choices_answer_view(self) -> list[dict[str, Any]]:
        return [
            {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
            for o in self.options
        ]


# The canonical response: the chosen option's id from the bank file.
SingleChoiceResponse: TypeAlias = str


class SingleChoice(QuestionSpec[SingleChoiceResponse], ChoiceFields):
    """Pick one option; the right one scores 1, any other 0. Each option may carry feedback."""

    label: ClassVar[str] = "Single choice"
    type: Literal["single_choice"]

    def view(self, seed: int | None) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "field": FIELD,
            "options": self.options_view(seed, self.id),
        }

    def display_response(self, response: SingleChoiceResponse, seed: int | None) -> str:
        return self.option_key(self.option(response).id, seed, self.id)

    def answer_view(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "options": self.choices_answer_view(),
            "answer": [o.text for o in self.options if o.correct],
        }

    def parse_form(self, form: FormData, seed: int | None) -> SingleChoiceResponse:
        reject_unknown_fields(form, {FIELD})
        key = form_value(form, FIELD, "Choose an option.")
        return lookup_key(self.option_keys(seed, self.id), key)

    def parse_json(self, data: Any, seed: int | None) -> SingleChoiceResponse:
        return lookup_key(self.option_keys(seed, self.id), json_text(data))

    def parse_text(self, texts: Sequence[str]) -> SingleChoiceResponse:
        if len(texts) != 1:
            raise ResponseError("Give exactly one option id.")
        return self.option_from_text(texts[0]).id

    def score(self, response: SingleChoiceResponse) -> Outcome:
        return self.score_choice(response)

    def reference_response(self) -> SingleChoiceResponse:
        return self.correct_ids()[0]

    def check(self) -> list[Problem]:
        return self.single_problems(("options",))

    def answer_phrases(self) -> list[tuple[str, ...]]:
        return [(text,) for text in self.correct_texts()]

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [*super().shown_texts(), *self.option_texts()]


TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "right", "vrai"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "wrong", "faux"})


def read_bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise ResponseError("Answer true or false.")
    word = check_length(text).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ResponseError(f"Could not read {text.strip()[:40]!r} as true or false.")


# The canonical response: what the learner said the statement is.
TrueFalseResponse: TypeAlias = bool


class TrueFalse(QuestionSpec[TrueFalseResponse]):
    """Is the statement in the prompt true? Canonical response: a bool."""

    label: ClassVar[str] = "True or false"
    type: Literal["true_false"]
    answer: bool
    feedback_true: Markdown | None = None
    feedback_false: Markdown | None = None

    def view(self, seed: int | None) -> dict[str, Any]:
        # True/false keys reveal nothing, so they stay readable.
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "field": FIELD,
            "options": [{"key": "true", "text": "True"}, {"key": "false", "text": "False"}],
        }

    def display_response(self, response: TrueFalseResponse, seed: int | None) -> str:
        return "true" if self._canonical(response) else "false"

    def answer_view(self) -> dict[str, Any]:
        return {"type": self.type_name, "answer": self.answer,
                "answer_text": "True" if self.answer else "False"}

    def parse_form(self, form: FormData, seed: int | None) -> TrueFalseResponse:
        reject_unknown_fields(form, {FIELD})
        return read_bool(form_value(form, FIELD, "Choose true or false."))

    def parse_json(self, data: Any, seed: int | None) -> TrueFalseResponse:
        return read_bool(data)

    def parse_text(self, texts: Sequence[str]) -> TrueFalseResponse:
        if len(texts) != 1:
            raise ResponseError("Answer true or false.")
        return read_bool(texts[0])

    def score(self, response: TrueFalseResponse) -> Outcome:
        said = self._canonical(response)
        feedback = self.feedback_true if said else self.feedback_false
        return Outcome(
            1.0 if said == self.answer else 0.0,
            (feedback,) if feedback else (),
            reading="true" if said else "false",
        )

    def reference_response(self) -> TrueFalseResponse:
        return self.answer

    @staticmethod
    def _canonical(response: object) -> bool:
        if not isinstance(response, bool):
            raise ResponseError("A true/false response must be true or false.")
        return response
