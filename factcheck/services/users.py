"""Accounts and their roles."""
from __future__ import annotations

import re

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import InputError
from ..store.models import User
from .audit import record

ROLES = ("admin", "editor", "checker")
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


def create_user(session: Session, username: str, password: str, role: str, actor: User | None = None) -> User:
    """A new account; `actor` is the admin who made it (None from the command line)."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if not USERNAME.match(username):
        raise InputError(f"username {username!r}: use 2-40 letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password for {username!r} is too short: at least {MIN_PASSWORD} characters")
    if session.exec(select(User).where(User.username == username)).first():
        raise InputError(f"user {username!r} already exists")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    record(session, actor, "user.create", user, {"username": username, "role": role})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user and user.active and check_password_hash(user.password_hash, password):
        return user
    return None
