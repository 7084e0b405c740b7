"""The public pages, ClaimReview markup, the Atom feed and the JSON API."""
import xml.etree.ElementTree as ET

import pytest

from factcheck.services.people import add_alias, person_for
from factcheck.store.db import session_scope
from factcheck.store.models import Quote
from factcheck.web.app import create_app
from factcheck.web.server import listen_url

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


def test_index_filters_by_rating_kind_and_speaker(engine, client, users):
    first = seed(engine, quote="Ferries run every hour.", title="Ferries")
    second = seed(engine, quote="Trams run every minute.", title="Trams", speaker="Bo Lind")
    with session_scope(engine) as session:
        session.get(Quote, second.quote_id).person_id = person_for(session, "Bo Lind").id
    publish(engine, first.quote_id)
    publish(engine, second.quote_id)
    assert "Trams run" in client.get("/?speaker=bo+lind").text
    assert "Ferries run" not in client.get("/?speaker=bo+lind").text
    assert "0 verdicts found" in client.get("/?speaker=nobody").text
    assert "2 verdicts found" in client.get("/?rating=Misquoted&kind=quote").text
    assert "0 verdicts found" in client.get("/?kind=claim").text
    assert "0 verdicts found" in client.get("/?rating=Accurate").text


def test_speaker_page(engine, client, users):
    seeded = seed(engine)
    with session_scope(engine) as session:
        person = person_for(session, "Ana Reyes")
        add_alias(session, person, "Mayor Reyes")
        session.get(Quote, seeded.quote_id).person_id = person.id
        person_id = person.id
    verdict_id = publish(engine, seeded.quote_id)
    page = client.get(f"/speakers/{person_id}").text
    assert "<h1>Ana Reyes</h1>" in page and "also named Mayor Reyes" in page and QUOTE in page
    assert f'href="/speakers/{person_id}"' in client.get(f"/verdicts/{verdict_id}").text
    assert client.get("/speakers/999").status_code == 404


def test_atom_feed_is_valid_and_escaped(engine, client, users):
    verdict_id = publish(engine, seed(engine, quote="Fares & <fees> fall.").quote_id)
    response = client.get("/verdicts.atom")
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.data)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("title", "id", "updated", "author/a:name"):
        assert feed.find(f"a:{name}", ns) is not None, name
    [entry] = feed.findall("a:entry", ns)
    assert entry.find("a:title", ns).text == "Misquoted: Fares & <fees> fall."
    assert entry.find("a:id", ns).text == f"http://localhost/verdicts/{verdict_id}"
    assert entry.find("a:link", ns).get("href") == f"http://localhost/verdicts/{verdict_id}"
    assert entry.find("a:updated", ns).text.endswith("Z") and entry.find("a:published", ns) is not None
    assert 'rel="alternate" type="application/atom+xml"' in client.get("/").text


