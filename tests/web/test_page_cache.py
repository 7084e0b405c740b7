"""Public pages are rendered once and reused (web/cache.py) until anything is written:
a correction, an unpublication or a new verdict shows at once, in every server process."""
import pytest
from sqlmodel import select

from factcheck.services.verdicts import record_verdict
from factcheck.store.db import session_scope
from factcheck.store.models import Quote, User
from factcheck.web import public
from factcheck.web.app import create_app

from .conftest import QUOTE, claim_reviews, hidden_inputs, publish, seed, submit, verdict_data

# The change marker reads max() of five tables: PostgreSQL too.
pytestmark = pytest.mark.db


@pytest.fixture
def renders(monkeypatch):
    """How many times each public page was rendered, not taken from the cache."""
    counts = {"verdict": 0, "index": 0}
    verdict_page, index_body = public.verdict_page, public.index_body

    def counted_verdict(*args, **kwargs):
        counts["verdict"] += 1
        return verdict_page(*args, **kwargs)

    def counted_index():
        counts["index"] += 1
        return index_body()

    monkeypatch.setattr(public, "verdict_page", counted_verdict)
    monkeypatch.setattr(public, "index_body", counted_index)
    return counts


def test_pages_are_reused_while_nothing_changes(engine, client, as_user, renders):
    verdict_id = publish(engine, seed(engine).quote_id)
    first = client.get(f"/verdicts/{verdict_id}").text
    assert client.get(f"/verdicts/{verdict_id}").text == first
    client.get("/")
    client.get("/")
    assert renders == {"verdict": 1, "index": 1}
    # The cached part is the same for everyone; each visitor's header is their own.
    page = as_user("checker").get(f"/verdicts/{verdict_id}").text
    assert renders["verdict"] == 1 and "checker (checker)" in page and "checker (checker)" not in first
    assert QUOTE in page and claim_reviews(page) == claim_reviews(first)
    # Another query string is another page.
    client.get("/?page=2")
    assert renders["index"] == 2


def test_a_correction_shows_at_once_on_the_verdict_page_and_the_index(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id, explanation="The first explanation.")
    assert "The first explanation." in client.get(f"/verdicts/{verdict_id}").text
    assert '<span class="rating">Misquoted</span>' in client.get("/").text
    submit(as_user("editor"), f"/review/quote/{seeded.quote_id}",
           verdict_data("published", rating="Accurate", explanation="The corrected explanation.",
                        note="Wrong hearing date."))
    page = client.get(f"/verdicts/{verdict_id}").text
    assert "The corrected explanation." in page and "The first explanation." not in page
    assert "Wrong hearing date." in page
    assert claim_reviews(page)[0]["reviewRating"]["alternateName"] == "Accurate"
    index = client.get("/").text
    assert '<span class="rating">Accurate</span>' in index and '<span class="rating">Misquoted</span>' not in index


def test_a_change_made_by_another_server_process_shows_at_once(database, engine, client, users):
    """Two apps on one database stand for two worker processes, each with its own cache."""
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id, explanation="The first explanation.")
    assert "The first explanation." in client.get(f"/verdicts/{verdict_id}").text
    other = create_app({"DATABASE_URL": database, "TESTING": True, "SECRET_KEY": "test"})
    assert "The first explanation." in other.test_client().get(f"/verdicts/{verdict_id}").text
    with session_scope(engine) as session:  # as the other process (or the command line) would
        editor = session.exec(select(User).where(User.username == "editor")).one()
        record_verdict(session, session.get(Quote, seeded.quote_id), rating="Misquoted",
                       explanation="Corrected elsewhere.", evidence=[], status="published", reviewer=editor,
                       note="Corrected by a colleague.")
    for app_client in (client, other.test_client()):
        page = app_client.get(f"/verdicts/{verdict_id}").text
        assert "Corrected elsewhere." in page and "Corrected by a colleague." in page


def test_unpublishing_hides_the_cached_page_at_once(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    assert client.get(f"/verdicts/{verdict_id}").status_code == 200
    assert QUOTE in client.get("/").text
    submit(as_user("editor"), f"/review/quote/{seeded.quote_id}",
           verdict_data("unpublished", note="Withdrawn while we check again."))
    assert client.get(f"/verdicts/{verdict_id}").status_code == 404
    assert QUOTE not in client.get("/").text
    # Staff still see a preview, marked as not published, and it is never served to anyone else.
    preview = as_user("checker").get(f"/verdicts/{verdict_id}").text
    assert "Not published (unpublished)" in preview and not claim_reviews(preview)
    assert client.get(f"/verdicts/{verdict_id}").status_code == 404


def test_a_new_verdict_shows_on_the_cached_index_at_once(engine, client, users):
    publish(engine, seed(engine, quote="Ferries run every hour.", title="Ferries").quote_id)
    assert "Ferries run" in client.get("/").text
    publish(engine, seed(engine, quote="Trams run every minute.", title="Trams").quote_id)
    assert "Trams run" in client.get("/").text


def test_the_cache_can_be_switched_off(app, engine, client, users, renders):
    app.config["PAGE_CACHE_SECONDS"] = 0
    verdict_id = publish(engine, seed(engine).quote_id)
    client.get(f"/verdicts/{verdict_id}")
    client.get(f"/verdicts/{verdict_id}")
    assert renders["verdict"] == 2


# The review queue keeps its rows, filters and holders the same way.

def test_the_queue_shows_new_items_and_assignments_at_once(engine, as_user):
    checker, editor = as_user("checker"), as_user("editor")
    seeded = seed(engine, quote="The ferry will run at night.", title="Night ferry")
    assert "The ferry will run at night." in checker.get("/review/").text
    seed(engine, quote="The tram will run all day.", title="Day tram")
    page = checker.get("/review/").text
    assert "The tram will run all day." in page
    # The editor takes the ferry quote from the queue page's own form (its CSRF token is the editor's).
    response = submit(editor, f"/review/quote/{seeded.quote_id}/assign", {"to": "me"}, page="/review/")
    assert response.status_code == 302
    row = checker.get("/review/").text.split("The ferry will run at night.", 1)[1].split("</tr>", 1)[0]
    assert "editor" in row and "Take" not in row
    assert "editor</a>: 1 item" in checker.get("/review/").text


def test_each_reader_gets_their_own_token_in_kept_markup(engine, as_user):
    seeded = seed(engine, quote="A quote that mentions <csrf-token> in its words.", title="Tokens")
    checker, editor = as_user("checker"), as_user("editor")
    queue, other = checker.get("/review/").text, editor.get("/review/").text
    assert "A quote that mentions &lt;csrf-token&gt; in its words." in queue
    assert "<csrf-token>" not in queue and "<csrf-token>" not in other
    tokens = {hidden_inputs(queue)["csrf_token"], hidden_inputs(other)["csrf_token"]}
    assert len(tokens) == 2
    # The blank verdict form too: rendered once, each reader's own token.
    forms = [client.get(f"/review/quote/{seeded.quote_id}").text for client in (checker, as_user("checker"))]
    assert len({hidden_inputs(page)["csrf_token"] for page in forms}) == 2
    assert all("<csrf-token>" not in page for page in forms)
    assert submit(checker, f"/review/quote/{seeded.quote_id}", verdict_data()).status_code == 302
