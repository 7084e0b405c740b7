"""`factcheck backup` and `factcheck restore` on SQLite: what the server has written is in the
backup, and a file that is no backup is refused with the database left as it was.
(tests/web/test_backup.py restores every page, on PostgreSQL too.)"""
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from factcheck.cli import main
from factcheck.errors import InputError
from factcheck.services.backup import backup_database, restore_database
from factcheck.store.backup import libpq_url, pg_revision
from factcheck.store.db import get_engine, make_engine, schema_revisions, upgrade


@pytest.fixture
def sqlite_file(tmp_path, migrated_sqlite):
    """A migrated SQLite database holding two sample outlets."""
    path = tmp_path / "factcheck.db"
    shutil.copyfile(migrated_sqlite, path)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO outlet (name) VALUES (?)", [("Sample Gazette",), ("Sample Herald",)])
    conn.close()
    return path


def outlets(path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [name for (name,) in conn.execute("SELECT name FROM outlet ORDER BY id")]
    finally:
        conn.close()


def dump(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def run(args, path, input=None):
    return CliRunner().invoke(main, args, env={"FACTCHECK_DATABASE_URL": f"sqlite:///{path}"}, input=input)


def test_a_backup_holds_the_writes_still_in_the_wal(sqlite_file, tmp_path):
    engine = get_engine(f"sqlite:///{sqlite_file}")
    # The server's connection: its commits stay in factcheck.db-wal until a checkpoint.
    server = sqlite3.connect(sqlite_file)
    try:
        server.execute("PRAGMA wal_autocheckpoint=0")
        server.executemany("INSERT INTO outlet (name) VALUES (?)", [(f"Sample Outlet {n}",) for n in range(50)])
        server.commit()
        assert (tmp_path / "factcheck.db-wal").stat().st_size > 0
        copied = shutil.copyfile(sqlite_file, tmp_path / "copied.db")  # not a backup: the WAL is left behind
        assert len(outlets(copied)) == 2

        backup = backup_database(engine, tmp_path / "backup.db")
    finally:
        server.close()
    assert len(outlets(backup.path)) == 52
    assert backup.revision == schema_revisions()[-1] and backup.size == backup.path.stat().st_size
    # One self-contained file: nothing beside it, and no journal mode that would want a -wal.
    assert sorted(p.name for p in tmp_path.glob("backup.db*")) == ["backup.db"]
    assert sqlite3.connect(backup.path).execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_backup_and_restore_from_the_command_line(sqlite_file, tmp_path):
    done = run(["backup", str(tmp_path / "b.db")], sqlite_file)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith(f"backed up the database to {tmp_path / 'b.db'} (") and "schema" in done.stdout
    # An existing file is kept unless --force.
    again = run(["backup", str(tmp_path / "b.db")], sqlite_file)
    assert again.exit_code == 1 and again.stderr == f"factcheck: {tmp_path / 'b.db'}: already exists (--force replaces it)\n"
    assert run(["backup", "--force", str(tmp_path / "b.db")], sqlite_file).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial file left

    # Restoring asks for --yes when nobody can be asked (CliRunner's stdin is no terminal).
    unconfirmed = run(["restore", str(tmp_path / "b.db")], sqlite_file)
    assert unconfirmed.exit_code == 1 and "pass --yes" in unconfirmed.stderr
    # Into a database that does not exist yet (a new machine): it is made, whole.
    new = tmp_path / "new" / "factcheck.db"
    new.parent.mkdir()
    restored = run(["restore", "--yes", str(tmp_path / "b.db")], new)
    assert restored.exit_code == 0, restored.stderr
    assert restored.stdout.startswith(f"restored the database from {tmp_path / 'b.db'} (")
    assert outlets(new) == ["Sample Gazette", "Sample Herald"]


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(sqlite_file, tmp_path):
    get_engine(f"sqlite:///{sqlite_file}")
    before = dump(sqlite_file)
    (tmp_path / "notes.txt").write_text("sample notes, not a database\n")
    other = tmp_path / "other.db"  # a SQLite database, but not factcheck's
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text)")
    conn.close()
    newer = tmp_path / "newer.db"  # factcheck's, from a schema this code does not know
    shutil.copyfile(sqlite_file, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    refusals = {
        tmp_path / "missing.db": "no such backup file",
        tmp_path / "notes.txt": "not a factcheck SQLite database (file is not a database)",
        other: "not a factcheck SQLite database (no such table: alembic_version)",
        newer: "its schema revision (9999) is not one this factcheck knows",
        sqlite_file: "is the database itself",
    }
    for path, reason in refusals.items():
        result = run(["restore", "--yes", str(path)], sqlite_file)
        assert result.exit_code == 1, (path, result.output)
        assert result.stderr.startswith(f"factcheck: {path}: {reason}"), result.stderr
        assert result.stderr.count("\n") == 1
    assert dump(sqlite_file) == before
    assert outlets(sqlite_file) == ["Sample Gazette", "Sample Herald"]


def test_a_backup_of_an_older_schema_is_migrated_when_restored(sqlite_file, tmp_path):
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(old, schema_revisions()[-2])
    backup = backup_database(old, tmp_path / "old-backup.db")
    old.dispose()
    assert backup.revision == schema_revisions()[-2]

    engine = get_engine(f"sqlite:///{sqlite_file}")
    assert restore_database(engine, backup.path).revision == schema_revisions()[-2]
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == schema_revisions()[-1]
    assert outlets(sqlite_file) == []  # the backup's rows, not the database's


def test_the_postgresql_tools_get_a_libpq_url_and_the_password_apart():
    url = make_url("postgresql+psycopg://ana:s%40mple%2Fpw@db.example:6543/news room?sslmode=require")
    assert libpq_url(url) == ("postgresql://ana@db.example:6543/news%20room?sslmode=require", "s@mple/pw")
    assert libpq_url(make_url("postgresql+psycopg:///news?host=/run/postgresql")) == (
        "postgresql:///news?host=%2Frun%2Fpostgresql", None)


def test_a_missing_postgresql_tool_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="pg_restore is not installed"):
        pg_revision(tmp_path / "backup.dump")


@pytest.mark.db
def test_postgresql_restore_refuses_what_it_cannot_restore_and_changes_nothing(database, engine, tmp_path):
    if not database.startswith("postgresql"):
        pytest.skip("PostgreSQL only (FACTCHECK_TEST_DATABASE_URL)")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (PostgreSQL's client tools)")
    backup = backup_database(engine, tmp_path / "factcheck.dump")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO outlet (name) VALUES ('Sample Gazette')")
    (tmp_path / "notes.txt").write_text("sample notes, not a dump\n")
    with pytest.raises(InputError, match=r"notes.txt: not a pg_dump archive of a factcheck database \(pg_restore: "):
        restore_database(engine, tmp_path / "notes.txt")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE sample_newer (id integer)")
    with pytest.raises(InputError, match=r"factcheck.dump: the database has tables the backup lacks \(sample_newer\)"):
        restore_database(engine, backup.path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM outlet").scalars().all() == ["Sample Gazette"]
