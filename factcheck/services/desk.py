"""Read-only queries for the editors' desk: flagged quotes, claims that repeat checked
ones, counts per outlet and speaker, flags over time, and the rows of the CSV exports.

The desk's lists and counts of claims hold the check-worthy ones only
(`store.models.checkworthy_claim`); an article's own view shows all its claims, those that
are not check-worthy marked as such.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from ..domain import ClaimLabel, Flag, QuoteLabel, is_flagged
from ..store.models import (Article, Claim, Match, Outlet, Person, Quote, Statement, User, Verdict, VerdictVersion,
                            checkworthy_claim)
from .flags import FLAG_COLUMNS, flagged, flags_from
from .paging import Page, paginate

# What the desk calls a flag: the two flagged labels and the two flags a match can raise.
CATEGORIES = (QuoteLabel.ALTERED, Flag.MISATTRIBUTED, Flag.EARLIER, QuoteLabel.NONE)
# Claim-matching labels meaning "this was fact-checked before".
REPEAT_LABELS = (ClaimLabel.SAME, ClaimLabel.RELATED)
CHART_WEEKS = 12


@dataclass(frozen=True)
class FlaggedQuote:
    """A flagged quote as the desk lists it and its CSV export writes it."""

    id: int
    label: str
    status: str
    speaker_name: str | None
    text: str
    article_id: int
    article_title: str | None
    article_url: str | None
    published: dt.date | None  # the article's day
    outlet: str | None  # the outlet's name
    flags: list[str]


_FLAGGED = (Quote.id, Quote.label, Quote.status, Quote.speaker_name, Quote.text, Article.id, Article.title, Article.url,
            Article.published, Outlet.name)


def flagged_quotes(session: Session, category: str, number: int, size: int | None) -> Page | list[FlaggedQuote]:
    """Flagged quotes with their article and outlet, newest article first. With `size`
    None, every row (for the CSV export) instead of a page."""
    stmt = (select(*_FLAGGED, *FLAG_COLUMNS).join(Article, Article.id == Quote.article_id)
            .outerjoin(Outlet, Outlet.id == Article.outlet_id).where(flagged(category))
            .order_by(col(Quote.article_id).desc(), Quote.start))

    def make(rows) -> list[FlaggedQuote]:
        return [FlaggedQuote(*row[:len(_FLAGGED)], flags_from(row[len(_FLAGGED):])) for row in rows]

    return make(session.exec(stmt).all()) if size is None else paginate(session, stmt, number, size).map(make)


@dataclass(frozen=True)
class CheckedStatement:
    """The statement a repeated claim matches best: what was checked before."""

    text: str
    rating: str | None
    source_title: str | None


@dataclass(frozen=True)
class RepeatClaim:
    """A claim that repeats (or is related to) something already fact-checked."""

    id: int
    label: str
    text: str
    speaker_name: str | None
    article_title: str | None
    statement: CheckedStatement | None  # the best match's statement
    flags: list[str]  # the best match's flags (`numbers_differ`)


def repeat_claims(session: Session, limit: int) -> list[RepeatClaim]:
    """Check-worthy claims that repeat (or are related to) something already fact-checked,
    newest first, with the best-matching statement and that match's flags (`numbers_differ`)."""
    stmt = (select(Claim.id, Claim.label, Claim.text, Claim.speaker_name, Article.title, Match.flags,
                   Statement.id, Statement.text, Statement.rating, Statement.source_title)
            .join(Article, Article.id == Claim.article_id)
            .outerjoin(Match, (Match.claim_id == Claim.id) & (Match.rank == 1))
            .outerjoin(Statement, Statement.id == Match.statement_id)
            .where(col(Claim.label).in_(REPEAT_LABELS), checkworthy_claim())
            .order_by(col(Claim.article_id).desc(), Claim.start)
            .limit(limit))
    return [RepeatClaim(claim_id, label, text, speaker, title, CheckedStatement(*statement) if statement_id else None,
                        flags or [])
            for claim_id, label, text, speaker, title, flags, statement_id, *statement in session.exec(stmt)]


