"""Matching quotes and claims against the stored statements.

Quotes: the index gives candidates (`store.search.candidate_ids`), the pipeline compares
them word by word, and, when no single statement holds a quote whole, the runs of
consecutive statements around them in their source documents (`runs_around`). Claims:
lexical candidates over statement text and source titles, plus (unless
FACTCHECK_SEMANTIC=0) the statements nearest in meaning by sentence embeddings computed
once at import (`services.embeddings`); a learned ranker (`pipeline.claim_matching.match_claim`)
orders them.

Statements keep arriving after articles: `rematch_quotes_for_statements` re-matches the
stored quotes that new statements could affect (services.statements calls it after an
import).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, bindparam, func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from ..domain import ReviewStatus, SourceKind
from ..pipeline import claim_matching, matching
from ..pipeline.records import Match as MatchRecord
from ..pipeline.records import MatchResult
from ..pipeline.records import Statement as StatementRecord
from ..pipeline.text.sentences import split_sentences
from ..store.db import reading, session_scope
from ..store.models import Article, Claim, Match, Quote, SourceDocument, Statement
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
# How many statements before and after a candidate a quote may span into: at least this
# many, and as many as the quote has sentences (the index may have found only one of them).
RUN_REACH = 3
# How many quotes a re-match computes before it writes their matches.
REMATCH_BATCH = 100


def as_record(row) -> StatementRecord:
    """A statement row (or a row of its id, text, speaker_name, date and ref) as the matcher's record."""
    return StatementRecord(text=row.text, speaker=row.speaker_name, date=row.date, ref=row.ref, id=row.id)


def _rows(session: Session, ids: Sequence[int]) -> list[Statement]:
    if not ids:
        return []
    rows = session.exec(select(Statement).where(col(Statement.id).in_(list(ids)))).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


# How many statements one query reads at most (SQL's limits on bound parameters).
ROWS_PER_QUERY = 5000


def _candidate_rows(session: Session, ids: set[int]) -> dict[int, tuple[StatementRecord, str | None]]:
    """The statements `ids` as the matcher's records, with their source titles, by id
    (read without the ORM, fast: an article's claims have hundreds of candidates)."""
    wanted = sorted(ids)
    rows = {}
    for start in range(0, len(wanted), ROWS_PER_QUERY):
        rows.update((row.id, (as_record(row), row.source_title)) for row in session.exec(
            select(Statement.id, Statement.text, Statement.speaker_name, Statement.date, Statement.ref,
                   Statement.source_title).where(col(Statement.id).in_(wanted[start:start + ROWS_PER_QUERY]))
        ))
    return rows


def candidates(session: Session, texts: Sequence[str], limit: int = CANDIDATES) -> list[list[StatementRecord]]:
    """Each quote's candidate statements, as the matcher's records; the statements of all
    the quotes' candidates are read in one query."""
    found = [candidate_ids(session, text, limit) for text in texts]
    rows = _candidate_rows(session, {i for ids in found for i in ids})
    return [[rows[i][0] for i in ids if i in rows] for ids in found]


def runs_around(
    session: Session, statements: Sequence[StatementRecord], reach: int = RUN_REACH
) -> list[list[StatementRecord]]:
    """The runs of consecutive statements a quote of `statements` may span (CONTRACT.md).

    Only documents of imported records sharing a source (`SourceKind.STATEMENT`: the same
    `source_title` and date, or the same speaker and `source_url`, in import order) hold
    such runs. Around each statement, up to `reach` statements each side, stopping at
    another speaker's; runs that overlap are one. Each run is in document order and holds
    two statements or more.
    """
    ids = [s.id for s in statements if s.id is not None]
    if not ids:
        return []
    # Asked for every quote no statement holds whole: built once, run on the connection.
    places = [tuple(row) for row in session.connection().execute(_PLACES, {"ids": ids})]
    if not places:
        return []
    near = or_(*(
        and_(Statement.source_document_id == document,
             col(Statement.position).between(at - reach, at + reach))
        for document, at in places
    ))
    rows = session.exec(
        select(Statement.id, Statement.text, Statement.speaker_name, Statement.date, Statement.ref,
               Statement.source_document_id, Statement.position)
        .where(near).order_by(Statement.source_document_id, Statement.position)
    ).all()
    centres = set(places)
    runs: list[list[StatementRecord]] = []
    stretch: list = []  # rows of one document and one speaker at consecutive positions
    for row in rows:
        if stretch and not _follows(stretch[-1], row):
            runs.extend(_windows(stretch, centres, reach))
            stretch = []
        stretch.append(row)
    return runs + _windows(stretch, centres, reach)


