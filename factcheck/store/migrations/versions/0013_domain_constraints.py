"""The domain in the schema: checked vocabulary, one target per match and verdict, unique
spans, ON DELETE rules, flags by index, and full-text indexes for the public search.

- CHECK constraints hold every status, role, label and kind to its `factcheck.domain`
  enum (the values below are those of this revision), and a match or verdict to exactly
  one of quote or claim.
- A quote or claim is stored once per (article, start, end).
- Every foreign key says what deleting the row it names does (see models.py).
- Quote flags move from a JSON list (searched with LIKE) to one boolean column per flag,
  with a partial index per flag in queue order, and `flag_count` (checked to be their
  sum) under `ix_quote_flagged`, the queue's "most flagged first".
- The public search's full-text indexes: SQLite's `quote_fts` also holds the speaker's
  name and `claim_fts` holds claim text; PostgreSQL stores the tsvectors of quote text,
  speaker's name and claim text, each with a GIN index (quote text's replaces the
  expression index of revision 0003).
- Constraints get the names of `models.NAMING`.

SQLite alters a table by rebuilding it (Alembic's batch mode), which drops the table's
triggers (those keeping the full-text tables in step are read before and made again
after) and makes its indexes again without their DESC (the queue indexes are made anew).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}

# table: {column: (the table it names, ON DELETE)}
FOREIGN_KEYS = {
    "article": {"outlet_id": ("outlet", "RESTRICT")},
    "personalias": {"person_id": ("person", "CASCADE")},
    "audit_log": {"user_id": ("user", "RESTRICT")},
    "statement": {"person_id": ("person", "SET NULL")},
    "quote": {"article_id": ("article", "CASCADE"), "person_id": ("person", "SET NULL"),
              "assigned_to_id": ("user", "SET NULL")},
    "claim": {"article_id": ("article", "CASCADE"), "assigned_to_id": ("user", "SET NULL")},
    "match": {"quote_id": ("quote", "CASCADE"), "claim_id": ("claim", "CASCADE"),
              "statement_id": ("statement", "CASCADE")},
    "verdict": {"quote_id": ("quote", "RESTRICT"), "claim_id": ("claim", "RESTRICT")},
    "verdictversion": {"verdict_id": ("verdict", "CASCADE"), "reviewer_id": ("user", "RESTRICT")},
}

_REVIEW = ("new", "in_review", "awaiting_second_review", "published")
_VERDICT = ("draft", "second_review", "published", "unpublished")
_QUOTE_LABELS = ("exact", "minor", "elided", "altered", "none")
_CLAIM_LABELS = ("same", "related", "none")
# table: {column: allowed values}
CHECKS = {
    "person": {"kind": ("person", "organization")},
    "user": {"role": ("admin", "editor", "checker")},
    "statement": {"origin": ("import", "transcript", "verified_quote")},
    "quote": {"speaker_kind": ("person", "organization", "anonymous", "unknown"), "label": _QUOTE_LABELS,
              "status": _REVIEW},
    "claim": {"label": _CLAIM_LABELS, "status": _REVIEW},
    "match": {"label": tuple(dict.fromkeys(_QUOTE_LABELS + _CLAIM_LABELS))},
    "verdict": {"status": _VERDICT},
    "verdictversion": {"status": _VERDICT},
}
ONE_TARGET = ("match", "verdict")
UNIQUE_SPAN = ("quote", "claim")
# The queue's indexes (revision 0010), in newest-article-first order.
QUEUE_INDEXES = ("quote", "claim")
FLAGS = ("misattributed", "earlier")
FLAG_COUNT = " + ".join(f"CAST(flag_{flag} AS INTEGER)" for flag in FLAGS)

SQLITE_FTS_UP = [
    "DROP TRIGGER quote_fts_update",
    "DROP TRIGGER quote_fts_delete",
    "DROP TRIGGER quote_fts_insert",
    "DROP TABLE quote_fts",
    "CREATE VIRTUAL TABLE quote_fts USING fts5("
    "text, speaker_name, content='quote', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER quote_fts_insert AFTER INSERT ON quote BEGIN "
    "INSERT INTO quote_fts(rowid, text, speaker_name) VALUES (new.id, new.text, new.speaker_name); END",
    "CREATE TRIGGER quote_fts_delete AFTER DELETE ON quote BEGIN "
    "INSERT INTO quote_fts(quote_fts, rowid, text, speaker_name) "
    "VALUES ('delete', old.id, old.text, old.speaker_name); END",
    "CREATE TRIGGER quote_fts_update AFTER UPDATE OF text, speaker_name ON quote BEGIN "
    "INSERT INTO quote_fts(quote_fts, rowid, text, speaker_name) "
    "VALUES ('delete', old.id, old.text, old.speaker_name); "
    "INSERT INTO quote_fts(rowid, text, speaker_name) VALUES (new.id, new.text, new.speaker_name); END",
    "INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE claim_fts USING fts5("
    "text, content='claim', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claim_fts_update AFTER UPDATE OF text ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
]
SQLITE_FTS_DOWN = [
    "DROP TRIGGER claim_fts_update",
    "DROP TRIGGER claim_fts_delete",
    "DROP TRIGGER claim_fts_insert",
    "DROP TABLE claim_fts",
    "DROP TRIGGER quote_fts_update",
    "DROP TRIGGER quote_fts_delete",
    "DROP TRIGGER quote_fts_insert",
    "DROP TABLE quote_fts",
    # Back to revision 0003's text-only quote index.
    "CREATE VIRTUAL TABLE quote_fts USING fts5("
    "text, content='quote', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER quote_fts_insert AFTER INSERT ON quote BEGIN "
    "INSERT INTO quote_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER quote_fts_delete AFTER DELETE ON quote BEGIN "
    "INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER quote_fts_update AFTER UPDATE OF text ON quote BEGIN "
    "INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO quote_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')",
]
# Stored tsvectors (like statement.text_tsv, revision 0011): a search matching many rows
# checks each against its stored words instead of parsing its text again.
POSTGRES_FTS_UP = [
    "ALTER TABLE quote ADD COLUMN text_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "ALTER TABLE quote ADD COLUMN speaker_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(speaker_name, ''))) STORED",
    "ALTER TABLE claim ADD COLUMN text_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "CREATE INDEX ix_quote_text_tsv ON quote USING gin (text_tsv)",
    "CREATE INDEX ix_quote_speaker_tsv ON quote USING gin (speaker_tsv)",
    "CREATE INDEX ix_claim_text_tsv ON claim USING gin (text_tsv)",
    "DROP INDEX ix_quote_tsv",
]
POSTGRES_FTS_DOWN = [
    "CREATE INDEX ix_quote_tsv ON quote USING gin (to_tsvector('simple', text))",
    "ALTER TABLE claim DROP COLUMN text_tsv",
    "ALTER TABLE quote DROP COLUMN speaker_tsv",
    "ALTER TABLE quote DROP COLUMN text_tsv",
]


def _fk_name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def _rebuild(table: str):
    """Alter `table`: in place on PostgreSQL, by a rebuilt copy on SQLite (names per NAMING)."""
    return op.batch_alter_table(table, recreate="auto", naming_convention=NAMING)


def _replace_foreign_keys(table: str, batch, with_rules: bool) -> None:
    """Make the table's foreign keys again, with their ON DELETE rules or (going down) without."""
    rules = FOREIGN_KEYS[table]
    for fk in sa.inspect(op.get_bind()).get_foreign_keys(table):
        [column] = fk["constrained_columns"]
        if column in rules:
            batch.drop_constraint(op.f(fk["name"] or _fk_name(table, column, fk["referred_table"])), type_="foreignkey")
    for column, (referred, ondelete) in rules.items():
        batch.create_foreign_key(op.f(_fk_name(table, column, referred)), referred, [column], ["id"],
                                 ondelete=ondelete if with_rules else None)