def test_claim_review_says_when_the_words_were_said(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    page = client.get(f"/verdicts/{verdict_id}").text
    assert claim_reviews(page)[0]["itemReviewed"]["datePublished"] == "2025-11-03"  # the article's day
    # Once a checker confirms the source, its date is when the words were said.
    checker = as_user("checker")
    review = checker.get(f"/review/quote/{seeded.quote_id}").text
    match_id = review.split('id="match-', 1)[1].split('"', 1)[0]
    submit(checker, f"/review/match/{match_id}/feedback", {"feedback": "confirm"}, page=f"/review/quote/{seeded.quote_id}")
    reviews = claim_reviews(client.get(f"/verdicts/{verdict_id}").text)
    assert len(reviews) == 1 and reviews[0]["itemReviewed"]["datePublished"] == "2025-11-01"


def test_search_reads_only_as_far_as_the_page_needs(engine, app, client, users, monkeypatch):
    from factcheck.services import paging

    monkeypatch.setattr(paging, "SCAN_AHEAD", 2)
    app.config["PAGE_SIZE"] = 1
    for n in range(5):
        publish(engine, seed(engine, quote=f"Ferry number {n} runs late.", title=f"Ferry {n}").quote_id)
    publish(engine, seed(engine, quote="Trams run every minute.", title="Trams").quote_id)
    first = client.get("/?q=ferry").text
    assert "2+ verdicts found" in first and "Ferry number 4 runs late." in first and 'rel="next"' in first
    # A deeper page reads further (here to the search's end, so its count is exact).
    third = client.get("/?q=ferry&page=3").text
    assert "Ferry number 2 runs late." in third and "5 verdicts found" in third and "Page 3 of 5" in third
    last = client.get("/?q=ferry&page=5").text
    assert "Ferry number 0 runs late." in last and 'rel="next"' not in last


def claimed_by(engine, name, kind):
    """A published verdict on the seeded claim, made by `name` (a person or an outlet)."""
    from sqlmodel import select

    from factcheck.services.verdicts import record_verdict
    from factcheck.store.models import Claim, User

    seeded = seed(engine)
    with session_scope(engine) as session:
        claim = session.get(Claim, seeded.claim_id)
        if name:
            claim.person_id = person_for(session, name, kind).id
        claim.speaker_name, claim.speaker_kind = name, kind
        editor = session.exec(select(User).where(User.username == "editor")).one()
        version = record_verdict(session, claim, rating="Mostly true", explanation="Checked against the budget.",
                                 evidence=[], status="published", reviewer=editor)
        return seeded, version.verdict_id, claim.person_id


def test_a_claims_claimant_is_shown_and_is_the_claim_reviews_author(engine, client, as_user):
    seeded, verdict_id, person_id = claimed_by(engine, "Lena Varga", "person")
    page = client.get(f"/verdicts/{verdict_id}").text
    assert "Fact check: a claim by Lena Varga" in page and f'href="/speakers/{person_id}"' in page
    assert claim_reviews(page)[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "Lena Varga"}
    assert "A claim by Lena Varga" in client.get("/").text
    assert "Mostly true" in client.get(f"/speakers/{person_id}").text  # the claimant's page lists the claim
    editor = as_user("editor")
    assert "<dt>Claimant</dt><dd>Lena Varga (person)</dd>" in editor.get(f"/review/claim/{seeded.claim_id}").text
    assert '<td data-label="Claimant">Lena Varga</td>' in editor.get(f"/desk/article/{seeded.article_id}").text


def test_an_outlet_as_claimant_is_an_organization_and_no_claimant_no_author(engine, client, users):
    _seeded, verdict_id, _ = claimed_by(engine, "Harbor Gazette", "organization")
    [review] = claim_reviews(client.get(f"/verdicts/{verdict_id}").text)
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Harbor Gazette"}


def test_a_claim_with_no_claimant_has_no_author(engine, client, users):
    _seeded, verdict_id, _ = claimed_by(engine, None, "unknown")
    [review] = claim_reviews(client.get(f"/verdicts/{verdict_id}").text)
    assert "author" not in review["itemReviewed"]
    assert "Fact check: a claim</h1>" in client.get(f"/verdicts/{verdict_id}").text


EVIL = {"Host": "evil.example"}


def absolute_urls(client, verdict_id: int) -> list[str]:
    """Every absolute URL the feed, the ClaimReview markup and the API give, asked for with
    a forged Host header."""
    [review] = claim_reviews(client.get(f"/verdicts/{verdict_id}", headers=EVIL).text)
    listing = client.get("/api/verdicts", headers=EVIL).json
    one = client.get(f"/api/verdicts/{verdict_id}", headers=EVIL).json
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(client.get("/verdicts.atom", headers=EVIL).data)
    return [review["url"], listing["next"], *(v["url"] for v in listing["verdicts"]), one["url"],
            one["claim_review"]["url"], feed.find("a:id", ns).text,
            *(link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")),
            *(entry.text for entry in feed.iter("{http://www.w3.org/2005/Atom}id"))]


def two_published(engine) -> int:
    publish(engine, seed(engine, title="First").quote_id)
    return publish(engine, seed(engine, quote="Every ferry will run on time.", title="Second").quote_id)


@pytest.mark.parametrize("setting, env, base", [
    ({"BASE_URL": "https://factcheck.example/"}, None, "https://factcheck.example"),
    ({}, "https://news.example:8443", "https://news.example:8443"),
    ({}, None, "http://localhost"),  # unset, outside `factcheck serve`: never the request's Host
])
def test_absolute_urls_are_on_the_base_url_whatever_the_host_header(database, engine, users, monkeypatch, setting,
                                                                   env, base):
    if env:
        monkeypatch.setenv("FACTCHECK_BASE_URL", env)
    app = create_app({"DATABASE_URL": database, "TESTING": True, "SECRET_KEY": "test", "PAGE_SIZE": 1, **setting})
    verdict_id = two_published(engine)
    urls = absolute_urls(app.test_client(), verdict_id)
    assert len(urls) >= 9 and all(url.startswith(base + "/") for url in urls), urls
    assert f"{base}/verdicts/{verdict_id}" in urls and f"{base}/api/verdicts?page=2" in urls


def test_serve_uses_its_own_address_unless_base_url_is_set(database, monkeypatch):
    listening = listen_url("0.0.0.0", 8000)
    assert listening == "http://localhost:8000" and listen_url("::1", 80) == "http://[::1]:80"
    assert create_app({"DATABASE_URL": database}, listening_on=listening).config["BASE_URL"] == listening
    monkeypatch.setenv("FACTCHECK_BASE_URL", "https://factcheck.example")
    assert create_app({"DATABASE_URL": database}, listening_on=listening).config["BASE_URL"] == "https://factcheck.example"


@pytest.mark.parametrize("value", ["factcheck.example", "ftp://factcheck.example", "https://", "https://x.example/site",
                                   "https://x.example/?a=1", "https://user:pw@x.example"])
def test_a_base_url_that_is_not_a_site_address_is_refused(database, value):
    with pytest.raises(ValueError, match="BASE_URL"):
        create_app({"DATABASE_URL": database, "BASE_URL": value})
