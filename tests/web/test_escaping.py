"""Text from articles, statements and reviewers is always printed escaped."""
import datetime as dt
import json
import xml.etree.ElementTree as ET

from factcheck.services.people import person_for
from factcheck.store.db import session_scope
from factcheck.store.models import Article, Outlet, Quote

from .conftest import claim_reviews, publish, seed

SCRIPT = "<script>alert(1)</script>"


def test_markup_in_quote_speaker_and_explanation_is_escaped(engine, client, as_user):
    seeded = seed(engine, quote=f"We will {SCRIPT} reopen.", speaker="<b>Bold</b> Speaker")
    verdict_id = publish(engine, seeded.quote_id, explanation='<img src=x onerror="alert(2)">')
    editor = as_user("editor")
    pages = {
        "index": client.get("/").text,
        "verdict": client.get(f"/verdicts/{verdict_id}").text,
        "review": editor.get(f"/review/quote/{seeded.quote_id}").text,
        "queue": editor.get("/review/?status=").text,
        "desk": editor.get(f"/desk/article/{seeded.article_id}").text,
    }
    for name, html in pages.items():
        assert SCRIPT not in html and "<b>Bold</b>" not in html and "<img src=x" not in html, name
    for name in ("index", "verdict", "desk"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[name], name
        assert "&lt;b&gt;Bold&lt;/b&gt; Speaker" in pages[name], name
    assert "&lt;img src=x" in pages["verdict"]
    # The API gives the text as it is, as JSON that browsers will not render as a page.
    api = client.get(f"/api/verdicts/{verdict_id}")
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.json["text"] == f"We will {SCRIPT} reopen."


def test_claim_review_json_cannot_close_its_script_block(engine, client, users):
    quote = "He wrote </script><script>alert(1)</script> & left."
    verdict_id = publish(engine, seed(engine, quote=quote).quote_id)
    page = client.get(f"/verdicts/{verdict_id}").text
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "&" not in block
    assert json.loads(block)["claimReviewed"] == quote
    assert claim_reviews(page)[0]["claimReviewed"] == quote


def test_the_newsroom_pages_escape_too(engine, client, as_user):
    seeded = seed(engine, quote=f"We will {SCRIPT} reopen.", speaker="<b>Bold</b> Speaker", flags=["earlier"])
    with session_scope(engine) as session:
        person = person_for(session, "<b>Bold</b> Speaker")
        session.get(Quote, seeded.quote_id).person_id = person.id
        article = session.get(Article, seeded.article_id)
        article.published = dt.date.today()
        session.get(Outlet, article.outlet_id).name = "<i>Outlet</i>"
        person_id = person.id
    verdict_id = publish(engine, seeded.quote_id, explanation='<img src=x onerror="alert(2)">')
    editor = as_user("editor")
    pages = {
        "speaker": client.get(f"/speakers/{person_id}").text,
        "filtered index": client.get("/?speaker=%3Cb%3EBold%3C%2Fb%3E+Speaker&q=%3Cscript%3E").text,
        "desk": editor.get("/desk/").text,
        "people": editor.get("/people/?q=%3Cb%3E").text,
        "person": editor.get(f"/people/{person_id}").text,
        "queue": editor.get("/review/?speaker=%3Cb%3EBold%3C%2Fb%3E+Speaker").text,
    }
    for name, html in pages.items():
        assert SCRIPT not in html and "<b>Bold</b>" not in html and "<i>Outlet</i>" not in html, name
        assert "&lt;b&gt;Bold&lt;/b&gt; Speaker" in html, name
    feed = client.get("/verdicts.atom").data
    assert b"<script>" not in feed and b"<b>" not in feed and b"<img" not in feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summary = ET.fromstring(feed).find("a:entry/a:summary", ns).text
    assert summary.startswith(f"<b>Bold</b> Speaker: “We will {SCRIPT} reopen.”")
    assert f"/verdicts/{verdict_id}" in feed.decode()
