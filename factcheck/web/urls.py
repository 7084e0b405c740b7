"""Absolute URLs, for what is read away from the site: the Atom feed, the ClaimReview
markup and the JSON API.

They are built on the BASE_URL setting (app.base_url), never on the request's Host header:
anyone can send any Host, and a URL made from it would point readers, search engines and
API clients at a site of the sender's choosing (and would be kept in the page cache, and
served to everyone, along with the page it is in).
"""
from __future__ import annotations

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    """The URL of `endpoint` (with `values`, as url_for takes them) on the site's BASE_URL."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)
