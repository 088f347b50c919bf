"""The `quizapp` command.

Commands that touch the database build the app through `create_app`; `lint`,
`dump` and `try` only read bank files and need no database at all. Nothing is
built or created before a command runs, so `quizapp --help` leaves no trace.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from quizapp.config import configured_folders


def _create_app() -> Any:
    from quizapp import create_app

    return create_app()


class QuizappGroup(FlaskGroup):
    """Flask's command group without building the app to list or find commands.

    FlaskGroup builds the app for `--help` to find commands an app may add; ours
    adds none, and building it would create the data folder and the secret key.
    """

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        return click.Group.get_command(self, ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))


@click.group(cls=QuizappGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
@click.option("-v", "--verbose", is_flag=True, help="Also show the database migration steps.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """quizapp: quizzes drawn from news articles."""
    ctx.ensure_object(ScriptInfo).data["verbose"] = verbose


def _add_migration_commands() -> None:
    # Flask-Migrate adds `db` to the app's commands when the app is built; the group
    # does not build the app to list commands, so the command is added here.
    from flask_migrate.cli import db as db_commands

    main.add_command(db_commands, "db")


_add_migration_commands()


def _verbose() -> bool:
    """Whether `-v` was given; False when called outside a command (from Python)."""
    ctx = click.get_current_context(silent=True)
    info = ctx.find_object(ScriptInfo) if ctx is not None else None
    return bool(info is not None and info.data.get("verbose"))


def _upgrade() -> None:
    from quizapp.database import upgrade_database

    upgrade_database(verbose=_verbose())


def sync_banks() -> Any:
    """Load the bundled banks and the teachers' folder (inside an app context).

    Makes the teachers' bank and source folders on first use, so they are there
    to be found.
    """
    from quizapp.banks.sync import bank_folders, sync_folders
    from quizapp.config import make_private_dir
    from quizapp.extensions import db
    from quizapp.services.banks import record_synced_versions

    config = current_app.config
    teachers = make_private_dir(Path(config["QUESTIONS_DIR"]))
    sources = Path(config["SOURCES_DIR"]) if config.get("SOURCES_DIR") else None
    if sources is not None:
        make_private_dir(sources)
    bundled = config.get("BUNDLED_QUESTIONS_DIR")
    folders = bank_folders(teachers, sources, Path(bundled) if bundled else None)
    report = sync_folders(db.session, folders, max_bytes=config["MAX_BANK_BYTES"])
    # A teacher's file that changed on disk becomes a version, as a reload's does.
    record_synced_versions(db.session, teachers, report.loaded)
    return report


def prepare_database() -> str:
    """Upgrade the schema and load the banks (inside an app context); the summary."""
    _upgrade()
    return sync_banks().summary()


def _report_failures(report: Any) -> None:
    """Every message of every bank file that is not serving its latest version."""
    from sqlalchemy import select

    from quizapp.banks.messages import LintMessage
    from quizapp.extensions import db
    from quizapp.models import BankFile

    for name in report.failed:
        bank_file = db.session.scalar(select(BankFile).where(BankFile.name == name))
        for message in bank_file.messages if bank_file is not None else []:
            click.echo(LintMessage.from_dict(message).format(), err=True)
    count = len(report.failed)
    if count:
        what = ("1 bank file is not serving its latest version" if count == 1 else
                f"{count} bank files are not serving their latest versions")
        click.echo(f"{what}; fix the errors above and run `quizapp sync` again.", err=True)


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the question banks."""
    _upgrade()
    report = sync_banks()
    click.echo(f"Database ready at {_database_label()}. Banks: {report.summary()}.")
    _report_failures(report)
    if report.failed:
        sys.exit(1)


def _database_label() -> str:
    from quizapp.extensions import db

    return db.engine.url.render_as_string(hide_password=True)


@main.command("sync")
@with_appcontext
def sync_command() -> None:
    """Load the bank folders into the database (unchanged files are skipped)."""
    _upgrade()
    report = sync_banks()
    click.echo(f"Banks: {report.summary()}.")
    _report_failures(report)
    if report.failed:
        sys.exit(1)


