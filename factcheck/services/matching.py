"""Matching quotes and claims against the stored statements."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, delete, select

from ..pipeline import matching
from ..pipeline.records import MatchResult
from ..pipeline.records import Statement as StatementRecord
from ..store.models import Claim, Match, Quote, Statement
from ..store.search import candidate_ids
from .people import same_person_test

CANDIDATES = 50


def as_record(row: Statement) -> StatementRecord:
    return StatementRecord(text=row.text, speaker=row.speaker_name, date=row.date, ref=row.ref, id=row.id)


def candidates(session: Session, text: str, limit: int = CANDIDATES) -> list[StatementRecord]:
    ids = candidate_ids(session, text, limit)
    if not ids:
        return []
    rows = session.exec(select(Statement).where(col(Statement.id).in_(ids))).all()
    by_id = {row.id: row for row in rows}
    return [as_record(by_id[i]) for i in ids if i in by_id]


def match_text(
    session: Session,
    text: str,
    *,
    speaker: str | None = None,
    date: dt.date | None = None,
    mode: str = "quote",
    limit: int = 5,
    window_days: int = 30,
) -> MatchResult:
    """Match a quote (or, with mode="claim", a claim) against the known statements."""
    found = candidates(session, text)
    if mode == "claim":
        return matching.match_claim(text, found, limit=limit)
    return matching.match_quote(
        text, found, speaker=speaker, date=date, window_days=window_days, limit=limit,
        same_speaker=same_person_test(session),
    )


def store_quote_matches(session: Session, quote: Quote, date: dt.date | None, window_days: int = 30) -> None:
    """Match one stored quote and keep its matches (replacing earlier ones)."""
    result = match_text(session, quote.text, speaker=quote.speaker_name, date=date, window_days=window_days)
    session.exec(delete(Match).where(Match.quote_id == quote.id))
    _store(session, result, quote_id=quote.id)
    quote.label = result.label
    quote.flags = result.matches[0].flags if result.matches else []
    session.add(quote)


def store_claim_matches(session: Session, claim: Claim) -> None:
    result = match_text(session, claim.text, mode="claim", limit=3)
    session.exec(delete(Match).where(Match.claim_id == claim.id))
    _store(session, result, claim_id=claim.id)
    claim.label = result.label
    session.add(claim)


def _store(session: Session, result: MatchResult, **target: int) -> None:
    for rank, m in enumerate(result.matches, start=1):
        session.add(
            Match(
                statement_id=m.statement.id, rank=rank, score=m.score, label=m.label,
                flags=list(m.flags), diff=[list(op) for op in m.diff], reasons=list(m.reasons),
                matcher_version=matching.MATCHER_VERSION, **target,
            )
        )
