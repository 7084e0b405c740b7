"""schema.org ClaimReview markup for a published verdict (https://schema.org/ClaimReview)."""
from __future__ import annotations

import datetime as dt

from ..services.ratings import scale_for
from ..services.verdict_views import VerdictView
from .display import day, http_url


def claim_review(view: VerdictView, url: str, publisher: str, said_on: dt.date | None) -> dict:
    """The ClaimReview of `view`, published at `url` by the organisation `publisher`;
    `said_on` is when the words were said (services.verdict_views.said_on).

    One per verdict page, with Google's required properties (claimReviewed, reviewRating,
    url, author) and recommended ones. Properties with no value are left out, not null.
    """
    scale = scale_for(view.kind)
    rating = view.rating
    appearance = _appearance(view)
    return _prune({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": view.target.text,
        "datePublished": day(view.verdict.first_published_at),
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value if rating else None,
            "bestRating": scale.best,
            "worstRating": scale.worst,
            "alternateName": view.version.rating,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": _claim_author(view),
            "datePublished": day(said_on),
            "appearance": [appearance] if appearance else None,
            # The article is the earliest appearance we know of.
            "firstAppearance": appearance,
        },
    })


def _claim_author(view: VerdictView) -> dict | None:
    """Who made the claim: a quote's speaker, or a claim's claimant (the speaker of the
    quote it is in, else the article's author or outlet: `pipeline.claimants`)."""
    if view.speaker:
        kind = "Organization" if view.speaker_kind == "organization" else "Person"
        return {"@type": kind, "name": view.speaker}
    return None


def _appearance(view: VerdictView) -> dict | None:
    article = view.article
    if article is None or not (article.url or article.title):
        return None
    return {"@type": "CreativeWork", "url": http_url(article.url), "headline": article.title}


def _prune(value):
    """`value` without None, empty strings or empty containers, at any depth."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v not in (None, "", [], {})]
    return value
