"""The web app's writes while a long job runs beside it.

On SQLite one writer at a time holds the database. An import or an ingest computes
(reads, matches, encodes) without holding it and writes in short transactions, so a
verdict saved in the middle of either answers at once instead of waiting out the job
and failing with "database is locked" (the busy timeout is 10 s).

Each test holds the job still at a point in its work (an import between two batches, an
ingest in the middle of matching) until the web write is done, so the two always overlap.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest

from factcheck.jobs import Jobs, make_huey
from factcheck.pipeline import matching, records
from factcheck.services.articles import ingest_article
from factcheck.services.monitoring import add_source
from factcheck.services.statements import BATCH, import_statements
from factcheck.store import backends
from factcheck.store.db import session_scope
from ..services.test_monitoring import _fast, article_count, server  # noqa: F401  (fixtures)

from .conftest import hidden_inputs, seed, verdict_data

# A verdict save takes well under a second; a save that waited for the job would take the
# whole busy timeout (10 s) and then fail.
PROMPT = 5.0
# How long the job is held at most, and how long the test waits for it.
HOLD = 30.0


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


class Job(threading.Thread):
    """A job run in a thread of its own, held at `hold()` until `release()`."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.held = threading.Event()
        self.released = threading.Event()
        self.error: BaseException | None = None

    def hold(self) -> None:
        if not self.held.is_set():
            self.held.set()
            self.released.wait(HOLD)

    def release(self) -> None:
        self.released.set()

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc


def held_in_matching(monkeypatch, job: Job) -> Job:
    """`job`, made to hold when it first matches a quote."""
    match_quote = matching.match_quote

    def held_match(*args, **kwargs):
        job.hold()
        return match_quote(*args, **kwargs)

    monkeypatch.setattr(matching, "match_quote", held_match)
    return job


def save_verdict_during(job: Job, client, quote_id: int) -> tuple[int, float]:
    """Start `job`, wait until it is held, save a verdict; (status, seconds the save took)."""
    page = f"/review/quote/{quote_id}"
    form = {**hidden_inputs(client.get(page).text), **verdict_data()}
    job.start()
    try:
        assert job.held.wait(HOLD), "the job never reached the point where it is held"
        started = time.monotonic()
        response = client.post(page, data=form)
        return response.status_code, time.monotonic() - started
    finally:
        job.release()
        job.join(HOLD)
        assert not job.is_alive()
        assert job.error is None, job.error


def test_a_verdict_saves_at_once_in_the_middle_of_an_import(engine, as_user, tmp_path):
    seeded = seed(engine)
    checker = as_user("checker")
    path = tmp_path / "sample-statements.jsonl"
    path.write_text("".join(
        json.dumps({"text": f"Sample statement {i} on the harbour ferries of Kessland.", "speaker": "Ruth Amankwah"}) + "\n"
        for i in range(3 * BATCH)), encoding="utf-8")
    job = Job(lambda: import_statements(engine, str(path), on_progress=lambda _n: job.hold()))
    status, seconds = save_verdict_during(job, checker, seeded.quote_id)
    assert status == 302
    assert seconds < PROMPT


def test_a_verdict_saves_at_once_in_the_middle_of_an_ingest(engine, as_user, monkeypatch):
    seeded = seed(engine)
    checker = as_user("checker")
    text = ("Sample article. The harbour master, Ruth Amankwah, spoke on Monday. "
            "“The new ferries will sail in May,” she said. Work began in 2023.")
    job = held_in_matching(monkeypatch, Job(lambda: ingest_article(engine, records.Article(text=text, title="Sample: ferries"))))
    status, seconds = save_verdict_during(job, checker, seeded.quote_id)
    assert status == 302
    assert seconds < PROMPT


def test_a_verdict_saves_at_once_while_a_worker_polls_and_stores(engine, as_user, monkeypatch, tmp_path, server):
    """A worker's jobs (poll a feed, then fetch, extract, match and store each entry) held in
    the middle of matching an entry's quote."""
    seeded = seed(engine)
    checker = as_user("checker")
    with session_scope(engine) as session:
        add_source(session, server.url("/feed.xml"), allow_private=True)
    job = held_in_matching(monkeypatch, Job(Jobs(make_huey(), engine).run_burst))
    status, seconds = save_verdict_during(job, checker, seeded.quote_id)
    assert status == 302
    assert seconds < PROMPT
    assert article_count(engine) == 3 + 1  # the feed's three, and the seeded one


def test_a_write_that_still_finds_the_database_locked_is_told_so(engine, as_user, database, monkeypatch):
    """Should some other program hold SQLite's write lock past the busy timeout, the form
    is answered 503 "nothing was saved", not a bare 500."""
    if not database.startswith("sqlite"):
        pytest.skip("only SQLite has a database-wide write lock")
    seeded = seed(engine)
    checker = as_user("checker")
    page = f"/review/quote/{seeded.quote_id}"
    form = {**hidden_inputs(checker.get(page).text), **verdict_data()}
    monkeypatch.setattr(backends, "BUSY_TIMEOUT_MS", 200)
    engine.dispose()  # new connections, with the short timeout
    other = sqlite3.connect(database.removeprefix("sqlite:///"))
    try:
        other.execute("BEGIN IMMEDIATE")
        response = checker.post(page, data=form)
    finally:
        other.close()
    assert response.status_code == 503
    assert "nothing was saved" in response.text
    assert response.headers["Retry-After"] == "5"
    assert checker.post(page, data=form).status_code == 302  # once the lock is gone
