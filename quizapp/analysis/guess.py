"""The random-guess score: the mean fraction a learner guessing at random would get.

Moodle defines it per question type; ours follow the same idea for our types and say
None where guessing has no meaningful distribution (free text, numbers, orderings).
"""

from __future__ import annotations

from quizapp.qtypes import (
    Cloze,
    Matching,
    MultipleResponse,
    QuestionSpec,
    SingleChoice,
    TrueFalse,
)
from quizapp.qtypes.cloze import ChoiceBlank


def random_guess_score(spec: QuestionSpec) -> float | None:
    """A fraction in [0, 1], or None when the type has no defined guess score."""
    if isinstance(spec, TrueFalse):
        return 0.5
    if isinstance(spec, SingleChoice):
        # Every option equally likely: the share of options marked correct.
        return sum(1 for o in spec.options if o.correct) / len(spec.options)
    if isinstance(spec, MultipleResponse):
        # Ticking one option at random: its score, averaged over the options.
        return sum(spec.score([o.id]).fraction for o in spec.options) / len(spec.options)
    if isinstance(spec, Matching):
        # Each left item paired with a right item picked at random.
        return 1.0 / len(spec.rights()) if spec.rights() else None
    if isinstance(spec, Cloze):
        names = spec.active()
        if not names:
            return None
        guesses = []
        for name in names:
            blank = spec.blanks[name]
            if isinstance(blank, ChoiceBlank):
                guesses.append(sum(1 for o in blank.options if o.correct) / len(blank.options))
            else:
                guesses.append(0.0)  # typed blanks cannot be guessed from a list
        return sum(guesses) / len(guesses)
    return None
