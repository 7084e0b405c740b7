"""A stored tsvector of statement text on PostgreSQL, for quote retrieval at scale.

Revision 0002 indexed the expression `to_tsvector('simple', text)`. The index finds the
rows, but ranking them (`ts_rank`) and checking word-pair phrases parsed each row's
text again, which made a quote's lookup cost grow with every row its words reach. The
stored column `text_tsv` keeps the parsed words (with positions) beside the row, the GIN
index moves onto it, and the expression index goes: nothing queries it any more, and
keeping two indexes of the same words would slow imports.

SQLite needs nothing: its FTS5 table already stores words and positions.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

POSTGRES_UP = [
    "ALTER TABLE statement ADD COLUMN text_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "CREATE INDEX ix_statement_text_tsv ON statement USING gin (text_tsv)",
    "DROP INDEX ix_statement_tsv",
]
POSTGRES_DOWN = [
    "CREATE INDEX ix_statement_tsv ON statement USING gin (to_tsvector('simple', text))",
    "DROP INDEX ix_statement_text_tsv",
    "ALTER TABLE statement DROP COLUMN text_tsv",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in POSTGRES_UP:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in POSTGRES_DOWN:
            op.execute(sql)
