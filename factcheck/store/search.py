"""Candidate retrieval: which known statements are worth comparing with a quote or claim.

Matching scores a few dozen candidates closely; this module finds them through the
database's own full-text index, never by reading every statement. Two backends sit
behind each function, chosen by the engine's dialect: SQLite's FTS5 tables and
PostgreSQL's tsvector GIN indexes (migrations 0002 and 0003).

- `candidate_ids` (quotes): a quoted fragment carries the statement's words in order,
  so its pairs of consecutive words, rarest first (by `term_counts`), are looked up as
  phrases; the statements holding its RARE_TERMS rarest words fill a short list. Only
  a few posting lists are read, whatever the size of the collection, and one changed
  word breaks only the pairs it is in.
- `claim_candidate_ids` (claims): a paraphrase shares fewer and commoner words, so all
  its search terms are used, over the statement text and its source title.
- `quote_ids_for_statements`: the stored quotes that share rare words with new
  statements, so that they can be matched again.
"""
from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import text as sql
from sqlmodel import Session

# Words too common to narrow the search; the ranking copes with the rest.
STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its"
    " me my no not of on or our she so that the their them they this to was we were what when"
    " which who will with would you your".split()
)
MAX_TERMS = 24
# How many of a quote's rarest words are looked up in the index.
RARE_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str) -> list[str]:
    """The distinct words of `text` that are worth searching for, longest first.

    Negations and stopwords are left out: the matcher, not the index, judges them.
    """
    words = Counter(w.casefold() for w in WORD.findall(text))
    terms = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    if not terms:  # a quote made only of common words still needs candidates
        terms = list(words)
    terms.sort(key=len, reverse=True)
    return terms[:MAX_TERMS]


def fold_term(term: str) -> str:
    """A term as SQLite's unicode61 tokenizer stores it (lower case, accents removed)."""
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
            " WHERE tablename = 'ix_statement_tsv' LIMIT 1"
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
    """Ids of the statements that share most of the quote's rarest words, best first.

    On SQLite the words must also stand together: the quote's pairs of consecutive
    words are looked up as phrases (`_near_pairs`), so that a quote made of common words
    still finds the one statement that has them in that order. The rarest words alone
    fill a short list.
    """
    terms = rarest_terms(session, text)
    if not terms:
        return []
    if _dialect(session) == "sqlite":
        rank = "bm25(statement_fts, 1.0, 0.0)"
        pairs = _near_pairs(session, text)
        found = _fts(session, "statement_fts", "text : (" + " OR ".join(pairs) + ")", limit, rank) if pairs else []
        if len(found) < MIN_PAIR_HITS:
            more = _fts(session, "statement_fts", "text : (" + _fts_or(terms) + ")", limit, rank)
            found = list(dict.fromkeys(found + more))[:limit]
        return found
    pairs = _word_pairs(session, text)
    found = _pg(session, "statement", "text", [], limit, query=" | ".join(f"{_pg_lexeme(a)} <-> {_pg_lexeme(b)}" for a, b in pairs)) if pairs else []
    if len(found) < MIN_PAIR_HITS:
        found = list(dict.fromkeys(found + _pg(session, "statement", "text", terms, limit)))[:limit]
    return found


# How many word pairs a quote is looked up by; with fewer hits than MIN_PAIR_HITS, the
# statements holding its rarest words fill the list.
MAX_PAIRS = 10
MIN_PAIR_HITS = 5


def _near_pairs(session: Session, text: str) -> list[str]:
    """The quote's pairs of consecutive words as FTS5 phrases, those of rarer words first.

    Stopwords stay inside pairs ("when muhibunai"), where they make a common word
    specific; pairs of two stopwords are left out. FTS5's bm25 weighs each phrase by how
    few statements hold it, so the statement holding most of the quote's rare pairs
    comes first, and one changed word breaks only the two pairs it is in.
    """
    return [f'"{_fts_escape(a)} {_fts_escape(b)}"' for a, b in _word_pairs(session, text)]


def _word_pairs(session: Session, text: str) -> list[tuple[str, str]]:
    words = [w.casefold() for w in WORD.findall(text)]
    pairs = [(a, b) for a, b in zip(words, words[1:]) if not (a in STOPWORDS and b in STOPWORDS)]
    if not pairs:
        return []
    counts = term_counts(session, {w for pair in pairs for w in pair})
    costs = {}
    for a, b in pairs:
        if counts.get(a, 0) and counts.get(b, 0):
            costs[(a, b)] = min(counts[a], counts[b])
    return sorted(costs, key=costs.get)[:MAX_PAIRS]


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
    by_text = _pg(session, "statement", "text", terms, limit)
    by_title = _pg(session, "statement", "coalesce(source_title, '')", terms, limit // 2)
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
            ids = _pg(session, "quote", "text", terms, limit)
        found.update(dict.fromkeys(ids))
    return list(found)


def _fts_or(terms: list[str]) -> str:
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _fts(session: Session, table: str, query: str, limit: int, rank: str) -> list[int]:
    rows = session.exec(
        sql(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY {rank} LIMIT :k"),
        params={"q": query, "k": limit},
    )
    return [row[0] for row in rows]


def _pg(session: Session, table: str, column: str, terms: list[str], limit: int, query: str | None = None) -> list[int]:
    rows = session.exec(
        sql(
            f"SELECT id FROM {table}, to_tsquery('simple', :q) AS q"
            f" WHERE to_tsvector('simple', {column}) @@ q"
            f" ORDER BY ts_rank(to_tsvector('simple', {column}), q) DESC LIMIT :k"
        ),
        params={"q": query or " | ".join(_pg_lexeme(t) for t in terms), "k": limit},
    )
    return [row[0] for row in rows]


def _pg_lexeme(term: str) -> str:
    # Quoted so that words such as "and" or "!" never reach the tsquery parser as operators.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
