"""Full-text index over statement text, for candidate retrieval.

SQLite gets an FTS5 table kept in step by triggers; PostgreSQL a GIN index on the
text's tsvector. `factcheck/store/search.py` queries whichever the database has.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
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
SQLITE_DOWN = [
    "DROP TRIGGER statement_fts_update",
    "DROP TRIGGER statement_fts_delete",
    "DROP TRIGGER statement_fts_insert",
    "DROP TABLE statement_fts",
]
POSTGRES_UP = ["CREATE INDEX ix_statement_tsv ON statement USING gin (to_tsvector('simple', text))"]
POSTGRES_DOWN = ["DROP INDEX ix_statement_tsv"]


def _run(statements) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN)
