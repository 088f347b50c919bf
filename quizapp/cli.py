"""The `quizapp` command.

Commands that touch the database build the app through `create_app`; `lint`,
`dump` and `try` only read bank files and need no database at all.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from quizapp.config import default_settings


def _create_app() -> Any:
    from quizapp import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """quizapp: quizzes drawn from news articles."""


def prepare_database() -> str:
    """Upgrade the schema and load the questions folder (inside an app context)."""
    from quizapp.banks.sync import sync_folder
    from quizapp.database import upgrade_database
    from quizapp.extensions import db

    upgrade_database()
    report = sync_folder(
        db.session,
        Path(current_app.config["QUESTIONS_DIR"]),
        max_bytes=current_app.config["MAX_BANK_BYTES"],
    )
    return report.summary()


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the question banks."""
    summary = prepare_database()
    click.echo(f"Database ready at {_database_label()}. Banks: {summary}.")


def _database_label() -> str:
    from quizapp.extensions import db

    return db.engine.url.render_as_string(hide_password=True)


@main.command("sync")
@with_appcontext
def sync_command() -> None:
    """Load the questions folder into the database (unchanged files are skipped)."""
    from quizapp.banks.sync import sync_folder
    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.models import BankFile

    upgrade_database()
    report = sync_folder(
        db.session,
        Path(current_app.config["QUESTIONS_DIR"]),
        max_bytes=current_app.config["MAX_BANK_BYTES"],
    )
    click.echo(f"Banks: {report.summary()}.")
    for name in report.failed:
        bank_file = db.session.query(BankFile).filter_by(name=name).one()
        for message in bank_file.messages:
            click.echo(_format_message(message), err=True)
    if report.failed:
        sys.exit(1)


def _format_message(message: dict[str, Any]) -> str:
    text = (
        f"{message['path']}:{message['line']}:{message['col']}: "
        f"{message['severity']}: {message['message']}"
    )
    if message.get("hint"):
        text += f" ({message['hint']})"
    return text


@main.command("finish-expired")
@with_appcontext
def finish_expired_command() -> None:
    """Finish every timed attempt whose deadline has passed (for a periodic job).

    Pages already finish a learner's expired attempts when they are next opened; this
    makes results complete for teachers even when learners never come back.
    """
    from datetime import UTC, datetime

    from quizapp.extensions import db
    from quizapp.services.attempts import finish_all_expired

    count = finish_all_expired(db.session, datetime.now(UTC))
    click.echo(f"Finished {count} expired attempt{'s' if count != 1 else ''}.")


@main.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(["student", "teacher", "admin"]), default="student",
              show_default=True)
@click.option("--password-file", type=click.File("r"),
              help="Read the password from this file's first line ('-' for standard input).")
@with_appcontext
def create_user_command(name: str, role: str, password_file: Any) -> None:
    """Create an account; the password is prompted for unless --password-file is given."""
    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.services.accounts import AccountError, create_user

    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    upgrade_database()
    try:
        user = create_user(db.session, name, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} '{user.username}'.")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
@with_appcontext
def serve_command(host: str, port: int, workers: int, dev: bool) -> None:
    """Upgrade the database, load the banks and serve the app (gunicorn)."""
    click.echo(f"Banks: {prepare_database()}.")
    if dev:
        current_app.run(host=host, port=port, debug=True, use_reloader=True)
        return
    from quizapp.extensions import db
    from quizapp.serving import serve

    # Workers build their own engines; none may inherit this process's connections.
    db.engine.dispose()
    click.echo(f"Serving on http://{host}:{port}/ with {workers} workers.")
    serve(host=host, port=port, workers=workers)


def _default_questions_dir() -> Path:
    return Path(os.environ.get("QUIZAPP_QUESTIONS_DIR") or default_settings()["QUESTIONS_DIR"])


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False),
              help="Folder of source texts for grounding (default: QUIZAPP_SOURCES_DIR).")
def lint_command(paths: tuple[str, ...], fmt: str, sources_dir: str | None) -> None:
    """Check bank files or folders; exit 0 when clean, 1 on errors, 2 on usage errors."""
    from quizapp.banks.lint import run_lint

    targets = [Path(p) for p in paths] or [_default_questions_dir()]
    sources = sources_dir or os.environ.get("QUIZAPP_SOURCES_DIR")
    output, code = run_lint(targets, fmt, Path(sources) if sources else None)
    if output:
        click.echo(output, err=code == 2)
    sys.exit(code)


@main.command("dump")
@click.argument("paths", nargs=-1, type=click.Path())
def dump_command(paths: tuple[str, ...]) -> None:
    """Print the validated banks as one JSON document (see docs/bank-json.md)."""
    from quizapp.banks.dump import run_dump

    targets = [Path(p) for p in paths] or [_default_questions_dir()]
    output, code = run_dump(targets)
    click.echo(output, err=code != 0)
    sys.exit(code)


