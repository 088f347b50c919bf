"""Serving with gunicorn: each worker builds its own app (and database engine)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class QuizappServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
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
        from quizapp import create_app

        return create_app()


def serve(host: str, port: int, workers: int) -> None:
    QuizappServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            # Threads let a worker keep serving pages while another request waits
            # for the database's write lock.
            "worker_class": "gthread",
            "threads": 4,
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
        }
    ).run()
