"""Attribution frames in the writer's own words: where a stretch of text reports speech.

A quotation's frame is the cue that reports it and its speaker ("Roe said on Friday",
"said Jane Roe, a local pharmacist"); reported speech without quotation marks has one too
("who told members that ..."). claims.py asks these questions of the text around
quotations, so that a claim never starts or ends inside an attribution.

The cues are the tagger's (tagging.py), read in context as the rules read them: a cue
verb or cue phrase ("said", "pointed out", but not the noun in "the comment") and a
source phrase before a speaker ("according to the ministry").
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons.attribution import CLAUSE_OPENERS, CUE_VERBS, MULTIWORD, RELATIVES, SOURCE_PHRASES
from .tagging import Tokens, tag_tokens, tokenize

# Tags that may open the speaker after a source phrase with nothing after the speaker
# ("according to the ministry", "per Roe"), and not "per year".
_SPEAKER_OPENERS = "CTOEDPNMGS"
# Words that open a clause and leave its subject before it: a relative pronoun, a
# conjunction, a word opening a clause around a cue in -ing ("before insisting").
_OPENERS = RELATIVES | CLAUSE_OPENERS | frozenset(("and", "or", "but", "then"))
# The words a cue may start with (a cue verb, the first word of a cue phrase or a source
# phrase), to tell cheaply that a stretch holds none.
_CUE_STARTS = CUE_VERBS | frozenset(SOURCE_PHRASES) | frozenset(
    first for first, found in MULTIWORD.items() if any(tag == "V" for _, tag in found))
_WORD = re.compile(r"\w+")
# A cue that opens a stretch is among its first two words, well within this many characters.
_OPENING_CHARACTERS = 60
# How far "that" may follow a cue and still introduce what it reports ("told members
# that", "said last month that").
_THAT_REACH = 4


@lru_cache(maxsize=16)
def _tagged(text: str, start: int, end: int) -> tuple[Tokens, str]:
    """The tokens and tags of `text[start:end]` (cached: claims.py asks of a frame whether
    it holds a cue, then what it reports)."""
    toks = Tokens()
    tokenize(text, start, end, toks)
    return toks, tag_tokens(toks)


def _cue_positions(toks: Tokens, tags: str) -> list[int]:
    """The token indexes where a cue starts: a cue verb or phrase, or a source phrase."""
    lowers = [w.lower() for w in toks.words]
    found = [k for k, tag in enumerate(tags) if tag == "V"]
    for k, word in enumerate(lowers):
        for before, after in SOURCE_PHRASES.get(word, ()):
            if tuple(lowers[k:k + len(before)]) != before:
                continue
            rest = k + len(before)
            if after:  # "in her own words": the words after the speaker, a few tokens on
                if any(tuple(lowers[j:j + len(after)]) == after for j in range(rest + 1, rest + 4)):
                    found.append(k)
            elif rest < len(tags) and tags[rest] in _SPEAKER_OPENERS:
                found.append(k)
    return sorted(set(found))


def has_cue(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` holds an attribution cue ("said", "according to Roe")."""
    if _CUE_STARTS.isdisjoint(_WORD.findall(text[start:end].lower())):
        return False  # no word a cue may start with, so no need to tag it
    return bool(_cue_positions(*_tagged(text, start, end)))


def _opening_cue(tags: str, lowers: list[str]) -> int | None:
    """The index of a cue that opens a stretch without its subject: the first token
    ("said Roe", "adding that"), or the second after a word that opens a clause ("before
    insisting", "and said", "who told") -- not after a subject ("Both said", "Most agreed")."""
    if tags[:1] == "V":
        return 0
    if tags[1:2] == "V" and (tags[0] == "R" or lowers[0] in _OPENERS):
        return 1
    return None


def opens_inside(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` opens inside an attribution: with a cue whose subject,
    the speaker, stands outside it ("said Rosa Roe, a pharmacist", "who asked not to be
    named, said", "before insisting that")."""
    if _CUE_STARTS.isdisjoint(w.lower() for w in _WORD.findall(text, start, min(end, start + _OPENING_CHARACTERS))):
        return False  # most clauses: no cue near their start, so no need to tag them
    toks, tags = _tagged(text, start, end)
    return _opening_cue(tags, [w.lower() for w in toks.words]) is not None


def reported_start(text: str, start: int, end: int) -> int | None:
    """Where the words that a cue in `text[start:end]` reports begin, after its "that"
    ("who told members that <water had risen>", "the office said on Monday that <40
    crossings were cancelled>"), or None when no cue is followed by "that"."""
    toks, tags = _tagged(text, start, end)
    lowers = [w.lower() for w in toks.words]
    for cue in _cue_positions(toks, tags):
        for k in range(cue + 1, min(cue + 1 + _THAT_REACH, len(lowers) - 1)):
            if lowers[k] == "that":
                return toks.starts[k + 1]
    return None
