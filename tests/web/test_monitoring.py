"""The Sources page and the "Add an article" form: editors watch feeds and queue articles;
the incoming list shows each item's state. (Polling and processing: tests/services.)"""
import pytest
from sqlmodel import Session, select

from factcheck.store.models import FeedSource, IncomingItem

from .conftest import submit

pytestmark = pytest.mark.db


def sources(engine) -> list[FeedSource]:
    with Session(engine) as session:
        return list(session.exec(select(FeedSource)))


def test_an_editor_adds_pauses_and_removes_a_source(engine, as_user):
    editor = as_user("editor")
    added = submit(editor, "/desk/sources/", {"url": "https://Gazette.example/feed.xml", "every": "30"})
    assert added.status_code == 302
    again = submit(editor, "/desk/sources/", {"url": "https://gazette.example/feed.xml", "every": "5"})
    assert again.status_code == 302
    [source] = sources(engine)
    assert (source.url, source.every, source.paused) == ("https://gazette.example/feed.xml", 30, False)
    page = editor.get("/desk/sources/").text
    assert "https://gazette.example/feed.xml" in page and "not polled yet" in page
    assert submit(editor, f"/desk/sources/{source.id}/paused", {"paused": "1"}, page="/desk/sources/").status_code == 302
    assert sources(engine)[0].paused
    assert "Resume" in editor.get("/desk/sources/").text
    assert submit(editor, f"/desk/sources/{source.id}/remove", {}, page="/desk/sources/").status_code == 302
    assert sources(engine) == []


def test_a_bad_feed_url_is_refused_by_name(engine, as_user):
    response = submit(as_user("admin"), "/desk/sources/", {"url": "gazette.example/feed", "every": "15"})
    assert response.status_code == 422
    assert "&#39;gazette.example/feed&#39;: not an http(s) URL" in response.text
    assert sources(engine) == []


def test_a_failing_source_shows_its_error_escaped(engine, as_user):
    editor = as_user("editor")
    submit(editor, "/desk/sources/", {"url": "https://gazette.example/feed.xml", "every": "15"})
    with Session(engine) as session:
        source = session.exec(select(FeedSource)).one()
        source.last_status = "error: <b>HTTP 500</b>"
        session.add(source)
        session.commit()
    page = editor.get("/desk/sources/").text
    assert "error: &lt;b&gt;HTTP 500&lt;/b&gt;" in page and "<b>HTTP 500" not in page


def test_pasted_text_is_queued_then_shown_extracted(app, engine, as_user, monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")
    editor = as_user("editor")
    text = "Sample Ferry Board Meets\n\n“Fares will stay at five crowns,” said Ola Brenn, the fictional board chair."
    response = submit(editor, "/desk/incoming/", {"title": "Sample ferry story", "text": text, "url": ""})
    assert response.status_code == 302
    page = editor.get("/desk/incoming/").text
    assert "Sample ferry story" in page and ">queued<" in page
    jobs = app.extensions["factcheck.jobs"]
    assert len(jobs.huey) == 1  # its job, queued once the item was committed
    assert jobs.huey.execute(jobs.huey.dequeue()) == "extracted"
    page = editor.get("/desk/incoming/").text
    assert ">extracted<" in page and "/desk/article/" in page


def test_an_article_needs_a_url_or_text_not_both(app, engine, as_user):
    editor = as_user("editor")
    both = submit(editor, "/desk/incoming/", {"url": "https://gazette.example/a", "text": "Words."})
    neither = submit(editor, "/desk/incoming/", {"url": "", "text": ""})
    assert both.status_code == neither.status_code == 422
    assert "give an article&#39;s URL or its text, not both" in both.text
    with Session(engine) as session:
        assert session.exec(select(IncomingItem)).all() == []
    assert len(app.extensions["factcheck.jobs"].huey) == 0


def test_a_checker_cannot_reach_the_sources(as_user):
    assert as_user("checker").get("/desk/sources/").status_code == 403
