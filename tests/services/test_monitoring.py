"""Live monitoring: sources polled, entries queued once, items processed once under a lease.

A local http.server on 127.0.0.1 serves a sample feed (a fictional outlet) whose entries
the tests add to; its articles are written for these tests. No test leaves loopback.
"""
import datetime as dt
import re
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import Session, func, select

from factcheck.domain import IncomingState
from factcheck.errors import InputError
from factcheck.services import monitoring
from factcheck.jobs import Jobs, make_huey
from factcheck.services.monitoring import (add_source, claim_item, due_item_ids, due_source_ids,
                                           poll_source, process_item, queue_article, source_rows)
from factcheck.store.db import session_scope
from factcheck.store.models import Article, FeedSource, IncomingItem
from ..loopback import serving

pytestmark = pytest.mark.db

ETAG = '"sample-v1"'


def article_page(n: int) -> bytes:
    return (f"<html><head><title>Sample story {n}</title></head><body><article><h1>Sample story {n}</h1>"
            f"<p>The fictional harbour board met on day {n} of the sample month.</p>"
            f"<p>“We will rebuild pier number {n} next year,” said Dana Whitlock.</p></article></body></html>"
            ).encode()


class FeedServer(ThreadingHTTPServer):
    """Serves /feed.xml listing articles /a/1 .. /a/<entries> (an ETag per entry count), the
    articles, and /broken.xml failing with HTTP 500. Counts the feed's requests."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.entries = 3
        self.feed_requests = []  # the If-None-Match each request sent

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        if self.path == "/feed.xml":
            etag = f'"sample-{server.entries}"'
            server.feed_requests.append(self.headers.get("If-None-Match"))
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            items = "".join(f"<item><title>Sample story {n}</title><link>{server.url(f'/a/{n}')}</link></item>"
                            for n in range(server.entries, 0, -1))
            body = (f'<?xml version="1.0"?><!-- SAMPLE --><rss version="2.0"><channel><title>Sample Gazette</title>'
                    f"{items}</channel></rss>").encode()
            return self._send(200, "application/rss+xml", body, etag=etag)
        if self.path.startswith("/a/"):
            return self._send(200, "text/html; charset=utf-8", article_page(int(self.path[3:])))
        self._send(500, "text/plain", b"sample failure")

    def _send(self, status, content_type, body, etag=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = FeedServer()
    with serving(httpd):
        yield httpd


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")
    monkeypatch.setattr(monitoring, "HOST_PAUSE", 0.0)


@pytest.fixture
def jobs(engine, tmp_path, monkeypatch):
    """The jobs on the embedded queue, a file in this test's instance folder."""
    monkeypatch.delenv("FACTCHECK_REDIS_URL", raising=False)
    monkeypatch.setenv("FACTCHECK_INSTANCE", str(tmp_path))
    return Jobs(make_huey(), engine)


def add(engine, url, **options) -> int:
    with session_scope(engine) as session:
        return add_source(session, url, allow_private=True, **options).id


def items(engine) -> list[IncomingItem]:
    with Session(engine) as session:
        return list(session.exec(select(IncomingItem).order_by(IncomingItem.id)))


def article_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()


def test_adding_a_source_twice_keeps_one(engine):
    first = add(engine, "HTTPS://Gazette.Example/feed.xml#top", every=5)
    second = add(engine, "https://gazette.example/feed.xml", every=30)
    assert first == second
    with Session(engine) as session:
        [row] = source_rows(session)
    assert row.to_json() == {"url": "https://gazette.example/feed.xml", "every": 5, "last_polled": None,
                             "last_status": "ok", "articles": 0}


@pytest.mark.parametrize("url", ["ftp://gazette.example/feed", "gazette.example/feed", "https:///feed"])
def test_a_bad_url_is_refused_by_name(engine, url):
    with pytest.raises(InputError, match="not an http"):
        with session_scope(engine) as session:
            add_source(session, url)
    with Session(engine) as session:
        assert source_rows(session) == []


def test_a_poll_queues_each_entry_once_and_a_304_stores_nothing(engine, server):
    source_id = add(engine, server.url("/feed.xml"))
    first = poll_source(engine, source_id).item_ids
    assert len(first) == 3
    assert poll_source(engine, source_id).item_ids == []  # answered 304: the ETag was sent back
    assert server.feed_requests == [None, '"sample-3"']
    with session_scope(engine) as session:  # without the validators, the same entries are known
        session.get(FeedSource, source_id).etag = None
    assert poll_source(engine, source_id).item_ids == []
    assert [item.state for item in items(engine)] == ["queued"] * 3


