"""Every route, every role: a new route that is not classified here fails the walk.

CSRF is switched off for the walk (its own tests are in test_access.py), so that a POST
reaches the role check the way a form from the page would.
"""
import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from factcheck.services.monitoring import add_source
from factcheck.services.people import person_for
from factcheck.store.db import session_scope
from factcheck.store.models import LoginFailure, Match, PersonAlias, Quote, SourceDocument, Statement, User
from factcheck.web.app import create_app
from factcheck.services.login_throttle import LoginThrottle

from .conftest import PASSWORD, publish, seed

# Who may use each endpoint: everyone, any logged-in staff, editors and admins, or admins.
ACCESS = {
    "static": "everyone", "public.index": "everyone", "public.verdict": "everyone", "public.speaker": "everyone",
    "public.feed": "everyone", "api.verdicts": "everyone", "api.verdict": "everyone",
    "auth.login": "everyone", "auth.logout": "everyone",
    "review.queue": "staff", "review.item": "staff", "review.assign_item": "staff", "review.match_feedback": "staff",
    "transcripts.index": "staff", "transcripts.ranked": "staff",
    "desk.index": "editors", "desk.article": "editors", "desk.export_verdicts": "editors",
    "desk.export_flagged": "editors", "people.index": "editors", "people.person": "editors",
    "people.merge": "editors", "people.split": "editors",
    "monitoring.sources": "editors", "monitoring.source_paused": "editors", "monitoring.source_remove": "editors",
    "monitoring.incoming": "editors",
    "admin.index": "admin", "admin.user_role": "admin", "admin.user_active": "admin",
}
ALLOWED = {
    "everyone": {"anonymous", "checker", "editor", "admin"},
    "staff": {"checker", "editor", "admin"},
    "editors": {"editor", "admin"},
    "admin": {"admin"},
}
# Form data for the POST routes: harmless changes (taking an item, merging a person into itself).
POST_DATA = {"review.assign_item": {"to": "me"}, "review.match_feedback": {"feedback": "confirm"},
             "people.merge": {"other": "{person_id}"},
             # The checker keeps the role it has and stays active.
             "admin.user_role": {"user-{user_id}-role": "checker"}, "admin.user_active": {"active": "1"},
             "monitoring.source_paused": {"paused": "0"}}


@pytest.fixture
def world(engine, users):
    """One of everything a route can name."""
    seeded = seed(engine, flags=["earlier"])
    with session_scope(engine) as session:
        person = person_for(session, "Ana Reyes")
        quote = session.get(Quote, seeded.quote_id)
        quote.person_id = person.id
        transcript = SourceDocument(kind="transcript", title="sample-hearing")
        session.add(transcript)
        session.flush()
        turn = Statement(text="Fares rose 5 percent.", speaker_name="Ana Reyes", source_title="sample-hearing",
                         origin="transcript", dedupe_key="sample-hearing turn 1",
                         source_document_id=transcript.id, position=1)
        session.add(turn)
        session.flush()
        ids = {"source_id": add_source(session, "https://gazette.example/feed.xml").id, "person_id": person.id, "alias_id": session.exec(select(PersonAlias)).first().id,
               "match_id": session.exec(select(Match)).first().id, "transcript_id": transcript.id,
               "user_id": session.exec(select(User).where(User.username == "checker")).one().id}
    ids.update(verdict_id=publish(engine, seeded.quote_id), article_id=seeded.article_id, item_id=seeded.quote_id,
               kind="quote", filename="style.css")
    return ids


def outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    if response.status_code == 403:
        return "forbidden"
    assert response.status_code < 500 and response.status_code != 404, response.status_code
    return "allowed"


def test_every_route_enforces_its_roles(app, engine, world):
    app.config["WTF_CSRF_ENABLED"] = False
    rules = list(app.url_map.iter_rules())
    assert {rule.endpoint for rule in rules} == set(ACCESS), "classify the new route in ACCESS"
    for role in ("anonymous", "checker", "editor", "admin"):
        client = app.test_client()
        if role != "anonymous":
            assert client.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
        for rule in rules:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(world[m.group(1)]), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if rule.endpoint == "auth.logout" or (rule.endpoint == "auth.login" and method == "POST"):
                    continue  # they change who is logged in; test_access.py covers them
                data = {k.format(**world): v.format(**world) for k, v in POST_DATA.get(rule.endpoint, {}).items()}
                response = client.open(path, method=method, data=data)
                expected = "allowed" if role in ALLOWED[ACCESS[rule.endpoint]] else (
                    "login" if role == "anonymous" else "forbidden")
                assert outcome(response) == expected, (role, method, path, response.status_code)


