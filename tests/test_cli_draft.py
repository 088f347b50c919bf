"""`quizapp draft` as a teacher runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import main

HARBOUR = Path(__file__).parent / "drafting" / "harbour.md"


def test_draft_writes_a_bank_that_lints_grounded(tmp_path: Path) -> None:
    out = tmp_path / "harbour.yaml"
    result = CliRunner().invoke(main, ["draft", str(HARBOUR), "-o", str(out), "--max", "8"])
    assert result.exit_code == 0, result.output
    assert "Paragraph 1:" in result.output  # the report, on standard error
    assert out.read_text().count("\n    draft: true") == 8
    lint = CliRunner().invoke(main, ["lint", str(out), "--sources", str(HARBOUR.parent)])
    assert lint.exit_code == 0, lint.output
    assert "0 errors" in lint.output


def test_missing_details_are_a_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "bare.md"
    article.write_text("# A title\n\nThe bridge is 300m long.\n")
    result = CliRunner().invoke(main, ["draft", str(article)])
    assert result.exit_code == 2
    assert "--publisher" in result.output and "--url" in result.output
    result = CliRunner().invoke(main, ["draft", str(article), "--publisher", "P", "--date",
                                       "2024-01-01", "--url", "https://example.org/b",
                                       "--report", str(tmp_path / "report.txt")])
    assert result.exit_code == 0
    assert "figure-p1" in (tmp_path / "report.txt").read_text()
