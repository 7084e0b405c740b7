"""The review queue: what is not published yet, filtered and sorted, one page at a time.

Quotes and claims live in two tables. Each is read in queue order along an index
(ix_quote_queue, ix_claim_queue; ix_quote_flagged for "most flagged first"), only as far
as the page asked for, and the two are merged here. Items are then loaded in a few
batched queries, not one per row; lists are counted only up to paging.COUNT_CAP.

Only check-worthy claims are in the queue (`store.models.checkworthy_claim`, the condition
of ix_claim_queue); the others stay in the desk's view of their article.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass, replace

from sqlalchemy import bindparam, func, literal
from sqlmodel import Session, col, select

from ..domain import QUEUE_STATUSES
from ..store.models import Article, Claim, Outlet, Quote, User, checkworthy_claim
from .flags import FLAG_COLUMNS, flag_count, flags_from, has_flag
from .paging import COUNT_CAP, Cache, Page, uncached

SORTS = {"newest": "Newest first", "flagged": "Most flagged first"}
MODELS = {"quote": Quote, "claim": Claim}


@dataclass
class QueueFilters:
    """What the queue shows; an empty value does not filter."""

    kind: str = ""  # quote | claim
    status: str = ""
    label: str = ""
    flag: str = ""  # a domain.Flag; only quotes carry flags
    outlet_id: int | None = None
    person_id: int | None = None  # the speaker: a quote's, or a claim's claimant
    since: dt.date | None = None  # the article's publication date, inclusive
    until: dt.date | None = None
    holder_id: int | None = None  # who holds the item (assigned to me: my id)
    sort: str = "newest"


@dataclass
class QueueItem:
    """One row of the queue: only the columns the page prints (never the article's text)."""

    kind: str  # quote | claim
    id: int
    text: str
    speaker_name: str | None  # a quote's speaker, a claim's claimant
    label: str
    flags: list  # quotes only
    status: str
    article_title: str | None
    outlet_name: str | None
    holder: str | None  # the username of whoever holds it


def _included(kind: str, f: QueueFilters) -> bool:
    """Whether the filters leave `kind` in the queue (claims have no flags)."""
    return not ((f.kind and f.kind != kind) or (kind == "claim" and f.flag))


def _part(kind: str, f: QueueFilters, scan_label: bool = False):
    """One table's share of the queue, in queue order, or None when the filters rule that table out.

    scan_label: test the label in a form no index serves, so that the database walks the
    queue index in order and stops at the page, rather than read every row with that
    label through the label index and sort them all (right for a rare label only)."""
    model = MODELS[kind]
    if not _included(kind, f):
        return None
    weight = flag_count(model)
    stmt = select(literal(kind).label("kind"), col(model.id).label("id"), col(model.article_id).label("article_id"),
                  col(model.start).label("start"), weight.label("weight"))
    stmt = stmt.where(model.status == f.status) if f.status else stmt.where(col(model.status).in_(QUEUE_STATUSES))
    if model is Claim:
        stmt = stmt.where(checkworthy_claim())
    if f.label:
        # label is NOT NULL: coalesce changes nothing but which index the planner may use.
        stmt = stmt.where((func.coalesce(model.label, "") if scan_label else model.label) == f.label)
    if f.flag:
        stmt = stmt.where(has_flag(f.flag))
    if f.person_id:
        stmt = stmt.where(model.person_id == f.person_id)
    if f.holder_id:
        stmt = stmt.where(model.assigned_to_id == f.holder_id)
    if f.outlet_id or f.since or f.until:
        stmt = stmt.join(Article, Article.id == model.article_id)
        if f.outlet_id:
            stmt = stmt.where(Article.outlet_id == f.outlet_id)
        if f.since:
            stmt = stmt.where(Article.published >= f.since)
        if f.until:
            stmt = stmt.where(Article.published <= f.until)
    # The same order as the table's queue index, so that the database reads rows in order and stops early.
    order = [col(model.article_id).desc(), col(model.start)]
    if f.sort == "flagged" and model is Quote:
        order.insert(0, weight.desc())
    return stmt.order_by(*order)


def review_queue(session: Session, f: QueueFilters, number: int, size: int, cache: Cache = uncached) -> Page:
    """A page of the queue. Newest: newest article first (ids grow with ingestion), each
    article in reading order, its quotes before its claims. Flagged: most flags first.

    Each table is read in queue order along an index. One table alone is paged by the
    database (OFFSET over one index scan); with both, each table's first number × size + 1
    rows are merged here.
    Lists are counted up to COUNT_CAP per table, and the count also picks the plan for a
    label filter (see _part); `cache` keeps the counts, the same for every page of these filters.
    """
    kinds = [kind for kind in MODELS if _included(kind, f)]
    number, end = max(number, 1), max(number, 1) * size
    # Plain Core rows through the session's connection: the ORM's result machinery costs
    # more than the query when a deep page merges a thousand key rows.
    conn = session.connection()
    # Each table's rows, counted up to the cap: the same for every page (and order) of these filters.
    counts = cache(("queue counts", astuple(replace(f, sort="newest"))), lambda: {
        kind: conn.execute(select(func.count()).select_from(
            _part(kind, f).order_by(None).limit(COUNT_CAP + 1).subquery())).scalar_one() for kind in kinds})
    # A label that many rows have is found soonest by walking the queue index (see _part).
    parts = [_part(kind, f, scan_label=counts[kind] > COUNT_CAP) for kind in kinds]
    if len(parts) == 1:  # one table (a kind, flag or speaker filter): the database pages it
        rows = conn.execute(parts[0].limit(size + 1).offset(end - size)).all()
        rows, more = rows[:size], len(rows) > size
    else:
        # Both tables: each one's first rows in its index order, merged here (a database
        # merge of the two would sort every row first on PostgreSQL, which cannot see that
        # a UNION ALL of two index scans is already in order). Newest: quotes come first
        # within an article. Most flagged: claims, with no flags, come after every flagged quote.
        rows = [row for part in parts for row in conn.execute(part.limit(end + 1)).all()]
        flagged = f.sort == "flagged"
        # (kind, id, article_id, start, weight)
        rows.sort(key=lambda r: (-r[4] if flagged else 0, -r[2], r[0] != "quote", r[3]))
        rows, more = rows[end - size:end], len(rows) > end
    counted = sum(counts.values())
    exact = counted <= COUNT_CAP
    items = load_items(session, [(r[0], r[1]) for r in rows])
    return Page(items, number, size, counted if exact else COUNT_CAP, exact, None if exact else more)


def _load(model):
    is_quote = model is Quote
    return (select(model.id, model.text, model.speaker_name, model.label, model.status,
                   Article.title, Outlet.name, User.username, *(FLAG_COLUMNS if is_quote else ()))
            .join(Article, Article.id == model.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id)
            .outerjoin(User, User.id == model.assigned_to_id)
            .where(col(model.id).in_(bindparam("ids", expanding=True))))


# Built once: building a statement costs more than running it.
_LOAD = {kind: _load(model) for kind, model in MODELS.items()}


def load_items(session: Session, rows) -> list[QueueItem]:
    """The (kind, id) rows as QueueItems, in their order, in one query per table."""
    found = {}
    conn = session.connection()
    for kind in MODELS:
        ids = [i for k, i in rows if k == kind]
        if ids:
            for item_id, text, speaker, label, status, title, outlet, holder, *flags in conn.execute(_LOAD[kind],
                                                                                                   {"ids": ids}):
                found[kind, item_id] = QueueItem(kind, item_id, text, speaker, label, flags_from(flags), status,
                                                 title, outlet, holder)
    return [found[kind, i] for kind, i in rows]


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str


def holders(session: Session) -> list[tuple[StaffMember, int]]:
    """Who holds what: each active account with how many unpublished items of the queue it holds."""
    held = {}
    for model in MODELS.values():
        stmt = (select(model.assigned_to_id, func.count()).where(col(model.assigned_to_id).is_not(None),
                                                                 col(model.status).in_(QUEUE_STATUSES))
                .group_by(model.assigned_to_id))
        if model is Claim:
            stmt = stmt.where(checkworthy_claim())
        for user_id, count in session.connection().execute(stmt):
            held[user_id] = held.get(user_id, 0) + count
    # (id, username) rows, not whole accounts: the pages need no more.
    users = session.connection().execute(select(User.id, User.username).where(User.active == True)  # noqa: E712
                                          .order_by(User.username)).all()
    return [(StaffMember(user_id, username), held.get(user_id, 0)) for user_id, username in users]


def outlet_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every outlet, for the queue's filter."""
    return [tuple(row) for row in session.connection().execute(select(Outlet.id, Outlet.name).order_by(Outlet.name))]
