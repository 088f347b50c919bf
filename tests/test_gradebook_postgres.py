"""The gradebook, its kept table and class mastery on a real PostgreSQL server: the
same tests as on SQLite (tests/test_gradebook_cache.py), with this module's app.

Runs when QUIZAPP_TEST_POSTGRES_URL is set (as tests/test_postgres.py does).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from helpers import require_postgres

require_postgres()

# Collected again here, so they run against the PostgreSQL app below.
from test_gradebook_cache import (  # noqa: E402, F401
    test_each_change_to_what_the_table_shows_shows_on_the_next_view,
    test_sorts_and_time_zones_are_kept_apart,
    test_thirty_first_views_at_once_get_the_same_whole_table,
)
from test_services_classes import test_grades_distribution_mastery_and_exports  # noqa: E402, F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(make_pg_app: Callable[..., Flask]) -> Flask:
    return make_pg_app()
