"""Serving with gunicorn: each worker builds its own app (and database engine)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


def _quizapp() -> Any:
    from quizapp import create_app

    return create_app()


class QuizappServer(BaseApplication):
    def __init__(self, options: dict[str, Any], load_app: Callable[[], Any] = _quizapp,
                 ) -> None:
        self.options = options
        self.load_app = load_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn 25+ opens a control socket at one path per user
        # (~/.gunicorn/gunicorn.ctl): two servers would share it, and whichever
        # stops first deletes it. quizapp does not use it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        app = self.load_app()
        settle_heap()
        return app


def settle_heap() -> None:
    """Exempt the objects a worker holds for its whole life from garbage collection.

    A worker keeps its modules, models, compiled templates and statements until it
    exits; every full collection would walk them all again while a request waits.
    `gc.freeze()` moves them to a generation the collector never scans, so it only
    walks what requests create (a few per cent of a page's time in measurements).
    """
    gc.collect()
    gc.freeze()


def server_options(host: str, port: int, workers: int) -> dict[str, Any]:
    """`quizapp serve`'s gunicorn settings (the benchmarks serve a bare app with them too)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Synchronous workers, one request each (docs/performance.md has the
        # measurements): the kernel hands each new connection to an idle worker, so
        # load spreads evenly. Threaded workers keep their kept-alive connections, and
        # one of them at times took every connection while the other stood idle;
        # their threads also compete for one interpreter lock.
        "worker_class": "sync",
        "threads": 1,
        "accesslog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
    }


def serve(host: str, port: int, workers: int) -> None:
    QuizappServer(server_options(host, port, workers)).run()
