"""`quizapp import` and `quizapp export` as a teacher runs them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import main

BUNDLED = Path(__file__).resolve().parents[1] / "questions" / "belarus-role.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_import_writes_a_bank_that_lint_accepts(tmp_path):
    source = tmp_path / "capitals.gift"
    source.write_text("::Paris::Capital of France?{=Paris ~Lyon}\n\nEssay.{}\n")
    out = tmp_path / "capitals.yaml"
    result = run("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"{source}:3: skipped: an essay" in result.output
    assert run("lint", str(out)).exit_code == 0
    assert "id: capitals" in out.read_text()


def test_import_to_standard_output_with_a_bank_id(tmp_path):
    source = tmp_path / "q.txt"
    source.write_text("Q?\nA. yes\nB. no\nANSWER: B\n")
    result = run("import", str(source), "--bank-id", "my-bank")
    assert result.exit_code == 0
    assert "id: my-bank" in result.output


def test_malformed_input_exits_1_and_writes_nothing(tmp_path):
    source = tmp_path / "bad.gift"
    source.write_text("Good?{T}\n\nBad?{=a ~b\n")
    out = tmp_path / "bad.yaml"
    result = run("import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert f"{source}:3: the answer block" in result.output
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path):
    source = tmp_path / "questions.xml"
    source.write_text("<quiz/>")
    assert run("import", str(source)).exit_code == 2
    gift = tmp_path / "q.gift"
    gift.write_text("Q?{T}")
    assert run("import", str(gift), "--bank-id", "Not An Id").exit_code == 2


def test_export_lists_what_is_left_out_and_reimports(tmp_path):
    gift = tmp_path / "belarus.gift"
    result = run("export", str(BUNDLED), "-o", str(gift))
    assert result.exit_code == 0
    assert "left out: GIFT has no ordering question" in result.output
    back = tmp_path / "belarus-back.yaml"
    # Under its own id: the bundled bank's id is taken, and lint says so.
    assert run("import", str(gift), "-o", str(back), "--bank-id", "belarus-back").exit_code == 0
    assert run("lint", str(back)).exit_code == 0
