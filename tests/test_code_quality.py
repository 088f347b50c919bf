"""ruff keeps the code base clean; a lint failure is a test failure."""

from __future__ import annotations

import shutil
import subprocess
import sys

from helpers import REPO_ROOT


def test_ruff_check_is_clean() -> None:
    ruff = shutil.which("ruff") or str(REPO_ROOT / ".venv" / "bin" / "ruff")
    command = [ruff] if shutil.which(ruff) else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "check", "--quiet", "."], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
