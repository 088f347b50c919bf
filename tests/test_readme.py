"""The README's Quick start is what CI runs, and it keeps its promised shape."""

from __future__ import annotations

import re

from helpers import REPO_ROOT


def quick_start_blocks() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def test_quick_start_has_two_blocks_run_then_test() -> None:
    run, test = quick_start_blocks()
    lines = run.strip().splitlines()
    assert lines[0].startswith("git clone ")
    assert lines[-1].startswith("quizapp serve --port ")
    assert "pytest" in test


def test_the_settings_table_names_every_folder_setting() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("QUIZAPP_DATA_DIR", "QUIZAPP_INSTANCE_DIR", "QUIZAPP_QUESTIONS_DIR",
                 "QUIZAPP_SOURCES_DIR", "quizapp info", "quizapp user set-role"):
        assert name in readme, name


def test_ci_runs_the_quick_start_test_command_verbatim() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _run, test = quick_start_blocks()
    assert test.strip() in ci
