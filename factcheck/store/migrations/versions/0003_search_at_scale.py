"""Search at scale: titles in the statement index, term statistics, a quote index and
stored sentence embeddings.

- SQLite: `statement_fts` is rebuilt over (text, source_title) so that claim retrieval
  can use a fact-check's headline (quote retrieval keeps to the text column);
  `statement_vocab` (fts5vocab) gives each term's document count, which picks a
  quote's rarest words and weighs claim terms; `quote_fts` indexes stored quotes so
  that newly imported statements find the quotes they could affect.
- PostgreSQL: GIN indexes on the tsvector of statement titles and of quote text (term
  statistics come from ANALYZE's `most_common_elems` of the statement text index).
- Both: `statementvector`, one sentence embedding per statement and model, computed
  once at import when the optional semantic extra is installed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "DROP TRIGGER statement_fts_update",
    "DROP TRIGGER statement_fts_delete",
    "DROP TRIGGER statement_fts_insert",
    "DROP TABLE statement_fts",
    "CREATE VIRTUAL TABLE statement_fts USING fts5("
    "text, source_title, content='statement', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER statement_fts_insert AFTER INSERT ON statement BEGIN "
    "INSERT INTO statement_fts(rowid, text, source_title) VALUES (new.id, new.text, new.source_title); END",
    "CREATE TRIGGER statement_fts_delete AFTER DELETE ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text, source_title) "
    "VALUES ('delete', old.id, old.text, old.source_title); END",
    "CREATE TRIGGER statement_fts_update AFTER UPDATE OF text, source_title ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text, source_title) "
    "VALUES ('delete', old.id, old.text, old.source_title); "
    "INSERT INTO statement_fts(rowid, text, source_title) VALUES (new.id, new.text, new.source_title); END",
    "INSERT INTO statement_fts(statement_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE statement_vocab USING fts5vocab(statement_fts, 'row')",
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
SQLITE_DOWN = [
    "DROP TRIGGER quote_fts_update",
    "DROP TRIGGER quote_fts_delete",
    "DROP TRIGGER quote_fts_insert",
    "DROP TABLE quote_fts",
    "DROP TABLE statement_vocab",
    "DROP TRIGGER statement_fts_update",
    "DROP TRIGGER statement_fts_delete",
    "DROP TRIGGER statement_fts_insert",
    "DROP TABLE statement_fts",
    # Back to revision 0002's text-only index.
    "CREATE VIRTUAL TABLE statement_fts USING fts5("
    "text, content='statement', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER statement_fts_insert AFTER INSERT ON statement BEGIN "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER statement_fts_delete AFTER DELETE ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER statement_fts_update AFTER UPDATE OF text ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO statement_fts(statement_fts) VALUES ('rebuild')",
]
POSTGRES_UP = [
    "CREATE INDEX ix_statement_title_tsv ON statement USING gin (to_tsvector('simple', coalesce(source_title, '')))",
    "CREATE INDEX ix_quote_tsv ON quote USING gin (to_tsvector('simple', text))",
]
POSTGRES_DOWN = ["DROP INDEX ix_quote_tsv", "DROP INDEX ix_statement_title_tsv"]


def upgrade() -> None:
    op.create_table(
        "statementvector",
        sa.Column("statement_id", sa.Integer(), sa.ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(), nullable=False),
        # sha256 of the normalised text the vector was computed from: a changed text is re-embedded.
        sa.Column("text_hash", sa.String(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )
    for sql in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(sql)


def downgrade() -> None:
    for sql in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN:
        op.execute(sql)
    op.drop_table("statementvector")
