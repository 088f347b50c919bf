"""The shared race harness (tests/helpers.py) the concurrency tests rely on."""

from __future__ import annotations

import threading

import pytest
from helpers import all_at_once


def test_all_calls_run_together_and_results_keep_their_order() -> None:
    inside = threading.Barrier(5, timeout=5)  # breaks unless all five run at once

    def call(n: int) -> int:
        inside.wait()
        return n * n

    assert all_at_once([lambda n=n: call(n) for n in range(5)]) == [0, 1, 4, 9, 16]


def test_an_error_in_any_thread_fails_the_test() -> None:
    def fails() -> None:
        raise ValueError("lost in a thread")

    with pytest.raises(ValueError, match="lost in a thread"):
        all_at_once([lambda: 1, fails, lambda: 3])
