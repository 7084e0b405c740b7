"""The database tables, as SQLModel classes.

Schema changes go through Alembic (`factcheck/store/migrations/`): change a class here,
then add a migration with `alembic revision --autogenerate` (see the README).

The schema holds the domain's rules (migrations 0013, 0014): every status, role, label and
kind is checked against its `factcheck.domain` enum, a match or verdict is about exactly one
quote or claim, a quote or claim is stored once per span of its article, and every foreign
key says what deleting the row it names does: CASCADE (this row is part of that one),
SET NULL (this row outlives it) or RESTRICT (that row may not go while this one names it).
The whole model, table by table, is in docs/data-model.md.
Constraints are named by `NAMING`, so that migrations find them again on every database.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, LargeBinary,
                        Text, UniqueConstraint, true)
from sqlmodel import Field, SQLModel

from ..domain import (LABELS, ClaimLabel, Flag, FollowUpStep, IncomingState, PersonKind, QuoteLabel, ReviewStatus, Role, SourceKind, SpeakerKind,
                      StatementOrigin, VerdictStatus)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}
SQLModel.metadata.naming_convention = NAMING


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _created() -> Field:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def _json_list():
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def flag_column(flag: str) -> str:
    """The name of the quote column holding `flag`."""
    return f"flag_{flag}"


def flag_values(flags: list[str] | tuple[str, ...]) -> dict[str, bool | int]:
    """The quote columns that store `flags`, with their values (for Quote.flags and bulk inserts)."""
    unknown = set(flags) - set(Flag)
    if unknown:
        raise ValueError(f"not a quote flag: {', '.join(sorted(unknown))}")
    return {**{flag_column(flag): flag in flags for flag in Flag}, "flag_count": len(set(flags))}


def one_of(column: str, values: type[StrEnum] | tuple[str, ...]) -> CheckConstraint:
    """A CHECK that `column` holds one of `values` (a domain enum), named ck_<table>_<column>."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def exactly_one_of(first: str, second: str) -> CheckConstraint:
    """A CHECK that a row names `first` or `second`, never both or neither."""
    return CheckConstraint(f"({first} IS NULL) <> ({second} IS NULL)", name=f"one_{first}_or_{second}")


