"""Trying responses against a question, for the teacher command `quizapp try`.

Each response text is read with the question's `parse_text` and scored; the result
says how it was read, what it scored and which feedback a learner would see, or why
it could not be read. Pure: no files, no printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.qtypes.base import PartOutcome, QuestionSpec, ResponseError, is_correct


@dataclass(frozen=True)
class TrialResult:
    text: str
    response: Any = None  # canonical response, None when unreadable
    reading: str = ""
    fraction: float | None = None
    feedback: tuple[str, ...] = ()
    parts: tuple[PartOutcome, ...] = field(default_factory=tuple)
    error: str | None = None

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def correct(self) -> bool:
        return self.fraction is not None and is_correct(self.fraction)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "readable": self.readable,
            "response": self.response,
            "reading": self.reading,
            "fraction": self.fraction,
            "correct": self.correct,
            "feedback": list(self.feedback),
            "parts": [_part_dict(p) for p in self.parts],
            "error": self.error,
        }

    def to_text(self) -> str:
        head = f"{self.text!r}"
        if self.error is not None:
            return f"{head}\n  could not be read: {self.error}"
        lines = [head, f"  read as:  {self.reading}", f"  score:    {_score_words(self)}"]
        lines += [f"  part:     {_part_text(p)}" for p in self.parts]
        lines += [f"  feedback: {f}" for f in self.feedback]
        return "\n".join(lines)


def try_responses(spec: QuestionSpec, texts: Sequence[str]) -> list[TrialResult]:
    """One result per text; each text is one whole response (see each type's `parse_text`)."""
    return [try_response(spec, text) for text in texts]


def try_response(spec: QuestionSpec, text: str) -> TrialResult:
    try:
        response = spec.parse_text([text])
        outcome = spec.score(response)
    except ResponseError as exc:
        return TrialResult(text=text, error=str(exc))
    return TrialResult(
        text=text,
        response=response,
        reading=outcome.reading,
        fraction=outcome.fraction,
        feedback=outcome.feedback,
        parts=outcome.parts,
    )


def _score_words(result: TrialResult) -> str:
    fraction = result.fraction or 0.0
    verdict = "correct" if result.correct else ("partly right" if fraction > 0 else "wrong")
    return f"{fraction:.2f} ({verdict})"


def _part_dict(part: PartOutcome) -> dict[str, Any]:
    return {
        "label": part.label,
        "fraction": part.fraction,
        "reading": part.reading,
        "feedback": part.feedback,
    }


def _part_text(part: PartOutcome) -> str:
    reading = f" read as {part.reading}" if part.reading else ""
    return f"{part.label}:{reading} -> {part.fraction:.2f}"
