"""match.statement_ids: the statements a match is on, in order.

A quote may span consecutive statements of one source document (a statement imported one
sentence a record, quoted across its sentences; CONTRACT.md). Such a match keeps the run's
first statement in `statement_id`, as before, and the whole run in `statement_ids`, in
document order, so that the review page can show the run as one source with its parts. A
match on one statement holds its one id; matches stored before this revision hold an empty
list, which means `statement_id` alone.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("match", sa.Column("statement_ids", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    op.drop_column("match", "statement_ids")
