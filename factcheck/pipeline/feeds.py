"""Tell a news feed from a page, and list the article links an RSS or Atom feed holds."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# The root element of a feed, after an optional BOM, XML declaration, comments and doctype.
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*(?:<!DOCTYPE[^>]*>\s*)?"
    rb"<(?:[\w-]+:)?(?:rss|feed|RDF)\b",
    re.S,
)
_ATOM = "{http://www.w3.org/2005/Atom}"


def is_feed(data: bytes, content_type: str | None) -> bool:
    """True when `data` is an RSS, RDF or Atom feed (by its Content-Type or its root element)."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media in FEED_TYPES or bool(_FEED_START.match(data[:4096]))


def feed_entry_urls(data: bytes, base_url: str | None = None) -> list[str]:
    """The article URLs of a feed's entries, in feed order, without repeats.

    RSS and RDF items give their <link> (or a permalink <guid>); Atom entries their
    alternate <link href>. Relative links are joined to `base_url`; only http(s) URLs
    are kept. A document that is not XML gives an empty list.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    urls = []
    for item in root.iter("item", "{*}item"):
        link = item.find("{*}link")
        if link is None:
            link = item.find("link")
        text = (link.text or "").strip() if link is not None else ""
        if not text:
            guid = item.find("guid")
            if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                text = (guid.text or "").strip()
        urls.append(text)
    for entry in root.iter(f"{_ATOM}entry"):
        links = entry.findall(f"{_ATOM}link")
        href = next((l.get("href") for l in links if l.get("rel", "alternate") == "alternate" and l.get("href")), "")
        urls.append((href or "").strip())
    if base_url:
        urls = [urljoin(base_url, u) for u in urls if u]
    return list(dict.fromkeys(u for u in urls if re.match(r"https?://", u, re.I)))
