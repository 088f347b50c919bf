"""Serve quizapp, or a bare Flask "hello" app, with gunicorn settings to compare.

    python benchmarks/serve_app.py quizapp|hello serve|sync4 PORT

`serve` is what `quizapp serve` uses (quizapp.serving.server_options); `sync4` is four
synchronous workers. The hello app answers every path with a short text, so it is the
most any Flask app could do on this machine with the same settings: the baseline.
"""

from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from quizapp.serving import QuizappServer, server_options

DEFAULT_WORKERS = 2


def hello_app() -> Flask:
    app = Flask("hello")

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def hello(path: str) -> str:
        return "Hello"

    return app


def options(settings: str, port: int) -> dict[str, Any]:
    chosen = server_options("127.0.0.1", port, DEFAULT_WORKERS)
    if settings == "sync4":
        chosen.update(workers=4, worker_class="sync", threads=1)
    return chosen


def main() -> None:
    which, settings, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    loader = hello_app if which == "hello" else None
    server = QuizappServer(options(settings, port), loader) if loader else \
        QuizappServer(options(settings, port))
    server.run()


if __name__ == "__main__":
    main()
