"""One database session per request.

The session is committed when the response is a success or a redirect, and thrown away
otherwise: a view that answers with an error status (a refused form, a 404) never writes.
Views that catch a service error roll back themselves before re-rendering, so that the
page shows the stored state, not what the failed call had flushed.
"""
from __future__ import annotations

from flask import Flask, current_app, flash, g, redirect

from ..errors import InputError
from ..services.sessions import open_session


def session():
    """This request's session (services.sessions), opened on first use: views pass it to the services."""
    if "db_session" not in g:
        g.db_session = open_session(current_app.extensions["factcheck.engine"])
    return g.db_session


def refused_on_form(form, call):
    """Run `call` (a service call writing in this request's session) and give its result;
    when the service refuses (InputError), roll back, add the reason to `form`'s errors and
    give None."""
    try:
        return call()
    except InputError as exc:
        session().rollback()
        form.form_errors.append(str(exc))
        return None


def change_and_redirect(change, *, refused: str, done: str, to: str):
    """Run `change` (a service call writing in this request's session) and redirect to `to`,
    flashing `done`; or, when the service refuses it (InputError), roll back and flash
    `refused` with the reason."""
    try:
        change()
    except InputError as exc:
        session().rollback()
        flash(f"{refused}: {exc}.", "error")
    else:
        flash(done, "success")
    return redirect(to)


def after_commit(call) -> None:
    """Run `call` once this request's writes are committed (as a job queued for a row the
    request wrote, which a worker must find); never if they are thrown away."""
    g.setdefault("after_commit", []).append(call)


def init_app(app: Flask) -> None:
    @app.after_request
    def commit(response):
        # after_request (not teardown) so that a failed commit becomes a 500, not a lie.
        if "db_session" in g and response.status_code < 400:
            g.db_session.commit()
            for call in g.pop("after_commit", []):
                call()
        return response

    @app.teardown_request
    def close(_error):
        db_session = g.pop("db_session", None)
        if db_session is not None:
            db_session.close()  # rolls back anything not committed
