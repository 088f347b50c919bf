"""The `quizapp` command, run as a teacher or an administrator would run it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO_ROOT, SAMPLE_BANK, SOURCES_DIR

from quizapp.cli import main


@pytest.fixture
def env(tmp_path: Path, questions_dir: Path, monkeypatch) -> dict[str, str]:
    values = {
        "QUIZAPP_INSTANCE_DIR": str(tmp_path / "instance"),
        "QUIZAPP_QUESTIONS_DIR": str(questions_dir),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    return values


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_init_creates_the_database_and_loads_banks(env: dict[str, str]) -> None:
    result = run("init")
    assert result.exit_code == 0, result.output
    assert "1 loaded" in result.output
    assert (Path(env["QUIZAPP_INSTANCE_DIR"]) / "quizapp.sqlite3").exists()
    again = run("sync")
    assert "1 unchanged" in again.output


def test_sync_reports_a_broken_file_and_fails(env: dict[str, str], questions_dir: Path) -> None:
    (questions_dir / "broken.yaml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    result = run("sync")
    assert result.exit_code == 1
    assert "broken.yaml:" in result.output


def test_create_user_with_a_password_file(env: dict[str, str], tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    result = run("create-user", "Teacher1", "--role", "teacher", "--password-file", str(secret))
    assert result.exit_code == 0, result.output
    assert "Created teacher 'Teacher1'" in result.output
    duplicate = run("create-user", "teacher1", "--password-file", str(secret))
    assert duplicate.exit_code == 1 and "already taken" in duplicate.output


def test_create_user_prompts_for_the_password(env: dict[str, str]) -> None:
    result = run("create-user", "learner", input="another password\nanother password\n")
    assert result.exit_code == 0, result.output


def test_create_user_refuses_a_short_password(env: dict[str, str]) -> None:
    result = run("create-user", "learner", input="short\nshort\n")
    assert result.exit_code == 1 and "8 to" in result.output


def test_lint_exit_codes(tmp_path: Path, questions_dir: Path) -> None:
    assert run("lint", str(questions_dir)).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_BANK.replace("difficulty: easy", "dificulty: easy"), encoding="utf-8")
    result = run("lint", str(bad))
    assert result.exit_code == 1
    line = SAMPLE_BANK.splitlines().index("    difficulty: easy") + 1
    assert f"{bad}:{line}:5: error:" in result.output
    assert "difficulty" in result.output
    assert run("lint", str(tmp_path / "missing.yaml")).exit_code == 2


def test_lint_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE_BANK.replace("points: 2", "points: -1"), encoding="utf-8")
    result = run("lint", str(bad), "--format", "json")
    messages = json.loads(result.output)
    assert result.exit_code == 1
    assert any(m["severity"] == "error" and "points" in m["message"] for m in messages)


def test_lint_of_the_bundled_banks_with_grounding() -> None:
    result = run("lint", str(REPO_ROOT / "questions"), "--sources", str(SOURCES_DIR))
    assert result.exit_code == 0, result.output


def test_dump_prints_json(questions_dir: Path) -> None:
    result = run("dump", str(questions_dir))
    data = json.loads(result.output)
    bank = data["banks"][0]
    assert bank["id"] == "sample"
    assert [q["id"] for q in bank["questions"]] == ["gauge", "city"]


def test_try_shows_how_answers_are_read(questions_dir: Path) -> None:
    bank = str(questions_dir / "sample.yaml")
    result = run("try", bank, "gauge", "1.52 m", "1,5", "7 furlongs")
    assert result.exit_code == 0
    assert "1,520" in result.output and "1.00" in result.output
    assert "could not be read" in result.output
    as_json = json.loads(run("try", bank, "gauge", "1520", "--format", "json").output)
    assert as_json[0]["fraction"] == 1.0


def test_try_unknown_question_or_bad_file(tmp_path: Path, questions_dir: Path) -> None:
    assert run("try", str(questions_dir / "sample.yaml"), "nope", "x").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [", encoding="utf-8")
    assert run("try", str(bad), "gauge", "1").exit_code == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_gunicorn_and_serves_the_home_page(env: dict[str, str]) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from quizapp.cli import main; main()",
               "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "Sample practice" in page
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_finish_expired_finishes_timed_attempts_past_their_deadline(env: dict[str, str]) -> None:
    from datetime import UTC, datetime, timedelta

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import Attempt, Quiz
    from quizapp.services.accounts import create_user
    from quizapp.services.attempts import start_attempt

    run("init")
    app = create_app()
    with app.app_context():
        learner = create_user(db.session, "late-learner", "correct horse").id
        exam = db.session.query(Quiz).filter_by(slug="exam").one().id
        long_ago = datetime.now(UTC) - timedelta(hours=2)
        attempt_id = start_attempt(db.session, learner, exam, long_ago).id
        db.engine.dispose()
    result = run("finish-expired")
    assert result.exit_code == 0 and "Finished 1 expired attempt." in result.output
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_at == attempt.deadline
