"""Read one article -- a file, a web page or stdin -- into an `Article`.

`read_source` takes what the command line gets: a path to a `.txt`, `.html` or `.htm`
file, an `http(s)://` URL, or "-" for stdin. `read_bytes`, `read_text` and `read_html`
are the steps below it, for callers that already hold the content.

Plain text keeps its offsets: `article.text` is the decoded file with "\\r\\n" turned into
"\\n" and nothing else changed, so quote offsets also index the file. Its head gives the
title (a first line that reads like a headline), the authors and the date (a byline
such as "By Jane Doe and John Roe", "Paul Riverbank, 12/5/2025", or a date line).

HTML goes through trafilatura, which drops navigation, related-story lists and footers
and reads the title, authors, date (by htmldate), site name and canonical URL from the
page's metadata; `article.text` is then the extracted body.

A plain-text byline's date is read by the regular expressions below, not by htmldate,
whose date expressions are made to find the likeliest date anywhere in a page: they read
"12/5/2025" day first, miss "Published: Dec. 5, 2025", and take a date from inside a
sentence, where a byline's date must start its line (the body may run on after it).

Encodings: text is decoded as UTF-8 (a byte-order mark is dropped). A web page or HTTP
response may declare another charset, and that is honoured when the bytes are not
UTF-8 (Latin-1 is read as its superset cp1252, as browsers do). Nothing else is
guessed: a file in another encoding is refused with a message saying so, rather than
read into mojibake whose offsets would mislead.

Every failure is an `InputError` whose one-line message starts with the source's name.
"""
from __future__ import annotations

import codecs
import re
import stat
import sys
from datetime import date
from pathlib import Path

from ..errors import InputError
from .feeds import is_feed
from .fetching import fetch_url
from .attribution import is_headline
from .lexicons import words
from .records import Article
from .text.tokens import WORD

# The largest article read. A newsroom article rarely passes 200 KB, but a long
# transcript published as one article may reach 1-2 MB, so the cap leaves room for it.
# Extraction grows in step with the text (benchmarks/extract_size.py: about 1.5 CPU
# seconds a MB, 8 s at 5 MB, in every shape measured), so the cap is there to refuse
# what is no article, not to keep extraction quick; it is not lowered.
MAX_BYTES = 5_000_000
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
HTML_TYPES = ("text/html", "application/xhtml+xml")

# An article has at least one line that reads as a sentence; a page whose only text is
# menus and link lists ("Home", "News", "About us") is not one.
_SENTENCE_WORDS = 6
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_LOOKS_LIKE_HTML = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|p|div)\b", re.I | re.S)

