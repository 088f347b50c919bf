"""API v1 as a contract: bearer tokens, problem details, the OpenAPI document, old paths."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from helpers import quiz_id

from quizapp.extensions import db
from quizapp.models import ApiToken


def token_for(app: Flask, username: str, name: str = "marking script") -> dict[str, Any]:
    response = app.test_client().post("/api/v1/tokens", json={
        "username": username, "password": "correct horse", "name": name})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_drives_a_whole_attempt_without_cookies(app: Flask, make_user) -> None:
    make_user("script-user")
    token = token_for(app, "script-user")["token"]
    client = app.test_client(use_cookies=False)
    started = client.post(f"/api/v1/quizzes/{quiz_id(app, 'practice')}/attempts", json={},
                          headers=bearer(token))
    assert started.status_code == 201
    attempt_id = started.get_json()["id"]
    answered = client.post(f"/api/v1/attempts/{attempt_id}/questions/1",
                           json={"response": "1520 mm"}, headers=bearer(token))
    assert answered.get_json()["feedback"]["correct"] is True
    finished = client.post(f"/api/v1/attempts/{attempt_id}/finish", json={},
                           headers=bearer(token))
    assert finished.get_json()["finished_at"] is not None


def test_tokens_are_stored_hashed_listed_and_revocable(app: Flask, make_user) -> None:
    make_user("owner")
    issued = token_for(app, "owner")
    with app.app_context():
        stored = db.session.get(ApiToken, issued["id"])
        assert stored is not None and issued["token"] not in stored.token_hash
    client = app.test_client(use_cookies=False)
    listed = client.get("/api/v1/tokens", headers=bearer(issued["token"])).get_json()
    assert [t["name"] for t in listed["tokens"]] == ["marking script"]
    assert "token" not in listed["tokens"][0]
    revoked = client.delete(f"/api/v1/tokens/{issued['id']}", json={},
                            headers=bearer(issued["token"]))
    assert revoked.status_code == 200
    assert client.get("/api/v1/quizzes", headers=bearer(issued["token"])).status_code == 401


def test_another_users_token_id_is_404(app: Flask, make_user) -> None:
    make_user("alice")
    make_user("bob")
    alice = token_for(app, "alice")
    bob = token_for(app, "bob")
    response = app.test_client(use_cookies=False).delete(
        f"/api/v1/tokens/{alice['id']}", json={}, headers=bearer(bob["token"]))
    assert response.status_code == 404
    assert app.test_client(use_cookies=False).get(
        "/api/v1/quizzes", headers=bearer(alice["token"])).status_code == 200


@pytest.mark.parametrize("header", ["Bearer qz_not-a-real-token", "Bearer ", "Basic abc",
                                    "Bearer " + "x" * 5000])
def test_bad_tokens_are_401_problems(app: Flask, header: str) -> None:
    response = app.test_client(use_cookies=False).get(
        "/api/v1/quizzes", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_wrong_password_gets_no_token(app: Flask, make_user) -> None:
    make_user("carol")
    response = app.test_client().post("/api/v1/tokens", json={
        "username": "carol", "password": "wrong password"})
    assert response.status_code == 401
    assert response.get_json()["title"] == "Unauthorized"


def test_errors_are_problem_details(app: Flask) -> None:
    client = app.test_client()
    for response in (client.get("/api/v1/quizzes"), client.get("/api/v1/nothing-here"),
                     client.post("/api/v1/session", data="x")):
        body = response.get_json()
        assert response.mimetype == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(body)
        assert body["status"] == response.status_code


def test_a_body_that_does_not_fit_names_each_field(app: Flask) -> None:
    response = app.test_client().post("/api/v1/session", json={"username": 5})
    assert response.status_code == 400
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields == {"username", "password"}


def test_the_openapi_document_is_generated_from_the_models(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {"/api/v1/tokens", "/api/v1/quizzes",
                                      "/api/v1/attempts/{attempt_id}/questions/{position}"}
    answer = document["paths"]["/api/v1/attempts/{attempt_id}/questions/{position}"]["post"]
    body = answer["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.split("/")[-1].startswith("AnswerRequest")
    assert "404" in answer["responses"] and "200" in answer["responses"]
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_the_reference_page_lists_every_operation(app: Flask) -> None:
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert "POST /api/v1/tokens" in page
    assert "<code>AnswerRequest</code>" in page


def test_old_paths_keep_working_and_say_where_they_moved(app: Flask, make_user) -> None:
    make_user("legacy")
    client = app.test_client()
    login = client.post("/api/session", json={"username": "legacy",
                                               "password": "correct horse"})
    assert login.status_code == 200
    assert login.headers["Deprecation"] == "true"
    assert login.headers["Link"] == '</api/v1/session>; rel="successor-version"'
    assert client.get("/api/quizzes").status_code == 200


def test_item_analysis_through_the_api(app: Flask, make_user) -> None:
    make_user("stats-learner")
    make_user("stats-teacher", "teacher")
    learner = bearer(token_for(app, "stats-learner")["token"])
    client = app.test_client(use_cookies=False)
    quiz = quiz_id(app, "practice")
    attempt = client.post(f"/api/v1/quizzes/{quiz}/attempts", json={}, headers=learner)
    attempt_id = attempt.get_json()["id"]
    client.post(f"/api/v1/attempts/{attempt_id}/questions/1", json={"response": "1520"},
                headers=learner)
    client.post(f"/api/v1/attempts/{attempt_id}/finish", json={}, headers=learner)

    teacher = bearer(token_for(app, "stats-teacher")["token"])
    report = client.get(f"/api/v1/teach/quizzes/{quiz}/statistics", headers=teacher)
    assert report.status_code == 200
    body = report.get_json()
    assert body["attempts"] == 1 and body["first_only"] is False
    assert {q["question_id"] for q in body["questions"]} == {"gauge", "city"}
    first = client.get(f"/api/v1/teach/quizzes/{quiz}/statistics?attempts=first",
                       headers=teacher)
    assert first.get_json()["first_only"] is True
    assert client.get(f"/api/v1/teach/quizzes/{quiz}/statistics",
                      headers=learner).status_code == 403
    assert client.get("/api/v1/teach/quizzes/999999/statistics",
                      headers=teacher).status_code == 404
    assert client.get(f"/api/v1/teach/quizzes/{quiz}/statistics?attempts=some",
                      headers=teacher).status_code == 400
    assert client.get(f"/api/v1/teach/quizzes/{quiz}/statistics?assignment=77",
                      headers=teacher).status_code == 404
