"""What differs between the two databases, behind one interface chosen once per engine.

`backend_for(session or engine)` gives the engine's `Backend`: `SQLiteBackend` (FTS5
tables, the fts5vocab counts, plain INSERTs) or `PostgresBackend` (tsvector GIN indexes,
ANALYZE's statistics, COPY). The rest of the code asks the backend and never looks at the
dialect's name: the candidate searches of `store.search`, the bulk loading of
`services.statements`, the public search's text matching, and backups (`store.backup`).

Each backend keeps the term statistics of its database (they only order a quote's words
by rarity, so statistics a little old do no harm; an import forgets them).
"""
from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from itertools import combinations
from pathlib import Path
from typing import Protocol

from sqlalchemy import ColumnElement, Integer, TextualSelect, event, insert, or_
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from ..pipeline.text.folding import strip_accents
from .backup import pg_backup, pg_restore, pg_revision, sqlite_backup, sqlite_restore, sqlite_revision
from .models import Statement


class Backend(Protocol):
    """The database-specific half of search and bulk loading. Every search gives ids, best first."""

    def prepare_engine(self, engine: Engine) -> None:
        """Set up a new engine's connections."""

    def migrating(self, conn: Connection) -> AbstractContextManager:
        """Around a migration's transaction on `conn`: what the database needs for it."""

    def check_migration(self, conn: Connection) -> None:
        """Before a migration commits: refuse one that left the data inconsistent."""

    # --- term statistics
    def term_counts(self, session: Session, terms: list[str]) -> dict[str, float]:
        """How many statements hold each term (missing: none)."""

    def statement_total(self, session: Session) -> int:
        """How many statements there are (may be an estimate)."""

    def library_size(self, session: Session) -> float:
        """About how many statements there are, as cheaply as can be known."""

    def forget_statistics(self) -> None:
        """Drop the cached term statistics (after an import)."""

    # --- full-text searches
    def statements_with_any_two(self, session: Session, terms: list[str], limit: int,
                                ranked_by: list[str] = ()) -> list[int]:
        """Statements holding at least two of `terms`, those holding more of `terms` (and of
        `ranked_by`, words that may rank the statements found but do not find them),
        closer together, first."""

    def statements_with_phrases(self, session: Session, pairs: list[tuple[str, str]], limit: int) -> list[int]:
        """Statements holding any of the word pairs side by side, those holding most first."""

    def statements_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        """Statements holding any of `terms`, ranked as quote candidates."""

    def statements_for_claims(self, session: Session, terms: list[list[str]], limit: int) -> list[list[int]]:
        """For each claim's terms, the statements whose text or source title shares most of them."""

    def quotes_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        """Stored quotes holding any of `terms`."""

    # --- the public search
    def rows_holding(self, session: Session, table: str, terms: list[str]) -> TextualSelect:
        """The ids of the rows of `table` ("quote" or "claim") whose searched text holds every
        term (a word's beginning is enough), as a subquery."""

    def joined_rows_holding(self, session: Session, terms: list[str], quote_id, claim_id) -> ColumnElement[bool]:
        """For a query outer-joining `quote` and `claim` on `quote_id` and `claim_id`: the
        quote or the claim holds every term."""

    # --- bulk loading of statements, a batch per transaction
    def prepare_bulk_writes(self, session: Session) -> None:
        """At the start of a batch's transaction."""

    def insert_statements(self, session: Session, rows: list[dict]) -> None:
        """Insert new statement rows (dicts of column values, all with the same keys)."""

    def finish_bulk_writes(self, session: Session) -> None:
        """After the last batch: leave the indexes ready to search."""

    def refresh_statistics(self, engine: Engine) -> None:
        """After a committed import that added or changed statements."""

    # --- backups
    def backup(self, engine: Engine, path: Path) -> None:
        """Write a consistent copy of the database to `path`, while others write to it."""

    def backup_revision(self, path: Path) -> str:
        """The schema revision of the backup at `path` (InputError if it is not one)."""

    def restore(self, engine: Engine, path: Path) -> None:
        """Replace the database with the backup at `path`, all at once or not at all."""


def fold_term(term: str) -> str:
    """A term as SQLite's unicode61 tokenizer stores it (lower case, accents removed)."""
    return strip_accents(term.casefold())


