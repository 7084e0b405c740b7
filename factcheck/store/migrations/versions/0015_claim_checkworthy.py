"""claim.checkworthy: the check-worthiness model's decision on each claim.

Only check-worthy claims reach people: the review queue and the desk's claim lists
(`services/queue.py`, `services/desk.py`); the others stay in the desk's view of their
article, marked as not check-worthy.

Every claim stored before this revision is check-worthy (the column's server default):
each was stored because it reached the scorer's threshold, and so none leaves the queue,
a desk list or the hands of whoever took it.

The queue reads claims in order along `ix_claim_queue`, which becomes partial (the
check-worthy claims only), as the quote flag indexes are (0013).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

CHECKWORTHY = sa.column("checkworthy", sa.Boolean) == sa.true()


def upgrade() -> None:
    op.add_column("claim", sa.Column("checkworthy", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.drop_index("ix_claim_queue", table_name="claim")
    op.create_index("ix_claim_queue", "claim", [sa.text("article_id DESC"), "start"],
                    sqlite_where=CHECKWORTHY, postgresql_where=CHECKWORTHY)


def downgrade() -> None:
    op.drop_index("ix_claim_queue", table_name="claim")
    op.create_index("ix_claim_queue", "claim", [sa.text("article_id DESC"), "start"])
    # In place on both databases (SQLite 3.35+ drops a column with ALTER TABLE), so the
    # triggers that keep SQLite's claim text index in step stay.
    op.drop_column("claim", "checkworthy")
