"""Failed logins, counted per username and address, so that passwords cannot be guessed
at speed: after LOGIN_FAILURES failures within LOGIN_WINDOW seconds, that username from
that address is refused (429) until the oldest failure is older than the window.

The counts live in this process's memory: enough for one server process (what
`factcheck serve` runs); they are lost on restart, and several worker processes would
each count on their own (a shared store such as Redis would be needed then).
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, failures: int, window: float, clock=time.monotonic):
        self.failures, self.window, self.clock = failures, window, clock
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()  # the server answers requests in threads

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times, cutoff = self._seen[key], self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this username may try again from this address; 0: now."""
        key = (username.casefold(), address)
        with self._lock:
            times = self._recent(key)
            if len(times) < self.failures:
                if not times:
                    self._seen.pop(key, None)  # keep the table from growing with one-off names
                return 0
            return max(1, int(times[0] + self.window - self.clock()) + 1)

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            self._recent((username.casefold(), address)).append(self.clock())

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._seen.pop((username.casefold(), address), None)
