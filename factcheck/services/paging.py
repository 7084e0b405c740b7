"""Pagination of queries, shared by every list page and the API (templates use macros.pagination;
the request side, ?page=, is web.paging)."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Hashable, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select


T = TypeVar("T")

# A memo for what a query read: `cache(key, compute, usable)` gives compute()'s value, or one
# kept from before that `usable` accepts (the web layer keeps them until the database changes).
Cache = Callable[[Hashable, Callable[[], T], Callable[[T], bool] | None], T]


def uncached(key: Hashable, compute: Callable[[], T], usable: Callable[[T], bool] | None = None) -> T:
    """The Cache that keeps nothing."""
    return compute()


@dataclass
class Page:
    """One page of a longer list; `number` counts from 1.

    `exact` is False when the list was only counted up to a cap (see `paginate`): then
    `total` is a lower bound and `more` says whether a next page exists.
    """

    items: list
    number: int
    size: int
    total: int
    exact: bool = True
    more: bool | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.more if self.more is not None else self.number < self.pages

    def map(self, make) -> "Page":
        """This page with `make(rows)` as its items (one call, so lookups can be batched)."""
        return replace(self, items=make(self.items))


# Lists are counted up to this many rows: a full COUNT(*) over 100,000 queue items on
# every page view costs more than the page itself, and nobody pages that far anyway.
COUNT_CAP = 1000


def paginate(session: Session, stmt, number: int, size: int) -> Page:
    """Page `number` of `stmt` (its rows, not yet turned into items), counted up to COUNT_CAP."""
    number = max(number, 1)
    counted = stmt.order_by(None).limit(COUNT_CAP + 1).subquery()
    total = session.exec(select(func.count()).select_from(counted)).one()
    # One row more than the page shows: whether there is a next page, even past the cap.
    rows = list(session.exec(stmt.limit(size + 1).offset((number - 1) * size)).all())
    exact = total <= COUNT_CAP
    return Page(rows[:size], number, size, total if exact else COUNT_CAP, exact, None if exact else len(rows) > size)


# A text search reads ids this far ahead at least: page 1 costs a short scan, and the
# count then says "100+" until a deeper page has read further.
SCAN_AHEAD = 100


def paginate_scan(session: Session, stmt, number: int, size: int, key=None, cache: Cache = uncached) -> Page:
    """Like `paginate`, for a `stmt` of ids that the database can only find by reading row
    after row (a text search). One pass reads the ids as far as this page needs (twice
    its end, at least SCAN_AHEAD, at most COUNT_CAP), instead of one pass to count and
    another to reach the page; with a `key`, what was read is kept (by `cache`: in the
    web app until anything is written) and a deeper page reads further only when it must. Pages past
    the cap fall back to `paginate`."""
    number = max(number, 1)
    start = (number - 1) * size
    if start + size > COUNT_CAP:
        return paginate(session, stmt, number, size)
    limit = min(COUNT_CAP, max(SCAN_AHEAD, 2 * (start + size))) + 1

    def read() -> tuple[list, bool]:
        ids = list(session.connection().execute(stmt.limit(limit)).scalars())
        return ids, len(ids) < limit  # the ids, and whether that was all of them

    def enough(value: tuple[list, bool]) -> bool:
        ids, complete = value
        return complete or len(ids) >= limit

    ids, complete = read() if key is None else cache(("ids", key), read, enough)
    if complete:
        return Page(ids[start:start + size], number, size, len(ids), True)
    return Page(ids[start:start + size], number, size, len(ids) - 1, False, len(ids) > start + size)

