"""A worker's table of values worked out once and looked up afterwards.

Parsed question specs, validated quiz rules, built URLs and signed form tokens are
each kept in one. A table is bounded: when full it is emptied, not grown (simpler and
cheaper than evicting the oldest, and a worker serving a school rarely fills one).
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Store `value` under `key` (emptying the table first if it is full); returns it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
