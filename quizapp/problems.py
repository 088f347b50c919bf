"""Errors as RFC 9457 problem details (`application/problem+json`).

The API answers every error with one; the error handlers use the same function for
any path under /api/, so a client meets one error shape everywhere.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, title: str | None = None, **extra: Any) -> Response:
    """A problem document: `title` names the kind of error, `detail` this occurrence."""
    body = {"type": "about:blank", "title": title or HTTP_STATUS_CODES.get(status, "Error"),
            "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response
