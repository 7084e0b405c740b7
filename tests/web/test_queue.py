"""The review queue's filters, sorting and assignment; match feedback; the diff's marks."""
import pytest
from sqlmodel import Session, select

from factcheck.services.people import person_for
from factcheck.store.db import session_scope
from factcheck.store.models import Article, AuditEntry, Claim, Match, Quote, Statement

from .conftest import seed, submit

pytestmark = pytest.mark.db


def texts_in(html: str, *texts: str) -> list[str]:
    return [t for t in texts if t in html]


def test_queue_filters_by_flag_outlet_speaker_and_date(engine, as_user):
    a = seed(engine, quote="Old words said again.", title="Recycled", label="exact", flags=["earlier"])
    b = seed(engine, quote="Someone else said this.", title="Wrong name", speaker="Bo Lind", flags=["misattributed"])
    with session_scope(engine) as session:
        session.get(Quote, b.quote_id).person_id = person_for(session, "Bo Lind").id
        session.get(Claim, b.claim_id).person_id = person_for(session, "Bo Lind").id  # the claimant
        session.get(Article, a.article_id).published = session.get(Article, a.article_id).published.replace(year=2024)
        outlet_id = session.get(Article, a.article_id).outlet_id
    client = as_user("checker")
    both = ("Old words said again.", "Someone else said this.")
    assert texts_in(client.get("/review/?flag=earlier").text, *both) == ["Old words said again."]
    assert texts_in(client.get(f"/review/?outlet={outlet_id}").text, *both) == ["Old words said again."]
    assert texts_in(client.get("/review/?speaker=bo+lind").text, *both) == ["Someone else said this."]
    assert texts_in(client.get("/review/?speaker=Nobody+Known").text, *both) == []
    assert texts_in(client.get("/review/?since=2025-01-01").text, *both) == ["Someone else said this."]
    assert texts_in(client.get("/review/?until=2024-12-31").text, *both) == ["Old words said again."]
    # Claims have no flags: a flag filter leaves them out. A speaker filter finds a claim by its claimant.
    assert "Work began in 2023." not in client.get("/review/?flag=earlier").text
    by_lind = client.get("/review/?speaker=bo+lind").text
    assert by_lind.count("Work began in 2023.") == 1 and "Old words said again." not in by_lind
    assert "Work began in 2023." in client.get("/review/?since=nonsense").text


def test_queue_sorts_most_flagged_first(engine, as_user):
    seed(engine, quote="Twice flagged words.", title="A", label="altered", flags=["earlier", "misattributed"])
    seed(engine, quote="Clean words here.", title="B", label="exact")
    seed(engine, quote="Once flagged words.", title="C", label="exact", flags=["earlier"])
    client = as_user("checker")
    newest = client.get("/review/?kind=quote").text
    assert newest.index("Once flagged") < newest.index("Clean words") < newest.index("Twice flagged")
    flagged = client.get("/review/?kind=quote&sort=flagged").text
    assert flagged.index("Twice flagged") < flagged.index("Once flagged") < flagged.index("Clean words")


def test_take_hand_over_and_release_an_item(engine, as_user, users):
    seeded = seed(engine)
    checker = as_user("checker")
    url = f"/review/quote/{seeded.quote_id}/assign"
    response = submit(checker, url, {"to": "me", "next": "/review/"}, page="/review/")
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    queue = checker.get("/review/").text
    assert "is now held by checker" in queue and "checker</a>: 1 item" in queue
    mine = checker.get("/review/?mine=1").text
    assert "The bridge will reopen" in mine and "Work began" not in mine
    with Session(engine) as session:
        checker_id = session.exec(select(Quote.assigned_to_id)).first()
    page = checker.get(f"/review/quote/{seeded.quote_id}").text
    assert "Held by <strong>checker</strong>" in page
    editor_option = page.split('<select id="hand-to"', 1)[1].split("editor", 1)[0].rsplit('value="', 1)[1].split('"')[0]
    assert submit(checker, url, {"to": editor_option}, page=f"/review/quote/{seeded.quote_id}").status_code == 302
    assert "Held by <strong>editor</strong>" in checker.get(f"/review/quote/{seeded.quote_id}").text
    assert "The bridge will reopen" not in checker.get("/review/?mine=1").text
    assert submit(checker, url, {"to": ""}, page=f"/review/quote/{seeded.quote_id}").status_code == 302
    assert "Nobody holds this quote yet." in checker.get(f"/review/quote/{seeded.quote_id}").text
    with Session(engine) as session:
        moves = session.exec(select(AuditEntry).where(AuditEntry.action == "review.assign").order_by(AuditEntry.id)).all()
    assert [m.detail["to"] for m in moves] == [checker_id, int(editor_option), None]
    assert submit(checker, url, {"to": "9999"}, page="/review/").status_code == 404


