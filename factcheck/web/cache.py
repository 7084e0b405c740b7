"""A small in-process cache for rendered pieces of pages, invalidated by the database.

The database's *change marker* (services.changes: the largest ids of the five tables
every page-changing write adds to), read in one cheap query once per request, guards
it: an entry is used only while the marker it was made under is still the database's
marker, and every server process sees a change on its next request, however
many processes serve. A correction therefore shows at once, in every process.

Entries also expire after PAGE_CACHE_SECONDS (60; 0 turns the cache off), which bounds
how long anything written outside the services (a hand-edited row) could stay unseen.
Only what is the same for every reader is kept: the public verdict pages and index
(never an unpublished preview), the ids a text search found, and the review queue's
rows, counts, filter form and holders (a row's CSRF token is put in per request); each
page's header, flashes and forms are still rendered per request.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

from flask import current_app, g

from ..services import changes
from . import db

T = TypeVar("T")

MAX_ENTRIES = 5000


class PageCache:
    """Least-recently-used entries, each stored with the change marker it was made under."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, marker: tuple, now: float):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            entry_marker, expires, value = entry
            if entry_marker != marker or expires <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, marker: tuple, expires: float, value) -> None:
        with self._lock:
            self._entries[key] = (marker, expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def change_marker() -> tuple:
    """The database's change marker, read once per request, before what it guards."""
    if "page_cache_marker" not in g:
        g.page_cache_marker = changes.change_marker(db.session())
    return g.page_cache_marker


def cached(key: Hashable, compute: Callable[[], T], usable: Callable[[T], bool] | None = None) -> T:
    """`compute()`, or the value it gave under the current change marker (if `usable`
    says that value serves this request: else it is computed again and replaces it)."""
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 60)
    if not seconds:
        return compute()
    cache: PageCache = current_app.extensions["factcheck.page_cache"]
    marker, now = change_marker(), time.monotonic()
    value = cache.get(key, marker, now)
    if value is None or (usable is not None and not usable(value)):
        value = compute()
        cache.put(key, marker, now + seconds, value)
    return value


def init_app(app) -> None:
    app.config.setdefault("PAGE_CACHE_SECONDS", 60)
    app.extensions["factcheck.page_cache"] = PageCache()
