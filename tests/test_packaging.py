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
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], cwd=elsewhere, env=env,
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 loaded" in result.stdout and "ok" in result.stdout
