"""Candidate retrieval: which known statements are worth comparing with a quote or claim.

Matching scores a few dozen candidates closely; this module finds them through the
database's own full-text index, never by reading every statement. Two backends sit
behind each function, chosen by the engine's dialect: SQLite's FTS5 tables and
PostgreSQL's tsvector GIN indexes (migrations 0002, 0003 and 0011).

- `candidate_ids` (quotes): a quoted fragment carries the statement's words, so any two
  of its rarest words (by `term_counts`) are looked up together; quotes of common words
  fall back on their pairs of consecutive words as phrases, then on any of their rarest
  words. Only a few short posting lists are read, whatever the size of the collection,
  and one changed word breaks only the combinations it is in.
- `claim_candidate_ids` (claims): a paraphrase shares fewer and commoner words, so all
  its search terms are used, over the statement text and its source title.
- `quote_ids_for_statements`: the stored quotes that share rare words with new
  statements, so that they can be matched again.
"""
from __future__ import annotations

import time
from collections import Counter
from itertools import combinations
from collections.abc import Iterable

from sqlalchemy import text as sql
from sqlmodel import Session

from ..pipeline.text.folding import strip_accents
from ..pipeline.text.stopwords import SEARCH_STOPWORDS
from ..pipeline.text.tokens import WORD

MAX_TERMS = 24
# How many of a quote's rarest words are looked up in the index.
RARE_TERMS = 8


def search_terms(text: str) -> list[str]:
    """The distinct words of `text` that are worth searching for, longest first.

    Negations and stopwords are left out: the matcher, not the index, judges them.
    """
    words = Counter(w.casefold() for w in WORD.findall(text))
    terms = [w for w in words if w not in SEARCH_STOPWORDS and (len(w) > 1 or w.isdigit())]
    if not terms:  # a quote made only of common words still needs candidates
        terms = list(words)
    terms.sort(key=len, reverse=True)
    return terms[:MAX_TERMS]


def fold_term(term: str) -> str:
    """A term as SQLite's unicode61 tokenizer stores it (lower case, accents removed)."""
    return strip_accents(term.casefold())


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# --- term statistics ------------------------------------------------------------------

# PostgreSQL's estimates, per database URL: (time read, total rows, {lexeme: frequency}, floor).
_PG_STATS: dict[str, tuple[float, float, dict[str, float], float]] = {}
PG_STATS_TTL = 300.0
# SQLite's document counts, per database URL, as last read. They only order a quote's
# words by rarity, so counts a few imports old do no harm; imports clear them.
_SQLITE_COUNTS: dict[str, dict[str, int]] = {}


def statement_total(session: Session) -> int:
    """How many statements there are (an estimate on PostgreSQL for large tables)."""
    if _dialect(session) == "sqlite":
        return int(session.exec(sql("SELECT count(*) FROM statement")).one()[0])
    return int(_pg_stats(session)[1])


def term_counts(session: Session, terms: Iterable[str]) -> dict[str, float]:
    """How many statements hold each term (missing: none). Exact on SQLite (fts5vocab);
    on PostgreSQL estimated from ANALYZE's most common lexemes of the text index, a term
    not among them counting as rarer than the rarest of them."""
    terms = list(dict.fromkeys(terms))
    if not terms:
        return {}
    if _dialect(session) == "sqlite":
        folded = {t: fold_term(t) for t in terms}
        cache = _SQLITE_COUNTS.setdefault(str(session.get_bind().url), {})
        missing = sorted({f for f in folded.values() if f not in cache})
        if missing:
            if len(cache) > 200_000:
                cache.clear()
            params = {f"t{i}": f for i, f in enumerate(missing)}
            rows = session.exec(
                sql(f"SELECT term, doc FROM statement_vocab WHERE term IN ({', '.join(':' + k for k in params)})"),
                params=params,
            )
            # Only words found are kept: a word absent now may be imported by another process.
            cache.update({term: doc for term, doc in rows})
        return {t: float(cache[folded[t]]) for t in terms if cache.get(folded[t])}
    _, total, freqs, floor = _pg_stats(session)
    # The statistics cannot tell a rare term from an absent one: every term counts as held.
    return {t: max(freqs[t] * total if t in freqs else floor * total, 1.0) for t in terms}


def _pg_stats(session: Session) -> tuple[float, float, dict[str, float], float]:
    key = str(session.get_bind().url)
    cached = _PG_STATS.get(key)
    # Small tables change fast relative to their size and are cheap to look at again.
    if cached and cached[1] >= 1000 and time.monotonic() - cached[0] < PG_STATS_TTL:
        return cached
    total = session.exec(sql("SELECT greatest(reltuples, 0) FROM pg_class WHERE relname = 'statement'")).one()[0] or 0
    if total < 1000:  # never analysed, or small: count
        total = session.exec(sql("SELECT count(*) FROM statement")).one()[0]
    row = session.exec(
        sql(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = 'statement' AND attname = 'text_tsv' LIMIT 1"
        )
    ).first()
    freqs: dict[str, float] = {}
    floor = 0.5 / max(total, 1)
    if row and row[0]:
        elems, values = row[0], row[1]
        freqs = dict(zip(elems, values))
        floor = min(values[: len(elems)]) / 2
    stats = (time.monotonic(), float(total), freqs, floor)
    _PG_STATS[key] = stats
    return stats