def test_five_new_entries_appear_after_the_next_poll(engine, server, jobs):
    source_id = add(engine, server.url("/feed.xml"), every=0)
    assert jobs.run_burst().extracted == 3
    server.entries = 8
    summary = jobs.run_burst()
    assert (summary.polled, summary.queued, summary.extracted) == (1, 5, 5)
    assert jobs.run_burst().line() == "1 sources polled (0 failing), 0 entries queued, 0 articles extracted, 0 failed"
    assert article_count(engine) == 8
    with Session(engine) as session:
        [row] = source_rows(session)
    assert (row.articles, row.last_status) == (8, "ok")
    assert row.last_polled.utcoffset() == dt.timedelta(0)
    assert source_id and all(item.state == "extracted" and item.article_id for item in items(engine))


def test_an_item_processed_twice_stores_one_article(engine, server):
    source_id = add(engine, server.url("/feed.xml"))
    [item_id, *_] = poll_source(engine, source_id).item_ids
    assert claim_item(engine, item_id, "w1")
    assert not claim_item(engine, item_id, "w2")  # held by w1's lease
    assert claim_item(engine, item_id, "w1")  # w1's own, taken again (its job is being retried)
    process_item(engine, item_id)
    process_item(engine, item_id)  # a job that ran again
    assert not claim_item(engine, item_id, "w2")  # done
    assert article_count(engine) == 1


def test_two_workers_at_once_store_one_article(engine):
    with session_scope(engine) as session:
        text = article_page(7).decode().replace("<p>", "\n\n")
        ids = [queue_article(session, text=text, title="Sample story 7") for _ in range(2)]
    for item_id in ids:
        assert claim_item(engine, item_id, f"w{item_id}")
    threads = [threading.Thread(target=process_item, args=(engine, item_id)) for item_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = items(engine)
    assert [item.state for item in stored] == ["extracted", "extracted"]
    assert stored[0].article_id == stored[1].article_id
    assert article_count(engine) == 1


def test_a_failing_feed_shows_its_error_and_backs_off(engine, server):
    source_id = add(engine, server.url("/broken.xml"), every=10)
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)
    for failures, wait in ((1, 20), (2, 40), (3, 80)):
        assert poll_source(engine, source_id, now).error is not None
        with Session(engine) as session:
            assert due_source_ids(session, now + dt.timedelta(minutes=wait - 1)) == []
            assert due_source_ids(session, now + dt.timedelta(minutes=wait)) == [source_id]
            source = session.get(FeedSource, source_id)
        assert source.failures == failures
        assert source.last_status == f"error: {server.url('/broken.xml')}: HTTP 500 Internal Server Error"
        now += dt.timedelta(minutes=wait)
    with Session(engine) as session:
        [row] = source_rows(session)
    assert row.to_json()["last_status"].startswith("error: ")


def test_the_backoff_stops_at_a_day():
    assert monitoring._backoff(15, 30) == dt.timedelta(days=1)
    assert monitoring._backoff(0, 1) == dt.timedelta(minutes=2)


def test_a_paused_source_is_not_due(engine, server):
    source_id = add(engine, server.url("/feed.xml"))
    with session_scope(engine) as session:
        monitoring.set_source_paused(session, source_id, True)
    with Session(engine) as session:
        assert due_source_ids(session) == []
    with session_scope(engine) as session:
        monitoring.set_source_paused(session, source_id, False)
    with Session(engine) as session:
        assert due_source_ids(session) == [source_id]


def test_an_expired_lease_is_taken_again(engine, server):
    """A worker killed mid-job: its item stays leased, then is due again once the lease expires."""
    source_id = add(engine, server.url("/feed.xml"))
    [item_id, *_] = poll_source(engine, source_id).item_ids
    now = dt.datetime.now(dt.timezone.utc)
    assert claim_item(engine, item_id, "killed", lease_seconds=60, now=now)
    with Session(engine) as session:
        assert item_id not in due_item_ids(session, now + dt.timedelta(seconds=59))
        assert item_id in due_item_ids(session, now + dt.timedelta(seconds=61))
    assert claim_item(engine, item_id, "survivor", now=now + dt.timedelta(seconds=61))
    process_item(engine, item_id)
    [item] = [item for item in items(engine) if item.id == item_id]
    assert (item.state, item.attempts, item.lease_owner) == ("extracted", 2, None)
    assert article_count(engine) == 1


