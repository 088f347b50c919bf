"""Safe defaults on every response: headers, cookies, error pages."""

from __future__ import annotations

from flask import Flask
from helpers import Browser


def test_security_headers_on_every_page(browser: Browser) -> None:
    response = browser.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_each_default_header_is_sent_once_and_a_views_own_is_kept(app: Flask) -> None:
    @app.route("/framed-elsewhere")
    def framed_elsewhere() -> tuple[str, int, dict[str, str]]:
        return "ok", 200, {"X-FRAME-OPTIONS": "SAMEORIGIN"}

    for path, frame in (("/login", "DENY"), ("/framed-elsewhere", "SAMEORIGIN")):
        headers = app.test_client().get(path).headers
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                     "X-Frame-Options", "Cross-Origin-Opener-Policy"):
            assert len(headers.getlist(name)) == 1, (path, name)
        assert headers["X-Frame-Options"] == frame


def test_session_cookie_is_httponly_and_lax(browser: Browser) -> None:
    response = browser.register("fay")
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_when_https(make_app) -> None:
    app = make_app(HTTPS=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_hsts_is_sent_only_when_served_over_https(make_app) -> None:
    behind_https = make_app(HTTPS=True).test_client().get("/login")
    assert behind_https.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = make_app().test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_no_inline_script_or_style_in_pages(browser: Browser) -> None:
    browser.register("gus")
    for url in ("/", "/progress", "/login"):
        html = browser.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_404_page_uses_the_layout(browser: Browser) -> None:
    response = browser.get("/no/such/page")
    assert response.status_code == 404
    assert "quizapp" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_405_page(browser: Browser) -> None:
    response = browser.client.delete("/")
    assert response.status_code == 405
    # The methods the URL does take, as HTTP asks of a 405.
    assert {"GET", "HEAD"} <= set(response.headers["Allow"].replace(" ", "").split(","))
    assert "quizapp" in response.get_data(as_text=True)


def test_413_for_huge_bodies(browser: Browser, app: Flask) -> None:
    browser.register("hal")
    body = {"csrf_token": browser.csrf("/"), "r": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)}
    response = browser.client.post("/attempt/1/q/1", data=body)
    assert response.status_code == 413


def test_500_page_hides_the_error(make_app) -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text


def page_token(browser: Browser, url: str = "/") -> str:
    return browser.csrf(url)


def test_a_logins_form_token_is_signed_once_a_minute_and_accepted(
    app: Flask, make_user, monkeypatch
) -> None:
    from quizapp.web import security

    make_user("ann")
    make_user("bob")
    ann, bob = Browser(app.test_client()), Browser(app.test_client())
    ann.login("ann")
    bob.login("bob")
    clock = [1000.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: clock[0])
    signed: list[str] = []
    sign = security.generate_csrf

    def counting() -> str:
        signed.append(sign())
        return signed[-1]

    monkeypatch.setattr(security, "generate_csrf", counting)
    first = page_token(ann)
    assert page_token(ann, "/progress") == first  # the same login, within the minute
    assert len(signed) == 1
    other = page_token(bob)
    assert other != first and len(signed) == 2  # each login has its own
    # The reused token is a valid one for its login, and only for its login.
    assert bob.client.post("/account/logout-everywhere", data={"csrf_token": first}
                           ).status_code == 400
    clock[0] += security.FORM_TOKEN_REUSE_SECONDS + 1
    page_token(ann)
    assert len(signed) == 3  # signed again after a minute
    assert ann.client.post("/logout", data={"csrf_token": first}).status_code == 302
