"""Who said it: every quotation in a text, with its speaker's canonical name.

`quotes_with_speakers(text)` is the pipeline's quote stage: quotes.py pairs the
quotation marks, the attribution package finds each quote's cue and speaker mention, and this
module decides whom each mention means, reading the article's mentions in order:

* A name joins the person it repeats: "Mrs. Trump", "First Lady Trump" and "Melania
  Trump" are one person, named by the fullest form the article gives ("Melania
  Trump"), titles dropped. A surname or first name alone means the last person of
  that name; when two people share a surname, a first name or a title that tells the
  sex (Mrs., Mr.) decides.
* A pronoun (he, she, her) means the subject of its own sentence when that may be of
  its sex ("Roe says she ... what she calls"), else the most recent person of its sex --
  or a person of unknown sex named in a later sentence than that one ("Lena Varga
  said ... “…,” she said"). The sex of a person comes from a title, a first-name list,
  or a pronoun already resolved to them. "they" and "it" mean the most recent
  organisation (or, for "they", group of sources); "who" and "which" the name they follow.
* A definite description ("the minister", "the union's president") means the person
  introduced with that role, by a title ("Minister Jane Roe") or an apposition ("Jane
  Roe, the union's president,"), and an age ("the 46-year-old") the latest person
  named. An indefinite or plural one ("a spokesperson", "one Kyiv resident",
  "officials") is an anonymous source: speaker None, kind "anonymous". A named person's
  writing ("Roe's brief said") is that person's words.
* Names and descriptions of organisations ("Acme Corp.", "the ministry", "Russia")
  are speakers of kind "organization"; so is a name without a known first name that
  speaks "in a statement", or that "the company" or "it" later refers to -- unless a
  title, a role ("Irene Falk, a spokesperson") or a pronoun has shown it is a person.
* The writer ("I said, “…”") is a speaker without a name: speaker None, kind "unknown",
  the mention "I".
* A quote in the headline or a subheading that the body quotes again is reported once,
  from the body.

Run as a script (`python -m factcheck.pipeline.speakers FILE`) it prints the article and
its quotes as JSON, in the shape of `factcheck extract --json`.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field

from .attribution import Mention, attribute, is_headline
from .lexicons import fields, phrases, words
from .quotes import find_quotations, paragraphs
from .records import Quote
from .text.tokens import WORD

# How sure a speaker is, by how the mention was resolved (times the attribution's own).
_RESOLUTION_CONFIDENCE = {"name": 1.0, "description": 0.9, "pronoun": 0.9}
# How far back "they" and "it" look for an organisation or group.
_PLURAL_REACH = 8


def quotes_with_speakers(text: str) -> list[Quote]:
    """Every quotation in `text` with its speaker, sorted by start offset.

    Titles of works, names and slogans in quotation marks are left out. Each Quote's `text` is
    `text[start:end]`, the words inside the marks.
    """
    attributions, mentions = attribute(text, find_quotations(text))
    speaking = {a.mention for a in attributions if a.mention is not None}
    issuing = {a.mention for a in attributions if a.cue is not None and _issues_statement(text, a.cue.end)}
    people = People()
    resolved = {m: people.read(m, speaker=m in speaking, statement=m in issuing) for m in mentions}
    quotes = []
    for a in attributions:
        q = a.quote
        quote = Quote(text[q.start:q.end], q.start, q.end, partial=q.partial, confidence=a.confidence)
        if a.mention is not None:
            quote.speaker_mention = a.mention.span()
            quote.cue = a.cue.text if a.cue else None
            who = resolved.get(a.mention)
            if who is None:
                quote.confidence *= 0.5
            else:
                quote.speaker_kind = who.kind
                quote.speaker = who.canonical
                quote.confidence *= _RESOLUTION_CONFIDENCE[a.mention.kind]
        quotes.append(quote)
    quotes.sort(key=lambda q: q.start)
    return _without_headline_repeats(text, quotes)


def _without_headline_repeats(text: str, quotes: list[Quote]) -> list[Quote]:
    """`quotes` less those in a headline or subheading that the body quotes again: the
    body's copy is the one whose speaker the article names, and one quote is reported once."""
    if not quotes:
        return quotes
    paras = paragraphs(text)
    starts = [start for start, _ in paras]
    # The paragraph of each quote (-1 for none), by binary search rather than a look at
    # every quote for every paragraph, which made a long article quadratic.
    where = [bisect_right(starts, q.start) - 1 for q in quotes]
    where = [n if n >= 0 and q.start < paras[n][1] else -1 for n, q in zip(where, quotes)]
    heads = {n for n in set(where) if n >= 0 and is_headline(text[paras[n][0]:paras[n][1]], first=n == 0)}
    if not heads:
        return quotes
    words = [" ".join(WORD.findall(q.text.lower())) for q in quotes]
    in_head = [n in heads for n in where]
    body = [w for w, head in zip(words, in_head) if not head]
    # One string of the body's quotes, a line each: a head quote's words (which hold no
    # line break) are in it exactly when they are in one of them, and one search of it
    # is much faster than one for each body quote. Each different head quote is looked
    # for once (a text made of many articles repeats its headlines).
    all_body = "\n".join(body)
    head_words = {w for w, head in zip(words, in_head) if head}
    repeated = {w for w in head_words if body and w in all_body}
    return [q for q, w, head in zip(quotes, words, in_head) if not head or w not in repeated]