@main.command("info")
@with_appcontext
def info_command() -> None:
    """Show where the data lives, what the database holds and the version."""
    from importlib.metadata import PackageNotFoundError, version

    from sqlalchemy import func, inspect, select

    from quizapp.extensions import db
    from quizapp.models import Attempt, Bank, User

    config = current_app.config
    try:
        installed = version("quizapp")
    except PackageNotFoundError:
        installed = "unknown (not installed)"
    # Only looks: a database that does not exist yet is reported, not created.
    tables = set(inspect(db.engine).get_table_names())
    if {User.__tablename__, Bank.__tablename__, Attempt.__tablename__} <= tables:
        counts = {
            "users": str(db.session.scalar(select(func.count()).select_from(User))),
            "banks": str(db.session.scalar(
                select(func.count()).select_from(Bank).where(Bank.retired.is_(False)))),
            "attempts": str(db.session.scalar(select(func.count()).select_from(Attempt))),
        }
    else:
        counts = dict.fromkeys(("users", "banks", "attempts"),
                               "none yet (no database: run `quizapp init`)")
    rows = [
        ("version", installed),
        ("data folder", config["DATA_DIR"]),
        ("database", _database_label()),
        ("teachers' banks", config["QUESTIONS_DIR"]),
        ("bundled banks", config.get("BUNDLED_QUESTIONS_DIR") or "(none)"),
        ("source texts", config.get("SOURCES_DIR") or "(none)"),
        *counts.items(),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name + ':':<{width + 1}} {value}")


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
    from quizapp.extensions import db
    from quizapp.services.accounts import AccountError, create_user

    password = _read_password(password_file)
    _upgrade()
    try:
        user = create_user(db.session, name, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} '{user.username}' in {_database_label()}.")


def _read_password(password_file: Any) -> str:
    if password_file is not None:
        return str(password_file.readline().rstrip("\r\n"))
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _find_user(name: str) -> Any:
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services.accounts import username_key

    user = db.session.scalar(select(User).where(User.username_key == username_key(name)))
    if user is None:
        raise click.ClickException(
            f"No user '{name}' in {_database_label()}; `quizapp user list` shows them.")
    return user


@main.group("user")
def user_group() -> None:
    """List accounts, change a role, set a password."""


