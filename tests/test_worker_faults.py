"""Issue 15's faults: Redis or the database going away and coming back under a running
`factcheck worker` is survived, with one clear log line, and no job is lost.

Each test runs a real worker process on its own redis-server (started, killed and started
again on the same port by the test) and, for the database, behind a TCP forwarder the test
cuts (tests/loopback.py). The articles are the fictional samples of
tests/services/test_monitoring.py; everything stays on loopback, every wait has a deadline.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url
from sqlmodel import Session, func, select

from factcheck.config import database_url
from factcheck.jobs import Jobs, make_huey
from factcheck.services.monitoring import add_source, queue_article
from factcheck.store.db import make_engine, session_scope
from factcheck.store.models import Article, IncomingItem
from .loopback import TcpForwarder, serving
from .services.test_monitoring import FeedServer, Handler, article_page

pytestmark = pytest.mark.db

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ARTICLE_DELAY = 0.4  # seconds the sample server takes to send an article, so that a cut finds jobs running


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    """Poll `condition` until it is true (returning it), failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"not within {seconds} s: {what}")


class RedisServer:
    """A private redis-server on a free loopback port, keeping nothing on disk, so that a
    restart comes back empty (as a Redis without persistence does)."""

    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        wait_for(lambda: self._answers(client), 10, "redis-server answers")
        client.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False


@pytest.fixture
def redis_server(tmp_path):
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip(f"no redis-server binary ({REDIS_SERVER}) to start, stop and restart")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


class Worker:
    """A `factcheck worker` process; `log()` is what it has written to stderr so far."""

    def __init__(self, tmp_path: Path, database: str, redis_url: str):
        self.log_path = tmp_path / "worker.log"
        env = {**os.environ, "FACTCHECK_INSTANCE": str(tmp_path / "worker-instance"),
               "FACTCHECK_DATABASE_URL": database, "FACTCHECK_REDIS_URL": redis_url, "FACTCHECK_SEMANTIC": "0"}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "factcheck", "worker"], env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: "consumer started" in self.log() or self.process.poll() is not None, 30, "the worker starts")
        self.assert_alive()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def assert_alive(self) -> None:
        assert self.process.poll() is None, f"the worker exited:\n{self.log()}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@pytest.fixture
def start_worker(tmp_path, database):
    """Starts a worker on `database` (by default) and the given Redis; stopped afterwards,
    before the database is dropped."""
    workers = []

    def start(redis_url: str, url: str = database) -> Worker:
        workers.append(Worker(tmp_path, url, redis_url))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


class SlowHandler(Handler):
    def do_GET(self):
        if self.path.startswith("/a/"):
            time.sleep(ARTICLE_DELAY)
        super().do_GET()


@pytest.fixture
def slow_server():
    httpd = FeedServer()
    httpd.RequestHandlerClass = SlowHandler
    with serving(httpd):
        yield httpd


def store_sample(engine, n: int) -> int:
    """Store sample article `n` as pasted text to be processed; its item's id."""
    with session_scope(engine) as session:
        return queue_article(session, text=article_page(n).decode().replace("<p>", "\n\n"), title=f"Sample story {n}")


def queue_sample(engine, jobs: Jobs, n: int) -> int:
    """Store and queue sample article `n`, as the Add an article form does; its item's id."""
    item_id = store_sample(engine, n)
    jobs.queue_item(item_id)
    return item_id


def states(engine) -> dict[int, str]:
    with Session(engine) as session:
        return dict(session.exec(select(IncomingItem.id, IncomingItem.state)).all())


def being_fetched(engine) -> int | None:
    """The item a worker has taken and is fetching, if any."""
    with Session(engine) as session:
        return session.exec(select(IncomingItem.id).where(IncomingItem.lease_owner.is_not(None),
                                                          IncomingItem.state == "queued")).first()


def article_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()


def test_redis_going_away_and_coming_back(engine, redis_server, start_worker, monkeypatch, caplog):
    worker = start_worker(redis_server.url)
    monkeypatch.setenv("FACTCHECK_REDIS_URL", redis_server.url)
    jobs = Jobs(make_huey(), engine)  # the web app's side: it queues articles added by hand
    first = queue_sample(engine, jobs, 1)
    wait_for(lambda: states(engine)[first] == "extracted", 30, "the first article is extracted")

    redis_server.kill()
    with caplog.at_level(logging.WARNING, logger="factcheck.jobs"):
        second = queue_sample(engine, jobs, 2)  # its message is lost: a warning, not an error
    assert "job queue unreachable" in caplog.text and f"item {second} waits for the next sweep" in caplog.text
    wait_for(lambda: "job queue unreachable" in worker.log(), 15, "the worker logs that Redis is away")
    time.sleep(3)  # a few of the worker's attempts to read the queue
    worker.assert_alive()
    assert worker.log().count("job queue unreachable") == 1, worker.log()
    assert "Traceback" not in worker.log()
    assert states(engine)[second] == "queued"

    redis_server.start()  # on the same port, and empty
    wait_for(lambda: states(engine)[second] == "extracted", 30, "the article queued while Redis was away is extracted")
    log = worker.log()
    assert log.count("job queue reachable again") == 1, log
    assert "Traceback" not in log
    assert article_count(engine) == 2
    worker.assert_alive()


