"""Imported transcripts, and a transcript's statements ranked by check-worthiness.

A transcript is a source document of kind transcript (one imported speaker-labelled file,
`services.sources`), named in addresses by its id; its statements keep their spoken order
(`Statement.position`). They are scored when asked, in that order so that each is read
with its neighbours (what `factcheck checkworthy` does), so a better scorer ranks old
transcripts too without a re-import.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, nulls_last
from sqlmodel import Session, col, select

from ..domain import SourceKind
from ..pipeline.checkworthy import score_batch
from ..store.models import SourceDocument, Statement


@dataclass(frozen=True)
class TranscriptSummary:
    id: int  # its source document's
    title: str | None
    date: dt.date | None
    url: str | None
    statements: int
    speakers: int


@dataclass(frozen=True)
class TranscriptStatement:
    """A turn of a transcript: the columns its pages and importer checks read."""

    id: int
    ref: str | None
    text: str
    speaker_name: str
    position: int


@dataclass(frozen=True)
class RankedStatement:
    statement: TranscriptStatement
    score: float
    kinds: list[str]

    @property
    def position(self) -> int:
        """Its place in the transcript, 1 for the first statement."""
        return self.statement.position


def _summaries():
    return (
        select(
            SourceDocument.id, SourceDocument.title, SourceDocument.date, SourceDocument.url,
            func.count(col(Statement.id)), func.count(func.distinct(Statement.speaker_name)),
        )
        .join(Statement, Statement.source_document_id == SourceDocument.id)
        .where(SourceDocument.kind == SourceKind.TRANSCRIPT)
        .group_by(SourceDocument.id, SourceDocument.title, SourceDocument.date, SourceDocument.url)
    )


def transcripts(session: Session) -> list[TranscriptSummary]:
    """Every imported transcript, newest first."""
    rows = session.exec(
        _summaries().order_by(nulls_last(col(SourceDocument.date).desc()), SourceDocument.title, SourceDocument.id)
    ).all()
    return [TranscriptSummary(*row) for row in rows]


def transcript(session: Session, transcript_id: int) -> TranscriptSummary | None:
    """One transcript, or None when no transcript has this id."""
    row = session.exec(_summaries().where(SourceDocument.id == transcript_id)).first()
    return TranscriptSummary(*row) if row else None


def transcript_statements(session: Session, transcript_id: int) -> list[TranscriptStatement]:
    """The statements of one transcript in spoken order; empty when there is no such
    transcript."""
    return [TranscriptStatement(*row) for row in session.exec(
        select(Statement.id, Statement.ref, Statement.text, Statement.speaker_name, Statement.position)
        .join(SourceDocument, SourceDocument.id == Statement.source_document_id)
        .where(Statement.source_document_id == transcript_id, SourceDocument.kind == SourceKind.TRANSCRIPT)
        .order_by(Statement.position)
    )]


def rank_transcript(session: Session, transcript_id: int) -> list[RankedStatement]:
    """The statements of one transcript (see `transcript_statements`), most check-worthy
    first, ties in spoken order."""
    statements = transcript_statements(session, transcript_id)
    scored = score_batch({"id": i, "text": s.text, "speaker": s.speaker_name} for i, s in enumerate(statements))
    ranked = [
        RankedStatement(statements[row["id"]], row["score"], row["kinds"])
        for row in scored
    ]
    ranked.sort(key=lambda r: (-r.score, r.position))
    return ranked
