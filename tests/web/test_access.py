"""Who may see what: roles, logins, CSRF, and unpublished work kept out of sight."""
import pytest

from .conftest import csrf_token, login, publish, seed, submit, verdict_data


@pytest.mark.parametrize("path", ["/review/", "/desk/", "/admin/", "/review/quote/1"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("username, path, status", [
    ("checker", "/admin/", 403), ("checker", "/desk/", 403), ("editor", "/admin/", 403),
    ("checker", "/review/", 200), ("editor", "/desk/", 200), ("admin", "/admin/", 200),
])
def test_roles(as_user, username, path, status):
    assert as_user(username).get(path).status_code == status


def test_nav_shows_links_by_role(as_user):
    checker = as_user("checker").get("/").text
    admin = as_user("admin").get("/").text
    assert 'href="/review/"' in checker and 'href="/desk/"' not in checker and 'href="/admin/"' not in checker
    assert 'href="/desk/"' in admin and 'href="/admin/"' in admin


def test_wrong_password_is_refused(client, users):
    response = login(client, "checker", "not the password")
    assert response.status_code == 422 and "Wrong username or password." in response.text


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, users):
    page = client.get("/login").text
    data = {"csrf_token": csrf_token(page), "username": "checker", "password": "a long test password"}
    assert client.post("/login?next=/review/", data=data).headers["Location"] == "/review/"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    page = client.get("/login").text
    data["csrf_token"] = csrf_token(page)
    assert client.post("/login?next=//evil.example/", data=data).headers["Location"] == "/"


def test_logout_ends_the_session(as_user):
    client = as_user("checker")
    response = client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 302


def test_login_without_csrf_token_is_refused(client, users):
    response = client.post("/login", data={"username": "checker", "password": "a long test password"})
    assert response.status_code == 400
    assert client.get("/review/").status_code == 302  # still not logged in


def test_verdict_form_without_csrf_token_is_refused(engine, as_user):
    seeded = seed(engine)
    client = as_user("checker")
    response = client.post(f"/review/quote/{seeded.quote_id}", data={**verdict_data(), "base_version": "0"})
    assert response.status_code == 400
    assert "No verdict yet." in client.get(f"/review/quote/{seeded.quote_id}").text


def test_unpublished_verdicts_are_invisible_to_the_public(engine, client, as_user):
    seeded = seed(engine)
    checker = as_user("checker")
    url = f"/review/quote/{seeded.quote_id}"
    assert submit(checker, url, verdict_data(explanation="A draft nobody outside may see.")).status_code == 302
    assert client.get("/verdicts/1").status_code == 404
    assert "A draft" not in client.get("/").text and "Bridge" not in client.get("/").text
    assert client.get("/api/verdicts").json["verdicts"] == []
    assert client.get("/api/verdicts/1").status_code == 404
    # Staff may preview it; the preview carries no ClaimReview markup.
    preview = checker.get("/verdicts/1")
    assert preview.status_code == 200 and "Not published (draft)" in preview.text
    assert "application/ld+json" not in preview.text


def test_an_unpublished_verdict_leaves_the_public_site(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id)
    assert client.get(f"/verdicts/{verdict_id}").status_code == 200
    editor = as_user("editor")
    response = submit(editor, f"/review/quote/{seeded.quote_id}", verdict_data("unpublished", note="Withdrawn."))
    assert response.status_code == 302
    assert client.get(f"/verdicts/{verdict_id}").status_code == 404
    assert client.get("/api/verdicts").json["total"] == 0