def test_a_worker_started_while_redis_is_away_waits_for_it(engine, redis_server, start_worker):
    waiting = store_sample(engine, 3)
    redis_server.kill()
    worker = start_worker(redis_server.url)  # its first sweep cannot queue the waiting article
    wait_for(lambda: "job queue unreachable" in worker.log(), 15, "the worker logs that Redis is away")
    worker.assert_alive()
    redis_server.start()
    wait_for(lambda: states(engine)[waiting] == "extracted", 30, "the waiting article is extracted")
    log = worker.log()
    assert "job queue reachable again" in log and "Traceback" not in log, log


@pytest.fixture
def database_forwarder(database):
    """A TcpForwarder to the test's PostgreSQL database, and the database's URL through it."""
    if not database.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL): a SQLite file cannot go away")
    url = make_url(database)
    forwarder = TcpForwarder((url.host, url.port or 5432))
    yield forwarder, url.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False)
    forwarder.cut()


def test_database_going_away_and_coming_back(engine, database_forwarder, redis_server, start_worker, slow_server):
    forwarder, forwarded_url = database_forwarder
    entries = slow_server.entries = 8
    with session_scope(engine) as session:
        add_source(session, slow_server.url("/feed.xml"), allow_private=True)
    worker = start_worker(redis_server.url, forwarded_url)
    cut_short = wait_for(lambda: list(states(engine).values()).count("extracted") >= 2 and being_fetched(engine),
                         40, "the source is polled, its first articles extracted and the next one taken")
    forwarder.cut()  # while the rest are queued, and one is being fetched (ARTICLE_DELAY)
    wait_for(lambda: "database unreachable" in worker.log(), 15, "the worker logs that the database is away")
    time.sleep(1)  # the queued jobs meet the outage too
    worker.assert_alive()
    forwarder.restore()
    wait_for(lambda: list(states(engine).values()) == ["extracted"] * entries, 45,
             "every article is extracted once the database is back")
    log = worker.log()
    assert "runs again in 10 s" in log and "Traceback" not in log, log
    assert article_count(engine) == entries  # each stored once
    with Session(engine) as session:
        assert len(set(session.exec(select(IncomingItem.article_id)))) == entries
        # the job cut short took its item again when retried, not waiting for its lease to expire
        assert session.get(IncomingItem, cut_short).attempts == 2
    worker.assert_alive()


def test_a_worker_started_while_the_database_is_away_waits_for_it(engine, database_forwarder, redis_server, tmp_path):
    forwarder, forwarded_url = database_forwarder
    waiting = store_sample(engine, 4)
    forwarder.cut()
    log_path = tmp_path / "early-worker.log"
    env = {**os.environ, "FACTCHECK_INSTANCE": str(tmp_path / "early-instance"), "FACTCHECK_DATABASE_URL": forwarded_url,
           "FACTCHECK_REDIS_URL": redis_server.url, "FACTCHECK_SEMANTIC": "0"}
    with open(log_path, "wb") as log:
        early = subprocess.Popen([sys.executable, "-m", "factcheck", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "the worker tries again" in log_path.read_text(), 20, "the worker logs that the database is away")
        assert early.poll() is None
        forwarder.restore()
        wait_for(lambda: states(engine)[waiting] == "extracted", 40, "the waiting article is extracted")
    finally:
        early.terminate()
        early.wait(timeout=15)
    assert "Traceback" not in log_path.read_text()


def test_the_sweep_waits_out_an_unreachable_database(caplog):
    """The sweep (a periodic task) logs one line and is not retried: the next one, a minute
    later, is its retry; nor does it stop a worker from starting."""
    pytest.importorskip("psycopg", reason="an unreachable PostgreSQL needs its driver (factcheck[postgresql])")
    jobs = Jobs(make_huey(), make_engine(database_url(f"postgresql://postgres@127.0.0.1:{free_port()}/gone")))
    jobs.sweep_job()  # as huey's scheduler queues it each minute
    with caplog.at_level(logging.WARNING, logger="factcheck.jobs"):
        jobs.huey.execute(jobs.huey.dequeue())
        jobs.sweep(everything=True)  # a worker's start
    assert caplog.text.count("database unreachable") == 2
    assert "the sweep runs again in a minute" in caplog.text
    assert (len(jobs.huey), jobs.huey.scheduled_count()) == (0, 0)  # nothing retried, nothing piling up