# How quote candidates are ranked on SQLite: FTS5's bm25 over statement text only (the
# title column weighs nothing for quotes).
QUOTE_RANK = "bm25(statement_fts, 1.0, 0.0)"
# How many of the statements a quote candidate search finds are ranked at most (each
# backend's RANKED_HITS, used by `_pg` and `_fts`). Ranking reads each one (its stored
# words, or FTS5's posting lists), so a quote of words common in the library would
# otherwise cost as many reads as there are statements holding them (1.5 s a quote on
# PostgreSQL in 300,000 statements of a few dozen words); the narrow searches that find
# quotes' sources hold far fewer. `benchmarks/common_words.py` measures it.


class SQLiteBackend:
    # Counts cached beyond this many terms are dropped all at once.
    MAX_CACHED_COUNTS = 200_000
    # A search finding more statements than this is not ranked (`_fts`): 500 left the
    # source of a quote of fairly common words unranked at 100,000 statements.
    RANKED_HITS = 1000

    def __init__(self):
        # Document counts as last read: only words found are kept (a word absent now may
        # be imported by another process).
        self._counts: dict[str, int] = {}

    def prepare_engine(self, engine: Engine) -> None:
        event.listen(engine, "connect", _sqlite_pragmas)

    @contextmanager
    def migrating(self, conn: Connection) -> Iterator[None]:
        """SQLite alters a table by building a new one and dropping the old: with foreign keys
        enforced, dropping the old would delete (ON DELETE CASCADE) or refuse the rows that
        refer to it. So they are off during a migration (a switch that only works outside a
        transaction), and check_migration checks every reference before it commits."""
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()

    def check_migration(self, conn: Connection) -> None:
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"the migration left rows naming rows that do not exist: {broken[:10]}")

    def term_counts(self, session: Session, terms: list[str]) -> dict[str, float]:
        """Exact counts from the fts5vocab table."""
        folded = {t: fold_term(t) for t in terms}
        cache = self._counts
        missing = sorted({f for f in folded.values() if f not in cache})
        if missing:
            if len(cache) > self.MAX_CACHED_COUNTS:
                cache.clear()
            params = {f"t{i}": f for i, f in enumerate(missing)}
            rows = session.exec(
                sql(f"SELECT term, doc FROM statement_vocab WHERE term IN ({', '.join(':' + k for k in params)})"),
                params=params,
            )
            cache.update({term: doc for term, doc in rows})
        return {t: float(cache[folded[t]]) for t in terms if cache.get(folded[t])}

    def statement_total(self, session: Session) -> int:
        return int(session.exec(sql("SELECT count(*) FROM statement")).one()[0])

    def library_size(self, session: Session) -> float:
        """The highest id (as many as were ever added, read from one index entry where
        count(*) would read every row)."""
        return session.exec(sql("SELECT coalesce(max(id), 0) FROM statement")).one()[0]

    def forget_statistics(self) -> None:
        self._counts.clear()

    def statements_with_any_two(self, session: Session, terms: list[str], limit: int,
                                ranked_by: list[str] = ()) -> list[int]:
        """bm25 weighs each word by its rarity, which already puts the statements holding
        more of the rarer `terms` first; `ranked_by` is not used: bm25 would read the whole
        posting lists of its common words (four times the search's time, 100,000 statements)."""
        clauses = [f"({_fts_phrase(a)} AND {_fts_phrase(b)})" for a, b in combinations(terms, 2)]
        return _fts(session, "statement_fts", "text : (" + " OR ".join(clauses) + ")", limit, QUOTE_RANK, self.RANKED_HITS)

    def statements_with_phrases(self, session: Session, pairs: list[tuple[str, str]], limit: int) -> list[int]:
        phrases = [f'"{_fts_escape(a)} {_fts_escape(b)}"' for a, b in pairs]
        return _fts(session, "statement_fts", "text : (" + " OR ".join(phrases) + ")", limit, QUOTE_RANK, self.RANKED_HITS)

    def statements_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        return _fts(session, "statement_fts", "text : (" + _fts_or(terms) + ")", limit, QUOTE_RANK, self.RANKED_HITS)

    def statements_for_claims(self, session: Session, terms: list[list[str]], limit: int) -> list[list[int]]:
        return [_fts(session, "statement_fts", _fts_or(claim), limit, "bm25(statement_fts, 1.0, 0.5)")
                for claim in terms]

    def quotes_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        return _fts(session, "quote_fts", _fts_or(terms), limit, "bm25(quote_fts)")

    def rows_holding(self, session: Session, table: str, terms: list[str]) -> TextualSelect:
        if not terms:
            return _nothing()
        query = " AND ".join(f"{_fts_phrase(term)}*" for term in terms)
        return sql(f"SELECT rowid AS id FROM {table}_fts WHERE {table}_fts MATCH :{table}_words").bindparams(
            **{f"{table}_words": query}).columns(id=Integer)

    def joined_rows_holding(self, session: Session, terms: list[str], quote_id, claim_id) -> ColumnElement[bool]:
        return or_(quote_id.in_(self.rows_holding(session, "quote", terms)),
                   claim_id.in_(self.rows_holding(session, "claim", terms)))

    def prepare_bulk_writes(self, session: Session) -> None:
        # A large import touches index pages all over the file: keep more of them in memory.
        session.connection().exec_driver_sql("PRAGMA cache_size=-262144")

    def insert_statements(self, session: Session, rows: list[dict]) -> None:
        session.execute(insert(Statement), rows)

    def finish_bulk_writes(self, session: Session) -> None:
        pass  # the FTS5 triggers keep the index up to date row by row

    def refresh_statistics(self, engine: Engine) -> None:
        pass  # the fts5vocab counts are always current

    def backup(self, engine: Engine, path: Path) -> None:
        sqlite_backup(engine, path)

    def backup_revision(self, path: Path) -> str:
        return sqlite_revision(path)

    def restore(self, engine: Engine, path: Path) -> None:
        sqlite_restore(engine, path)


