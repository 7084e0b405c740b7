"""Who holds a lease on a row of work (an incoming item, a statement's follow-up)."""
from __future__ import annotations

import os
import socket
import threading


def worker_name() -> str:
    """This machine, process and thread: a lease's holder (a statement's follow-up, a
    host's request slot), as shown to whoever looks at the rows. An incoming item's lease is
    held by its job instead (jobs.Jobs._process), so that the job's retry takes it again."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"