def test_claims_can_be_assigned_too(engine, as_user):
    seeded = seed(engine)
    checker = as_user("checker")
    assert submit(checker, f"/review/claim/{seeded.claim_id}/assign", {"to": "me"}, page="/review/").status_code == 302
    assert "Work began in 2023." in checker.get("/review/?mine=1&kind=claim").text


def test_confirming_and_rejecting_a_candidate_source(engine, as_user):
    seeded = seed(engine)
    checker = as_user("checker")
    page_url = f"/review/quote/{seeded.quote_id}"
    with Session(engine) as session:
        match_id = session.exec(select(Match.id)).one()
    url = f"/review/match/{match_id}/feedback"
    response = submit(checker, url, {"feedback": "confirm"}, page=page_url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page_url}#match-{match_id}")
    page = checker.get(page_url).text
    assert "Source confirmed." in page and "<strong>Confirmed.</strong>" in page and "Confirm source" not in page
    submit(checker, url, {"feedback": "reject"}, page=page_url)
    assert submit(checker, url, {"feedback": "maybe"}, page=page_url).status_code == 400
    with Session(engine) as session:
        assert session.get(Match, match_id).confirmed is False
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.object_type == "match")).all()
    assert actions == ["match.confirm", "match.reject"]


def test_changed_numbers_and_negations_stand_out(engine, as_user):
    seeded = seed(engine, quote="We will not hire 2,000 staff.")
    with session_scope(engine) as session:
        match = session.exec(select(Match)).one()
        match.diff = [["equal", "We will"], ["delete", "not"], ["equal", "hire"], ["replace", "20,000", "2,000"],
                      ["equal", "staff."]]
        match.reasons = ["word changed: 'a' → 'b'", "number changed: 20,000 → 2,000", "negation dropped: 'not'"]
        session.get(Statement, match.statement_id).rating = "Mostly true"
    page = as_user("checker").get(f"/review/quote/{seeded.quote_id}").text
    assert '<del class="negation">not<span class="visually-hidden"> (negation changed)</span></del>' in page
    assert '<del class="number">20,000' in page and '<ins class="number">2,000' in page
    reasons = page.split('<ul class="reasons">', 1)[1].split("</ul>", 1)[0]
    assert '<li class="reason-number"><strong>number changed: 20,000 → 2,000</strong></li>' in reasons
    assert '<li class="reason-negation">' in reasons
    assert reasons.index("number changed") < reasons.index("word changed")  # the weighty ones first
    assert "Rated elsewhere: <strong>Mostly true</strong>" in page


def test_long_lists_are_counted_only_up_to_a_cap(engine, app, as_user, monkeypatch):
    monkeypatch.setattr("factcheck.services.queue.COUNT_CAP", 2)
    monkeypatch.setattr("factcheck.services.paging.COUNT_CAP", 2)
    app.config["PAGE_SIZE"] = 2
    seed(engine, quote="One quote here.", title="A")
    seed(engine, quote="Two quote here.", title="B")
    client = as_user("checker")
    first = client.get("/review/").text
    assert "2+ items waiting" in first and "<span>Page 1</span>" in first and 'rel="next"' in first
    last = client.get("/review/?page=2").text
    assert "One quote here." in last and "Work began in 2023." in last and 'rel="next"' not in last
