"""factcheck: a quote-and-claim fact-check tracker for newsrooms.

The pipeline (`factcheck.pipeline`) is pure Python; importing this package does not
import Flask, so the core can be used and benchmarked alone.
"""

__version__ = "0.1.0"


def create_app(config=None, listening_on=None):
    """The Flask app factory (`flask --app factcheck run` finds it here): `web.app.create_app`."""
    from .web.app import create_app as _create_app

    return _create_app(config, listening_on)