def test_login_is_rate_limited_per_username_and_address(app, client, users):
    app.config["WTF_CSRF_ENABLED"] = False
    wrong = {"username": "checker", "password": "not the password"}
    for _ in range(5):
        assert client.post("/login", data=wrong).status_code == 422
    blocked = client.post("/login", data=wrong)
    assert blocked.status_code == 429 and "Too many failed logins" in blocked.text
    assert int(blocked.headers["Retry-After"]) > 0
    # Even the right password waits; another username from here, or this one from elsewhere, does not.
    assert client.post("/login", data={"username": "checker", "password": PASSWORD}).status_code == 429
    assert client.post("/login", data={"username": "editor", "password": PASSWORD}).status_code == 302
    other = app.test_client()
    response = other.post("/login", data={"username": "checker", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_addresses_count_only_behind_trusted_proxies(database, users, proxies):
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "TRUSTED_PROXIES": proxies})
    wrong = {"username": "checker", "password": "not the password"}

    def log_in_from(address, data=wrong):
        return app.test_client().post("/login", data=data, headers={"X-Forwarded-For": address})

    for _ in range(5):
        assert log_in_from("198.51.100.1").status_code == 422
    assert log_in_from("198.51.100.1").status_code == 429
    # Behind a proxy, each client is counted by the address it forwards; with none, a
    # forwarded address is anyone's to claim, so the connection's own address counts.
    right = {"username": "checker", "password": PASSWORD}
    assert log_in_from("198.51.100.2", right).status_code == (302 if proxies else 429)


def test_a_longer_username_than_any_account_may_have_is_refused_uncounted(app, client, users, engine):
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/login", data={"username": "x" * 41, "password": "not the password"})
    assert response.status_code == 422 and "Field cannot be longer than 40 characters." in response.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LoginFailure)).one()[0] == 0


def test_trusted_proxies_must_be_a_count(database):
    with pytest.raises(ValueError, match="FACTCHECK_TRUSTED_PROXIES: 'two' is not a number of proxies"):
        create_app({"DATABASE_URL": database, "SECRET_KEY": "test", "TRUSTED_PROXIES": "two"})


@pytest.mark.db
def test_server_processes_count_the_same_failures(database, users):
    # Two apps on one database stand for two processes of one server: a guesser who is
    # answered by turns by each still meets the limit.
    first, second = (create_app({"DATABASE_URL": database, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
                     for _ in range(2))
    wrong = {"username": "checker", "password": "not the password"}
    for n in range(5):
        assert (first if n % 2 else second).test_client().post("/login", data=wrong).status_code == 422
    assert first.test_client().post("/login", data=wrong).status_code == 429
    assert second.test_client().post("/login", data=wrong).status_code == 429


@pytest.mark.db
def test_the_throttle_forgets_old_failures(engine):
    now = [1000.0]
    throttle = LoginThrottle(engine, 2, 60, clock=lambda: now[0])
    throttle.failed("Ana", "1.2.3.4")
    throttle.failed("ana", "1.2.3.4")  # usernames are counted case-insensitively
    assert throttle.retry_after("ANA", "1.2.3.4") == 61
    assert throttle.retry_after("ana", "1.2.3.5") == 0
    now[0] += 61
    assert throttle.retry_after("ana", "1.2.3.4") == 0
    throttle.failed("ana", "1.2.3.4")
    throttle.succeeded("ana", "1.2.3.4")
    assert throttle.retry_after("ana", "1.2.3.4") == 0
    with engine.connect() as conn:  # the failures from before the window were dropped, not kept for ever
        assert conn.execute(select(func.count()).select_from(LoginFailure)).one()[0] == 0


@pytest.mark.db
@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_beyond_any_row_is_not_found_on_every_route(app, engine, world, number):
    """An id no database column can hold (PostgreSQL's integer ends at 2^31 - 1, SQLite's at
    2^63 - 1) names nothing: 404, not a database error."""
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 302
    named = 0
    for rule in app.url_map.iter_rules():
        ids = [name for name in rule.arguments if name.endswith("_id")]
        if not ids:
            continue
        for huge in ids:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>",
                          lambda m: str(number if m.group(1) == huge else world[m.group(1)]), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {k.format(**world): v.format(**world) for k, v in POST_DATA.get(rule.endpoint, {}).items()}
                assert client.open(path, method=method, data=data).status_code == 404, (method, path)
                named += 1
    assert named >= 13


@pytest.mark.db
@pytest.mark.parametrize("query", ["page=10000000000000000000000", "holder=9223372036854775808",
                                   "outlet=2147483648", "fpage=99999999999999999999"])
def test_a_huge_number_in_a_query_is_not_a_server_error(app, engine, world, query):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 302
    for path in ("/", "/review/", "/desk/", "/api/verdicts", "/people/"):
        assert client.get(f"{path}?{query}").status_code < 500, (path, query)


@pytest.mark.db
def test_pages_made_for_an_account_are_never_stored_by_a_cache(app, engine, world):
    app.config["WTF_CSRF_ENABLED"] = False
    anonymous = app.test_client()
    assert "no-store" not in anonymous.get("/").headers.get("Cache-Control", "")
    client = app.test_client()
    assert client.post("/login", data={"username": "checker", "password": PASSWORD}).status_code == 302
    for path in ("/review/", f"/review/quote/{world['item_id']}", "/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/style.css").headers.get("Cache-Control", "")