def test_an_entry_that_cannot_be_read_fails_with_its_reason(engine, server, jobs):
    source_id = add(engine, server.url("/feed.xml"))
    with session_scope(engine) as session:
        session.add(IncomingItem(source_id=source_id, url=server.url("/gone")))
    summary = jobs.run_burst()
    assert (summary.extracted, summary.failed) == (3, 1)
    [failed] = [item for item in items(engine) if item.state == IncomingState.FAILED]
    assert failed.reason == f"{server.url('/gone')}: HTTP 500 Internal Server Error"


def test_removing_a_source_keeps_its_articles(engine, server, jobs):
    source_id = add(engine, server.url("/feed.xml"))
    jobs.run_burst()
    with session_scope(engine) as session:
        monitoring.remove_source(session, source_id)
    assert items(engine) == []
    assert article_count(engine) == 3


def test_an_item_whose_source_was_removed_is_skipped(engine, server):
    source_id = add(engine, server.url("/feed.xml"))
    [item_id, *_] = poll_source(engine, source_id).item_ids
    assert claim_item(engine, item_id, "w1")
    with session_scope(engine) as session:
        monitoring.remove_source(session, source_id)
    process_item(engine, item_id)
    assert article_count(engine) == 0


def test_at_most_two_requests_at_a_time_per_host(engine):
    inside, release = [], threading.Event()
    entered = [threading.Event() for _ in range(3)]

    def fetch(n):
        with monitoring._polite(engine, "http://busy.example/feed"):
            inside.append(n)
            entered[n].set()
            release.wait(timeout=10)

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    give_up = time.monotonic() + 5
    while len(inside) < 2 and time.monotonic() < give_up:
        time.sleep(0.01)
    time.sleep(0.3)
    assert len(inside) == 2  # the third waits for a slot
    with monitoring._polite(engine, "http://other.example/feed"):  # another host does not wait
        pass
    release.set()
    assert all(event.wait(5) for event in entered)
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(inside) == [0, 1, 2]


def test_requests_to_one_host_start_a_pause_apart(engine, monkeypatch):
    monkeypatch.setattr(monitoring, "HOST_PAUSE", 0.2)
    starts = []
    for _ in range(3):
        with monitoring._polite(engine, "http://paused.example/feed"):
            starts.append(time.monotonic())
    assert all(later - earlier >= 0.19 for earlier, later in zip(starts, starts[1:]))


def test_a_busy_host_leaves_the_work_due_without_a_failure(engine, server, monkeypatch):
    monkeypatch.setattr(monitoring, "HOST_WAIT", 0.2)
    source_id = add(engine, server.url("/feed.xml"))
    [item_id, *_] = poll_source(engine, source_id).item_ids
    assert claim_item(engine, item_id, "w1")
    with ExitStack() as others:  # two other workers hold the host's slots
        for _ in range(monitoring.HOST_REQUESTS):
            others.enter_context(monitoring._polite(engine, server.url("/elsewhere")))
        assert poll_source(engine, source_id) == monitoring.PollResult([])
        assert process_item(engine, item_id) == IncomingState.QUEUED
    with Session(engine) as session:
        source = session.get(FeedSource, source_id)
        assert (source.last_status, source.failures) == ("ok", 0)
        item = session.get(IncomingItem, item_id)
        assert (item.state, item.reason) == (IncomingState.QUEUED, None)
        retry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=monitoring.HOST_BUSY_RETRY)
        assert item_id not in due_item_ids(session) and source_id not in due_source_ids(session)
        assert item_id in due_item_ids(session, retry + dt.timedelta(seconds=1))
        assert source_id in due_source_ids(session, retry + dt.timedelta(seconds=1))
    assert process_item(engine, item_id) == IncomingState.EXTRACTED  # the host free again


def test_two_workers_polling_at_once_queue_each_entry_once(engine, server):
    source_id = add(engine, server.url("/feed.xml"))
    results, errors = [], []

    def poll():
        try:
            results.append(poll_source(engine, source_id).item_ids)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(items(engine)) == 3
    assert sorted(id for ids in results for id in ids) == [item.id for item in items(engine)]


def test_a_workers_pass_counts_the_failing_feeds(engine, server, jobs):
    add(engine, server.url("/broken.xml"))
    add(engine, server.url("/feed.xml"))
    summary = jobs.run_burst()
    assert summary.line() == "2 sources polled (1 failing), 3 entries queued, 3 articles extracted, 0 failed"
    with Session(engine) as session:
        last_polled = [row.to_json()["last_polled"] for row in source_rows(session)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", moment) for moment in last_polled)
