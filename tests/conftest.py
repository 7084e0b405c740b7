"""Fixtures shared by every test folder.

`engine` is a fresh, migrated database per test: a SQLite file by default, or a
throwaway PostgreSQL database when FACTCHECK_TEST_DATABASE_URL names a server
(`.ci/run` runs the `db`-marked tests that way).
"""
import os
import shutil
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from factcheck.config import database_url
from factcheck.store.db import forget_engines, get_engine

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE_ARTICLE = SHARED / "corpus" / "articles" / "melania-reunites-ukrainian-children.txt"
SAMPLE_GOLD = SHARED / "corpus" / "gold" / "melania-reunites-ukrainian-children.json"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared corpus is absent ({SHARED})")


@pytest.fixture(autouse=True)
def _isolated_instance(tmp_path, monkeypatch):
    """No test touches the checkout's instance/ folder, or a database or job queue named in the environment."""
    monkeypatch.setenv("FACTCHECK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("FACTCHECK_DATABASE_URL", raising=False)
    monkeypatch.delenv("FACTCHECK_REDIS_URL", raising=False)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file migrated once per run; each test gets a copy (migrating costs ~0.4 s)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    get_engine(f"sqlite:///{path}")
    forget_engines()  # closes every connection, so the file holds the whole schema
    return path


@pytest.fixture
def database(tmp_path, migrated_sqlite):
    """The URL of a fresh empty database, dropped afterwards."""
    server = os.environ.get("FACTCHECK_TEST_DATABASE_URL")
    if not server:
        shutil.copyfile(migrated_sqlite, tmp_path / "test.db")
        yield f"sqlite:///{tmp_path / 'test.db'}"
        forget_engines()
        return
    yield from _throwaway_postgres(server)


@pytest.fixture
def blank_database(tmp_path):
    """The URL of a fresh database without even the schema (for migration tests), dropped afterwards."""
    server = os.environ.get("FACTCHECK_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        forget_engines()
        return
    yield from _throwaway_postgres(server)


def _throwaway_postgres(server: str):
    admin_url = make_url(database_url(server))
    name = f"factcheck_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        forget_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database):
    return get_engine(database)


@pytest.fixture
def redis_url():
    """FACTCHECK_TEST_REDIS_URL (a database number the tests may empty), emptied before the
    test; the test is skipped when it is unset (`.ci/run` sets it) or Redis is unreachable."""
    url = os.environ.get("FACTCHECK_TEST_REDIS_URL")
    if not url:
        pytest.skip("FACTCHECK_TEST_REDIS_URL is not set (.ci/run sets it for the Redis tests)")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis at {url} is unreachable: {exc}")
    yield url
    client.flushdb()
    client.close()
