"""`quizapp backup` under load and `quizapp restore` into a fresh data folder."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from helpers import quiz_id

from quizapp import create_app
from quizapp.backup import BackupError, backup, restore, serving_lock
from quizapp.cli import main
from quizapp.extensions import db
from quizapp.models import Answer

LEARNERS = 4


def api(client: Any, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.open(url, method=method, json=body if body is not None else {})


def learner(app: Flask, name: str) -> Any:
    client = app.test_client()
    response = api(client, "POST", "/api/session", {"username": name,
                                                    "password": "correct horse"})
    assert response.status_code == 200
    return client


def keep_answering(app: Flask, client: Any, stop: threading.Event, done: list[int],
                   errors: list[BaseException]) -> None:
    practice = quiz_id(app, "practice")
    try:
        while not stop.is_set():
            started = api(client, "POST", f"/api/quizzes/{practice}/attempts")
            assert started.status_code == 201, started.get_data(as_text=True)
            attempt = started.get_json()["id"]
            answered = api(client, "POST", f"/api/attempts/{attempt}/questions/1",
                           {"response": "1,520 mm"})
            assert answered.status_code == 200 and answered.get_json()["stored"]
            finished = api(client, "POST", f"/api/attempts/{attempt}/finish")
            assert finished.status_code == 200, finished.get_data(as_text=True)
            done.append(attempt)
    except BaseException as error:
        errors.append(error)


def fresh_config(root: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_DIR": str(root / "instance"),
        "QUESTIONS_DIR": str(root / "banks"),
        "SOURCES_DIR": str(root / "sources"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'instance' / 'quizapp.sqlite3'}",
    }


def test_backup_under_load_then_restore_into_a_fresh_data_folder(
    app: Flask, make_user, tmp_path: Path
) -> None:
    for n in range(LEARNERS):
        make_user(f"learner{n}")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "art.txt").write_text("The article's text.", encoding="utf-8")
    app.config["SOURCES_DIR"] = str(sources)
    clients = [learner(app, f"learner{n}") for n in range(LEARNERS)]
    stop, done, errors = threading.Event(), [], []
    threads = [threading.Thread(target=keep_answering, args=(app, c, stop, done, errors))
               for c in clients]
    for thread in threads:
        thread.start()
    try:
        while len(done) < 10 and not errors:
            time.sleep(0.05)
        with app.app_context():
            manifest = backup(app.config, Path(app.instance_path), tmp_path / "backups")
        during = len(done)
        while len(done) < during + 10 and not errors:
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors
    archive = Path(manifest["path"])
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"quizapp.sqlite3", "secret_key", "banks/sample.yaml", "sources/art.txt"} <= names

    target = tmp_path / "restored"
    config = fresh_config(target)
    result = restore(config, target / "instance", archive)
    assert result["revision"]
    database = target / "instance" / "quizapp.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        restored_answers = connection.execute("SELECT count(*) FROM answers").fetchone()[0]
        # Threads are not scheduled fairly, so ask the copy whose finished attempts it holds.
        someone_with_attempts = connection.execute(
            "SELECT users.username FROM attempts JOIN users ON users.id = attempts.user_id"
            " WHERE attempts.finished_at IS NOT NULL ORDER BY attempts.id LIMIT 1").fetchone()[0]
    with app.app_context():
        total_answers = db.session.query(Answer).count()
    # The copy is a snapshot taken while answers kept coming: some, not all of them.
    assert 10 <= restored_answers < total_answers
    assert (target / "banks" / "sample.yaml").is_file()
    assert (target / "sources" / "art.txt").read_text(encoding="utf-8") == "The article's text."
    assert (target / "instance" / "secret_key").read_text() == (
        Path(app.instance_path) / "secret_key").read_text()

    # The restored data folder serves: the learner logs in and sees their attempts.
    restored_app = create_app(config)
    try:
        client = learner(restored_app, someone_with_attempts)
        history = api(client, "GET", "/api/attempts").get_json()
        assert history["attempts"]
        assert "Sample practice" in client.get("/").get_data(as_text=True)
    finally:
        with restored_app.app_context():
            db.engine.dispose()


def test_restore_refuses_to_overwrite_unless_told_and_drops_a_stale_wal(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        archive = Path(backup(app.config, Path(app.instance_path),
                              tmp_path / "b.tar.gz")["path"])
    target = tmp_path / "other"
    config = fresh_config(target)
    restore(config, target / "instance", archive)
    with pytest.raises(BackupError, match="already hold data"):
        restore(config, target / "instance", archive)
    # The crash case: an old -wal beside the database being replaced.
    database = target / "instance" / "quizapp.sqlite3"
    database.with_name("quizapp.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 4000)
    result = restore(config, target / "instance", archive, replace=True)
    assert not database.with_name("quizapp.sqlite3-wal").exists()
    assert any("before-restore" in path for path in result["moved_aside"])
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_while_the_server_runs(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        archive = Path(backup(app.config, Path(app.instance_path),
                              tmp_path / "b.tar.gz")["path"])
    target = tmp_path / "served"
    config = fresh_config(target)
    with serving_lock(target / "instance"), pytest.raises(BackupError, match="stop it"):
        restore(config, target / "instance", archive)
    assert not (target / "instance" / "quizapp.sqlite3").exists()


def test_backup_refuses_postgresql_with_advice(tmp_path: Path) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@localhost/quizapp"}
    with pytest.raises(BackupError, match="pg_dump"):
        backup(config, tmp_path, tmp_path / "x.tar.gz")


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        (tmp_path / "evil").write_text("x")
        tar.add(tmp_path / "evil", "../evil")
    with pytest.raises(BackupError):
        restore(fresh_config(tmp_path / "t"), tmp_path / "t" / "instance", bogus)
    (tmp_path / "junk.tar.gz").write_text("not an archive")
    with pytest.raises(BackupError, match="could not be read"):
        restore(fresh_config(tmp_path / "t"), tmp_path / "t" / "instance",
                tmp_path / "junk.tar.gz")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_commands_and_a_real_server(tmp_path: Path, questions_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "live"
    env = {"QUIZAPP_INSTANCE_DIR": str(instance), "QUIZAPP_QUESTIONS_DIR": str(questions_dir)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    made = runner.invoke(main, ["backup", str(tmp_path / "nightly.tar.gz")])
    assert made.exit_code == 0, made.output
    assert "secret key" in made.output and "banks (1 files)" in made.output

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from quizapp.cli import main; main()", "serve",
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        refused = runner.invoke(main, ["restore", "--replace", str(tmp_path / "nightly.tar.gz")])
        assert refused.exit_code == 1
        assert "is running" in refused.output and "stop it" in refused.output
        second = runner.invoke(main, ["serve", "--port", str(_free_port())])
        assert second.exit_code == 1 and "already uses" in second.output
    finally:
        server.terminate()
        server.wait(timeout=30)
    restored = runner.invoke(main, ["restore", "--replace", str(tmp_path / "nightly.tar.gz")])
    assert restored.exit_code == 0, restored.output
    assert "kept the previous data" in restored.output
