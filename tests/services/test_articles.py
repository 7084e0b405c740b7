"""Ingesting an article: each claim is stored with its claimant."""
import pytest
from sqlmodel import Session, select

from factcheck.pipeline import records
from factcheck.services import articles
from factcheck.store.models import Claim, Person, Quote

pytestmark = pytest.mark.db

# A sample article written for these tests: fictional city, fictional people.
TEXT = (
    "The harbour tunnel cost 1.9 billion dollars, up from 1.2 billion in 2019, according to city figures.\n\n"
    "“Ridership fell 40 percent since 2019.\n\n"
    "“The city spent 300 million dollars on repairs in 2024,” said Dana Whitlock."
)


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


def ingest(engine, **fields):
    articles.ingest_article(engine, records.Article(text=TEXT, title="Tunnel costs", **fields))
    with Session(engine, expire_on_commit=False) as session:
        claims = session.exec(select(Claim).order_by(Claim.start)).all()
        people = {p.id: (p.name, p.kind) for p in session.exec(select(Person))}
    return claims, people


def test_a_claim_in_the_articles_own_words_is_its_first_authors(engine):
    claims, people = ingest(engine, authors=["Lena Varga", "Ines Okafor"], url="https://harbor-gazette.example/t")
    first = claims[0]
    assert first.text.startswith("The harbour tunnel cost 1.9 billion dollars")
    assert (first.speaker_name, first.speaker_kind) == ("Lena Varga", "person")
    assert people[first.person_id] == ("Lena Varga", "person")


def test_without_an_author_the_outlet_is_the_claimant_as_an_organization(engine):
    claims, people = ingest(engine, url="https://www.harbor-gazette.example/t")
    first = claims[0]
    assert (first.speaker_name, first.speaker_kind) == ("harbor-gazette.example", "organization")
    assert people[first.person_id] == ("harbor-gazette.example", "organization")


def test_with_neither_the_claimant_is_unknown(engine):
    claims, _ = ingest(engine)
    assert (claims[0].speaker_name, claims[0].speaker_kind, claims[0].person_id) == (None, "unknown", None)


def test_a_claim_inside_a_quote_is_its_speakers(engine, monkeypatch):
    """Today's claim finder leaves quotations to the quote extractor, so the claim inside a
    quote is given here by hand, as another extractor could find it."""
    real = articles.extract

    def with_a_quoted_claim(article):
        found = real(article)
        [second] = [q for q in found.quotes if q.text.startswith("The city spent")]
        inside = records.Claim(text=second.text[:45], start=second.start, end=second.start + 45, score=0.9)
        return records.Extraction(found.article, found.quotes, [*found.claims, inside])

    monkeypatch.setattr(articles, "extract", with_a_quoted_claim)
    claims, people = ingest(engine, authors=["Lena Varga"])
    with Session(engine) as session:
        quote = session.exec(select(Quote).where(Quote.text.startswith("The city spent"))).one()
    [inside] = [c for c in claims if c.start == quote.start]
    assert (inside.speaker_name, inside.speaker_kind, inside.person_id) == ("Dana Whitlock", "person", quote.person_id)
    assert people[inside.person_id] == ("Dana Whitlock", "person")
    assert claims[0].speaker_name == "Lena Varga"  # the claim outside any quote


def test_each_claim_is_stored_with_the_scorers_checkworthy_decision(engine, monkeypatch):
    """The pipeline decides; ingest keeps the decision (the queue and the desk read it)."""
    first, second = TEXT.split("\n\n")[0], "Ridership fell 40 percent since 2019."
    found = [records.Claim(first, 0, len(first), 0.93, ["quantity"], checkworthy=True),
             records.Claim(second, TEXT.index(second), TEXT.index(second) + len(second), 0.12, [], checkworthy=False)]
    real_extract = articles.extract
    monkeypatch.setattr(articles, "extract",
                        lambda article: records.Extraction(article, real_extract(article).quotes, found))
    result = articles.ingest_article(engine, records.Article(text=TEXT, title="Tunnel costs", authors=["Lena Varga"]))
    with Session(engine) as session:
        claims = session.exec(select(Claim).order_by(Claim.start)).all()
        assert [(c.text, c.score, c.checkworthy) for c in claims] == [(first, 0.93, True), (second, 0.12, False)]
    assert (result.claims, result.checkworthy) == (2, 1)  # what `factcheck ingest` reports
