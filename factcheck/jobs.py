"""The job queue: live monitoring's work, and what statement imports leave, done by
workers through huey.

By default the queue is a file beside the database (`instance/jobs.db`, huey's SQLite
storage), which needs no server: `factcheck serve` and `demo` run one worker process
beside the web app on it. With `FACTCHECK_REDIS_URL` set, the jobs go through Redis, and
any number of `factcheck worker` processes on any number of machines share them.
docs/job-queue.md says why huey, and what was measured.

The jobs: `poll` a due source (queuing a `process` job for each new entry), `process` an
incoming item (fetch, extract, match, store), and `follow_up` imported statements (embed
them, then match again the quotes they could affect).

A job's message only says "look at row N now": the database holds the truth about the
work (services/monitoring.py, services/statements.py). huey pops a message before
running it, so a worker killed mid-job loses its message; the row stays due (a source's
next poll time, an item's expired lease, a statement's follow-up row) and the *sweep*
queues it again. The sweep runs once a minute in every worker (a huey periodic task), at
the start of every worker and when Redis is back after an outage. Each job takes its row first (`claim_source`,
`claim_item`: one UPDATE), so a message queued twice does the work once, and storing is
idempotent, so even work done twice stores one article. docs/job-queue.md says what a
worker does when Redis or the database goes away.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey, Task
from huey.exceptions import RetryTask
from huey.storage import PriorityRedisStorage
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .config import instance_path
from .domain import IncomingState
from .services.leases import worker_name
from .services.monitoring import (claim_item, claim_source, due_item_ids, due_source_ids, poll_source,
                                  process_item)
from .services.statements import follow_up_imports, follow_ups_due
from .store.db import reading

log = logging.getLogger("factcheck.jobs")

RETRY_DELAY = 10  # seconds before a job that found the database unreachable runs again
SWEEP_ITEMS = 1_000  # items queued again by one sweep; the next sweep finds the rest
BURST_LIMIT = 100_000  # jobs one `worker --burst` runs at most, so that it always ends
IDLE_DELAY = 1.0  # at most this many seconds between two looks at an idle SQLite queue
STOP_TIMEOUT = 60  # seconds a graceful stop waits for the job in hand (a fetch takes 10 at most)
POLL_PRIORITY = 1  # polls and sweeps go ahead of the items queued (higher first: items are 0 and below)


def redis_url() -> str | None:
    return os.environ.get("FACTCHECK_REDIS_URL") or None


def make_huey(blocking: bool = True) -> Huey:
    """The queue's storage: Redis at FACTCHECK_REDIS_URL, else a file in the instance folder.

    `blocking=False` makes an empty Redis queue answer at once (for `--burst`) instead of
    waiting a second for a message."""
    url = redis_url()
    if url:
        return RedisHuey("factcheck", url=url, blocking=blocking, results=False, storage_class=OutageAwareRedisStorage)
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("factcheck", filename=str(folder / "jobs.db"), results=False)


class OutageAwareRedisStorage(PriorityRedisStorage):
    """huey's Redis storage with priorities (a sorted set), riding out Redis going away with
    a line in the log when it goes and one when it is back, rather than huey's traceback
    every second.

    While Redis is unreachable, a worker's blocking pop waits `read_timeout` and finds
    nothing, as it would on an empty queue, and the scheduler finds no task due. When Redis
    answers again, `on_return` is called: a worker queues a sweep then, since the messages
    queued meanwhile were lost (`Jobs.queue_item`), as is a whole queue that Redis lost."""

    on_return: Callable[[], object] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unreachable = False
        self._outage = threading.Lock()  # the worker and the scheduler both see an outage

    def dequeue(self):
        if not self.blocking:  # `worker --burst`: the failure is its answer
            return super().dequeue()
        try:
            data = super().dequeue()
        except RedisConnectionError as exc:
            self._went_away(exc)
            time.sleep(self.read_timeout)
            return None
        self._came_back()
        return data

    def read_schedule(self, ts):
        try:
            tasks = super().read_schedule(ts)
        except RedisConnectionError as exc:
            self._went_away(exc)
            return []
        self._came_back()
        return tasks

    def _went_away(self, exc: Exception) -> None:
        with self._outage:
            news, self.unreachable = not self.unreachable, True
        if news:
            log.warning("job queue unreachable (%s); retrying every %s s", exc, self.read_timeout)

    def _came_back(self) -> None:
        with self._outage:
            news, self.unreachable = self.unreachable, False
        if news:
            log.warning("job queue reachable again")
            if self.on_return:
                self.on_return()


@dataclass
class BurstSummary:
    """What one `worker --burst` did."""

    polled: int = 0
    failing: int = 0  # of the sources polled, those whose poll failed
    queued: int = 0
    extracted: int = 0
    failed: int = 0
    embedded: int = 0  # imported statements
    rematched: int = 0  # quotes matched again after an import

    def line(self) -> str:
        imports = (f"; statements embedded {self.embedded}, quotes re-matched {self.rematched}"
                   if self.embedded or self.rematched else "")
        return (f"{self.polled} sources polled ({self.failing} failing), {self.queued} entries queued, "
                f"{self.extracted} articles extracted, {self.failed} failed" + imports)


class Jobs:
    """The project's jobs on one huey queue, working on one database.

    The web app makes one to queue an article added by hand; a worker makes one and runs
    what is queued (`consumer`, `run_burst`).
    """

    def __init__(self, huey: Huey, engine: Engine):
        self.huey, self.engine = huey, engine
        self.poll = huey.task(name="poll", priority=POLL_PRIORITY)(self._poll)
        self.process = huey.task(name="process", context=True)(self._process)
        self.follow_up = huey.task(name="follow_up")(self._follow_up)
        self.sweep_job = huey.periodic_task(crontab(), name="sweep", priority=POLL_PRIORITY)(self.sweep)

    def _poll(self, source_id: int):
        """Poll a due source and queue a job for each new entry; the poll's result, or None
        when the source was not due (polled already, paused or removed)."""
        with _retried_while_unreachable(f"poll of source {source_id}"):
            if not claim_source(self.engine, source_id):
                return None
            result = poll_source(self.engine, source_id)
        for position, item_id in enumerate(result.item_ids):
            self.queue_item(item_id, priority=-1 - position)
        return result

    def _process(self, item_id: int, task: Task) -> str | None:
        """Fetch, extract, match and store an item; the state it ends in, or None when it
        was not to be taken (done already, or held by another job).

        The item's lease is held by the job (huey's task id, which the worker's log names),
        not by the thread or the process running it: a job retried after the database went
        away takes its item again in whichever thread or worker runs the retry."""
        with _retried_while_unreachable(f"item {item_id}"):
            if not claim_item(self.engine, item_id, f"job {task.id}"):
                return None
            return process_item(self.engine, item_id)

    def _follow_up(self) -> tuple[int, int]:
        """Embed the statements imports left to the workers, then match again the quotes
        they could affect; (statements embedded, quotes re-matched)."""
        with _retried_while_unreachable("the follow-up of imported statements"):
            return follow_up_imports(self.engine, worker_name())

    def sweep(self, everything: bool = False) -> None:
        """Queue a poll of each due source, and the items and statement follow-ups whose
        message was lost.

        An item waiting in the queue is due in the database too; queuing it again would
        only be skipped by `claim_item`, so items are swept when the queue has drained
        (or `everything`, at a worker's start), which finds the lost ones and little else.
        With the database or Redis unreachable it logs so and stops: the next sweep, a
        minute later, is its retry (retried sweeps would pile up, one more each minute)."""
        try:
            sweep_items = everything or len(self.huey) == 0
            with reading(self.engine) as session:
                source_ids = due_source_ids(session)
                item_ids = due_item_ids(session, limit=SWEEP_ITEMS) if sweep_items else []
                follow_up = sweep_items and follow_ups_due(session)
            for source_id in source_ids:
                self.poll(source_id)
            for item_id in item_ids:
                self.process(item_id)
            if follow_up:
                self.follow_up()
        except OperationalError as exc:
            log.warning("database unreachable (%s): the sweep runs again in a minute", _reason(exc))
        except RedisConnectionError as exc:
            log.warning("job queue unreachable (%s): the sweep runs again in a minute", exc)

    def queue_item(self, item_id: int, priority: int = 0) -> None:
        """Queue the processing of a stored item. Should the queue be unreachable, the item
        waits in the database for a sweep: a warning, not an error for whoever stored it.

        A poll queues its n-th entry (from 1) with priority -n, so that the queue deals
        items out round the sources, and so round their hosts: workers meet one host's
        politeness pause only when every other host's turn is taken. An article added by
        hand has priority 0: it goes ahead of the feeds' backlog."""
        try:
            self.process(item_id, priority=priority)
        except Exception as exc:  # noqa: BLE001  (Redis down, the queue file locked: the row keeps the job)
            log.warning("job queue unreachable (%s): item %s waits for the next sweep", exc, item_id)

    def run_burst(self, limit: int = BURST_LIMIT) -> BurstSummary:
        """Sweep, then run every job that is due until none is left (at most `limit`)."""
        summary = BurstSummary()
        self.sweep(everything=True)
        for _ in range(limit):
            for task in self.huey.read_schedule():  # retries whose delay has passed
                self.huey.enqueue(task)
            task = self.huey.dequeue()
            if task is None:
                break
            outcome = self.huey.execute(task)
            if task.name == "poll" and outcome is not None:
                summary.polled += 1
                summary.failing += outcome.error is not None
                summary.queued += len(outcome.item_ids)
            elif task.name == "process":
                summary.extracted += outcome == IncomingState.EXTRACTED
                summary.failed += outcome == IncomingState.FAILED
            elif task.name == "follow_up" and outcome is not None:
                summary.embedded += outcome[0]
                summary.rematched += outcome[1]
        return summary

    def consumer(self, threads: int = 1):
        """A huey consumer running this queue's jobs in `threads` threads, and the sweep
        once a minute; `run()` it.

        SIGTERM (what service managers, and `serve` for its worker, send) stops it
        gracefully: the job in hand is finished first. SIGINT (Ctrl-C) stops it at once,
        and the job's row waits out its lease before another worker takes it."""
        self.sweep(everything=True)
        if isinstance(self.huey.storage, OutageAwareRedisStorage):
            self.huey.storage.on_return = self.sweep_job
            logging.getLogger("huey.consumer.Scheduler").addFilter(_not_a_redis_outage)
        return self.huey.create_consumer(workers=threads, worker_type="thread", max_delay=IDLE_DELAY,
                                         graceful_signal="TERM", shutdown_timeout=STOP_TIMEOUT)


def _not_a_redis_outage(record: logging.LogRecord) -> bool:
    """Drops huey's traceback for a periodic task it could not queue with Redis away: its
    scheduler reads the schedule first, so the outage is in the log already (and the sweep
    is queued when Redis is back)."""
    return not (record.exc_info and isinstance(record.exc_info[1], RedisConnectionError))


def engine_when_reachable(open_engine: Callable[[], Engine]) -> Engine:
    """`open_engine()`, waiting while the database is unreachable, a line in the log every
    RETRY_DELAY seconds: a worker started before its database (or beside a web app whose
    database is restarting) waits for it rather than exiting, since nothing restarts it."""
    while True:
        try:
            return open_engine()
        except OperationalError as exc:
            log.warning("database unreachable (%s): the worker tries again in %s s", _reason(exc), RETRY_DELAY)
            time.sleep(RETRY_DELAY)


@contextmanager
def _retried_while_unreachable(what: str) -> Iterator[None]:
    """Turns the database being unreachable into one log line and a later retry of the job
    (not a traceback and a lost message): the job's row is untouched, so nothing is done
    twice when it runs again."""
    try:
        yield
    except OperationalError as exc:
        log.warning("database unreachable (%s): %s runs again in %s s", _reason(exc), what, RETRY_DELAY)
        raise RetryTask(delay=RETRY_DELAY) from None


def _reason(exc: OperationalError) -> str:
    """The first line of the driver's message (the rest is SQLAlchemy's SQL and a link)."""
    return str(exc.orig or exc).strip().splitlines()[0]
