"""Logins are server-side and revocable: logout, password changes, remember-me rotation,
expiry, and the CSRF token's rotation and lifetime."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from helpers import Browser, Clock, quiz_id
from htmlform import controls, unlabelled
from itsdangerous.timed import TimestampSigner

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, User, UserSession
from quizapp.services import accounts

REMEMBER = "remember_token"


def logged_in(client: Any) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


def copy_cookies(source: Any, target: Any, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value)


def remember_login(app: Flask, username: str) -> Browser:
    browser = Browser(app.test_client())
    response = browser.post("/login", {"username": username, "password": "correct horse",
                                       "remember": "y"}, token_from="/login")
    assert response.status_code == 302
    return browser


def test_a_copied_session_cookie_stops_working_after_logout(app: Flask, make_user) -> None:
    make_user("anna")
    browser = Browser(app.test_client())
    browser.login("anna")
    thief = app.test_client()
    copy_cookies(browser.client, thief, "session")
    assert logged_in(thief)
    assert browser.post("/logout").status_code == 302
    assert not logged_in(browser.client)
    assert not logged_in(thief)


def test_api_logout_ends_the_session_server_side(app: Flask, make_user) -> None:
    make_user("anna")
    client = app.test_client()
    assert client.post("/api/session", json={"username": "anna",
                                             "password": "correct horse"}).status_code == 200
    thief = app.test_client()
    copy_cookies(client, thief, "session")
    assert thief.get("/api/quizzes").status_code == 200
    assert client.delete("/api/session", json={}).status_code == 200
    assert thief.get("/api/quizzes").status_code == 401


def test_changing_the_password_logs_out_everywhere(app: Flask, make_user) -> None:
    user_id = make_user("boris")
    first, second = Browser(app.test_client()), remember_login(app, "boris")
    first.login("boris")
    assert logged_in(first.client) and logged_in(second.client)
    with app.app_context():
        user = db.session.get(User, user_id)
        accounts.set_password(db.session, user, "pelican umbrella tulip")
        assert db.session.query(UserSession).filter_by(user_id=user_id).count() == 0
    assert not logged_in(first.client)
    assert not logged_in(second.client)
    # Not even the long-lived cookie alone brings the login back.
    fresh = app.test_client()
    copy_cookies(second.client, fresh, REMEMBER)
    assert not logged_in(fresh)
    assert Browser(app.test_client()).login("boris", "pelican umbrella tulip").status_code == 302


def test_set_password_refuses_weak_ones_and_keeps_the_old(app: Flask, make_user) -> None:
    user_id = make_user("celia")
    browser = Browser(app.test_client())
    browser.login("celia")
    with app.app_context():
        user = db.session.get(User, user_id)
        with pytest.raises(accounts.AccountError, match="too easy"):
            accounts.set_password(db.session, user, "celia1234")
    assert logged_in(browser.client)


def test_remember_me_tokens_differ_rotate_and_expire(
    app: Flask, make_user, clock: Clock
) -> None:
    make_user("dora")
    one, two = remember_login(app, "dora"), remember_login(app, "dora")
    cookie_one = one.client.get_cookie(REMEMBER)
    cookie_two = two.client.get_cookie(REMEMBER)
    assert cookie_one.value != cookie_two.value
    lifetime = cookie_one.expires.timestamp() - time.time()
    assert 29 * 86400 < lifetime <= 30 * 86400 + 60

    # A new browser session restored by the long-lived cookie gets a fresh one.
    reopened = app.test_client()
    copy_cookies(one.client, reopened, REMEMBER)
    assert logged_in(reopened)
    rotated = reopened.get_cookie(REMEMBER)
    assert rotated.value != cookie_one.value
    # The old token has a minute's grace for requests already on their way, then stops.
    clock.advance(seconds=61)
    stale = app.test_client()
    stale.set_cookie(REMEMBER, cookie_one.value)
    assert not logged_in(stale)
    again = app.test_client()
    again.set_cookie(REMEMBER, rotated.value)
    assert logged_in(again)
    # Thirty days without coming back: the login has ended server-side.
    clock.advance(days=31)
    late = app.test_client()
    late.set_cookie(REMEMBER, again.get_cookie(REMEMBER).value)
    assert not logged_in(late)


def test_logout_revokes_the_remember_cookie(app: Flask, make_user) -> None:
    make_user("emil")
    browser = remember_login(app, "emil")
    saved = browser.client.get_cookie(REMEMBER).value
    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie(REMEMBER, saved)
    assert not logged_in(thief)


def test_a_login_ends_after_its_lifetime(app: Flask, make_user, clock: Clock) -> None:
    make_user("fay")
    browser = Browser(app.test_client())
    browser.login("fay")
    clock.advance(hours=11)
    assert logged_in(browser.client)
    clock.advance(hours=1, seconds=1)
    assert not logged_in(browser.client)


def test_the_session_table_holds_only_token_hashes(app: Flask, make_user) -> None:
    make_user("gus")
    browser = Browser(app.test_client())
    browser.login("gus")
    session_cookie = browser.client.get_cookie("session").value
    with app.app_context():
        hashes = [row.token_hash for row in db.session.query(UserSession)]
    assert len(hashes) == 1 and hashes[0] not in session_cookie


def test_the_csrf_token_changes_at_login(app: Flask, make_user) -> None:
    make_user("hana")
    browser = Browser(app.test_client())
    before = browser.csrf("/login")
    response = browser.client.post("/login", data={"csrf_token": before, "username": "hana",
                                                   "password": "correct horse"})
    assert response.status_code == 302
    after = browser.csrf("/")
    assert after != before
    # The token read before logging in is no good for the logged-in session.
    refused = browser.client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert logged_in(browser.client)


def test_an_expired_form_token_on_an_answer_gives_a_friendly_400(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("ivan")
    browser = Browser(app.test_client())
    browser.login("ivan")
    response = browser.post(f"/quiz/{quiz_id(app, 'exam')}/start")
    page_url = browser.get(response.headers["Location"]).headers["Location"]
    page = browser.get(page_url).get_data(as_text=True)
    token = browser.csrf(page_url)
    field = next(c.name for c in controls(page)
                 if c.tag == "input" and c.attrs.get("type") == "text")
    # Nine hours later (past the eight-hour token lifetime) the learner submits.
    late = int(time.time()) + 9 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: late)
    response = browser.client.post(page_url, data={"csrf_token": token, field: "1520"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Form expired" in text and "reload the page" in text
    monkeypatch.undo()
    with app.app_context():
        assert db.session.query(Answer).count() == 0
        assert db.session.query(Attempt).one().finished_at is None
    # Reloading the page gives a fresh token and the exam carries on.
    assert browser.get(page_url).status_code == 200


def test_changing_ones_own_password_keeps_this_browser_only(app: Flask, make_user) -> None:
    make_user("jana")
    here, elsewhere = Browser(app.test_client()), Browser(app.test_client())
    here.login("jana")
    elsewhere.login("jana")
    page = here.get("/account/password").get_data(as_text=True)
    assert "Change your password" in page
    assert not unlabelled(page)
    wrong = here.post("/account/password", {"current": "not it at all", "password":
                      "pelican umbrella tulip", "confirm": "pelican umbrella tulip"},
                      token_from="/account/password")
    assert wrong.status_code == 422
    assert "not your current password" in wrong.get_data(as_text=True)
    weak = here.post("/account/password", {"current": "correct horse", "password": "jana2026!",
                     "confirm": "jana2026!"}, token_from="/account/password")
    assert weak.status_code == 422 and "too easy to guess" in weak.get_data(as_text=True)
    done = here.post("/account/password", {"current": "correct horse", "password":
                     "pelican umbrella tulip", "confirm": "pelican umbrella tulip"},
                     token_from="/account/password")
    assert done.status_code == 302
    assert logged_in(here.client)
    assert not logged_in(elsewhere.client)
    assert Browser(app.test_client()).login("jana", "pelican umbrella tulip").status_code == 302


def test_log_out_everywhere(app: Flask, make_user) -> None:
    make_user("karl")
    here, elsewhere = Browser(app.test_client()), remember_login(app, "karl")
    here.login("karl")
    response = here.post("/account/logout-everywhere", token_from="/account/password")
    assert response.status_code == 302
    assert not logged_in(here.client) and not logged_in(elsewhere.client)


def test_users_compare_by_account_however_they_were_loaded(app: Flask, make_user) -> None:
    user_id = make_user("lena")
    with app.app_context():
        loaded = db.session.get(User, user_id)
        other = User(id=user_id)
        other.session_token = "some login"
        assert loaded == other
        assert loaded != User(id=user_id + 1)


def test_set_password_command_resets_and_logs_out(app: Flask, make_user, tmp_path) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import main

    make_user("mona")
    browser = Browser(app.test_client())
    browser.login("mona")
    secret = tmp_path / "pw"
    runner = CliRunner()
    obj = ScriptInfo(create_app=lambda: app)
    secret.write_text("password\n")
    weak = runner.invoke(main, ["set-password", "mona", "--password-file", str(secret)], obj=obj)
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    assert logged_in(browser.client)
    secret.write_text("pelican umbrella tulip\n")
    done = runner.invoke(main, ["set-password", "MONA", "--password-file", str(secret)], obj=obj)
    assert done.exit_code == 0, done.output
    assert not logged_in(browser.client)
    missing = runner.invoke(main, ["set-password", "nobody", "--password-file", str(secret)],
                            obj=obj)
    assert missing.exit_code == 1 and "No user 'nobody'" in missing.output
