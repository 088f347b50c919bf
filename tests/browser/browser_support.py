"""Helpers for the browser tests: the live server's handle, the checkers, shared steps."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEST_BANK = HERE / "every-type.yaml"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"

TEACHER = ("tess", "teacher password")
PASSWORD = "correct horse battery"

CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]
VNU_VERSION = "26.9.27"

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 780}


def missing(what: str) -> None:
    """A missing tool fails the run in CI and skips the browser tests elsewhere."""
    message = f"{what}; the browser tests need it (CI installs it in .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# -- the app ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: Any
    questions_dir: Path

    def user(self, username: str, password: str, role: str = "student") -> None:
        from quizapp.extensions import db
        from quizapp.services.accounts import create_user

        with self.app.app_context():
            create_user(db.session, username, password, role)


@dataclass
class Page:
    label: str
    url: str
    html: str


@dataclass
class Audit:
    """Runs axe on every page a journey checks, then the Nu Html Checker on them all."""

    axe_source: str
    vnu_jar: Path
    pages: list[Page] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def track(self, page: Any, *, javascript: bool = True) -> Any:
        """Remember the HTML of each document the server sends to this page.

        axe needs script in the page; for a page whose context has JavaScript switched
        off, `check` runs axe on a copy of the same HTML served to a scripted page in
        which the site's own script is blocked, so the DOM is the one without script.
        """
        documents: dict[str, Any] = {"javascript": javascript}

        def on_response(response: Any) -> None:
            request = response.request
            if (request.resource_type == "document" and request.frame == page.main_frame
                    and not 300 <= response.status < 400):
                documents["last"] = response

        page.on("response", on_response)
        page.documents = documents  # type: ignore[attr-defined]
        return page

    def check(self, page: Any, label: str) -> None:
        page.wait_for_load_state("load")
        response = page.documents.get("last")
        assert response is not None, f"{label}: no document response was seen"
        html = response.text()
        if page.documents["javascript"]:
            self.axe(page, label)
        else:
            self.axe_without_script(page, label, html)
        self.pages.append(Page(label, page.url, html))

    def axe_without_script(self, page: Any, label: str, html: str) -> None:
        context = page.context.browser.new_context(
            base_url=page.url, viewport=page.viewport_size
        )
        try:
            context.route("**/*.js", lambda route: route.abort())
            context.route(page.url, lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html))
            copy = context.new_page()
            copy.goto(page.url)
            self.axe(copy, f"{label} (without script)")
        finally:
            context.close()

    def axe(self, page: Any, label: str) -> None:
        page.evaluate(self.axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        # No violation of any impact (minor and moderate ones included).
        for violation in result["violations"]:
            targets = "; ".join(
                " ".join(node["target"]) if isinstance(node["target"], list)
                else str(node["target"])
                for node in violation["nodes"][:5]
            )
            self.problems.append(
                f"axe {violation['impact']} {violation['id']} on {label} ({page.url}): "
                f"{violation['help']} [{targets}]"
            )

    def verify(self) -> None:
        """Validate every kept page in one java run; fail with every problem found."""
        if self.pages:
            self.problems.extend(validate_html(self.vnu_jar, self.pages))
        problems, self.problems, self.pages = self.problems, [], []
        assert not problems, "\n".join(problems)


def validate_html(jar: Path, pages: list[Page]) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="quizapp-vnu-") as folder:
        files: dict[str, Page] = {}
        for number, page in enumerate(pages, 1):
            path = Path(folder) / f"page-{number:03d}.html"
            path.write_text(page.html, encoding="utf-8")
            files[path.name] = page
        run = subprocess.run(
            ["java", "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json",
             "--exit-zero-always", *(str(Path(folder) / Path(u).name) for u in files)],
            capture_output=True, text=True, timeout=300, check=False,
        )
        report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    problems = []
    for message in report.get("messages", []):
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        page = files.get(message.get("url", "").rsplit("/", 1)[-1])
        where = f"{page.label} ({page.url})" if page else message.get("url", "?")
        line = message.get("lastLine", "?")
        problems.append(f"vnu on {where} line {line}: {message.get('message')} "
                        f"[{message.get('extract', '').strip()}]")
    return problems


# -- shared steps -------------------------------------------------------------------------


def has_focus_ring(page: Any) -> bool:
    """True when the focused element shows an outline or a box shadow."""
    return bool(page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || (style.boxShadow && style.boxShadow !== 'none');
        }"""
    ))


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
