"""Multiple response: tick every right option.

Display shape: a list of option keys; form field `r`, once per ticked box.
Canonical shape: the chosen option ids, in file order, each once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal, TypeAlias

from quizapp.qtypes.base import FormData, Outcome, PartOutcome, Problem, QuestionSpec, ResponseError
from quizapp.qtypes.common import (
    check_length,
    clamp,
    form_values,
    json_list,
    lookup_key,
    no_duplicates,
    reject_unknown_fields,
)
from quizapp.qtypes.single_choice import ChoiceFields

FIELD = "r"


# The canonical response: the ticked options' ids, in the file's order, each once, at least one.
MultipleResponseIds: TypeAlias = list[str]


class MultipleResponse(QuestionSpec[MultipleResponseIds], ChoiceFields):
    """Partial credit: each right option ticked earns 1/(number of right options), each
    wrong one ticked costs 1/(number of wrong options), never below 0. With
    `all_or_nothing`, only the exact set of right options scores, and it scores 1."""

    label: ClassVar[str] = "Multiple response"
    type: Literal["multiple_response"]
    all_or_nothing: bool = False

    def view(self, seed: int | None) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "id": self.view_id(seed),
            "prompt": self.prompt,
            "field": FIELD,
            "options": self.options_view(seed, self.id),
        }

    def display_response(self, response: MultipleResponseIds, seed: int | None) -> list[str]:
        return [self.option_key(i, seed, self.id) for i in self._canonical(response)]

    def answer_view(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "options": self.choices_answer_view(),
            "answer": [o.text for o in self.options if o.correct],
            "all_or_nothing": self.all_or_nothing,
        }

    def parse_form(self, form: FormData, seed: int | None) -> MultipleResponseIds:
        reject_unknown_fields(form, {FIELD})
        return self._from_keys(form_values(form, FIELD), seed)

    def parse_json(self, data: Any, seed: int | None) -> MultipleResponseIds:
        return self._from_keys(json_list(data), seed)

    def parse_text(self, texts: Sequence[str]) -> MultipleResponseIds:
        """Ids or option texts, separated by commas or given as separate words."""
        names = [part for text in texts for part in check_length(text).split(",")]
        ids = [i for n in names if n.strip() for i in self._typed_ids(n)]
        return self._canonical(ids)

    def _typed_ids(self, typed: str) -> list[str]:
        """One option by id or text, or several ids separated by spaces ("a c")."""
        known = {o.id for o in self.options}
        words = typed.split()
        if len(words) > 1 and all(w in known for w in words):
            return words
        return [self.option_from_text(typed).id]

    def score(self, response: MultipleResponseIds) -> Outcome:
        chosen = set(self._canonical(response))
        right = set(self.correct_ids())
        if self.all_or_nothing:
            fraction = 1.0 if chosen == right else 0.0
        else:
            fraction = self._partial(chosen, right)
        picked = [o for o in self.options if o.id in chosen]
        return Outcome(
            fraction,
            tuple(o.feedback for o in picked if o.feedback),
            reading=", ".join(o.text for o in picked),
            parts=tuple(PartOutcome(o.text, 1.0 if o.correct else 0.0) for o in picked),
        )

    def _partial(self, chosen: set[str], right: set[str]) -> float:
        wrong_count = len(self.options) - len(right)
        earned = len(chosen & right) / len(right) if right else 0.0
        lost = len(chosen - right) / wrong_count if wrong_count else 0.0
        return clamp(earned - lost)

    def reference_response(self) -> MultipleResponseIds:
        return self.correct_ids()

    def check(self) -> list[Problem]:
        problems = self.option_problems(("options",))
        if not self.correct_ids():
            problems.append(Problem(("options",), "no option is marked correct: true"))
        return problems

    def answer_phrases(self) -> list[tuple[str, ...]]:
        return [(text,) for text in self.correct_texts()]

    def shown_texts(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [*super().shown_texts(), *self.option_texts()]

    def _from_keys(self, keys: list[Any], seed: int | None) -> list[str]:
        lookup = self.option_keys(seed, self.id)
        return self._canonical([lookup_key(lookup, k) for k in keys])

    def _canonical(self, response: object) -> MultipleResponseIds:
        if not isinstance(response, list) or not response:
            raise ResponseError("Choose at least one option.")
        if len(response) > len(self.options):
            raise ResponseError("The same option is given more than once.")
        ids = [self.option(i).id for i in response]
        no_duplicates(ids)
        order = [o.id for o in self.options]
        return sorted(ids, key=order.index)
