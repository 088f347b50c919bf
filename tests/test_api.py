"""The JSON API: the same rules as the pages, in JSON, with 4xx for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import quiz_id


def api(client: FlaskClient, method: str, url: str, body: Any = None) -> Any:
    return client.open(url, method=method, json=body)


@pytest.fixture
def learner(app: Flask, make_user) -> FlaskClient:
    make_user("api-user")
    client = app.test_client()
    response = api(client, "POST", "/api/v1/session", {"username": "api-user",
                                                    "password": "correct horse"})
    assert response.status_code == 200
    return client


def test_needs_login(app: Flask) -> None:
    response = app.test_client().get("/api/v1/quizzes")
    assert response.status_code == 401
    assert response.is_json


def test_wrong_password(app: Flask, make_user) -> None:
    make_user("zed")
    response = api(app.test_client(), "POST", "/api/v1/session",
                   {"username": "zed", "password": "nope nope"})
    assert response.status_code == 401


def test_a_practice_attempt_through_the_api(learner: FlaskClient, app: Flask) -> None:
    quizzes = learner.get("/api/v1/quizzes").get_json()["quizzes"]
    assert {q["slug"] for q in quizzes} == {"practice", "exam"}
    attempt = api(learner, "POST", f"/api/v1/quizzes/{quiz_id(app, 'practice')}/attempts", {})
    assert attempt.status_code == 201
    attempt_id = attempt.get_json()["id"]

    question = learner.get(f"/api/v1/attempts/{attempt_id}/questions/1").get_json()
    assert question["type"] == "numeric" and question["feedback"] is None
    answered = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/1",
                   {"response": "1,520 mm"}).get_json()
    assert answered["stored"] is True
    assert answered["feedback"]["correct"] is True
    assert answered["feedback"]["evidence"]["paragraph"] == 3

    question = learner.get(f"/api/v1/attempts/{attempt_id}/questions/2").get_json()
    assert "correct" not in str(question["question"]).lower()
    minsk = next(o for o in question["question"]["options"] if o["text"] == "Minsk")
    answered = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/2",
                   {"response": minsk["key"]}).get_json()
    assert answered["feedback"]["correct"] is False

    finished = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/finish", {}).get_json()
    assert finished["score"] == 1.0 and finished["max_score"] == 3.0
    progress = learner.get("/api/v1/progress").get_json()
    assert progress["quizzes"][0]["attempts"] == 1


@pytest.mark.parametrize("body", [
    {"response": 12345},
    {"response": ["1520"]},
    {"response": {"x": 1}},
    {"response": None},
    {"response": "x" * 100_000},
])
def test_wrong_json_types_are_422(learner: FlaskClient, app: Flask, body: Any) -> None:
    attempt_id = api(learner, "POST", f"/api/v1/quizzes/{quiz_id(app, 'practice')}/attempts",
                     {}).get_json()["id"]
    response = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/2", body)
    assert response.status_code == 422
    assert response.get_json()["detail"]


@pytest.mark.parametrize("body", [[1, 2], "text", 3, None])
def test_a_body_that_is_not_an_object_is_400(learner: FlaskClient, body: Any) -> None:
    response = learner.post("/api/v1/session", data=__import__("json").dumps(body),
                            content_type="application/json")
    assert response.status_code == 400


def test_form_posts_are_refused(learner: FlaskClient) -> None:
    response = learner.post("/api/v1/quizzes/1/attempts", data={"x": "1"})
    assert response.status_code == 415


def test_missing_response_field(learner: FlaskClient, app: Flask) -> None:
    attempt_id = api(learner, "POST", f"/api/v1/quizzes/{quiz_id(app, 'practice')}/attempts",
                     {}).get_json()["id"]
    assert api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/1", {}).status_code == 400


def test_another_learners_attempt_is_404(learner: FlaskClient, app: Flask, make_user) -> None:
    attempt_id = api(learner, "POST", f"/api/v1/quizzes/{quiz_id(app, 'practice')}/attempts",
                     {}).get_json()["id"]
    make_user("other")
    intruder = app.test_client()
    api(intruder, "POST", "/api/v1/session", {"username": "other", "password": "correct horse"})
    assert intruder.get(f"/api/v1/attempts/{attempt_id}").status_code == 404
    response = api(intruder, "POST", f"/api/v1/attempts/{attempt_id}/questions/1",
                   {"response": "1520"})
    assert response.status_code == 404


def test_unknown_quiz_and_position(learner: FlaskClient) -> None:
    assert api(learner, "POST", "/api/v1/quizzes/9999/attempts", {}).status_code == 404
    assert learner.get("/api/v1/attempts/9999/questions/1").status_code == 404


def test_flag_history_and_progress_through_the_api(learner: FlaskClient, app: Flask) -> None:
    attempt_id = api(learner, "POST", f"/api/v1/quizzes/{quiz_id(app, 'exam')}/attempts",
                     {}).get_json()["id"]
    flagged = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/2/flag",
                  {"flagged": True})
    assert flagged.status_code == 200 and flagged.get_json()["flagged"] is True
    questions = learner.get(f"/api/v1/attempts/{attempt_id}").get_json()["questions"]
    assert [q["flagged"] for q in questions] == [False, True]
    for body in ({}, {"flagged": "yes"}, {"flagged": 1}):
        response = api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/2/flag", body)
        assert response.status_code == 400
    assert api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/9/flag",
               {"flagged": True}).status_code == 404
    api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/1", {"response": "1520"})
    api(learner, "POST", f"/api/v1/attempts/{attempt_id}/finish", {})
    assert api(learner, "POST", f"/api/v1/attempts/{attempt_id}/questions/2/flag",
               {"flagged": False}).status_code == 409
    history = learner.get("/api/v1/attempts").get_json()
    assert history["attempts"][0]["id"] == attempt_id and history["has_next"] is False
    assert learner.get("/api/v1/attempts?page=zero").status_code == 400
    progress = learner.get("/api/v1/progress").get_json()
    exam = progress["quizzes"][0]
    assert exam["pass_mark"] == 50 and exam["attempts_left"] == 1
    assert exam["grade"] == pytest.approx(100 / 3) and exam["passed"] is False
    assert progress["scores"][0]["percent"] == pytest.approx(100 / 3)
    assert progress["streak_days"] == 1
