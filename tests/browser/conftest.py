"""Browser tests: the real app on a loopback port, driven by Debian's Chromium.

The app runs in a thread (werkzeug's `make_server`) over a temporary SQLite database and
a temporary questions folder holding the bundled banks and `every-type.yaml`. Every page
a journey visits goes through `Audit.check`: axe-core looks for accessibility problems
in the page as the browser shows it, and the HTML the server sent is kept so that the
Nu Html Checker validates every page of the test in one java run at `Audit.verify`.

axe-core comes from the `axe-playwright-python` package (it ships `axe.min.js`); the Nu
Html Checker is the npm package `vnu-jar`, installed once into a cache folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    DESKTOP,
    REPO_ROOT,
    TEACHER,
    TEST_BANK,
    VNU_VERSION,
    Audit,
    LiveServer,
    missing,
)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from werkzeug.serving import make_server

    from quizapp import create_app
    from quizapp.banks.sync import sync_folder
    from quizapp.database import upgrade_database
    from quizapp.extensions import db

    root = tmp_path_factory.mktemp("live")
    questions = root / "questions"
    questions.mkdir()
    for bank in sorted((REPO_ROOT / "questions").glob("*.yaml")):
        shutil.copy(bank, questions / bank.name)
    shutil.copy(TEST_BANK, questions / TEST_BANK.name)
    app = create_app({
        "INSTANCE_DIR": str(root / "instance"),
        "QUESTIONS_DIR": str(questions),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.sqlite3'}",
        "SECRET_KEY": "browser-tests",
    })
    with app.app_context():
        upgrade_database()
        report = sync_folder(db.session, questions)
        assert report.ok, report.summary()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    live = LiveServer(f"http://127.0.0.1:{server.server_port}", app, questions)
    live.user(*TEACHER, role="teacher")
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        missing("Chromium was not found on PATH (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=args
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Contexts on the live server; all closed at the end of the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# -- the checkers -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        missing("the Python package axe-playwright-python is not installed (test extra)")
    path = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    return path.read_text(encoding="utf-8")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quizapp-tests"


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu Html Checker from the npm package vnu-jar, installed once into a cache."""
    if shutil.which("java") is None:
        missing("java was not found on PATH (Debian package default-jre-headless)")
    prefix = cache_dir() / f"vnu-jar-{VNU_VERSION}"
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm was not found on PATH: it installs the Nu Html Checker (vnu-jar)")
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
             "--no-save", "--loglevel=error", f"vnu-jar@{VNU_VERSION}"],
            check=True, timeout=300, stdout=subprocess.DEVNULL,
        )
    assert jar.is_file(), f"npm did not install {jar}"
    return jar


@pytest.fixture
def audit(axe_source: str, vnu_jar: Path) -> Audit:
    return Audit(axe_source, vnu_jar)


