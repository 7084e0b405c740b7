"""Fixtures for the web tests: an app on a fresh database, accounts, and rows to review.

CSRF protection stays on: `submit` reads the page's hidden inputs (the CSRF token, a
verdict's base_version) the way a browser would, then posts them with the given data.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from factcheck.services.users import create_user
from factcheck.services.verdicts import record_verdict
from factcheck.store.db import session_scope
from factcheck.store.models import Article, Claim, Match, Outlet, Quote, Statement, User
from factcheck.web.app import create_app

PASSWORD = "a long test password"
ROLES = {"checker": "checker", "editor": "editor", "admin": "admin"}  # username: role


@pytest.fixture
def app(database):
    return create_app({"DATABASE_URL": database, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(engine):
    """One account per role, each named after its role, all with PASSWORD."""
    with session_scope(engine) as session:
        for username, role in ROLES.items():
            create_user(session, username, PASSWORD, role)


@pytest.fixture
def as_user(app, users):
    """as_user("editor") is a new test client logged in as that account."""

    def login_as(username: str):
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.text
        return client

    return login_as


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The first wins: a page's forms all carry the same CSRF token.
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


def csrf_token(html: str) -> str:
    return hidden_inputs(html)["csrf_token"]


def submit(client, url: str, data: dict, page: str | None = None):
    """POST `data` to `url` with the hidden inputs of the form page (`url` itself unless given)."""
    html = client.get(page or url).text
    return client.post(url, data={**hidden_inputs(html), **data})


def login(client, username: str, password: str = PASSWORD):
    return submit(client, "/login", {"username": username, "password": password})


def verdict_data(status: str = "draft", **fields) -> dict:
    """A filled verdict form for a quote."""
    return {"rating": "Accurate", "explanation": "It matches the transcript.", "status": status, "note": "",
            "evidence-0-url": "https://example.org/transcript", "evidence-0-title": "Transcript",
            "evidence-0-note": "", **fields}


def claim_reviews(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


@dataclass
class Seeded:
    article_id: int
    quote_id: int
    claim_id: int


BEFORE = "Mayor Ana Reyes spoke on Monday. She said: “"
QUOTE = "The bridge will reopen in March."
AFTER = "” Work began in 2023.\nThe council met again on Tuesday."
CLAIM = "Work began in 2023."


def seed(engine, *, quote: str = QUOTE, speaker: str = "Ana Reyes", title: str = "Bridge to reopen",
         label: str = "altered", flags: list[str] | None = None) -> Seeded:
    """An article with one quote (matched, as the pipeline would, to one statement) and one claim."""
    text = f"{BEFORE}{quote}{AFTER}"
    with session_scope(engine) as session:
        outlet = Outlet(name=f"Harbor Gazette {title}")
        session.add(outlet)
        session.flush()
        article = Article(outlet_id=outlet.id, url="https://news.example/bridge", title=title,
                          published=dt.date(2025, 11, 3), text=text, content_hash=f"hash {title} {quote}")
        session.add(article)
        session.flush()
        start = len(BEFORE)
        mention = text.index("She")
        row = Quote(article_id=article.id, start=start, end=start + len(quote), text=quote, speaker_name=speaker,
                    speaker_kind="person", mention_text="She", mention_start=mention, mention_end=mention + 3,
                    cue="said", confidence=0.8, label=label, flags=flags or [])
        claim_start = text.index(CLAIM)
        claim = Claim(article_id=article.id, start=claim_start, end=claim_start + len(CLAIM), text=CLAIM,
                      score=0.7, kinds=["date/time"])
        statement = Statement(text="The bridge may reopen in March.", speaker_name=speaker, date=dt.date(2025, 11, 1),
                              source_url="https://example.org/hearing", source_title="Council hearing",
                              dedupe_key=f"key {title} {quote}")
        session.add_all([row, claim, statement])
        session.flush()
        session.add(Match(quote_id=row.id, statement_id=statement.id, rank=1, score=80.0, label=label, flags=flags or [],
                          diff=[["equal", "The bridge"], ["replace", "may", "will"], ["equal", "reopen in March."]],
                          reasons=["changed word: may → will"], matcher_version="1"))
        return Seeded(article.id, row.id, claim.id)


def publish(engine, quote_id: int, explanation: str = "Checked against the hearing transcript.") -> int:
    """Publish a verdict on the quote straight through the service; returns the verdict id."""
    with session_scope(engine) as session:
        editor = session.exec(select(User).where(User.username == "editor")).one()
        version = record_verdict(session, session.get(Quote, quote_id), rating="Misquoted", explanation=explanation,
                                 evidence=[], status="published", reviewer=editor)
        return version.verdict_id
