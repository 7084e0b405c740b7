"""The whole path on the sample article: ingest, review, draft, publish, read in public."""
from pathlib import Path

import pytest
from sqlmodel import Session, select

from factcheck.services.articles import ingest_sources
from factcheck.store.models import Quote, Verdict

from .conftest import claim_reviews, submit, verdict_data

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLE = SHARED / "corpus" / "articles" / "melania-reunites-ukrainian-children.txt"


@pytest.mark.skipif(not SAMPLE.is_file(), reason=f"the shared corpus is absent ({SAMPLE})")
def test_ingest_review_publish_and_read(engine, client, as_user):
    [result] = ingest_sources(engine, [str(SAMPLE)])
    assert result.error is None and result.quotes > 0
    with Session(engine) as session:
        quote = session.exec(select(Quote).order_by(Quote.start)).first()
    excerpt = quote.text[:40]

    checker = as_user("checker")
    assert excerpt in checker.get("/review/").text
    url = f"/review/quote/{quote.id}"
    page = checker.get(url).text
    assert '<mark class="target">' in page and quote.speaker_name in page
    response = submit(checker, url, verdict_data(explanation="Her office published the same words."))
    assert response.status_code == 302
    assert client.get("/").text.count(excerpt) == 0  # a draft is not public

    editor = as_user("editor")
    response = submit(editor, url, verdict_data("published", explanation="Her office published the same words."))
    assert response.status_code == 302
    with Session(engine) as session:
        verdict = session.exec(select(Verdict)).one()
    assert verdict.status == "published" and verdict.current_version == 2

    assert excerpt in client.get("/").text
    page = client.get(f"/verdicts/{verdict.id}").text
    assert "Her office published the same words." in page
    [review] = claim_reviews(page)
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == quote.text
    assert review["reviewRating"]["alternateName"] == "Accurate"
    assert {"ratingValue", "bestRating", "worstRating"} <= review["reviewRating"].keys()
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": quote.speaker_name}
    assert review["itemReviewed"]["datePublished"] == "2025-12-05"
    assert review["itemReviewed"]["appearance"][0]["headline"].startswith("Melania Trump")
    assert review["author"]["name"] == "factcheck" and review["url"].endswith(f"/verdicts/{verdict.id}")
