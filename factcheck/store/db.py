"""Engines and sessions; the schema is brought up to date on first use."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from ..config import database_url
from ..errors import InputError
from .backends import backend_for
from .search import full_text_object

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def include_object(_object, name: str, type_: str, reflected: bool, compare_to) -> bool:
    """What Alembic's autogenerate compares: not the full-text indexes, which the migrations
    make and the models do not declare (it would propose dropping them)."""
    return not (reflected and compare_to is None and full_text_object(name, type_))


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process, migrated to head."""
    url = database_url(url)
    if url not in _engines:
        engine = make_engine(url)
        upgrade(engine)
        _engines[url] = engine
    return _engines[url]


def make_engine(url: str) -> Engine:
    """A new engine on `url`, as is (get_engine also migrates it)."""
    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except ModuleNotFoundError as exc:
        if exc.name != "psycopg":
            raise
        raise InputError("a PostgreSQL database needs the psycopg driver: pip install 'factcheck[postgresql]'") from None
    backend_for(engine).prepare_engine(engine)
    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run any migration the database has not had yet, up to `revision` (cheap when it is there)."""
    cfg = alembic_config()
    target = ScriptDirectory.from_config(cfg).get_revision(revision).revision
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == target:
            return
    migrate(engine, command.upgrade, revision)


def schema_revisions() -> list[str]:
    """Every schema revision this code knows, oldest first (the last is head)."""
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def downgrade(engine: Engine, revision: str) -> None:
    """Undo the migrations after `revision`."""
    migrate(engine, command.downgrade, revision)


def migrate(engine: Engine, step, revision: str) -> None:
    """Run Alembic's `step` (command.upgrade or command.downgrade) to `revision`, in one
    transaction, inside the backend's guard (SQLite's rebuilt tables need foreign keys off)."""
    cfg = alembic_config()
    backend = backend_for(engine)
    with engine.connect() as conn, backend.migrating(conn):
        with conn.begin():
            cfg.attributes["connection"] = conn
            step(cfg, revision)
            backend.check_migration(conn)


def forget_engines() -> None:
    """Dispose of every cached engine (tests that drop a database call this)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed together, or not at all."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reading only: whatever it holds is rolled back. Slow work (matching,
    encoding) reads in one of these and writes in a short `session_scope` afterwards, so
    that SQLite's single write lock is never held while it computes."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def is_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database is locked": another connection held the
    write lock for longer than the busy timeout (`backends.BUSY_TIMEOUT_MS`)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)
