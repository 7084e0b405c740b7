"""The Flask application factory: configuration, security, database and blueprints."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import config as paths
from ..jobs import Jobs, make_huey
from ..services.login_throttle import LoginThrottle
from ..store.db import OperationalError, get_engine, is_busy
from . import admin, api, auth, cache, db, desk, monitoring, people, public, review, transcripts
from .display import register_template_helpers
from .ids import RecordId

DEFAULTS = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "PUBLISHER_NAME": "factcheck",  # the organisation named as author in ClaimReview markup
    "PAGE_SIZE": 25,
    # True: a verdict is submitted for second review and published by someone else.
    "SECOND_REVIEW": False,
    # Failed logins allowed per username and address within the window (seconds): services/login_throttle.py.
    "LOGIN_FAILURES": 5,
    "LOGIN_WINDOW": 15 * 60,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Send the session cookie only over https: None (the default) means on, except in debug
    # or testing mode; True or False (FACTCHECK_SECURE_COOKIES=1 or 0) decides. See secure_cookies().
    "SECURE_COOKIES": None,
    # Seconds a rendered public page may be reused while nothing changed (web/cache.py); 0: off.
    "PAGE_CACHE_SECONDS": 60,
    # How many proxies (nginx, a load balancer) stand in front of the app and set the
    # X-Forwarded-For and -Proto headers: 0 ignores those headers, which anyone can send.
    "TRUSTED_PROXIES": 0,
    # The site's address, the base of absolute URLs (the feed, ClaimReview, the API):
    # scheme and host, as readers reach it, e.g. "https://factcheck.example". None: see base_url().
    "BASE_URL": None,
}

# Absolute URLs' base when BASE_URL is not set and the app is not told where it listens.
FALLBACK_BASE_URL = "http://localhost"

# Every script, style and image comes from this site; there is no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ENV_SETTINGS = {"FACTCHECK_DATABASE_URL": "DATABASE_URL", "FACTCHECK_SECRET_KEY": "SECRET_KEY",
                "FACTCHECK_SECURE_COOKIES": "SECURE_COOKIES", "FACTCHECK_TRUSTED_PROXIES": "TRUSTED_PROXIES",
                "FACTCHECK_BASE_URL": "BASE_URL"}

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def create_app(config: dict | None = None, listening_on: str | None = None) -> Flask:
    """Build the app. Settings, later ones winning: defaults, instance/config.py,
    the environment (FACTCHECK_DATABASE_URL, FACTCHECK_SECRET_KEY, ...), then `config`.
    `listening_on` is the URL the server answers on (`factcheck serve`): the base of
    absolute URLs unless BASE_URL is set."""
    app = Flask(
        __name__,
        instance_path=str(paths.instance_path()),
        instance_relative_config=True,  # from_pyfile("config.py") reads instance/config.py
        template_folder=str(paths.templates_path()),
        static_folder=str(paths.PACKAGE_DIR / "static"),
    )
    app.config.update(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for variable, key in ENV_SETTINGS.items():
        if os.environ.get(variable):
            app.config[key] = os.environ[variable]
    app.config.update(config or {})
    app.url_map.converters["id"] = RecordId
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure_cookies(app)
    app.config["BASE_URL"] = base_url(app.config["BASE_URL"] or listening_on or FALLBACK_BASE_URL)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))

    app.extensions["factcheck.engine"] = get_engine(app.config["DATABASE_URL"] or None)
    app.extensions["factcheck.jobs"] = Jobs(make_huey(), app.extensions["factcheck.engine"])
    db.init_app(app)
    cache.init_app(app)
    app.extensions["factcheck.login_throttle"] = LoginThrottle(
        app.extensions["factcheck.engine"], app.config["LOGIN_FAILURES"], app.config["LOGIN_WINDOW"])
    CSRFProtect(app)
    auth.login_manager.init_app(app)
    register_template_helpers(app)
    for blueprint in (public.bp, auth.bp, review.bp, desk.bp, monitoring.bp, transcripts.bp, people.bp, admin.bp,
                      api.bp):
        app.register_blueprint(blueprint)
    app.after_request(security_headers)
    register_error_pages(app)
    proxies = trusted_proxies(app)
    if proxies:
        # The client's address (which the login throttle counts by) and scheme, as the proxies saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    return app


def base_url(value: str) -> str:
    """BASE_URL (instance/config.py) or FACTCHECK_BASE_URL, checked: an http(s) scheme and
    a host, nothing after them but an optional "/" (the routes' paths are added to it).

    Absolute URLs are built on it (web/urls.py), never on the request's Host header. Unset,
    `factcheck serve` and `factcheck demo` use the address they listen on, and anything
    else (tests, another WSGI server) uses http://localhost: a site others read should set it.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"BASE_URL / FACTCHECK_BASE_URL: {value!r} is not a site's address "
                         "such as https://factcheck.example (http or https, a host, no path)")
    return f"{parts.scheme}://{parts.netloc}"


