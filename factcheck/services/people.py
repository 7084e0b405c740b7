"""People and organisations, each one row with any number of aliases."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..errors import InputError
from ..pipeline.text.names import name_key, same_person
from ..store.models import Claim, Person, PersonAlias, Quote, Statement, User
from .audit import record
from .like import like_pattern
from .paging import Page, paginate

def find_person(session: Session, name: str) -> Person | None:
    key = name_key(name)
    if not key:
        return None
    alias = session.exec(select(PersonAlias).where(PersonAlias.key == key)).first()
    return session.get(Person, alias.person_id) if alias else None


def person_by_id(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def alias_by_id(session: Session, alias_id: int) -> PersonAlias | None:
    return session.get(PersonAlias, alias_id)


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


def person_ids_for(session: Session, names: Sequence[tuple[str, str]]) -> dict[str, int]:
    """The ids of the people (or organisations) of `names` ((name, kind) pairs) by their
    `name_key`, as `person_for` each in turn would give them (new ones made in that order),
    the known ones read in one query: an article names the same few people again and again."""
    keys = {name_key(name) for name, _ in names} - {""}
    if not keys:
        return {}
    known = dict(session.exec(select(PersonAlias.key, PersonAlias.person_id).where(col(PersonAlias.key).in_(keys))).all())
    for name, kind in names:
        key = name_key(name)
        if key and key not in known:
            known[key] = person_for(session, name, kind).id
    return known


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
        # Stored aliases first; else "Brandt" and "Teodor Brandt" by the text layer's rule.
        return ka == kb or identity(a) == identity(b) or same_person(a, b)

    return same_speaker


# Fixing the people table by hand: merging two rows for one person, splitting a wrong alias off.

def merge_people(session: Session, keep: Person, other: Person, actor: User) -> None:
    """Make `other` part of `keep`: its aliases, quotes, claims and statements move over, and
    the `other` row is deleted. Moved quotes and claims take `keep`'s name, so the pages agree."""
    if keep.id == other.id:
        raise InputError("choose two different people to merge")
    moved = {}
    for model in (PersonAlias, Quote, Claim, Statement):
        rows = session.exec(select(model).where(model.person_id == other.id)).all()
        for row in rows:
            row.person_id = keep.id
            if model in (Quote, Claim):
                row.speaker_name = keep.name
            session.add(row)
        moved[model.__name__.lower()] = len(rows)
    session.flush()
    record(session, actor, "person.merge", keep, {"merged": other.id, "merged_name": other.name, **moved})
    session.delete(other)
    session.flush()


def split_alias(session: Session, alias: PersonAlias, actor: User, kind: str | None = None) -> Person:
    """Make `alias` a person of its own, taking the quotes, claims and statements given under
    that name; returns the new person. A person's last alias cannot be split off."""
    old = session.get(Person, alias.person_id)
    if len(session.exec(select(PersonAlias).where(PersonAlias.person_id == old.id)).all()) < 2:
        raise InputError(f"{alias.alias!r} is the only name of {old.name}: nothing to split it from")
    new = Person(name=alias.alias, kind=kind if kind in ("person", "organization") else old.kind)
    session.add(new)
    session.flush()
    alias.person_id = new.id
    session.add(alias)
    moved = {}
    for model in (Quote, Claim, Statement):
        rows = [r for r in session.exec(select(model).where(model.person_id == old.id)).all()
                if name_key(r.speaker_name or "") == alias.key]
        for row in rows:
            row.person_id = new.id
            session.add(row)
        moved[model.__name__.lower()] = len(rows)
    session.flush()
    record(session, actor, "person.split", new, {"from": old.id, "alias": alias.alias, **moved})
    return new


# What the pages show of people.

@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    kind: str
    quotes: int  # how many quotes are attributed to them


def people_page(session: Session, search: str, number: int, size: int) -> Page:
    """Everyone whose name or an alias holds `search` (everyone when empty), by name."""
    quotes = select(func.count(Quote.id)).where(Quote.person_id == Person.id).correlate(Person).scalar_subquery()
    stmt = select(Person.id, Person.name, Person.kind, quotes).order_by(Person.name, Person.id)
    if search:
        named = select(PersonAlias.person_id).where(col(PersonAlias.alias).ilike(like_pattern(search), escape="\\"))
        stmt = stmt.where(col(Person.id).in_(named))
    return paginate(session, stmt, number, size).map(lambda rows: [PersonRow(*row) for row in rows])


@dataclass(frozen=True)
class Alias:
    id: int
    alias: str


@dataclass(frozen=True)
class PersonPage:
    person: PersonRow
    aliases: list[Alias]  # every name, the person's own among them, in order


def person_page(session: Session, person_id: int) -> PersonPage | None:
    """A person with their names and how many quotes they have, for the editors."""
    person = session.get(Person, person_id)
    if person is None:
        return None
    aliases = session.exec(select(PersonAlias.id, PersonAlias.alias).where(PersonAlias.person_id == person.id)
                           .order_by(PersonAlias.alias))
    quotes = session.exec(select(func.count(Quote.id)).where(Quote.person_id == person.id)).one()
    return PersonPage(PersonRow(person.id, person.name, person.kind, quotes), [Alias(*row) for row in aliases])


@dataclass(frozen=True)
class Speaker:
    """A person as the public speaker page shows them."""

    id: int
    name: str
    kind: str
    other_names: list[str]  # the aliases besides the person's name, sorted


def speaker(session: Session, person_id: int) -> Speaker | None:
    person = session.get(Person, person_id)
    if person is None:
        return None
    names = session.exec(select(PersonAlias.alias).where(PersonAlias.person_id == person.id,
                                                         PersonAlias.alias != person.name)).all()
    return Speaker(person.id, person.name, person.kind, sorted(names))
