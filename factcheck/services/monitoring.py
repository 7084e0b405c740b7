"""Live monitoring: the feeds a newsroom watches, and the articles on their way in from them.

A *source* is a feed polled every so many minutes. Polling it queues one *incoming item*
per entry not seen before; processing an item fetches the entry, extracts, matches and
stores it (`articles.ingest_article`) and links the stored article, so that articles are
counted per source. A URL or text added by hand is an item without a source. Workers run
these steps as jobs (factcheck/jobs.py).

The database rows are the truth about the work, not the job queue: a worker takes a
source or an item with a lease (`claim_source`, `claim_item`), and a worker killed mid-job
leaves the lease to expire, after which the row is due again (`due_source_ids`,
`due_item_ids`). Storing is idempotent (an article's content hash is unique, an entry is
queued once per source), so a job run twice, or by two workers at once, stores one article.

Politeness: feeds are fetched with a conditional GET; a failing feed waits `every` × 2^failures
minutes (at most a day) before its next poll; requests to one host go at most
`HOST_REQUESTS` at a time, their starts `HOST_PAUSE` seconds apart, counted over every
worker process on every machine sharing the database (`_polite`, kept in the host_slot
table by `host_slots`). A worker that gets no slot for a host within `HOST_WAIT` seconds
leaves the work for later: the source or the item is due again after `HOST_BUSY_RETRY`
seconds; neither counts as a failure.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..domain import WORKABLE_STATES, IncomingState
from ..errors import InputError
from ..pipeline import records
from ..pipeline.feeds import feed_entry_urls
from ..pipeline.fetching import FetchedPage, fetch_url
from ..pipeline.reading import read_source
from ..store.db import reading, session_scope
from ..store.models import FeedSource, IncomingItem, utcnow
from .articles import IngestResult, ingest_article
from .host_slots import HostBusy, host_slot
from .paging import Page, paginate

DEFAULT_EVERY = 15  # minutes
FEED_MAX_BYTES = 2_000_000
ENTRIES_PER_POLL = 200  # a feed's first entries (newest, by convention) are queued; the rest wait
MAX_BACKOFF = dt.timedelta(days=1)
LEASE_SECONDS = 300  # longer than any one item's fetch (10 s), extraction and matching
HOST_REQUESTS = 2
HOST_PAUSE = 0.25  # seconds between the starts of two requests to one host
HOST_SLOT_SECONDS = 30  # a dead worker's request slot frees itself after this: past a fetch (10 s) and its extraction
HOST_WAIT = 30.0  # seconds a worker waits for a slot before leaving the work for later
HOST_BUSY_RETRY = 60  # seconds before an item whose host was busy is due again


def canonical_url(url: str) -> str:
    """`url` as stored: scheme and host in lower case, without its fragment; an InputError
    naming it unless it is an http(s) URL with a host."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r}: not an http(s) URL")
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives stored times back without their zone; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


# -- Sources ---------------------------------------------------------------------------------


@dataclass
class SourceRow:
    """A source as `sources list` and the Sources page show it."""

    id: int
    url: str
    every: int
    paused: bool
    last_polled: dt.datetime | None
    last_status: str | None  # None: not polled yet
    articles: int

    def to_json(self) -> dict:
        """CONTRACT.md's object; a source not polled yet has no error, so its status is "ok"."""
        return {"url": self.url, "every": self.every,
                "last_polled": self.last_polled.isoformat(timespec="seconds") if self.last_polled else None,
                "last_status": self.last_status or "ok", "articles": self.articles}


def add_source(session: Session, url: str, every: int = DEFAULT_EVERY, allow_private: bool = False) -> FeedSource:
    """Register the feed at `url`, due at once; a URL registered already is left as it is."""
    if every < 0:
        raise InputError(f"--every {every}: the interval is a number of minutes, 0 or more")
    canonical = canonical_url(url)
    existing = session.exec(select(FeedSource).where(FeedSource.url == canonical)).first()
    if existing:
        return existing
    source = FeedSource(url=canonical, every=every, allow_private=allow_private)
    session.add(source)
    session.flush()
    return source


def source_rows(session: Session) -> list[SourceRow]:
    """Every source, oldest first, with the number of stored articles that came from it."""
    articles = func.count(func.distinct(IncomingItem.article_id))
    query = (select(FeedSource, articles).outerjoin(IncomingItem, IncomingItem.source_id == FeedSource.id)
             .group_by(FeedSource.id).order_by(FeedSource.id))
    return [SourceRow(s.id, s.url, s.every, s.paused, _aware(s.last_polled), s.last_status, count)
            for s, count in session.exec(query)]


def set_source_paused(session: Session, source_id: int, paused: bool) -> None:
    """Pause a source (no polls; its queued items still go through) or resume it."""
    _source(session, source_id).paused = paused


def remove_source(session: Session, source_id: int) -> None:
    """Forget a source and its incoming items; the articles stored from it stay."""
    session.delete(_source(session, source_id))


def _source(session: Session, source_id: int) -> FeedSource:
    source = session.get(FeedSource, source_id)
    if source is None:
        raise InputError(f"source {source_id}: no such source")
    return source


