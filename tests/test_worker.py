"""`factcheck worker` as real processes: killed mid-job, and two at once on PostgreSQL + Redis.

The feeds and articles are fictional samples, served on 127.0.0.1; every wait is bounded.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import update
from sqlmodel import Session, func, select

from factcheck.services.monitoring import add_source
from factcheck.store.db import session_scope
from factcheck.store.models import Article, IncomingItem
from .loopback import http_server, serving

pytestmark = pytest.mark.db

WAIT = 60  # seconds any one wait may take


class SampleFeed(BaseHTTPRequestHandler):
    """/feed.xml lists /a/1 .. /a/<server.stories>, each also as /a/<n>?ref=sample when
    `server.twice` (two URLs, one article); /a/<n> is a fictional story, held until
    `server.release` is set when n is in `server.held`."""

    def do_GET(self):
        server = self.server
        if self.path == "/feed.xml":
            links = [f"/a/{n}" for n in range(1, server.stories + 1)]
            links += [f"{link}?ref=sample" for link in links] if server.twice else []
            items = "".join(f"<item><title>Sample {link}</title><link>{server.base}{link}</link></item>" for link in links)
            return self._send("application/rss+xml", f'<?xml version="1.0"?><rss version="2.0"><channel>'
                              f"<title>Sample Courier (fictional)</title>{items}</channel></rss>")
        n = int(self.path[3:].split("?")[0])
        server.requested.append(n)
        if n in server.held:
            server.release.wait(WAIT)
        self._send("text/html; charset=utf-8", (
            f"<html><head><title>Sample harbour story {n}</title></head><body><article>"
            f"<h1>Sample harbour story {n}</h1><p>The fictional Lowmoor harbour board met for session {n}.</p>"
            f"<p>“Berth {n} reopens in the spring,” said Tamsin Errol, the board's chair.</p></article></body></html>"))

    def _send(self, content_type, text):
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed():
    server = http_server(SampleFeed)
    server.stories, server.twice, server.held = 3, False, set()
    server.requested, server.release = [], threading.Event()
    with serving(server) as base:
        server.base = base
        yield server
    server.release.set()


def start_worker(database: str, tmp_path, *options: str, redis_url: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "FACTCHECK_DATABASE_URL": database, "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
           "FACTCHECK_SEMANTIC": "0"}
    env.pop("FACTCHECK_REDIS_URL", None)
    if redis_url:
        env["FACTCHECK_REDIS_URL"] = redis_url
    return subprocess.Popen([sys.executable, "-m", "factcheck", "worker", *options], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT} s for {what}")
        time.sleep(0.1)


def stored(engine) -> tuple[int, list[IncomingItem]]:
    with Session(engine) as session:
        articles = session.exec(select(func.count()).select_from(Article)).one()
        return articles, list(session.exec(select(IncomingItem).order_by(IncomingItem.id)))


def watch(engine, url: str) -> None:
    with session_scope(engine) as session:
        add_source(session, url, every=0, allow_private=True)


def signal_mid_job(database, engine, feed, tmp_path, signum: int) -> str:
    """Start a worker on the sample feed, send it `signum` while it fetches story 2 (held
    half a second longer), and wait for it to end; what it printed."""
    feed.held = {2}
    watch(engine, f"{feed.base}/feed.xml")
    worker = start_worker(database, tmp_path)
    try:
        wait_for(lambda: 2 in feed.requested, "the worker to fetch story 2")
        worker.send_signal(signum)
        time.sleep(0.5)
        feed.release.set()
        out, _ = worker.communicate(timeout=WAIT)
    finally:
        worker.kill()
    return out


def test_a_worker_killed_mid_job_loses_nothing_and_stores_nothing_twice(database, engine, feed, tmp_path):
    signal_mid_job(database, engine, feed, tmp_path, signal.SIGKILL)  # as kill -9, an OOM kill or a lost machine
    _, items = stored(engine)
    [killed] = [item for item in items if item.url.endswith("/a/2")]
    assert (killed.state, killed.article_id) == ("queued", None) and killed.lease_owner  # its message died with it
    with session_scope(engine) as session:  # its leases run out (LEASE_SECONDS later, in real time)
        session.execute(update(IncomingItem).where(IncomingItem.lease_owner.is_not(None)).values(lease_expires=None))
    survivor = start_worker(database, tmp_path, "--burst")
    out, _ = survivor.communicate(timeout=WAIT)
    assert survivor.returncode == 0, out
    articles, items = stored(engine)
    assert articles == 3
    assert [item.state for item in items] == ["extracted"] * 3
    assert len({item.article_id for item in items}) == 3
    [again] = [item for item in items if item.id == killed.id]
    assert again.attempts == 2  # the job ran again


def test_a_worker_runs_another_job_while_one_waits_on_its_host(database, engine, feed, tmp_path):
    feed.held = {1}
    watch(engine, f"{feed.base}/feed.xml")
    worker = start_worker(database, tmp_path)
    try:
        wait_for(lambda: stored(engine)[0] == 2, "stories 2 and 3 to be stored while story 1 is held")
        feed.release.set()
        wait_for(lambda: stored(engine)[0] == 3, "story 1 to be stored once released")
    finally:
        worker.terminate()
        worker.communicate(timeout=WAIT)


def test_a_worker_stopped_with_sigterm_finishes_its_job_first(database, engine, feed, tmp_path):
    """As a service manager, or `factcheck serve` for its worker, stops it."""
    out = signal_mid_job(database, engine, feed, tmp_path, signal.SIGTERM)
    assert "Shutting down gracefully" in out, out
    _, items = stored(engine)
    [finished] = [item for item in items if item.url.endswith("/a/2")]
    assert (finished.state, finished.lease_owner, finished.attempts) == ("extracted", None, 1), out


def test_two_workers_on_postgresql_and_redis_store_each_article_once(database, engine, feed, tmp_path, redis_url):
    if not database.startswith("postgresql"):
        pytest.skip("scale-out runs on PostgreSQL (set FACTCHECK_TEST_DATABASE_URL)")
    feed.stories, feed.twice = 12, True  # 24 entries, 12 articles: each article fetched twice
    watch(engine, f"{feed.base}/feed.xml")
    workers = [start_worker(database, tmp_path / f"w{n}", redis_url=redis_url) for n in range(2)]
    try:
        wait_for(lambda: [item.state for item in stored(engine)[1]] == ["extracted"] * 24, "every item to be extracted")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        logs = [worker.communicate(timeout=WAIT)[0] for worker in workers]
    articles, items = stored(engine)
    assert articles == 12
    by_url = {item.url: item.article_id for item in items}
    assert all(by_url[url] == by_url[f"{url}?ref=sample"] for url in by_url if "?" not in url)
    processed = [sum("process:" in line and "executed in" in line for line in log.splitlines()) for log in logs]
    assert min(processed) > 0, logs  # both workers took jobs
