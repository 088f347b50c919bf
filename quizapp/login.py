"""Flask-Login wired to server-side sessions (services/sessions.py).

The cookies Flask-Login writes (the session cookie and the "keep me logged in"
cookie) carry the login's random token instead of the user id, and the user loader
looks the token up on every request, so a login ends when its row is deleted. The
HTML pages and the JSON API both log in and out through `log_in` and `log_out`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie

from quizapp.clock import now
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.services import sessions
from quizapp.services.accounts import LoginPolicy
from quizapp.services.sessions import SessionPolicy, SignedInUser


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_token)
    user_loaded_from_cookie.connect(_rotate_remembered, app)


def session_policy() -> SessionPolicy:
    return SessionPolicy.from_config(current_app.config)


def login_policy() -> LoginPolicy:
    return LoginPolicy.from_config(current_app.config)


def client_address() -> str:
    """The client's address (the proxy's unless QUIZAPP_PROXY_COUNT says to trust it)."""
    return request.remote_addr or "unknown"


def _load_user(token: str) -> SignedInUser | None:
    return sessions.load(db.session, token, now())


def signed_in_account() -> User:
    """The logged-in user's account as an entity, for a view that changes it
    (`current_user` holds plain values: services/sessions.py SignedInUser)."""
    return db.session.get_one(User, current_user.id)


def _load_user_from_token(request: Any) -> User | None:
    """`Authorization: Bearer <token>` on an API call, for scripts (services/tokens.py)."""
    from quizapp.services.tokens import user_for_token

    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not request.path.startswith("/api/"):
        return None
    return user_for_token(db.session, secret.strip(), now())


def _rotate_remembered(_app: Flask, user: SignedInUser, **_extra: Any) -> None:
    """The long-lived cookie restored a login: exchange its token for a fresh one."""
    policy = session_policy()
    new_token = sessions.rotate(db.session, user.session_token or "", now(), policy)
    if new_token is None:
        return
    user.session_token = new_token
    session["_user_id"] = new_token
    # Flask-Login writes the remember cookie again, with the new token, after the request.
    session["_remember"] = "set"
    session["_remember_seconds"] = policy.remember_lifetime.total_seconds()


def log_in(user: User, remember: bool = False) -> None:
    """Start a server-side login for `user` and give this browser its cookies."""
    policy = session_policy()
    user.session_token = sessions.start(db.session, user, now(), remember=remember,
                                        policy=policy)
    # A new login gets a new CSRF token: one read before logging in is worth nothing after.
    session.pop("csrf_token", None)
    login_user(user, remember=remember, duration=policy.remember_lifetime)


def log_out() -> None:
    """End this login server-side (copies of its cookies stop working too)."""
    token = getattr(current_user, "session_token", None)
    if token:
        sessions.end(db.session, token)
    logout_user()
    session.pop("csrf_token", None)
