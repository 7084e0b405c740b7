"""Only check-worthy claims reach people: the review queue and the desk's lists hold them,
and the desk's view of an article also shows the others, marked as not check-worthy."""
import datetime as dt
import re

import pytest
from sqlmodel import Session, select

from factcheck.services.queue import holders
from factcheck.store.db import session_scope
from factcheck.store.models import Article, Claim, Match, Outlet, Statement, User

pytestmark = pytest.mark.db

# A sample article written for these tests: fictional city, fictional people.
WORTHY = "The ferry fare rose to 4 dollars in 2024."
UNWORTHY = "The ferry has been running for a while now."
TEXT = f"{WORTHY} {UNWORTHY}"


@pytest.fixture
def article(engine, users):
    """(article id, the check-worthy claim's id, the other's id): both repeat a checked
    statement, and both are held by the checker."""
    with session_scope(engine) as session:
        outlet = Outlet(name="Skerra Tribune")
        session.add(outlet)
        session.flush()
        row = Article(outlet_id=outlet.id, title="Ferry fares", published=dt.date(2025, 11, 3), text=TEXT,
                      content_hash="ferry fares")
        session.add(row)
        session.flush()
        checker = session.exec(select(User).where(User.username == "checker")).one()
        claims = [Claim(article_id=row.id, start=TEXT.index(text), end=TEXT.index(text) + len(text), text=text,
                        score=score, checkworthy=worthy, kinds=["quantity"] if worthy else [], label="same",
                        assigned_to_id=checker.id)
                  for text, score, worthy in ((WORTHY, 0.91, True), (UNWORTHY, 0.12, False))]
        statement = Statement(text="Ferry fares rose to 4 dollars.", speaker_name="Skerra Ferries", rating="True",
                              source_title="Fares notice", dedupe_key="ferry fares notice")
        session.add_all([*claims, statement])
        session.flush()
        session.add_all([Match(claim_id=c.id, statement_id=statement.id, rank=1, score=90.0, label="same",
                               matcher_version="1") for c in claims])
        return row.id, claims[0].id, claims[1].id


def test_a_claim_that_is_not_check_worthy_is_not_in_the_queue(as_user, article):
    checker = as_user("checker")
    for url in ("/review/", "/review/?kind=claim", "/review/?mine=1", "/review/?label=same"):
        page = checker.get(url).text
        assert WORTHY in page and UNWORTHY not in page, url


def test_who_holds_what_counts_only_what_the_queue_shows(engine, article):
    with Session(engine) as session:
        held = {member.username: count for member, count in holders(session)}
    assert held["checker"] == 1


def test_the_desk_lists_and_counts_only_check_worthy_claims(as_user, article):
    page = as_user("editor").get("/desk/").text
    assert WORTHY in page and UNWORTHY not in page  # claims that repeat checked ones
    row = page.split('id="articles-heading"', 1)[1].split("Ferry fares", 1)[1].split("</tr>", 1)[0]
    assert '<td data-label="Check-worthy claims" class="number">1</td>' in row


def test_the_articles_view_shows_every_claim_the_unworthy_one_marked(as_user, article):
    article_id, worthy_id, unworthy_id = article
    page = as_user("editor").get(f"/desk/article/{article_id}").text
    assert "Claims (2, 1 not check-worthy)" in page
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr id="claim-(\d+)".*?</tr>', page, re.S)}
    unworthy, worthy = rows[str(unworthy_id)], rows[str(worthy_id)]
    assert 'class="not-checkworthy"' in unworthy and "not check-worthy: score 0.12" in unworthy
    assert "not check-worthy" not in worthy
    assert f'<mark class="claim not-checkworthy">{UNWORTHY}</mark>' in page
    assert f'<mark class="claim">{WORTHY}</mark>' in page


def test_its_review_page_says_it_is_not_check_worthy(as_user, article):
    _, worthy_id, unworthy_id = article
    checker = as_user("checker")
    assert "not check-worthy" in checker.get(f"/review/claim/{unworthy_id}").text
    assert "not check-worthy" not in checker.get(f"/review/claim/{worthy_id}").text
