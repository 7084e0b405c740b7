"""The audit log: who did what to which object, and when."""
from __future__ import annotations

from sqlmodel import Session, SQLModel

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
