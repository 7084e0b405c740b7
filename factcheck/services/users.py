"""Accounts and their roles."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import Role
from ..errors import InputError
from ..store.models import User
from .audit import record

ROLES = tuple(Role)
MIN_PASSWORD = 8
USERNAME_MAX = 40
USERNAME = re.compile(rf"^[A-Za-z0-9_.-]{{2,{USERNAME_MAX}}}$")


@dataclass(frozen=True)
class AccountState:
    """An account without its password hash: what a request needs to know of the logged-in
    account, and what the administration lists. `session_epoch`: see `end_sessions`."""

    id: int
    username: str
    role: str
    active: bool
    created_at: dt.datetime
    session_epoch: int


# A few columns (by primary key: the web app reads an account on every request of a logged-in user).
_ACCOUNTS = select(User.id, User.username, User.role, User.active, User.created_at, User.session_epoch)
_ACCOUNT = _ACCOUNTS.where(User.id == bindparam("user_id"))


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


def all_users(session: Session) -> list[AccountState]:
    """Every account, by username."""
    return [AccountState(*row) for row in session.connection().execute(_ACCOUNTS.order_by(User.username))]


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def account_state(session: Session, user_id: int) -> AccountState | None:
    row = session.connection().execute(_ACCOUNT, {"user_id": user_id}).first()
    return AccountState(*row) if row else None


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user and user.active and check_password_hash(user.password_hash, password):
        return user
    return None


def end_sessions(session: Session, user_id: int) -> None:
    """End every open web session of the account: a session is valid only while it holds
    the account's current `session_epoch` (web.auth), and this moves the epoch on. One
    logout ends them all, on every device, and a copy of a session cookie with them."""
    session.exec(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))


def _active_admins(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User).where(User.role == Role.ADMIN,
                                                                     User.active == True)).one()  # noqa: E712


def _keeps_an_admin(session: Session, user: User, role: str, active: bool) -> None:
    """Refuse a change that would leave no active admin to manage the accounts."""
    if user.role == Role.ADMIN and user.active and (role != Role.ADMIN or not active) and _active_admins(session) <= 1:
        raise InputError(f"{user.username} is the last active admin: make another admin first")


def set_active(session: Session, user: User, active: bool, actor: User | None = None) -> User:
    """Deactivate (active=False) or reactivate an account. A deactivated account cannot log
    in, and its open sessions end (`end_sessions`): they stop working on their next request,
    and do not come back if the account is reactivated."""
    if actor is not None and actor.id == user.id and not active:
        raise InputError("you cannot deactivate your own account")
    if user.active == active:
        return user
    _keeps_an_admin(session, user, user.role, active)
    user.active = active
    session.add(user)
    session.flush()
    if not active:
        end_sessions(session, user.id)
    record(session, actor, "user.activate" if active else "user.deactivate", user, {"username": user.username})
    return user


def set_role(session: Session, user: User, role: str, actor: User | None = None) -> User:
    """Give an account another role (it applies from the account's next request)."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if user.role == role:
        return user
    _keeps_an_admin(session, user, role, user.active)
    old = user.role
    user.role = role
    session.add(user)
    session.flush()
    record(session, actor, "user.role", user, {"username": user.username, "from": old, "to": role})
    return user