@dataclass(eq=False)
class Entity:
    """A person, organisation or anonymous source the article mentions."""

    kind: str  # "person", "organization" or "anonymous"
    # The fullest form of the name seen (the first of the longest), None before any:
    # kept as names are added, as every quote asks for it.
    fullest: tuple[str, ...] | None = None
    first: str | None = None  # for people, lower-case
    last: str | None = None  # for people, lower-case
    gender: str | None = None  # "male" or "female"
    roles: set[str] = field(default_factory=set)
    plural: bool = False  # a group: "officials", "diplomatic sources"
    titled: bool = False  # named with a title at least once (Mrs., Minister)
    # The words of every form of the name, lower-cased, kept by `add_name`: later mentions
    # are matched against them, and lowering every name again for each mention was costly.
    lower_words: set[str] = field(default_factory=set)

    def add_name(self, name: tuple[str, ...]) -> tuple[str, ...]:
        """Take in another form of the name; return it lower-cased."""
        if self.fullest is None or len(name) > len(self.fullest):
            self.fullest = name
        low = tuple(w.lower() for w in name)
        self.lower_words.update(low)
        return low

    @property
    def unsure(self) -> bool:
        """A "person" only because a capitalised name stood as a subject: nothing (title,
        role, known first name, pronoun) says so. "Keller Rail said" may be a company;
        "Irene Falk, a spokesperson" is a person."""
        return self.kind == "person" and self.gender is None and not self.titled and not self.roles

    @property
    def canonical(self) -> str | None:
        """The fullest name the article gives (None for an anonymous source)."""
        if self.kind == "anonymous" or self.fullest is None:
            return None
        return " ".join(self.fullest)