def trusted_proxies(app: Flask) -> int:
    """TRUSTED_PROXIES (instance/config.py) or FACTCHECK_TRUSTED_PROXIES, as a count."""
    value = app.config.get("TRUSTED_PROXIES") or 0
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"TRUSTED_PROXIES / FACTCHECK_TRUSTED_PROXIES: {value!r} is not a number of proxies")
    return count


def secure_cookies(app: Flask) -> bool:
    """Whether cookies carry the Secure flag (browsers then send them over https only).

    SECURE_COOKIES (instance/config.py) or FACTCHECK_SECURE_COOKIES decides when set
    (1/true/yes/on or 0/false/no/off); unset, cookies are Secure unless the app runs in
    debug or testing mode. Chromium and Firefox keep Secure cookies from http://localhost
    and http://127.0.0.1 too, so `factcheck serve` and the demo work locally; a server
    reached over plain http from elsewhere needs FACTCHECK_SECURE_COOKIES=0 (and should
    get https instead)."""
    value = app.config.get("SECURE_COOKIES")
    if isinstance(value, str):
        text = value.strip().lower()
        if text not in TRUE + FALSE:
            raise ValueError(f"SECURE_COOKIES / FACTCHECK_SECURE_COOKIES: {value!r} is not one of "
                             f"{', '.join(TRUE + FALSE)}")
        value = text in TRUE
    if value is None:
        return not (app.debug or app.testing)
    return bool(value)


def instance_secret_key(folder: Path) -> str:
    """The key in instance/secret_key, created (readable by its owner only) on first run."""
    path = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two workers starting at once cannot both write a key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise RuntimeError(f"{path} is empty: delete it and a new key is generated") from None
        return key
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key)
    return key


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if current_user.is_authenticated and request.endpoint != "static":
        # A page made for an account (the queue, a draft verdict, the desk) is kept by no
        # browser or shared cache, where the next person at the machine could read it.
        response.headers["Cache-Control"] = "no-store"
    return response


def register_error_pages(app: Flask) -> None:
    """Plain pages for the errors a visitor can meet, in the site's layout."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", title="Form expired", message=(
            "This form could not be accepted (its security token is missing or expired). "
            "Go back, reload the page and try again."
        )), 400

    @app.errorhandler(OperationalError)
    def database_busy(error):
        if not is_busy(error):
            raise error
        page = render_template("error.html", title="Busy, not saved", message=(
            "The database is busy with another job, and nothing was saved. "
            "Go back and send the form again in a moment."
        ))
        return page, 503, {"Retry-After": "5"}

    for code, title, message in (
        (403, "Not allowed", "Your account does not have access to this page."),
        (404, "Not found", "There is no page at this address."),
    ):
        app.register_error_handler(code, _error_page(code, title, message))


def _error_page(code: int, title: str, message: str):
    def handler(_error):
        return render_template("error.html", title=title, message=message), code

    return handler
