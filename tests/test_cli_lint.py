"""`quizapp lint` refuses what sync refuses: a teachers' bank that declares the id of a
bundled bank, in the same words as sync, naming both files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO_ROOT, SAMPLE_BANK

from quizapp.cli import main

BUNDLED = REPO_ROOT / "questions" / "belarus-role.yaml"
CLASH = ("bank id 'belarus-role' is already used by bundled/belarus-role.yaml; "
         "give this bank its own id")


@pytest.fixture
def env(tmp_path: Path, questions_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder's settings, with the bundled banks of this checkout."""
    monkeypatch.setenv("QUIZAPP_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("QUIZAPP_QUESTIONS_DIR", str(questions_dir))
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    return questions_dir


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def copy_of_bundled(folder: Path, name: str = "my-copy.yaml") -> Path:
    path = folder / name
    path.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def id_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith("id: "))


def test_lint_of_the_teachers_folder_flags_a_bundled_bank_id(env: Path) -> None:
    copy = copy_of_bundled(env)
    result = run("lint")
    assert result.exit_code == 1, result.output
    # The teacher's file and line, and the bundled file it clashes with.
    assert f"{copy}:{id_line(copy)}:5: error: {CLASH}" in result.output
    assert "2 files checked: 1 error" in result.output
    # Sync refuses the same file in the same words.
    synced = run("sync")
    assert synced.exit_code == 1
    assert f"my-copy.yaml:1:1: error: {CLASH}" in synced.output


def test_a_file_given_by_path_is_checked_against_the_bundled_banks(
    env: Path, tmp_path: Path
) -> None:
    copy = copy_of_bundled(tmp_path, "draft.yaml")
    result = run("lint", str(copy), "--format", "json")
    assert result.exit_code == 1
    messages = json.loads(result.output)
    assert [m for m in messages if m["severity"] == "error"] == [
        {"path": str(copy), "line": id_line(copy), "col": 5, "severity": "error",
         "message": CLASH, "hint": None}
    ]
    # Given its own id, the same bank is clean.
    copy.write_text(BUNDLED.read_text(encoding="utf-8").replace(
        "\nid: belarus-role\n", "\nid: belarus-role-mine\n"), encoding="utf-8")
    assert run("lint", str(copy)).exit_code == 0


def test_the_bundled_banks_are_not_their_own_clash(env: Path) -> None:
    result = run("lint", str(REPO_ROOT / "questions"), "--format", "json")
    assert CLASH not in result.output
    # Other banks in the teachers' folder are not affected.
    (env / "other.yaml").write_text(SAMPLE_BANK.replace("id: sample", "id: other"),
                                    encoding="utf-8")
    assert "already used by" not in run("lint").output