def due_source_ids(session: Session, now: dt.datetime | None = None) -> list[int]:
    """The active sources whose next poll time has come, longest waiting first."""
    active = FeedSource.paused == False  # noqa: E712  (SQL, not Python)
    query = select(FeedSource.id).where(active, FeedSource.next_poll_at <= (now or utcnow())).order_by(FeedSource.next_poll_at)
    return list(session.exec(query))


def claim_source(engine: Engine, source_id: int, now: dt.datetime | None = None) -> bool:
    """Take a due source for one poll: its next poll is put off by a lease, so that a second
    message to poll it finds it not due; False if it is not due (or paused, or gone). A
    worker killed while polling leaves the source due again when the lease expires."""
    now = now or utcnow()
    with session_scope(engine) as session:
        taken = session.execute(
            update(FeedSource).where(FeedSource.id == source_id, FeedSource.paused == False,  # noqa: E712
                                     FeedSource.next_poll_at <= now)
            .values(next_poll_at=now + dt.timedelta(seconds=LEASE_SECONDS))
        )
        return taken.rowcount == 1


@dataclass
class PollResult:
    item_ids: list[int]  # the items queued, one per new entry
    error: str | None = None  # why the poll failed


def poll_source(engine: Engine, source_id: int, now: dt.datetime | None = None) -> PollResult:
    """Fetch a source's feed and queue its new entries.

    The fetch is a conditional GET (a 304 queues nothing) within FEED_MAX_BYTES, and only
    the first ENTRIES_PER_POLL entries count. A failure is recorded as the source's status
    and puts its next poll off (`_backoff`); a host too busy to take the request leaves the
    source as it was, still due. It raises nothing.
    """
    now = now or utcnow()
    with reading(engine) as session:
        source = _source(session, source_id)
    try:
        with _polite(engine, source.url):
            page = fetch_url(source.url, allow_private=source.allow_private, max_bytes=FEED_MAX_BYTES,
                             etag=source.etag, last_modified=source.last_modified)
        entries = [] if page.not_modified else feed_entry_urls(page.body, name=source.url, base_url=page.url)
        urls = list(dict.fromkeys(canonical_url(url) for url in entries[:ENTRIES_PER_POLL]))
    except HostBusy:  # not the feed's fault: no failure, and due again soon
        with session_scope(engine) as session:
            session.execute(update(FeedSource).where(FeedSource.id == source_id)
                            .values(next_poll_at=now + dt.timedelta(seconds=HOST_BUSY_RETRY)))
        return PollResult([])
    except InputError as exc:
        with session_scope(engine) as session:
            source = session.get(FeedSource, source_id)
            if source is not None:  # (unless it was removed meanwhile)
                source.last_status, source.last_polled = f"error: {exc}", now
                source.failures += 1
                source.next_poll_at = now + _backoff(source.every, source.failures)
        return PollResult([], str(exc))
    try:
        return PollResult(_store_poll(engine, source_id, now, urls, page))
    except IntegrityError:  # another worker polled it at the same moment and queued some first
        return PollResult(_store_poll(engine, source_id, now, urls, page))


def _store_poll(engine: Engine, source_id: int, now: dt.datetime, urls: list[str],
                page: FetchedPage) -> list[int]:
    """Queue the entries among `urls` that the source has not queued before, and record the poll."""
    with session_scope(engine) as session:
        source = session.get(FeedSource, source_id)
        if source is None:  # removed meanwhile
            return []
        known = set(session.exec(select(IncomingItem.url).where(IncomingItem.source_id == source_id,
                                                                IncomingItem.url.in_(urls))))
        items = [IncomingItem(source_id=source_id, url=url) for url in urls if url not in known]
        session.add_all(items)
        source.last_status, source.last_polled, source.failures = "ok", now, 0
        source.next_poll_at = now + dt.timedelta(minutes=source.every)
        if not page.not_modified:
            source.etag, source.last_modified = page.etag, page.last_modified
        session.flush()
        return [item.id for item in items]


def _backoff(every: int, failures: int) -> dt.timedelta:
    """How long a source that failed `failures` times in a row waits: its interval (a minute
    at least) doubled for each failure, at most MAX_BACKOFF."""
    minutes = max(every, 1) * 2 ** min(failures, 20)
    return min(dt.timedelta(minutes=minutes), MAX_BACKOFF)


# -- Incoming items --------------------------------------------------------------------------


def queue_article(session: Session, url: str | None = None, text: str | None = None, title: str | None = None,
                  user_id: int | None = None) -> int:
    """Queue an article added by hand, by its URL or its pasted text; the item's id."""
    if (url is None) == (text is None):
        raise InputError("give an article's URL or its text, not both")
    if text is not None and not text.strip():
        raise InputError("the pasted article text is empty")
    item = IncomingItem(url=canonical_url(url) if url is not None else None, text=text,
                        title=(title or "").strip() or None, user_id=user_id)
    session.add(item)
    session.flush()
    return item.id


