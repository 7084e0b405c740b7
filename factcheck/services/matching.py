"""Matching quotes and claims against the stored statements.

Quotes: the index gives candidates (`store.search.candidate_ids`), the pipeline compares
them word by word. Claims: lexical candidates over statement text and source titles,
plus (unless FACTCHECK_SEMANTIC=0) the statements nearest in meaning by sentence
embeddings computed once at import (`services.embeddings`); a learned ranker
(`pipeline.matching.match_claim`) orders them.

Statements keep arriving after articles: `rematch_quotes_for_statements` re-matches the
stored quotes that new statements could affect (services.statements calls it after an
import).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from ..domain import ReviewStatus
from ..pipeline import matching
from ..pipeline.records import MatchResult
from ..pipeline.records import Statement as StatementRecord
from ..store.models import Article, Claim, Match, Quote, Statement
from ..store.search import (
    candidate_ids,
    claim_candidate_ids,
    quote_ids_for_statements,
    statement_total,
    term_counts,
)
from .embeddings import embedding_index
from .people import same_person_test

CANDIDATES = 50
CLAIM_CANDIDATES = 100
# Statements nearest in meaning added to a claim's lexical candidates (with the sentence encoder on).
DENSE_CANDIDATES = 100


def as_record(row: Statement) -> StatementRecord:
    return StatementRecord(text=row.text, speaker=row.speaker_name, date=row.date, ref=row.ref, id=row.id)


def _rows(session: Session, ids: Sequence[int]) -> list[Statement]:
    if not ids:
        return []
    rows = session.exec(select(Statement).where(col(Statement.id).in_(list(ids)))).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def candidates(session: Session, text: str, limit: int = CANDIDATES) -> list[StatementRecord]:
    """A quote's candidate statements, as the matcher's records (read without the ORM: fast)."""
    ids = candidate_ids(session, text, limit)
    if not ids:
        return []
    rows = session.exec(
        select(Statement.id, Statement.text, Statement.speaker_name, Statement.date, Statement.ref).where(
            col(Statement.id).in_(ids)
        )
    ).all()
    by_id = {
        sid: StatementRecord(text=text, speaker=speaker, date=date, ref=ref, id=sid)
        for sid, text, speaker, date, ref in rows
    }
    return [by_id[i] for i in ids if i in by_id]


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
    if mode == "claim":
        return match_claim_text(session, text, speaker=speaker, date=date, limit=limit)
    found = candidates(session, text)
    return matching.match_quote(
        text, found, speaker=speaker, date=date, window_days=window_days, limit=limit,
        same_speaker=same_person_test(session),
    )


def match_claim_text(
    session: Session,
    text: str,
    *,
    speaker: str | None = None,
    date: dt.date | None = None,
    limit: int = 5,
    semantic: bool | None = None,
) -> MatchResult:
    """Rank the stored statements (imported fact-checks, verified quotes) stating the same
    claim as `text`. `semantic=None` uses sentence embeddings when they are available."""
    records, evidence = claim_candidates(session, text, semantic=semantic)
    return matching.match_claim(
        text, records, limit=limit, speaker=speaker, date=date, evidence=evidence,
        document_counts=lambda terms: term_counts(session, terms), total=statement_total(session),
        same_speaker=same_person_test(session),
    )


def claim_candidates(
    session: Session, text: str, *, semantic: bool | None = None
) -> tuple[list[StatementRecord], dict[int, matching.ClaimEvidence]]:
    """A claim's candidate statements and what the ranker needs to know about each: the
    lexical candidates (text and title) and, with embeddings, the nearest in meaning."""
    ids = claim_candidate_ids(session, text, CLAIM_CANDIDATES)
    index = embedding_index(session)
    encoder = index.encoder if semantic is not False else None
    query_vector = None
    if encoder is not None and index.count(session, encoder.name):
        query_vector = encoder.encode([text])[0]
        ids = list(dict.fromkeys(ids + index.nearest(session, encoder.name, query_vector, DENSE_CANDIDATES)))
    rows = _rows(session, ids)
    evidence = {i: matching.ClaimEvidence(title=row.source_title) for i, row in enumerate(rows)}
    if query_vector is not None:
        vectors = index.vectors(session, encoder.name, [row.id for row in rows])
        for i, row in enumerate(rows):
            if row.id in vectors:
                evidence[i].similarity = float(vectors[row.id] @ query_vector)
    return [as_record(row) for row in rows], evidence


# --- storing matches -------------------------------------------------------------------


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


def rematch_quotes_for_statements(session: Session, statement_ids: Iterable[int], window_days: int = 30) -> list[int]:
    """Match again the stored quotes that new or changed statements could affect.

    An article ingested before its source was imported is flagged once the source
    arrives. Quotes already published are left alone. Whichever side is smaller drives
    the search: for a few statements, the quote index finds the quotes that share their
    rare words; for a large import into a small newsroom's quotes, each quote's own
    candidates are checked for the new statements. Returns the ids of the quotes
    re-matched.
    """
    wanted = set(statement_ids)
    if not wanted:
        return []
    open_quotes = select(Quote.id).where(Quote.status != ReviewStatus.PUBLISHED)
    quote_count = session.exec(select(func.count()).select_from(open_quotes.subquery())).one()
    if not quote_count:
        return []
    if len(wanted) <= quote_count:
        texts = [row.text for row in _rows(session, sorted(wanted))]
        quote_ids = set(quote_ids_for_statements(session, texts))
    else:
        quote_ids = set()
        for quote_id, text in session.exec(select(Quote.id, Quote.text).where(Quote.status != ReviewStatus.PUBLISHED)).all():
            if wanted.intersection(candidate_ids(session, text, CANDIDATES)):
                quote_ids.add(quote_id)
    if not quote_ids:
        return []
    rows = session.exec(
        select(Quote, Article.published)
        .join(Article, Article.id == Quote.article_id)
        .where(col(Quote.id).in_(sorted(quote_ids)), Quote.status != ReviewStatus.PUBLISHED)
        .order_by(Quote.id)
    ).all()
    for quote, published in rows:
        store_quote_matches(session, quote, published, window_days)
    return [quote.id for quote, _ in rows]

