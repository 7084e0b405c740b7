"""Opening a unit of work for a caller that decides itself when to commit (the web app: one per request)."""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session


def open_session(engine: Engine) -> Session:
    """A session on `engine` for the services to work in; its rows stay readable after
    commit, so that a page can still print what it saved. The caller commits or closes it."""
    return Session(engine, expire_on_commit=False)
