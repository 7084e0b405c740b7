"""Verdicts keep every version; corrections need a note; stale saves are refused."""
import pytest
from sqlmodel import Session, select

from factcheck.errors import InputError
from factcheck.services.users import authenticate, create_user
from factcheck.services.verdict_views import corrections
from factcheck.services.verdicts import (Evidence, NotAllowed, VersionConflict, current_version, record_verdict,
                                         verdict_for, versions)
from factcheck.store.models import Article, AuditEntry, Quote

pytestmark = pytest.mark.db


@pytest.fixture
def setup(engine):
    session = Session(engine, expire_on_commit=False)
    article = Article(text="Brandt said: “The bridge reopens in March.”", content_hash="h1")
    session.add(article)
    session.flush()
    quote = Quote(article_id=article.id, start=13, end=42, text="The bridge reopens in March.", speaker_name="Teodor Brandt")
    session.add(quote)
    checker = create_user(session, "casey", "a long password", "checker")
    editor = create_user(session, "erin", "another password", "editor")
    session.commit()
    yield session, quote, checker, editor
    session.close()


def test_versions_are_appended_never_overwritten(setup):
    session, quote, checker, editor = setup
    evidence = [Evidence("https://example.org/hearing", "Hearing transcript", "says March")]
    record_verdict(session, quote, rating="Accurate", explanation="Matches the transcript.", evidence=evidence,
                   status="draft", reviewer=checker)
    assert quote.status == "in_review"
    record_verdict(session, quote, rating="Accurate", explanation="Matches the transcript word for word.",
                   evidence=evidence, status="published", reviewer=editor, base_version=1)
    record_verdict(session, quote, rating="Minor wording difference", explanation="One comma differs.", evidence=evidence,
                   status="published", reviewer=editor, note="Corrected: the transcript has a comma.", base_version=2)
    session.commit()
    verdict = verdict_for(session, quote)
    history = versions(session, verdict)
    assert [(v.version, v.status, v.rating) for v in history] == [
        (1, "draft", "Accurate"), (2, "published", "Accurate"), (3, "published", "Minor wording difference")]
    assert history[0].explanation == "Matches the transcript."
    assert current_version(session, verdict).version == 3 and verdict.status == "published"
    assert verdict.first_published_at is not None and quote.status == "published"
    assert [c.note for c in corrections(session, verdict)] == ["Corrected: the transcript has a comma."]
    assert history[1].evidence == [{"url": "https://example.org/hearing", "title": "Hearing transcript", "note": "says March"}]
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.object_type == "verdict")).all()
    assert actions == ["verdict.draft", "verdict.published", "verdict.published"]


def test_a_stale_save_is_refused_and_writes_nothing(setup):
    session, quote, checker, editor = setup
    record_verdict(session, quote, rating="Accurate", explanation="First.", evidence=[], status="draft", reviewer=checker)
    record_verdict(session, quote, rating="Misquoted", explanation="Second.", evidence=[], status="draft",
                   reviewer=editor, base_version=1)
    with pytest.raises(VersionConflict) as err:
        record_verdict(session, quote, rating="Fabricated", explanation="Stale.", evidence=[], status="draft",
                       reviewer=checker, base_version=1)
    assert err.value.current.explanation == "Second."
    assert [v.explanation for v in versions(session, verdict_for(session, quote))] == ["First.", "Second."]


def test_a_published_change_without_a_correction_note_is_refused(setup):
    session, quote, _checker, editor = setup
    record_verdict(session, quote, rating="Accurate", explanation="Fine.", evidence=[], status="published", reviewer=editor)
    with pytest.raises(InputError, match="correction note"):
        record_verdict(session, quote, rating="Misquoted", explanation="Changed.", evidence=[], status="published", reviewer=editor)


@pytest.mark.parametrize("kwargs, message", [
    (dict(rating="True"), "not a rating on the quote scale"),
    (dict(status="shipped"), "unknown verdict status"),
    (dict(explanation="   "), "needs an explanation"),
    (dict(evidence=[Evidence("javascript:alert(1)")]), "not an http"),
])
def test_bad_verdicts_are_refused(setup, kwargs, message):
    session, quote, checker, _ = setup
    args = dict(rating="Accurate", explanation="Why.", evidence=[], status="draft", reviewer=checker) | kwargs
    with pytest.raises(InputError, match=message):
        record_verdict(session, quote, **args)
    assert verdict_for(session, quote) is None


def test_users_have_hashed_passwords_and_valid_roles(setup):
    session, _quote, checker, _ = setup
    assert "a long password" not in checker.password_hash
    assert authenticate(session, "casey", "a long password").id == checker.id
    assert authenticate(session, "casey", "wrong password") is None
    with pytest.raises(InputError, match="unknown role"):
        create_user(session, "x1", "long enough pw", "owner")
    with pytest.raises(InputError, match="already exists"):
        create_user(session, "casey", "long enough pw", "checker")
    with pytest.raises(InputError, match="too short"):
        create_user(session, "newbie", "short", "checker")


def test_checkers_save_drafts_and_only_editors_publish(setup):
    session, quote, checker, editor = setup
    with pytest.raises(NotAllowed, match="Only editors and admins"):
        record_verdict(session, quote, rating="Accurate", explanation="Fine.", evidence=[], status="published", reviewer=checker)
    assert verdict_for(session, quote) is None
    record_verdict(session, quote, rating="Accurate", explanation="Fine.", evidence=[], status="published", reviewer=editor)
    with pytest.raises(NotAllowed, match="only an editor or admin"):
        record_verdict(session, quote, rating="Accurate", explanation="Draft.", evidence=[], status="draft", reviewer=checker)
    with pytest.raises(NotAllowed, match="take it off the public site"):
        record_verdict(session, quote, rating="Accurate", explanation="Draft.", evidence=[], status="draft", reviewer=editor)
    assert verdict_for(session, quote).status == "published"


def test_a_base_version_for_a_verdict_that_does_not_exist_is_a_conflict(setup):
    session, quote, checker, _ = setup
    with pytest.raises(VersionConflict, match="now version 0") as err:
        record_verdict(session, quote, rating="Accurate", explanation="x", evidence=[], status="draft",
                       reviewer=checker, base_version=3)
    assert err.value.current is None and verdict_for(session, quote) is None
