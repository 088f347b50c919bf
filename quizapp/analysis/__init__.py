"""Item analysis and response analysis: pure functions over plain numbers.

Nothing here touches Flask or the database. `services/item_analysis.py` gathers the
marks with SQL and hands them over; docs/statistics.md states every formula.
"""

from quizapp.analysis.flags import review_reasons
from quizapp.analysis.guess import random_guess_score
from quizapp.analysis.responses import (
    ChoiceRow,
    ChoiceTable,
    Group,
    TypedRow,
    TypedTable,
    Unreadable,
    choice_tables,
    split_thirds,
    typed_tables,
)
from quizapp.analysis.stats import (
    ItemStats,
    ItemSums,
    QuizStats,
    analyse,
    item_stats,
    item_stats_from_sums,
    quiz_stats,
    quiz_stats_from,
    sums_from_counts,
    sums_from_sheet,
)

__all__ = [
    "ChoiceRow",
    "ChoiceTable",
    "Group",
    "ItemStats",
    "ItemSums",
    "QuizStats",
    "TypedRow",
    "TypedTable",
    "Unreadable",
    "analyse",
    "choice_tables",
    "item_stats",
    "item_stats_from_sums",
    "quiz_stats",
    "quiz_stats_from",
    "random_guess_score",
    "review_reasons",
    "split_thirds",
    "sums_from_counts",
    "sums_from_sheet",
    "typed_tables",
]
