"""People and organisations, each one row with any number of aliases."""
from __future__ import annotations

from typing import Callable

from sqlmodel import Session, select

from ..errors import InputError
from ..pipeline.text.names import name_key
from ..store.models import Person, PersonAlias, Quote, Statement, User
from .audit import record

def find_person(session: Session, name: str) -> Person | None:
    key = name_key(name)
    if not key:
        return None
    alias = session.exec(select(PersonAlias).where(PersonAlias.key == key)).first()
    return session.get(Person, alias.person_id) if alias else None


def person_for(session: Session, name: str, kind: str = "person") -> Person | None:
    """The person (or organisation) called `name`, created with that alias if new."""
    person = find_person(session, name)
    if person or not name_key(name):
        return person
    person = Person(name=name.strip(), kind=kind if kind == "organization" else "person")
    session.add(person)
    session.flush()
    session.add(PersonAlias(person_id=person.id, alias=name.strip(), key=name_key(name)))
    session.flush()
    return person


def add_alias(session: Session, person: Person, alias: str) -> None:
    """Record another name for `person`; a name that already belongs to someone is left alone."""
    key = name_key(alias)
    if key and not session.exec(select(PersonAlias).where(PersonAlias.key == key)).first():
        session.add(PersonAlias(person_id=person.id, alias=alias.strip(), key=key))
        session.flush()


def same_person_test(session: Session) -> Callable[[str, str], bool]:
    """A `same_speaker(a, b)` for the matcher that respects stored aliases."""
    cache: dict[str, object] = {}

    def identity(name: str) -> object:
        key = name_key(name)
        if key not in cache:
            person = find_person(session, name)
            cache[key] = ("person", person.id) if person else ("name", key)
        return cache[key]

    def same_speaker(a: str, b: str) -> bool:
        ka, kb = name_key(a), name_key(b)
        if not ka or not kb:
            return False
        if ka == kb or identity(a) == identity(b):
            return True
        # "Brandt" and "Teodor Brandt": one name's words contained in the other's.
        wa, wb = set(ka.split()), set(kb.split())
        return wa <= wb or wb <= wa

    return same_speaker


# Fixing the people table by hand: merging two rows for one person, splitting a wrong alias off.

def merge_people(session: Session, keep: Person, other: Person, actor: User) -> None:
    """Make `other` part of `keep`: its aliases, quotes and statements move over, and the
    `other` row is deleted. Moved quotes take `keep`'s name, so the pages agree."""
    if keep.id == other.id:
        raise InputError("choose two different people to merge")
    moved = {}
    for model in (PersonAlias, Quote, Statement):
        rows = session.exec(select(model).where(model.person_id == other.id)).all()
        for row in rows:
            row.person_id = keep.id
            if model is Quote:
                row.speaker_name = keep.name
            session.add(row)
        moved[model.__name__.lower()] = len(rows)
    session.flush()
    record(session, actor, "person.merge", keep, {"merged": other.id, "merged_name": other.name, **moved})
    session.delete(other)
    session.flush()


def split_alias(session: Session, alias: PersonAlias, actor: User, kind: str | None = None) -> Person:
    """Make `alias` a person of its own, taking the quotes and statements given under that
    name; returns the new person. A person's last alias cannot be split off."""
    old = session.get(Person, alias.person_id)
    if len(session.exec(select(PersonAlias).where(PersonAlias.person_id == old.id)).all()) < 2:
        raise InputError(f"{alias.alias!r} is the only name of {old.name}: nothing to split it from")
    new = Person(name=alias.alias, kind=kind if kind in ("person", "organization") else old.kind)
    session.add(new)
    session.flush()
    alias.person_id = new.id
    session.add(alias)
    moved = {}
    for model in (Quote, Statement):
        rows = [r for r in session.exec(select(model).where(model.person_id == old.id)).all()
                if name_key(r.speaker_name or "") == alias.key]
        for row in rows:
            row.person_id = new.id
            session.add(row)
        moved[model.__name__.lower()] = len(rows)
    session.flush()
    record(session, actor, "person.split", new, {"from": old.id, "alias": alias.alias, **moved})
    return new
