"""Logging in and out, the logged-in account, and role checks for the other blueprints."""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from ..services.login_throttle import LoginThrottle
from ..domain import EDITORS
from ..services.users import account_state, authenticate, end_sessions, user_by_id
from . import db
from .forms import LoginForm

bp = Blueprint("auth", __name__)

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to see that page."
login_manager.login_message_category = "info"

class Account(UserMixin):
    """The logged-in user as Flask-Login sees it: the account's id, name, role and state,
    read on each request. `user` is the database row, for services, loaded when asked for."""

    def __init__(self, user_id: int, username: str, role: str, active: bool, user=None):
        self.user_id, self.username, self.role, self.active = user_id, username, role, active
        self._user = user

    @classmethod
    def of(cls, user) -> "Account":
        return cls(user.id, user.username, user.role, user.active, user)

    @property
    def user(self):
        if self._user is None:
            self._user = user_by_id(db.session(), self.user_id)
        return self._user

    def get_id(self) -> str:
        return str(self.user_id)

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_editor(self) -> bool:
        """Whether the account may publish and open the desk (domain.EDITORS)."""
        return self.has_role(*EDITORS)


# The account's session epoch when this session logged in (services.users.end_sessions).
EPOCH = "epoch"


@login_manager.user_loader
def load_account(user_id: str) -> Account | None:
    """The session's account, if it still exists, is active and has not logged out since
    this session logged in (its epoch moved on): the cookie is signed but kept by the
    browser, so logout and deactivation are made to stick here, on the server. A session
    from before epochs were kept holds none: it counts as epoch 0."""
    if not user_id.isdigit():
        return None
    state = account_state(db.session(), int(user_id))
    if state is None or not state.active or session.get(EPOCH, 0) != state.session_epoch:
        return None
    return Account(state.id, state.username, state.role, state.active)


def role_required(*roles: str):
    """Only logged-in users with one of `roles` may call the view; others log in or get 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        throttle: LoginThrottle = current_app.extensions["factcheck.login_throttle"]
        who, where = form.username.data, request.remote_addr or ""
        wait = throttle.retry_after(who, where)
        if wait:
            minutes = -(-wait // 60)
            form.form_errors.append(f"Too many failed logins for this username: try again in {minutes} "
                                    f"minute{'' if minutes == 1 else 's'}.")
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        user = authenticate(db.session(), who, form.password.data)
        if user is not None:
            throttle.succeeded(who, where)
            session.clear()  # nothing from before the login carries over into the new session
            login_user(Account.of(user))
            session[EPOCH] = user.session_epoch
            flash(f"Logged in as {user.username}.", "success")
            return redirect(local_target(request.args.get("next")) or url_for("public.index"))
        throttle.failed(who, where)
        form.password.errors.append("Wrong username or password.")
    if form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out: every session of the account ends, on this browser and any other (and any
    copy of the cookie), which is the simplest rule that leaves nothing logged in by mistake."""
    if current_user.is_authenticated:
        end_sessions(db.session(), current_user.user_id)
    logout_user()
    flash("Logged out.", "success")
    return redirect(url_for("public.index"))


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site, so that ?next= cannot send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