@dataclass
class IncomingRow:
    """An incoming item as the desk's incoming list shows it."""

    id: int
    url: str | None
    title: str | None  # given with pasted text
    source_url: str | None  # the feed it came from; None: added by hand
    state: str  # an IncomingState
    reason: str | None
    article_id: int | None
    updated_at: dt.datetime


def incoming_items(session: Session, number: int, size: int) -> Page:
    """Page `number` of the incoming items, newest first, with each one's state and reason."""
    query = (select(IncomingItem, FeedSource.url).outerjoin(FeedSource, IncomingItem.source_id == FeedSource.id)
             .order_by(IncomingItem.id.desc()))
    return paginate(session, query, number, size).map(lambda rows: [
        IncomingRow(item.id, item.url, item.title, source_url, item.state, item.reason, item.article_id,
                    _aware(item.updated_at))
        for item, source_url in rows])


def _workable(now: dt.datetime):
    """SQL: the item waits for a worker (queued, or fetched by one that died), unleased or
    its lease expired."""
    return IncomingItem.state.in_(WORKABLE_STATES) & or_(IncomingItem.lease_expires.is_(None),
                                                         IncomingItem.lease_expires < now)


def due_item_ids(session: Session, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    """Up to `limit` items a worker may take now, oldest first."""
    query = select(IncomingItem.id).where(_workable(now or utcnow())).order_by(IncomingItem.id).limit(limit)
    return list(session.exec(query))


def claim_item(engine: Engine, item_id: int, worker: str, lease_seconds: int = LEASE_SECONDS,
               now: dt.datetime | None = None) -> bool:
    """Take the item for `worker` (the job taking it) until its lease expires; False if it
    is not to be taken (done, or held by another's live lease). One UPDATE, so two workers
    never both take it. A job takes again an item it holds: it failed (the database went
    away mid-job) and is being retried, so the lease is not to be waited out."""
    now = now or utcnow()
    own = IncomingItem.state.in_(WORKABLE_STATES) & (IncomingItem.lease_owner == worker)
    with session_scope(engine) as session:
        taken = session.execute(
            update(IncomingItem).where(IncomingItem.id == item_id, _workable(now) | own)
            .values(lease_owner=worker, lease_expires=now + dt.timedelta(seconds=lease_seconds),
                    attempts=IncomingItem.attempts + 1, updated_at=now)
        )
        return taken.rowcount == 1


def process_item(engine: Engine, item_id: int) -> str | None:
    """Fetch (for a URL), extract, match and store a taken item, recording its state; the
    state it ends in (None: the item is gone).

    A page that cannot be read or stored fails the item with its reason; a host too busy
    to take the request leaves it in its state, due again after HOST_BUSY_RETRY seconds. Anything else
    (the database gone, a bug) leaves the item leased: it is taken again when the lease expires.
    """
    with reading(engine) as session:
        item = session.get(IncomingItem, item_id)
        if item is None:  # its source was removed meanwhile
            return None
        source = session.get(FeedSource, item.source_id) if item.source_id else None
    try:
        if item.url:
            with _polite(engine, item.url):
                article = read_source(item.url, allow_private=bool(source and source.allow_private))
            _record(engine, item_id, state=IncomingState.FETCHED)
        else:
            article = records.Article(text=item.text, title=item.title)
        result = _ingest_once(engine, article, item.url)
    except HostBusy:  # not the item's fault: its lease is shortened, so it is due again soon
        _record(engine, item_id, lease_expires=utcnow() + dt.timedelta(seconds=HOST_BUSY_RETRY))
        return item.state
    except InputError as exc:
        _record(engine, item_id, state=IncomingState.FAILED, reason=str(exc), lease_owner=None, lease_expires=None)
        return IncomingState.FAILED
    _record(engine, item_id, state=IncomingState.EXTRACTED, article_id=result.article_id, reason=None,
            lease_owner=None, lease_expires=None)
    return IncomingState.EXTRACTED


def _ingest_once(engine: Engine, article: records.Article, source: str | None) -> IngestResult:
    """ingest_article, when another worker may be storing the same article at this moment:
    the loser of the race over the unique content hash finds the winner's article."""
    try:
        return ingest_article(engine, article, source)
    except IntegrityError:
        return ingest_article(engine, article, source)


def _record(engine: Engine, item_id: int, **values) -> None:
    with session_scope(engine) as session:
        session.execute(update(IncomingItem).where(IncomingItem.id == item_id).values(updated_at=utcnow(), **values))


# -- Politeness ------------------------------------------------------------------------------


@contextmanager
def _polite(engine: Engine, url: str) -> Iterator[None]:
    """Hold one of the host's HOST_REQUESTS slots, shared by all workers, starting HOST_PAUSE
    after its last request; HostBusy if none comes free within HOST_WAIT seconds."""
    host = (urlsplit(url).hostname or "").lower()
    with host_slot(engine, host, slots=HOST_REQUESTS, pause=HOST_PAUSE, hold_seconds=HOST_SLOT_SECONDS,
                   wait_seconds=HOST_WAIT):
        yield