def _name_unique_constraints(table: str) -> None:
    """PostgreSQL: give the unique constraints revision 0001 left unnamed (PostgreSQL named
    them `verdict_quote_id_key`...) their names by NAMING."""
    for unique in sa.inspect(op.get_bind()).get_unique_constraints(table):
        name = f"uq_{table}_{'_'.join(unique['column_names'])}"
        if unique["name"] != name:
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{unique["name"]}" TO {name}')


def _triggers(table: str) -> list[str]:
    """SQLite: the triggers on `table`, which rebuilding it drops."""
    if op.get_bind().dialect.name != "sqlite":
        return []
    rows = op.get_bind().execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                                 {"t": table})
    return [row[0] for row in rows]


def _drop_queue_indexes() -> None:
    for table in QUEUE_INDEXES:
        op.drop_index(f"ix_{table}_queue", table_name=table)


def _create_queue_indexes() -> None:
    for table in QUEUE_INDEXES:
        op.create_index(f"ix_{table}_queue", table, [sa.text("article_id DESC"), "start"])


def _check_flags() -> None:
    """Refuse to drop a flag this revision has no column for (the data would be lost)."""
    rows = op.get_bind().execute(sa.text("SELECT id, flags FROM quote WHERE json_array_length(flags) > 0"))
    for quote_id, flags in rows:
        unknown = set(json.loads(flags) if isinstance(flags, str) else flags) - set(FLAGS)
        if unknown:
            raise RuntimeError(f"quote {quote_id} has flags this schema cannot hold: {sorted(unknown)}")


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    quote = sa.table("quote", sa.column("flags", sa.JSON), *(sa.column(f"flag_{flag}", sa.Boolean) for flag in FLAGS))
    _check_flags()
    op.drop_index("ix_quote_flagged", table_name="quote")
    _drop_queue_indexes()
    for flag in FLAGS:
        op.add_column("quote", sa.Column(f"flag_{flag}", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("quote", sa.Column("flag_count", sa.Integer(), nullable=False, server_default="0"))
    # A JSON list of plain words holds '"earlier"' exactly when it has that flag.
    op.execute(quote.update().values({f"flag_{flag}": sa.cast(quote.c.flags, sa.Text).like(f'%"{flag}"%')
                                      for flag in FLAGS}))
    op.execute(f"UPDATE quote SET flag_count = {FLAG_COUNT}")
    for table in FOREIGN_KEYS.keys() | CHECKS.keys():
        triggers = _triggers(table)
        with _rebuild(table) as batch:
            if table == "quote":
                batch.drop_column("flags")
                batch.create_check_constraint(op.f("ck_quote_flag_count"), f"flag_count = {FLAG_COUNT}")
            if table in FOREIGN_KEYS:
                _replace_foreign_keys(table, batch, with_rules=True)
            for column, values in CHECKS.get(table, {}).items():
                batch.create_check_constraint(op.f(f"ck_{table}_{column}"),
                                              f"{column} IN ({', '.join(repr(v) for v in values)})")
            if table in ONE_TARGET:
                batch.create_check_constraint(op.f(f"ck_{table}_one_quote_id_or_claim_id"),
                                              "(quote_id IS NULL) <> (claim_id IS NULL)")
            if table in UNIQUE_SPAN:
                batch.create_unique_constraint(op.f(f"uq_{table}_article_id_start_end"), ["article_id", "start", "end"])
            if not sqlite:  # SQLite's rebuilt copy names them by NAMING already
                _name_unique_constraints(table)
        for sql in triggers:
            op.execute(sql)
    _create_queue_indexes()
    flag_where = {flag: sa.column(f"flag_{flag}", sa.Boolean) == sa.true() for flag in FLAGS}
    op.create_index("ix_quote_flagged", "quote", [sa.text("flag_count DESC"), sa.text("article_id DESC"), "start"])
    for flag in FLAGS:
        op.create_index(f"ix_quote_flag_{flag}", "quote", [sa.text("article_id DESC"), "start"],
                        sqlite_where=flag_where[flag], postgresql_where=flag_where[flag])
    for sql in SQLITE_FTS_UP if sqlite else POSTGRES_FTS_UP:
        op.execute(sql)


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for sql in SQLITE_FTS_DOWN if sqlite else POSTGRES_FTS_DOWN:
        op.execute(sql)
    for flag in FLAGS:
        op.drop_index(f"ix_quote_flag_{flag}", table_name="quote")
    op.drop_index("ix_quote_flagged", table_name="quote")
    _drop_queue_indexes()
    for table in FOREIGN_KEYS.keys() | CHECKS.keys():
        triggers = _triggers(table)
        with _rebuild(table) as batch:
            if table in FOREIGN_KEYS:
                _replace_foreign_keys(table, batch, with_rules=False)
            for column in CHECKS.get(table, {}):
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
            if table in ONE_TARGET:
                batch.drop_constraint(op.f(f"ck_{table}_one_quote_id_or_claim_id"), type_="check")
            if table in UNIQUE_SPAN:
                batch.drop_constraint(op.f(f"uq_{table}_article_id_start_end"), type_="unique")
            if table == "quote":
                batch.drop_constraint(op.f("ck_quote_flag_count"), type_="check")
                batch.add_column(sa.Column("flags", sa.JSON(), nullable=False, server_default="[]"))
        for sql in triggers:
            op.execute(sql)
    # The JSON list again, in the matcher's order (flags are few: one update per flagged quote).
    quote = sa.table("quote", sa.column("id", sa.Integer), sa.column("flags", sa.JSON),
                     *(sa.column(f"flag_{flag}", sa.Boolean) for flag in FLAGS))
    flagged = bind.execute(sa.select(quote).where(sa.or_(*(quote.c[f"flag_{flag}"] for flag in FLAGS)))).all()
    for row in flagged:
        flags = [flag for flag in FLAGS if row._mapping[f"flag_{flag}"]]
        bind.execute(quote.update().where(quote.c.id == row.id).values(flags=flags))
    triggers = _triggers("quote")
    with _rebuild("quote") as batch:
        for flag in FLAGS:
            batch.drop_column(f"flag_{flag}")
        batch.drop_column("flag_count")
    for sql in triggers:
        op.execute(sql)
    _create_queue_indexes()
    op.create_index("ix_quote_flagged", "quote",
                    [sa.text("json_array_length(flags) DESC"), sa.text("article_id DESC"), "start"])

