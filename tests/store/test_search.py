"""Candidate retrieval through the index: rarest words for quotes, titles for claims,
quotes found again from new statements."""
import pytest
from sqlalchemy import text as sql
from sqlmodel import Session, select

from factcheck.store import backends, search
from factcheck.store.backends import forget_statistics
from factcheck.store.models import Article, Claim, Quote, Statement, Verdict
from factcheck.store.search import (
    candidate_ids,
    claim_candidate_ids,
    claims_holding,
    joined_rows_holding,
    quote_ids_for_statements,
    quotes_holding,
    rarest_terms,
    statement_total,
    term_counts,
)

pytestmark = pytest.mark.db


def add(session, text, ref, title=None):
    row = Statement(text=text, speaker_name="Teodor Brandt", dedupe_key=ref, ref=ref, source_title=title)
    session.add(row)
    session.flush()
    return row.id


def analyse(session):
    """Fresh term statistics (PostgreSQL reads word counts from ANALYZE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(sql("ANALYZE statement"))
        session.commit()
    forget_statistics()


@pytest.fixture
def crowded(engine):
    """Forty statements about the budget, one about the Kessler bridge."""
    with Session(engine) as session:
        for i in range(40):
            add(session, f"The council budget for district {i} will grow again next year, the budget office said.", f"b{i}")
        bridge = add(session, "The council budget says the Kessler bridge will reopen in March after repairs.", "k")
        session.commit()
        analyse(session)
        yield session, bridge


def test_term_counts_and_total(crowded):
    session, _ = crowded
    assert statement_total(session) == 41
    counts = term_counts(session, ["budget", "kessler", "absentword"])
    assert counts["budget"] > counts["kessler"] > 0
    assert counts.get("absentword", 0) < counts["budget"]


def test_rarest_terms_put_rare_words_first(crowded):
    session, _ = crowded
    terms = rarest_terms(session, "the council budget and the Kessler bridge", k=2)
    assert "budget" not in terms and "council" not in terms
    assert set(terms) == {"kessler", "bridge"}


def test_quote_candidates_come_from_rare_words_even_with_a_word_changed(crowded):
    session, bridge = crowded
    assert candidate_ids(session, "the council budget says the Kessler bridge will reopen in March")[0] == bridge
    assert candidate_ids(session, "the council budget says the Kessler bridge will close in March")[0] == bridge
    assert candidate_ids(session, "the Kessler crossing will reopen in March")[0] == bridge


def test_statements_sharing_two_rare_words_are_the_only_candidates(crowded):
    # The forty budget statements share the quote's common words, not its rare ones:
    # the search reads no further once two rare words have found the source.
    session, bridge = crowded
    assert candidate_ids(session, "the council budget says the Kessler bridge will reopen in March") == [bridge]


def test_a_quote_of_common_words_is_found_by_its_word_pairs(engine, monkeypatch):
    # Every word is held by every statement (no floor keeps them rare in so small a
    # library): only the order of the words tells the statements apart.
    monkeypatch.setattr(search, "COMMON_FLOOR", 0)
    orders = ["budget council office grow year", "year grow office council budget", "office year council budget grow"]
    with Session(engine) as session:
        ids = [add(session, f"The {words}.", f"o{i}") for i, words in enumerate(orders)]
        session.commit()
        analyse(session)
        assert candidate_ids(session, "the council budget grow")[0] == ids[2]
        assert candidate_ids(session, "grow office council")[0] == ids[1]


def test_rare_words_are_paired_before_commoner_ones(engine, monkeypatch):
    # "ferry" is in every statement and too common to pair; "pier" and "tides" are
    # not, and the two statements holding both come first.
    monkeypatch.setattr(search, "COMMON_FLOOR", 0)
    with Session(engine) as session:
        for i in range(200):
            add(session, f"The ferry number {i} sails on time.", f"f{i}")
        both = add(session, "The ferry waits at the pier for the tides.", "both")
        one = add(session, "The ferry leaves the pier early.", "one")
        session.commit()
        analyse(session)
        found = candidate_ids(session, "the ferry waits at the pier until the tides turn")
        assert found == [both]
        assert one not in found


def test_the_quote_s_commoner_words_rank_the_statements_its_rare_words_find(engine, monkeypatch):
    # Twenty short statements hold the quote's three paired words, as its source does;
    # only the source also holds "harbour tides storm", too common to be looked up.
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite ranks by bm25 over the paired words only (see SQLiteBackend.statements_with_any_two)")
    monkeypatch.setattr(search, "COMMON_FLOOR", 0)
    monkeypatch.setattr(search, "RARE_SHARE", 0.25)
    with Session(engine) as session:
        for i in range(20):
            add(session, f"Ferry pier quay item{i}.", f"d{i}")
        for i in range(30):
            add(session, f"Harbour tides storm entry{i}.", f"c{i}")
        for i in range(50):
            add(session, f"Unrelated words number{i}.", f"u{i}")
        source = add(session, "Ferry pier quay beacon harbour tides storm.", "source")
        session.commit()
        analyse(session)
        assert candidate_ids(session, "ferry pier quay lantern harbour tides storm", 5)[0] == source


def test_a_search_ranks_no_more_than_its_bound_however_many_statements_match(engine, monkeypatch):
    # Forty statements hold the quote's words; ranking reads each of them, so a search
    # reads no more than RANKED_HITS, even for a limit that would take them all.
    monkeypatch.setattr(search, "COMMON_FLOOR", 0)
    with Session(engine) as session:
        monkeypatch.setattr(backends.backend_for(session), "RANKED_HITS", 5)
        ids = {add(session, f"The harbour ferry sails at dawn, said captain number {i}.", f"h{i}") for i in range(40)}
        session.commit()
        analyse(session)
        backend = backends.backend_for(session)
        for found in (backend.statements_with_any_two(session, ["harbour", "ferry", "dawn"], 50),
                      backend.statements_with_phrases(session, [("harbour", "ferry")], 50),
                      backend.statements_with_any(session, ["harbour"], 50),
                      candidate_ids(session, "the harbour ferry sails at dawn", 50)):
            assert 0 < len(found) <= 5
            assert set(found) <= ids


def test_accents_are_folded_on_sqlite(engine):
    with Session(engine) as session:
        sid = add(session, "José Álvarez spoke about the café.", "a")
        session.commit()
        assert candidate_ids(session, "José Álvarez") == [sid]
        if engine.dialect.name == "sqlite":
            assert term_counts(session, ["jose", "josé"]) == {"jose": 1.0, "josé": 1.0}


def test_claim_candidates_search_titles_too(engine):
    with Session(engine) as session:
        a = add(session, "Says a photo shows him at the rally.", "a", title="No, the governor did not attend the tunnel protest")
        b = add(session, "Says the tunnel protest was peaceful.", "b")
        add(session, "Fares will rise.", "c")
        session.commit()
        [found] = claim_candidate_ids(session, ["The governor attended the tunnel protest"])
        assert set(found) == {a, b}
        assert candidate_ids(session, "governor attend") == []  # quotes come from the text, not the headline


def test_claim_candidates_never_rest_on_stop_words(engine):
    with Session(engine) as session:
        ferry = add(session, "The ferry runs late because the crew is not paid.", "S1")
        add(session, "Because it is not ready, we will wait.", "S2")
        session.commit()
        analyse(session)
        unpaid, nothing, weather = claim_candidate_ids(session, [
            "The ferry was late because the crew is not paid",
            "Because it is not what they said",
            "The ferry was late because of the weather",
        ])
        assert unpaid[:1] == [ferry]
        assert set(weather) == {ferry}
        # A claim of nothing but function words has no candidates (and leaves the others' in place).
        assert nothing == []


def test_quotes_sharing_rare_words_with_new_statements_are_found(engine):
    with Session(engine) as session:
        article = Article(text="x", content_hash="h")
        session.add(article)
        session.flush()
        quote = Quote(article_id=article.id, start=0, end=1, text="the Kessler bridge will reopen in March")
        other = Quote(article_id=article.id, start=2, end=3, text="fares will rise next year")
        session.add_all([quote, other])
        add(session, "The Kessler bridge reopens in March.", "k")
        session.commit()
        assert quote_ids_for_statements(session, ["The Kessler bridge reopens in March."]) == [quote.id]
        assert quote_ids_for_statements(session, ["Nothing in common."]) == []
        assert quote_ids_for_statements(session, []) == []


def test_quotes_sharing_words_with_a_new_statement_are_found_by_text_not_speaker(engine):
    with Session(engine) as session:
        article = Article(text="x", content_hash="h")
        session.add(article)
        session.flush()
        quote = Quote(article_id=article.id, start=0, end=1, text="fares will rise", speaker_name="Kessler")
        session.add(quote)
        session.commit()
        assert quote_ids_for_statements(session, ["Kessler spoke."]) == []


def test_the_public_search_finds_every_word_in_text_or_speaker(engine):
    with Session(engine) as session:
        article = Article(text="x", content_hash="h")
        session.add(article)
        session.flush()
        bridge = Quote(article_id=article.id, start=0, end=1, text="The Kessler bridge will reopen in March.",
                       speaker_name="Ana Reyes")
        ferries = Quote(article_id=article.id, start=2, end=3, text="Ferries run every hour.", speaker_name=None)
        fares = Claim(article_id=article.id, start=0, end=1, text="Fares rose by 4% in Malmö.", score=0.5)
        session.add_all([bridge, ferries, fares])
        session.commit()

        def quotes(words):
            return sorted(session.exec(quotes_holding(session, words)).scalars())

        def claims(words):
            return sorted(session.exec(claims_holding(session, words)).scalars())

        assert quotes("bridge") == quotes("BRIDGE reopen") == [bridge.id]
        assert quotes("reyes") == quotes("reyes bridge") == [bridge.id]  # the speaker's name with the text
        assert quotes("ferr") == [ferries.id]  # the beginning of a word
        assert quotes("bridge ferries") == quotes("tunnel") == []  # every word, not any
        assert claims("fares 4") == claims("malmö") == [fares.id]
        assert claims("bridge") == quotes("fares rose") == []
        assert quotes("%") == claims('" * : ( NOT') == []  # no word, or no word found: nothing


@pytest.mark.parametrize("common", [2000, 1])
def test_the_public_search_finds_verdicts_by_index_or_by_row_alike(engine, monkeypatch, common):
    # Words held by `common` quotes or more are checked row by row on PostgreSQL: the same answers.
    monkeypatch.setattr(backends, "COMMON_MATCHES", common)
    with Session(engine) as session:
        article = Article(text="x", content_hash="h")
        session.add(article)
        session.flush()
        quote = Quote(article_id=article.id, start=0, end=1, text="The bridge will reopen.", speaker_name="Ana Reyes")
        claim = Claim(article_id=article.id, start=0, end=1, text="The bridge cost 4 million.", score=0.5)
        session.add_all([quote, claim])
        session.flush()
        on_quote, on_claim = Verdict(quote_id=quote.id), Verdict(claim_id=claim.id)
        session.add_all([on_quote, on_claim])
        session.commit()

        def found(words):
            return sorted(session.exec(select(Verdict.id).outerjoin(Quote, Quote.id == Verdict.quote_id)
                                       .outerjoin(Claim, Claim.id == Verdict.claim_id)
                                       .where(joined_rows_holding(session, words, Verdict.quote_id, Verdict.claim_id))).all())

        assert found("bridge") == sorted([on_quote.id, on_claim.id])
        assert found("reyes bri") == found("reopen") == [on_quote.id]
        assert found("million") == [on_claim.id]
        assert found("reyes million") == found("tunnel") == found("%") == []


def test_hostile_text_is_only_words(engine):
    hostile = 'AND OR NOT "unbalanced ( * : \' \\ -- ; DROP TABLE statement NEAR/2 {text}'
    with Session(engine) as session:
        add(session, "Nothing in common here.", "a")
        session.commit()
        assert candidate_ids(session, hostile) == []
        assert claim_candidate_ids(session, [hostile]) == [[]]
        assert quote_ids_for_statements(session, [hostile]) == []
