"""The app's Flask class remembers the relative URLs it builds: the same URLs as Flask
builds, for each path the app is served under."""

from __future__ import annotations

from flask import Flask, url_for

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
