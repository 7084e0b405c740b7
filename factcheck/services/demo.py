"""The demo: fictional sample statements, articles and published verdicts.

Everything loaded here is written for the project (see factcheck/samples/README.md).
Loading twice changes nothing: every step is idempotent.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import PACKAGE_DIR
from ..errors import InputError
from ..store.db import session_scope
from ..store.models import Article, Claim, Quote, User
from .articles import ingest_sources
from .statements import import_statements
from .users import create_user
from .verdicts import Evidence, record_verdict, verdict_for

SAMPLES = PACKAGE_DIR / "samples"
DEMO_PASSWORD = "demo-password"
DEMO_USERS = (("admin", "admin"), ("editor", "editor"), ("checker", "checker"))
TRANSCRIPT_DATE = dt.date(2025, 11, 2)


def load_demo(engine: Engine, samples: Path = SAMPLES) -> str:
    """Load the samples into the database behind `engine`; returns a one-line summary."""
    with session_scope(engine) as session:
        for username, role in DEMO_USERS:
            if not session.exec(select(User).where(User.username == username)).first():
                create_user(session, username, DEMO_PASSWORD, role)
    imported = import_statements(engine, str(samples / "statements.jsonl"))
    for transcript in sorted(samples.glob("transcript-*.txt")):
        import_statements(engine, str(transcript), speaker_date=TRANSCRIPT_DATE,
                          source_url=f"https://example.org/samples/{transcript.stem}")
    results = ingest_sources(engine, [str(samples / "articles")])
    failed = [r.error for r in results if r.error]
    if failed:
        raise InputError(f"demo sample did not ingest: {failed[0]}")
    with session_scope(engine) as session:
        published = _publish_verdicts(session, json.loads((samples / "verdicts.json").read_text(encoding="utf-8")))
    return (f"demo loaded: {len(results)} articles, {imported.added + imported.unchanged + imported.updated} statements "
            f"and a transcript, {published} new published verdicts")


def _publish_verdicts(session: Session, specs: list[dict]) -> int:
    editor = session.exec(select(User).where(User.username == "editor")).one()
    count = 0
    for spec in specs:
        target = _find_target(session, spec)
        if verdict_for(session, target) is not None:
            continue
        record_verdict(
            session, target, rating=spec["rating"], explanation=spec["explanation"],
            evidence=[Evidence(e["url"], e.get("title", ""), e.get("note", "")) for e in spec.get("evidence", [])],
            status="published", reviewer=editor,
        )
        count += 1
    return count


def _find_target(session: Session, spec: dict) -> Quote | Claim:
    """The quote or claim of the named sample article whose span holds `find`."""
    article = session.exec(select(Article).where(Article.source.endswith("/" + spec["article"]))).first()
    if article is None:
        raise InputError(f"demo verdict names article {spec['article']!r}, which was not ingested")
    at = article.text.find(spec["find"])
    model = Quote if spec["kind"] == "quote" else Claim
    rows = session.exec(select(model).where(model.article_id == article.id)).all()
    for row in rows:
        if at >= 0 and row.start <= at + len(spec["find"]) and at < row.end:
            return row
    raise InputError(f"demo verdict: no {spec['kind']} found around {spec['find'][:60]!r} in {spec['article']}")
