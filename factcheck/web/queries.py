"""Read-only queries that the pages need and the services do not offer.

Everything here only reads; writing goes through factcheck.services.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from ..services.people import find_person
from ..services.ratings import Rating, scale_for
from ..store.models import Article, AuditEntry, Claim, Match, Outlet, Quote, Statement, User, Verdict, VerdictVersion
from .paging import Page, paginate


def like_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, with LIKE's wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def speaker_filter(session: Session, name: str) -> int | None:
    """The person id a ?speaker= name filters on: None (no filter) for an empty name, and
    -1 (matches nothing, rather than everything) for a name nobody has."""
    if not name.strip():
        return None
    person = find_person(session, name)
    return person.id if person else -1


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


@dataclass
class VerdictFilters:
    """What the public index shows; an empty value does not filter."""

    search: str = ""  # words in the text or the speaker's name
    rating: str = ""
    kind: str = ""  # quote | claim
    person_id: int | None = None  # the speaker


def published_verdicts(session: Session, f: VerdictFilters, number: int, size: int) -> Page:
    """Published verdicts, newest first.

    The page's verdict ids are found first (and counted) along ix_verdict_published,
    joining only the tables the filters need; then those few verdicts are loaded whole.
    """
    stmt = (
        select(Verdict.id)
        .join(VerdictVersion, and_(VerdictVersion.verdict_id == Verdict.id,
                                   VerdictVersion.version == Verdict.current_version))
        .outerjoin(Quote, Quote.id == Verdict.quote_id)
        .outerjoin(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.status == "published")
    )
    if f.search:
        pattern = like_pattern(f.search)
        stmt = stmt.where(or_(col(Quote.text).ilike(pattern, escape="\\"), col(Claim.text).ilike(pattern, escape="\\"),
                              col(Quote.speaker_name).ilike(pattern, escape="\\")))
    if f.rating:
        stmt = stmt.where(VerdictVersion.rating == f.rating)
    if f.kind:
        stmt = stmt.where(col(Verdict.quote_id if f.kind == "quote" else Verdict.claim_id).is_not(None))
    if f.person_id:
        stmt = stmt.where(Quote.person_id == f.person_id)
    stmt = stmt.order_by(col(Verdict.first_published_at).desc(), col(Verdict.id).desc())
    return paginate(session, stmt, number, size).map(lambda ids: verdict_views(session, ids))


def verdict_views(session: Session, ids: list[int]) -> list[VerdictView]:
    """The verdicts with these ids, in this order."""
    views = {row[0].id: _verdict_view(row) for row in session.exec(_verdict_select().where(col(Verdict.id).in_(ids)))}
    return [views[i] for i in ids]


def verdict_view(session: Session, verdict_id: int) -> VerdictView | None:
    """Any verdict, published or not: the caller decides who may see it."""
    row = session.exec(_verdict_select().where(Verdict.id == verdict_id)).first()
    return _verdict_view(row) if row else None


def said_on(session: Session, view: VerdictView) -> dt.date | None:
    """When the reviewed words were said: the date of a source a fact-checker confirmed,
    else the day the article carrying them was published."""
    column = Match.quote_id if view.kind == "quote" else Match.claim_id
    confirmed = session.exec(
        select(Statement.date).join(Match, Match.statement_id == Statement.id)
        .where(column == view.target.id, Match.confirmed == True, col(Statement.date).is_not(None))  # noqa: E712
        .order_by(Match.rank)
    ).first()
    return confirmed or (view.article.published if view.article else None)


def verdict_history(session: Session, verdict: Verdict) -> list[tuple[VerdictVersion, str | None]]:
    """Every version of a verdict, oldest first, with its reviewer's username."""
    return list(session.exec(
        select(VerdictVersion, User.username)
        .outerjoin(User, User.id == VerdictVersion.reviewer_id)
        .where(VerdictVersion.verdict_id == verdict.id)
        .order_by(VerdictVersion.version)
    ).all())


# The review page.

def candidate_sources(session: Session, target: Quote | Claim) -> list[tuple[Match, Statement]]:
    """The stored matches of a quote or claim with their statements, best first."""
    column = Match.quote_id if isinstance(target, Quote) else Match.claim_id
    return list(session.exec(
        select(Match, Statement).join(Statement, Statement.id == Match.statement_id)
        .where(column == target.id).order_by(Match.rank)
    ).all())


# Administration.

def all_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)).all())


def recent_audit(session: Session, limit: int = 100) -> list[tuple[AuditEntry, str | None]]:
    """The latest audit entries, newest first, with the acting user's name (None: the system)."""
    return list(session.exec(
        select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(col(AuditEntry.id).desc()).limit(limit)
    ).all())
