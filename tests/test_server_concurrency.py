"""The real server under load: many learners answering at once through gunicorn,
then the server killed outright and started again. Every answer is accounted for
and every unfinished attempt resumes."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from quizapp.models import Answer, Attempt

LEARNERS = 12


class Learner:
    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-c", "from quizapp.cli import main; main()", "serve",
         "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 40
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.3)


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the whole process group: no shutdown code runs at all."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def server_env(tmp_path: Path, questions_dir: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "QUIZAPP_INSTANCE_DIR": str(tmp_path / "instance"),
           "QUIZAPP_QUESTIONS_DIR": str(questions_dir)}
    env.pop("QUIZAPP_DATABASE_URL", None)
    secret = tmp_path / "pw"
    secret.write_text("correct horse\n")
    subprocess.run([sys.executable, "-c", "from quizapp.cli import main; main()", "init"],
                   env=env, check=True, capture_output=True)
    for n in range(LEARNERS):
        subprocess.run(
            [sys.executable, "-c", "from quizapp.cli import main; main()", "create-user",
             f"learner{n}", "--password-file", str(secret)],
            env=env, check=True, capture_output=True,
        )
    yield env


def take_quiz(learner: Learner, finish: bool) -> dict[str, Any]:
    status, _ = learner.call("POST", "/api/session",
                             {"username": learner.name, "password": "correct horse"})
    assert status == 200
    _status, quizzes = learner.call("GET", "/api/quizzes")
    practice = next(q for q in quizzes["quizzes"] if q["slug"] == "practice")
    status, attempt = learner.call("POST", f"/api/quizzes/{practice['id']}/attempts", {})
    assert status == 201, attempt
    stored = 0
    for question in attempt["questions"]:
        position = question["position"]
        _status, page = learner.call(
            "GET", f"/api/attempts/{attempt['id']}/questions/{position}")
        view = page["question"]
        response = view["options"][0]["key"] if "options" in view else "1520 mm"
        url = f"/api/attempts/{attempt['id']}/questions/{position}"
        body = {"response": response}
        # Every answer is sent twice at once, as a double click would.
        with ThreadPoolExecutor(2) as pool:
            sent = [pool.submit(learner.call, "POST", url, body) for _ in range(2)]
            results = [future.result() for future in sent]
        assert all(code == 200 for code, _ in results), results
        stored += sum(1 for _, body in results if body["stored"])
    if finish:
        status, _ = learner.call("POST", f"/api/attempts/{attempt['id']}/finish", {})
        assert status == 200
    return {"attempt": attempt["id"], "stored": stored, "questions": len(attempt["questions"])}


def test_many_learners_at_once_then_a_hard_kill(server_env: dict[str, str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_env, port)
    try:
        learners = [Learner(base, f"learner{n}") for n in range(LEARNERS)]
        with ThreadPoolExecutor(LEARNERS) as pool:
            outcomes = list(pool.map(lambda pair: take_quiz(pair[1], pair[0] % 2 == 0),
                                     enumerate(learners)))
    finally:
        kill_hard(server)

    # Each question stored exactly once, although each was sent twice.
    assert all(o["stored"] == o["questions"] for o in outcomes)
    database = Path(server_env["QUIZAPP_INSTANCE_DIR"]) / "quizapp.sqlite3"
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        answers = connection.scalar(select(func.count()).select_from(Answer))
        open_attempts = connection.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.finished_at.is_(None)))
    engine.dispose()
    assert answers == sum(o["questions"] for o in outcomes)
    assert open_attempts == LEARNERS // 2

    # After the kill: a new server, and the unfinished attempts resume where they were.
    server = start_server(server_env, port)
    try:
        for n in range(1, LEARNERS, 2):
            learner = Learner(base, f"learner{n}")
            learner.call("POST", "/api/session", {"username": learner.name,
                                                  "password": "correct horse"})
            _status, quizzes = learner.call("GET", "/api/quizzes")
            practice = next(q for q in quizzes["quizzes"] if q["slug"] == "practice")
            status, attempt = learner.call("POST", f"/api/quizzes/{practice['id']}/attempts", {})
            assert status == 201
            assert attempt["id"] == outcomes[n]["attempt"]
            assert all(q["answered"] for q in attempt["questions"])
    finally:
        kill_hard(server)
