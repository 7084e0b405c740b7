"""The session cookie's Secure flag (app.secure_cookies) and its other attributes."""
import pytest

from factcheck.web.app import create_app

from .conftest import PASSWORD, hidden_inputs


def session_cookie(app) -> str:
    client = app.test_client()
    response = client.get("/login")
    return response.headers["Set-Cookie"]


@pytest.mark.parametrize("config, env, secure", [
    ({}, None, True),  # the default for a real server
    ({"TESTING": True}, None, False),  # testing mode: off unless asked for
    ({"DEBUG": True}, None, False),
    ({}, "0", False),
    ({}, "off", False),
    ({"TESTING": True}, "1", True),
    ({"TESTING": True, "SECURE_COOKIES": True}, None, True),
    ({"SECURE_COOKIES": False}, None, False),
    ({"SECURE_COOKIES": False}, "yes", False),  # create_app's own settings win over the environment
])
def test_the_secure_flag_follows_the_setting(database, monkeypatch, config, env, secure):
    if env is None:
        monkeypatch.delenv("FACTCHECK_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("FACTCHECK_SECURE_COOKIES", env)
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "test", **config})
    assert app.config["SESSION_COOKIE_SECURE"] is secure and app.config["REMEMBER_COOKIE_SECURE"] is secure
    cookie = session_cookie(app)
    assert ("; Secure" in cookie) is secure
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_nonsense_setting_is_refused(database, monkeypatch):
    monkeypatch.setenv("FACTCHECK_SECURE_COOKIES", "sometimes")
    with pytest.raises(ValueError, match="FACTCHECK_SECURE_COOKIES"):
        create_app({"DATABASE_URL": database, "SECRET_KEY": "test"})


def test_logging_in_over_https_works_with_secure_cookies(database, users):
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "test"})
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    page = client.get("/login", **https).text
    # Over https, Flask-WTF also checks that the form came from this site (a browser sends the Referer).
    response = client.post("/login", data={**hidden_inputs(page), "username": "checker", "password": PASSWORD},
                           headers={"Referer": "https://localhost/login"}, **https)
    assert response.status_code == 302 and "; Secure" in response.headers["Set-Cookie"]
    assert client.get("/review/", **https).status_code == 200
