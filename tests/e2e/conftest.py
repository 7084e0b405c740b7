"""Browser tests: the app served on a free loopback port, driven by headless Chromium.

Chromium is Debian's (/usr/bin/chromium), driven through Playwright's own protocol
client; `playwright install` is never needed. Without that binary the tests skip.
Set FACTCHECK_SCREENSHOTS to a folder to keep a PNG of each page the tests look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import select
from werkzeug.serving import make_server

from factcheck.services.people import person_for
from factcheck.services.users import create_user
from factcheck.store.db import session_scope
from factcheck.store.models import Match, Quote, Statement
from factcheck.web.app import create_app

from ..web.conftest import PASSWORD, ROLES, publish, seed
from ..loopback import serving

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM}")


@pytest.fixture
def live_app(database):
    """The app on a temporary database with one account per role and some work to do."""
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "browser tests", "SERVER_NAME": None})
    engine = app.extensions["factcheck.engine"]
    with session_scope(engine) as session:
        for username, role in ROLES.items():
            create_user(session, username, PASSWORD, role)
    flagged = seed(engine, quote="We will hire 2,000 new drivers.", title="Drivers wanted", label="altered")
    published = seed(engine, quote="The harbor tunnel opens in May.", title="Tunnel news", label="exact")
    with session_scope(engine) as session:
        # The source had another number: the review page must make that stand out.
        match = session.exec(select(Match).where(Match.quote_id == flagged.quote_id)).one()
        match.diff = [["equal", "We will hire"], ["replace", "20,000", "2,000"], ["equal", "new drivers."]]
        match.reasons = ["number changed: 20,000 → 2,000"]
        person = person_for(session, "Ana Reyes")
        for quote_id in (flagged.quote_id, published.quote_id):
            session.get(Quote, quote_id).person_id = person.id
        turns = [Statement(text=text, speaker_name=speaker, source_title="sample-hearing", origin="transcript",
                           dedupe_key=f"sample-hearing {i}")
                 for i, (speaker, text) in enumerate([("Ana Reyes", "Good morning."),
                                                      ("Ben Ortiz", "Fares rose 12 percent in 2024.")])]
        session.add_all(turns)
        session.flush()
        transcript_id = turns[0].id
    app.config["SEEDED"] = {"flagged": flagged, "verdict_id": publish(engine, published.quote_id),
                            "transcript_id": transcript_id}
    return app


@pytest.fixture
def server(live_app):
    """The base URL of the app, served in a thread by werkzeug on a free loopback port."""
    with serving(make_server("127.0.0.1", 0, live_app, threaded=True)) as base:
        yield base


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # JavaScript stays on for axe; the pages themselves have none (CSP allows no inline script).
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    folder = os.environ.get("FACTCHECK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
