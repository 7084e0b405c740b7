"""Imported transcripts, and a transcript's statements ranked by check-worthiness.

A transcript is the set of statements one `statements import` of a speaker-labelled file
stored (`origin == "transcript"`), known by its title (the file's stem) and date, and
named in addresses by the id of its first statement. Its
statements are scored when asked, in their spoken order so that each is read with its
neighbours (what `factcheck checkworthy` does), so a better scorer ranks old transcripts
too without a re-import.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, nulls_last
from sqlmodel import Session, col, select

from ..pipeline.claims import score_batch
from ..store.models import Statement

TRANSCRIPT = "transcript"


@dataclass(frozen=True)
class TranscriptSummary:
    id: int  # its first statement's
    title: str
    date: dt.date | None
    statements: int
    speakers: int


@dataclass(frozen=True)
class RankedStatement:
    statement: Statement
    score: float
    kinds: list[str]
    position: int  # 1 for the transcript's first statement


def transcripts(session: Session) -> list[TranscriptSummary]:
    """Every imported transcript, newest first."""
    rows = session.exec(
        select(
            func.min(Statement.id), Statement.source_title, Statement.date, func.count(),
            func.count(func.distinct(Statement.speaker_name)),
        )
        .where(Statement.origin == TRANSCRIPT)
        .group_by(Statement.source_title, Statement.date)
        .order_by(nulls_last(col(Statement.date).desc()), Statement.source_title)
    ).all()
    return [TranscriptSummary(*row) for row in rows]


def transcript_statements(session: Session, transcript_id: int) -> list[Statement]:
    """The statements of the transcript whose first statement has this id, in spoken
    order; empty when there is no such transcript."""
    first = session.get(Statement, transcript_id)
    if first is None or first.origin != TRANSCRIPT:
        return []
    # `== None` compiles to IS NULL: an undated transcript finds its undated statements.
    stmt = select(Statement).where(
        Statement.origin == TRANSCRIPT, Statement.source_title == first.source_title, Statement.date == first.date
    )
    statements = list(session.exec(stmt.order_by(Statement.id)).all())
    return statements if statements[0].id == transcript_id else []


def rank_transcript(session: Session, transcript_id: int) -> list[RankedStatement]:
    """The statements of one transcript (see `transcript_statements`), most check-worthy
    first, ties in spoken order."""
    statements = transcript_statements(session, transcript_id)
    scored = score_batch({"id": i, "text": s.text, "speaker": s.speaker_name} for i, s in enumerate(statements))
    ranked = [
        RankedStatement(statements[row["id"]], row["score"], row["kinds"], row["id"] + 1)
        for row in scored
    ]
    ranked.sort(key=lambda r: (-r.score, r.position))
    return ranked
