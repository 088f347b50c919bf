"""Accounts: register, log in, log out, and the ways they refuse bad input."""

from __future__ import annotations

from flask import Flask
from helpers import Browser


def test_register_logs_the_new_student_in(browser: Browser) -> None:
    response = browser.register("anna")
    assert response.status_code == 302
    page = browser.get("/").get_data(as_text=True)
    assert "Log out anna" in page


def test_usernames_are_unique_ignoring_case(browser: Browser, app: Flask) -> None:
    browser.register("Anna")
    other = Browser(app.test_client())
    response = other.register("anna")
    assert response.status_code == 422
    assert "already taken" in response.get_data(as_text=True)


def test_wrong_password_is_refused(browser: Browser, make_user) -> None:
    make_user("boris")
    response = browser.login("boris", "not the password")
    assert response.status_code == 422
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert "Log out" not in browser.get("/").get_data(as_text=True)


def test_login_is_case_insensitive_on_username(browser: Browser, make_user) -> None:
    make_user("Boris")
    assert browser.login("BORIS").status_code == 302


def test_missing_csrf_token_is_a_400(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/register", data={"username": "eve", "password": "x" * 10,
                                              "confirm": "x" * 10})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_register_rejects_bad_usernames_and_short_passwords(browser: Browser) -> None:
    response = browser.register("a b", "short")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at least 8" in page.lower() or "8 to" in page


def test_mismatched_passwords(browser: Browser) -> None:
    response = browser.post("/register", {"username": "carl", "password": "long enough",
                                          "confirm": "different!"}, token_from="/register")
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)


def test_logout_needs_post_and_ends_the_session(browser: Browser) -> None:
    browser.register("dana")
    assert browser.get("/logout").status_code == 405
    assert browser.post("/logout").status_code == 302
    assert "Log out" not in browser.get("/").get_data(as_text=True)


def test_login_redirect_only_to_local_paths(browser: Browser, make_user) -> None:
    make_user("erin")
    token = browser.csrf("/login")
    response = browser.client.post(
        "/login?next=https://evil.example/", data={"csrf_token": token, "username": "erin",
                                                  "password": "correct horse"})
    assert response.headers["Location"] == "/"


def test_pages_needing_login_redirect_to_login(app: Flask) -> None:
    response = app.test_client().get("/progress")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
