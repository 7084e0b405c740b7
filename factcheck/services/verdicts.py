"""Recording verdicts: every save appends a version; nothing is overwritten."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..domain import EDITORS, ReviewStatus, VerdictStatus
from ..errors import InputError
from ..store.models import Claim, Quote, User, Verdict, VerdictVersion, utcnow
from .audit import record
from .ratings import scale_for

# A verdict's status "second_review" means "done, awaiting a second reviewer": only used
# when the newsroom switches second review on (the web app's SECOND_REVIEW setting).
# Working versions: not public, saved by anyone on staff.
WORKING = (VerdictStatus.DRAFT, VerdictStatus.SECOND_REVIEW)
# What a verdict's status makes of its quote's or claim's place in the workflow.
TARGET_STATUS = {VerdictStatus.DRAFT: ReviewStatus.IN_REVIEW,
                 VerdictStatus.SECOND_REVIEW: ReviewStatus.AWAITING_SECOND_REVIEW,
                 VerdictStatus.PUBLISHED: ReviewStatus.PUBLISHED, VerdictStatus.UNPUBLISHED: ReviewStatus.IN_REVIEW}


@dataclass(frozen=True)
class VersionText:
    """A verdict version's words: what the verdict form is filled from, and what a
    conflicting save shows of the version saved meanwhile."""

    version: int
    status: str
    rating: str
    explanation: str
    evidence: list[dict]
    created_at: dt.datetime


def version_text(version: VerdictVersion) -> VersionText:
    return VersionText(version.version, version.status, version.rating, version.explanation, version.evidence,
                       version.created_at)


class VersionConflict(InputError):
    """Someone else saved the verdict since this reviewer loaded it."""

    def __init__(self, current: VersionText | None):
        super().__init__(
            f"this verdict was changed by someone else (now version {current.version if current else 0}); "
            "your changes were not saved: review theirs and save again"
        )
        self.current = current


class NotAllowed(InputError):
    """The reviewer's role does not allow this save."""


def status_refusal(reviewer: User, status: str, verdict: Verdict | None, *, second_review: bool = False,
                   submitted_by: int | None = None) -> str | None:
    """Why `reviewer` may not save a version with `status`, or None if they may.

    A verdict's status is its latest version's, so a draft saved over a published verdict
    would silently take it off the public site: corrections are published with a note.
    With `second_review` on, a verdict is first published only from "second_review" and
    by someone other than `submitted_by` (the user id who saved that version): four eyes.
    """
    publisher = reviewer.role in EDITORS  # publishing is an editor's decision; checkers save drafts
    if status == VerdictStatus.SECOND_REVIEW and not second_review:
        return "Second review is not switched on here: save a draft, or publish."
    if verdict is not None and verdict.status == VerdictStatus.PUBLISHED and status in WORKING:
        if not publisher:
            return "This verdict is published: only an editor or admin can correct or unpublish it."
        return ("This verdict is published: saving a draft would take it off the public site. To correct it, "
                "keep the status 'published' and write a correction note; to take it down, choose 'unpublished'.")
    if not publisher and status not in WORKING:
        return ("Only editors and admins can publish or unpublish a verdict. "
                "Save it as a draft and an editor will publish it.")
    first_publication = status == VerdictStatus.PUBLISHED and (
        verdict is None or verdict.status != VerdictStatus.PUBLISHED)
    if second_review and first_publication:
        if verdict is None or verdict.status != VerdictStatus.SECOND_REVIEW:
            return "Second review is on: submit the verdict for second review before it is published."
        if submitted_by == reviewer.id:
            return "Second review is on: someone other than the person who submitted it must publish it."
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
    second_review: bool = False,
) -> VerdictVersion:
    """Append a version to the target's verdict (creating the verdict on first save).

    `base_version` is the version the reviewer started from; if someone saved a newer
    one meanwhile, VersionConflict is raised and nothing is written. A save that races
    another one (both read the same version, the other wrote first) is the same conflict;
    the database refused its write, so the session is rolled back (`_flush_or_conflict`).
    NotAllowed is raised when the reviewer's role may not save this status (see
    `status_refusal`, which also explains `second_review`).
    """
    kind = target_kind(target)
    if scale_for(kind).get(rating) is None:
        raise InputError(f"{rating!r} is not a rating on the {kind} scale")
    if status not in tuple(VerdictStatus):
        raise InputError(f"unknown verdict status {status!r}")
    if not explanation.strip():
        raise InputError("a verdict needs an explanation")
    for item in evidence:
        if urlparse(item.url).scheme not in ("http", "https"):
            raise InputError(f"evidence link {item.url!r} is not an http(s) URL")

    verdict = verdict_for(session, target)
    latest = current_version(session, verdict) if verdict else None
    read_version = verdict.current_version if verdict else 0
    if base_version is not None and base_version != read_version:
        raise VersionConflict(version_text(latest) if latest else None)
    refusal = status_refusal(reviewer, status, verdict, second_review=second_review,
                             submitted_by=latest.reviewer_id if latest else None)
    if refusal:
        raise NotAllowed(refusal)
    if verdict is None:
        verdict = Verdict(quote_id=target.id if kind == "quote" else None, claim_id=target.id if kind == "claim" else None)
        session.add(verdict)
        _flush_or_conflict(session, target, read_version)
    correction = verdict.first_published_at is not None and status == verdict.status == VerdictStatus.PUBLISHED
    if correction and not (note or "").strip():
        raise InputError("a change to a published verdict is a correction: say what changed in the correction note")

    version = VerdictVersion(
        verdict_id=verdict.id, version=verdict.current_version + 1, rating=rating, explanation=explanation.strip(),
        evidence=[e.as_dict() for e in evidence], status=status, note=(note or "").strip() or None, reviewer_id=reviewer.id,
    )
    session.add(version)
    verdict.current_version = version.version
    verdict.status = status
    if status == VerdictStatus.PUBLISHED and verdict.first_published_at is None:
        verdict.first_published_at = utcnow()
    session.add(verdict)
    target.status = TARGET_STATUS[status]
    session.add(target)
    _flush_or_conflict(session, target, read_version)
    record(session, reviewer, f"verdict.{status}", verdict, {"version": version.version, "rating": rating})
    return version


def _flush_or_conflict(session: Session, target: Quote | Claim, read_version: int) -> None:
    """Write the new verdict or version; VersionConflict if a concurrent save of the same
    verdict wrote first.

    Two saves that read the same version both pass the `base_version` check; the database's
    unique constraints (one verdict per quote or claim, one row per verdict version) refuse
    the second write. A refused flush leaves the session unusable, so it is rolled back
    before the verdict is read again to tell a lost race (the stored version moved on since
    `read_version`) from any other refusal, which is raised as it is.
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        verdict = verdict_for(session, target)
        if (verdict.current_version if verdict else 0) == read_version:
            raise
        latest = current_version(session, verdict)
        raise VersionConflict(version_text(latest) if latest else None) from None