def forget_statistics() -> None:
    """Drop cached term statistics (after an import)."""
    _PG_STATS.clear()
    _SQLITE_COUNTS.clear()


def rarest_terms(session: Session, text: str, k: int = RARE_TERMS) -> list[str]:
    """The k search terms of `text` held by the fewest statements (held by at least one)."""
    terms = search_terms(text)
    counts = term_counts(session, terms)
    found = [t for t in terms if counts.get(t, 0) > 0]
    found.sort(key=lambda t: (counts[t], -len(t)))
    return found[:k]


# --- candidates -----------------------------------------------------------------------


def candidate_ids(session: Session, text: str, limit: int = 50) -> list[int]:
    """Ids of the statements that hold the quote's rarest words, best first.

    A quote's source holds every word of it but the few that were changed, so any two of
    its rarest words are looked up together (`_with_any_two`): with three or more, one
    changed word leaves a pair intact. Only words held by at most 1% of the statements
    are paired, or, when fewer than three are that rare, the three rarest held by at
    most 10%: a common word's posting list costs more to read than it narrows the
    search. Failing that, the quote's pairs of consecutive words are looked up as
    phrases (`_with_word_pairs`), of words held by at most 10% of the statements, then
    of any; then the statements holding any of its rarest words.
    """
    terms = rarest_terms(session, text)
    if not terms:
        return []
    size = _library_size(session)
    rare, fairly_rare = (max(share * size, COMMON_FLOOR) for share in (RARE_SHARE, FAIRLY_RARE_SHARE))
    paired = _rare_enough(session, terms, rare)[:PAIRED_TERMS]
    if len(paired) < MIN_PAIRED_TERMS:
        paired = _rare_enough(session, terms, fairly_rare)[:MIN_PAIRED_TERMS]
    # A broader search only when the narrower found nothing: reading the posting lists
    # of the quote's common words would cost more than all the rest.
    return (
        _with_any_two(session, paired, limit)
        or _with_word_pairs(session, text, limit, max_count=fairly_rare)
        or _with_word_pairs(session, text, limit, max_pairs=COMMON_PAIRS)
        or _with_any(session, terms, limit)
    )


# How many of a quote's rarest words are paired (at most, at least); how many word pairs
# (phrases) a quote is looked up by, and how many when they hold common words (each
# costs two long posting lists; a changed word breaks two pairs at most).
PAIRED_TERMS = 4
MIN_PAIRED_TERMS = 3
MAX_PAIRS = 10
COMMON_PAIRS = 4
# The shares of the statements that a rare and a fairly rare word are held by at most;
# in a small library, any word held by COMMON_FLOOR statements or fewer is rare.
RARE_SHARE = 0.01
FAIRLY_RARE_SHARE = 0.1
COMMON_FLOOR = 100


def _rare_enough(session: Session, terms: list[str], max_count: float) -> list[str]:
    """The terms held by at most `max_count` statements, in order."""
    counts = term_counts(session, terms)
    return [t for t in terms if counts.get(t, 0) <= max_count]


def _library_size(session: Session) -> float:
    """About how many statements there are, without counting them: on SQLite the highest
    id (as many as were ever added, read from one index entry where count(*) would read
    every row), on PostgreSQL the cached estimate (no round trip to the server)."""
    if _dialect(session) == "sqlite":
        return session.exec(sql("SELECT coalesce(max(id), 0) FROM statement")).one()[0]
    return _pg_stats(session)[1]


def _with_any_two(session: Session, terms: list[str], limit: int) -> list[int]:
    """Statements holding at least two of `terms` (three or more: with two, a changed
    word would leave only statements that happen to hold the other), those holding more
    of them, closer together, first."""
    if len(terms) < MIN_PAIRED_TERMS:
        return []
    if _dialect(session) == "sqlite":
        clauses = [f"({_fts_phrase(a)} AND {_fts_phrase(b)})" for a, b in combinations(terms, 2)]
        return _fts(session, "statement_fts", "text : (" + " OR ".join(clauses) + ")", limit, QUOTE_RANK)
    clauses = [f"({_pg_lexeme(a)} & {_pg_lexeme(b)})" for a, b in combinations(terms, 2)]
    return _pg(session, "statement", STATEMENT_TEXT, " | ".join(clauses), limit, PG_QUOTE_RANK)


