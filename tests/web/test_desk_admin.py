"""The editors' desk and the administration page."""
import pytest

from .conftest import PASSWORD, QUOTE, login, seed, submit

# These pages lean on queries (unions, JSON functions) that must work on PostgreSQL too.
pytestmark = pytest.mark.db


def test_desk_lists_articles_with_flagged_counts(engine, as_user):
    seed(engine, title="Flagged story", label="altered")
    seed(engine, quote="A confirmed quote.", title="Clean story", label="exact")
    seed(engine, quote="An old quote.", title="Recycled story", label="exact", flags=["earlier"])
    page = as_user("editor").get("/desk/").text.split('id="articles-heading"', 1)[1]
    rows = {title: page.split(title, 1)[1].split("</tr>", 1)[0] for title in ("Flagged story", "Clean story", "Recycled story")}
    flagged = '<td data-label="Flagged" class="number{}">{}</td>'
    assert flagged.format(" flagged-count", 1) in rows["Flagged story"]
    assert flagged.format("", 0) in rows["Clean story"]
    assert flagged.format(" flagged-count", 1) in rows["Recycled story"]
    assert page.index("Recycled story") < page.index("Clean story") < page.index("Flagged story")


def test_desk_article_highlights_every_quote_and_lists_claims(engine, as_user):
    seeded = seed(engine, flags=["misattributed"])
    page = as_user("editor").get(f"/desk/article/{seeded.article_id}").text
    assert f'<mark class="flagged">{QUOTE}</mark><a class="qref" href="#quote-{seeded.quote_id}">[Q1]</a>' in page
    assert "misattributed" in page and "Ana Reyes" in page
    assert "Work began in 2023." in page and "0.70" in page and "date/time" in page
    assert page.count("<p>") >= 2  # the text keeps its paragraphs


def test_admin_creates_a_user_who_can_log_in(app, as_user):
    admin = as_user("admin")
    response = submit(admin, "/admin/", {"username": "newchecker", "password": PASSWORD, "role": "checker"})
    assert response.status_code == 302
    page = admin.get("/admin/").text
    assert "Created checker newchecker." in page
    assert "user.create" in page  # the audit log shows it
    assert login(app.test_client(), "newchecker").status_code == 302


def test_admin_form_reports_service_errors(as_user):
    response = submit(as_user("admin"), "/admin/", {"username": "x", "password": "short", "role": "checker"})
    assert response.status_code == 422 and "username &#39;x&#39;" in response.text