class People:
    """The people and organisations of one article, learned mention by mention in order."""

    def __init__(self) -> None:
        self.entities: dict[Entity, int] = {}  # every named entity, by the order it was introduced
        # Each entity mentioned outside quotes, with the count of such mentions before its
        # latest one and that one's sentence (see Mention.sentence), latest last. The
        # searches back through the article ("the latest person of this sex") read each
        # entity once here; reading every earlier mention made a long article quadratic.
        self.latest: dict[Entity, tuple[int, int]] = {}
        self.mentioned = 0  # mentions outside quotes so far
        self.recent: deque[Entity] = deque(maxlen=_PLURAL_REACH)  # the entities of the last few of them
        self.subjects: dict[int, Entity] = {}  # the entity that opens each sentence, by sentence
        self.seen: dict[Mention, Entity | None] = {}
        # Look-ups in place of a scan of every entity for every name: people by each
        # first and last name they have had, entities by each lower-case name and name word.
        self.by_person_name: dict[str, dict[Entity, None]] = {}
        self.by_name: dict[tuple[str, ...], dict[Entity, None]] = {}
        self.by_name_word: dict[str, dict[Entity, None]] = {}

    def read(self, m: Mention, *, speaker: bool = False, statement: bool = False) -> Entity | None:
        """Take in the next mention; return whom it refers to, or None if no one is known.

        `speaker` says the mention names a quote's speaker: a lone capitalised word
        ("Putin said") then counts as a person even if nothing introduced it.
        `statement` says it speaks through a statement ("Keller Rail said in a
        statement"): a new name that does not start with a known first name is then
        an organisation.
        """
        if m in self.seen:
            return self.seen[m]
        if m.kind == "name":
            who = self._name(m, speaker, statement)
        elif m.ref is not None:
            # "who" or "which", or a description in apposition ("band member Flea"):
            # the name it stands for, which a role or a spoken quote shows is someone's.
            who = self.read(m.ref, speaker=speaker or m.kind == "description")
        elif m.kind == "pronoun":
            who = self._pronoun(m)
        else:
            who = self._description(m)
        self.seen[m] = who
        if who is not None and not m.in_quote:
            if who.kind != "anonymous":  # a new one at every mention, and never looked for again
                self.latest.pop(who, None)
                self.latest[who] = (self.mentioned, m.sentence)
            self.mentioned += 1
            self.recent.append(who)
            if m.opens:
                self.subjects[m.sentence] = who
        return who

    def _name(self, m: Mention, speaker: bool, statement: bool) -> Entity | None:
        if m.organization:
            return self._organisation(m.name)
        name = [w for w in m.name if w.lower() not in _NAME_SUFFIXES] or list(m.name)
        gender = _TITLE_GENDERS.get(" ".join(m.titles)) or None
        if len(name) >= 2:
            first, last = name[0].lower(), name[-1].lower()
            people = self._people_named(last, gender)
            gender = gender or _FIRST_NAMES.get(first) or None
            same = [e for e in people if e.last == last and e.first == first]
            same = same or [e for e in people if e.last == last and e.first is None]
            who = self._latest(same)
            if who is None:
                who = self._new("person", first=first, last=last)
            who.first = first
            self.by_person_name.setdefault(first, {})[who] = None
        else:
            token = name[0].lower()
            same = [e for e in self._people_named(token, gender) if token in (e.last, e.first)]
            titled = [e for e in same if set(m.titles) <= e.roles] if m.titles else []
            who = self._latest(titled or same)
            if who is None:
                if not (m.titles or speaker):
                    return None  # a lone capitalised word: a place, a brand, a sentence's first word
                who = self._new("person", last=token)
        self._add_name(who, tuple(name))
        who.roles |= m.roles | set(m.titles)
        who.gender = who.gender or gender
        who.titled = who.titled or bool(m.titles)
        if statement and who.gender is None and not who.titled and (who.first or who.last) not in _FIRST_NAMES:
            who.kind = "organization"  # "Keller Rail said in a statement": no person's name
        return who

    def _organisation(self, name: tuple[str, ...]) -> Entity:
        """The organisation of this name: one named before with these words, or a new one."""
        low = tuple(w.lower() for w in name)
        named = [*self.by_name.get(low, ()), *(self.by_name_word.get(low[0], ()) if len(low) == 1 else ())]
        organisations = [e for e in named if e.kind == "organization"]
        if organisations:
            e = max(organisations, key=self.entities.__getitem__)  # the one introduced last
            self._add_name(e, name)
            return e
        who = self._new("organization")
        self._add_name(who, name)
        return who

    def _pronoun(self, m: Mention) -> Entity | None:
        if m.ref is not None:
            return self.read(m.ref)  # "who" or "which": the name it follows
        gender = _PRONOUN_GENDERS.get(m.head)
        if gender in ("male", "female"):
            # The subject of the pronoun's own sentence, if it may be of this sex ("Roe
            # says she admired Lind's courage through what she calls ...").
            subject = self.subjects.get(m.sentence)
            if subject is not None and subject.kind == "person" and _compatible(subject.gender, gender):
                subject.gender = gender
                return subject
            # Else the latest person of this sex, unless a person whose sex nothing has told
            # yet was named in a later sentence ("Amara Osei ... Lena Varga said ...
            # “…,” she said"); that one then learns it from the pronoun.
            unknown = None
            for e, (_, sentence) in reversed(self.latest.items()):
                if e.kind != "person":
                    continue
                if e.gender == gender:
                    if unknown is None or unknown[1] <= sentence:
                        return e
                    break
                if e.gender is None and unknown is None:
                    unknown = e, sentence
            if unknown is not None:
                unknown[0].gender = gender
                return unknown[0]
            return None
        if gender in ("plural", "neuter"):
            subject = self.subjects.get(m.sentence)  # "The council condemned what it called ..."
            if subject is not None and (subject.kind == "organization" or (gender == "plural" and subject.plural)):
                return subject
            for e in reversed(self.recent):
                if e.kind == "organization" or (gender == "plural" and e.plural):
                    return e
                if gender == "neuter" and e.unsure:
                    e.kind = "organization"  # "Keller Rail said ... it added": a company after all
                    return e
        return None

    def _description(self, m: Mention) -> Entity | None:
        if m.ref is not None:
            return self.read(m.ref)
        if m.organization:
            if not m.definite:
                return Entity("anonymous", plural=m.plural)
            generic = m.head in _GENERIC_ORGANISATIONS
            for e in reversed(self.latest):
                if e.kind == "organization" and (generic or m.head in e.lower_words):
                    return e
                if generic and e.unsure:
                    e.kind = "organization"  # "Keller Rail said ... the company added"
                    return e
            return self._organisation(tuple(m.text.split()))
        if m.definite:
            # The latest person with this role, preferring one with all its words
            # ("the union's president" over another president).
            loose = None
            for e in reversed(self.latest):
                if e.kind == "person" and m.head in e.roles:
                    if m.roles <= e.roles:
                        return e
                    loose = loose or e
            if loose is not None:
                return loose
            if m.head[:1].isdigit() and not m.plural:
                # "the 46-year-old": an age picks out the person the text is about
                return next((e for e in reversed(self.latest) if e.kind == "person"), None) \
                    or Entity("anonymous")
        return Entity("anonymous", plural=m.plural)

    def _latest(self, candidates: list[Entity]) -> Entity | None:
        """The candidate mentioned most recently (or, failing that, introduced last);
        `candidates` are in the order they were introduced."""
        if not candidates:
            return None
        mentioned = [e for e in candidates if e in self.latest]
        return max(mentioned, key=lambda e: self.latest[e][0]) if mentioned else candidates[-1]

    def _people_named(self, word: str, gender: str | None) -> list[Entity]:
        """The people who have had `word` (lower-case) as a first or last name and may be
        of `gender`, in the order they were introduced."""
        people = [e for e in self.by_person_name.get(word, ()) if e.kind == "person" and _compatible(e.gender, gender)]
        if len(people) > 1:
            people.sort(key=self.entities.__getitem__)
        return people

    def _add_name(self, e: Entity, name: tuple[str, ...]) -> None:
        """Give `e` another form of its name, and file it under that name and its words."""
        low = e.add_name(name)
        filed = self.by_name.setdefault(low, {})
        if e not in filed:  # most mentions repeat a form of the name already filed
            filed[e] = None
            for w in low:
                self.by_name_word.setdefault(w, {})[e] = None

    def _new(self, kind: str, **kw) -> Entity:
        e = Entity(kind, **kw)
        self.entities[e] = len(self.entities)
        for w in (e.first, e.last):
            if w is not None:
                self.by_person_name.setdefault(w, {})[e] = None
        return e


def _issues_statement(text: str, cue_end: int) -> bool:
    """True when the words after a cue say it was a written statement ("said in a statement")."""
    after = " ".join(text[cue_end:cue_end + 40].lower().split())
    return after.startswith(_STATEMENT_PHRASES)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


_TITLE_GENDERS = {t: g for t, g in fields("titles").items() if g}
_NAME_SUFFIXES = words("name_suffixes")
_GENERIC_ORGANISATIONS = words("generic_organisations")
_FIRST_NAMES = fields("first_names")
_STATEMENT_PHRASES = tuple(phrases("statement_phrases"))
_PRONOUN_GENDERS = {p: v.split()[0] for p, v in fields("pronouns").items()}


if __name__ == "__main__":
    import json
    import sys

    from ..errors import InputError
    from .reading import read_source

    try:
        article = read_source(sys.argv[1])
    except InputError as exc:
        sys.exit(str(exc))
    out = {"article": article.to_json(), "quotes": [q.to_json() for q in quotes_with_speakers(article.text)]}
    print(json.dumps(out, ensure_ascii=False, indent=1))
