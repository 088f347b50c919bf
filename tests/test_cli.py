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
from typing import Any

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
    # The teachers' sample bank and the bundled bank; no migration chatter.
    assert "2 loaded" in result.output
    assert "INFO" not in result.output and "alembic" not in result.output
    database = Path(env["QUIZAPP_INSTANCE_DIR"]) / "quizapp.sqlite3"
    assert f"Database ready at sqlite:///{database}." in result.output
    again = run("sync")
    assert "2 unchanged" in again.output and again.exit_code == 0


def test_migration_steps_show_only_when_verbose(env: dict[str, str]) -> None:
    result = run("-v", "init")
    assert result.exit_code == 0, result.output
    assert "Running upgrade" in result.output


def test_sync_reports_a_broken_file_and_fails(env: dict[str, str], questions_dir: Path) -> None:
    (questions_dir / "broken.yaml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    for command in ("init", "sync", "sync"):
        # A bank that is not serving its latest file fails every run, not only the first.
        result = run(command)
        assert result.exit_code == 1, result.output
        assert "1 with errors" in result.output
        assert "broken.yaml:" in result.output and "error:" in result.output
        assert "1 bank file is not serving its latest version" in result.output


def test_a_bank_that_keeps_an_older_version_is_still_reported(
    env: dict[str, str], questions_dir: Path
) -> None:
    assert run("init").exit_code == 0
    sample = questions_dir / "sample.yaml"
    sample.write_text(SAMPLE_BANK.replace("points: 2", "points: -1"), encoding="utf-8")
    for _ in range(2):
        result = run("sync")
        assert result.exit_code == 1 and "sample.yaml:" in result.output
        assert "1 with errors" in result.output


def test_a_bank_id_clash_with_a_bundled_bank_names_both_files(
    env: dict[str, str], questions_dir: Path
) -> None:
    bundled = (REPO_ROOT / "questions" / "belarus-role.yaml").read_text(encoding="utf-8")
    (questions_dir / "my-copy.yaml").write_text(bundled, encoding="utf-8")
    result = run("init")
    assert result.exit_code == 1
    assert ("my-copy.yaml:" in result.output and
            "bank id 'belarus-role' is already used by bundled/belarus-role.yaml"
            in result.output), result.output


def test_create_user_with_a_password_file(env: dict[str, str], tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    result = run("create-user", "Teacher1", "--role", "teacher", "--password-file", str(secret))
    assert result.exit_code == 0, result.output
    database = Path(env["QUIZAPP_INSTANCE_DIR"]) / "quizapp.sqlite3"
    assert f"Created teacher 'Teacher1' in sqlite:///{database}." in result.output
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
    # Against the articles when they are beside the repository, else their fingerprints.
    sources = SOURCES_DIR if SOURCES_DIR.is_dir() else REPO_ROOT / "questions" / "sources"
    result = run("lint", str(REPO_ROOT / "questions"), "--sources", str(sources))
    assert result.exit_code == 0, result.output
    # Leak warnings aside, which the bank's revision removes.
    assert "1 file checked: 0 errors" in result.output or "no problems" in result.output
    assert [line for line in result.output.splitlines()
            if ": warning: " in line and " is printed in " not in line
            and " asks for " not in line] == []


def test_lint_without_a_path_checks_the_teachers_folder(
    env: dict[str, str], questions_dir: Path
) -> None:
    clean = run("lint")
    assert clean.exit_code == 0, clean.output
    assert f"Checking the teachers' bank folder {questions_dir}" in clean.output
    # The sample bank cites a source with no text, so grounding says it cannot check it.
    assert "1 file checked: 0 errors, 1 warning" in clean.output
    assert "source 'art' has no `file`, so quotes from it are not checked" in clean.output
    (questions_dir / "fault.yaml").write_text(
        SAMPLE_BANK.replace("id: sample", "id: fault").replace("points: 2", "points: -1"),
        encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 1
    assert f"{questions_dir / 'fault.yaml'}:" in result.output


def test_lint_without_a_path_uses_the_data_folder(tmp_path: Path, monkeypatch) -> None:
    for name in list(os.environ):
        if name.startswith("QUIZAPP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path / "data"))
    banks = tmp_path / "data" / "banks"
    banks.mkdir(parents=True)
    (banks / "sample.yaml").write_text(SAMPLE_BANK.replace("dif", "dyf"), encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 1
    assert f"Checking the teachers' bank folder {banks}" in result.output
    assert f"{banks / 'sample.yaml'}:" in result.output


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


def test_serve_starts_gunicorn_and_serves_the_home_page(env: dict[str, str],
                                                        tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from quizapp.cli import main; main()",
               "serve", "--port", str(port), "--workers", "1"]
    home = tmp_path / "home"
    home.mkdir()
    # No XDG_RUNTIME_DIR: gunicorn would put its control socket under HOME.
    server_env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    process = subprocess.Popen(command, env={**server_env, **env, "HOME": str(home)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        # One server's control socket would be shared by every server of the user.
        assert not (home / ".gunicorn").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert f"Data folder: {env['QUIZAPP_INSTANCE_DIR']}" in output, output
    assert "INFO  [alembic" not in output


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


# -- the data folder, accounts and `info` ----------------------------------------------------
def _clean_env(tmp_path: Path) -> dict[str, str]:
    """An environment with no QUIZAPP_ variable and an empty home folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUIZAPP_") and k != "XDG_DATA_HOME"}
    (tmp_path / "home").mkdir(exist_ok=True)
    env["HOME"] = str(tmp_path / "home")
    return env


def _quizapp(args: list[str], env: dict[str, str], cwd: Path,
             stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from quizapp.cli import main; main()", *args],
                          env=env, cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_help_creates_nothing(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    for args in (["--help"], ["init", "--help"], ["user", "--help"], ["sources", "--help"]):
        result = _quizapp(args, env, work)
        assert result.returncode == 0, result.stderr
    assert list((tmp_path / "home").rglob("*")) == []
    assert list(work.iterdir()) == []


def test_create_user_from_another_directory_makes_an_account_that_can_log_in(
    tmp_path: Path, monkeypatch
) -> None:
    """No variable set: the command and the server find the same per-user data folder."""
    env = _clean_env(tmp_path)
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    made = _quizapp(["create-user", "tom", "--role", "teacher", "--password-file", "-"],
                    env, elsewhere, stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    data = tmp_path / "home" / ".local" / "share" / "quizapp"
    assert f"in sqlite:///{data / 'quizapp.sqlite3'}." in made.stdout
    info = _quizapp(["info"], env, tmp_path)
    assert f"data folder:     {data}" in info.stdout, info.stdout

    # The server, started from yet another directory with the same user's environment.
    for name in list(os.environ):
        if name.startswith("QUIZAPP_") or name == "XDG_DATA_HOME":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", env["HOME"])
    monkeypatch.chdir(tmp_path)
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"username": "tom",
                                           "password": "a long enough password"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert client.get("/teach/").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_info_prints_folders_counts_and_version(env: dict[str, str], questions_dir: Path,
                                                tmp_path: Path) -> None:
    run("init")
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    run("create-user", "ann", "--password-file", str(secret))
    result = run("info")
    assert result.exit_code == 0, result.output
    data = Path(env["QUIZAPP_INSTANCE_DIR"])
    for line in (f"data folder:     {data}",
                 f"database:        sqlite:///{data / 'quizapp.sqlite3'}",
                 f"teachers' banks: {questions_dir}",
                 f"bundled banks:   {REPO_ROOT / 'questions'}",
                 "users:           1", "banks:           2", "attempts:        0",
                 "version:         0.1.0"):
        assert line in result.output, result.output


def test_info_before_init_creates_no_database(env: dict[str, str]) -> None:
    result = run("info")
    assert result.exit_code == 0, result.output
    assert "users:           none yet (no database: run `quizapp init`)" in result.output
    import sqlite3

    database = Path(env["QUIZAPP_INSTANCE_DIR"]) / "quizapp.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_info_hides_the_database_password(env: dict[str, str], monkeypatch) -> None:
    from quizapp import create_app
    from quizapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:s3cret@db.example/x"})
    with app.app_context():
        label = db.engine.url.render_as_string(hide_password=True)
    assert "s3cret" not in label and "***" in label


def test_user_list_set_role_and_set_password(env: dict[str, str], tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    assert run("user", "list").output.startswith("No users in sqlite:///")
    run("create-user", "Tom", "--password-file", str(secret))
    run("create-user", "ann", "--role", "teacher", "--password-file", str(secret))
    listed = run("user", "list").output.splitlines()
    assert [line.split()[:2] for line in listed] == [["ann", "teacher"], ["Tom", "student"]]

    promoted = run("user", "set-role", "tom", "admin")
    assert promoted.exit_code == 0 and "'Tom' was student, is now admin." in promoted.output
    assert run("user", "set-role", "tom", "wizard").exit_code == 2  # not a role
    unknown = run("user", "set-role", "nobody", "teacher")
    assert unknown.exit_code == 1 and "No user 'nobody'" in unknown.output

    fresh = tmp_path / "pw2"
    fresh.write_text("an entirely new password\n")
    changed = run("user", "set-password", "TOM", "--password-file", str(fresh))
    assert changed.exit_code == 0 and "Password of 'Tom' changed in sqlite:///" in changed.output
    short = run("user", "set-password", "tom", input="short\nshort\n")
    assert short.exit_code == 1 and "8 to" in short.output
    assert run("user", "set-password", "nobody", "--password-file", str(fresh)).exit_code == 1

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.services.accounts import authenticate

    app = create_app()
    with app.app_context():
        assert authenticate(db.session, "tom", "an entirely new password",
                            address="127.0.0.1") is not None
        assert authenticate(db.session, "tom", "a long enough password",
                            address="127.0.0.1") is None
        db.engine.dispose()


# -- bundled and teachers' banks side by side ------------------------------------------------
def _bank_states(app: Any) -> dict[str, bool]:
    from quizapp.extensions import db
    from quizapp.models import Bank

    with app.app_context():
        states = {bank.slug: bank.retired for bank in db.session.query(Bank)}
        db.engine.dispose()
    return states


def test_reloading_the_teachers_folder_leaves_the_bundled_banks_alone(
    env: dict[str, str], questions_dir: Path
) -> None:
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.services.banks import reload_folder

    assert run("init").exit_code == 0
    (questions_dir / "sample.yaml").unlink()
    app = create_app()
    with app.app_context():
        report = reload_folder(db.session, questions_dir, 1_000_000)
    assert report.removed == ["sample.yaml"] and not report.failed
    assert _bank_states(app) == {"sample": True, "belarus-role": False}


def test_an_install_that_served_the_bundled_folder_moves_over_cleanly(
    env: dict[str, str], questions_dir: Path
) -> None:
    """Before the data folder, the bundled banks were synced as the questions folder."""
    from quizapp import create_app
    from quizapp.banks.sync import sync_folder
    from quizapp.database import upgrade_database
    from quizapp.extensions import db

    app = create_app()
    with app.app_context():
        upgrade_database()
        old = sync_folder(db.session, REPO_ROOT / "questions")
        assert old.loaded == ["belarus-role.yaml"]
        db.engine.dispose()
    result = run("sync")
    assert result.exit_code == 0, result.output
    assert "2 loaded, 0 unchanged, 0 with errors, 1 removed" in result.output
    assert _bank_states(app) == {"belarus-role": False, "sample": False}
