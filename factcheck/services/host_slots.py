"""A few requests at a time per host, and a pause between their starts, for every worker
process on every machine that shares the database.

A host has `slots` rows in the host_slot table. A request holds one (`host_slot`) until
it ends; a worker killed while holding one leaves it to expire after `hold_seconds`, so
`hold_seconds` must exceed the longest request. Each row keeps when it was last taken,
and a slot is only given out `pause` seconds after the latest of them.

Taking a slot is one short transaction that first writes to the host's row of slot 0: on
PostgreSQL that locks the row until it commits, on SQLite it takes the write lock. So the
workers asking for one host decide one after another, each seeing the last one's choice,
and two can neither take the same slot nor start within the pause. (One lock row, always
taken first, so two transactions never wait for each other's locks in a cycle.) A new
host's rows are made by the first worker to ask; two doing so at once collide on the
primary key, and the loser asks again. Times are the workers' clocks, as for item
leases: machines sharing a database must keep them in step.

A worker that gets no slot sleeps briefly and asks again, until `wait_seconds` have
passed; then `HostBusy` is raised and the caller leaves its work for later.
"""
from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from ..store.db import session_scope
from ..store.models import HostSlot, utcnow
from .leases import worker_name

RETRY_SECONDS = 0.05  # the longest sleep between two asks for a slot (a little random, so workers do not ask in step)


class HostBusy(Exception):
    """No slot of the host came free within the wait; the request was not made."""


@contextmanager
def host_slot(engine: Engine, host: str, *, slots: int, pause: float, hold_seconds: float,
              wait_seconds: float) -> Iterator[dt.datetime]:
    """Hold one of `host`'s `slots` for the body of the `with`, starting at least `pause`
    seconds after the last request to it began; HostBusy if none is had within `wait_seconds`.
    The `with` gets the moment the slot was taken (as stored: the pause is counted from it)."""
    holder = f"{worker_name()}:{uuid.uuid4().hex[:8]}"
    give_up = time.monotonic() + wait_seconds
    while True:
        try:
            taken = _take(engine, host, holder, slots, pause, hold_seconds)
        except IntegrityError:  # another worker made the host's rows at the same moment
            taken = None
        if taken is not None:
            break
        left = give_up - time.monotonic()
        if left <= 0:
            raise HostBusy(f"{host}: no free request slot within {wait_seconds:g} s")
        time.sleep(min(left, RETRY_SECONDS * random.uniform(0.5, 1.0)))
    slot, started = taken
    try:
        yield started
    finally:
        with session_scope(engine) as session:
            session.execute(update(HostSlot).where(HostSlot.host == host, HostSlot.slot == slot,
                                                   HostSlot.holder == holder)
                            .values(holder=None, expires_at=None))


def _take(engine: Engine, host: str, holder: str, slots: int, pause: float,
          hold_seconds: float) -> tuple[int, dt.datetime] | None:
    """Take a free slot of `host` for `holder`: its number and the moment it was taken;
    None while the slots are all held or the last start is less than `pause` seconds ago."""
    with session_scope(engine) as session:
        of_host = HostSlot.host == host
        # A write to the host's first row before anything else: the rest is ours alone.
        session.execute(update(HostSlot).where(of_host, HostSlot.slot == 0).values(holder=HostSlot.holder))
        known = set(session.exec(select(HostSlot.slot).where(of_host)))
        if not known.issuperset(range(slots)):  # a new host, or a raised limit
            session.add_all(HostSlot(host=host, slot=n) for n in range(slots) if n not in known)
            session.flush()
        now = utcnow()  # after the lock, which may have been waited for
        recent = select(HostSlot.slot).where(of_host, HostSlot.last_start > now - dt.timedelta(seconds=pause))
        if session.exec(recent.limit(1)).first() is not None:
            return None
        free = (select(HostSlot).where(of_host, HostSlot.slot < slots,
                                       or_(HostSlot.holder.is_(None), HostSlot.expires_at < now))
                .order_by(HostSlot.slot).limit(1))
        taken = session.exec(free).first()
        if taken is None:
            return None
        taken.holder, taken.expires_at, taken.last_start = holder, now + dt.timedelta(seconds=hold_seconds), now
        return taken.slot, now
