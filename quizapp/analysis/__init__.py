"""Item analysis and response analysis: pure functions over plain numbers.

Nothing here touches Flask or the database. `services/item_analysis.py` gathers the
marks with SQL and hands them over; docs/statistics.md states every formula.
"""

from quizapp.analysis.flags import review_reasons
from quizapp.analysis.guess import random_guess_score
from quizapp.analysis.responses import (
    ChoiceRow,
    ChoiceTable,
    TypedRow,
    TypedTable,
    Unreadable,
    choice_tables,
    split_thirds,
    typed_tables,
)
from quizapp.analysis.stats import ItemStats, QuizStats, analyse, item_stats, quiz_stats

__all__ = [
    "ChoiceRow",
    "ChoiceTable",
    "ItemStats",
    "QuizStats",
    "TypedRow",
    "TypedTable",
    "Unreadable",
    "analyse",
    "choice_tables",
    "item_stats",
    "quiz_stats",
    "random_guess_score",
    "review_reasons",
    "split_thirds",
    "typed_tables",
]
