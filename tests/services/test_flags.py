"""The SQL forms of "flagged" select exactly the quotes `domain.is_flagged` calls flagged."""
import pytest
from sqlmodel import Session, select

from factcheck.domain import FLAGGED_LABELS, Flag, QuoteLabel, is_flagged
from factcheck.services.flags import flag_count, flagged, has_flag
from factcheck.store.models import Article, Claim, Quote

pytestmark = pytest.mark.db

CASES = [(label, flags) for label in QuoteLabel
         for flags in ([], [Flag.EARLIER], [Flag.MISATTRIBUTED], [Flag.MISATTRIBUTED, Flag.EARLIER])]


@pytest.fixture
def quotes(engine):
    """One quote for every label with every set of flags: {id: (label, flags)}."""
    with Session(engine) as session:
        article = Article(text="x" * 100, content_hash="h")
        session.add(article)
        session.flush()
        rows = [Quote(article_id=article.id, start=n, end=n + 1, text=f"q{n}", label=label, flags=list(flags))
                for n, (label, flags) in enumerate(CASES)]
        session.add_all(rows)
        session.commit()
        yield session, {row.id: (row.label, row.flags) for row in rows}


def ids(session, condition) -> set[int]:
    return set(session.exec(select(Quote.id).where(condition)))


def test_flagged_is_the_domain_rule(quotes):
    session, cases = quotes
    assert ids(session, flagged()) == {i for i, (label, flags) in cases.items() if is_flagged(label, flags)}


def test_each_category_is_a_flag_or_a_flagged_label(quotes):
    session, cases = quotes
    for flag in Flag:
        assert ids(session, flagged(flag)) == ids(session, has_flag(flag)) == {
            i for i, (_, flags) in cases.items() if flag in flags}
    for label in FLAGGED_LABELS:
        assert ids(session, flagged(label)) == {i for i, (lab, _) in cases.items() if lab == label}


def test_flags_are_counted_and_claims_raise_none(quotes):
    session, cases = quotes
    counted = dict(session.exec(select(Quote.id, flag_count(Quote))).all())
    assert counted == {i: len(flags) for i, (_, flags) in cases.items()}
    session.add(Claim(article_id=session.exec(select(Article.id)).one(), start=0, end=1, text="c", score=0.5))
    session.flush()
    assert session.exec(select(Claim.id, flag_count(Claim))).one()[1] == 0
