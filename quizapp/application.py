"""The Flask class quizapp runs on: Flask, with the URLs its pages link to remembered.

Every page builds a dozen or more links (the navigation, the static files, one per
row of a gradebook), and building one through Werkzeug's URL map costs more than
rendering the rest of its line. A relative URL depends only on the endpoint, its
values and the script root the app is served under, so each is built once per
worker and looked up afterwards. Anything else (external URLs, anchors, a scheme or
method, blueprint-relative names, values that cannot be a key) is built as usual.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request

from quizapp.memo import Memo

# Enough for the links of every page a class visits (quizapp/memo.py).
URL_CACHE_SIZE = 8192


class QuizappFlask(Flask):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.built_urls: Memo[tuple[str, str, frozenset[tuple[str, Any]]], str] = Memo(
            limit=URL_CACHE_SIZE)

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
