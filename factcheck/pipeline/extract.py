"""The whole extraction of one article: quotes with their speakers, and claims."""
from __future__ import annotations

from .claims import find_claims
from .records import Article, Extraction
from .speakers import quotes_with_speakers


def extract(article: Article, claim_threshold: float | None = None) -> Extraction:
    return Extraction(
        article=article,
        quotes=quotes_with_speakers(article.text),
        claims=find_claims(article.text, threshold=claim_threshold),
    )