_MONTHS = {m: n for n, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for m in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# Each alternative must match at the start of the text after the byline; the year ends
# the match even when the body runs straight on ("12/5/2025First Lady ...").
_DATE = re.compile(
    r"(?:published|updated|posted)?(?:\s+on)?:?\s*" + _WEEKDAY + "(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"|(?P<num>(?P<n1>\d{1,2})[/.](?P<n2>\d{1,2})[/.](?P<ny>\d{4}|\d{2}))(?!\d)"
    r"|" + _MONTH + r"\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>\d{4})"
    r"|(?P<dm>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.replace("month", "month2") + r",?\s+(?P<dy>\d{4})"
    r")",
    re.I,
)
_NAME = r"[A-Z][\w’'-]*\.?(?:\s+(?:[A-Z][\w’'-]*\.?|" + "|".join(sorted(words("particles"))) + "))+"
_NAMES = re.compile(rf"(?P<names>{_NAME}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAME})*)")
_BY = re.compile(r"by\s+", re.I)
_PARENTHESIS = re.compile(r"^\s*\([^)]*\)")
_NAME_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_JOB_WORDS = words("person_nouns")
_BYLINE_SEPARATOR = re.compile(r"\s*(?:[,|·•—–]|\s-)\s*")
_BYLINE_PART = re.compile(r"[A-Z][\w’'&.-]*(?:\s+(?:[A-Z][\w’'&.-]*|of|the|and))*")  # an outlet or job title


def read_source(source: str, *, allow_private: bool = False, max_bytes: int = MAX_BYTES) -> Article:
    """Read the article at `source`: a file path, an http(s) URL, or "-" for stdin."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return read_bytes(data, name="<stdin>", max_bytes=max_bytes)
    if re.match(r"https?://", source, re.I):
        page = fetch_url(source, allow_private=allow_private, max_bytes=max_bytes)
        if is_feed(page.body, page.content_type):
            raise InputError(f"{source}: is a news feed, not an article (ingest reads feeds)")
        return read_bytes(page.body, name=source, content_type=page.content_type, url=page.url, max_bytes=max_bytes)
    path = Path(source)
    _is_html_file(source)  # refuse an unknown type before reading it
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A device reads without end (its size says 0) and opening a pipe waits for a writer.
            raise InputError(f"{source}: not a regular file (a device, pipe or socket); save the article to a file")
        if info.st_size > max_bytes:
            raise InputError(f"{source}: file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    return read_bytes(data, name=source, max_bytes=max_bytes)


def read_bytes(data: bytes, *, name: str, content_type: str | None = None, url: str | None = None,
               max_bytes: int = MAX_BYTES) -> Article:
    """Read an article from raw bytes; `name` (a path or URL) is used in error messages.

    HTML or plain text is told by `content_type` when given, else by the extension of
    `name`, else (stdin, a URL without a type) by whether the content starts like HTML.
    """
    if len(data) > max_bytes:
        raise InputError(f"{name}: more than the {max_bytes:,}-byte limit")
    if not data.strip():
        raise InputError(f"{name}: is empty")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: looks like a binary file, not text or HTML")
    media = (content_type or "").split(";")[0].strip().lower()
    if media:
        is_html = media in HTML_TYPES
    elif "://" in name or name == "<stdin>":
        is_html = None  # sniffed below
    else:
        is_html = _is_html_file(name)
    declared = _declared_charset(content_type, data if is_html is not False else b"")
    text = _decode(data, name, declared)
    if is_html is None:
        is_html = bool(_LOOKS_LIKE_HTML.match(text))
    if is_html:
        article = read_html(text, url=url)
        if not _has_a_sentence(article.text):  # nothing, debris such as "<<<", or only menus
            raise InputError(f"{name}: no article text found in the HTML")
        return article
    article = read_text(text)
    article.url = url
    return article


def _has_a_sentence(text: str) -> bool:
    return any(len(WORD.findall(line)) >= _SENTENCE_WORDS for line in text.splitlines())


def _is_html_file(name: str) -> bool:
    """True for a .html or .htm file, False for .txt; an InputError for any other name."""
    suffix = Path(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise InputError(f"{name}: unsupported file type {suffix or '(no extension)'!r}; "
                         "expected .txt, .html or .htm")
    return suffix in HTML_SUFFIXES


def read_text(text: str) -> Article:
    """An article from plain text; title, authors and date come from its first lines.

    The text is kept as given except that "\\r\\n" becomes "\\n".
    """
    text = text.replace("\r\n", "\n")
    title, authors, published, outlet = _read_head(text)
    return Article(text=text, title=title, authors=authors, published=published, outlet=outlet)


def read_html(html: str, url: str | None = None) -> Article:
    """An article from an HTML page: the body text and the page's metadata, via trafilatura."""
    import trafilatura  # here, not at the top: it takes a fifth of a second to import

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        return Article(text="", url=url)
    authors = [a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip()]
    return Article(
        text=doc.text,
        title=doc.title or None,
        authors=authors,
        published=_iso_date(doc.date),
        url=doc.url or url,
        outlet=doc.sitename or None,
    )


# ---------------------------------------------------------------- decoding

def _declared_charset(content_type: str | None, head: bytes) -> str | None:
    """The charset an HTTP Content-Type or an HTML <meta> declares, if any."""
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    if m is None and head:
        m = _CHARSET.search(head[:4096])
    if m is None:
        return None
    label = m.group(1).decode("ascii", "replace") if isinstance(m.group(1), bytes) else m.group(1)
    try:
        label = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if label in ("latin-1", "iso8859-1", "ascii") else label


def _decode(data: bytes, name: str, declared: str | None) -> str:
    """UTF-8 (BOM dropped), else the declared charset, else a clear error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: is UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if declared and declared not in ("utf-8", "utf_8"):
            try:
                return data.decode(declared)
            except (UnicodeDecodeError, LookupError):
                pass
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


# ---------------------------------------------------------------- the head of a plain-text article

def _read_head(text: str) -> tuple[str | None, list[str], date | None, str | None]:
    """Title, authors, date and outlet from the first non-blank lines of a plain-text article."""
    lines = [line.strip() for line in text.split("\n", 8)[:8]]
    lines = [line for line in lines if line][:4]
    title, authors, published, outlet = None, [], None, None
    for n, line in enumerate(lines):
        found_authors, found_date, found_outlet, explicit = _byline(line)
        # A first line of capitalised words alone is a headline, not a list of names.
        if (found_authors or found_date) and (explicit or n > 0):
            authors = authors or found_authors
            published = published or found_date
            outlet = outlet or found_outlet
            continue
        if n == 0 and _is_headline(line):
            title = line
            continue
        break  # the body has started
    return title, authors, published, outlet


def _is_headline(line: str) -> bool:
    """A first line short enough for a title and not ending like a sentence -- or ending
    in a full stop but written in Title Case, as some archives write headlines."""
    if len(line) > 200 or len(line.split()) > 30:
        return False
    return not line.endswith((".", ",", ";", ":")) or is_headline(line, first=True)


def _byline(line: str) -> tuple[list[str], date | None, str | None, bool]:
    """Authors, date and outlet a byline or date line gives, and whether it said so plainly.

    Accepts "By Jane Doe", "By Jane Doe and John Roe | Dec. 5, 2025", "By Jane Doe |
    Sample Gazette | December 5, 2025" (the outlet is the capitalised part between the
    names and the date), "Jane Doe, 12/5/2025" (the body may run on after the date), a
    bare date line, and a line of names alone ("Jane Doe and John Roe"). The flag is
    False for the last kind, which a headline can look like. Job titles ("Jane Doe,
    Staff Writer") are neither authors nor outlets.
    """
    d = _date_at(line)
    if d is not None:
        return [], d, None, True
    by = _BY.match(line)
    rest = line[by.end():] if by else line
    m = _NAMES.match(rest)
    if m is None:
        return [], None, None, False
    after = _PARENTHESIS.sub("", rest[m.end():], count=1)  # "By Jane Doe (Reuters), ..."
    d, outlet, separated = None, None, bool(_BYLINE_SEPARATOR.match(after))
    while d is None and (sep := _BYLINE_SEPARATOR.match(after)):
        after = after[sep.end():]
        d = _date_at(after)
        part = _BYLINE_PART.match(after)
        if d is not None or part is None or outlet is not None:
            break
        after = after[part.end():]
        if not any(w.lower() in _JOB_WORDS for w in part.group().split()):
            outlet = part.group()  # "Sample Gazette", not "Staff Writer"
    if after.strip() and d is None and not (by and separated):
        return [], None, None, False  # a sentence that starts with a name, not a byline
    names = [n for n in _NAME_LIST_SEPARATOR.split(m.group("names"))
             if n and not any(w.lower() in _JOB_WORDS for w in n.split())]
    if not by and d is None and not all(2 <= len(n.split()) <= 3 for n in names):
        return [], None, None, False
    return names, d, outlet, bool(by or d)


def _date_at(s: str) -> date | None:
    """The date written at the start of `s`, or None."""
    m = _DATE.match(s)
    if m is None:
        return None
    try:
        if m.group("iso"):
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        if m.group("num"):
            a, b, y = int(m.group("n1")), int(m.group("n2")), int(m.group("ny"))
            y = y + 2000 if y < 100 else y
            # Month first (US style) unless the first number cannot be a month.
            return date(y, b, a) if a > 12 else date(y, a, b)
        if m.group("month"):
            return date(int(m.group("my")), _MONTHS[m.group("month").lower()], int(m.group("md")))
        return date(int(m.group("dy")), _MONTHS[m.group("month2").lower()], int(m.group("dm")))
    except ValueError:
        return None


def _iso_date(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None
