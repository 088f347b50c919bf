"""Response headers that make the safe choice the default for every page."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

# No inline script or style anywhere: templates must use files under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def register(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if _personal(request.endpoint, request.path):
            # A signed-in page or an API answer must not be kept by the browser or a
            # proxy: on a shared school computer, Back after logout would show it.
            headers["Cache-Control"] = "no-store, private"
        if app.config.get("HTTPS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _personal(endpoint: str | None, path: str) -> bool:
    """True for a response that may carry one person's data."""
    if endpoint == "static":
        return False
    # `is_anonymous` reads no column: after a commit, `is_authenticated` would read
    # the user's row again just to set this header.
    return path.startswith("/api/") or not current_user.is_anonymous
