"""The fact-checkers' bookkeeping: who holds which quote or claim, and their feedback on
candidate matches. Every change is audit-logged."""
from __future__ import annotations

from sqlmodel import Session

from ..errors import InputError
from ..store.models import Claim, Match, Quote, User
from .audit import record
from .queue import MODELS

FEEDBACK = {"confirm": True, "reject": False, "clear": None}


def target_by_id(session: Session, kind: str, item_id: int) -> Quote | Claim | None:
    """The quote or claim (`kind`) with this id."""
    return session.get(MODELS[kind], item_id)


def match_by_id(session: Session, match_id: int) -> Match | None:
    return session.get(Match, match_id)


def assign(session: Session, target: Quote | Claim, assignee: User | None, actor: User) -> None:
    """Give `target` to `assignee` (None: back to the pool). Anyone on staff may take an item
    or hand it to a colleague; the audit log keeps who moved it from whom."""
    if assignee is not None and not assignee.active:
        raise InputError(f"{assignee.username} has no active account")
    previous = target.assigned_to_id
    target.assigned_to_id = assignee.id if assignee else None
    session.add(target)
    session.flush()
    record(session, actor, "review.assign", target,
           {"from": previous, "to": target.assigned_to_id, "to_user": assignee.username if assignee else None})


def set_match_feedback(session: Session, match: Match, feedback: str, actor: User) -> None:
    """Record a fact-checker's verdict on a candidate source: "confirm" (this is the source),
    "reject" (it is not) or "clear". Kept on the match as feedback for the matcher."""
    if feedback not in FEEDBACK:
        raise InputError(f"unknown feedback {feedback!r}: choose one of {', '.join(FEEDBACK)}")
    match.confirmed = FEEDBACK[feedback]
    session.add(match)
    session.flush()
    record(session, actor, f"match.{feedback}", match,
           {"quote_id": match.quote_id, "claim_id": match.claim_id, "statement_id": match.statement_id})
