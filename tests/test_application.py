"""The app's Flask class remembers the relative URLs it builds (the same URLs as Flask
builds, for each path the app is served under) and the session cookies it has checked
(opened as Flask opens them, and still refused when changed or too old)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, request, url_for
from flask.sessions import SecureCookieSessionInterface
from helpers import Browser

from quizapp.application import URL_CACHE_SIZE, QuizappFlask


def built(app: Flask, endpoint: str, script_root: str = "", **values: object) -> str:
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        return url_for(endpoint, **values)


def test_urls_are_flasks_own(app: Flask) -> None:
    plain = Flask(__name__)
    plain.add_url_rule("/attempt/<int:attempt_id>/q/<int:position>", "quiz.question")
    for _ in range(2):  # built, then remembered
        assert built(app, "quiz.question", attempt_id=3, position=2) == built(
            plain, "quiz.question", attempt_id=3, position=2) == "/attempt/3/q/2"
    assert built(app, "quiz.question", attempt_id=4, position=2) == "/attempt/4/q/2"
    # Values outside the rule go to the query string, as Flask puts them.
    assert built(app, "quiz.progress", page=2) == "/progress?page=2"


def test_each_path_the_app_is_served_under_keeps_its_own_urls(app: Flask) -> None:
    assert built(app, "quiz.progress") == "/progress"
    assert built(app, "quiz.progress", "/school") == "/school/progress"
    assert built(app, "quiz.progress") == "/progress"


def test_what_is_not_remembered_is_still_built(app: Flask) -> None:
    with app.test_request_context("/"):
        assert url_for("quiz.progress", _external=True) == "http://localhost/progress"
        assert url_for("quiz.progress", _anchor="topics") == "/progress#topics"
        # A list of values cannot be a key: built each time, as Flask builds it.
        assert url_for("quiz.progress", tag=["a", "b"]) == "/progress?tag=a&tag=b"
    app.config["SERVER_NAME"] = "quiz.example"
    with app.app_context():  # outside a request: external, as Flask builds it
        assert url_for("quiz.progress") == "http://quiz.example/progress"


def test_the_table_is_bounded(app: Flask) -> None:
    assert isinstance(app, QuizappFlask)
    for attempt in range(URL_CACHE_SIZE + 5):
        built(app, "quiz.summary", attempt_id=attempt)
    assert 0 < len(app.built_urls) <= URL_CACHE_SIZE


# -- session cookies, checked once per worker ------------------------------------------


def session_cookie(app: Flask, data: dict[str, object]) -> str:
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return str(serializer.dumps(data))


def opened(app: Flask, cookie: str) -> dict[str, object]:
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        session = app.session_interface.open_session(app, request)
        assert session is not None
        return dict(session)


def test_a_good_cookie_opens_as_flask_opens_it_and_is_then_looked_up(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = session_cookie(app, {"_user_id": "token", "csrf_token": "secret"})
    assert opened(app, cookie) == {"_user_id": "token", "csrf_token": "secret"}
    assert opened(app, cookie) == SecureCookieSessionInterface().open_session(
        app, app.test_request_context("/", headers={"Cookie": f"session={cookie}"}).request)
    # Kept: no second check of its signature.
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    monkeypatch.setattr(serializer, "loads", lambda *a, **k: pytest.fail("checked again"))
    assert opened(app, cookie)["_user_id"] == "token"


def test_a_tampered_or_foreign_cookie_opens_an_empty_session(app: Flask) -> None:
    cookie = session_cookie(app, {"_user_id": "token"})
    assert opened(app, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")) == {}
    other = Flask(__name__)
    other.secret_key = "another key"
    assert opened(app, session_cookie(other, {"_user_id": "token"})) == {}
    assert opened(app, "not a cookie") == {}


def test_a_kept_cookie_still_expires(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.permanent_session_lifetime = timedelta(hours=1)
    cookie = session_cookie(app, {"_user_id": "token"})
    assert opened(app, cookie) == {"_user_id": "token"}
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert opened(app, cookie) == {}


def test_a_session_changed_in_a_request_does_not_change_the_kept_cookie(app: Flask) -> None:
    cookie = session_cookie(app, {"_user_id": "token"})
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        session = app.session_interface.open_session(app, request)
        assert session is not None
        session["_user_id"] = "changed"
        session["_flashes"] = [("info", "Saved.")]
    assert opened(app, cookie) == {"_user_id": "token"}


def test_a_cookie_holding_a_list_is_checked_every_time(app: Flask) -> None:
    flashes = session_cookie(app, {"_flashes": [["info", "Saved."]]})
    assert opened(app, flashes) == {"_flashes": [["info", "Saved."]]}
    assert flashes not in app.session_interface.checked  # type: ignore[attr-defined]


def test_logging_in_and_out_works_through_kept_cookies(
    browser: Browser, make_user: Callable[..., Any]
) -> None:
    make_user("anna")
    browser.login("anna")
    for _ in range(2):
        assert browser.get("/progress").status_code == 200
    browser.post("/logout", token_from="/progress")
    assert browser.get("/progress").status_code == 302


# -- templates' globals ---------------------------------------------------------------


def test_templates_see_the_apps_globals_and_their_own(app: Flask) -> None:
    environment = app.jinja_env
    environment.globals["school"] = "Lincoln High"
    page = environment.from_string("{{ school }} {{ url_for('quiz.progress') }}")
    own = environment.from_string("{{ school }}", globals={"school": "Ash Grove"})
    with app.test_request_context("/"):
        assert page.render() == "Lincoln High /progress"
        assert own.render() == "Ash Grove"
    # A template's own globals stay its own.
    assert environment.globals["school"] == "Lincoln High"


def test_imported_macros_render_as_jinja_renders_them(app: Flask) -> None:
    from jinja2 import DictLoader, Environment

    templates = {
        "macros.html": "{% macro hello(name) %}Hello {{ name }} from {{ school }}{% endmacro %}",
        "page.html": '{% from "macros.html" import hello %}{{ hello("Ada") }}',
    }
    plain = Environment(loader=DictLoader(templates))
    ours = app.jinja_env.overlay(loader=DictLoader(templates))
    for environment in (plain, ours):
        environment.globals["school"] = "Lincoln High"
        for _ in range(2):  # loaded, then cached
            assert environment.get_template("page.html").render() == (
                "Hello Ada from Lincoln High")
