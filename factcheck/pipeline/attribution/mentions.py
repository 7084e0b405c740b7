"""Mentions: the words of a paragraph that name, describe or stand for a speaker.

`read_paragraph` tokenises and tags a paragraph (tagging.py), splits it into sentences
and finds its mentions with regular expressions over the tag string: names ("Mrs. Roe",
"the Ministry of Harbors"), descriptions ("the union's president", "officials") and
pronouns. A description in apposition to a name ("Jane Roe, the union's president,")
points to it, and gives the name its roles. Who a mention *is* is speakers.py's job.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter

from ..lexicons.attribution import NOT_LABELS, ORGANISATIONS, ORG_PLURAL, PLACES, TITLES
from ..quotes import QuoteSpan
from ..records import Span
from .tagging import Tokens, is_headline, tag_tokens, token_sentences, tokenize

_NAME = r"(?:[CO]*O(?:oE?[CO]+)?|C*T+C(?:c*C|WC)*|C(?:c*C|WC)*)"  # Ministry of Harbors, Mrs. Roe, Jane Roe, Ana "Ani" Lind
_HEAD = r"(?:[NMG]|T(?![TCc]))"
_DESCRIPTION = (
    rf"(?:(?:[EDP]|{_NAME}'|[ED]?[CONG]{{0,2}}[NMG]')[aCONMG#T']{{0,4}}{_HEAD}"  # the union's president
    rf"|a?[CONG]{{0,2}}M|[CONG]{{0,2}}[NMG])"  # officials, diplomatic sources, Kyiv resident
)
# The lookahead lists the tags a mention can start with ("a" only before the noun of
# "a?[CONG]{0,2}M"): without it the engine tries every alternative at every token,
# which made this scan a tenth of the pipeline's time.
_MENTION = re.compile(rf"(?=[EDPCOTNGMSI]|a[CONGM])"
                      rf"(?:(?P<description>{_DESCRIPTION})|(?P<name>{_NAME})|(?P<pronoun>[SIP]))")
_SPLIT_NAME = re.compile(r"(C*)(T*)(.*)")
_TITLED_NAME = re.compile(r"T+C(?:c*C)*")
# A capitalised word; the pattern opens with the capital, not a word boundary, so the
# regex engine can skip straight to capitals.
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]*\.?")
# A headline that opens with a name and a colon: "Jane Roe: Plan ‘Defies Explanation’".
_HEADLINE_LABEL = re.compile(r"\s*((?:[A-Z][\w’'-]*\.?\s){0,2}?[A-Z][\w’'-]+):\s")


@dataclass(eq=False, slots=True)
class Mention:
    """Words that name, describe or stand for a speaker."""

    kind: str  # "name", "description" or "pronoun"
    start: int
    end: int
    text: str
    i: int = 0  # first token of the mention in its paragraph
    j: int = 0  # last token of the mention in its paragraph
    name: tuple[str, ...] = ()  # a name's words, titles dropped: ("Melania", "Trump")
    titles: tuple[str, ...] = ()  # a name's title words, lower-case: ("first", "lady")
    roles: frozenset[str] | set[str] = frozenset()  # role words given by titles and appositions
    head: str = ""  # a description's head noun, or the pronoun; lower-case
    definite: bool = False  # "the minister" (may point to a known person), not "a spokesperson"
    plural: bool = False
    organization: bool = False
    ref: Mention | None = None  # the name a description stands in apposition to
    in_quote: bool = False  # inside a quotation: used to learn names, never a speaker
    sentence: int = 0  # offset where the mention's sentence starts: which mentions share one
    opens: bool = False  # the first words of its sentence (or of the clause after "In July,"): its subject

    def span(self) -> Span:
        return Span(self.text, self.start, self.end)


@dataclass(slots=True)
class Attribution:
    """Who a quotation is attributed to, as the text puts it."""

    quote: QuoteSpan
    mention: Mention | None = None
    cue: Span | None = None
    confidence: float = 0.0
    labelled: bool = False  # the speaker is a transcript label opening the quote ("ROE: ...")


@dataclass(slots=True)
class Paragraph:
    """One paragraph as the rules read it: tokens, tags, sentences and mentions."""

    text: str  # the whole text (offsets are into it)
    toks: Tokens
    tags: str  # the tags in context (`tag_tokens`)
    sentences: list[tuple[int, int]]  # token index ranges
    by_start: dict[int, Mention]  # mentions by first token
    by_end: dict[int, Mention]  # mentions by last token
    quotes: dict[int, QuoteSpan]  # the tokens that are quotations of kind "quote" (tagged "Q"): their spans
    attributed: list[tuple[int, Attribution]] = field(default_factory=list)  # (token, attribution), in order
    label: Mention | None = None  # the name opening a headline before a colon ("Roe: ...")
    # The tokens of each sentence (by its first token) that may be a cue, right of a quote
    # and (with nouns before "that") left of it, in order; rules.py finds them when it
    # first needs them.
    cues: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)

    def sentence_of(self, i: int) -> int:
        """The index in `sentences` of the sentence holding token `i`, by binary search:
        the rules ask it of every quote, and reading the sentences in turn made a long
        paragraph quadratic."""
        return bisect_right(self.sentences, i, key=itemgetter(0)) - 1

    def sentence_at(self, i: int) -> tuple[int, int]:
        """The token range `(lo, hi)` of the sentence holding token `i`."""
        return self.sentences[self.sentence_of(i)]

    def attributed_in(self, lo: int, hi: int) -> list[Attribution]:
        """The attributions of the quotes among tokens `lo` to `hi` (not included), in order."""
        first = bisect_left(self.attributed, lo, key=itemgetter(0))
        last = bisect_left(self.attributed, hi, lo=first, key=itemgetter(0))
        return [a for _, a in self.attributed[first:last]]


def read_paragraph(text: str, pstart: int, pend: int, spans: list[QuoteSpan],
                   mentions: list[Mention], first: bool = False) -> Paragraph:
    """Tokens, tags, sentences and mentions of one paragraph; its mentions join `mentions`."""
    toks = Tokens()
    quotes = {}
    at = pstart
    for s in spans:
        tokenize(text, at, s.open, toks)
        if s.kind == "quote":
            quotes[len(toks)] = s
        toks.append(text[s.open:s.close], s.open, s.close, "Q" if s.kind == "quote" else "W")
        at = s.close
    tokenize(text, at, pend, toks)
    tags = tag_tokens(toks)
    para = Paragraph(text, toks, tags, token_sentences(toks, tags), {}, {}, quotes)
    if is_headline(text[pstart:pend], first):
        # Title Case makes every word look like a name; only "Jane Roe: ..." names someone.
        m = _HEADLINE_LABEL.match(text, pstart, pend)
        if m is not None and spans and spans[0].open > m.end() and m.group(1).lower() not in NOT_LABELS:
            words = tuple(m.group(1).split())
            para.label = Mention("name", m.start(1), m.end(1), m.group(1), name=words, sentence=pstart)
        return para
    for lo, hi in para.sentences:
        for m in _find_mentions(text, toks, tags, lo, hi):
            para.by_start[m.i] = m
            para.by_end[m.j] = m
            mentions.append(m)
    for s in spans:
        if s.kind == "quote":
            mentions.extend(_names_inside(text, s))
    return para


def _find_mentions(text: str, toks: Tokens, tags: str, lo: int, hi: int) -> list[Mention]:
    """The mentions of one sentence, with titles and appositions noted on the names."""
    found = []
    first = lo
    if tags[lo:lo + 1] == "R" and "," in tags[lo:hi]:  # "In July, Roe said"
        first = tags.index(",", lo, hi) + 1
    while first < hi and tags[first] == "K":
        first += 1
    for m in _MENTION.finditer(tags, lo, hi):
        i, j = m.start(), m.end() - 1
        mention = Mention(m.lastgroup, toks.starts[i], toks.ends[j], text[toks.starts[i]:toks.ends[j]], i, j,
                          sentence=toks.starts[lo])
        if mention.kind == "name":
            after_the = i > lo and tags[i - 1] == "E"
            if after_the and j + 1 < hi and tags[j + 1] in "aNMG" and not (
                    tags[j + 1] == "a" and toks.words[j + 1].endswith("ed") and len(toks.words[j + 1]) > 4):
                continue  # a modifier, not a name: the Northfield portal, the Harbor Line extension
                # -- unless a verb follows: the Harbour Council issued ...
            _read_name(mention, toks, m.group())
            if mention.organization and after_the:  # the Ministry of Harbors
                mention.i -= 1
                mention.start = toks.starts[i - 1]
                mention.text = text[mention.start:mention.end]
        elif mention.kind == "description":
            _read_description(mention, toks, tags)
        else:
            mention.head = toks.words[i].lower()
        mention.opens = mention.i == first
        found.append(mention)
    _link_appositions(found, toks, tags, hi)
    return found


def _read_name(m: Mention, toks: Tokens, pattern: str) -> None:
    """Split a name into modifiers, titles and the name proper; decide person or organisation."""
    pre, titles, _ = _SPLIT_NAME.match(pattern).groups()
    if not titles:
        pre = ""  # no title: every word is the name's
    a, b = m.i + len(pre), m.i + len(pre) + len(titles)
    words = toks.words
    m.titles = tuple(map(str.lower, words[a:b]))
    m.name = tuple(words[b:m.j + 1])
    if "W" in pattern:  # not a nickname in marks
        m.name = tuple(w for w, tag in zip(m.name, toks.tags[b:m.j + 1]) if tag != "W")
    m.roles = set(map(str.lower, words[m.i:b]))
    # after "the" a name is an organisation's ("the Harbour Council"), not after "this" ("this Year")
    m.organization = not ORGANISATIONS.isdisjoint(map(str.lower, m.name)) or (
        m.i > 0 and words[m.i - 1].lower() == "the") or (len(m.name) == 1 and m.name[0] in PLACES)


def _read_description(m: Mention, toks: Tokens, tags: str) -> None:
    """Fill in a description's head, modifiers (as roles) and determiner."""
    m.head = toks.words[m.j].lower()
    m.plural = tags[m.j] == "M" or m.head in ORG_PLURAL
    m.organization = tags[m.j] == "G"
    m.definite = tags[m.i] in "EP" or "'" in tags[m.i:m.j]  # the minister, his aide, the union's leader
    m.roles = {w.lower() for w, tag in zip(toks.words[m.i:m.j + 1], toks.tags[m.i:m.j + 1]) if tag not in "EDP'"}


