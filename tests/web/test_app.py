"""The app factory: settings, the secret key, security headers, an empty database."""
import os
import stat

from factcheck.web.app import create_app

from .conftest import login


def test_home_page_answers_on_an_empty_database(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No fact checks have been published yet." in response.text


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert '<meta name="viewport"' in response.text
    assert "<script" not in response.text and " style=" not in response.text


def test_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and b"focus-visible" in response.data


def test_a_secret_key_is_generated_once_into_the_instance_folder(database, tmp_path):
    first = create_app({"DATABASE_URL": database})
    path = tmp_path / "instance" / "secret_key"  # the root conftest points FACTCHECK_INSTANCE here
    assert path.read_text().strip() == first.secret_key and len(first.secret_key) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert create_app({"DATABASE_URL": database}).secret_key == first.secret_key


def test_settings_file_then_environment_then_argument(database, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("SECRET_KEY = 'from-file'\nPUBLISHER_NAME = 'Harbor Checks'\nPAGE_SIZE = 5\n")
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", "from-env")
    app = create_app({"DATABASE_URL": database, "PAGE_SIZE": 7})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["PUBLISHER_NAME"] == "Harbor Checks"
    assert app.config["PAGE_SIZE"] == 7


def test_session_cookie_is_http_only_and_same_site(client, users):
    response = login(client, "checker")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
