"""Serving the app for real: gunicorn, with one worker process per core.

One Python process computes on one core at a time (the GIL), so a server that should keep
up with a newsroom's desk and its readers runs several. The app is built once, in the
gunicorn master (which brings the schema up to date before any worker starts), and each
worker is a fork of it. The master lets go of its database connections first, so that no
worker shares a connection with another; each opens its own on first use.

The workers are gunicorn's plain synchronous ones: each answers one request at a time,
start to finish. Every request here is short and mostly computation, and so answering
them in turn keeps the slowest close to the typical (threads in one process would take
turns at the GIL, and each request would take as long as several); `benchmarks/web_load.py`
measured both. A slow client holds a sync worker while it sends or reads: facing the
internet, put a buffering proxy such as nginx in front, as gunicorn's documentation advises.

Every process keeps its own page cache (`cache.py`, kept right by the database's change
marker) and counts failed logins in the database (`services/login_throttle.py`), so nothing depends on
which worker answers.
"""
from __future__ import annotations

import os

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.app, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.app


def listen_url(host: str, port: int) -> str:
    """The URL of a server bound to host:port, as a browser on this machine reaches it
    (the base of absolute URLs when BASE_URL is not set). Bound to every address
    (0.0.0.0, ::), it is reached as localhost; elsewhere it is known by a name only
    BASE_URL can give."""
    if host in ("", "0.0.0.0", "::"):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


def serve(app: Flask, host: str, port: int, workers: int | None = None) -> None:
    """Answer on host:port with `workers` processes (default: one per core) until stopped."""
    app.extensions["factcheck.engine"].dispose()
    _Gunicorn(app, {
        "bind": f"{host}:{port}",
        "workers": workers or os.cpu_count() or 1,
        "worker_class": "sync",
        "accesslog": "-",
        "control_socket_disable": True,  # no gunicornc socket left in the home folder
    }).run()