@dataclass(frozen=True)
class ArticleRow:
    """An article as the desk lists it, with how many quotes (flagged ones too) and check-worthy
    claims it has."""

    id: int
    title: str | None
    published: dt.date | None
    outlet: str | None  # the outlet's name
    quotes: int
    flagged: int
    claims: int


def desk_articles(session: Session, number: int, size: int) -> Page:
    """Articles, newest first, with how many quotes (flagged ones too) and check-worthy claims each has."""

    def count(model, *conditions):
        return (select(func.count(model.id)).where(model.article_id == Article.id, *conditions)
                .correlate(Article).scalar_subquery())

    stmt = (
        select(Article.id, Article.title, Article.published, Outlet.name, count(Quote), count(Quote, flagged()),
               count(Claim, checkworthy_claim()))
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
        .order_by(col(Article.created_at).desc(), col(Article.id).desc())
    )
    return paginate(session, stmt, number, size).map(lambda rows: [ArticleRow(*row) for row in rows])


@dataclass(frozen=True)
class ArticleText:
    id: int
    title: str | None
    url: str | None
    authors: list[str]
    published: dt.date | None
    text: str


@dataclass(frozen=True)
class DeskItem:
    """A quote or claim as the desk's article page lists it."""

    id: int
    start: int
    end: int
    text: str
    speaker_name: str | None
    label: str
    status: str


@dataclass(frozen=True)
class DeskQuote(DeskItem):
    flags: list[str]


@dataclass(frozen=True)
class DeskClaim(DeskItem):
    score: float
    kinds: list[str]
    checkworthy: bool  # False: shown here only, never in the queue or the desk's lists


_ITEM_COLUMNS = [field.name for field in fields(DeskItem)]


def _items(session: Session, model, article_id: int, *extra) -> list[tuple]:
    """The DeskItem columns, then `extra`, of the article's quotes or claims in reading order."""
    return session.exec(select(*(getattr(model, name) for name in _ITEM_COLUMNS), *extra)
                        .where(model.article_id == article_id).order_by(model.start)).all()


@dataclass(frozen=True)
class DeskArticle:
    """An article with its quotes and claims in reading order."""

    article: ArticleText
    outlet: str | None  # the outlet's name
    quotes: list[DeskQuote]
    claims: list[DeskClaim]
    flagged: set[int]  # the ids of its flagged quotes (domain.is_flagged)


def desk_article(session: Session, article_id: int) -> DeskArticle | None:
    row = session.exec(
        select(Article.id, Article.title, Article.url, Article.authors, Article.published, Article.text, Outlet.name)
        .outerjoin(Outlet, Outlet.id == Article.outlet_id).where(Article.id == article_id)).first()
    if row is None:
        return None
    *article, outlet = row
    n = len(_ITEM_COLUMNS)
    quotes = [DeskQuote(*quote[:n], flags_from(quote[n:])) for quote in _items(session, Quote, article_id, *FLAG_COLUMNS)]
    claims = [DeskClaim(*claim)
              for claim in _items(session, Claim, article_id, Claim.score, Claim.kinds, Claim.checkworthy)]
    return DeskArticle(ArticleText(*article), outlet, quotes, claims,
                       {q.id for q in quotes if is_flagged(q.label, q.flags)})


@dataclass
class Tally:
    id: int | None
    name: str
    quotes: int
    flagged: int


def outlet_counts(session: Session, since: dt.date) -> list[Tally]:
    """Quotes and flagged quotes per outlet, in articles published since `since`."""
    return _tally(session, Article.outlet_id, Outlet, since)


def speaker_counts(session: Session, since: dt.date, limit: int = 10) -> list[Tally]:
    """The speakers with the most flagged quotes in articles published since `since`."""
    return _tally(session, Quote.person_id, Person, since, limit)


