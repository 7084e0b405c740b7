"""Ingesting articles: read, extract and match, then store, in one short transaction per article."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlparse

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..domain import is_flagged
from ..errors import InputError
from ..pipeline import records
from ..pipeline.claimants import QuoteSpan, claimant
from ..pipeline.extract import extract
from ..pipeline.feeds import feed_entry_urls, is_feed
from ..pipeline.fetching import fetch_url
from ..pipeline.reading import read_bytes, read_source
from ..pipeline.records import MatchResult
from ..pipeline.text.names import name_key
from ..store.db import reading, session_scope
from ..store.models import Article, Claim, Outlet, Quote
from .matching import claim_matches, label_quote, match_rows, quote_matches
from .people import person_ids_for

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass
class IngestResult:
    source: str
    article_id: int | None = None
    title: str | None = None
    created: bool = False
    quotes: int = 0
    claims: int = 0
    checkworthy: int = 0  # of the claims, those that reach the review queue
    flagged: int = 0
    error: str | None = None


def content_hash(text: str) -> str:
    """The same article text, however it was spaced, hashes the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def ingest_article(engine: Engine, article: records.Article, source: str | None = None) -> IngestResult:
    """Store one read article with its quotes, claims and matches (once, by content).

    Everything slow (extraction, matching, encoding) is done first, reading only; the rows
    are then written in one short transaction, so that on SQLite, where one writer at a
    time holds the database, the web app's writes never wait for an ingest's computing.
    """
    if not article.text.strip():
        raise InputError(f"{source or 'article'}: no article text to ingest")
    digest = content_hash(article.text)
    with reading(engine) as session:
        existing = _stored(session, digest)
        if existing:
            return IngestResult(source or "", existing.id, existing.title, created=False)
        found = extract(article)
        quote_results = quote_matches(session, [(q.text, q.speaker, article.published) for q in found.quotes])
        claim_results = claim_matches(session, [c.text for c in found.claims])
    with session_scope(engine) as session:
        existing = _stored(session, digest)  # another process may have stored it meanwhile
        if existing:
            return IngestResult(source or "", existing.id, existing.title, created=False)
        return _store_article(session, article, source, digest, found, quote_results, claim_results)


def _stored(session: Session, digest: str) -> Article | None:
    return session.exec(select(Article).where(Article.content_hash == digest)).first()


def _store_article(session: Session, article: records.Article, source: str | None, digest: str,
                   found: records.Extraction, quote_results: list[MatchResult],
                   claim_results: list[MatchResult]) -> IngestResult:
    """Write an article's rows, with the matches computed for its quotes and claims.

    New rows have no matches to replace: the quotes are written labelled, then the claims,
    then every match, each kind in one flush (one multi-row INSERT where the database
    allows), where one flush a row cost a round trip each."""
    outlet = _outlet(session, article)
    row = Article(
        outlet_id=outlet.id if outlet else None,
        url=article.url, title=article.title, authors=list(article.authors),
        published=article.published, text=article.text, content_hash=digest, source=source,
    )
    session.add(row)
    session.flush()
    spans = [QuoteSpan(q.start, q.end, q.speaker, q.speaker_kind) for q in found.quotes]
    claimants = [claimant(c.start, c.end, spans, row.authors, outlet.name if outlet else None) for c in found.claims]
    # Everyone the quotes and claims name, in the order they were made when each row asked for its own.
    named = [(q.speaker, q.speaker_kind) for q in found.quotes if q.speaker]
    named += [(who.name, who.kind) for who in claimants if who.quote is None and who.name]
    people = person_ids_for(session, named)
    quotes = [_quote_row(row.id, q, people.get(name_key(q.speaker)) if q.speaker else None) for q in found.quotes]
    for quote, matched in zip(quotes, quote_results):
        label_quote(quote, matched)
    claims = [
        Claim(
            article_id=row.id, start=c.start, end=c.end, text=c.text, score=c.score, kinds=list(c.kinds),
            checkworthy=c.checkworthy, label=matched.label, speaker_name=who.name, speaker_kind=who.kind,
            # The claimant's person: the quote's speaker's, or the author's or outlet's
            # (an outlet is a person of kind organization).
            person_id=quotes[who.quote].person_id if who.quote is not None
            else people.get(name_key(who.name)) if who.name else None,
        )
        for c, who, matched in zip(found.claims, claimants, claim_results)
    ]
    session.add_all(quotes)
    session.add_all(claims)
    session.flush()
    session.add_all([match for quote, matched in zip(quotes, quote_results)
                     for match in match_rows(matched, quote_id=quote.id)])
    session.add_all([match for claim, matched in zip(claims, claim_results)
                     for match in match_rows(matched, claim_id=claim.id)])
    return IngestResult(
        source or "", row.id, row.title, created=True, quotes=len(quotes), claims=len(claims),
        checkworthy=sum(c.checkworthy for c in claims), flagged=sum(is_flagged(q.label, q.flags) for q in quotes),
    )


def _quote_row(article_id: int, q: records.Quote, person_id: int | None) -> Quote:
    mention = q.speaker_mention
    return Quote(
        article_id=article_id, start=q.start, end=q.end, text=q.text,
        person_id=person_id, speaker_name=q.speaker, speaker_kind=q.speaker_kind,
        mention_text=mention.text if mention else None,
        mention_start=mention.start if mention else None,
        mention_end=mention.end if mention else None,
        cue=q.cue, confidence=q.confidence, partial=q.partial,
    )


def _outlet(session: Session, article: records.Article) -> Outlet | None:
    domain = urlparse(article.url).hostname if article.url else None
    name = article.outlet or (re.sub(r"^www\.", "", domain) if domain else None)
    if not name:
        return None
    outlet = session.exec(select(Outlet).where(Outlet.name == name)).first()
    if not outlet:
        outlet = Outlet(name=name, domain=domain)
        session.add(outlet)
        session.flush()
    return outlet


def expand_sources(sources: list[str]) -> Iterator[str]:
    """Files, the article files inside folders (sorted), and URLs, in the order given."""
    for source in sources:
        path = Path(source)
        if not source.startswith(("http://", "https://")) and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield source


def ingest_sources(
    engine: Engine,
    sources: list[str],
    *,
    allow_private: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest every article the sources name; one bad source does not stop the rest.

    A feed URL stands for the articles it links to.
    """
    results = []
    for source in expand_sources(sources):
        for item, article in _read_all(source, allow_private):
            if isinstance(article, InputError):
                result = IngestResult(item, error=str(article))
            else:
                try:
                    result = ingest_article(engine, article, item)
                except InputError as exc:
                    result = IngestResult(item, error=str(exc))
            results.append(result)
            if on_result:
                on_result(result)
    return results


def _read_all(source: str, allow_private: bool) -> Iterator[tuple[str, records.Article | InputError]]:
    """(source, article or its error) for a file or page, or for each article a feed links to."""
    try:
        if not source.startswith(("http://", "https://")):
            yield source, read_source(source)
            return
        page = fetch_url(source, allow_private=allow_private)
        if not is_feed(page.body, page.content_type):
            yield source, read_bytes(page.body, name=source, content_type=page.content_type, url=page.url)
            return
        entries = feed_entry_urls(page.body, name=source)
    except InputError as exc:
        yield source, exc
        return
    for url in entries:
        try:
            yield url, read_source(url, allow_private=allow_private)
        except InputError as exc:
            yield url, exc
