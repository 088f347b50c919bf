"""Crafted URLs and bodies get a 4xx, never a 500; the 500 page names itself; signed-in
pages are not kept by browsers or proxies.

The fuzz test draws a route from the app's URL map, fills its arguments and query with
hostile values and sends it as a visitor, a student and a teacher. It runs a few dozen
examples by default, quick enough for every run; set QUIZAPP_FUZZ=long for thousands.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import Browser, quiz_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile(
    "url-fuzz", max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("url-fuzz-long", settings.get_profile("url-fuzz"), max_examples=3000)
FUZZ = settings.get_profile(
    "url-fuzz-long" if os.environ.get("QUIZAPP_FUZZ") == "long" else "url-fuzz")

# Logging out (here or everywhere) would end the session the next examples use; neither
# takes input anyway.
NOT_FUZZED = {"auth.logout", "auth.logout_everywhere", "api.logout"}
ARGUMENT = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>")

HOSTILE = [
    "99999999999999999999999", "2147483648", "-1", "0", "²", "١٢", "1e9", "0x10", "%",
    "..", "%00", "review", "mistakes", "sample", "gauge", "practice", " ", "\u202e",
]
segment = st.one_of(
    st.integers(min_value=0, max_value=4).map(str),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(HOSTILE),
    st.text(max_size=16),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.text(max_size=20) | st.sampled_from(HOSTILE),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["response", "flagged", "sequence", "username",
                                       "password", "x"]) | st.text(max_size=8),
                      inner, max_size=4),
    max_leaves=12,
)
form_field = st.sampled_from(["r", "go", "action", "seq", "username", "password",
                              "confirm", "answer", "file", "x"])


@pytest.fixture
def clients(app: Flask, make_user) -> dict[str, FlaskClient]:
    """A visitor, a student in the middle of an exam, a teacher."""
    make_user("fuzzstudent")
    make_user("fuzzteacher", role="teacher")
    student = Browser(app.test_client())
    student.login("fuzzstudent")
    student.post(f"/quiz/{quiz_id(app, 'exam')}/start")
    teacher = Browser(app.test_client())
    teacher.login("fuzzteacher")
    return {"visitor": app.test_client(), "student": student.client,
            "teacher": teacher.client}


def fill(rule: str, values: list[str]) -> str:
    parts = iter(values)
    return ARGUMENT.sub(lambda _m: quote(next(parts), safe=""), rule)


@FUZZ
@given(data=st.data())
def test_no_url_or_body_gives_a_500(app: Flask, clients: dict[str, FlaskClient],
                                    data: st.DataObject) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in NOT_FUZZED]
    rule = data.draw(st.sampled_from(rules), label="rule")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    role = data.draw(st.sampled_from(sorted(clients)), label="role")
    client = clients[role]
    values = data.draw(st.lists(segment, min_size=len(rule.arguments),
                                max_size=len(rule.arguments)), label="arguments")
    query = data.draw(st.dictionaries(st.sampled_from(["page", "next", "x"]), segment,
                                      max_size=2), label="query")
    url = fill(rule.rule, values)
    if query:
        url += "?" + urlencode(query)
    kwargs: dict[str, Any] = {}
    if method != "GET":
        if rule.rule.startswith("/api/"):
            kwargs["json"] = data.draw(json_value, label="json")
        else:
            form = data.draw(st.dictionaries(form_field, st.text(max_size=20) | segment,
                                             max_size=4), label="form")
            if role != "visitor" and data.draw(st.booleans(), label="with token"):
                form["csrf_token"] = Browser(client).csrf("/")
            kwargs["data"] = form
    response = client.open(url, method=method, **kwargs)
    assert response.status_code < 500, (method, url, kwargs, response.status_code)


# -- the cases the fuzzer is there to keep fixed ----------------------------------------------
HUGE_IDS = [
    "/quiz/99999999999999999999999",
    "/quiz/2147483648",
    "/attempt/99999999999999999999999/results",
    "/api/attempts/99999999999999999999999/questions/1",
    "/api/attempts/1/questions/99999999999999999999999",
]


def test_huge_ids_are_404(clients: dict[str, FlaskClient]) -> None:
    for url in HUGE_IDS:
        response = clients["student"].get(url)
        assert response.status_code == 404, url
        if url.startswith("/api/"):
            assert response.get_json()["status"] == 404


def test_page_numbers_that_are_not_numbers_are_400(clients: dict[str, FlaskClient]) -> None:
    for url in ("/progress/attempts", "/api/attempts"):
        for page in ("²", "١", "0", "-1", "1.5", "9999999", " 1", "x", ""):
            response = clients["student"].get(url, query_string={"page": page})
            assert response.status_code == 400, (url, page)
        assert clients["student"].get(url, query_string={"page": "1"}).status_code == 200


# -- the 500 page -------------------------------------------------------------------------------
def test_the_500_page_has_a_real_title(make_app) -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    text = app.test_client().get("/boom").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    assert title is not None
    assert title.group(1).strip() == "Internal Server Error · quizapp"
    assert "<h1>Internal Server Error" in text and "property object" not in text


# -- caching ------------------------------------------------------------------------------------
def test_signed_in_pages_and_the_api_are_not_stored(
    app: Flask, clients: dict[str, FlaskClient]
) -> None:
    visitor_home = clients["visitor"].get("/")
    assert "no-store" not in visitor_home.headers.get("Cache-Control", "")
    for url in ("/", "/progress", f"/quiz/{quiz_id(app, 'exam')}", "/attempt/1/q/1"):
        response = clients["student"].get(url, follow_redirects=True)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "no-store" in cache and "private" in cache, (url, cache)
    # The API, even a refusal to a visitor, and error pages of signed-in users.
    assert "no-store" in clients["visitor"].get("/api/progress").headers["Cache-Control"]
    assert "no-store" in clients["student"].get("/api/progress").headers["Cache-Control"]
    assert "no-store" in clients["student"].get("/quiz/999").headers["Cache-Control"]
    # Static files stay cacheable for everyone.
    static = clients["student"].get("/static/style.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
