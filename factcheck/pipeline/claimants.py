"""Who makes a claim: the speaker of the quote it is said in, or else the article's
author or outlet, who put it forward in their own words."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..domain import SpeakerKind


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int
    speaker: str | None
    speaker_kind: str


@dataclass(frozen=True)
class Claimant:
    name: str | None
    kind: str  # a SpeakerKind
    quote: int | None = None  # the index, in the quotes given, of the quote the claim is in


def claimant(start: int, end: int, quotes: Sequence[QuoteSpan], authors: Sequence[str], outlet: str | None) -> Claimant:
    """The claimant of the claim at [start, end): the speaker (possibly unknown) of the
    narrowest quote around it; else the first author; else the outlet; else unknown."""
    around = [i for i, q in enumerate(quotes) if q.start <= start and end <= q.end]
    if around:
        i = min(around, key=lambda i: quotes[i].end - quotes[i].start)
        return Claimant(quotes[i].speaker, quotes[i].speaker_kind, i)
    author = next((a.strip() for a in authors if a and a.strip()), None)
    if author:
        return Claimant(author, SpeakerKind.PERSON)
    if outlet:
        return Claimant(outlet, SpeakerKind.ORGANIZATION)
    return Claimant(None, SpeakerKind.UNKNOWN)
