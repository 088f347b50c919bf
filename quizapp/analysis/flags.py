"""Which questions to review, and why (thresholds from docs/statistics.md)."""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.analysis.responses import ChoiceTable
from quizapp.analysis.stats import ItemStats

FACILITY_TOO_EASY = 95.0  # percent
FACILITY_TOO_HARD = 10.0


def review_reasons(item: ItemStats, tables: Iterable[ChoiceTable] = ()) -> list[str]:
    """Plain-language reasons to look at a question again; empty when none apply."""
    reasons = []
    if item.facility is not None and item.facility > FACILITY_TOO_EASY:
        reasons.append(f"almost everyone gets it right (facility {item.facility:.0f}%)")
    if item.facility is not None and item.facility < FACILITY_TOO_HARD:
        reasons.append(f"almost nobody gets it right (facility {item.facility:.0f}%)")
    if item.discrimination is not None and item.discrimination < 0:
        reasons.append(
            f"weaker students do better on it than stronger ones "
            f"(discrimination {item.discrimination:.0f}%)"
        )
    for table in tables:
        where = f" in blank {table.label}" if table.label else ""
        for row in table.rows:
            if row.suspicious:
                reasons.append(
                    f"the wrong option {row.text!r}{where} is chosen more by the strongest "
                    f"third ({row.top_share:.0%}) than by the weakest ({row.bottom_share:.0%})"
                )
    return reasons
