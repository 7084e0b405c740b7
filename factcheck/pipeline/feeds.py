"""Tell a news feed from a page, and list the article links an RSS or Atom feed holds."""
from __future__ import annotations

import io
import re
from xml.parsers import expat
from xml.sax import SAXParseException

from ..errors import InputError

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


def feed_entry_urls(data: bytes, name: str = "feed", base_url: str | None = None) -> list[str]:
    """The article URLs of a feed's entries, in feed order, without repeats.

    feedparser reads the feed: RSS and RDF items give their <link> (or a permalink <guid>),
    Atom entries their alternate <link href>. It is handed the bytes we fetched (through
    fetching.py's address and size rules), never a URL or a path, so it fetches and opens
    nothing itself. Relative links are joined to `base_url` (or the feed's xml:base); only
    http(s) URLs are kept.

    A feed that cannot be read raises an InputError naming it (`name`, its URL): one that
    declares XML entities (see _refuse_entities), one whose start is not XML, or one that
    is too broken to give a single entry. A feed with some readable entries gives them,
    even if it is broken further on: feedparser reads past what it can.
    """
    import feedparser  # here, not at the top: only feeds need it, and it takes a tenth of a second to import
    from feedparser.encodings import convert_to_utf8

    # Checked as feedparser will read it (in UTF-8, by its rules for finding the encoding),
    # so no declaration can hide behind an encoding expat does not know.
    _refuse_entities(convert_to_utf8({}, data, {}), name)
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and problem and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        raise InputError(f"{name}: not a readable feed ({_reason(problem)})")
    urls = ((entry.get("link") or "").strip() for entry in parsed.entries)
    return list(dict.fromkeys(u for u in urls if re.match(r"https?://", u, re.I)))


class _PrologRead(Exception):
    """The root element has started: no declaration can follow."""


def _refuse_entities(data: bytes, name: str) -> None:
    """Refuse a feed that declares XML entities, or whose prolog is not XML.

    Entity declarations are how XML bombs work ("billion laughs": entities defined by
    ten copies of the one before, a few hundred bytes that expand to gigabytes) and how
    a feed would pull in a local file (an external entity). No genuine feed needs them,
    so any entity declaration is refused, used or not, internal or external; a DOCTYPE
    without any (such as RSS 0.91's) is fine. expat reads only the prolog, stopping at
    the first declaration or at the root element, so a hostile feed costs no more than
    reading its bytes once, and nothing is ever expanded.
    """
    parser = expat.ParserCreate()

    def refuse(entity, is_parameter_entity, *details):
        raise InputError(f"{name}: not a readable feed (it declares the XML entity {entity!r}, "
                         "and feeds with entity declarations are refused)")

    def root_started(*args):
        raise _PrologRead

    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = root_started
    try:
        parser.Parse(data, True)
    except _PrologRead:
        return
    except expat.ExpatError as exc:
        # (no line and column: they count in the converted text, not in the feed as sent)
        raise InputError(f"{name}: not a readable feed ({expat.ErrorString(exc.code)})") from None


def _reason(exc: Exception) -> str:
    """feedparser's complaint in a few words (an XML error without its "<unknown>:1:43:")."""
    if isinstance(exc, SAXParseException):
        return exc.getMessage()
    return str(exc) or type(exc).__name__
