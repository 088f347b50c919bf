"""A plain wheel install works outside the source tree: templates, static files,
migrations and the bundled banks are found through the package."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from helpers import REPO_ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO_ROOT)],
        check=True,
    )
    return next(out.glob("quizapp-*.whl"))


def test_the_wheel_ships_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "quizapp/templates/base.html",
        "quizapp/templates/qtypes/numeric.html",
        "quizapp/questions/belarus-role.yaml",
        "quizapp/static/style.css",
        "quizapp/migrations/alembic.ini",
        "quizapp/migrations/env.py",
        "quizapp/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names, expected


def test_an_installed_copy_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
    )
    script = textwrap.dedent(
        """
        import quizapp, sys
        from quizapp import create_app
        from quizapp.cli import prepare_database
        assert quizapp.__file__.startswith(sys.argv[1]), quizapp.__file__
        app = create_app()
        with app.app_context():
            print(prepare_database())
        page = app.test_client().get("/").get_data(as_text=True)
        assert "Whole article" in page, page[:500]
        css = app.test_client().get("/static/style.css")
        assert css.status_code == 200
        print("ok")
        """
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "QUIZAPP_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    env.pop("QUIZAPP_QUESTIONS_DIR", None)
    env.pop("QUIZAPP_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], cwd=elsewhere, env=env,
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 loaded" in result.stdout and "ok" in result.stdout


def test_the_wheel_ships_the_source_fingerprints(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "quizapp/questions/sources/economist-2023-03-17-belarus-role.fingerprint.json" in names


UPLOADED_BANK = """\
id: uploaded
title: Uploaded bank
quizzes:
  - id: uploaded-practice
    title: Uploaded practice
    mode: practice
questions:
  - id: q1
    type: true_false
    prompt: Teachers' banks survive an upgrade.
    answer: true
    explanation: They live in the data folder, not in the package.
"""

_UPLOAD_SCRIPT = """
import io, sys
from pathlib import Path
import quizapp
from quizapp import create_app
from quizapp.cli import prepare_database
from quizapp.extensions import db
from quizapp.services.accounts import create_user
assert quizapp.__file__.startswith(sys.argv[1]), quizapp.__file__
app = create_app({"WTF_CSRF_ENABLED": False})
with app.app_context():
    print(prepare_database())
    create_user(db.session, "tess", "a long enough password", "teacher")
client = app.test_client()
client.post("/login", data={"username": "tess", "password": "a long enough password"})
response = client.post("/teach/upload", data={
    "bank_file": (io.BytesIO(sys.argv[2].encode()), "uploaded.yaml")},
    content_type="multipart/form-data")
assert response.status_code == 302, response.get_data(as_text=True)[:2000]
saved = Path(app.config["QUESTIONS_DIR"]) / "uploaded.yaml"
assert saved.is_file() and not str(saved).startswith(sys.argv[1]), saved
print("uploaded to", saved)
"""

_CHECK_SCRIPT = """
import sys
import quizapp
from quizapp import create_app
from quizapp.cli import prepare_database
assert quizapp.__file__.startswith(sys.argv[1]), quizapp.__file__
app = create_app()
with app.app_context():
    print(prepare_database())
page = app.test_client().get("/").get_data(as_text=True)
assert "Uploaded practice" in page and "Whole article" in page, page[:2000]
print("still served")
"""


def test_an_uploaded_bank_survives_reinstalling_the_package(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"

    def install() -> None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--upgrade",
                        "--target", str(target), str(wheel)], check=True)

    def python(script: str, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
        env.update(PYTHONPATH=str(target), HOME=str(tmp_path / "home"))
        env.pop("XDG_DATA_HOME", None)
        result = subprocess.run([sys.executable, "-c", script, str(target), *args],
                                cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    install()
    uploaded = python(_UPLOAD_SCRIPT, UPLOADED_BANK)
    data = tmp_path / "home" / ".local" / "share" / "quizapp"
    assert f"uploaded to {data / 'banks' / 'uploaded.yaml'}" in uploaded
    install()  # an upgrade replaces the package, questions/ and all
    after = python(_CHECK_SCRIPT)
    assert "still served" in after
    assert "2 unchanged" in after  # the bundled bank and the uploaded one, nothing lost
