"""Who holds a lease on a row of work (an incoming item, a statement's follow-up)."""
from __future__ import annotations

import os
import socket


def worker_name() -> str:
    """This machine and process: a lease's holder, as shown to whoever looks at the rows."""
    return f"{socket.gethostname()}:{os.getpid()}"
