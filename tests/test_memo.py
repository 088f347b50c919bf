"""A worker's bounded table of values worked out once."""

from __future__ import annotations

from quizapp.memo import Memo


def test_values_are_kept_until_the_table_is_full_then_it_starts_again() -> None:
    table: Memo[str, int] = Memo(limit=3)
    assert table.keep("a", 1) == 1
    table.keep("b", 2)
    table.keep("a", 10)  # a key stored again is replaced
    table.keep("c", 3)
    assert table == {"a": 10, "b": 2, "c": 3}
    assert table.keep("d", 4) == 4  # full: emptied, never grown past its limit
    assert table == {"d": 4}
