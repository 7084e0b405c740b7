"""Imported transcripts, and the sentences of a transcript ranked by check-worthiness.

A transcript is a source document of kind transcript (one imported speaker-labelled file,
`services.sources`), named in addresses by its id; its statements keep their spoken order
(`Statement.position`). Its turns are the statements without a context: the importer also
stores a long turn's sentences, each with its turn as context (`services.statements`).

A turn holds anything from "Thank you." to a run of figures, so the ranking is by sentence:
every turn is split into sentences (`pipeline.text.sentences`), each scored by the
check-worthiness model and shown inside its turn. Sentences are scored when asked, so a
better scorer ranks old transcripts too without a re-import.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, nulls_last
from sqlmodel import Session, col, select

from ..domain import SourceKind
from ..pipeline.checkworthy import assess
from ..pipeline.text.sentences import split_sentences
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
class RankedSentence:
    """One sentence of a turn, `turn.text[start:end]`, with the scorer's verdict on it."""

    turn: TranscriptStatement
    start: int
    end: int
    score: float  # 0-1, ranks
    checkworthy: bool  # the scorer's own decision
    kinds: list[str]

    @property
    def text(self) -> str:
        return self.turn.text[self.start:self.end]

    @property
    def before(self) -> str:
        """The turn's words before this sentence (its context, with `after`)."""
        return self.turn.text[:self.start]

    @property
    def after(self) -> str:
        return self.turn.text[self.end:]

    @property
    def position(self) -> int:
        """Its turn's place in the transcript, 1 for the first statement."""
        return self.turn.position


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


def transcript_statements(session: Session, transcript_id: int, turns_only: bool = False) -> list[TranscriptStatement]:
    """The statements of one transcript in spoken order (with `turns_only`, its turns
    without the sentences stored apart from long ones); empty when there is no such
    transcript."""
    stmt = (select(Statement.id, Statement.ref, Statement.text, Statement.speaker_name, Statement.position)
            .join(SourceDocument, SourceDocument.id == Statement.source_document_id)
            .where(Statement.source_document_id == transcript_id, SourceDocument.kind == SourceKind.TRANSCRIPT)
            .order_by(Statement.position))
    if turns_only:
        stmt = stmt.where(col(Statement.context).is_(None))
    return [TranscriptStatement(*row) for row in session.exec(stmt)]


def rank_transcript(session: Session, transcript_id: int) -> list[RankedSentence]:
    """Every sentence of every turn of one transcript, most check-worthy first, ties in
    spoken order; empty when there is no such transcript."""
    ranked = []
    for turn in transcript_statements(session, transcript_id, turns_only=True):
        for start, end in split_sentences(turn.text):
            judged = assess(turn.text[start:end])
            ranked.append(RankedSentence(turn, start, end, judged.score, judged.checkworthy, judged.kinds))
    ranked.sort(key=lambda r: (-r.score, r.position, r.start))
    return ranked
