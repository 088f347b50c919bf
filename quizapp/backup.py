"""`quizapp backup` and `quizapp restore`: one archive with everything a school would lose.

The archive (a .tar.gz) holds a consistent copy of the SQLite database taken with
SQLite's online backup API (safe while the server runs and writes), the instance
secret key (without it every login cookie and form token is invalid), and the
teachers' folders listed by `data_folders`.

A restore refuses while `quizapp serve` runs (it holds `serve.lock` in the
instance folder), checks the database copy before touching anything, removes the
old database's `-wal` and `-shm` files (left beside a new database they corrupt
it) and puts each file in place with an atomic rename.

PostgreSQL deployments back up the database with `pg_dump` instead; these commands
refuse them with that advice rather than copying only half of the data.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from quizapp.config import resource_dir

FORMAT = 1
DATABASE_MEMBER = "quizapp.sqlite3"
SECRET_KEY_MEMBER = "secret_key"
MANIFEST_MEMBER = "manifest.json"
LOCK_NAME = "serve.lock"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, worded for the administrator."""


def data_folders(config: Mapping[str, Any], instance_path: Path) -> dict[str, Path]:
    """The teachers' folders an archive holds, by archive name (the one list of them).

    The bank folder is skipped while it is still the package's bundled banks, which
    the package itself restores; an unset folder restores into the instance folder.
    """
    folders: dict[str, Path] = {}
    for name, key in (("banks", "QUESTIONS_DIR"), ("sources", "SOURCES_DIR")):
        value = config.get(key)
        path = Path(value).resolve() if value else instance_path / name
        if path == resource_dir("questions").resolve():
            path = instance_path / name
        folders[name] = path
    return folders


def database_path(config: Mapping[str, Any]) -> Path:
    url = make_url(str(config["SQLALCHEMY_DATABASE_URI"]))
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"The database is {url.get_backend_name()}, not SQLite: back it up with its own "
            "tools (for PostgreSQL, `pg_dump --format=custom` and `pg_restore`), and copy "
            "the instance folder's secret_key and the banks and sources folders beside it. "
            "See docs/deploy.md."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory; there is nothing to back up.")
    return Path(url.database).resolve()


# --- the server's lock ------------------------------------------------------------


