"""Response analysis: what learners chose or typed, and how it was read and scored.

Choice questions get a table of options with how often each was chosen overall and
by the strongest and weakest thirds of the attempts. Typed answers (numbers, short
text, the typed blanks of a cloze) are grouped by their *reading*, the normalised
form scoring compares ("  The Gómel! " reads as "gomel"), so spellings that score
alike are counted together; responses the question can no longer read are listed
apart with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from quizapp.qtypes import (
    Cloze,
    MultipleResponse,
    Numeric,
    QuestionSpec,
    ResponseError,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from quizapp.qtypes.cloze import ChoiceBlank, NumericBlank, TextBlank
from quizapp.qtypes.text import normalise

Group = Literal["top", "middle", "bottom"]
# Tables list this many distinct readings; the rest are counted as "other".
TYPED_LIMIT = 25


def split_thirds(scores: Mapping[Hashable, float]) -> dict[Hashable, Group]:
    """The top and bottom thirds of attempts by score (ties broken by attempt order).

    With fewer than three attempts there are no thirds: everyone is "middle".
    """
    size = len(scores) // 3
    ranked = sorted(scores, key=lambda key: (scores[key], str(key)))
    groups: dict[Hashable, Group] = {key: "middle" for key in ranked}
    if size:
        for key in ranked[:size]:
            groups[key] = "bottom"
        for key in ranked[-size:]:
            groups[key] = "top"
    return groups


@dataclass(frozen=True)
class ChoiceRow:
    option_id: str
    text: str
    correct: bool
    count: int
    top: int
    bottom: int
    top_size: int
    bottom_size: int

    @property
    def top_share(self) -> float:
        return self.top / self.top_size if self.top_size else 0.0

    @property
    def bottom_share(self) -> float:
        return self.bottom / self.bottom_size if self.bottom_size else 0.0

    @property
    def suspicious(self) -> bool:
        """A wrong option the strongest third picks more often than the weakest."""
        return (not self.correct and self.top > 0 and self.top_size > 0
                and self.top_share > self.bottom_share)


@dataclass(frozen=True)
class ChoiceTable:
    label: str  # "" for the question itself, the blank's name in a cloze
    rows: list[ChoiceRow]
    answered: int
    unanswered: int


@dataclass(frozen=True)
class TypedRow:
    reading: str  # how scoring read it
    count: int
    fraction: float
    feedback: str
    examples: list[str]  # the most frequent spellings as typed
    accept_text: str | None  # what "accept this response" would add, when it can


@dataclass(frozen=True)
class Unreadable:
    response: str
    count: int
    reason: str


@dataclass
class TypedTable:
    label: str  # "" for the question itself, the blank's name in a cloze
    kind: str  # numeric | short_text
    rows: list[TypedRow] = field(default_factory=list)
    other: int = 0  # responses beyond the listed readings
    unreadable: list[Unreadable] = field(default_factory=list)


# -- choices --------------------------------------------------------------------------------
def _option_lists(spec: QuestionSpec) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    if isinstance(spec, TrueFalse):
        return [("", [("true", "True", spec.answer), ("false", "False", not spec.answer)])]
    if isinstance(spec, SingleChoice | MultipleResponse):
        return [("", [(o.id, o.text, o.correct) for o in spec.options])]
    if isinstance(spec, Cloze):
        return [
            (name, [(o.id, o.text, o.correct) for o in blank.options])
            for name, blank in spec.blanks.items()
            if isinstance(blank, ChoiceBlank) and name in spec.active()
        ]
    return []


def _chosen(spec: QuestionSpec, label: str, response: Any) -> list[str]:
    if response is None:
        return []
    if isinstance(spec, TrueFalse):
        return ["true" if response is True else "false"] if isinstance(response, bool) else []
    if isinstance(spec, MultipleResponse):
        return [str(r) for r in response] if isinstance(response, list) else []
    if isinstance(spec, Cloze):
        value = response.get(label) if isinstance(response, dict) else None
        return [value] if isinstance(value, str) else []
    return [response] if isinstance(response, str) else []


def choice_tables(
    spec: QuestionSpec, answers: Iterable[tuple[Any, Group] | tuple[Any, Group, int]]
) -> list[ChoiceTable]:
    """Option counts from (canonical response or None, group) pairs, one per attempt, or
    (response, group, how many attempts) triples as a GROUP BY returns them."""
    weighted = [(entry[0], entry[1], entry[2] if len(entry) > 2 else 1)  # type: ignore[misc]
                for entry in answers]
    sizes: Counter[str] = Counter()
    for _response, group, n in weighted:
        sizes[group] += n
    tables = []
    for label, options in _option_lists(spec):
        counts: Counter[tuple[str, str]] = Counter()
        answered = 0
        for response, group, n in weighted:
            chosen = _chosen(spec, label, response)
            answered += n if chosen else 0
            for option_id in chosen:
                counts[(option_id, "all")] += n
                counts[(option_id, group)] += n
        rows = [
            ChoiceRow(option_id, text, correct, counts[(option_id, "all")],
                      counts[(option_id, "top")], counts[(option_id, "bottom")],
                      sizes["top"], sizes["bottom"])
            for option_id, text, correct in options
        ]
        tables.append(ChoiceTable(label, rows, answered, sizes.total() - answered))
    return tables


# -- typed answers --------------------------------------------------------------------------
def _typed_parts(spec: QuestionSpec) -> list[tuple[str, str, Any]]:
    """(label, kind, scorer) for every typed part of a question."""
    if isinstance(spec, Numeric):
        return [("", "numeric", spec)]
    if isinstance(spec, ShortText):
        return [("", "short_text", spec)]
    if isinstance(spec, Cloze):
        return [
            (name, "numeric" if isinstance(blank, NumericBlank) else "short_text", blank)
            for name, blank in spec.blanks.items()
            if isinstance(blank, NumericBlank | TextBlank) and name in spec.active()
        ]
    return []


def _score_part(scorer: Any, value: Any) -> Any:
    if hasattr(scorer, "score_blank"):
        return scorer.score_blank(value)
    return scorer.score(value)


def typed_tables(
    spec: QuestionSpec, responses: Iterable[tuple[Any, int]], limit: int = TYPED_LIMIT
) -> list[TypedTable]:
    """Readings from (canonical response, how many times it was given) pairs.

    Each distinct response is scored once by the question as it is now, so after a
    bank edit the table shows how the new version reads the old answers.
    """
    responses = [(r, n) for r, n in responses if r is not None]
    tables = []
    for label, kind, scorer in _typed_parts(spec):
        groups: dict[tuple[str, float], dict[str, Any]] = {}
        unreadable: Counter[tuple[str, str]] = Counter()
        for response, count in responses:
            value = response.get(label) if label and isinstance(response, dict) else response
            if label and not isinstance(response, dict):
                value = None
            typed = value if isinstance(value, str) else repr(value)
            try:
                outcome = _score_part(scorer, value)
            except ResponseError as problem:
                unreadable[(typed, str(problem))] += count
                continue
            reading = outcome.reading
            if kind == "short_text":
                # Readings echo the learner's own spelling; rows group them as scoring
                # compares them, blind to case and accents.
                reading = normalise(reading)
            key = (reading, outcome.fraction)
            group = groups.setdefault(key, {"count": 0, "spellings": Counter(),
                                            "feedback": outcome.feedback})
            group["count"] += count
            group["spellings"][typed] += count
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1]["count"], kv[0][0]))
        table = TypedTable(label, kind)
        for (reading, fraction), group in ordered[:limit]:
            examples = [s for s, _n in group["spellings"].most_common(3)]
            feedback = _feedback_text(group["feedback"])
            accept = None
            if kind == "short_text" and fraction < 1.0 and examples:
                accept = normalise(examples[0]) or None
            elif kind == "numeric" and fraction < 1.0 and examples:
                accept = examples[0]
            table.rows.append(TypedRow(reading, group["count"], fraction, feedback,
                                       examples, accept))
        table.other = sum(g["count"] for _k, g in ordered[limit:])
        table.unreadable = [Unreadable(text, n, reason)
                            for (text, reason), n in unreadable.most_common()]
        tables.append(table)
    return tables


def _feedback_text(feedback: Any) -> str:
    if isinstance(feedback, tuple):
        return " ".join(feedback)
    return str(feedback or "")
