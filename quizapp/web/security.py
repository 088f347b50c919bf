"""Response headers that make the safe choice the default for every page."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from quizapp.memo import Memo

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


# Sent with every response that does not set them itself.
DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


# A login's form token is signed at most this often per worker: signing (a key
# derivation and an HMAC) cost more than the rest of a page's header, and a token is
# accepted for WTF_CSRF_TIME_LIMIT (hours) from its signing, so one signed a minute
# ago is as good as a new one.
FORM_TOKEN_REUSE_SECONDS = 60
FORM_TOKENS_KEPT = 4096


def register(app: Flask) -> None:
    # The templates' csrf_token(): Flask-WTF's, reusing a recent signature. Flask-WTF
    # sets it as a global and in a context processor; this later one takes precedence.
    app.jinja_env.globals["csrf_token"] = form_token
    app.context_processor(lambda: {"csrf_token": form_token})
    app.extensions["signed_form_tokens"] = Memo[str, tuple[str, float]](limit=FORM_TOKENS_KEPT)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        # Each one unless the view set it: the names present are read once, where
        # `setdefault` would search the headers again for every one.
        present = {name.lower() for name, _value in headers.items()}
        for name, value in DEFAULT_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
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


def form_token() -> str:
    """This page's form token (Flask-WTF's `generate_csrf`), reusing the one signed
    in the last minute for the same login secret."""
    secret = session.get("csrf_token")
    if not isinstance(secret, str):
        return generate_csrf()  # a first visit: Flask-WTF makes the secret
    signed: Memo[str, tuple[str, float]] = current_app.extensions["signed_form_tokens"]
    now = time.monotonic()
    kept = signed.get(secret)
    if kept is not None and now - kept[1] < FORM_TOKEN_REUSE_SECONDS:
        return kept[0]
    return signed.keep(secret, (generate_csrf(), now))[0]
