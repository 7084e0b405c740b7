"""Backups of the database and their restoring, the database-specific half.

SQLite: Python's `sqlite3.Connection.backup`, SQLite's online backup API. It copies the
database as one snapshot, what its -wal file holds included, while the web app reads and
writes; restoring with it too writes the whole backup in one transaction, so a reader sees
the database before or after, never half of it. (A plain copy of a running server's
`factcheck.db` misses the writes still in `factcheck.db-wal`.)

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner
--single-transaction`. The password goes to them in PGPASSWORD, never on their command
line, which any user of the machine may read.

`backend_for(engine)` picks the functions (`SQLiteBackend.backup` and the others);
`services.backup` checks the paths, and migrates a restored database.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Engine

from ..errors import InputError


def sqlite_backup(engine: Engine, path: Path) -> None:
    """Copy the database to `path` (an empty file), as one self-contained file."""
    source = engine.raw_connection()
    target = sqlite3.connect(path)
    try:
        # pages=-1 copies everything in one step, under one read transaction: a backup in
        # steps starts again whenever the server writes between two of them.
        source.driver_connection.backup(target, pages=-1)
        # The copy says WAL like its source; a backup is one file, not one and its -wal.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def sqlite_revision(path: Path) -> str:
    """The schema revision of the SQLite backup at `path`; InputError if it is not a
    factcheck database. The file is opened read-only and left as it is."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot be opened as a SQLite database ({exc})") from None
    try:
        return _one_revision(path, [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")])
    except sqlite3.DatabaseError as exc:  # "file is not a database", "no such table: alembic_version"
        raise InputError(f"{path}: not a factcheck SQLite database ({exc})") from None
    finally:
        conn.close()


def sqlite_restore(engine: Engine, path: Path) -> None:
    """Write the backup at `path` over the database, in one transaction."""
    database = engine.url.database
    if database and Path(database).exists() and Path(database).resolve() == path.resolve():
        raise InputError(f"{path}: is the database itself, not a backup of it")
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    target = engine.raw_connection()
    try:
        source.backup(target.driver_connection, pages=-1)
    except sqlite3.Error as exc:  # e.g. a page size the database's WAL mode cannot take
        raise InputError(f"{path}: could not be restored ({exc}); the database is unchanged") from None
    finally:
        target.close()
        source.close()


def pg_backup(engine: Engine, path: Path) -> None:
    """pg_dump's custom format (compressed; pg_restore reads it) into `path`."""
    _run("pg_dump", ["--format=custom", f"--file={path}"], engine)


def pg_revision(path: Path) -> str:
    """The schema revision of the pg_dump archive at `path`; InputError if it is not a
    dump of a factcheck database."""
    not_one = f"{path}: not a pg_dump archive of a factcheck database"
    listing = _run("pg_restore", ["--list", str(path)], failed=not_one)
    if not re.search(r"^\d+; \d+ \d+ TABLE DATA \S+ alembic_version ", listing, re.M):
        raise InputError(f"{not_one} (it holds no alembic_version table)")
    script = _run("pg_restore", ["--data-only", "--table=alembic_version", "--file=-", str(path)], failed=not_one)
    # The rows are the lines of the COPY block, up to its "\." terminator.
    rows = re.search(r"^COPY [^\n]*alembic_version[^\n]* FROM stdin;\n(.*?)^\\\.$", script, re.M | re.S)
    return _one_revision(path, rows.group(1).split() if rows else [])


def pg_restore(engine: Engine, path: Path) -> None:
    """Replace the database's tables with the archive's, in one transaction (an error
    undoes it all). `--clean` drops only what the archive holds, so a database with
    tables the archive lacks (made by a newer schema) is refused before anything is done."""
    listing = _run("pg_restore", ["--list", str(path)])
    archived = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.M))
    extra = sorted(set(inspect(engine).get_table_names()) - archived)
    if extra:
        raise InputError(f"{path}: the database has tables the backup lacks ({', '.join(extra)}); nothing was "
                         f"changed: restore it into an empty database (dropdb and createdb it first)")
    _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)], engine,
         failed=f"{path}: could not be restored, the database is unchanged")


def libpq_url(url: URL) -> tuple[str, str | None]:
    """The libpq form of an SQLAlchemy URL, for the tools' --dbname, without its password
    (returned apart, for PGPASSWORD). libpq knows no driver names (postgresql+psycopg://
    is SQLAlchemy's); user, host, port, database and options are kept, each percent-quoted."""
    user = f"{quote(url.username, safe='')}@" if url.username else ""
    host = f"[{url.host}]" if url.host and ":" in url.host else quote(url.host or "", safe="")  # IPv6 in brackets
    port = f":{url.port}" if url.port else ""
    database = f"/{quote(url.database, safe='')}" if url.database else ""
    options = f"?{urlencode(url.query, doseq=True)}" if url.query else ""
    return f"postgresql://{user}{host}{port}{database}{options}", url.password


def _one_revision(path: Path, revisions: list[str]) -> str:
    if len(revisions) != 1:
        raise InputError(f"{path}: its alembic_version table holds {len(revisions)} revisions, not one")
    return revisions[0]


def _run(tool: str, arguments: list[str], engine: Engine | None = None, failed: str | None = None) -> str:
    """Run a PostgreSQL client tool (on `engine`'s database when given) and give its output;
    if it fails, InputError: `failed` (what that means) and the last line of its stderr."""
    if shutil.which(tool) is None:
        raise InputError(f"{tool} is not installed: it comes with PostgreSQL's client tools "
                         f"(e.g. apt install postgresql-client), of the server's version or newer")
    env = os.environ.copy()
    if engine is not None:
        libpq, password = libpq_url(engine.url)
        if password:
            env["PGPASSWORD"] = password
        arguments = [f"--dbname={libpq}", *arguments]
    done = subprocess.run([tool, "--no-password", *arguments], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise InputError(f"{failed or f'{tool} failed'} ({lines[-1]})")
    return done.stdout
