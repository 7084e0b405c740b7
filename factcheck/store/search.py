"""Candidate retrieval: which known statements are worth comparing with a quote or claim.

Matching scores a few dozen candidates closely; this module finds them through the
database's own full-text index, never by reading every statement. What to look up is
decided here; how is the engine's backend's (`store.backends`: SQLite's FTS5 tables,
PostgreSQL's tsvector GIN indexes, migrations 0002, 0003 and 0011).

- `candidate_ids` (quotes): a quoted fragment carries the statement's words, so any two
  of its rarest words (by `term_counts`) are looked up together; quotes of common words
  fall back on their pairs of consecutive words as phrases, then on any of their rarest
  words. Only a few short posting lists are read, whatever the size of the collection,
  and one changed word breaks only the combinations it is in. The statements found are
  ranked (on PostgreSQL, by all of the quote's rarest words), and only a bounded number
  of them (each backend's `RANKED_HITS`): in a library of common words, it costs no more.
- `claim_candidate_ids` (claims): a paraphrase shares fewer and commoner words, so all
  its search terms are used, over the statement text and its source title.
- `quote_ids_for_statements`: the stored quotes that share rare words with new
  statements, so that they can be matched again.
- `quotes_holding`, `claims_holding`, `joined_rows_holding`: the public index's search,
  on the full-text indexes of quotes and claims (migration 0013).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, TextualSelect
from sqlmodel import Session

from ..pipeline.text.stopwords import CLAIM_STOPWORDS, SEARCH_STOPWORDS
from ..pipeline.text.tokens import WORD
from .backends import backend_for

MAX_TERMS = 24
# How many of a quote's rarest words are looked up in the index.
RARE_TERMS = 8


def search_terms(text: str, stopwords: frozenset[str] = SEARCH_STOPWORDS) -> list[str]:
    """The distinct words of `text` that are worth searching for, longest first.

    Negations and `stopwords` are left out: the matcher, not the index, judges them.
    """
    words = Counter(w.casefold() for w in WORD.findall(text))
    terms = [w for w in words if w not in stopwords and (len(w) > 1 or w.isdigit())]
    if not terms:  # a quote made only of common words still needs candidates
        terms = list(words)
    terms.sort(key=len, reverse=True)
    return terms[:MAX_TERMS]


def statement_total(session: Session) -> int:
    """How many statements there are (an estimate on PostgreSQL for large tables)."""
    return backend_for(session).statement_total(session)


def term_counts(session: Session, terms: Iterable[str]) -> dict[str, float]:
    """How many statements hold each term (missing: none). Exact on SQLite (fts5vocab);
    on PostgreSQL estimated from ANALYZE's statistics (store.backends)."""
    terms = list(dict.fromkeys(terms))
    return backend_for(session).term_counts(session, terms) if terms else {}


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
    size = backend_for(session).library_size(session)
    rare, fairly_rare = (max(share * size, COMMON_FLOOR) for share in (RARE_SHARE, FAIRLY_RARE_SHARE))
    paired = _rare_enough(session, terms, rare)[:PAIRED_TERMS]
    if len(paired) < MIN_PAIRED_TERMS:
        paired = _rare_enough(session, terms, fairly_rare)[:MIN_PAIRED_TERMS]
    # A broader search only when the narrower found nothing: reading the posting lists
    # of the quote's common words would cost more than all the rest.
    return (
        _with_any_two(session, paired, limit, ranked_by=terms)
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


def _with_any_two(session: Session, terms: list[str], limit: int, ranked_by: list[str]) -> list[int]:
    """Statements holding at least two of `terms` (three or more: with two, a changed
    word would leave only statements that happen to hold the other), those holding more
    of them and of `ranked_by`, closer together, first.

    `ranked_by` are the quote's other words: too common to be looked up, they still tell
    its source from the many statements that share two fairly rare words with it."""
    if len(terms) < MIN_PAIRED_TERMS:
        return []
    return backend_for(session).statements_with_any_two(session, terms, limit, ranked_by)


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
    # The statements holding the cheapest (rarest) pair come first: when a common pair
    # makes the search find more statements than a backend ranks (RANKED_HITS), the
    # others are not ranked, and the rare pair's would be lost among them.
    backend = backend_for(session)
    found = backend.statements_with_phrases(session, pairs[:1], limit)
    if len(pairs) > 1 and len(found) < limit:
        found = list(dict.fromkeys(found + backend.statements_with_phrases(session, pairs, limit)))[:limit]
    return found


def _with_any(session: Session, terms: list[str], limit: int) -> list[int]:
    return backend_for(session).statements_with_any(session, terms, limit)


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


def claim_candidate_ids(session: Session, texts: Sequence[str], limit: int = 100) -> list[list[int]]:
    """For each claim of `texts`, the ids of the statements whose text or source title
    shares most words with it (the claims of an article are searched together).

    Only a claim's topic words are looked up (not `CLAIM_STOPWORDS`): statements that
    share nothing but "because" and "not" with a claim are no candidates, and a claim
    made of such words alone has none.
    """
    terms = [[t for t in search_terms(text, CLAIM_STOPWORDS) if t not in CLAIM_STOPWORDS] for text in texts]
    searched = [claim for claim in terms if claim]
    found = iter(backend_for(session).statements_for_claims(session, searched, limit) if searched else [])
    return [next(found) if claim else [] for claim in terms]


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
        found.update(dict.fromkeys(backend_for(session).quotes_with_any(session, terms, limit)))
    return list(found)


# --- the public search -------------------------------------------------------------------


def quotes_holding(session: Session, words: str) -> TextualSelect:
    """The ids of the quotes whose text and speaker's name hold, between them, every word of
    `words` (the beginning of a word is enough: "ferr" finds "ferries"), as a subquery."""
    return backend_for(session).rows_holding(session, "quote", _words(words))


def claims_holding(session: Session, words: str) -> TextualSelect:
    """The ids of the claims whose text holds every word of `words`, as a subquery."""
    return backend_for(session).rows_holding(session, "claim", _words(words))


def joined_rows_holding(session: Session, words: str, quote_id, claim_id) -> ColumnElement[bool]:
    """SQL for a query that outer-joins `quote` and `claim` on the columns `quote_id` and
    `claim_id` (the public index, on a verdict's): the quote or the claim holds every word
    of `words` (as `quotes_holding`, `claims_holding`)."""
    return backend_for(session).joined_rows_holding(session, _words(words), quote_id, claim_id)


def _words(words: str) -> list[str]:
    return list(dict.fromkeys(w.casefold() for w in WORD.findall(words)))[:MAX_TERMS]


# The full-text objects the migrations make beside the tables the models declare: SQLite's
# FTS5 tables (`statement_fts`, with their shadow tables `statement_fts_data` ...) and
# fts5vocab tables (`statement_vocab`); PostgreSQL's stored tsvector columns and GIN
# indexes (`text_tsv`, `ix_quote_tsv`).
_FULL_TEXT_TABLE = re.compile(r"\w+_(fts(_\w+)?|vocab)")


def full_text_object(name: str, kind: str) -> bool:
    """Whether the table, column or index `name` (`kind` as Alembic says it) is one of the
    full-text objects that only the migrations know of."""
    if kind == "table":
        return bool(_FULL_TEXT_TABLE.fullmatch(name))
    return kind in ("column", "index") and name.endswith("_tsv")
