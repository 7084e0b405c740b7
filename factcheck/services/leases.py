"""Who holds a lease on a row of work (an incoming item, a statement's follow-up)."""
from __future__ import annotations

import os
import socket
import threading


def worker_name() -> str:
    """This machine, process and thread: a lease's holder, as shown to whoever looks at the
    rows. (A job retried in the thread that took an item's lease takes it again:
    `monitoring.claim_item`.)"""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"
