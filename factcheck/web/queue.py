"""The review queue: what is not published yet, filtered and sorted, one page at a time.

Quotes and claims live in two tables. Each is read in queue order along an index
(ix_quote_queue, ix_claim_queue; ix_quote_flagged for "most flagged first"), only as far
as the page asked for, and the two are merged here. Items are then loaded in a few
batched queries, not one per row; lists are counted only up to paging.COUNT_CAP.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, func, literal
from sqlmodel import Session, col, select

from ..store.models import Article, Claim, Outlet, Quote, User
from .paging import COUNT_CAP, Page

# The queue holds what is not published yet.
QUEUE_STATUSES = ("new", "in_review", "awaiting_second_review")
# A quote is flagged when no source confirms it as said, or its best source raises a flag;
# the same rule as services.articles counts as "flagged" on ingest.
FLAGGED_LABELS = ("altered", "none")
# Flags a match can raise (pipeline.matching).
FLAGS = ("misattributed", "earlier")
SORTS = {"newest": "Newest first", "flagged": "Most flagged first"}
# The labels the matcher gives: quotes (pipeline.matching.LABELS, or "none") and claims
# ("same"/"related": it repeats something checked before). A constant, because finding
# the labels in use would read every queued row on every page view.
LABELS = ("exact", "minor", "elided", "altered", "none", "same", "related")
MODELS = {"quote": Quote, "claim": Claim}


@dataclass
class QueueFilters:
    """What the queue shows; an empty value does not filter."""

    kind: str = ""  # quote | claim
    status: str = ""
    label: str = ""
    flag: str = ""  # one of FLAGS; only quotes carry flags
    outlet_id: int | None = None
    person_id: int | None = None  # the speaker; only quotes have one
    since: dt.date | None = None  # the article's publication date, inclusive
    until: dt.date | None = None
    holder_id: int | None = None  # who holds the item (assigned to me: my id)
    sort: str = "newest"


@dataclass
class QueueItem:
    kind: str  # quote | claim
    target: Quote | Claim
    article: Article
    outlet: Outlet | None
    holder: str | None  # the username of whoever holds it


def flag_count(model):
    """How many flags an item raises ("misattributed", "earlier"); claims raise none.
    For quotes this is the expression of the index ix_quote_flagged."""
    return func.json_array_length(Quote.flags) if model is Quote else literal(0)


def _part(kind: str, f: QueueFilters):
    """One table's share of the queue, in queue order, or None when the filters rule that table out."""
    model = MODELS[kind]
    if (f.kind and f.kind != kind) or (kind == "claim" and (f.flag or f.person_id)):
        return None
    weight = flag_count(model)
    stmt = select(literal(kind).label("kind"), col(model.id).label("id"), col(model.article_id).label("article_id"),
                  col(model.start).label("start"), weight.label("weight"))
    stmt = stmt.where(model.status == f.status) if f.status else stmt.where(col(model.status).in_(QUEUE_STATUSES))
    if f.label:
        stmt = stmt.where(model.label == f.label)
    if f.flag:
        # Flags are a JSON list of plain words: its text holds '"earlier"' exactly when it has the flag.
        stmt = stmt.where(cast(Quote.flags, String).like(f'%"{f.flag}"%'))
    if f.person_id:
        stmt = stmt.where(Quote.person_id == f.person_id)
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


def review_queue(session: Session, f: QueueFilters, number: int, size: int) -> Page:
    """A page of the queue. Newest: newest article first (ids grow with ingestion), each
    article in reading order, its quotes before its claims. Flagged: most flags first.

    Each table gives its first number × size + 1 rows in queue order (an index scan);
    merging those here is cheaper than asking the database to sort the union of both.
    """
    parts = [p for p in (_part("quote", f), _part("claim", f)) if p is not None]
    number, end = max(number, 1), max(number, 1) * size
    rows = [row for part in parts for row in session.exec(part.limit(end + 1)).all()]
    flagged = f.sort == "flagged"
    rows.sort(key=lambda r: (-r.weight if flagged else 0, -r.article_id, r.kind != "quote", r.start))
    counted = sum(session.exec(select(func.count()).select_from(p.order_by(None).limit(COUNT_CAP + 1).subquery())).one()
                  for p in parts)
    exact = counted <= COUNT_CAP
    items = load_items(session, [(r.kind, r.id) for r in rows[end - size:end]])
    return Page(items, number, size, counted if exact else COUNT_CAP, exact, None if exact else len(rows) > end)


def load_items(session: Session, rows) -> list[QueueItem]:
    """The (kind, id) rows as QueueItems, in their order, in one query per table."""
    found = {}
    for kind, model in MODELS.items():
        ids = [i for k, i in rows if k == kind]
        if ids:
            stmt = (select(model, Article, Outlet, User.username).join(Article, Article.id == model.article_id)
                    .outerjoin(Outlet, Outlet.id == Article.outlet_id)
                    .outerjoin(User, User.id == model.assigned_to_id).where(col(model.id).in_(ids)))
            for target, article, outlet, holder in session.exec(stmt):
                found[kind, target.id] = QueueItem(kind, target, article, outlet, holder)
    return [found[kind, i] for kind, i in rows]


def holders(session: Session) -> list[tuple[User, int]]:
    """Who holds what: each active account with how many unpublished items it holds."""
    held = {}
    for model in MODELS.values():
        stmt = (select(model.assigned_to_id, func.count()).where(col(model.assigned_to_id).is_not(None),
                                                                 col(model.status).in_(QUEUE_STATUSES))
                .group_by(model.assigned_to_id))
        for user_id, count in session.exec(stmt):
            held[user_id] = held.get(user_id, 0) + count
    users = session.exec(select(User).where(User.active == True).order_by(User.username)).all()  # noqa: E712
    return [(user, held.get(user.id, 0)) for user in users]


def outlet_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every outlet, for the queue's filter."""
    return list(session.exec(select(Outlet.id, Outlet.name).order_by(Outlet.name)).all())
