"""The demo loads the fictional samples: every rating published, every kind of case shown."""
import json

import pytest
from sqlmodel import Session, func, select

from factcheck.services.demo import SAMPLES, load_demo
from factcheck.services.desk import repeat_claims
from factcheck.services.ratings import scales
from factcheck.store.models import Article, Quote, Statement, Verdict, VerdictVersion

pytestmark = pytest.mark.db


def test_demo_publishes_every_rating_and_loads_once(engine):
    load_demo(engine)
    with Session(engine) as session:
        counts = [session.exec(select(func.count()).select_from(t)).one() for t in (Article, Statement, Verdict)]
        published = set(session.exec(
            select(VerdictVersion.rating).join(Verdict, Verdict.id == VerdictVersion.verdict_id)
            .where(Verdict.status == "published")).all())
        quotes = session.exec(select(Quote)).all()
    for scale in scales().values():
        assert set(scale.names()) <= published
    labels = {q.label for q in quotes}
    flags = {f for q in quotes for f in q.flags}
    assert {"exact", "minor", "elided", "altered", "none"} <= labels
    assert {"misattributed", "earlier"} <= flags
    assert {"anonymous", "organization"} <= {q.speaker_kind for q in quotes}

    assert "0 new published verdicts" in load_demo(engine)
    with Session(engine) as session:
        again = [session.exec(select(func.count()).select_from(t)).one() for t in (Article, Statement, Verdict)]
    assert again == counts


def test_the_desk_shows_only_claims_that_repeat_their_statements(engine):
    """The desk's "Claims that repeat checked ones" against the samples' own list of which
    claim repeats which statements (factcheck/samples/repeats.json): every claim shown is
    listed, beside one of the statements it repeats."""
    load_demo(engine)
    listed = json.loads((SAMPLES / "repeats.json").read_text(encoding="utf-8"))
    with Session(engine) as session:
        shown = repeat_claims(session, 100)
        ref_of = {text: ref for text, ref in session.exec(select(Statement.text, Statement.ref)).all()}
    assert shown
    for claim in shown:
        entry = next((e for e in listed if e["find"] in claim.text), None)
        assert entry is not None, f"shown as a repeat, but repeats nothing: {claim.text!r}"
        assert ref_of[claim.statement.text] in entry["repeats"], (claim.text, claim.statement.text)

