"""The API's paths from before it was versioned keep working.

`/api/quizzes` is served as `/api/v1/quizzes`: the path is rewritten before routing,
so there is one set of views and one contract; the answer says it is deprecated and
names its successor (RFC 8594 `Deprecation`, and a `Link` with rel successor-version).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

API_PREFIX = "/api/v1"
_LEGACY = "/api/"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LegacyApiPaths:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(_LEGACY) or path.startswith(API_PREFIX + "/") \
                or path == API_PREFIX:
            return self.app(environ, start_response)
        successor = API_PREFIX + path[len("/api"):]
        environ["PATH_INFO"] = successor

        def deprecated(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            headers = [*headers, ("Deprecation", "true"),
                       ("Link", f'<{successor}>; rel="successor-version"')]
            return start_response(status, headers, *args)

        return self.app(environ, deprecated)
