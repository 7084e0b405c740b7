"""Read-only queries for the pages: published verdicts as the public pages and the API show
them, and the review page's article, sources and verdict versions.

Everything here only reads; writing goes through the other services.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass, field, replace
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, func, or_
from sqlmodel import Session, col, select

from ..domain import VerdictStatus
from ..store.models import Article, Claim, Match, Outlet, Quote, Statement, User, Verdict, VerdictVersion
from ..store.search import joined_rows_holding
from .flags import FLAG_COLUMNS, flags_from
from .people import find_person
from .queue import MODELS, StaffMember
from .ratings import Rating, scale_for
from .paging import Cache, Page, paginate, paginate_scan, uncached
from .verdicts import VersionText


def speaker_filter(session: Session, name: str) -> int | None:
    """The person id a ?speaker= name filters on: None (no filter) for an empty name, and
    -1 (matches nothing, rather than everything) for a name nobody has."""
    if not name.strip():
        return None
    person = find_person(session, name)
    return person.id if person else -1


# Verdicts, as the public pages and the API show them.

class Record(SimpleNamespace):
    """A row's columns as attributes, read-only in spirit: what the public pages and the
    API read of a verdict, without the cost of building ORM objects for every page view."""


@dataclass
class VerdictView:
    """A verdict with its current version, what it is about, and where that appeared.

    The parts are Records with every column of their table (an article without its text);
    writing goes through the services, which load their own rows."""

    verdict: Record
    version: Record
    target: Record  # the quote or the claim
    article: Record | None
    outlet: Record | None
    kind: str  # quote | claim

    @property
    def speaker(self) -> str | None:
        """Who said the quote, or who makes the claim (`pipeline.claimants`)."""
        return self.target.speaker_name

    @property
    def speaker_kind(self) -> str:
        return self.target.speaker_kind

    @property
    def rating(self) -> Rating | None:
        """The rating on its scale (None if the instance's scale no longer has it)."""
        return scale_for(self.kind).get(self.version.rating)


# (name, table, its columns) of each part of a VerdictView; the article's text is left out.
_VIEW_PARTS = [(name, model, [c for c in model.__table__.columns if not (model is Article and c.name == "text")])
               for name, model in (("verdict", Verdict), ("version", VerdictVersion), ("quote", Quote),
                                   ("claim", Claim), ("article", Article), ("outlet", Outlet))]


def _verdict_select():
    return (
        select(*(column.label(f"{name}_{column.name}") for name, _model, columns in _VIEW_PARTS for column in columns))
        .select_from(Verdict)
        .join(VerdictVersion, and_(VerdictVersion.verdict_id == Verdict.id,
                                   VerdictVersion.version == Verdict.current_version))
        .outerjoin(Quote, Quote.id == Verdict.quote_id)
        .outerjoin(Claim, Claim.id == Verdict.claim_id)
        .outerjoin(Article, Article.id == func.coalesce(Quote.article_id, Claim.article_id))
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
    )


def _verdict_view(row) -> VerdictView:
    parts, at = {}, 0
    for name, _model, columns in _VIEW_PARTS:
        values = row[at:at + len(columns)]
        at += len(columns)
        # An outer join that found nothing gives a row of NULLs, its id among them.
        parts[name] = Record(**{c.name: v for c, v in zip(columns, values)}) if values[0] is not None else None
    quote = parts["quote"]
    return VerdictView(parts["verdict"], parts["version"], quote or parts["claim"], parts["article"], parts["outlet"],
                       "quote" if quote is not None else "claim")


@dataclass
class VerdictFilters:
    """What the public index shows; an empty value does not filter."""

    search: str = ""  # words in the text or the speaker's name
    rating: str = ""
    kind: str = ""  # quote | claim
    person_id: int | None = None  # the speaker


def published_verdicts(session: Session, f: VerdictFilters, number: int, size: int, cache: Cache = uncached) -> Page:
    """Published verdicts, newest first (what a text search read is kept by `cache`).

    The page's verdict ids are found first (and counted) along ix_verdict_published,
    joining only the tables the filters need; then those few verdicts are loaded.
    """
    stmt = select(Verdict.id)
    if f.rating:  # the current version is there for every verdict: joined only to filter on its rating
        stmt = stmt.join(VerdictVersion, and_(VerdictVersion.verdict_id == Verdict.id,
                                              VerdictVersion.version == Verdict.current_version))
    stmt = (
        stmt.outerjoin(Quote, Quote.id == Verdict.quote_id)
        .outerjoin(Claim, Claim.id == Verdict.claim_id)
        .where(Verdict.status == VerdictStatus.PUBLISHED)
    )
    if f.search:  # by the full-text indexes
        stmt = stmt.where(joined_rows_holding(session, f.search, col(Verdict.quote_id), col(Verdict.claim_id)))
    if f.rating:
        stmt = stmt.where(VerdictVersion.rating == f.rating)
    if f.kind:
        stmt = stmt.where(col(Verdict.quote_id if f.kind == "quote" else Verdict.claim_id).is_not(None))
    if f.person_id:
        stmt = stmt.where(or_(Quote.person_id == f.person_id, Claim.person_id == f.person_id))
    stmt = stmt.order_by(col(Verdict.first_published_at).desc(), col(Verdict.id).desc())
    if f.search:  # a scan: every page of one search shares one pass (paging.paginate_scan)
        page = paginate_scan(session, stmt, number, size, key=("published", astuple(f)), cache=cache)
    else:
        page = paginate(session, stmt, number, size)
    return page.map(lambda ids: verdict_views(session, ids))


def verdict_views(session: Session, ids: list[int]) -> list[VerdictView]:
    """The verdicts with these ids, in this order."""
    views = {view.verdict.id: view for view in map(_verdict_view, session.connection().execute(
        _verdict_select().where(col(Verdict.id).in_(ids))))}
    return [views[i] for i in ids]


# Built once: building a statement costs more than running it (its SQL is cached after the first use).
_VERDICT_BY_ID = _verdict_select().where(Verdict.id == bindparam("verdict_id"))


def verdict_view(session: Session, verdict_id: int) -> VerdictView | None:
    """Any verdict, published or not: the caller decides who may see it."""
    row = session.connection().execute(_VERDICT_BY_ID, {"verdict_id": verdict_id}).first()
    return _verdict_view(row) if row else None


def _confirmed_date(column):
    return (select(Statement.date).join(Match, Match.statement_id == Statement.id)
            .where(column == bindparam("target_id"), Match.confirmed == True,  # noqa: E712
                   col(Statement.date).is_not(None))
            .order_by(Match.rank).limit(1))


_CONFIRMED_DATE = {"quote": _confirmed_date(Match.quote_id), "claim": _confirmed_date(Match.claim_id)}


def said_on(session: Session, view: VerdictView) -> dt.date | None:
    """When the reviewed words were said: the date of a source a fact-checker confirmed,
    else the day the article carrying them was published."""
    confirmed = session.connection().execute(_CONFIRMED_DATE[view.kind], {"target_id": view.target.id}).scalar()
    return confirmed or (view.article.published if view.article else None)


@dataclass(frozen=True)
class VersionSummary:
    """A version of a verdict as its history lists it."""

    version: int
    status: str
    rating: str
    note: str | None
    created_at: dt.datetime
    reviewer: str | None  # the reviewer's username


def verdict_history(session: Session, verdict: VerdictState) -> list[VersionSummary]:
    """Every version of a verdict, oldest first."""
    rows = session.connection().execute(
        select(VerdictVersion.version, VerdictVersion.status, VerdictVersion.rating, VerdictVersion.note,
               VerdictVersion.created_at, User.username)
        .outerjoin(User, User.id == VerdictVersion.reviewer_id)
        .where(VerdictVersion.verdict_id == verdict.id)
        .order_by(VerdictVersion.version))
    return [VersionSummary(*row) for row in rows]


@dataclass(frozen=True)
class Correction:
    """A version published after the first publication, as the public correction history lists it."""

    created_at: dt.datetime
    rating: str
    note: str | None


_PUBLISHED_VERSIONS = (
    select(VerdictVersion.created_at, VerdictVersion.rating, VerdictVersion.note)
    .where(VerdictVersion.verdict_id == bindparam("verdict_id"), VerdictVersion.status == VerdictStatus.PUBLISHED)
    .order_by(VerdictVersion.version)
)


def corrections(session: Session, verdict) -> list[Correction]:
    """The public correction history of `verdict` (anything with its id): every published
    version after the first, with its note."""
    rows = session.connection().execute(_PUBLISHED_VERSIONS, {"verdict_id": verdict.id}).all()
    return [Correction(*row) for row in rows[1:]]


# The review page.

@dataclass(frozen=True)
class VerdictState:
    """Where a verdict stands: its status and the number of its current version."""

    id: int
    status: str
    current_version: int


@dataclass(frozen=True)
class ReviewItem:
    """A quote or claim as its review page shows it, with its verdict and who holds it.
    The fields after `holder` belong to one kind; the other kind leaves their defaults."""

    kind: str  # quote | claim
    id: int
    article_id: int
    start: int
    end: int
    text: str
    speaker_name: str | None
    speaker_kind: str
    label: str
    status: str
    verdict: VerdictState | None
    holder: StaffMember | None
    mention_text: str | None = None  # quotes
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    confidence: float = 0.0
    partial: bool = False
    flags: list[str] = field(default_factory=list)
    score: float = 0.0  # claims
    kinds: list[str] = field(default_factory=list)
    checkworthy: bool = True  # claims: False keeps it out of the queue and the desk's lists


_ITEM_COLUMNS = ("id", "article_id", "start", "end", "text", "speaker_name", "speaker_kind", "label", "status")
_KIND_COLUMNS = {"quote": ("mention_text", "mention_start", "mention_end", "cue", "confidence", "partial"),
                 "claim": ("score", "kinds", "checkworthy")}


def _review_item(kind: str):
    model = MODELS[kind]
    flags = FLAG_COLUMNS if kind == "quote" else ()
    return (
        select(*(getattr(model, name) for name in _ITEM_COLUMNS), Verdict.id, Verdict.status, Verdict.current_version,
               User.id, User.username, *(getattr(model, name) for name in _KIND_COLUMNS[kind]), *flags)
        .outerjoin(Verdict, (Verdict.quote_id if kind == "quote" else Verdict.claim_id) == model.id)
        .outerjoin(User, User.id == model.assigned_to_id)
        .where(model.id == bindparam("item_id"))
    )


_REVIEW_ITEM = {kind: _review_item(kind) for kind in MODELS}


def review_item(session: Session, kind: str, item_id: int) -> ReviewItem | None:
    """The quote or claim (`kind`) with this id, in one query with its verdict and holder."""
    row = session.connection().execute(_REVIEW_ITEM[kind], {"item_id": item_id}).first()
    if row is None:
        return None
    n, own = len(_ITEM_COLUMNS), _KIND_COLUMNS[kind]
    verdict_id, status, version, holder_id, holder = row[n:n + 5]
    extra = dict(zip(own, row[n + 5:]))
    if kind == "quote":
        extra["flags"] = flags_from(row[n + 5 + len(own):])
    return ReviewItem(kind, *row[:n], VerdictState(verdict_id, status, version) if verdict_id is not None else None,
                      StaffMember(holder_id, holder) if holder_id is not None else None, **extra)


_CURRENT_TEXT = (
    select(VerdictVersion.version, VerdictVersion.status, VerdictVersion.rating, VerdictVersion.explanation,
           VerdictVersion.evidence, VerdictVersion.created_at)
    .join(Verdict, and_(Verdict.id == VerdictVersion.verdict_id, Verdict.current_version == VerdictVersion.version))
    .where(Verdict.id == bindparam("verdict_id"))
)


def current_text(session: Session, verdict: VerdictState) -> VersionText | None:
    """The words of a verdict's current version (the verdict form is filled from them)."""
    row = session.connection().execute(_CURRENT_TEXT, {"verdict_id": verdict.id}).first()
    return VersionText(*row) if row else None


# The columns of the article the review page shows (its text for the excerpt).
_ARTICLE = select(Article.id, Article.url, Article.title, Article.published, Article.text).where(
    Article.id == bindparam("article_id"))


def review_article(session: Session, article_id: int):
    """The article a quote or claim is in: id, url, title, published and text."""
    return session.connection().execute(_ARTICLE, {"article_id": article_id}).one()

_MATCH_COLUMNS = (Match.id, Match.rank, Match.score, Match.label, Match.flags, Match.diff, Match.reasons,
                  Match.confirmed, Match.statement_ids)
_STATEMENT_COLUMNS = (Statement.id, Statement.speaker_name, Statement.date, Statement.rating, Statement.source_url,
                      Statement.source_title, Statement.text)


def _sources(column):
    return (select(*_MATCH_COLUMNS, *_STATEMENT_COLUMNS).join(Statement, Statement.id == Match.statement_id)
            .where(column == bindparam("target_id")).order_by(Match.rank))


_SOURCES = {"quote": _sources(Match.quote_id), "claim": _sources(Match.claim_id)}


@dataclass(frozen=True)
class SourceMatch:
    """A stored match as the review page shows it (read-only: feedback goes through services)."""

    id: int
    rank: int
    score: float
    label: str
    flags: list
    diff: list
    reasons: list
    confirmed: bool | None
    statement_ids: list
    # A quote spanning consecutive statements of one source document: the run's statements,
    # in order (empty for a match on one statement).
    parts: tuple[SourcePart, ...] = ()


@dataclass(frozen=True)
class SourcePart:
    """One statement of a run a quote spans."""

    id: int
    ref: str | None
    text: str


@dataclass(frozen=True)
class SourceStatement:
    id: int
    speaker_name: str | None
    date: dt.date | None
    rating: str | None
    source_url: str | None
    source_title: str | None
    text: str


def candidate_sources(session: Session, item: ReviewItem) -> list[tuple[SourceMatch, SourceStatement]]:
    """The stored matches of a quote or claim with their statements, best first: the
    columns the review page shows, without building ORM rows."""
    n = len(_MATCH_COLUMNS)
    rows = [(SourceMatch(*row[:n]), SourceStatement(*row[n:]))
            for row in session.connection().execute(_SOURCES[item.kind], {"target_id": item.id})]
    in_runs = {i for match, _ in rows if len(match.statement_ids) > 1 for i in match.statement_ids}
    if not in_runs:
        return rows
    found = {sid: SourcePart(sid, ref, text) for sid, ref, text in session.connection().execute(
        select(Statement.id, Statement.ref, Statement.text).where(col(Statement.id).in_(sorted(in_runs))))}
    return [(replace(match, parts=tuple(found[i] for i in match.statement_ids if i in found))
             if len(match.statement_ids) > 1 else match, statement) for match, statement in rows]

