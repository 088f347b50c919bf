"""The Flask class quizapp runs on: Flask, with the URLs its pages link to and the
session cookies it has checked remembered.

Every page builds a dozen or more links (the navigation, the static files, one per
row of a gradebook), and building one through Werkzeug's URL map costs more than
rendering the rest of its line. A relative URL depends only on the endpoint, its
values and the script root the app is served under, so each is built once per
worker and looked up afterwards. Anything else (external URLs, anchors, a scheme or
method, blueprint-relative names, values that cannot be a key) is built as usual.

Every request also opens the session cookie: checking its signature and decoding it
cost more than a page's login lookup. A browser sends the same cookie until the app
sets a new one, so `CheckedCookieSessions` checks each cookie once per worker.

Templates see the environment's globals through `FlatGlobalsEnvironment`: a plain
dictionary per template instead of Jinja's layered one, which every render and every
`{% import %}` walked key by key.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.templating import Environment
from flask.wrappers import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from quizapp.memo import Memo

# Enough for the links of every page a class visits (quizapp/memo.py).
URL_CACHE_SIZE = 8192
# Enough for every login of a large school at once; about 400 bytes each.
CHECKED_COOKIES_KEPT = 4096
# The values a checked cookie's contents may hold to be kept: ones no request can
# change in place (a list of flashed messages, say, is changed where it is).
UNCHANGEABLE = (str, int, float, bool, type(None))


class CheckedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with each cookie checked once per worker.

    A cookie is the same string until the app sets a new one, and its contents follow
    from the string and the secret keys, so a cookie already found good is looked up
    instead of checked and decoded again. Only its age is checked again, as Flask
    checks it, against the time it was signed. A cookie holding anything that could
    be changed in place is checked every time, as is any cookie not seen before.
    """

    def __init__(self) -> None:
        self.checked: Memo[str, tuple[dict[str, Any], float]] = Memo(
            limit=CHECKED_COOKIES_KEPT)
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        # One per set of keys, instead of one per request and response.
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is None:
                return None
            self._serializers = {keys: serializer}
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        serializer = self.get_signing_serializer(app)
        if serializer is None or not cookie:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        kept = self.checked.get(cookie)
        if kept is not None and 0 <= time.time() - kept[1] <= max_age:
            return self.session_class(kept[0])
        try:
            data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(v, UNCHANGEABLE) for v in data.values()):
            self.checked.keep(cookie, (dict(data), signed.timestamp()))
        return self.session_class(data)


class FlatGlobalsEnvironment(Environment):
    """Flask's Jinja environment, each template's globals copied into one dictionary.

    Jinja layers a template's globals over the environment's (a ChainMap), so a change
    to the environment's globals reaches templates already loaded. Rendering flattens
    the layers again, looking each name up through them, and every `{% import %}`
    compares both sets of names the same slow way: about a twentieth of a question
    page's time. Here each template gets a copy made when it loads. quizapp adds its
    globals while the app is built (create_app), before any template loads, as Jinja
    asks ("avoid modifying any globals after a template is loaded").
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class QuizappFlask(Flask):
    jinja_environment = FlatGlobalsEnvironment

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.built_urls: Memo[tuple[str, str, frozenset[tuple[str, Any]]], str] = Memo(
            limit=URL_CACHE_SIZE)
        self.session_interface = CheckedCookieSessions()

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        if (_anchor or _method or _scheme or _external or endpoint[:1] == "."
                or not has_request_context()):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                   _scheme=_scheme, _external=_external, **values)
        try:
            key = (request.script_root, endpoint, frozenset(values.items()))
            url = self.built_urls.get(key)
        except TypeError:  # a value that cannot be a key (a list): built every time
            return super().url_for(endpoint, **values)
        if url is None:
            url = self.built_urls.keep(key, super().url_for(endpoint, **values))
        return url
