"""The API's published contract: the OpenAPI document and errors as problem details.

spectree validates each request body and query against its pydantic model (see
`schemas.py`) and builds the OpenAPI 3.1 document from the same models. It decorates
ordinary Flask views, so the API keeps its blueprint, its services and its tests; a
framework that replaces Flask's routing (flask-openapi3) would have meant rewriting
every route for the same document.
"""

from __future__ import annotations

from typing import Any

from spectree import Response as Responses
from spectree import SecurityScheme, SpecTree
from spectree.models import InType, SecureType, SecuritySchemeData
from werkzeug.exceptions import HTTPException

from quizapp.api import schemas
from quizapp.problems import PROBLEM_JSON, problem

PREFIX = "/api/v1"
# Every operation may answer these; each is a problem document.
COMMON_ERRORS = (400, 401, 415, 422, 429)


def _validation_problem(request: Any, response: Any, error: Any, instance: Any,
                        *args: Any) -> None:
    """spectree's hook before a view runs: a request that does not fit its model is
    answered with a problem document listing each field's fault."""
    if error is None:
        return
    errors = [{"field": ".".join(str(part) for part in item.get("loc", ())) or "body",
               "message": item.get("msg", "")} for item in error.errors()]
    raise HTTPException(response=problem(
        400, "The request does not fit the API: " + "; ".join(
            f"{e['field']}: {e['message']}" for e in errors), errors=errors))


class ApiSpec(SpecTree):
    """Only the /api/v1 paths are the contract."""

    def _generate_spec(self) -> dict[str, Any]:
        document: dict[str, Any] = super()._generate_spec()
        document["paths"] = {path: item for path, item in document.get("paths", {}).items()
                             if path.startswith(PREFIX)}
        for item in document["paths"].values():
            for operation in item.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if status.isdigit() and int(status) >= 400 and "application/json" in content:
                        # Errors are problem documents, and say so in their media type.
                        content[PROBLEM_JSON] = content.pop("application/json")
        document["info"]["description"] = (
            "The quizapp JSON API. Authenticate with a bearer token (POST /api/v1/tokens) "
            "or the browser's session cookie (POST /api/v1/session). Every POST and "
            "DELETE sends Content-Type: application/json. Errors are "
            "application/problem+json (RFC 9457).")
        return document


spec = ApiSpec(
    "flask",
    # The document is served by the API's own /api/v1/openapi.json view (spectree skips
    # every route under its own path, which would be the whole API).
    path="apidoc",
    page_templates={},
    title="quizapp API",
    version="1.0",
    annotations=False,
    mode="strict",  # the contract is the validated operations, nothing else
    validation_error_status=400,
    before=_validation_problem,
    security_schemes=[
        SecurityScheme(name="bearer",
                       data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer")),
        SecurityScheme(name="session", data=SecuritySchemeData(
            type=SecureType.API_KEY, field_in=InType.COOKIE, name="session")),
    ],
    security={"bearer": [], "session": []},
)


def responses(ok: int, model: type, *errors: int) -> Responses:
    """The documented answers of one operation: its success and its problems."""
    codes = {f"HTTP_{ok}": model}
    for status in (*COMMON_ERRORS, *errors):
        codes[f"HTTP_{status}"] = schemas.Problem
    return Responses(**codes)


def document() -> dict[str, Any]:
    """The OpenAPI document of the running app's API."""
    generated: dict[str, Any] = spec.spec
    return generated
