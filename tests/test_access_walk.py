"""Every route, with every role and with another teacher's ids.

The routes come from `app.url_map`, so a new route is walked as soon as it exists; a
route whose URL needs a value this test does not know fails the test, asking for one.
A teacher reaches only their own classes (another's ids are a 404 with none of its
data), a student only their own attempts, and the wrong role gets a 403 (or, logged
out, the login page; 401 from the API).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from helpers import Browser, Clock, quiz_id
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import BankVersion, Question, User
from quizapp.services import assignments as assignment_service
from quizapp.services import bank_versions
from quizapp.services import classes as class_service
from quizapp.services import tokens as token_service

PUBLIC = {"static", "favicon", "quiz.index", "quiz.quiz_detail", "api.login", "api.logout",
          # The API's contract and the token exchange (a username and password) are public.
          "api.openapi", "api.reference", "api.create_token"}
PUBLIC_BLUEPRINTS = {"auth"}
SECRET_NAME = "Secret class 7Q"
# Roles in the order they are walked: the owner and the admin change state, so last.
ROLES = ("anonymous", "ben", "otto", "anna", "tess", "root")


def _world(app: Flask, make_user: Any, clock: Clock) -> dict[str, int]:
    ids = {
        "tess": make_user("tess", "teacher"), "otto": make_user("otto", "teacher"),
        "root": make_user("root", "admin"), "anna": make_user("anna"), "ben": make_user("ben"),
    }
    with app.app_context():
        s = db.session
        school_class = class_service.create_class(s, ids["tess"], SECRET_NAME, clock.now)
        class_service.join_class(s, ids["anna"], school_class.join_code, clock.now)
        assignment = assignment_service.assign(
            s, school_class, quiz_id(app, "exam"), clock.now, clock.now + timedelta(days=1))
        attempt = assignment_service.start_assigned(s, ids["anna"], assignment.id, clock.now)
        ids.update(class_id=school_class.id, assignment_id=assignment.id,
                   attempt_id=attempt.id)
        user = s.get(User, ids["anna"])
        ids["token_id"] = token_service.issue_token(s, user, "walk", clock.now).token.id
        bank_versions.baseline(s, Path(app.config["QUESTIONS_DIR"]), "sample.yaml", "sample")
        ids["version_id"] = s.scalar(select(BankVersion.id))
        ids["question_pk"] = s.scalar(select(Question.id).where(Question.slug == "city"))
    return ids


def _values(ids: dict[str, int], app: Flask) -> dict[str, Any]:
    return {
        "class_id": ids["class_id"], "assignment_id": ids["assignment_id"],
        "attempt_id": ids["attempt_id"], "student_id": ids["anna"], "user_id": ids["anna"],
        "quiz_id": quiz_id(app, "practice"), "position": 1, "slug": "sample",
        "question_id": "gauge", "kind": "review", "token_id": ids["token_id"],
        "question_pk": ids["question_pk"], "version_id": ids["version_id"],
    }


def _expected(role: str, endpoint: str, arguments: set[str]) -> str:
    """"ok", "403", "404" or "login" for this role on this route."""
    api = endpoint.startswith("api.")
    if role == "anonymous":
        return "401" if api else "login"
    teacher_route = endpoint.startswith(("teach.", "api.teach_"))
    if endpoint.startswith("admin."):
        return "ok" if role == "root" else "403"
    if teacher_route:
        if role in ("anna", "ben"):
            return "403"
        if "class_id" in arguments:
            return "ok" if role == "tess" else "404"
        return "ok"
    if {"attempt_id", "assignment_id", "token_id"} & arguments:
        return "ok" if role == "anna" else "404"
    return "ok"


def _request(browser: Browser, method: str, url: str, api: bool, token: str) -> Any:
    if method == "GET":
        return browser.client.get(url)
    if api:
        # A well-formed body for the operation, so that ownership decides the answer.
        body: dict[str, Any] = {}
        if url.endswith("/flag"):
            body = {"flagged": True}
        elif "/questions/" in url:
            body = {"response": "1520"}
        return browser.client.open(url, method=method, json=body)
    return browser.client.open(url, method=method, data={"csrf_token": token})


def test_every_route_with_every_role(app: Flask, make_user: Any, clock: Clock) -> None:
    ids = _world(app, make_user, clock)
    values = _values(ids, app)
    rules = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if rule.endpoint in PUBLIC or blueprint in PUBLIC_BLUEPRINTS:
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give this test a value for {missing}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append((rule, method))
    # State-changing owner routes that would hide later checks go last.
    rules.sort(key=lambda pair: ("remove" in pair[0].endpoint or "reset" in pair[0].endpoint
                                 or "revoke" in pair[0].endpoint or "retire" in pair[0].endpoint,
                                 pair[0].rule, pair[1]))
    assert len(rules) > 50
    failures = []
    for role in ROLES:
        browser = Browser(app.test_client())
        if role != "anonymous":
            browser.login(role)
        token = browser.csrf("/login" if role == "anonymous" else "/account")
        for rule, method in rules:
            url = rule.build(values, append_unknown=False)[1]
            api = rule.endpoint.startswith("api.")
            response = _request(browser, method, url, api, token)
            status = response.status_code
            body = response.get_data(as_text=True)
            want = _expected(role, rule.endpoint, set(rule.arguments))
            ok = {
                "ok": status < 400 or status in (400, 409, 415, 422),
                "403": status == 403,
                "404": status == 404 and SECRET_NAME not in body,
                "401": status == 401,
                "login": status == 302 and "/login" in response.headers.get("Location", ""),
            }[want]
            if not ok or status >= 500:
                failures.append(f"{role} {method} {url}: {status}, wanted {want}")
    assert not failures, "\n".join(failures)


def test_another_teachers_class_never_shows_in_lists(
    app: Flask, make_user: Any, clock: Clock
) -> None:
    _world(app, make_user, clock)
    otto = Browser(app.test_client())
    otto.login("otto")
    assert SECRET_NAME not in otto.get("/teach/classes").get_data(as_text=True)
    assert otto.client.get("/api/teach/classes").get_json() == {"classes": []}


def test_another_teachers_gradebook_is_not_found_once_its_table_is_kept(
    app: Flask, make_user: Any, clock: Clock
) -> None:
    """The kept table is shared by every view at its fingerprint: whose class it is is
    checked before it is looked up."""
    ids = _world(app, make_user, clock)
    page = f"/teach/classes/{ids['class_id']}/gradebook"
    tess, otto = Browser(app.test_client()), Browser(app.test_client())
    tess.login("tess")
    otto.login("otto")
    assert SECRET_NAME in tess.get(page).get_data(as_text=True)  # built and kept
    response = otto.get(page)
    assert response.status_code == 404 and SECRET_NAME not in response.get_data(as_text=True)