def _with_word_pairs(
    session: Session, text: str, limit: int, max_count: float | None = None, max_pairs: int = MAX_PAIRS
) -> list[int]:
    """Statements holding the quote's `max_pairs` cheapest pairs of consecutive words side
    by side (only pairs of words held by at most `max_count` statements, when given).

    Stopwords stay inside pairs ("when muhibunai"), where they make a common word
    specific; pairs of two stopwords are left out. The statements holding the most pairs
    come first, and one changed word breaks only the two pairs it is in.
    """
    pairs = _word_pairs(session, text, max_count)[:max_pairs]
    if not pairs:
        return []
    if _dialect(session) == "sqlite":
        phrases = [f'"{_fts_escape(a)} {_fts_escape(b)}"' for a, b in pairs]
        return _fts(session, "statement_fts", "text : (" + " OR ".join(phrases) + ")", limit, QUOTE_RANK)
    query = " | ".join(f"{_pg_lexeme(a)} <-> {_pg_lexeme(b)}" for a, b in pairs)
    return _pg(session, "statement", STATEMENT_TEXT, query, limit, PG_QUOTE_RANK)


def _with_any(session: Session, terms: list[str], limit: int) -> list[int]:
    if _dialect(session) == "sqlite":
        return _fts(session, "statement_fts", "text : (" + _fts_or(terms) + ")", limit, QUOTE_RANK)
    return _pg(session, "statement", STATEMENT_TEXT, _pg_or(terms), limit, PG_QUOTE_RANK)


def _word_pairs(session: Session, text: str, max_count: float | None = None) -> list[tuple[str, str]]:
    """The quote's pairs of consecutive words (not both stopwords) that the index holds,
    cheapest first: a phrase costs the posting lists of both its words."""
    words = [w.casefold() for w in WORD.findall(text)]
    pairs = [(a, b) for a, b in zip(words, words[1:]) if not (a in SEARCH_STOPWORDS and b in SEARCH_STOPWORDS)]
    if not pairs:
        return []
    counts = term_counts(session, {w for pair in pairs for w in pair})
    ceiling = float("inf") if max_count is None else max_count
    costs = {}
    for a, b in pairs:
        if 0 < counts.get(a, 0) <= ceiling and 0 < counts.get(b, 0) <= ceiling:
            costs[(a, b)] = counts[a] + counts[b]
    return sorted(costs, key=costs.get)


def _fts_escape(term: str) -> str:
    return term.replace('"', '""')


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def claim_candidate_ids(session: Session, text: str, limit: int = 100) -> list[int]:
    """Ids of the statements whose text or source title shares most words with a claim."""
    terms = search_terms(text)
    if not terms:
        return []
    if _dialect(session) == "sqlite":
        return _fts(session, "statement_fts", _fts_or(terms), limit, "bm25(statement_fts, 1.0, 0.5)")
    by_text = _pg(session, "statement", STATEMENT_TEXT, _pg_or(terms), limit)
    by_title = _pg(session, "statement", STATEMENT_TITLE, _pg_or(terms), limit // 2)
    return list(dict.fromkeys(by_text + by_title))[:limit]


def quote_ids_for_statements(session: Session, texts: Iterable[str], limit: int = 200) -> list[int]:
    """Ids of stored quotes that share rare words with any of `texts` (new statements).

    Each text contributes its rarest words (by the statement index's counts); a quote
    that a new statement could match holds some of them.
    """
    found: dict[int, None] = {}
    for text in texts:
        terms = rarest_terms(session, text, k=4)
        if not terms:
            continue
        if _dialect(session) == "sqlite":
            ids = _fts(session, "quote_fts", _fts_or(terms), limit, "bm25(quote_fts)")
        else:
            ids = _pg(session, "quote", QUOTE_TEXT, _pg_or(terms), limit)
        found.update(dict.fromkeys(ids))
    return list(found)


def _fts_or(terms: list[str]) -> str:
    return " OR ".join(_fts_phrase(t) for t in terms)


def _fts(session: Session, table: str, query: str, limit: int, rank: str) -> list[int]:
    rows = session.exec(
        sql(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY {rank} LIMIT :k"),
        params={"q": query, "k": limit},
    )
    return [row[0] for row in rows]


# The tsvectors the GIN indexes hold: statement text's is stored (migration 0011), so
# ranking reads it instead of parsing the text again; the others are indexed expressions.
STATEMENT_TEXT = "text_tsv"
STATEMENT_TITLE = "to_tsvector('simple', coalesce(source_title, ''))"
QUOTE_TEXT = "to_tsvector('simple', text)"
# How quote candidates are ranked: FTS5's bm25 over statement text only (the title
# column weighs nothing for quotes); PostgreSQL's cover density, which puts first the
# statements holding the quote's words close together, and counts word pairs (phrases)
# where ts_rank would see single words only.
QUOTE_RANK = "bm25(statement_fts, 1.0, 0.0)"
PG_QUOTE_RANK = "ts_rank_cd"


def _pg(session: Session, table: str, vector: str, query: str, limit: int, rank: str = "ts_rank") -> list[int]:
    rows = session.exec(
        sql(
            f"SELECT id FROM {table}, to_tsquery('simple', :q) AS q"
            f" WHERE {vector} @@ q ORDER BY {rank}({vector}, q) DESC LIMIT :k"
        ),
        params={"q": query, "k": limit},
    )
    return [row[0] for row in rows]


def _pg_or(terms: list[str]) -> str:
    return " | ".join(_pg_lexeme(t) for t in terms)


def _pg_lexeme(term: str) -> str:
    # Quoted so that words such as "and" or "!" never reach the tsquery parser as operators.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