def _follows(before, row) -> bool:
    """Whether `row` comes right after `before` in the same document, said by the same speaker."""
    return (row.source_document_id, row.position - 1, row.speaker_name) == (
        before.source_document_id, before.position, before.speaker_name)


_PLACES = (
    select(Statement.source_document_id, Statement.position)
    .join(SourceDocument, SourceDocument.id == Statement.source_document_id)
    .where(col(Statement.id).in_(bindparam("ids", expanding=True)), SourceDocument.kind == SourceKind.STATEMENT,
           col(Statement.position).is_not(None))
)


def _windows(stretch: list, centres: set[tuple[int, int]], reach: int) -> list[list[StatementRecord]]:
    """The parts of `stretch` (rows at consecutive positions) within `reach` of a centre,
    overlapping parts merged."""
    at = [i for i, row in enumerate(stretch) if (row.source_document_id, row.position) in centres]
    windows: list[list[int]] = []
    for i in at:
        lo, hi = max(0, i - reach), min(len(stretch), i + reach + 1)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return [
        [StatementRecord(text=text, speaker=speaker, date=date, ref=ref, id=sid)
         for sid, text, speaker, date, ref, _, _ in stretch[lo:hi]]
        for lo, hi in windows
        if hi - lo > 1
    ]


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
    return quote_matches(session, [(text, speaker, date)], limit=limit, window_days=window_days)[0]


def quote_matches(
    session: Session,
    quotes: Sequence[tuple[str, str | None, dt.date | None]],
    *,
    limit: int = 5,
    window_days: int = 30,
) -> list[MatchResult]:
    """Each (text, speaker, date) quote's matches (an article's quotes, their candidates
    read together), as `match_text` gives them and `keep_quote_matches` stores them."""
    found = candidates(session, [text for text, _, _ in quotes])
    same_speaker = same_person_test(session)
    results = []
    for (text, speaker, date), statements in zip(quotes, found):
        reach = max(RUN_REACH, len(split_sentences(text)))
        results.append(matching.match_quote(
            text, statements, speaker=speaker, date=date, window_days=window_days, limit=limit,
            same_speaker=same_speaker, around=lambda shortlist, reach=reach: runs_around(session, shortlist, reach),
        ))
    return results


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
    return match_claim_texts(session, [text], speaker=speaker, date=date, limit=limit, semantic=semantic)[0]


def match_claim_texts(
    session: Session,
    texts: Sequence[str],
    *,
    speaker: str | None = None,
    date: dt.date | None = None,
    limit: int = 5,
    semantic: bool | None = None,
) -> list[MatchResult]:
    """`match_claim_text` for each of `texts` (an article's claims), their candidates read
    together: the claims of one article share many of them."""
    found = claim_candidates(session, texts, semantic=semantic)
    total = statement_total(session)
    same_speaker = same_person_test(session)
    return [
        claim_matching.match_claim(
            text, records, limit=limit, speaker=speaker, date=date, evidence=evidence,
            document_counts=lambda terms: term_counts(session, terms), total=total, same_speaker=same_speaker,
        )
        for text, (records, evidence) in zip(texts, found)
    ]


def claim_candidates(
    session: Session, texts: Sequence[str], *, semantic: bool | None = None
) -> list[tuple[list[StatementRecord], dict[int, claim_matching.ClaimEvidence]]]:
    """Each claim's candidate statements and what the ranker needs to know about each: the
    lexical candidates (text and title) and, with embeddings, the nearest in meaning. The
    claims are encoded in one call, and the statements of all their candidates read at once."""
    found = claim_candidate_ids(session, texts, CLAIM_CANDIDATES)
    index = embedding_index(session)
    encoder = index.encoder if semantic is not False else None
    query_vectors = None
    if encoder is not None and texts and index.has_vectors(session, encoder.name):
        query_vectors = encoder.encode(list(texts))
        found = [list(dict.fromkeys(ids + index.nearest(session, encoder.name, vector, DENSE_CANDIDATES)))
                 for ids, vector in zip(found, query_vectors)]
    rows = _candidate_rows(session, {i for ids in found for i in ids})
    vectors = index.vectors(session, encoder.name, list(rows)) if query_vectors is not None else {}
    out = []
    for n, ids in enumerate(found):
        kept = [rows[i] for i in ids if i in rows]
        evidence = {i: claim_matching.ClaimEvidence(title=title) for i, (_, title) in enumerate(kept)}
        if query_vectors is not None:
            for i, (record, _) in enumerate(kept):
                if record.id in vectors:
                    evidence[i].similarity = float(vectors[record.id] @ query_vectors[n])
        out.append(([record for record, _ in kept], evidence))
    return out


# --- storing matches -------------------------------------------------------------------


