"""Cloze: a passage with blanks written `{{name}}`, each blank a small question.

A blank is a `choice` (options, exactly one right), a `short_text` or a `numeric`,
with that type's answer fields. The score is the mean of the blanks' fractions.

Display shape: `{blank_key: value}` where value is an option key (choice) or the text
typed (a JSON number is accepted for numeric blanks). Form fields `r-<blank_key>`.
Canonical shape: `{blank name: option id | text}` with every blank present.
In the view the passage shows each blank as a numbered gap, `(1) _____`, and the
controls follow it in that order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, ClassVar, Literal, TypeAlias, Union

from pydantic import Field

from quizapp.qtypes.base import (
    FormData,
    Markdown,
    Outcome,
    PartOutcome,
    Problem,
    QuestionSpec,
    ResponseError,
    Slug,
    display_key,
)
from quizapp.qtypes.common import (
    MAX_TEXT,
    check_length,
    form_value,
    json_dict,
    json_number_or_text,
    lookup_key,
    reject_unknown_fields,
)
from quizapp.qtypes.numeric import NumericFields
from quizapp.qtypes.short_text import ShortTextFields
from quizapp.qtypes.single_choice import ChoiceFields

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
Loc = tuple[str | int, ...]


class ChoiceBlank(ChoiceFields):
    type: Literal["choice"]

    def blank_view(self, seed: int | None, salt: str) -> dict[str, Any]:
        return {"kind": "choice", "options": self.options_view(seed, salt)}

    def read_display(self, value: Any, seed: int | None, salt: str) -> str:
        return lookup_key(self.option_keys(seed, salt), value)

    def to_display(self, canonical: Any, seed: int | None, salt: str) -> str:
        return self.option_key(self.option(canonical).id, seed, salt)

    def read_typed(self, text: str) -> str:
        return self.option_from_text(text).id

    def score_blank(self, canonical: Any) -> Outcome:
        return self.score_choice(canonical)

    def reference(self) -> str:
        return self.correct_ids()[0]

    def problems(self, loc: Loc) -> list[Problem]:
        return self.single_problems((*loc, "options"))

    def answer_text(self) -> str:
        return next((o.text for o in self.options if o.correct), "")

    def numbers(self) -> list[float]:
        return []


class TextBlank(ShortTextFields):
    type: Literal["short_text"]

    def blank_view(self, seed: int | None, salt: str) -> dict[str, Any]:
        return {"kind": "short_text", "maxlength": MAX_TEXT}

    def read_display(self, value: Any, seed: int | None, salt: str) -> str:
        return self.read_answer(value)

    def to_display(self, canonical: Any, seed: int | None, salt: str) -> str:
        return self.read_answer(canonical)

    def read_typed(self, text: str) -> str:
        return self.read_answer(text)

    def score_blank(self, canonical: Any) -> Outcome:
        return self.score_answer(canonical)

    def reference(self) -> str:
        return self.reference_answer()

    def problems(self, loc: Loc) -> list[Problem]:
        return self.rule_problems(loc)

    def numbers(self) -> list[float]:
        return []


class NumericBlank(NumericFields):
    type: Literal["numeric"]

    def blank_view(self, seed: int | None, salt: str) -> dict[str, Any]:
        return {"kind": "numeric", "units": list(self.units or {}),
                "unit_required": self.unit_required}

    def read_display(self, value: Any, seed: int | None, salt: str) -> str:
        return self.read_answer(json_number_or_text(value))

    def to_display(self, canonical: Any, seed: int | None, salt: str) -> str:
        return self.read_answer(canonical)

    def read_typed(self, text: str) -> str:
        return self.read_answer(text)

    def score_blank(self, canonical: Any) -> Outcome:
        return self.score_answer(canonical)

    def reference(self) -> str:
        return self.reference_answer()

    def problems(self, loc: Loc) -> list[Problem]:
        return self.rule_problems(loc)

    def answer_text(self) -> str:
        # The passage usually names the unit after the gap, so the number stands alone.
        return self.best_rule().describe(self.plain_numbers)


Blank = Annotated[Union[ChoiceBlank, TextBlank, NumericBlank], Field(discriminator="type")]  # noqa: UP007


# The canonical response: each blank's name (every blank in the text) to its value,
# an option id for a choice blank, the text as typed for text and number blanks.
ClozeResponse: TypeAlias = dict[str, str]


class Cloze(QuestionSpec[ClozeResponse]):
    """Fill the gaps in a passage; fraction = mean of the blanks' fractions."""

    label: ClassVar[str] = "Fill in the blanks"
    type: Literal["cloze"]
    text: Markdown
    blanks: dict[Slug, Blank] = Field(min_length=1, max_length=50)

    # -- structure -------------------------------------------------------------------------
    def placeholders(self) -> list[str]:
        """Placeholder names in order of first appearance."""
        return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(self.text)))

    def active(self) -> list[str]:
        """The blanks that appear in the text, numbered from 1 in this order."""
        return [name for name in self.placeholders() if name in self.blanks]

    def _key(self, name: str, seed: int | None) -> str:
        return display_key(seed, f"{self.id}:blank:{name}")

    def _salt(self, name: str) -> str:
        return f"{self.id}:{name}"

    def _passage(self, fill: dict[str, str]) -> str:
        def replace(match: re.Match[str]) -> str:
            return fill.get(match.group(1), match.group(0))

        return PLACEHOLDER.sub(replace, self.text)

    # -- presentation ------------------------------------------------------------------------
    def view(self, seed: int | None) -> dict[str, Any]:
        names = self.active()
        gaps = {n: f"**({i})** \\_\\_\\_\\_\\_" for i, n in enumerate(names, start=1)}
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "text": self._passage(gaps),
            "blanks": [self._blank_view(n, i, seed) for i, n in enumerate(names, start=1)],
        }

    def _blank_view(self, name: str, number: int, seed: int | None) -> dict[str, Any]:
        key = self._key(name, seed)
        return {
            "key": key,
            "number": number,
            "label": f"Blank {number}",
            "field": f"r-{key}",
            **self.blanks[name].blank_view(seed, self._salt(name)),
        }

    def display_response(self, response: ClozeResponse, seed: int | None) -> dict[str, str]:
        canonical = self._canonical(response)
        return {
            self._key(n, seed): self.blanks[n].to_display(v, seed, self._salt(n))
            for n, v in canonical.items()
        }

    def answer_view(self) -> dict[str, Any]:
        names = self.active()
        answers = {n: self.blanks[n].answer_text() for n in names}
        return {
            "type": self.type_name,
            "text": self._passage({n: f"**{a}**" for n, a in answers.items()}),
            "blanks": [
                {"number": i, "label": f"Blank {i}", "name": n, "answer": answers[n]}
                for i, n in enumerate(names, start=1)
            ],
        }

    # -- reading --------------------------------------------------------------------------------
    def parse_form(self, form: FormData, seed: int | None) -> ClozeResponse:
        names = self.active()
        reject_unknown_fields(form, {f"r-{self._key(n, seed)}" for n in names})
        return {
            name: self.blanks[name].read_display(
                form_value(form, f"r-{self._key(name, seed)}", f"Fill in blank {number}."),
                seed,
                self._salt(name),
            )
            for number, name in enumerate(names, start=1)
        }

    def parse_json(self, data: Any, seed: int | None) -> ClozeResponse:
        answer = json_dict(data)
        keys = {self._key(n, seed): n for n in self.active()}
        response = {}
        for key, value in answer.items():
            name = lookup_key(keys, key, "blank")
            response[name] = self.blanks[name].read_display(value, seed, self._salt(name))
        return self._canonical(response)

    def parse_text(self, texts: Sequence[str]) -> ClozeResponse:
        """`name = value` for each blank, separated by `;` or new lines; a blank may be
        named by its number; a choice blank's value is an option id or its text."""
        names = self.active()
        response: dict[str, str] = {}
        for part in (p for t in texts for p in re.split(r"[;\n]", check_length(t))):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            if not sep:
                raise ResponseError(f"Write each blank as NAME = VALUE, not {part.strip()!r}.")
            name = _blank_name(name.strip(), names)
            response[name] = self.blanks[name].read_typed(value)
        return self._canonical(response)

    # -- scoring -------------------------------------------------------------------------------
    def score(self, response: ClozeResponse) -> Outcome:
        canonical = self._canonical(response)
        names = self.active()
        if not names:
            return Outcome(0.0)
        parts = [self._score_part(i, n, canonical[n]) for i, n in enumerate(names, start=1)]
        return Outcome(
            sum(p.fraction for p in parts) / len(parts),
            tuple(p.feedback for p in parts if p.feedback),
            reading="; ".join(f"({i}) {p.reading}" for i, p in enumerate(parts, start=1)),
            parts=tuple(parts),
        )

    def _score_part(self, number: int, name: str, value: Any) -> PartOutcome:
        outcome = self.blanks[name].score_blank(value)
        return PartOutcome(
            f"Blank {number}", outcome.fraction, outcome.reading, "\n\n".join(outcome.feedback)
        )

    def reference_response(self) -> ClozeResponse:
        return {n: self.blanks[n].reference() for n in self.active()}

    def check(self) -> list[Problem]:
        problems = [
            Problem(("text",), f"placeholder {{{{{name}}}}} has no blank")
            for name in self.placeholders()
            if name not in self.blanks
        ]
        used = set(self.placeholders())
        for name, blank in self.blanks.items():
            if name not in used:
                problems.append(Problem(("blanks", name), f"blank {name!r} has no {{{{{name}}}}}"))
            problems += blank.problems(("blanks", name))
        return problems

    def answer_numbers(self) -> list[float]:
        return [x for n in self.active() for x in self.blanks[n].numbers()]

    def answer_phrases(self) -> list[tuple[str, ...]]:
        phrases: list[tuple[str, ...]] = []
        for name in self.active():
            blank = self.blanks[name]
            if isinstance(blank, ChoiceBlank):
                phrases += [(text,) for text in blank.correct_texts()]
            elif isinstance(blank, TextBlank) and blank.full_marks_texts():
                phrases.append(tuple(blank.full_marks_texts()))
        return phrases

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        shown = [*super().shown_texts(), (("text",), self.text)]
        for name in self.active():
            blank = self.blanks[name]
            if isinstance(blank, ChoiceBlank):
                shown += [(("blanks", name, *loc), text) for loc, text in blank.option_texts()]
        return shown

    def _canonical(self, response: object) -> dict[str, Any]:
        if not isinstance(response, dict):
            raise ResponseError("A fill-in-the-blanks response must give every blank.")
        names = self.active()
        unknown = [k for k in response if k not in names]
        if unknown:
            raise ResponseError(f"There is no blank {str(unknown[0])[:40]!r} in this question.")
        for number, name in enumerate(names, start=1):
            if name not in response:
                raise ResponseError(f"Fill in blank {number}.")
        return {name: response[name] for name in names}


def _blank_name(typed: str, names: list[str]) -> str:
    if re.fullmatch(r"[0-9]{1,4}", typed) and 1 <= int(typed) <= len(names):
        return names[int(typed) - 1]
    if typed in names:
        return typed
    raise ResponseError(f"There is no blank {typed[:40]!r}; blanks: {', '.join(names)}.")
