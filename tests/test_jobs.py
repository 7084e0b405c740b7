"""The jobs on the embedded queue: a message queued twice does its work once, the sweep finds
what the queue lost, and an unreachable queue never fails whoever stored the work.

The feed is a fictional sample served on 127.0.0.1 (tests/services/test_monitoring.py's).
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from contextlib import ExitStack

import pytest
from huey import RedisHuey
from sqlalchemy.exc import OperationalError

from factcheck import cli
from factcheck import jobs as jobs_module
from factcheck.jobs import Jobs, make_huey
from factcheck.services.monitoring import claim_item, queue_article
from factcheck.services.statements import import_statements
from factcheck.store.db import session_scope
from .loopback import serving
from .services.test_monitoring import FeedServer, _fast, add, article_count, items, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.db


@pytest.fixture
def jobs(engine):
    return Jobs(make_huey(), engine)


def run_queued(jobs: Jobs) -> list:
    """Run what is queued now, without a sweep; each job's outcome."""
    outcomes = []
    while (task := jobs.huey.dequeue()) is not None:
        outcomes.append(jobs.huey.execute(task))
    return outcomes


def test_the_queue_is_a_file_in_the_instance_folder(tmp_path):
    huey = make_huey()
    assert huey.storage.filename == str(tmp_path / "instance" / "jobs.db")


def test_a_poll_queued_twice_polls_once(engine, server, jobs):
    source_id = add(engine, server.url("/feed.xml"))
    jobs.poll(source_id)
    jobs.poll(source_id)
    first, second = run_queued(jobs)[:2]
    assert (len(first.item_ids), second) == (3, None)  # the second found it polled already
    assert server.feed_requests == [None]
    assert article_count(engine) == 3


@pytest.fixture(params=["embedded", "redis"])
def any_queue(request, monkeypatch):
    """Each of the queue's storages in turn (Redis only where the tests have one)."""
    if request.param == "redis":
        monkeypatch.setenv("FACTCHECK_REDIS_URL", request.getfixturevalue("redis_url"))
    return make_huey(blocking=False)


def test_the_queue_deals_items_out_round_the_sources(engine, any_queue):
    jobs = Jobs(any_queue, engine)
    with ExitStack() as stack:
        feeds = [FeedServer(), FeedServer()]
        for feed in feeds:
            stack.enter_context(serving(feed))
        first, second = (add(engine, feed.url("/feed.xml")) for feed in feeds)
        jobs.poll(first)
        jobs.poll(second)
        for _ in range(2):
            jobs.huey.execute(jobs.huey.dequeue())
        with session_scope(engine) as session:
            by_hand = queue_article(session, text="Sample Mill Reopens\n\n“The mill reopens in May,” said Ivo Brant.")
        jobs.queue_item(by_hand)
    source_of = {item.id: item.source_id for item in items(engine)}
    queued = [task.args[0] for task in jobs.huey.pending()]
    assert queued[0] == by_hand
    assert [source_of[item_id] for item_id in queued[1:]] == [first, second] * 3


def test_an_item_queued_twice_is_processed_once(engine, jobs):
    with session_scope(engine) as session:
        item_id = queue_article(session, text="Sample Mill Reopens\n\n“The mill reopens in May,” said Ivo Brant.")
    jobs.queue_item(item_id)
    jobs.queue_item(item_id)
    assert run_queued(jobs) == ["extracted", None]
    assert [item.attempts for item in items(engine)] == [1]


def test_a_job_retried_in_another_thread_takes_its_item_again(engine, jobs, monkeypatch):
    """The database went away mid-job: the item stays leased by the job, and huey runs the
    job again later, in whichever of a worker's threads (or workers) is free."""
    with session_scope(engine) as session:
        item_id = queue_article(session, text="Sample Mill Reopens\n\n“The mill reopens in May,” said Ivo Brant.")
    jobs.queue_item(item_id)
    process_item = jobs_module.process_item

    def database_away_once(engine, item_id):
        monkeypatch.setattr(jobs_module, "process_item", process_item)
        raise OperationalError("SELECT 1", {}, Exception("connection refused (sample outage)"))

    monkeypatch.setattr(jobs_module, "process_item", database_away_once)
    assert run_queued(jobs) == [None]  # cut short, its retry scheduled
    [retry] = jobs.huey.scheduled()
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(jobs.huey.execute(retry, timestamp=retry.eta)))
    thread.start()
    thread.join(30)
    assert outcome == ["extracted"]
    assert [item.attempts for item in items(engine)] == [2]


def test_the_sweep_queues_what_the_queue_lost_once_it_has_drained(engine, jobs):
    with session_scope(engine) as session:  # stored, but its message never reached the queue
        lost = queue_article(session, text="Sample Dam Repaired\n\n“The dam holds,” said Rhea Tolland.")
        waiting = queue_article(session, text="Sample Ferry Late\n\n“The ferry runs late,” said Ola Brenn.")
    jobs.queue_item(waiting)
    jobs.sweep()  # the queue holds a job: items are not swept while it drains
    assert len(jobs.huey) == 1
    assert run_queued(jobs) == ["extracted"]
    jobs.sweep()
    assert run_queued(jobs) == ["extracted"]
    assert {item.id: item.state for item in items(engine)} == {lost: "extracted", waiting: "extracted"}


def test_an_item_held_by_a_live_lease_is_left_alone(engine, jobs):
    with session_scope(engine) as session:
        item_id = queue_article(session, text="Sample Bridge Shut\n\n“The bridge shuts at noon,” said Ana Vell.")
    assert claim_item(engine, item_id, "another-worker")
    jobs.sweep(everything=True)
    assert len(jobs.huey) == 0  # not due
    jobs.queue_item(item_id)
    assert run_queued(jobs) == [None]  # not taken
    assert items(engine)[0].state == "queued"


def test_an_unreachable_queue_leaves_the_item_for_the_sweep(engine, caplog):
    jobs = Jobs(RedisHuey("factcheck", url="redis://127.0.0.1:1/0"), engine)  # nothing listens on port 1
    with session_scope(engine) as session:
        item_id = queue_article(session, text="Sample Pier Closed\n\n“The pier is closed,” said Kit Marr.")
    with caplog.at_level(logging.WARNING, logger="factcheck.jobs"):
        jobs.queue_item(item_id)
    assert "job queue unreachable" in caplog.text and f"item {item_id} waits for the next sweep" in caplog.text


def test_a_worker_follows_up_an_import_left_to_it(engine, jobs, tmp_path):
    with session_scope(engine) as session:
        queue_article(session, text="Sample Tunnel Row\n\nBrandt said: “The tunnel may never open,” at the sample council.")
    jobs.run_burst()
    statements = tmp_path / "sample-statements.jsonl"
    statements.write_text('{"text": "The tunnel will never open.", "speaker": "Teodor Brandt"}\n', encoding="utf-8")
    import_statements(engine, str(statements), follow_up=False)
    assert jobs.run_burst().line().endswith("; statements embedded 0, quotes re-matched 1")
    assert jobs.run_burst().line().endswith("0 failed")  # nothing owed any more


def test_the_web_app_runs_a_worker_beside_it_and_stops_it():
    with cli.job_worker(True):
        deadline = time.monotonic() + 30
        while not (workers := _worker_processes()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 1
    assert _worker_processes() == []
    with cli.job_worker(False):
        assert _worker_processes() == []


def _worker_processes() -> list[str]:
    """This test's `factcheck worker` children (by their command line)."""
    found = subprocess.run(["pgrep", "-f", "-P", str(os.getpid()), "-a", "factcheck worker"],
                           capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if f"{sys.executable} -m factcheck worker" in line]