class Outlet(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    domain: str | None = None


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    outlet_id: int | None = Field(default=None, foreign_key="outlet.id", ondelete="RESTRICT", index=True)
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
    __table_args__ = (one_of("kind", PersonKind),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str = PersonKind.PERSON
    created_at: dt.datetime = _created()


class PersonAlias(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    alias: str
    # The alias folded for lookup (see services.people.name_key); one person per key.
    key: str = Field(unique=True, index=True)


class User(SQLModel, table=True):
    __table_args__ = (one_of("role", Role),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    password_hash: str
    role: str  # a domain.Role
    active: bool = True
    # A web session is valid only while it carries the account's current epoch: logging out
    # or deactivating the account bumps it, ending every session opened before (migration 0017).
    session_epoch: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_at: dt.datetime = _created()


class Quote(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("article_id", "start", "end"),
        one_of("speaker_kind", SpeakerKind),
        one_of("label", QuoteLabel),
        one_of("status", ReviewStatus),
        CheckConstraint(f"flag_count = {' + '.join(f'CAST({flag_column(flag)} AS INTEGER)' for flag in Flag)}",
                        name="flag_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    # The quote keeps its speaker's name when the person entry goes.
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    speaker_name: str | None = None
    speaker_kind: str = SpeakerKind.UNKNOWN
    mention_text: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    confidence: float = 0.0
    partial: bool = False
    # The best match's label and flags, copied here so the queue can filter without joins.
    # Each flag is a column of its own (`flag_<flag>`, read and written as the list
    # `flags`), so that the queue and the desk find flagged quotes by index (FLAG_INDEXES);
    # `flag_count`, how many there are, orders "most flagged first" (ix_quote_flagged).
    label: str = Field(default=QuoteLabel.NONE, index=True)
    flag_misattributed: bool = False
    flag_earlier: bool = False
    flag_count: int = 0
    status: str = Field(default=ReviewStatus.NEW, index=True)
    assigned_to_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: dt.datetime = _created()

    def __init__(self, *, flags: list[str] | tuple[str, ...] = (), **data):
        super().__init__(**data)
        if flags:
            self.flags = flags

    @property
    def flags(self) -> list[str]:
        """The flags the quote's best match raises, in `domain.Flag` order."""
        return [flag.value for flag in Flag if getattr(self, flag_column(flag))]

    @flags.setter
    def flags(self, flags: list[str] | tuple[str, ...]) -> None:
        for column, value in flag_values(flags).items():
            setattr(self, column, value)


class Claim(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("article_id", "start", "end"),
        one_of("label", ClaimLabel),
        one_of("status", ReviewStatus),
        one_of("speaker_kind", SpeakerKind),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    score: float
    # The check-worthiness model's decision (`pipeline.records.Claim.checkworthy`, migration
    # 0015): only check-worthy claims reach the review queue and the desk's claim lists
    # (`checkworthy_claim`); the others stay in the desk's view of their article.
    checkworthy: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=true()))
    kinds: list[str] = _json_list()
    label: str = Field(default=ClaimLabel.NONE, index=True)
    status: str = Field(default=ReviewStatus.NEW, index=True)
    # The fact-checker holding this claim (like Quote.assigned_to_id); None: anyone may take it.
    assigned_to_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL", index=True)
    created_at: dt.datetime = _created()
    # Who makes the claim (`pipeline.claimants`): the quote's speaker when it is said inside
    # a quote, else the article's first author, else its outlet. speaker_kind is a SpeakerKind.
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), index=True)
    )
    speaker_name: str | None = None
    speaker_kind: str = SpeakerKind.UNKNOWN


class SourceDocument(SQLModel, table=True):
    """Where statements come from: a transcript, press release, letter, speech, a file of
    statements or an article (`domain.SourceKind`). Its statements keep their order in it
    (`Statement.position`); the grouping rules are in `services/sources.py`."""

    __tablename__ = "source_document"
    __table_args__ = (one_of("kind", SourceKind),)

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

    __table_args__ = (one_of("origin", StatementOrigin),)

    id: int | None = Field(default=None, primary_key=True)
    # The importer's record id; re-importing the same ref updates instead of duplicating.
    ref: str | None = Field(default=None, unique=True, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    speaker_name: str
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    date: dt.date | None = Field(default=None, index=True)
    source_url: str | None = None
    source_title: str | None = None
    context: str | None = Field(default=None, sa_column=Column(Text))
    rating: str | None = None
    # Hash of (text, speaker, date): identical text from one speaker on one day is stored once.
    dedupe_key: str = Field(unique=True, index=True)
    origin: str = StatementOrigin.IMPORT
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
    """A statement found for a quote or a claim: computed, so it goes with either side."""

    __table_args__ = (exactly_one_of("quote_id", "claim_id"), one_of("label", LABELS))

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id", ondelete="CASCADE", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", ondelete="CASCADE", index=True)
    statement_id: int = Field(foreign_key="statement.id", ondelete="CASCADE", index=True)
    # The statements matched, in order: one, or a run of consecutive statements of one source
    # document that a quote spans (`statement_id` is the first). Empty on rows stored before
    # migration 0016: `statement_id` alone.
    statement_ids: list[int] = _json_list()
    rank: int
    score: float
    label: str
    flags: list[str] = _json_list()
    # The matcher's word diff (CONTRACT.md's ops); an equal run may carry the quote's own
    # writing of it third (`services.matching.stored_diff`).
    diff: list = _json_list()
    reasons: list[str] = _json_list()
    # Feedback from a fact-checker: None until confirmed (True) or rejected (False).
    confirmed: bool | None = None
    matcher_version: str
    created_at: dt.datetime = _created()


class Verdict(SQLModel, table=True):
    """A verdict on one quote or claim. Its content lives in append-only versions.

    A fact-checker's work is never deleted along with what it is about: a quote or claim
    with a verdict cannot be deleted (RESTRICT)."""

    __table_args__ = (
        UniqueConstraint("quote_id"),
        UniqueConstraint("claim_id"),
        exactly_one_of("quote_id", "claim_id"),
        one_of("status", VerdictStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id", ondelete="RESTRICT")
    claim_id: int | None = Field(default=None, foreign_key="claim.id", ondelete="RESTRICT")
    # Copied from the latest version for listing; the versions are the truth.
    status: str = Field(default=VerdictStatus.DRAFT, index=True)
    current_version: int = 0
    first_published_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_at: dt.datetime = _created()


class VerdictVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("verdict_id", "version"), one_of("status", VerdictStatus))

    id: int | None = Field(default=None, primary_key=True)
    verdict_id: int = Field(foreign_key="verdict.id", ondelete="CASCADE", index=True)
    version: int
    rating: str
    explanation: str = Field(sa_column=Column(Text, nullable=False))
    # [{"url": ..., "title": ..., "note": ...}, ...]
    evidence: list[dict] = _json_list()
    status: str  # a domain.VerdictStatus
    note: str | None = None  # why this version was made (a correction note, say)
    # Who reviewed stays known: accounts are deactivated, not deleted (RESTRICT).
    reviewer_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    created_at: dt.datetime = _created()


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _created()
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT", index=True)
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


class StatementFollowUp(SQLModel, table=True):
    """A statement imported or changed whose follow-up is not done: its embedding first
    (`step` "embed"), then matching again the stored quotes it could affect ("rematch").

    The row is written with the statement, so an import stopped half way leaves the work
    it owes; a worker takes rows with a lease, like an incoming item (services/statements.py)."""

    __tablename__ = "statement_follow_up"
    __table_args__ = (one_of("step", FollowUpStep),)

    statement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    )
    step: str = Field(default=FollowUpStep.EMBED, index=True)
    lease_owner: str | None = None
    lease_expires: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


def has_flag(flag: str):
    """SQL: the quote raises `flag` (the condition of its partial index; services.flags uses it)."""
    return getattr(Quote, flag_column(flag)) == True  # noqa: E712  (SQL, not Python)


def checkworthy_claim():
    """SQL: the claim is check-worthy, so it reaches people (the review queue, the desk's
    claim lists); the condition of ix_claim_queue."""
    return Claim.checkworthy == True  # noqa: E712  (SQL, not Python)


# The review queue's indexes (migrations 0010, 0013, 0015): newest article first and each
# article in reading order (claims: the check-worthy ones only), most flags first, and "who
# holds what". Declared here so that autogenerate keeps them.
Index("ix_quote_queue", Quote.article_id.desc(), Quote.start)
Index("ix_claim_queue", Claim.article_id.desc(), Claim.start,
      sqlite_where=checkworthy_claim(), postgresql_where=checkworthy_claim())
Index("ix_quote_flagged", Quote.flag_count.desc(), Quote.article_id.desc(), Quote.start)
# One per flag: the quotes raising it, in queue order (partial: only those rows are indexed).
FLAG_INDEXES = {
    flag: Index(f"ix_quote_{flag_column(flag)}", Quote.article_id.desc(), Quote.start,
                sqlite_where=has_flag(flag), postgresql_where=has_flag(flag))
    for flag in Flag
}
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


class FeedSource(SQLModel, table=True):
    """A feed (RSS or Atom) the newsroom watches; workers poll it (services/monitoring.py).

    A failing feed keeps its error in `last_status` and is polled again later and later
    (`failures` in a row double the wait, up to a day), never in a tight loop."""

    __tablename__ = "feed_source"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)  # normalised (services.monitoring.canonical_url)
    every: int = 15  # minutes between polls; 0: at every pass of a worker
    allow_private: bool = False  # may it (and its entries) be fetched from private addresses
    paused: bool = False
    last_polled: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_status: str | None = None  # "ok" or "error: <reason>"; None until the first poll
    # The last answer's validators, sent back for a conditional GET.
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0  # polls failed in a row
    next_poll_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    created_at: dt.datetime = _created()


class IncomingItem(SQLModel, table=True):
    """An article on its way in: a feed's entry, or a URL or text queued by hand.

    This row, not a job queue's message, is the truth about the work: a worker takes it
    with a lease (`lease_owner` until `lease_expires`); a worker killed mid-job leaves
    the lease to expire, and the item is taken again. Its `article_id` is how articles
    are counted per source."""

    __tablename__ = "incoming_item"
    __table_args__ = (
        # A feed's entry is queued once, however often the feed is polled.
        UniqueConstraint("source_id", "url"),
        exactly_one_of("url", "text"),
        one_of("state", IncomingState),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(default=None, foreign_key="feed_source.id", ondelete="CASCADE", index=True)
    url: str | None = None  # normalised, like a source's
    text: str | None = Field(default=None, sa_column=Column(Text))  # pasted text
    title: str | None = None
    state: str = Field(default=IncomingState.QUEUED, index=True)
    reason: str | None = None  # why it failed
    lease_owner: str | None = None
    lease_expires: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    attempts: int = 0
    article_id: int | None = Field(default=None, foreign_key="article.id", ondelete="SET NULL", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")  # who queued it
    created_at: dt.datetime = _created()
    updated_at: dt.datetime = _created()


class HostSlot(SQLModel, table=True):
    """One of the few requests at a time a host gets from all workers together
    (services/host_slots.py): held by `holder` until `expires_at`, so a slot whose worker
    died frees itself. `last_start` is when it was last taken; the latest of a host's
    rows keeps the pause between two requests to it."""

    __tablename__ = "host_slot"

    host: str = Field(primary_key=True)
    slot: int = Field(primary_key=True)  # 0 .. the number of slots - 1
    holder: str | None = None  # None: free
    expires_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_start: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
