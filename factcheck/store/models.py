"""The database tables, as SQLModel classes.

Schema changes go through Alembic (`factcheck/store/migrations/`): change a class here,
then add a migration with `alembic revision --autogenerate` (see the README).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, Text, UniqueConstraint, func
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _created() -> Field:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def _json_list():
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Outlet(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    domain: str | None = None


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    outlet_id: int | None = Field(default=None, foreign_key="outlet.id", index=True)
    url: str | None = Field(default=None, index=True)
    title: str | None = None
    authors: list[str] = _json_list()
    published: dt.date | None = Field(default=None, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    # sha256 of the normalised text: the same article is never stored twice.
    content_hash: str = Field(unique=True, index=True)
    source: str | None = None
    created_at: dt.datetime = _created()


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str = "person"  # person | organization
    created_at: dt.datetime = _created()


class PersonAlias(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    alias: str
    # The alias folded for lookup (see services.people.name_key); one person per key.
    key: str = Field(unique=True, index=True)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    password_hash: str
    role: str  # admin | editor | checker
    active: bool = True
    created_at: dt.datetime = _created()


class Quote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    speaker_name: str | None = None
    speaker_kind: str = "unknown"
    mention_text: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    confidence: float = 0.0
    partial: bool = False
    # The best match's label and flags, copied here so the queue can filter without joins.
    label: str = Field(default="none", index=True)
    flags: list[str] = _json_list()
    status: str = Field(default="new", index=True)  # new | in_review | published
    assigned_to_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = _created()


class Claim(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    score: float
    kinds: list[str] = _json_list()
    label: str = Field(default="none", index=True)
    status: str = Field(default="new", index=True)
    # The fact-checker holding this claim (like Quote.assigned_to_id); None: anyone may take it.
    assigned_to_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: dt.datetime = _created()
    # Who makes the claim (`pipeline.claimants`): the quote's speaker when it is said inside
    # a quote, else the article's first author, else its outlet. speaker_kind is a SpeakerKind.
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), index=True)
    )
    speaker_name: str | None = None
    speaker_kind: str = "unknown"


class SourceDocument(SQLModel, table=True):
    """Where statements come from: a transcript, press release, letter, speech, a file of
    statements or an article (`domain.SourceKind`). Its statements keep their order in it
    (`Statement.position`); the grouping rules are in `services/sources.py`."""

    __tablename__ = "source_document"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    # What later imports find this document by (`services.sources`); None: found by id only.
    key: str | None = Field(default=None, unique=True, index=True)
    created_at: dt.datetime = _created()


class Statement(SQLModel, table=True):
    """A known statement: transcript turn, official statement or verified quote."""

    id: int | None = Field(default=None, primary_key=True)
    # The importer's record id; re-importing the same ref updates instead of duplicating.
    ref: str | None = Field(default=None, unique=True, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    speaker_name: str
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    date: dt.date | None = Field(default=None, index=True)
    source_url: str | None = None
    source_title: str | None = None
    context: str | None = Field(default=None, sa_column=Column(Text))
    rating: str | None = None
    # Hash of (text, speaker, date): identical text from one speaker on one day is stored once.
    dedupe_key: str = Field(unique=True, index=True)
    origin: str = "import"  # import | transcript | verified_quote
    # The document it belongs to, and its place there (1, 2, ...). A statement is part of its
    # document: deleting the document deletes it. NULL only for a row made by hand (the
    # services and the migration give every statement a document).
    source_document_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("source_document.id", ondelete="CASCADE"))
    )
    position: int | None = None
    created_at: dt.datetime = _created()
    updated_at: dt.datetime = _created()


class Match(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    statement_id: int = Field(foreign_key="statement.id", index=True)
    rank: int
    score: float
    label: str
    flags: list[str] = _json_list()
    diff: list = _json_list()
    reasons: list[str] = _json_list()
    # Feedback from a fact-checker: None until confirmed (True) or rejected (False).
    confirmed: bool | None = None
    matcher_version: str
    created_at: dt.datetime = _created()


class Verdict(SQLModel, table=True):
    """A verdict on one quote or claim. Its content lives in append-only versions."""

    __table_args__ = (UniqueConstraint("quote_id"), UniqueConstraint("claim_id"))

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id")
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    # Copied from the latest version for listing; the versions are the truth.
    status: str = Field(default="draft", index=True)
    current_version: int = 0
    first_published_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_at: dt.datetime = _created()


class VerdictVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("verdict_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    verdict_id: int = Field(foreign_key="verdict.id", index=True)
    version: int
    rating: str
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    # [{"url": ..., "title": ..., "note": ...}, ...]
    evidence: list[dict] = _json_list()
    status: str  # draft | published | unpublished
    note: str | None = None  # why this version was made (a correction note, say)
    reviewer_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = _created()


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _created()
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(index=True)
    object_type: str | None = None
    object_id: int | None = None
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class StatementVector(SQLModel, table=True):
    """A statement's sentence embedding (float32 bytes), computed once at import."""

    statement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    )
    model: str
    # sha256 of the normalised text embedded: a statement whose text changes is re-embedded.
    text_hash: str
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


# The review queue's indexes (migration 0010): newest article first and each article in
# reading order, most flags first, and "who holds what". Declared here so that autogenerate keeps them.
Index("ix_quote_queue", Quote.article_id.desc(), Quote.start)
Index("ix_claim_queue", Claim.article_id.desc(), Claim.start)
Index("ix_quote_flagged", func.json_array_length(Quote.flags).desc(), Quote.article_id.desc(), Quote.start)
Index("ix_quote_assigned_to_id", Quote.assigned_to_id)
Index("ix_verdict_published", Verdict.status, Verdict.first_published_at)
# A document's statements in order (migration 0014); one statement a place.
Index("ix_statement_document_position", Statement.source_document_id, Statement.position, unique=True)


class LoginFailure(SQLModel, table=True):
    """A failed login, kept for the login throttle's window: stored rather than held in a
    server process's memory, so that every process of a server counts the same failures."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_who", "username_key", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    username_key: str  # the username as typed, casefolded
    address: str
    at: float = Field(index=True)  # Unix time
