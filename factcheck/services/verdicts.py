"""Recording verdicts: every save appends a version; nothing is overwritten."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from sqlmodel import Session, select

from ..errors import InputError
from ..store.models import Claim, Quote, User, Verdict, VerdictVersion, utcnow
from .audit import record
from .ratings import scale_for

STATUSES = ("draft", "published", "unpublished")
# Publishing is an editor's decision; checkers save drafts.
PUBLISHERS = ("editor", "admin")


class VersionConflict(InputError):
    """Someone else saved the verdict since this reviewer loaded it."""

    def __init__(self, current: VerdictVersion | None):
        super().__init__(
            f"this verdict was changed by someone else (now version {current.version if current else 0}); "
            "your changes were not saved: review theirs and save again"
        )
        self.current = current


class NotAllowed(InputError):
    """The reviewer's role does not allow this save."""


def status_refusal(reviewer: User, status: str, verdict: Verdict | None) -> str | None:
    """Why `reviewer` may not save a version with `status`, or None if they may.

    A verdict's status is its latest version's, so a draft saved over a published verdict
    would silently take it off the public site: corrections are published with a note.
    """
    publisher = reviewer.role in PUBLISHERS
    if verdict is not None and verdict.status == "published" and status == "draft":
        if not publisher:
            return "This verdict is published: only an editor or admin can correct or unpublish it."
        return ("This verdict is published: saving a draft would take it off the public site. To correct it, "
                "keep the status 'published' and write a correction note; to take it down, choose 'unpublished'.")
    if not publisher and status != "draft":
        return ("Only editors and admins can publish or unpublish a verdict. "
                "Save it as a draft and an editor will publish it.")
    return None


@dataclass
class Evidence:
    url: str
    title: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {"url": self.url, "title": self.title, "note": self.note}


def target_kind(target: Quote | Claim) -> str:
    return "quote" if isinstance(target, Quote) else "claim"


def verdict_for(session: Session, target: Quote | Claim) -> Verdict | None:
    column = Verdict.quote_id if isinstance(target, Quote) else Verdict.claim_id
    return session.exec(select(Verdict).where(column == target.id)).first()


def versions(session: Session, verdict: Verdict) -> list[VerdictVersion]:
    return list(
        session.exec(select(VerdictVersion).where(VerdictVersion.verdict_id == verdict.id).order_by(VerdictVersion.version)).all()
    )


def current_version(session: Session, verdict: Verdict) -> VerdictVersion | None:
    return session.exec(
        select(VerdictVersion).where(VerdictVersion.verdict_id == verdict.id, VerdictVersion.version == verdict.current_version)
    ).first()


def record_verdict(
    session: Session,
    target: Quote | Claim,
    *,
    rating: str,
    explanation: str,
    evidence: list[Evidence],
    status: str,
    reviewer: User,
    note: str | None = None,
    base_version: int | None = None,
) -> VerdictVersion:
    """Append a version to the target's verdict (creating the verdict on first save).

    `base_version` is the version the reviewer started from; if someone saved a newer
    one meanwhile, VersionConflict is raised and nothing is written. NotAllowed is raised
    when the reviewer's role may not save this status (see `status_refusal`).
    """
    kind = target_kind(target)
    if scale_for(kind).get(rating) is None:
        raise InputError(f"{rating!r} is not a rating on the {kind} scale")
    if status not in STATUSES:
        raise InputError(f"unknown verdict status {status!r}")
    if not explanation.strip():
        raise InputError("a verdict needs an explanation")
    for item in evidence:
        if urlparse(item.url).scheme not in ("http", "https"):
            raise InputError(f"evidence link {item.url!r} is not an http(s) URL")

    verdict = verdict_for(session, target)
    if base_version is not None and base_version != (verdict.current_version if verdict else 0):
        raise VersionConflict(current_version(session, verdict) if verdict else None)
    refusal = status_refusal(reviewer, status, verdict)
    if refusal:
        raise NotAllowed(refusal)
    if verdict is None:
        verdict = Verdict(quote_id=target.id if kind == "quote" else None, claim_id=target.id if kind == "claim" else None)
        session.add(verdict)
        session.flush()
    if verdict.first_published_at is not None and status == "published" and verdict.status == "published" and not (note or "").strip():
        raise InputError("a change to a published verdict is a correction: say what changed in the correction note")

    version = VerdictVersion(
        verdict_id=verdict.id, version=verdict.current_version + 1, rating=rating, explanation=explanation.strip(),
        evidence=[e.as_dict() for e in evidence], status=status, note=(note or "").strip() or None, reviewer_id=reviewer.id,
    )
    session.add(version)
    verdict.current_version = version.version
    verdict.status = status
    if status == "published" and verdict.first_published_at is None:
        verdict.first_published_at = utcnow()
    session.add(verdict)
    target.status = {"draft": "in_review", "published": "published", "unpublished": "in_review"}[status]
    session.add(target)
    session.flush()
    record(session, reviewer, f"verdict.{status}", verdict, {"version": version.version, "rating": rating})
    return version


def corrections(session: Session, verdict: Verdict) -> list[VerdictVersion]:
    """Versions published after the first publication, with their notes: the public correction history."""
    published = [v for v in versions(session, verdict) if v.status == "published"]
    return published[1:]
