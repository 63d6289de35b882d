"""Backups of the configured database (README, "Operations: backups and upgrades").

PostgreSQL: ``pg_dump`` in its custom format (compressed, restorable table by table with
``pg_restore``). SQLite: the online backup API (a consistent copy while the web server, worker
and beat keep writing). A restore first checks that the file is a backup of this project for
the configured engine (a PostgreSQL dump, or an SQLite file with Django's migration table) and
refuses anything else before touching the database."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    pass


def _database(alias="default"):
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    return connection


def default_backup_path(alias="default") -> Path:
    suffix = "dump" if _database(alias).vendor == "postgresql" else "sqlite3"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"communitylend-{stamp}.{suffix}"


def _pg_args(connection) -> tuple[list[str], dict]:
    params = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args + ["--dbname", params["NAME"]], env


def backup_create(path: Path | None = None, *, alias="default") -> Path:
    """Write a backup to ``path`` (a file, or a folder to put a dated file in); the file appears
    only when complete (written aside, then renamed) and is readable by its owner only."""
    connection = _database(alias)
    path = Path(path) if path else default_backup_path(alias)
    if path.is_dir():
        path = path / default_backup_path(alias).name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "postgresql":
            args, env = _pg_args(connection)
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file",
                                     str(partial), *args], env=env, capture_output=True,
                                    text=True, timeout=6 * 3600)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        partial.chmod(0o600)  # personal data: never world-readable
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def backup_check(path: Path, *, alias="default") -> str:
    """The engine of the backup at ``path`` ("postgresql" or "sqlite"), after checking it is a
    backup of this project that the configured database can take; BackupError otherwise."""
    connection = _database(alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(PG_MAGIC):
        kind = "postgresql"
    elif head == SQLITE_MAGIC:
        kind = "sqlite"
    else:
        raise BackupError(f"{path} is not a backup (neither a pg_dump custom-format file nor "
                          "an SQLite database); nothing was changed")
    if kind != connection.vendor:
        raise BackupError(f"{path} is a {kind} backup but the configured database is "
                          f"{connection.vendor}; nothing was changed")
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is a damaged SQLite file; nothing was changed")
            if not source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'django_migrations'").fetchone():
                raise BackupError(f"{path} is an SQLite file but not a backup of this site "
                                  "(no django_migrations table); nothing was changed")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} cannot be read as SQLite ({exc}); nothing was changed"
                              ) from exc
        finally:
            source.close()
    else:
        listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True,
                                 text=True, timeout=600)
        if listing.returncode != 0:
            raise BackupError(f"{path} is not a readable pg_dump file "
                              f"({listing.stderr.strip()}); nothing was changed")
        if " TABLE public django_migrations " not in listing.stdout:
            raise BackupError(f"{path} is a pg_dump file but not a backup of this site (no "
                              "django_migrations table); nothing was changed")
    return kind


def backup_restore(path: Path, *, alias="default") -> None:
    """Replace the configured database's contents with the backup at ``path`` (checked first)."""
    kind = backup_check(path, alias=alias)
    connection = connections[alias]
    if kind == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates the tables this connection may read
    args, env = _pg_args(connection)
    result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                             "--single-transaction", "--exit-on-error", *args, str(path)],
                            env=env, capture_output=True, text=True, timeout=6 * 3600)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (the database is as it was: one transaction): "
                          f"{result.stderr.strip()}")
