"""Tagging: a paragraph's tokens, one letter a token, and its sentences by token.

Each quotation (marks included) is one token, so nothing inside it can be taken for the
writer's own words. Every other token gets a one-letter tag from the lexicons, and the
tags of a paragraph form a string, over which mentions.py and rules.py match regular
expressions: the rules stay short and the scans linear.

The tags, one letter a token:
  Q quotation            W title, name or stage direction in quotation marks
  , comma   : colon   . sentence end (. ! ? …)   - dash   p other punctuation
  ' possessive 's        # number
  S he/she/they/it       I i/we/you            P his/her/its/their/...
  E the/this            D a/an/one/several/...
  T title word (Mrs., First Lady, President)  C other capitalised word  c name particle
  O capitalised organisation word (Ministry, Corp.)   o "of"
  N person noun   M plural person noun   G organisation noun
  V cue verb (v continues a cue phrase)   K skip word (auxiliary, adverb, weekday)
  R preposition   f other function word   a any other word
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate

from ..lexicons.attribution import (
    ABBREVIATIONS, CUE_NOUNS, CUE_VERBS, DETERMINERS, FIRST_NAMES, HONORIFICS, MULTIWORD, NOT_NAMES,
    ORGANISATIONS, PARTICLES, PERSON, PERSON_PLURAL, PLACES, PREPOSITIONS, PRONOUNS, SKIP, TITLES,
)
from ..text.memo import Memo
from ..text.sentences import ends_after_abbreviation
from ..text.tokens import TAGGER_TOKEN

_LONG_WORD = re.compile(r"[^\W\d_]{4,}")

_PUNCT_TAGS = {",": ",", ":": ":", ".": ".", "!": ".", "?": ".", "…": ".", "...": ".",
               "—": "-", "–": "-", "―": "-", "-": "-"}
_QUOTE_END = re.compile(r"[.!?…][\s\"'”’»›]*$")


@dataclass(slots=True)
class Tokens:
    """A run of tokens, as parallel lists: token k is `words[k]` at `text[starts[k]:ends[k]]`.

    Lists rather than one object a token: making the objects cost as much as the
    tokenising regex, and the tagging and mention scans read one field at a time.
    """

    words: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # each token's own tag, before `tag_tokens` reads context

    def __len__(self) -> int:
        return len(self.words)

    def append(self, word: str, start: int, end: int, tag: str) -> None:
        self.words.append(word)
        self.starts.append(start)
        self.ends.append(end)
        self.tags.append(tag)


def tokenize(text: str, start: int, end: int, out: Tokens) -> None:
    """Append the tokens of `text[start:end]`; a listed abbreviation keeps its full stop.

    This is the pipeline's innermost loop, so it works on whole lists rather than token
    by token: one split gives the tokens (every other piece) with the text between
    them, their offsets are the running sum of the pieces' lengths, and their tags
    come from the cache `_TAGS_SEEN`.
    """
    pieces = TAGGER_TOKEN.split(text[start:end])  # gap, token, gap, token, ..., gap
    words = pieces[1::2]
    bounds = list(accumulate(map(len, pieces), initial=start))
    starts, ends = bounds[1:-1:2], bounds[2::2]
    _take_abbreviation_stops(text, start, end, words, starts, ends)
    tags = list(map(_TAGS_SEEN.__getitem__, words))
    out.words += words
    out.starts += starts
    out.ends += ends
    out.tags += tags


def _take_abbreviation_stops(text: str, start: int, end: int,
                             words: list[str], starts: list[int], ends: list[int]) -> None:
    """Give a listed abbreviation or an initial (Mrs. / Corp. / J.) the full stop right
    after it, dropping the token that stop began (".", or "..." whole)."""
    stop = text.find(".", start, end)
    while stop >= 0:
        after = stop + 1
        k = bisect_left(starts, stop)  # the token the stop begins, if any
        if 0 < k < len(starts) and starts[k] == stop and ends[k - 1] == stop:
            w = words[k - 1]
            if w[0].isalpha() and ((len(w) == 1 and w.isupper()) or w.lower() in ABBREVIATIONS):
                words[k - 1] += "."
                ends[k - 1] += 1
                del words[k], starts[k], ends[k]
                after += 1  # a word takes one stop: in "Mrs..", the second is a token
        stop = text.find(".", after, end)


def tag_tokens(toks: Tokens) -> str:
    """The tag string of `toks` (see `_TAGS`), multiword titles and cue phrases included."""
    tags = toks.tags.copy()  # each token's own tag, given when it was made
    lowers = list(map(str.lower, toks.words))
    last = len(tags) - 1
    for n in range(len(tags)):
        tag = tags[n]
        if tag not in "'NMpTCV":
            continue  # most tokens: no rule below retags them
        if tag == "'" and n and tags[n - 1] in "SI" and lowers[n][-1:] == "s":
            tags[n] = "K"  # he's, it's: "is" or "has", not a possessive
        elif tag in "NM" and toks.words[n][0].isupper() and (
                (n and tags[n - 1] in "CO") or (n < last and tags[n + 1] in "CO")):
            # A capitalised person noun inside a run of capitals is part of a name (the
            # Harbor Workers Union, Mother Superior Ana Lind) -- unless it ends a run
            # after "a" or "another": a New Hampshire Democrat.
            run = n
            while run and tags[run - 1] in "CO":
                run -= 1
            if not (run < n and run and tags[run - 1] == "D" and (n == last or tags[n + 1] not in "CO")):
                tags[n] = "C"
        elif tag == "p" and lowers[n] == "(" and n and tags[n - 1] in "CO":
            # A short parenthesis after a name, "Rep. Gwen Moore (D-Wis.) said", is
            # skipped like an adverb, so the name still stands next to its verb.
            close = next((k for k in range(n + 1, min(n + 8, len(toks))) if lowers[k] == ")"), None)
            if close is not None:
                tags[n:close + 1] = "K" * (close + 1 - n)
        elif tag == "T" and n and (lowers[n - 1] in HONORIFICS or (tags[n - 1] == "C" and lowers[n - 1] in FIRST_NAMES)) \
                and (n == last or tags[n + 1] not in "CTcO"):
            tags[n] = "C"  # a surname that is also a title: Mr. King, Tom King, Mrs. Bishop
        elif tag == "T" and n < last and tags[n + 1] == "V" and (n == 0 or tags[n - 1] not in "EDP'CT"):
            tags[n] = "C"  # a surname that is also a title, as a verb's subject: "King says"
        elif tag == "C" and lowers[n] in CUE_VERBS and (n == 0 or tags[n - 1] in ".:Q") \
                and _ends_inverted_cue(tags, n + 1):
            tags[n] = "V"  # a sentence opening with its cue: "Stated Roe:", "Added Jane Roe, “…”"
        elif tag == "V" and lowers[n] == "state" and n < last and tags[n + 1] == "T":
            tags[n] = "C"  # "state Sen. Jane Roe", "state Del. Tom Berg": a modifier of the title
        elif tag == "V" and n and (_determines(lowers, tags, n - 1) or (
                n > 1 and tags[n - 1] in "aC" and lowers[n] in CUE_NOUNS and _determines(lowers, tags, n - 2))):
            # A cue word right after "the", "a" or a possessive is a noun ("the comment",
            # "his claims", "Trump's tweet"), and so is a word that may be one after a
            # modifier too ("a phone call", "his home state").
            tags[n] = "a"
        elif tag == "V" and n > 1 and tags[n - 1] in "aCN" and tags[n - 2] in "oR#" and (
                lowers[n] in CUE_NOUNS or lowers[n][:-1] in CUE_NOUNS):
            tags[n] = "a"  # "of Republican claims", "in public statements": a noun
    for n in _multiword_starts(lowers):
        for phrase, tag in MULTIWORD[lowers[n]]:
            if tuple(lowers[n:n + len(phrase)]) != phrase:
                continue
            if tag == "T" and not toks.words[n][0].isupper():
                continue  # a lower-case "first lady" is a description, not a title
            tags[n:n + len(phrase)] = [tag] + [tag if tag == "T" else "v"] * (len(phrase) - 1)
            break
    return "".join(tags)


def _multiword_starts(lowers: list[str]) -> list[int]:
    """The indexes of the words that may start a multiword title or cue phrase, in order.

    Found with `list.index` for each such word the paragraph holds: few paragraphs
    hold any, and a Python loop over every word cost as much as all of `tag_tokens`'s rules.
    """
    found = []
    for first in MULTIWORD.keys() & lowers:
        n = -1
        for _ in range(lowers.count(first)):
            n = lowers.index(first, n + 1)
            found.append(n)
    return sorted(found)


def _tag_of_word(w: str) -> str:
    """The tag of one token on its own, from the lexicons."""
    low = w.lower()
    if not w[0].isalnum():
        if low in ("’s", "'s", "’", "'"):
            return "'"  # a lone apostrophe is possessive (students'): quotation marks are paired already
        return _PUNCT_TAGS.get(w, "p")
    if w[0].isdigit():
        tail = w.partition("-")[2]  # "46-year-old" is a person noun, as "year-old" is
        return "M" if tail in PERSON_PLURAL else "N" if tail in PERSON else "#"
    if low in PRONOUNS:
        return PRONOUNS[low]
    if low in DETERMINERS:
        return "E" if DETERMINERS[low] == "definite" else "D"
    if w[0].isupper():
        if low in TITLES:
            return "T"
        if low in PERSON_PLURAL:
            return "M"
        if low in PERSON:
            return "N"
        if low in SKIP:
            return "K"
        if low in PREPOSITIONS:
            return "R"
        if low in NOT_NAMES and w not in PLACES:  # "US" is a country, "us" a pronoun
            return "f"
        return "O" if low in ORGANISATIONS else "C"
    if low in CUE_VERBS:
        return "V"
    if low in PERSON_PLURAL:
        return "M"
    if low in PERSON:
        return "N"
    if low in ORGANISATIONS:
        return "G"
    if low in SKIP:
        return "K"
    if low == "of":
        return "o"
    if low in PREPOSITIONS:
        return "R"
    if low in PARTICLES:
        return "c"
    if low in NOT_NAMES:
        return "f"
    return "a"


# Each token's own tag, worked out on first sight, so that a whole paragraph's tags are
# one `map` over its words.
_TAGS_SEEN = Memo(_tag_of_word, limit=1 << 16)


def _ends_inverted_cue(tags: list[str], k: int) -> bool:
    """True when a name (capitalised words from `k`) ends at a colon, comma or quotation."""
    e = k
    while e < len(tags) and tags[e] in "CT":
        e += 1
    return e > k and (e == len(tags) or tags[e] in ":,Q")


def _determines(lowers: list[str], tags: list[str], k: int) -> bool:
    """True when token `k` is "the", "a", "an" or a possessive (his, Roe's)."""
    return tags[k] in "EP'" or lowers[k] in ("a", "an")


def token_sentences(toks: Tokens, tags: str) -> list[tuple[int, int]]:
    """Token index ranges of the sentences of one paragraph.

    A sentence ends at . ! ? or … before a capitalised word or a quotation, at a
    quotation whose words end so, and at an abbreviation such as "Inc." before a word
    that usually opens a sentence.
    """
    words, own = toks.words, toks.tags  # `own`: the tags the tokens had before `tag_tokens`
    out, lo, n = [], 0, len(words)
    for i in range(n - 1):
        tag = tags[i]
        if tag == "." or tag == "Q":
            nxt = words[i + 1]
            ends = (own[i + 1] in "QW" or nxt[0].isupper() or nxt[0].isdigit()) and (
                tag == "." or (own[i + 1] != "p" and _QUOTE_END.search(words[i]) is not None))
        else:
            word = words[i]
            ends = word[-1] == "." and len(word) > 2 and ends_after_abbreviation(word[:-1], words[i + 1])
        if ends:
            out.append((lo, i + 1))
            lo = i + 1
    if lo < n:
        out.append((lo, n))
    return out


def is_headline(par: str, first: bool = False) -> bool:
    """True for a Title Case line: a headline, where capitals mark no names.

    The article's first paragraph (`first`) may end in a full stop, as some archives
    write headlines ("Mayor Sees 'Clear Path' for Ferry Plan.").
    """
    par = par.strip()
    share = 0.75
    if first and par.endswith(".") and not par.endswith(".."):
        par, share = par[:-1].rstrip(), 0.9  # with a full stop, nearly every word capitalised
    if len(par) > 300 or par[-1:] in ".”\":":
        return False  # a sentence, or a line introducing what follows ("Reporter Ana Lind says:")
    long_words = _LONG_WORD.findall(par)
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= share * len(long_words)

