"""The gunicorn application `quizapp serve` runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from flask import Flask

from quizapp.serving import QuizappServer, server_options


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_worker_loads_its_app_and_exempts_what_it_holds_from_collection(
    unfrozen: None,
) -> None:
    built = Flask("worker")
    server = QuizappServer(server_options("127.0.0.1", 0, 2), load_app=lambda: built)
    assert gc.get_freeze_count() == 0
    assert server.load() is built
    # Everything alive once the app is built is left out of every later collection.
    assert gc.get_freeze_count() > 0


def test_the_settings_are_synchronous_workers() -> None:
    options = server_options("0.0.0.0", 8000, 4)
    assert (options["bind"], options["workers"]) == ("0.0.0.0:8000", 4)
    assert (options["worker_class"], options["threads"]) == ("sync", 1)
