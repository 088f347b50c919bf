"""Login and registration throttles, hashing before throttling, equal work for unknown names,
and password strength."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import Browser, Clock

from quizapp.extensions import db
from quizapp.services import accounts
from quizapp.services.accounts import AccountError, check_password_strength


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash checked, by the hash it was checked against."""
    checked: list[str] = []
    real = accounts.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return checked


def api_login(client: Any, username: str, password: str) -> Any:
    return client.post("/api/session", json={"username": username, "password": password})


def test_wrong_passwords_lock_the_account_for_a_while(
    browser: Browser, make_user, clock: Clock
) -> None:
    make_user("boris")
    for _ in range(10):
        assert browser.login("boris", "not the password").status_code == 422
    refused = browser.login("boris")  # even the right password waits now
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert "Too many attempts. Try again in 15 minutes." in refused.get_data(as_text=True)
    clock.advance(minutes=11)
    later = browser.login("boris")
    assert later.status_code == 429
    assert "Try again in 4 minutes." in later.get_data(as_text=True)
    clock.advance(minutes=4)
    assert browser.login("boris").status_code == 302


def test_right_passwords_do_not_use_up_the_allowance(app: Flask, make_user) -> None:
    make_user("cleo")
    for _ in range(15):
        client = app.test_client()
        assert api_login(client, "cleo", "correct horse").status_code == 200


def test_one_address_guessing_many_accounts_is_stopped(make_app, clock: Clock) -> None:
    app = make_app(LOGIN_LIMIT_PER_ADDRESS=5)
    client = app.test_client()
    codes = [api_login(client, f"name{n}", "whatever it is").status_code for n in range(7)]
    assert codes == [401] * 5 + [429] * 2
    # Another address is not affected.
    other = app.test_client()
    response = other.post("/api/session", json={"username": "x1", "password": "y"},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 401


def test_api_login_throttle_says_how_long_to_wait(app: Flask, make_user) -> None:
    make_user("dora")
    client = app.test_client()
    for _ in range(10):
        assert api_login(client, "dora", "nope nope").status_code == 401
    response = api_login(client, "dora", "correct horse")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    body = response.get_json()
    assert body["retry_after"] == 900
    assert body["detail"] == "Too many attempts. Try again in 15 minutes."


def test_throttled_logins_are_refused_before_any_hashing(
    app: Flask, make_user, hashes: list[str]
) -> None:
    make_user("emil")
    client = app.test_client()
    for _ in range(30):
        api_login(client, "emil", "wrong wrong")
    assert len(hashes) == 10


def test_unknown_names_cost_one_hash_check_like_known_ones(
    app: Flask, make_user, hashes: list[str]
) -> None:
    make_user("fay")
    client = app.test_client()
    assert api_login(client, "fay", "wrong wrong").status_code == 401
    assert api_login(client, "nobody-here", "wrong wrong").status_code == 401
    assert len(hashes) == 2
    # The dummy hash is made the same way as real ones (same method and cost).
    with app.app_context():
        real = db.session.scalars(db.select(accounts.User.password_hash)).first()
    assert hashes[1] != real and hashes[1].split("$")[0] == real.split("$")[0]


def test_thirty_simultaneous_wrong_logins_hash_only_the_allowance(
    app: Flask, make_user, hashes: list[str]
) -> None:
    make_user("gus")
    barrier = threading.Barrier(30)
    codes: list[int] = []

    def one() -> None:
        client = app.test_client()
        barrier.wait()
        codes.append(api_login(client, "gus", "wrong wrong").status_code)

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [401] * 10 + [429] * 20
    assert len(hashes) == 10


def test_registrations_are_throttled_per_address(make_app) -> None:
    app = make_app(REGISTER_LIMIT_PER_ADDRESS=3)
    codes = []
    for n in range(4):
        browser = Browser(app.test_client())
        codes.append(browser.register(f"learner{n}").status_code)
    assert codes == [302, 302, 302, 429]
    browser = Browser(app.test_client())
    response = browser.register("learner9")
    assert "Too many attempts. Try again in 60 minutes." in response.get_data(as_text=True)


@pytest.mark.parametrize("password", ["password", "12345678", "aaaaaaaa", "qwertyuiop",
                                      "quizapp2026"])
def test_common_passwords_are_refused(browser: Browser, password: str) -> None:
    response = browser.register("hanna", password)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "too easy to guess" in page
    # Shown at the password box, not the username.
    errors = page[page.index('id="password-errors"'):]
    assert "too easy to guess" in errors[:errors.index("</ul>")]


def test_passwords_made_of_the_users_own_name_are_refused() -> None:
    check_password_strength("Rosalind-Franklin", "mallory")
    with pytest.raises(AccountError, match="too easy to guess"):
        check_password_strength("Rosalind-Franklin", "Rosalind-Franklin")
    with pytest.raises(AccountError, match="too easy to guess"):
        check_password_strength("Rosalind-Franklin", "ros", "Rosalind Franklin")


def test_a_strong_password_is_accepted(browser: Browser) -> None:
    assert browser.register("ivan", "pelican umbrella tulip").status_code == 302


def test_the_limit_holds_across_gunicorn_workers(tmp_path: Path, questions_dir: Path) -> None:
    """30 wrong passwords at once against a real server with two worker processes."""
    env = {**os.environ, "QUIZAPP_INSTANCE_DIR": str(tmp_path / "live"),
           "QUIZAPP_QUESTIONS_DIR": str(questions_dir)}
    env.pop("QUIZAPP_DATABASE_URL", None)
    command = [sys.executable, "-c", "from quizapp.cli import main; main()"]
    subprocess.run([*command, "create-user", "olga", "--password-file", "-"], env=env,
                   input=b"correct horse\n", check=True, capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([*command, "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

        def attempt(password: str) -> tuple[int, str | None]:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/session", method="POST",
                data=json.dumps({"username": "olga", "password": password}).encode(),
                headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, None
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("Retry-After")

        barrier = threading.Barrier(30)
        results: list[tuple[int, str | None]] = []

        def one() -> None:
            barrier.wait()
            results.append(attempt("wrong wrong"))

        threads = [threading.Thread(target=one) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(code for code, _ in results)
        assert codes == [401] * 10 + [429] * 20
        assert all(wait and 0 < int(wait) <= 900 for code, wait in results if code == 429)
        assert attempt("correct horse")[0] == 429
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_behind_a_proxy_the_forwarded_address_is_throttled(make_app) -> None:
    app = make_app(LOGIN_LIMIT_PER_ADDRESS=2, PROXY_COUNT=1)
    client = app.test_client()

    def from_address(address: str) -> int:
        return client.post("/api/session", json={"username": "x", "password": "y"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [from_address("203.0.113.1") for _ in range(3)] == [401, 401, 429]
    assert from_address("203.0.113.2") == 401


def test_limits_come_from_the_environment() -> None:
    from quizapp.config import settings_from_env

    settings = settings_from_env({"QUIZAPP_LOGIN_LIMIT_PER_ADDRESS": "300",
                                  "QUIZAPP_PROXY_COUNT": "1"})
    assert settings == {"LOGIN_LIMIT_PER_ADDRESS": 300, "PROXY_COUNT": 1}
    policy = accounts.LoginPolicy.from_config(settings)
    assert policy.per_address.count == 300 and policy.per_account.count == 10