@main.command("try")
@click.argument("file", type=click.Path())
@click.argument("question_id")
@click.argument("responses", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def try_command(file: str, question_id: str, responses: tuple[str, ...], fmt: str) -> None:
    """Show how a question reads and scores each RESPONSE, as a learner would type it."""
    from quizapp.banks.loader import load_bank
    from quizapp.qtypes.trial import try_responses

    loaded = load_bank(Path(file))
    if loaded.bank is None:
        for message in loaded.messages:
            click.echo(_format_message(message.to_dict()), err=True)
        sys.exit(2)
    spec = next((q for q in loaded.bank.questions if q.id == question_id), None)
    if spec is None:
        known = ", ".join(q.id for q in loaded.bank.questions[:20])
        click.echo(f"{file}: no question with id '{question_id}' (ids: {known})", err=True)
        sys.exit(2)
    results = try_responses(spec, list(responses))
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(r.to_text() for r in results))


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "text_format", type=click.Choice(["gift", "aiken"]),
              help="The file's format (default: from its extension: .gift, .txt).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the bank file here (default: standard output).")
@click.option("--bank-id", default="", help="The new bank's id (default: from the file name).")
@click.option("--title", default="", help="The new bank's title (default: the file name).")
def import_command(file: str, text_format: str | None, output: str | None, bank_id: str,
                   title: str) -> None:
    """Convert a Moodle GIFT or Aiken file into a bank file that `quizapp lint` accepts."""
    from quizapp.banks.interchange import ImportFailure, guess_format, import_bank, slug

    path = Path(file)
    data = path.read_bytes()
    text_format = text_format or guess_format(path.name, data)
    if text_format is None:
        click.echo(f"quizapp import: cannot tell the format of {file}; "
                   "give --format gift or --format aiken", err=True)
        sys.exit(2)
    if bank_id and slug(bank_id, "") != bank_id:
        click.echo(f"quizapp import: --bank-id {bank_id!r} is not a valid id (lowercase "
                   f"letters, digits, - and _; try {slug(bank_id, 'bank')!r})", err=True)
        sys.exit(2)
    try:
        text, imported = import_bank(data, text_format, bank_id=bank_id, title=title,
                                     source_name=path.name)
    except ImportFailure as failure:
        for problem in failure.problems:
            click.echo(problem.format(file), err=True)
        click.echo(f"Nothing written: {len(failure.problems)} problem"
                   f"{'s' if len(failure.problems) != 1 else ''} in {file}.", err=True)
        sys.exit(1)
    for problem in imported.skipped:
        click.echo(f"{file}:{problem.line}: skipped: {problem.message}", err=True)
    for problem in imported.notes:
        click.echo(f"{file}:{problem.line}: note: {problem.message}", err=True)
    if output:
        _write_text_atomically(Path(output), text)
        click.echo(f"Wrote {len(imported.questions)} questions to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@main.command("export")
@click.argument("bank", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "text_format", type=click.Choice(["gift"]), default="gift",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here (default: standard output).")
def export_command(bank: str, text_format: str, output: str | None) -> None:
    """Write a bank file as GIFT for Moodle; what GIFT cannot express is listed."""
    from quizapp.banks.gift_export import export_gift
    from quizapp.banks.loader import load_bank

    loaded = load_bank(Path(bank))
    if loaded.bank is None or loaded.errors:
        for message in loaded.errors:
            click.echo(message.format(), err=True)
        click.echo(f"Nothing written: {bank} does not load.", err=True)
        sys.exit(1)
    result = export_gift(loaded.bank)
    for question_id, reason in result.left_out:
        click.echo(f"{bank}: question {question_id!r} left out: {reason}", err=True)
    for question_id, reason in result.changed:
        click.echo(f"{bank}: question {question_id!r} changed for Moodle: {reason}", err=True)
    if output:
        _write_text_atomically(Path(output), result.text)
        click.echo(f"Wrote {len(loaded.bank.questions) - len(result.left_out)} questions "
                   f"to {output}.", err=True)
    else:
        click.echo(result.text, nl=False)


def _write_text_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@main.command("draft")
@click.argument("article", type=click.Path(exists=True, dir_okay=False))
@click.option("--bank-id", default="", help="The bank's id (default: from the file name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the bank here (default: standard output).")
@click.option("--max", "max_questions", type=click.IntRange(1, 1000),
              help="At most this many drafts, the most valuable kinds first.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Write the per-paragraph report here (default: standard error).")
@click.option("--title", help="The article's headline, when its file does not say.")
@click.option("--publisher", help="Who published it, when its file does not say.")
@click.option("--date", "published", help="Its date (YYYY-MM-DD), when its file does not say.")
@click.option("--url", help="Its address, when its file does not say.")
def draft_command(article: str, bank_id: str, output: str | None, max_questions: int | None,
                  report_path: str | None, title: str | None, publisher: str | None,
                  published: str | None, url: str | None) -> None:
    """Draft a bank of grounded questions from an article, for a teacher to review."""
    from quizapp.services.drafts import DraftError, draft_from_text

    path = Path(article)
    try:
        text, result = draft_from_text(
            path.read_text(encoding="utf-8"), file_name=path.name, bank_id=bank_id,
            max_questions=max_questions, title=title, publisher=publisher,
            published=published, url=url)
    except (DraftError, UnicodeDecodeError) as error:
        click.echo(f"quizapp draft: {error}", err=True)
        sys.exit(2)
    if report_path:
        _write_text_atomically(Path(report_path), result.report_text() + "\n")
    else:
        click.echo(result.report_text(), err=True)
    if output:
        _write_text_atomically(Path(output), text)
        click.echo(f"Wrote {len(result.drafts)} drafts to {output}. Check them with "
                   f"`quizapp lint {output} --sources {path.parent}`.", err=True)
    else:
        click.echo(text, nl=False)
