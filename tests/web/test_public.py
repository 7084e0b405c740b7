"""The public pages, ClaimReview markup and the JSON API."""
import pytest

from .conftest import QUOTE, claim_reviews, publish, seed, submit, verdict_data

# These pages lean on queries (unions, JSON functions) that must work on PostgreSQL too.
pytestmark = pytest.mark.db


def test_published_verdict_on_index_and_its_own_page(engine, client, users):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    index = client.get("/").text
    assert QUOTE in index and "Ana Reyes" in index and "Misquoted" in index
    assert f'href="/verdicts/{verdict_id}"' in index
    page = client.get(f"/verdicts/{verdict_id}").text
    assert QUOTE in page and "Checked against the hearing transcript." in page
    assert 'href="https://news.example/bridge" rel="nofollow noopener"' in page
    assert "Harbor Gazette" in page and "2025-11-03" in page
    assert page.count("<h1") == 1


def test_claim_review_markup(engine, client, users):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    [review] = claim_reviews(client.get(f"/verdicts/{verdict_id}").text)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == QUOTE
    assert review["url"] == f"http://localhost/verdicts/{verdict_id}"
    assert review["author"] == {"@type": "Organization", "name": "factcheck"}
    assert review["datePublished"]
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 3, "bestRating": 7, "worstRating": 0,
                                      "alternateName": "Misquoted"}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Ana Reyes"}
    assert item["datePublished"] == "2025-11-03"
    appearance = {"@type": "CreativeWork", "url": "https://news.example/bridge", "headline": "Bridge to reopen"}
    assert item["appearance"] == [appearance] and item["firstAppearance"] == appearance


def test_publisher_name_is_configurable(engine, app, client, users):
    app.config["PUBLISHER_NAME"] = "Harbor Checks"
    verdict_id = publish(engine, seed(engine).quote_id)
    page = client.get(f"/verdicts/{verdict_id}").text
    assert claim_reviews(page)[0]["author"]["name"] == "Harbor Checks"
    assert "<title>" in page and "Harbor Checks</title>" in page


def test_corrections_are_listed(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    editor = as_user("editor")
    submit(editor, f"/review/quote/{seeded.quote_id}", verdict_data("published", note="The hearing was on 1 November."))
    page = client.get(f"/verdicts/{verdict_id}").text
    assert "Corrections" in page and "The hearing was on 1 November." in page
    assert 'href="https://example.org/transcript" rel="nofollow noopener"' in page


def test_search_and_pagination(engine, app, client, users):
    app.config["PAGE_SIZE"] = 1
    publish(engine, seed(engine, quote="Ferries run every hour.", title="Ferries").quote_id)
    publish(engine, seed(engine, quote="Trams run every minute.", title="Trams").quote_id)
    first = client.get("/").text
    assert "Trams run" in first and "Ferries run" not in first and "Page 1 of 2" in first
    assert "Ferries run" in client.get("/?page=2").text
    found = client.get("/?q=ferries").text
    assert "Ferries run" in found and "Trams run" not in found and "1 verdict found" in found
    assert "0 verdicts found" in client.get("/?q=100%25").text  # LIKE wildcards are taken literally


def test_api_lists_and_shows_published_verdicts(engine, client, users):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    listing = client.get("/api/verdicts").json
    assert listing["total"] == 1 and listing["next"] is None
    [item] = listing["verdicts"]
    assert item["id"] == verdict_id and item["text"] == QUOTE and item["rating"] == "Misquoted"
    assert item["article"]["outlet"].startswith("Harbor Gazette")
    detail = client.get(f"/api/verdicts/{verdict_id}").json
    assert detail["explanation"] == "Checked against the hearing transcript."
    assert detail["claim_review"]["claimReviewed"] == QUOTE
    assert client.get("/api/verdicts/999").json == {"error": "not found"}