def claim_matches(session: Session, texts: Sequence[str]) -> list[MatchResult]:
    """Each claim's `same` and `related` matches, as `keep_claim_matches` stores them
    (reading only). Candidates labelled `none` are left out: the review page and the desk
    show stored matches as what was checked before, and a claim repeating nothing would
    keep three rows of unrelated statements."""
    return [MatchResult(result.label, [m for m in result.matches if m.label != "none"])
            for result in match_claim_texts(session, texts, limit=3)]


def keep_quote_matches(session: Session, quote: Quote, result: MatchResult) -> None:
    """Store a quote's matches, replacing earlier ones, and its label and flags."""
    session.exec(delete(Match).where(Match.quote_id == quote.id))
    session.add_all(match_rows(result, quote_id=quote.id))
    label_quote(quote, result)
    session.add(quote)


def keep_claim_matches(session: Session, claim: Claim, result: MatchResult) -> None:
    """Store a claim's matches, replacing earlier ones, and its label."""
    session.exec(delete(Match).where(Match.claim_id == claim.id))
    session.add_all(match_rows(result, claim_id=claim.id))
    claim.label = result.label
    session.add(claim)


def label_quote(quote: Quote, result: MatchResult) -> None:
    """Copy a quote's best match's label and flags onto the quote (`Quote.label`)."""
    quote.label = result.label
    quote.flags = result.matches[0].flags if result.matches else []


def match_rows(result: MatchResult, **target: int) -> list[Match]:
    """The rows storing `result`'s matches for `target` (quote_id= or claim_id=), best first."""
    return [
        Match(
            statement_id=m.statement.id, statement_ids=[s.id for s in m.statements], rank=rank,
            score=m.score, label=m.label, flags=list(m.flags), diff=stored_diff(m), reasons=list(m.reasons),
            matcher_version=matching.MATCHER_VERSION, **target,
        )
        for rank, m in enumerate(result.matches, start=1)
    ]


def stored_diff(match: MatchRecord) -> list[list[str]]:
    """A match's diff as stored (`Match.diff`): the contract's ops, an equal run followed by
    the quote's own writing of it where that differs (’ for ', — for -), for the review page."""
    out = []
    for op, written in zip(match.diff, match.written or [None] * len(match.diff)):
        out.append([*op, written] if op[0] == "equal" and written is not None and written != op[1] else list(op))
    return out


def rematch_quotes_for_statements(engine: Engine, statement_ids: Iterable[int], window_days: int = 30) -> list[int]:
    """Match again the stored quotes that new or changed statements could affect.

    An article ingested before its source was imported is flagged once the source
    arrives. Quotes already published are left alone. Whichever side is smaller drives
    the search: for a few statements, the quote index finds the quotes that share their
    rare words; for a large import into a small newsroom's quotes, each quote's own
    candidates are checked for the new statements. The quotes are matched
    `REMATCH_BATCH` at a time, reading, then written in a short transaction. Returns the
    ids of the quotes re-matched.
    """
    wanted = set(statement_ids)
    if not wanted:
        return []
    with reading(engine) as session:
        quote_ids = _quotes_to_rematch(session, wanted)
    done = []
    for start in range(0, len(quote_ids), REMATCH_BATCH):
        with reading(engine) as session:
            rows = session.exec(
                select(Quote.id, Quote.text, Quote.speaker_name, Article.published)
                .join(Article, Article.id == Quote.article_id)
                .where(col(Quote.id).in_(quote_ids[start:start + REMATCH_BATCH]), Quote.status != ReviewStatus.PUBLISHED)
                .order_by(Quote.id)
            ).all()
            matched = quote_matches(session, [row[1:] for row in rows], window_days=window_days)
            results = {row[0]: result for row, result in zip(rows, matched)}
        with session_scope(engine) as session:
            for quote in session.exec(select(Quote).where(col(Quote.id).in_(list(results)))):
                if quote.status != ReviewStatus.PUBLISHED:  # published while this one was matching
                    keep_quote_matches(session, quote, results[quote.id])
                    done.append(quote.id)
    return sorted(done)


def _quotes_to_rematch(session: Session, wanted: set[int]) -> list[int]:
    """The ids of the open quotes the statements `wanted` could be the source of."""
    open_quotes = select(Quote.id).where(Quote.status != ReviewStatus.PUBLISHED)
    quote_count = session.exec(select(func.count()).select_from(open_quotes.subquery())).one()
    if not quote_count:
        return []
    if len(wanted) <= quote_count:
        texts = [row.text for row in _rows(session, sorted(wanted))]
        return sorted(set(quote_ids_for_statements(session, texts)))
    return sorted(
        quote_id
        for quote_id, text in session.exec(select(Quote.id, Quote.text).where(Quote.status != ReviewStatus.PUBLISHED)).all()
        if wanted.intersection(candidate_ids(session, text, CANDIDATES))
    )
