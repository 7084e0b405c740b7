"""The database's change marker: what tells a cache that anything was written since.

Every write that can change what a page shows goes through a service that adds a row to
the audit log or a verdict version (publishing, correcting, merging people, assigning,
importing statements, managing accounts), ingesting adds quotes or claims, and matching
again adds matches. So the largest ids of those five tables, read in one cheap query
(five index look-ups), change whenever a page could.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from ..store.models import AuditEntry, Claim, Match, Quote, VerdictVersion

_MARKER = select(
    select(func.max(AuditEntry.id)).scalar_subquery(),
    select(func.max(VerdictVersion.id)).scalar_subquery(),
    select(func.max(Quote.id)).scalar_subquery(),
    select(func.max(Claim.id)).scalar_subquery(),
    select(func.max(Match.id)).scalar_subquery(),
)


def change_marker(session: Session) -> tuple:
    """The largest ids of the tables every page-changing write adds to."""
    return tuple(session.connection().execute(_MARKER).one())
