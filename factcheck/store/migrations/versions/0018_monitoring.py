"""feed_source and incoming_item: feeds watched by workers, and the articles on their way in.

A source is a feed polled every so many minutes (with its last status, its conditional-GET
validators and its back-off); an incoming item is one entry of it (or a URL or text queued
by hand) moving queued -> fetched -> extracted (or failed), taken by one worker at a time
under a lease (`services/monitoring.py`).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# domain.IncomingState as of this revision (a migration keeps the values it was written with).
STATES = "'queued', 'fetched', 'extracted', 'failed'"


def upgrade() -> None:
    op.create_table(
        "feed_source",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("every", sa.Integer(), nullable=False),
        sa.Column("allow_private", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("last_polled", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(), nullable=True),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_feed_source_url", "feed_source", ["url"], unique=True)
    op.create_index("ix_feed_source_next_poll_at", "feed_source", ["next_poll_at"])
    op.create_table(
        "incoming_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("feed_source.id", ondelete="CASCADE"), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="SET NULL"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source_id", "url"),
        sa.CheckConstraint("(url IS NULL) <> (text IS NULL)", name="one_url_or_text"),
        sa.CheckConstraint(f"state IN ({STATES})", name="state"),
    )
    op.create_index("ix_incoming_item_source_id", "incoming_item", ["source_id"])
    op.create_index("ix_incoming_item_state", "incoming_item", ["state"])
    op.create_index("ix_incoming_item_article_id", "incoming_item", ["article_id"])


def downgrade() -> None:
    op.drop_table("incoming_item")
    op.drop_table("feed_source")
