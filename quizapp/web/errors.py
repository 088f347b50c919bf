"""Error pages in the site's layout (JSON for the API), never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from quizapp.extensions import db
from quizapp.problems import problem

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to see this page.",
    404: "There is nothing here. The link may be old, or the page may belong to someone else.",
    405: "That action is not possible on this page.",
    413: "What you sent is too large.",
    422: "What you sent could not be read.",
    429: "Too many requests; please wait a moment.",
    500: "Something went wrong on our side. Nothing you entered has been half-saved.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(code: int, title: str, message: str):
    if wants_json():
        return problem(code, message, title), code
    return render_template("error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return _render(400, "Form expired", "The form was missing its security token or it "
                       "has expired. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.response is not None:
            return error.response  # a response made for this error, such as a problem
        code = error.code or 500
        message = MESSAGES.get(code, error.description or "")
        # Our own aborts carry a specific message worth showing.
        if error.description and error.description != type(error).description:
            message = error.description
        response = _render(code, error.name, message)
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response[0], code, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        # `name` is a property of an instance: read on the class it is the property itself.
        return _render(500, InternalServerError().name, MESSAGES[500])
