"""A backup restored gives back every page as it was: public pages and staff pages alike,
on SQLite and (with FACTCHECK_TEST_DATABASE_URL) on PostgreSQL."""
import re
import shutil

import pytest
from sqlalchemy import delete

from factcheck.services.backup import backup_database, restore_database
from factcheck.store.db import make_engine
from factcheck.store.models import Verdict, VerdictVersion
from factcheck.web.app import create_app

from .conftest import PASSWORD, csrf_token, publish, seed
from .test_routes import world  # noqa: F401  (a fixture: one of everything a route can name)

pytestmark = pytest.mark.db


def render_every_page(database, world) -> dict[tuple[str, str], tuple[int, str]]:
    """Every GET route, as the public and as an admin (who sees every staff page), from a
    newly started app: {(who, path): (status, body)}, the CSRF token taken out (it is
    signed with the time, so it changes from one second to the next)."""
    app = create_app({"DATABASE_URL": database, "TESTING": True, "SECRET_KEY": "test"})
    pages = {}
    for who in ("anonymous", "admin"):
        client = app.test_client()
        if who == "admin":
            login = client.get("/login").text
            response = client.post("/login", data={"csrf_token": csrf_token(login), "username": "admin",
                                                   "password": PASSWORD})
            assert response.status_code == 302
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "auth.logout":
                continue
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(world[m.group(1)]), rule.rule)
            response = client.get(path)
            body = response.get_data(as_text=True)
            if 'name="csrf_token"' in body:
                body = body.replace(csrf_token(body), "CSRF")
            pages[who, path] = (response.status_code, body)
    return pages


def test_a_restored_backup_gives_back_every_page(database, engine, world, tmp_path):  # noqa: F811
    if database.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (PostgreSQL's client tools)")
    before = render_every_page(database, world)
    assert len(before) >= 20 and before["anonymous", f"/verdicts/{world['verdict_id']}"][0] == 200
    assert all(status == 200 for (who, _), (status, _) in before.items() if who == "admin")  # no login page

    backup = backup_database(engine, tmp_path / "factcheck.backup")
    assert backup.path.is_file() and backup.size > 0

    # The database changes after the backup: an article is added, a published verdict deleted.
    publish(engine, seed(engine, title="Added after the backup").quote_id)
    with engine.begin() as conn:
        conn.execute(delete(VerdictVersion).where(VerdictVersion.verdict_id == world["verdict_id"]))
        conn.execute(delete(Verdict).where(Verdict.id == world["verdict_id"]))
    changed = render_every_page(database, world)
    assert changed["anonymous", f"/verdicts/{world['verdict_id']}"][0] == 404
    assert changed != before

    # As `factcheck restore` does it: the database is opened without being migrated first.
    target = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        restore_database(target, backup.path)
    finally:
        target.dispose()
    after = render_every_page(database, world)
    assert after.keys() == before.keys()
    assert [page for page in before if after[page] != before[page]] == []
