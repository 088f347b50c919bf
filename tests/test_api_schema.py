"""schemathesis against the published OpenAPI document: no 5xx, every answer in its schema.

Generated requests (valid and invalid bodies, queries and ids) go through the real app
with a learner's bearer token; each response must be documented for its status, carry
the documented content type and match its schema.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)


@pytest.fixture
def token(app: Flask, make_user) -> str:
    make_user("fuzz-user")
    response = app.test_client().post("/api/v1/tokens", json={
        "username": "fuzz-user", "password": "correct horse"})
    return str(response.get_json()["token"])


# A quick pass in every test run; more with QUIZAPP_API_FUZZ_EXAMPLES=200.
EXAMPLES = int(os.environ.get("QUIZAPP_API_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_every_operation_keeps_its_contract(app: Flask, token: str) -> None:
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    headers = {"Authorization": f"Bearer {token}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def keeps_contract(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        keeps_contract()
