"""Candidate retrieval: which known statements are worth comparing with a quote.

Matching scores a few dozen candidates closely; this module finds them through the
database's own full-text index, never by reading every statement. Two backends sit
behind `candidate_ids`: SQLite's FTS5 table and PostgreSQL's tsvector GIN index (both
made by migration 0002), chosen by the engine's dialect.
"""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import text as sql
from sqlmodel import Session

# Words too common to narrow the search; the ranking copes with the rest.
STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its"
    " me my no not of on or our she so that the their them they this to was we were what when"
    " which who will with would you your".split()
)
MAX_TERMS = 24
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


def candidate_ids(session: Session, text: str, limit: int = 50) -> list[int]:
    """Ids of the statements that share most (rarest) words with `text`, best first."""
    terms = search_terms(text)
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = session.exec(
            sql("SELECT rowid FROM statement_fts WHERE statement_fts MATCH :q ORDER BY bm25(statement_fts) LIMIT :k"),
            params={"q": query, "k": limit},
        )
    else:
        rows = session.exec(
            sql(
                "SELECT id FROM statement, to_tsquery('simple', :q) AS q"
                " WHERE to_tsvector('simple', text) @@ q"
                " ORDER BY ts_rank(to_tsvector('simple', text), q) DESC LIMIT :k"
            ),
            params={"q": " | ".join(_pg_lexeme(t) for t in terms), "k": limit},
        )
    return [row[0] for row in rows]


def _pg_lexeme(term: str) -> str:
    # Quoted so that words such as "and" or "!" never reach the tsquery parser as operators.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
