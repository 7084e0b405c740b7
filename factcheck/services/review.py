"""The fact-checkers' bookkeeping: who holds which quote or claim, their feedback on
candidate matches, and their verdicts. Every change is audit-logged. The quote or claim
is named by its kind and id: the pages hold no rows of their own."""
from __future__ import annotations

from sqlmodel import Session

from ..errors import InputError
from ..store.models import Match, User
from .audit import record
from .queue import MODELS
from .verdicts import VersionText, record_verdict, version_text

FEEDBACK = {"confirm": True, "reject": False, "clear": None}


class NotFound(LookupError):
    """The quote, claim, match or account named does not exist."""


def assign(session: Session, kind: str, item_id: int, assignee_id: int | None, actor: User) -> str | None:
    """Give the quote or claim (`kind`, `item_id`) to the account `assignee_id` (None: back
    to the pool); the assignee's username. Anyone on staff may take an item or hand it to a
    colleague; the audit log keeps who moved it from whom."""
    target = session.get(MODELS[kind], item_id)
    assignee = session.get(User, assignee_id) if assignee_id is not None else None
    if target is None or (assignee_id is not None and assignee is None):
        raise NotFound(f"no {kind} {item_id}" if target is None else f"no account {assignee_id}")
    if assignee is not None and not assignee.active:
        raise InputError(f"{assignee.username} has no active account")
    previous = target.assigned_to_id
    target.assigned_to_id = assignee.id if assignee else None
    session.add(target)
    session.flush()
    record(session, actor, "review.assign", target,
           {"from": previous, "to": target.assigned_to_id, "to_user": assignee.username if assignee else None})
    return assignee.username if assignee else None


def set_match_feedback(session: Session, match_id: int, feedback: str, actor: User) -> tuple[str, int]:
    """Record a fact-checker's verdict on a candidate source: "confirm" (this is the source),
    "reject" (it is not) or "clear". Kept on the match as feedback for the matcher. Returns
    the kind and id of the quote or claim the match is for."""
    match = session.get(Match, match_id)
    if match is None:
        raise NotFound(f"no match {match_id}")
    if feedback not in FEEDBACK:
        raise InputError(f"unknown feedback {feedback!r}: choose one of {', '.join(FEEDBACK)}")
    match.confirmed = FEEDBACK[feedback]
    session.add(match)
    session.flush()
    record(session, actor, f"match.{feedback}", match,
           {"quote_id": match.quote_id, "claim_id": match.claim_id, "statement_id": match.statement_id})
    return ("quote", match.quote_id) if match.quote_id else ("claim", match.claim_id)


def record_review_verdict(session: Session, kind: str, item_id: int, **fields) -> VersionText:
    """`verdicts.record_verdict` (with its `fields`) on the quote or claim (`kind`,
    `item_id`): the new version."""
    target = session.get(MODELS[kind], item_id)
    if target is None:
        raise NotFound(f"no {kind} {item_id}")
    return version_text(record_verdict(session, target, **fields))
