"""The audit log: who did what to which object, and when."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, SQLModel, col, select

from ..store.models import AuditEntry, User


def record(session: Session, user: User | None, action: str, obj: SQLModel | None = None, detail: dict | None = None) -> None:
    session.add(
        AuditEntry(
            user_id=user.id if user else None,
            action=action,
            object_type=type(obj).__name__.lower() if obj is not None else None,
            object_id=getattr(obj, "id", None),
            detail=detail or {},
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    username: str | None  # who acted; None: the system
    action: str
    object_type: str | None
    object_id: int | None
    detail: dict


def recent_audit(session: Session, limit: int = 100) -> list[AuditRow]:
    """The latest audit entries, newest first."""
    rows = session.connection().execute(
        select(AuditEntry.at, User.username, AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id,
               AuditEntry.detail).outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(col(AuditEntry.id).desc()).limit(limit))
    return [AuditRow(*row) for row in rows]
