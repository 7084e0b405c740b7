"""Merging two people into one, and splitting an alias off into a new person."""
import pytest
from sqlmodel import Session, select

from factcheck.errors import InputError
from factcheck.services.people import add_alias, find_person, merge_people, person_for, split_alias
from factcheck.store.db import session_scope
from factcheck.store.models import AuditEntry, Claim, Person, PersonAlias, Quote, Statement, User

from .conftest import seed, submit

pytestmark = pytest.mark.db


@pytest.fixture
def two_people(engine, users):
    """"Ana Reyes" (with the alias "Reyes") and a second row "A. Reyes" for the same person,
    each with a quote; a statement and a claim by "A. Reyes"."""
    first = seed(engine, quote="First words.", title="One")
    second = seed(engine, quote="Second words.", title="Two", speaker="A. Reyes")
    with session_scope(engine) as session:
        ana, other = person_for(session, "Ana Reyes"), person_for(session, "A. Reyes")
        add_alias(session, ana, "Reyes")
        session.get(Quote, first.quote_id).person_id = ana.id
        session.get(Quote, second.quote_id).person_id = other.id
        session.add(Statement(text="Words.", speaker_name="A. Reyes", person_id=other.id, dedupe_key="s1"))
        session.add(Claim(article_id=session.get(Quote, second.quote_id).article_id, start=0, end=6, text="Second",
                          score=0.9, speaker_name="A. Reyes", speaker_kind="person", person_id=other.id))
        return ana.id, other.id


def test_merge_moves_aliases_quotes_and_statements(engine, two_people):
    ana_id, other_id = two_people
    with session_scope(engine) as session:
        editor = session.exec(select(User).where(User.username == "editor")).one()
        merge_people(session, session.get(Person, ana_id), session.get(Person, other_id), editor)
    with Session(engine) as session:
        assert session.get(Person, other_id) is None
        assert find_person(session, "A. Reyes").id == ana_id
        assert {q.person_id for q in session.exec(select(Quote)).all()} == {ana_id}
        assert {q.speaker_name for q in session.exec(select(Quote)).all()} == {"Ana Reyes"}
        assert session.exec(select(Statement.person_id).where(Statement.dedupe_key == "s1")).one() == ana_id
        assert session.exec(select(Claim.person_id, Claim.speaker_name).where(Claim.text == "Second")).one() == (
            ana_id, "Ana Reyes")
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "person.merge")).one()
        assert entry.detail == {"merged": other_id, "merged_name": "A. Reyes", "personalias": 1, "quote": 1,
                                "claim": 1, "statement": 1}


def test_split_makes_an_alias_a_person_with_its_quotes(engine, two_people):
    ana_id, other_id = two_people
    with session_scope(engine) as session:
        editor = session.exec(select(User).where(User.username == "editor")).one()
        merge_people(session, session.get(Person, ana_id), session.get(Person, other_id), editor)
        # Give the merged quote its original name back, as the pipeline would have written it.
        session.exec(select(Quote).where(Quote.text == "Second words.")).one().speaker_name = "A. Reyes"
        session.exec(select(Claim).where(Claim.text == "Second")).one().speaker_name = "A. Reyes"
    with session_scope(engine) as session:
        editor = session.exec(select(User).where(User.username == "editor")).one()
        alias = session.exec(select(PersonAlias).where(PersonAlias.alias == "A. Reyes")).one()
        new = split_alias(session, alias, editor)
        new_id = new.id
    with Session(engine) as session:
        assert find_person(session, "A. Reyes").id == new_id and find_person(session, "Reyes").id == ana_id
        quotes = {q.text: q.person_id for q in session.exec(select(Quote)).all()}
        assert quotes == {"First words.": ana_id, "Second words.": new_id}
        assert session.exec(select(Statement.person_id).where(Statement.dedupe_key == "s1")).one() == new_id
        assert session.exec(select(Claim.person_id).where(Claim.text == "Second")).one() == new_id


def test_the_last_name_cannot_be_split_and_nobody_merges_with_themselves(engine, two_people):
    _ana_id, other_id = two_people
    with session_scope(engine) as session:
        editor = session.exec(select(User).where(User.username == "editor")).one()
        other = session.get(Person, other_id)
        with pytest.raises(InputError, match="only name"):
            split_alias(session, session.exec(select(PersonAlias).where(PersonAlias.person_id == other_id)).one(), editor)
        with pytest.raises(InputError, match="two different people"):
            merge_people(session, other, other, editor)


def test_merge_and_split_in_the_ui(engine, two_people, as_user):
    ana_id, other_id = two_people
    editor = as_user("editor")
    listing = editor.get("/people/?q=reyes").text
    assert "2 persons found" in listing and f'href="/people/{other_id}"' in listing
    page = f"/people/{ana_id}"
    response = submit(editor, f"/people/{ana_id}/merge", {"other": "A. Reyes"}, page=page)
    assert response.status_code == 302
    merged = editor.get(page).text
    assert "Merged A. Reyes into Ana Reyes." in merged and "2 quotes" in merged
    assert submit(editor, f"/people/{ana_id}/merge", {"other": "Nobody Here"}, page=page).status_code == 302
    assert "Nobody called" in editor.get(page).text
    with Session(engine) as session:
        alias_id = session.exec(select(PersonAlias.id).where(PersonAlias.alias == "Reyes")).one()
    response = submit(editor, f"/people/alias/{alias_id}/split", {}, page=page)
    assert response.status_code == 302
    assert "Reyes is now a person of their own." in editor.get(response.headers["Location"]).text
    assert as_user("checker").get(page).status_code == 403
