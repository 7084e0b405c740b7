"""`factcheck backup` and `factcheck restore`: a consistent copy of the database, and back.

A backup is one file: on SQLite a copy of the database made with SQLite's backup API, on
PostgreSQL a pg_dump archive (store/backup.py holds how). It is written beside PATH and
renamed onto it when whole, so PATH is never half a backup. A restore checks first that
PATH is a backup of a factcheck database of a schema this code knows, replaces the
database with it in one transaction, then migrates it to the current schema.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from ..errors import InputError
from ..store.backends import backend_for, forget_statistics
from ..store.db import schema_revisions, upgrade


@dataclass
class BackupFile:
    path: Path
    size: int
    revision: str  # the schema revision the backup holds

    def summary(self, done: str) -> str:
        return f"{done} {self.path} ({_size(self.size)}, schema {self.revision})"


def backup_database(engine: Engine, path: str | os.PathLike, force: bool = False) -> BackupFile:
    """Write a backup of the database behind `engine` to `path` (which must not exist,
    unless `force`), safely while the web app runs."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name the backup file to write")
    if path.exists() and not force:
        raise InputError(f"{path}: already exists (--force replaces it)")
    if not path.parent.is_dir():
        raise InputError(f"{path}: no such folder: {path.parent}")
    backend = backend_for(engine)
    # Private to its owner (mkstemp's 0600): a backup holds the accounts' password hashes.
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    try:
        backend.backup(engine, Path(partial))
        revision = backend.backup_revision(Path(partial))
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
    return BackupFile(path, path.stat().st_size, revision)


def read_backup(engine: Engine, path: str | os.PathLike) -> BackupFile:
    """The backup at `path`, checked: a backup of a factcheck database for `engine`'s kind of
    database, of a schema this code knows. InputError naming `path` otherwise."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such backup file")
    revision = backend_for(engine).backup_revision(path)
    if revision not in schema_revisions():
        raise InputError(f"{path}: its schema revision ({revision}) is not one this factcheck knows "
                         f"(a newer version's?); restore it with the version that made it")
    return BackupFile(path, path.stat().st_size, revision)


def restore_database(engine: Engine, path: str | os.PathLike) -> BackupFile:
    """Replace the database behind `engine` with the backup at `path`, then migrate it to the
    current schema. Nothing is changed when `path` is not a backup that can be restored.

    The server should be stopped: its processes keep pages and term statistics in memory
    (only this process's statistics are forgotten here)."""
    backup = read_backup(engine, path)
    backend_for(engine).restore(engine, backup.path)
    upgrade(engine)
    forget_statistics()
    return backup


def _size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
