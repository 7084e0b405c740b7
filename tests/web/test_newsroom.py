"""The desk: flagged quotes by kind, repeated claims, counts, the chart, CSV exports."""
import csv
import datetime as dt
import io

import pytest
from sqlmodel import select

from factcheck.services.people import person_for
from factcheck.store.db import session_scope
from factcheck.store.models import Article, Claim, Match, Quote, Statement

from .conftest import publish, seed

pytestmark = pytest.mark.db


@pytest.fixture
def newsroom(engine, users):
    """Four quotes, one per kind of flag, and a clean one; a claim seen before."""
    ids = {
        "altered": seed(engine, quote="Altered words.", title="One", label="altered"),
        "misattributed": seed(engine, quote="Borrowed words.", title="Two", label="exact", flags=["misattributed"]),
        "earlier": seed(engine, quote="Old words.", title="Three", label="exact", flags=["earlier"]),
        "none": seed(engine, quote="Unknown words.", title="Four", label="none"),
        "clean": seed(engine, quote="Clean words.", title="Five", label="exact"),
    }
    with session_scope(engine) as session:
        today = dt.date.today()
        for seeded in ids.values():
            session.get(Article, seeded.article_id).published = today
        person = person_for(session, "Ana Reyes")
        for quote in session.exec(select(Quote)).all():
            quote.person_id = person.id
        claim = session.get(Claim, ids["clean"].claim_id)
        claim.label = "same"
        checked = Statement(text="Work started in 2023, the city said.", speaker_name="City", rating="True",
                            source_title="An earlier check", dedupe_key="checked")
        session.add(checked)
        session.flush()
        session.add(Match(claim_id=claim.id, statement_id=checked.id, rank=1, score=90, label="same", matcher_version="1"))
    return ids


def test_desk_lists_flagged_quotes_by_kind(newsroom, as_user):
    editor = as_user("editor")
    words = ("Altered words.", "Borrowed words.", "Old words.", "Unknown words.", "Clean words.")

    def flagged(path):
        section = editor.get(path).text.split('id="flagged-heading"', 1)[1].split("</section>", 1)[0]
        return [w for w in words if w in section]

    assert flagged("/desk/") == ["Altered words.", "Borrowed words.", "Old words.", "Unknown words."]
    for kind in ("altered", "misattributed", "earlier", "none"):
        assert flagged(f"/desk/?flag={kind}") == [w for w in words if w in {
            "altered": "Altered words.", "misattributed": "Borrowed words.", "earlier": "Old words.",
            "none": "Unknown words."}[kind]]


def test_desk_shows_repeated_claims_counts_and_a_chart(newsroom, as_user):
    page = as_user("editor").get("/desk/").text
    repeats = page.split('id="repeats-heading"', 1)[1].split("</section>", 1)[0]
    assert "Work began in 2023." in repeats and "rated <strong>True</strong>" in repeats and ">same<" in repeats
    assert "numbers differ" not in repeats
    speakers = page.split("Speakers with the most flags", 1)[1].split("</table>", 1)[0]
    assert "Ana Reyes</a>" in speakers and '<td class="number">5</td><td class="number">4</td>' in speakers
    outlets = page.split("Per outlet", 1)[1].split("</table>", 1)[0]
    assert outlets.count("<tr>") == 6  # a header and five outlets
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and svg.count("<rect") == 12
    assert "<script" not in page and " style=" not in page
    # This week's bar is the tallest: four flagged quotes.
    assert svg.count(">0</text>") == 11 and ">4</text>" in svg


def test_the_desk_tallies_say_when_no_recent_article_has_quotes(engine, users, as_user):
    seed(engine, quote="Old words.", title="Long ago", label="altered")  # published in 2025, before the window
    page = as_user("editor").get("/desk/").text
    for heading in ("Per outlet", "Speakers with the most flags"):
        tally = page.split(heading, 1)[1].split("</section>", 1)[0]
        assert "<table>" not in tally and "No quotes in articles published since" in tally


def test_a_repeated_claim_whose_numbers_differ_is_marked(newsroom, engine, as_user):
    claim_id = newsroom["clean"].claim_id
    with session_scope(engine) as session:
        match = session.exec(select(Match).where(Match.claim_id == claim_id)).one()
        match.flags = ["numbers_differ"]
        match.reasons = ["numbers differ: 2,023 vs 2,024"]
    editor = as_user("editor")
    repeats = editor.get("/desk/").text.split('id="repeats-heading"', 1)[1].split("</section>", 1)[0]
    assert '<strong class="tag warning">numbers differ</strong>' in repeats
    review = editor.get(f"/review/claim/{claim_id}").text
    assert '<span class="tag warning">numbers differ</span>' in review and "numbers differ: 2,023 vs 2,024" in review


def test_csv_exports(newsroom, engine, as_user):
    verdict_id = publish(engine, newsroom["altered"].quote_id, explanation="Fine.")
    editor = as_user("editor")
    response = editor.get("/desk/export/verdicts.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["verdict_id"], r["status"], r["rating"], r["text"]) for r in rows] == [
        (str(verdict_id), "published", "Misquoted", "Altered words.")]
    flagged = list(csv.DictReader(io.StringIO(editor.get("/desk/export/flagged.csv?flag=earlier").text)))
    assert [(r["text"], r["flags"]) for r in flagged] == [("Old words.", "earlier")]


def test_csv_cells_cannot_become_spreadsheet_formulas(engine, as_user, users):
    seed(engine, quote='=HYPERLINK("http://evil.example","x")', label="altered")
    rows = list(csv.reader(io.StringIO(as_user("editor").get("/desk/export/flagged.csv").text)))
    assert rows[1][5] == "'=HYPERLINK(\"http://evil.example\",\"x\")"


def test_article_page_marks_quotes_and_claims(newsroom, as_user):
    seeded = newsroom["clean"]
    page = as_user("editor").get(f"/desk/article/{seeded.article_id}").text
    assert f'<a class="qref" href="#quote-{seeded.quote_id}">[Q1]</a>' in page
    assert f'<mark class="claim">Work began in 2023.</mark><a class="qref" href="#claim-{seeded.claim_id}">[C1]</a>' in page
    assert f'<tr id="claim-{seeded.claim_id}">' in page
