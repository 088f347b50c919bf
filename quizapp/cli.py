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
    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.services.banks import reload_folder

    upgrade_database()
    report = reload_folder(
        db.session,
        Path(current_app.config["QUESTIONS_DIR"]),
        current_app.config["MAX_BANK_BYTES"],
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
    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.models import BankFile
    from quizapp.services.banks import reload_folder

    upgrade_database()
    report = reload_folder(
        db.session,
        Path(current_app.config["QUESTIONS_DIR"]),
        current_app.config["MAX_BANK_BYTES"],
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


@main.command("set-password")
@click.argument("name")
@click.option("--password-file", type=click.File("r"),
              help="Read the password from this file's first line ('-' for standard input).")
@with_appcontext
def set_password_command(name: str, password_file: Any) -> None:
    """Set an account's password (prompted for) and log it out everywhere."""
    from sqlalchemy import select

    from quizapp.database import upgrade_database
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.accounts import AccountError, set_password, username_key

    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    upgrade_database()
    user = db.session.scalar(select(User).where(User.username_key == username_key(name)))
    if user is None:
        raise click.ClickException(f"There is no account '{name}'.")
    try:
        set_password(db.session, user, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password of '{user.username}' changed; all of its logins have ended.")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
@with_appcontext
def serve_command(host: str, port: int, workers: int, dev: bool) -> None:
    """Upgrade the database, load the banks and serve the app (gunicorn)."""
    from quizapp.backup import BackupError, serving_lock

    if os.environ.get("WERKZEUG_RUN_MAIN"):
        # The --dev reloader's child: its parent already holds the lock.
        _serve(host, port, workers, dev)
        return
    # The lock tells `quizapp restore` (and a second `serve`) that the server runs.
    try:
        with serving_lock(Path(current_app.instance_path)):
            _serve(host, port, workers, dev)
    except BackupError as error:
        raise click.ClickException(str(error)) from None


def _serve(host: str, port: int, workers: int, dev: bool) -> None:
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


def _register_backup_commands() -> None:
    from quizapp.backup import backup_command, restore_command

    main.add_command(backup_command)
    main.add_command(restore_command)


_register_backup_commands()