def _tally(session: Session, key, model, since: dt.date, limit: int | None = None) -> list[Tally]:
    """Quotes and flagged quotes grouped by `key` (an outlet or person id), most flagged
    first, named from `model`'s rows. The counting starts from the articles in the window
    (ix_article_published) and groups the quote rows alone: joining the names in the
    same query lets the database walk every person or outlet and all their quotes instead."""
    flagged_count = func.sum(case((flagged(), 1), else_=0))
    stmt = (select(key, func.count(Quote.id), flagged_count).select_from(Article)
            .join(Quote, Quote.article_id == Article.id)
            .where(Article.published >= since, col(key).is_not(None)).group_by(key).order_by(flagged_count.desc(), key)
            .limit(limit))
    rows = session.exec(stmt).all()
    names = dict(session.exec(select(model.id, model.name).where(col(model.id).in_([r[0] for r in rows]))).all())
    return [Tally(key_id, names.get(key_id, "?"), quotes, flagged_quotes) for key_id, quotes, flagged_quotes in rows]


@dataclass
class Week:
    start: dt.date
    count: int


def window_start(today: dt.date, weeks: int = CHART_WEEKS) -> dt.date:
    """The Monday `weeks` - 1 weeks before this week's: the desk's counts and chart cover from there."""
    return today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)


def flags_by_week(session: Session, today: dt.date, weeks: int = CHART_WEEKS) -> list[Week]:
    """Flagged quotes per week (by the article's publication day), the last `weeks` weeks."""
    first = window_start(today, weeks)
    stmt = (select(Article.published, func.count(Quote.id)).join(Quote, Quote.article_id == Article.id)
            .where(flagged(), Article.published >= first, Article.published <= today).group_by(Article.published))
    per_week = Counter()
    for day, count in session.exec(stmt):
        per_week[(day - first).days // 7] += count
    return [Week(first + dt.timedelta(weeks=n), per_week[n]) for n in range(weeks)]


@dataclass(frozen=True)
class VerdictRow:
    """A verdict's current version with what it is about, as the CSV export writes it."""

    id: int
    kind: str  # quote | claim
    status: str
    rating: str
    version: int
    reviewer: str | None  # the reviewer's username
    text: str
    speaker: str | None  # a quote's speaker; "" for a claim
    article_title: str | None
    article_url: str | None
    outlet: str | None  # the outlet's name
    first_published_at: dt.datetime | None
    updated_at: dt.datetime  # when the current version was made


def verdict_rows(session: Session) -> list[VerdictRow]:
    """Every verdict's current version with what it is about, for the CSV export."""
    stmt = (
        select(Verdict.id, Quote.id, Verdict.status, VerdictVersion.rating, VerdictVersion.version, User.username,
               func.coalesce(Quote.text, Claim.text), Quote.speaker_name, Article.title, Article.url, Outlet.name,
               Verdict.first_published_at, VerdictVersion.created_at)
        .join(VerdictVersion, (VerdictVersion.verdict_id == Verdict.id) & (VerdictVersion.version == Verdict.current_version))
        .outerjoin(User, User.id == VerdictVersion.reviewer_id)
        .outerjoin(Quote, Quote.id == Verdict.quote_id).outerjoin(Claim, Claim.id == Verdict.claim_id)
        .outerjoin(Article, Article.id == func.coalesce(Quote.article_id, Claim.article_id))
        .outerjoin(Outlet, Outlet.id == Article.outlet_id).order_by(Verdict.id)
    )
    return [VerdictRow(verdict_id, "quote" if quote_id is not None else "claim", status, rating, version, reviewer, text,
                       speaker if quote_id is not None else "", *rest)
            for verdict_id, quote_id, status, rating, version, reviewer, text, speaker, *rest in session.exec(stmt)]
