"""Failed logins, counted per username and address, so that passwords cannot be guessed
at speed: after LOGIN_FAILURES failures within LOGIN_WINDOW seconds, that username from
that address is refused (429) until the oldest failure is older than the window.

The failures are rows of the database (`login_failure`), written in a transaction of
their own (the refused login's request writes nothing else): every process of a server
counts the same failures, and a restart forgets none.
"""
from __future__ import annotations

import time

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from ..store.models import LoginFailure

_TABLE = LoginFailure.__table__


class LoginThrottle:
    def __init__(self, engine: Engine, failures: int, window: float, clock=time.time):
        self.engine, self.failures, self.window, self.clock = engine, failures, window, clock

    def _who(self, username: str, address: str):
        return (_TABLE.c.username_key == username.casefold()) & (_TABLE.c.address == address)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this username may try again from this address; 0: now."""
        now = self.clock()
        with self.engine.connect() as conn:
            count, oldest = conn.execute(
                select(func.count(), func.min(_TABLE.c.at))
                .where(self._who(username, address), _TABLE.c.at > now - self.window)).one()
        if count < self.failures:
            return 0
        return max(1, int(oldest + self.window - now) + 1)

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            # Failures older than the window count for nobody: the table stays small.
            conn.execute(delete(_TABLE).where(_TABLE.c.at <= now - self.window))
            conn.execute(insert(_TABLE).values(username_key=username.casefold(), address=address, at=now))

    def succeeded(self, username: str, address: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_TABLE).where(self._who(username, address)))
