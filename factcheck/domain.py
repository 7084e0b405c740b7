"""The newsroom's vocabulary: every role, status, label, flag and kind, in one place.

Plain Python with no Flask or database imports: the pipeline, the schema's CHECK
constraints, the services, the forms and the templates all read these. Each is a `StrEnum`,
so a member is also the plain string stored in the database and printed in JSON.
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    CHECKER = "checker"


# Who may open a page: every staff account, or the editors' desk.
STAFF = (Role.ADMIN, Role.EDITOR, Role.CHECKER)
EDITORS = (Role.ADMIN, Role.EDITOR)


class ItemKind(StrEnum):
    """What a match or verdict is about."""

    QUOTE = "quote"
    CLAIM = "claim"


class ReviewStatus(StrEnum):
    """Where a quote or claim stands in the review workflow."""

    NEW = "new"
    IN_REVIEW = "in_review"
    AWAITING_SECOND_REVIEW = "awaiting_second_review"
    PUBLISHED = "published"


# The statuses of items still waiting for a published verdict: the review queue.
QUEUE_STATUSES = (ReviewStatus.NEW, ReviewStatus.IN_REVIEW, ReviewStatus.AWAITING_SECOND_REVIEW)


class VerdictStatus(StrEnum):
    """The status of a verdict version."""

    DRAFT = "draft"
    SECOND_REVIEW = "second_review"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


class QuoteLabel(StrEnum):
    """How a quote differs from its best source (CONTRACT.md), best first."""

    EXACT = "exact"
    MINOR = "minor"
    ELIDED = "elided"
    ALTERED = "altered"
    NONE = "none"


class ClaimLabel(StrEnum):
    """How a claim relates to the best known statement (`match --mode claim`)."""

    SAME = "same"
    RELATED = "related"
    NONE = "none"


# Every label a quote or claim may carry.
LABELS = tuple(dict.fromkeys([*QuoteLabel, *ClaimLabel]))


class Flag(StrEnum):
    MISATTRIBUTED = "misattributed"
    EARLIER = "earlier"


# Labels that put a quote before an editor: its words were changed, or no source was found.
FLAGGED_LABELS = (QuoteLabel.ALTERED, QuoteLabel.NONE)


def is_flagged(label: str, flags: list[str] | tuple[str, ...]) -> bool:
    """The desk's rule: a quote is flagged when its label is flagged or it has any flag."""
    return label in FLAGGED_LABELS or bool(flags)


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    ANONYMOUS = "anonymous"
    UNKNOWN = "unknown"


class PersonKind(StrEnum):
    """What a stored person entry is."""

    PERSON = "person"
    ORGANIZATION = "organization"


class StatementOrigin(StrEnum):
    IMPORT = "import"
    TRANSCRIPT = "transcript"
    VERIFIED_QUOTE = "verified_quote"


class SourceKind(StrEnum):
    """What a source document (the thing statements were said or written in) is."""

    TRANSCRIPT = "transcript"  # one imported speaker-labelled file
    STATEMENT = "statement"  # imported records sharing a source (a press release, letter, speech)
    STATEMENT_FILE = "statement_file"  # the records of one imported file that name no source
    ARTICLE = "article"  # the article whose verified quotes became statements


# The largest id any table's id column holds on every supported database: ids are
# PostgreSQL `integer`s (SQLite's end at 2^63 - 1). A larger number names no record.
MAX_ID = 2**31 - 1


class IncomingState(StrEnum):
    """Where an incoming item (a feed entry, or an article queued by hand) stands on its way
    to becoming a stored article (services/monitoring.py)."""

    QUEUED = "queued"  # waiting for a worker
    FETCHED = "fetched"  # its page was read; extracting and matching next
    EXTRACTED = "extracted"  # stored as an article (or found stored already)
    FAILED = "failed"  # with its reason: fetching or reading it failed


# The states a worker may take an item in (a lease on it that has expired is a killed worker's).
WORKABLE_STATES = (IncomingState.QUEUED, IncomingState.FETCHED)


class FollowUpStep(StrEnum):
    """What an imported statement still owes (services/statements.py), in this order."""

    EMBED = "embed"  # its sentence embedding
    REMATCH = "rematch"  # matching again the stored quotes it could affect
