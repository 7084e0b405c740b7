"""The demo loads the fictional samples: every rating published, every kind of case shown."""
import pytest
from sqlmodel import Session, func, select

from factcheck.services.demo import load_demo
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