# How long a SQLite connection waits for another's write transaction to end, retrying,
# before it gives up with "database is locked". Jobs write in short transactions, so a
# web write waits a fraction of a second; this bounds the wait should one not.
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _fts_escape(term: str) -> str:
    return term.replace('"', '""')


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_or(terms: list[str]) -> str:
    return " OR ".join(_fts_phrase(t) for t in terms)


def _fts(session: Session, table: str, query: str, limit: int, rank: str, ranked: int | None = None) -> list[int]:
    """The `limit` best of the rows matching `query`. With `ranked` (RANKED_HITS), when
    more rows than that match, the newest of them are taken unranked, so that the query
    costs no more however many match: bm25 counts the rows holding each of the query's
    words or phrases, reading their whole posting lists."""
    if ranked is not None:
        # FTS5 reads its matches lazily in rowid order, so the LIMIT stops the search.
        found = session.exec(sql(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rowid DESC LIMIT :n"),
                             params={"q": query, "n": ranked + 1}).all()
        if len(found) > ranked:
            return [row[0] for row in found[: min(limit, ranked)]]
    rows = session.exec(sql(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY {rank} LIMIT :k"),
                        params={"q": query, "k": limit})
    return [row[0] for row in rows]


# The tsvectors the GIN indexes hold: statement text's is stored (migration 0011), so
# ranking reads it instead of parsing the text again; the others are indexed expressions.
STATEMENT_TEXT = "text_tsv"
STATEMENT_TITLE = "to_tsvector('simple', coalesce(source_title, ''))"
# Only a statement with a source title can match by its title. Saying so tells the planner
# how few do: ANALYZE counts the missing titles, but a title index of empty vectors has no
# word counts, and the planner guessed thousands of matches for a claim's words and planned
# parallel scans, whose workers took 2-3 ms to start for each claim (at 100,000 statements
# without titles, benchmarks/ingest_speed.py).
STATEMENT_TITLED = "source_title IS NOT NULL"
QUOTE_TEXT = "text_tsv"
# The GIN indexes of the statement's text and of its source title (migrations 0011, 0003),
# whose pending lists a bulk import fills.
STATEMENT_TEXT_INDEXES = ("ix_statement_text_tsv", "ix_statement_title_tsv")
# Quote candidates are ranked by cover density, which puts first the statements holding
# the quote's words close together, and counts word pairs (phrases) where ts_rank would
# see single words only.
PG_QUOTE_RANK = "ts_rank_cd"


class PostgresBackend:
    # How many statements a search ranks at most (`_pg`): 1,000 took 183 ms a quote (p95)
    # in the common words' library, 500 119 ms, for the same recall at 100,000 statements.
    RANKED_HITS = 500

    # How long ANALYZE's statistics are used before they are read again (seconds).
    STATS_TTL = 300.0

    # How many public searches' "are these words common?" answers are kept at most.
    MAX_COMMON_ANSWERS = 10_000

    def __init__(self):
        # (time read, total rows, {lexeme: frequency}, floor), or None
        self._stats: tuple[float, float, dict[str, float], float] | None = None
        # Public searches' words -> (time probed, whether COMMON_MATCHES quotes hold them)
        self._common: dict[tuple[str, ...], tuple[float, bool]] = {}

    def prepare_engine(self, engine: Engine) -> None:
        pass

    def migrating(self, conn: Connection) -> AbstractContextManager:
        return nullcontext()

    def check_migration(self, conn: Connection) -> None:
        pass  # PostgreSQL checks every foreign key as the migration runs

    def term_counts(self, session: Session, terms: list[str]) -> dict[str, float]:
        """Estimated from ANALYZE's most common lexemes of the text index, a term not among
        them counting as rarer than the rarest of them. The statistics cannot tell a rare
        term from an absent one: every term counts as held."""
        _, total, freqs, floor = self._statistics(session)
        return {t: max(freqs[t] * total if t in freqs else floor * total, 1.0) for t in terms}

    def statement_total(self, session: Session) -> int:
        return int(self._statistics(session)[1])

    def library_size(self, session: Session) -> float:
        """The cached estimate (no round trip to the server)."""
        return self._statistics(session)[1]

    def forget_statistics(self) -> None:
        self._stats = None

    def _statistics(self, session: Session) -> tuple[float, float, dict[str, float], float]:
        cached = self._stats
        # Small tables change fast relative to their size and are cheap to look at again.
        if cached and cached[1] >= 1000 and time.monotonic() - cached[0] < self.STATS_TTL:
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
        self._stats = (time.monotonic(), float(total), freqs, floor)
        return self._stats

    def statements_with_any_two(self, session: Session, terms: list[str], limit: int,
                                ranked_by: list[str] = ()) -> list[int]:
        clauses = [f"({_pg_lexeme(a)} & {_pg_lexeme(b)})" for a, b in combinations(terms, 2)]
        words = _pg_or(list(dict.fromkeys([*terms, *ranked_by])))
        return _pg(session, "statement", STATEMENT_TEXT, " | ".join(clauses), limit, PG_QUOTE_RANK, self.RANKED_HITS,
                   ranked_by=words)

    def statements_with_phrases(self, session: Session, pairs: list[tuple[str, str]], limit: int) -> list[int]:
        query = " | ".join(f"{_pg_lexeme(a)} <-> {_pg_lexeme(b)}" for a, b in pairs)
        return _pg(session, "statement", STATEMENT_TEXT, query, limit, PG_QUOTE_RANK, self.RANKED_HITS)

    def statements_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        return _pg(session, "statement", STATEMENT_TEXT, _pg_or(terms), limit, PG_QUOTE_RANK, self.RANKED_HITS)

    def statements_for_claims(self, session: Session, terms: list[list[str]], limit: int) -> list[list[int]]:
        """Two searches a claim (its text, its title), all sent at once (`_pg_all`): each
        costs the server a fraction of a millisecond, less than a round trip to it."""
        searches = []
        for claim in terms:
            searches.append(_pg_search("statement", STATEMENT_TEXT, _pg_or(claim), limit))
            searches.append(_pg_search("statement", STATEMENT_TITLE, _pg_or(claim), limit // 2, among=STATEMENT_TITLED))
        found = _pg_all(session, searches)
        return [list(dict.fromkeys(by_text + by_title))[:limit] for by_text, by_title in zip(found[::2], found[1::2])]

    def quotes_with_any(self, session: Session, terms: list[str], limit: int) -> list[int]:
        return _pg(session, "quote", QUOTE_TEXT, _pg_or(terms), limit)

    def rows_holding(self, session: Session, table: str, terms: list[str]) -> TextualSelect:
        if not terms:
            return _nothing()
        where, params = _pg_where(table, terms)
        return sql(f"SELECT id FROM {table} WHERE {where}").bindparams(**params).columns(id=Integer)

    def joined_rows_holding(self, session: Session, terms: list[str], quote_id, claim_id) -> ColumnElement[bool]:
        """The rows are found through the GIN indexes, except for words that COMMON_MATCHES
        quotes or more hold: then each joined row is checked against its stored words, so
        that the newest verdicts are read only until the page is full, where reading every
        row the index finds would cost more (a word in 40% of 100,000 quotes: 68 ms, against 2 ms)."""
        if terms and self._common_words(session, terms):
            (quote, quote_params), (claim, claim_params) = (_pg_where(table, terms, qualified=True)
                                                            for table in ("quote", "claim"))
            return sql(f"(({quote}) OR ({claim}))").bindparams(**quote_params, **claim_params)
        return or_(quote_id.in_(self.rows_holding(session, "quote", terms)),
                   claim_id.in_(self.rows_holding(session, "claim", terms)))

    def _common_words(self, session: Session, terms: list[str]) -> bool:
        """Whether COMMON_MATCHES quotes or more hold all of `terms`. The probe reads the GIN
        index's whole posting lists (about 3 ms for a word in 40,000 quotes), so its answer
        is kept for STATS_TTL: how common a word is changes slowly."""
        key, now = tuple(terms), time.monotonic()
        known = self._common.get(key)
        if known is not None and now - known[0] < self.STATS_TTL:
            return known[1]
        where, params = _pg_where("quote", terms)
        probe = f"SELECT count(*) FROM (SELECT 1 FROM quote WHERE {where} LIMIT :cap) AS found"
        common = session.exec(sql(probe), params={**params, "cap": COMMON_MATCHES}).one()[0] >= COMMON_MATCHES
        if len(self._common) >= self.MAX_COMMON_ANSWERS:
            self._common.clear()
        self._common[key] = (now, common)
        return common

    def prepare_bulk_writes(self, session: Session) -> None:
        # The words of new rows wait in the text index's pending list and are merged into it
        # in bulk (`finish_bulk_writes`): several times faster than merging a few
        # megabytes at a time, as the default limits would. For this batch's transaction only.
        session.connection().exec_driver_sql("SET LOCAL gin_pending_list_limit = '256MB'")
        session.connection().exec_driver_sql("SET LOCAL work_mem = '256MB'")

    def insert_statements(self, session: Session, rows: list[dict]) -> None:
        """With COPY, one stream for the batch, where an executemany would send (and the
        server plan) one INSERT a row."""
        columns = list(rows[0])
        with session.connection().connection.cursor() as cursor:
            with cursor.copy(f"COPY statement ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])

    def finish_bulk_writes(self, session: Session) -> None:
        # Searches read a pending list from end to end: leave none behind, in either of the
        # statement's text indexes. The title index's, left behind, made each claim's title
        # search read the whole import (40 ms a claim at 100,000 statements, finding nothing).
        for index in STATEMENT_TEXT_INDEXES:
            session.connection().exec_driver_sql(f"SELECT gin_clean_pending_list('{index}')")

    def refresh_statistics(self, engine: Engine) -> None:
        # Fresh term statistics for the rarest-word search, which cannot tell a common
        # word from a rare one without them. ANALYZE reads a sample of fixed size, so
        # it costs about as much for a million statements as for a thousand.
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE statement")

    def backup(self, engine: Engine, path: Path) -> None:
        pg_backup(engine, path)

    def backup_revision(self, path: Path) -> str:
        return pg_revision(path)

    def restore(self, engine: Engine, path: Path) -> None:
        pg_restore(engine, path)


def _pg(session: Session, table: str, vector: str, query: str, limit: int, rank: str = "ts_rank",
        ranked: int | None = None, ranked_by: str | None = None, among: str = "TRUE") -> list[int]:
    """The `limit` best of the rows matching `query` (`_pg_search`)."""
    return _pg_all(session, [_pg_search(table, vector, query, limit, rank, ranked, ranked_by, among)])[0]


def _pg_search(table: str, vector: str, query: str, limit: int, rank: str = "ts_rank", ranked: int | None = None,
               ranked_by: str | None = None, among: str = "TRUE") -> tuple[str, dict]:
    """SQL (in the driver's own style) and parameters for the ids of the `limit` best of the
    rows matching `query`, by their rank for `ranked_by` (a tsquery; `query` itself when not
    given); only `ranked` of them (the first the scan finds) are ranked when given
    (RANKED_HITS), so that the query costs no more however many match. `among` is SQL for
    a condition every row found meets (for the planner: see STATEMENT_TITLED)."""
    if ranked is None:
        statement = (f"SELECT id FROM {table}, to_tsquery('simple', %(q)s) AS q, to_tsquery('simple', %(r)s) AS r"
                     f" WHERE {among} AND {vector} @@ q ORDER BY {rank}({vector}, r) DESC LIMIT %(k)s")
    else:
        statement = (f"SELECT id FROM (SELECT id, {vector} AS vector FROM {table}, to_tsquery('simple', %(q)s) AS q"
                     f" WHERE {among} AND {vector} @@ q LIMIT %(n)s) AS hits, to_tsquery('simple', %(r)s) AS r"
                     f" ORDER BY {rank}(vector, r) DESC LIMIT %(k)s")
    return statement, {"q": query, "r": ranked_by or query, "k": limit, "n": ranked}


def _pg_all(session: Session, searches: list[tuple[str, dict]]) -> list[list[int]]:
    """The ids each search finds, the searches sent together in psycopg's pipeline mode
    (one round trip for all: on a busy machine each one waits for the server's turn)."""
    connection = session.connection().connection.driver_connection
    if len(searches) == 1:
        with connection.cursor() as cursor:
            return [[row[0] for row in cursor.execute(*searches[0])]]
    cursors = [connection.cursor() for _ in searches]
    try:
        with connection.pipeline():
            for cursor, (statement, params) in zip(cursors, searches):
                cursor.execute(statement, params)
        return [[row[0] for row in cursor.fetchall()] for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


# How many quotes holding a search's words make them common (PostgresBackend.joined_rows_holding).
COMMON_MATCHES = 2000
# The stored tsvectors that the public search reads, per table.
_SEARCHED = {"quote": ["text_tsv", "speaker_tsv"], "claim": ["text_tsv"]}


def _pg_where(table: str, terms: list[str], qualified: bool = False) -> tuple[str, dict[str, str]]:
    """Each term (a word's beginning) in any of the table's searched vectors, as SQL and its
    parameters. The GIN indexes serve it as bitmap scans, ORed per word and ANDed together."""
    vectors = [f"{table}.{vector}" if qualified else vector for vector in _SEARCHED[table]]
    params = {f"{table}_word{i}": _pg_lexeme(term) + ":*" for i, term in enumerate(terms)}
    clauses = [" OR ".join(f"{vector} @@ to_tsquery('simple', :{name})" for vector in vectors) for name in params]
    return " AND ".join(f"({clause})" for clause in clauses), params


def _nothing() -> TextualSelect:
    """A search for no words finds nothing."""
    return sql("SELECT 0 AS id WHERE 1 = 0").columns(id=Integer)


def _pg_or(terms: list[str]) -> str:
    return " | ".join(_pg_lexeme(t) for t in terms)


def _pg_lexeme(term: str) -> str:
    # Quoted so that words such as "and" or "!" never reach the tsquery parser as operators.
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}
_chosen: weakref.WeakKeyDictionary[Engine, Backend] = weakref.WeakKeyDictionary()


def backend_for(bind: Session | Engine) -> Backend:
    """The backend of a session's (or an engine's) database, made on the engine's first use."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    engine = getattr(engine, "engine", engine)  # a Connection's engine
    backend = _chosen.get(engine)
    if backend is None:
        backend = _chosen[engine] = BACKENDS[engine.dialect.name]()
    return backend


def forget_statistics() -> None:
    """Drop every backend's cached term statistics (after an import)."""
    for backend in list(_chosen.values()):
        backend.forget_statistics()
