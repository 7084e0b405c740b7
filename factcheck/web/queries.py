"""Read-only queries that the pages need and the services do not offer.

Everything here only reads; writing goes through factcheck.services.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, or_, union_all
from sqlmodel import Session, col, select

from ..services.ratings import Rating, scale_for
from ..store.models import (Article, AuditEntry, Claim, Match, Outlet, Quote, Statement, User, Verdict,
                            VerdictVersion)
from .paging import Page, paginate

# A quote is flagged for the desk when no source confirms it as said, or its best source
# raises a flag; the same rule as services.articles counts as "flagged" on ingest.
FLAGGED_LABELS = ("altered", "none")
# The queue holds what is not published yet.
QUEUE_STATUSES = ("new", "in_review")


def like_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, with LIKE's wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Verdicts, as the public pages and the API show them.

@dataclass
class VerdictView:
    """A verdict with its current version, what it is about, and where that appeared."""

    verdict: Verdict
    version: VerdictVersion
    target: Quote | Claim
    article: Article | None
    outlet: Outlet | None

    @property
    def kind(self) -> str:
        return "quote" if isinstance(self.target, Quote) else "claim"

    @property
    def speaker(self) -> str | None:
        return self.target.speaker_name if isinstance(self.target, Quote) else None

    @property
    def speaker_kind(self) -> str:
        return self.target.speaker_kind if isinstance(self.target, Quote) else "unknown"

    @property
    def rating(self) -> Rating | None:
        """The rating on its scale (None if the instance's scale no longer has it)."""
        return scale_for(self.kind).get(self.version.rating)


def _verdict_select():
    return (
        select(Verdict, VerdictVersion, Quote, Claim, Article, Outlet)
        .join(VerdictVersion, and_(VerdictVersion.verdict_id == Verdict.id,
                                   VerdictVersion.version == Verdict.current_version))
        .outerjoin(Quote, Quote.id == Verdict.quote_id)
        .outerjoin(Claim, Claim.id == Verdict.claim_id)
        .outerjoin(Article, Article.id == func.coalesce(Quote.article_id, Claim.article_id))
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
    )


def _verdict_view(row) -> VerdictView:
    verdict, version, quote, claim, article, outlet = row
    return VerdictView(verdict, version, quote or claim, article, outlet)


def published_verdicts(session: Session, search: str, number: int, size: int) -> Page:
    """Published verdicts, newest first; `search` finds words in the text or the speaker's name."""
    stmt = _verdict_select().where(Verdict.status == "published")
    if search:
        pattern = like_pattern(search)
        stmt = stmt.where(or_(col(Quote.text).ilike(pattern, escape="\\"), col(Claim.text).ilike(pattern, escape="\\"),
                              col(Quote.speaker_name).ilike(pattern, escape="\\")))
    stmt = stmt.order_by(col(Verdict.first_published_at).desc(), col(Verdict.id).desc())
    rows, total = paginate(session, stmt, number, size)
    return Page([_verdict_view(r) for r in rows], number, size, total)


def verdict_view(session: Session, verdict_id: int) -> VerdictView | None:
    """Any verdict, published or not: the caller decides who may see it."""
    row = session.exec(_verdict_select().where(Verdict.id == verdict_id)).first()
    return _verdict_view(row) if row else None


def verdict_history(session: Session, verdict: Verdict) -> list[tuple[VerdictVersion, str | None]]:
    """Every version of a verdict, oldest first, with its reviewer's username."""
    return list(session.exec(
        select(VerdictVersion, User.username)
        .outerjoin(User, User.id == VerdictVersion.reviewer_id)
        .where(VerdictVersion.verdict_id == verdict.id)
        .order_by(VerdictVersion.version)
    ).all())


# The review queue and the review page.

@dataclass
class QueueItem:
    kind: str  # quote | claim
    target: Quote | Claim
    article: Article


def review_queue(session: Session, *, kind: str, status: str, label: str, number: int, size: int) -> Page:
    """Unpublished quotes and claims, newest articles first, each article in reading order.

    Empty filters match everything; `kind` is "quote", "claim" or "".
    """
    parts = []
    for name, model in (("quote", Quote), ("claim", Claim)):
        if kind and kind != name:
            continue
        part = (
            select(literal(name).label("kind"), col(model.id).label("id"), col(Article.created_at).label("article_created"),
                   col(Article.id).label("article_id"), col(model.start).label("start"))
            .join(Article, Article.id == model.article_id)
            .where(col(model.status).in_(QUEUE_STATUSES))
        )
        if status:
            part = part.where(model.status == status)
        if label:
            part = part.where(model.label == label)
        parts.append(part)
    if not parts:
        return Page([], number, size, 0)
    queue = union_all(*parts).subquery()
    # "quote" sorts after "claim": descending puts an article's quotes before its claims.
    stmt = select(queue.c.kind, queue.c.id).order_by(
        queue.c.article_created.desc(), queue.c.article_id.desc(), queue.c.kind.desc(), queue.c.start)
    rows, total = paginate(session, stmt, number, size)
    return Page([_queue_item(session, kind_, id_) for kind_, id_ in rows], number, size, total)


def _queue_item(session: Session, kind: str, item_id: int) -> QueueItem:
    target = session.get(Quote if kind == "quote" else Claim, item_id)
    return QueueItem(kind, target, session.get(Article, target.article_id))


def queue_labels(session: Session) -> list[str]:
    """The match labels that occur in the queue, for its filter."""
    labels = set()
    for model in (Quote, Claim):
        labels.update(session.exec(select(model.label).where(col(model.status).in_(QUEUE_STATUSES)).distinct()).all())
    return sorted(labels)


def candidate_sources(session: Session, target: Quote | Claim) -> list[tuple[Match, Statement]]:
    """The stored matches of a quote or claim with their statements, best first."""
    column = Match.quote_id if isinstance(target, Quote) else Match.claim_id
    return list(session.exec(
        select(Match, Statement).join(Statement, Statement.id == Match.statement_id)
        .where(column == target.id).order_by(Match.rank)
    ).all())


# The desk.

def is_flagged(quote: Quote) -> bool:
    return quote.label in FLAGGED_LABELS or bool(quote.flags)


def _flagged_sql():
    """is_flagged as SQL (json_array_length exists in SQLite and PostgreSQL alike)."""
    return or_(col(Quote.label).in_(FLAGGED_LABELS), func.json_array_length(Quote.flags) > 0)


@dataclass
class ArticleRow:
    article: Article
    outlet: Outlet | None
    quotes: int
    flagged: int
    claims: int


def desk_articles(session: Session, number: int, size: int) -> Page:
    """Articles, newest first, with how many quotes (flagged ones too) and claims each has."""

    def count(model, *conditions):
        return (select(func.count(model.id)).where(model.article_id == Article.id, *conditions)
                .correlate(Article).scalar_subquery())

    stmt = (
        select(Article, Outlet, count(Quote), count(Quote, _flagged_sql()), count(Claim))
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
        .order_by(col(Article.created_at).desc(), col(Article.id).desc())
    )
    rows, total = paginate(session, stmt, number, size)
    return Page([ArticleRow(*row) for row in rows], number, size, total)


def article_quotes(session: Session, article: Article) -> list[Quote]:
    return list(session.exec(select(Quote).where(Quote.article_id == article.id).order_by(Quote.start)).all())


def article_claims(session: Session, article: Article) -> list[Claim]:
    return list(session.exec(select(Claim).where(Claim.article_id == article.id).order_by(Claim.start)).all())


# Administration.

def all_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)).all())


def recent_audit(session: Session, limit: int = 100) -> list[tuple[AuditEntry, str | None]]:
    """The latest audit entries, newest first, with the acting user's name (None: the system)."""
    return list(session.exec(
        select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(col(AuditEntry.id).desc()).limit(limit)
    ).all())
