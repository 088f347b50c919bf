"""Trying an answer on a teacher's question preview.

The teacher types an answer as a learner would; it is read from the form and scored
exactly as an attempt scores it, but nothing is stored. Plain values in and out: the
question's spec and the posted form, an outcome or the reason it could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.qtypes.base import FormData, Outcome, QuestionSpec, ResponseError


@dataclass(frozen=True)
class PreviewTry:
    """One try on a preview: the outcome, or `error` when the answer could not be read."""

    outcome: Outcome | None = None
    # The answer just tried in the form's shape, so the try box keeps it to be changed.
    shown: Any = None
    error: str | None = None


def try_answer(spec: QuestionSpec, form: FormData) -> PreviewTry:
    """Read `form` as a learner's answer to `spec` (no per-learner shuffle) and score it."""
    try:
        response = spec.parse_form(form, None)
        outcome = spec.score(response)
        shown = spec.display_response(response, None)
    except ResponseError as problem:
        return PreviewTry(error=str(problem))
    return PreviewTry(outcome=outcome, shown=shown)
