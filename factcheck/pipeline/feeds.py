"""Tell a news feed from a page, and list the article links an RSS or Atom feed holds."""
from __future__ import annotations

import io
import re

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# The root element of a feed, after an optional BOM, XML declaration, comments and doctype.
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*(?:<!DOCTYPE[^>]*>\s*)?"
    rb"<(?:[\w-]+:)?(?:rss|feed|RDF)\b",
    re.S,
)


def is_feed(data: bytes, content_type: str | None) -> bool:
    """True when `data` is an RSS, RDF or Atom feed (by its Content-Type or its root element)."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media in FEED_TYPES or bool(_FEED_START.match(data[:4096]))


def feed_entry_urls(data: bytes, base_url: str | None = None) -> list[str]:
    """The article URLs of a feed's entries, in feed order, without repeats.

    feedparser reads the feed: RSS and RDF items give their <link> (or a permalink <guid>),
    Atom entries their alternate <link href>. It is handed the bytes we fetched (through
    fetching.py's address and size rules), never a URL or a path, so it fetches and opens
    nothing itself; it expands no external entity. Relative links are joined to `base_url`
    (or the feed's xml:base); only http(s) URLs are kept. A document that is not a feed
    gives an empty list.
    """
    import feedparser  # here, not at the top: only feeds need it, and it takes a tenth of a second to import

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)
    urls = ((entry.get("link") or "").strip() for entry in parsed.entries)
    return list(dict.fromkeys(u for u in urls if re.match(r"https?://", u, re.I)))
