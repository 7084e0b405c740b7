"""The pages receive plain records: no service a page reads through hands it an ORM row,
which a template could lazy-load from (one query per row) or change by accident."""
import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlmodel import Session, SQLModel

from factcheck.services import audit, desk, people, queue, transcripts, users, verdict_views
from factcheck.store.models import Outlet

from .conftest import publish
from .test_newsroom import newsroom  # noqa: F401  (the fixture)

pytestmark = pytest.mark.db


def orm_rows(value) -> list:
    """The SQLModel instances anywhere in `value`: in dataclasses, records, tuples, lists,
    sets and dicts, however deep."""
    if isinstance(value, SQLModel):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, SimpleNamespace):
        parts = list(vars(value).values())
    elif isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, (tuple, list, set, frozenset)) or type(value).__name__ == "Row":
        parts = list(value)
    else:
        return []
    return [row for part in parts for row in orm_rows(part)]


def test_the_checker_finds_an_orm_row_however_deep():
    outlet = Outlet(name="Daily")
    assert orm_rows(SimpleNamespace(rows=[({"x": outlet},)])) == [outlet]
    assert orm_rows(desk.Tally(1, "Daily", 2, 1)) == []


def test_the_pages_services_return_no_orm_rows(newsroom, engine):  # noqa: F811
    verdict_id = publish(engine, newsroom["altered"].quote_id, explanation="Fine.")
    quote_id, claim_id, article_id = newsroom["altered"].quote_id, newsroom["clean"].claim_id, newsroom["clean"].article_id
    today = dt.date.today()
    with Session(engine) as session:
        quote = verdict_views.review_item(session, "quote", quote_id)
        claim = verdict_views.review_item(session, "claim", claim_id)
        view = verdict_views.verdict_view(session, verdict_id)
        everyone = people.people_page(session, "", 1, 10)
        results = {
            "flagged": desk.flagged_quotes(session, "", 1, 10), "flagged csv": desk.flagged_quotes(session, "", 1, None),
            "repeats": desk.repeat_claims(session, 20), "articles": desk.desk_articles(session, 1, 10),
            "article": desk.desk_article(session, article_id), "verdicts csv": desk.verdict_rows(session),
            "outlets": desk.outlet_counts(session, today), "speakers": desk.speaker_counts(session, today),
            "weeks": desk.flags_by_week(session, today),
            "quote": quote, "claim": claim, "current": verdict_views.current_text(session, quote.verdict),
            "sources": verdict_views.candidate_sources(session, quote), "history": verdict_views.verdict_history(
                session, quote.verdict), "review article": verdict_views.review_article(session, quote.article_id),
            "queue": queue.review_queue(session, queue.QueueFilters(), 1, 10), "holders": queue.holders(session),
            "public": verdict_views.published_verdicts(session, verdict_views.VerdictFilters(), 1, 10),
            "verdict": view, "corrections": verdict_views.corrections(session, view.verdict),
            "transcripts": transcripts.transcripts(session), "people": everyone,
            "person": people.person_page(session, everyone.items[0].id),
            "speaker": people.speaker(session, everyone.items[0].id),
            "accounts": users.all_users(session), "audit": audit.recent_audit(session),
        }
    assert quote.verdict is not None and claim.kind == "claim" and results["article"].quotes
    assert results["flagged"].items and results["repeats"] and results["verdicts csv"] and results["sources"]
    assert {name: orm_rows(result) for name, result in results.items() if orm_rows(result)} == {}