def _link_appositions(found: list[Mention], toks: Tokens, tags: str, hi: int) -> None:
    """Join descriptions to the names they describe, and give those names their roles.

    "union president Jane Roe", "Jane Roe, the union's president, said", "the union's
    president, Jane Roe, said" and "Jane Roe is the union's president" all make "the
    union's president" point to Jane Roe, so a later "the union's president said" can
    find her.
    """
    for a, b in zip(found, found[1:]):
        name, desc = (a, b) if a.kind == "name" else (b, a)
        if name.kind != "name" or desc.kind != "description" or name.organization:
            continue
        adjacent = b.i == a.j + 1 and a is desc
        comma = b.i == a.j + 2 and tags[a.j + 1] == ","
        after = b.j + 1
        while after < hi and tags[after] == "K":  # "Jane Roe (D-Wis.), the ..."
            after += 1
        closes = after >= hi or tags[after] in ",.V)-Ro"  # Ro: "a spokesperson for the company"
        copula = b is desc and b.i == a.j + 2 and toks.words[a.j + 1] in ("is", "was")
        if adjacent or (comma and closes) or copula:
            desc.ref = name
            name.roles |= desc.roles


def _names_inside(text: str, span: QuoteSpan) -> list[Mention]:
    """Names with a title inside a quotation ("Mr. Putin"): they tell a person's sex."""
    if not any(w.lower() in TITLES for w in _CAPITALISED.findall(text, span.start, span.end)):
        return []  # no title word: nothing to find (and most quotes have none, so skip the tagging)
    toks = Tokens()
    tokenize(text, span.start, span.end, toks)
    tags = tag_tokens(toks)
    found = []
    for m in _TITLED_NAME.finditer(tags):
        i, j = m.start(), m.end() - 1
        mention = Mention("name", toks.starts[i], toks.ends[j], text[toks.starts[i]:toks.ends[j]], i, j, in_quote=True)
        _read_name(mention, toks, m.group())
        found.append(mention)
    return found


def description_at(p: Paragraph, i: int, j: int) -> Mention:
    """A new description mention over tokens `i` to `j`."""
    toks = p.toks
    lo = p.sentence_at(i)[0]
    mention = Mention("description", toks.starts[i], toks.ends[j], p.text[toks.starts[i]:toks.ends[j]], i, j,
                      sentence=toks.starts[lo])
    _read_description(mention, toks, p.tags)
    return mention