@user_group.command("list")
@with_appcontext
def user_list_command() -> None:
    """Every account with its role and when it was made."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import User

    _upgrade()
    users = db.session.scalars(select(User).order_by(User.username_key)).all()
    if not users:
        click.echo(f"No users in {_database_label()}; add one with `quizapp create-user`.")
        return
    width = max(len(u.username) for u in users)
    for user in users:
        click.echo(f"{user.username:<{width}}  {user.role:<7}  "
                   f"created {user.created_at:%Y-%m-%d %H:%M} UTC")


@user_group.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(["student", "teacher", "admin"]))
@with_appcontext
def user_set_role_command(name: str, role: str) -> None:
    """Make NAME a student, a teacher or an administrator."""
    from quizapp.extensions import db

    _upgrade()
    user = _find_user(name)
    previous, user.role = user.role, role
    db.session.commit()
    click.echo(f"'{user.username}' was {previous}, is now {role}.")


@user_group.command("set-password")
@click.argument("name")
@click.option("--password-file", type=click.File("r"),
              help="Read the password from this file's first line ('-' for standard input).")
@with_appcontext
def user_set_password_command(name: str, password_file: Any) -> None:
    """Give NAME a new password; prompted for unless --password-file is given."""
    from quizapp.extensions import db
    from quizapp.services.accounts import AccountError

    _upgrade()
    user = _find_user(name)
    password = _read_password(password_file)
    try:
        _change_password(db.session, user, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password of '{user.username}' changed in {_database_label()}; all of its "
               "logins have ended.")


def _change_password(session: Any, user: Any, password: str) -> None:
    """The one place this command changes a password: checked for strength, and every
    login of the account ends."""
    from quizapp.services.accounts import set_password

    set_password(session, user, password)


# The same command under the name an administrator may remember first.
main.add_command(user_set_password_command, "set-password")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
# Four synchronous workers on two cores: measured in docs/performance.md.
@click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes, each serving one request at a time.")
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
        with serving_lock(Path(current_app.config["DATA_DIR"])):
            _serve(host, port, workers, dev)
    except BackupError as error:
        raise click.ClickException(str(error)) from None


def _serve(host: str, port: int, workers: int, dev: bool) -> None:
    click.echo(f"Data folder: {current_app.config['DATA_DIR']}")
    _upgrade()
    report = sync_banks()
    click.echo(f"Banks: {report.summary()}.")
    _report_failures(report)
    if dev:
        current_app.run(host=host, port=port, debug=True, use_reloader=True)
        return
    from quizapp.extensions import db
    from quizapp.serving import serve

    # Workers build their own engines; none may inherit this process's connections.
    db.engine.dispose()
    click.echo(f"Serving on http://{host}:{port}/ with {workers} workers.")
    serve(host=host, port=port, workers=workers)


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--sources", "sources_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of source texts or their fingerprints for grounding "
                   "(default: the data folder's sources/).")
@click.option("--summary", is_flag=True,
              help="Also count each bank's and quiz's questions per topic, type, "
                   "difficulty and skill.")
def lint_command(paths: tuple[str, ...], fmt: str, sources_dir: str | None,
                 summary: bool) -> None:
    """Check bank files or folders; exit 0 when clean, 1 on errors, 2 on usage errors.

    With no PATH, checks the teachers' bank folder in the data folder.
    """
    from quizapp.banks.lint import run_lint

    folders = configured_folders()
    targets = [Path(p) for p in paths]
    if not targets:
        targets = [Path(folders["QUESTIONS_DIR"])]
        if fmt == "text":
            click.echo(f"Checking the teachers' bank folder {targets[0]}", err=True)
    sources = sources_dir or folders["SOURCES_DIR"]
    bundled = folders.get("BUNDLED_QUESTIONS_DIR")
    output, code = run_lint(targets, fmt, Path(sources) if sources else None, summary=summary,
                            bundled=Path(bundled) if bundled else None)
    if output:
        click.echo(output, err=code == 2)
    sys.exit(code)


@main.command("dump")
@click.argument("paths", nargs=-1, type=click.Path())
def dump_command(paths: tuple[str, ...]) -> None:
    """Print the validated banks as one JSON document (see docs/bank-json.md)."""
    from quizapp.banks.dump import run_dump

    folders = configured_folders()
    targets = [Path(p) for p in paths] or [Path(folders["QUESTIONS_DIR"])]
    sources = folders["SOURCES_DIR"]
    output, code = run_dump(targets, Path(sources) if sources else None)
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
            click.echo(message.format(), err=True)
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


@main.group("sources")
def sources_group() -> None:
    """Source texts that banks quote from."""


@sources_group.command("fingerprint")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: beside ARTICLE, as <name>.fingerprint.json).")
def sources_fingerprint_command(article: Path, output: Path | None) -> None:
    """Write a fingerprint of ARTICLE that lint can check quotes against.

    Share the fingerprint instead of an article you may not copy: put it where the
    article would go (the sources folder), and quotes are checked all the same.
    """
    from quizapp.banks.fingerprint import write_fingerprint

    try:
        target, printed = write_fingerprint(article, output)
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot fingerprint {article}: {error}") from None
    count = len(printed.paragraphs)
    click.echo(f"Wrote {target} ({count} paragraph{'s' if count != 1 else ''}).")


@sources_group.command("show")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def sources_show_command(file: str) -> None:
    """Print a source file's details and each paragraph's number and first words."""
    from quizapp.banks.sources import format_outline, parse_source

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from None
    click.echo(format_outline(file, parse_source(text)))


def _register_backup_commands() -> None:
    from quizapp.backup import backup_command, restore_command

    main.add_command(backup_command)
    main.add_command(restore_command)


_register_backup_commands()


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
        _save_text(Path(output), text)
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
        _save_text(Path(output), result.text)
        click.echo(f"Wrote {len(loaded.bank.questions) - len(result.left_out)} questions "
                   f"to {output}.", err=True)
    else:
        click.echo(result.text, nl=False)


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
        _save_text(Path(report_path), result.report_text() + "\n")
    else:
        click.echo(result.report_text(), err=True)
    if output:
        _save_text(Path(output), text)
        click.echo(f"Wrote {len(result.drafts)} drafts to {output}. Check them with "
                   f"`quizapp lint {output} --sources {path.parent}`.", err=True)
    else:
        click.echo(text, nl=False)


def _save_text(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of it."""
    from quizapp.services.banks import write_atomically

    write_atomically(path, text.encode("utf-8"))
