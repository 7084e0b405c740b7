"""A quote a fact-checker verified becomes a known statement of its own, so that later
quotes of the same words match it."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from ..domain import SourceKind, StatementOrigin
from ..store.models import Article, Quote, Statement
from .embeddings import embedding_index
from .people import person_for
from .sources import article_key, document_for, place
from .statements import dedupe_key


def promote_verified_quote(session: Session, quote: Quote, article: Article | None = None) -> Statement:
    """Make a quote a fact-checker verified a known statement (origin "verified_quote").

    Keyed by ref `quote:{id}`: promoting the same quote again updates that statement.
    The statement is dated by the article, attributed to the quote's speaker, and its
    source is the article: it belongs to the article's source document, after the
    article's quotes verified before it.
    """
    article = article or session.get(Article, quote.article_id)
    speaker = quote.speaker_name or "Unknown"
    date = article.published if article else None
    ref = f"quote:{quote.id}"
    key = dedupe_key(quote.text, speaker, date)
    row = session.exec(select(Statement).where(Statement.ref == ref)).first()
    if row is None:
        row = session.exec(select(Statement).where(Statement.dedupe_key == key)).first()
        if row is not None:  # the same words, speaker and day are already known
            return row
        row = Statement(ref=ref, text=quote.text, speaker_name=speaker, dedupe_key=key,
                        origin=StatementOrigin.VERIFIED_QUOTE)
    person = person_for(session, speaker) if quote.speaker_name else None
    row.text, row.speaker_name, row.dedupe_key, row.date = quote.text, speaker, key, date
    row.person_id = person.id if person else quote.person_id
    row.source_url = article.url if article else None
    row.source_title = article.title if article else None
    row.updated_at = dt.datetime.now(dt.timezone.utc)
    if article is not None:
        place(session, row, document_for(
            session, article_key(article.id), kind=SourceKind.ARTICLE, title=article.title, url=article.url, date=date,
        ))
    session.add(row)
    session.flush()
    embedding_index(session).embed(session, [(row.id, row.text)])
    return row
