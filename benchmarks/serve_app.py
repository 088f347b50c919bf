"""Serve quizapp, or a bare Flask "hello" app, with gunicorn settings to compare.

    python benchmarks/serve_app.py quizapp|hello SETTINGS PORT

SETTINGS is `serve`, what `quizapp serve` uses (quizapp.serving.server_options), or
`syncN` (N synchronous workers) or `gthreadNxT` (N gthread workers of T threads each).
The hello app answers every path with a short text, so it is the most any Flask
app could do on this machine with the same settings: the baseline.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from flask import Flask

from quizapp.serving import QuizappServer, server_options

# `quizapp serve --workers`'s default.
DEFAULT_WORKERS = 4


def hello_app() -> Flask:
    app = Flask("hello")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def hello(path: str) -> str:
        return "Hello"

    return app


def options(settings: str, port: int) -> dict[str, Any]:
    chosen = server_options("127.0.0.1", port, DEFAULT_WORKERS)
    if settings == "serve":
        return chosen
    sync = re.fullmatch(r"sync(\d+)", settings)
    threaded = re.fullmatch(r"gthread(\d+)x(\d+)", settings)
    if sync:
        chosen.update(workers=int(sync.group(1)), worker_class="sync", threads=1)
    elif threaded:
        chosen.update(workers=int(threaded.group(1)), worker_class="gthread",
                      threads=int(threaded.group(2)))
    else:
        raise SystemExit(f"unknown settings {settings!r}")
    return chosen


def main() -> None:
    which, settings, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    loader = hello_app if which == "hello" else None
    server = QuizappServer(options(settings, port), loader) if loader else \
        QuizappServer(options(settings, port))
    server.run()


if __name__ == "__main__":
    main()