@contextmanager
def serving_lock(instance_path: Path) -> Iterator[None]:
    """Held by `quizapp serve` for as long as it runs (workers inherit it)."""
    handle = _open_lock(instance_path)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BackupError(
            f"Another `quizapp serve` already uses {instance_path} "
            f"(pid {_lock_pid(instance_path)})."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        handle.close()


def _open_lock(instance_path: Path) -> IO[str]:
    instance_path.mkdir(parents=True, exist_ok=True)
    fd = os.open(instance_path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    return os.fdopen(fd, "r+")


def _lock_pid(instance_path: Path) -> str:
    try:
        return (instance_path / LOCK_NAME).read_text().strip() or "unknown"
    except OSError:
        return "unknown"


def server_running(instance_path: Path) -> bool:
    handle = _open_lock(instance_path)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        handle.close()
    return False


# --- backup -----------------------------------------------------------------------


def backup(config: Mapping[str, Any], instance_path: Path, target: Path) -> dict[str, Any]:
    """Write the archive to `target` (atomically; mode 0600, it holds the secret key)."""
    database = database_path(config)
    if not database.exists():
        raise BackupError(f"There is no database at {database}; run `quizapp init` first.")
    target = target.resolve()
    if target.is_dir():
        target = target / f"quizapp-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": DATABASE_MEMBER,
        "secret_key": False,
        "folders": {},
    }
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".quizapp-backup-") as scratch:
        copy = Path(scratch) / DATABASE_MEMBER
        manifest["revision"] = _copy_database(database, copy)
        fd = os.open(Path(scratch) / "archive", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(copy, DATABASE_MEMBER)
            key = instance_path / "secret_key"
            if key.is_file():
                archive.add(key, SECRET_KEY_MEMBER)
                manifest["secret_key"] = True
            for name, folder in data_folders(config, instance_path).items():
                if folder.is_dir():
                    archive.add(folder, name, filter=_regular_files_only)
                    manifest["folders"][name] = sum(1 for p in folder.rglob("*") if p.is_file())
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o600
            archive.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(Path(scratch) / "archive", target)
    manifest["path"] = str(target)
    return manifest


def _regular_files_only(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return info if info.isfile() or info.isdir() else None


def _copy_database(source: Path, copy: Path) -> str | None:
    """A consistent copy through SQLite's backup API; returns its schema revision.

    In WAL mode the copy reads one snapshot while the server keeps writing; it is
    done in one step so it never restarts under a busy writer.
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(copy)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
        # The archive holds one file: no -wal beside it to lose.
        dst.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(dst, "The copy of the database")
        return _revision(dst)
    finally:
        dst.close()
        src.close()


def _check_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{what} failed SQLite's integrity check: {result}")


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


# --- restore ----------------------------------------------------------------------


def restore(
    config: Mapping[str, Any], instance_path: Path, archive_path: Path, *, replace: bool = False
) -> dict[str, Any]:
    """Put an archive's database, key and folders in place; refuses while serving.

    Without `replace` only an empty data folder (no database yet) is restored into;
    with it the current database and folders are first moved aside, not deleted.
    """
    database = database_path(config)
    if server_running(instance_path):
        raise BackupError(
            f"`quizapp serve` is running on {instance_path} (pid {_lock_pid(instance_path)}); "
            "stop it before restoring."
        )
    if not archive_path.is_file():
        raise BackupError(f"No archive at {archive_path}.")
    folders = data_folders(config, instance_path)
    if not replace and (database.exists() or any(_non_empty(f) for f in folders.values())):
        raise BackupError(
            f"{database} or the banks and sources folders already hold data. Restore into a "
            "fresh data folder, or add --replace to move the current data aside first."
        )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    instance_path.mkdir(parents=True, exist_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=database.parent, prefix=".quizapp-restore-") as scratch:
        unpacked = Path(scratch)
        manifest = _unpack(archive_path, unpacked)
        restored_db = unpacked / DATABASE_MEMBER
        connection = sqlite3.connect(restored_db)
        try:
            _check_integrity(connection, "The archive's database")
        finally:
            connection.close()
        moved: list[str] = []
        # The old -wal and -shm belong to the old database: beside the restored one
        # they would be replayed into it ("database disk image is malformed").
        for suffix in ("", "-wal", "-shm", "-journal"):
            old = database.with_name(database.name + suffix)
            if old.exists():
                if replace and suffix == "":
                    aside = old.with_name(f"{old.name}.before-restore-{stamp}")
                    os.replace(old, aside)
                    moved.append(str(aside))
                else:
                    old.unlink()
        os.replace(restored_db, database)
        os.chmod(database, 0o600)
        if (unpacked / SECRET_KEY_MEMBER).is_file():
            key = instance_path / "secret_key"
            os.replace(unpacked / SECRET_KEY_MEMBER, key)
            os.chmod(key, 0o600)
        for name, folder in folders.items():
            source = unpacked / name
            if not source.is_dir():
                continue
            if folder.exists():
                if any(folder.iterdir()):
                    aside = folder.with_name(f"{folder.name}.before-restore-{stamp}")
                    os.replace(folder, aside)
                    moved.append(str(aside))
                else:
                    folder.rmdir()
            folder.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), folder)
    manifest["database_path"] = str(database)
    manifest["folder_paths"] = {name: str(path) for name, path in folders.items()}
    manifest["moved_aside"] = moved
    return manifest


def _non_empty(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _unpack(archive_path: Path, into: Path) -> dict[str, Any]:
    allowed = {DATABASE_MEMBER, SECRET_KEY_MEMBER, MANIFEST_MEMBER, "banks", "sources"}
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            members = archive.getmembers()
            names = {member.name for member in members}
            if DATABASE_MEMBER not in names or MANIFEST_MEMBER not in names:
                raise BackupError(f"{archive_path} is not a quizapp backup (no database in it).")
            for member in members:
                if PurePosixPath(member.name).parts[0] not in allowed:
                    raise BackupError(f"{archive_path} holds an unexpected file: {member.name}")
            # The "data" filter refuses absolute paths, "..", links out and devices.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{archive_path} could not be read as a backup: {error}") from None
    manifest: dict[str, Any] = json.loads((into / MANIFEST_MEMBER).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is a backup format this version cannot read.")
    return manifest


# --- the commands (registered in cli.py) -----------------------------------------


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write one archive (database, secret key, banks, sources) to PATH; safe while serving.

    PATH is a file name (.tar.gz) or an existing folder to put a dated archive in.
    """
    try:
        manifest = backup(current_app.config, Path(current_app.instance_path), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    folders = ", ".join(f"{name} ({count} files)" for name, count in manifest["folders"].items())
    click.echo(f"Backed up to {manifest['path']}: the database"
               f"{', the secret key' if manifest['secret_key'] else ''}"
               f"{', ' + folders if folders else ''}.")


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Move the current database and folders aside (kept, renamed) first.")
@with_appcontext
def restore_command(path: Path, replace: bool) -> None:
    """Restore an archive made by `quizapp backup` (stop `quizapp serve` first)."""
    try:
        manifest = restore(current_app.config, Path(current_app.instance_path), path,
                           replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the backup of {manifest['created']} into {manifest['database_path']}.")
    for name, folder in manifest["folder_paths"].items():
        if name in manifest["folders"]:
            click.echo(f"  {name}: {folder}")
    for aside in manifest["moved_aside"]:
        click.echo(f"  kept the previous data as {aside}")
    click.echo("Start the server again with `quizapp serve` (it upgrades the schema if needed).")
