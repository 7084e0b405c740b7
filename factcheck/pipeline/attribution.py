"""Find, for each quotation, the cue that reports it and the words that name its speaker.

`attribute(text, spans)` takes the text and its quotations (quotes.find_quotations) and
returns one `Attribution` per quotation of kind "quote" -- the cue ("said", "according
to") and the speaker `Mention` (a name, a description or a pronoun) -- together with
every mention in the text, which speakers.py needs to resolve pronouns, titles and
surnames. Nothing here decides who a mention *is*; that is speakers.py's job.

How it reads a paragraph:

1. Tokens. Each quotation (marks included) becomes one token, so nothing inside it can
   be taken for the writer's own words: a name inside a quote ("A simple concept, Mr.
   Putin, ...") is never its speaker.
2. Tags. Every token gets a one-letter tag from the lexicons (the legend is below the
   imports), and the tags of a paragraph form a string. Mentions are found with regular expressions over that
   string, which keeps the rules short and the scan linear.
3. Sentences, split at sentence-final punctuation, also when it ends a quotation.
4. Rules, tried in order for each quotation; the first that finds a speaker wins:
   0. a transcript's speaker label opening the quote (`"ROE: Well, look, ..."`); the
      unlabelled paragraphs of a quote running on are the last label's;
   a. right after the quote: `“…,” Roe said`, `“…,” said Roe`, `“…,” Roe, the
      union's president, said`, `“…,” Rep. Roe (D-Wis.) said`, `“…,” according to
      Roe`, `“…” ― Jane Roe`, `“…,” she was quick to add`, `“…,” another said`,
      `“…,” as a ministry memo put it`, `“…,” per the party's bylaws`;
   b. a cue in the quote's sentence, nearest first, left side before right side: the
      speaker is the cue verb's subject (`Roe told reporters: “…”`, `as Roe stated`,
      `she had written ...: “…”`, `the announcer said`, `Roe, who in 2010 said`,
      `Roe attacked the plan, saying, “…”`, `Roe's brief said`, `the 46-year-old said`,
      `After saying her foot was “so swollen,” she ...`; in `She said she recalls ...`
      the first "She"), the name after a source phrase (`according to Roe`, `in the
      words of one resident`, `in her own words`), or the owner of a claim (`Roe's
      claim that there were “…”`);
   c. a quote after a colon with no cue: the name before the colon (`More from Roe:
      “…”`) or the sentence's subject (`Roe was blunt: “…”`, `The piece used it as
      its headline: “…”`),
      and so for a partial quote with no cue (`Roe dismissed it as “a fantasy”`);
   d. context, for a quote with no cue of its own (the writer, "I", only from a quote
      of their own): a cue in the sentence before,
      else the name or he/she opening that sentence, else an earlier attributed quote in
      the paragraph, else -- for a paragraph that opens with a quote and has no cue --
      the last speaker of the paragraph before, or the name opening its last sentence.
   e. failing all of these, the nearest mention before the quote in its sentence, with
      little confidence.
   The parts of a quote running over several paragraphs share the best attribution
   any part of it found.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate

from .lexicons import entries, fields, phrases, words
from .quotes import QuoteSpan, paragraphs
from .records import Span

# The tags, one letter a token:
#   Q quotation            W title, name or stage direction in quotation marks
#   , comma   : colon   . sentence end (. ! ? …)   - dash   p other punctuation
#   ' possessive 's        # number
#   S he/she/they/it       I i/we/you            P his/her/its/their/...
#   E the/this            D a/an/one/several/...
#   T title word (Mrs., First Lady, President)  C other capitalised word  c name particle
#   O capitalised organisation word (Ministry, Corp.)   o "of"
#   N person noun   M plural person noun   G organisation noun
#   V cue verb (v continues a cue phrase)   K skip word (auxiliary, adverb, weekday)
#   R preposition   f other function word   a any other word
_NAME = r"(?:[CO]*O(?:oE?[CO]+)?|C*T+C(?:c*C|WC)*|C(?:c*C|WC)*)"  # Ministry of Harbors, Mrs. Roe, Jane Roe, Ana "Ani" Lind
_HEAD = r"(?:[NMG]|T(?![TCc]))"
_DESCRIPTION = (
    rf"(?:(?:[EDP]|{_NAME}'|[ED]?[CONG]{{0,2}}[NMG]')[aCONMG#T']{{0,4}}{_HEAD}"  # the union's president
    rf"|a?[CONG]{{0,2}}M|[CONG]{{0,2}}[NMG])"  # officials, diplomatic sources, Kyiv resident
)
_OPEN_DESCRIPTION = re.compile(r"[ED][aCG#']{0,3}a(?![aCNMG])")  # a local fisherman, the party's bylaws
_OPEN_SUBJECT = re.compile(r"[EDP][aCOG#'-]{0,3}a")  # the announcer, the ad's narrator, the Sample Institute website, the 46-year-old
_AUTHORED = re.compile(r"C'a")  # Ana Lind's brief
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
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")

_PUNCT_TAGS = {",": ",", ":": ":", ".": ".", "!": ".", "?": ".", "…": ".", "...": ".",
               "—": "-", "–": "-", "―": "-", "-": "-"}
# A token, as the one group: splitting a paragraph at tokens gives them with the text
# between them (white space, and underscores, which no token starts with), and the
# lengths of all the pieces give every token's offsets.
# The pattern opens with one character class that every token starts with, so the
# regex engine skips the white space between tokens without trying each alternative;
# a lookbehind then tells which kind of token that first character began. Possessive
# quantifiers (*+, ++) and the letter-first alternative first: most tokens are words,
# and they should not be tried against the other alternatives.
_TOKEN = re.compile(
    r"([^\s_](?:(?<=[^\W\d_])(?:\.(?:[^\W\d_]\.)+"  # initialisms: U.S., a.m.
    r"|\w*+(?:[’'](?![sS]\b)\w++|-\w++)*+)"  # words, with inner apostrophes and hyphens
    r"|(?<=\.)\.\.|(?<=[’'])[sS]\b"  # an ellipsis, possessive 's
    r"|(?<=\d)\d*+(?:[.,:/-]\d++)*+(?:-[^\W\d_]++)*+"  # numbers, and compounds such as 46-year-old
    r"|(?<=[^\w\s])))"  # any other character but white space: punctuation
)
_TAGS_SEEN_MAX = 1 << 16


class _TagCache(dict):
    """Token -> its own tag (`_tag_of_word`), worked out on first sight.

    A dict whose misses fill it, so a whole paragraph's tags are one `map` over its
    words. Emptied when full, so a long ingest does not grow it without end.
    """

    def __missing__(self, word: str) -> str:
        if len(self) >= _TAGS_SEEN_MAX:
            self.clear()
        tag = self[word] = _tag_of_word(word)
        return tag


_TAGS_SEEN = _TagCache()
_CLAIM_THAT = re.compile(r"[aV]f")  # a cue noun and "that" after it: Roe's claim that ...
_SENTENCE_BREAK = re.compile(r"[Q.:]")
_VERB_ENDINGS = ("ed", "s")  # what a verb after an unknown subject most often ends in
_LEADING_DATE = re.compile(r"R[f#]{1,3}(?=[SC])")  # On September 27, In 2010, On Tuesday
_ASIDE_PHRASE = re.compile(r"R[EPD#]?a")  # "in the past", "at times", "on Tuesday"
_ASIDE = re.compile(r"[RfK]?[aK]")  # "in particular", "however", "too", "for example"
_CLAUSE_BREAK = re.compile(r"[VQ.:SI]")  # what a prepositional tail of an apposition cannot hold
# A transcript's speaker label: "PENCE:", "MS. ROE:", "SEN. JANE ROE:".
_LABEL = re.compile(r"((?:[A-Z][A-Z.’'-]*\.?\s)?[A-Z][A-Z’'-]+(?:\s[A-Z][A-Z’'-]+){0,2}):\s")
# A headline that opens with a name and a colon: "Jane Roe: Plan ‘Defies Explanation’".
_HEADLINE_LABEL = re.compile(r"\s*((?:[A-Z][\w’'-]*\.?\s){0,2}?[A-Z][\w’'-]+):\s")
_NOT_LABELS = frozenset(("update", "note", "editor's note", "editor’s note", "breaking", "correction",
                         "warning", "caption", "photo", "video", "watch", "read more", "related", "ps", "p.s.",
                         "exclusive", "poll", "report", "analysis", "opinion", "live", "fact check", "editorial",
                         "review", "interview", "explainer", "exclusive interview", "live updates", "transcript"))
_ASKS = re.compile(r"[?!][\s\"'”’»›]*$")
_QUOTE_END = re.compile(r"[.!?…][\s\"'”’»›]*$")


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
class _Tokens:
    """A run of tokens, as parallel lists: token k is `words[k]` at `text[starts[k]:ends[k]]`.

    Lists rather than one object a token: making the objects cost as much as the
    tokenising regex, and the tagging and mention scans read one field at a time.
    """

    words: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # each token's own tag, before `_tag` reads context

    def __len__(self) -> int:
        return len(self.words)

    def append(self, word: str, start: int, end: int, tag: str) -> None:
        self.words.append(word)
        self.starts.append(start)
        self.ends.append(end)
        self.tags.append(tag)


@dataclass(slots=True)
class _Paragraph:
    text: str  # the whole text (offsets are into it)
    toks: _Tokens
    tags: str  # the tags in context (`_tag`)
    sentences: list[tuple[int, int]]  # token index ranges
    by_start: dict[int, Mention]  # mentions by first token
    by_end: dict[int, Mention]  # mentions by last token
    quotes: dict[int, QuoteSpan]  # the tokens that are quotations of kind "quote" (tagged "Q"): their spans
    attributed: list[tuple[int, Attribution]] = field(default_factory=list)  # (token, attribution)
    label: Mention | None = None  # the name opening a headline before a colon ("Roe: ...")


def attribute(text: str, spans: list[QuoteSpan]) -> tuple[list[Attribution], list[Mention]]:
    """Attribute every quotation of kind "quote" in `spans`; also return all mentions, in order."""
    found: list[Attribution] = []
    mentions: list[Mention] = []
    spans = sorted(spans, key=lambda s: s.open)
    k = 0
    previous: _Paragraph | None = None
    for n, (pstart, pend) in enumerate(paragraphs(text)):
        here = []
        while k < len(spans) and spans[k].open < pend:
            if spans[k].open >= pstart:
                here.append(spans[k])
            k += 1
        para = _read_paragraph(text, pstart, pend, here, mentions, first=n == 0)
        for q in para.quotes:
            a = _attribute_one(para, q, previous)
            found.append(a)
            if a.mention is not None:
                para.attributed.append((q, a))
        previous = para
    _share_across_chains(found)
    known = set(mentions)  # a rule may have found a mention the scan did not (_any_description)
    mentions += dict.fromkeys(a.mention for a in found if a.mention is not None and a.mention not in known)
    mentions.sort(key=lambda m: m.start)
    return found, mentions


def _share_across_chains(found: list[Attribution]) -> None:
    """Give every part of a quote running over paragraphs its best part's attribution.

    In a transcript quoted over several paragraphs, each labelled part keeps its label's
    speaker and a part without a label is the last labelled speaker's.
    """
    label: dict[int, Attribution] = {}
    for a in found:
        if a.labelled:
            label[a.quote.chain] = a
        elif a.quote.chain in label:
            b = label[a.quote.chain]
            a.mention, a.cue, a.confidence, a.labelled = b.mention, b.cue, b.confidence * 0.95, True
    best: dict[int, Attribution] = {}
    for a in found:
        if a.labelled:
            continue
        b = best.get(a.quote.chain)
        if b is None or a.confidence > b.confidence:
            best[a.quote.chain] = a
    for a in found:
        b = best.get(a.quote.chain)
        if b is not None and b is not a and b.mention is not None and not a.labelled:
            a.mention, a.cue, a.confidence = b.mention, b.cue, b.confidence * 0.95


# ---------------------------------------------------------------- reading a paragraph

def _read_paragraph(text: str, pstart: int, pend: int, spans: list[QuoteSpan],
                    mentions: list[Mention], first: bool = False) -> _Paragraph:
    """Tokens, tags, sentences and mentions of one paragraph; its mentions join `mentions`."""
    toks = _Tokens()
    quotes = {}
    at = pstart
    for s in spans:
        _tokenize(text, at, s.open, toks)
        if s.kind == "quote":
            quotes[len(toks)] = s
        toks.append(text[s.open:s.close], s.open, s.close, "Q" if s.kind == "quote" else "W")
        at = s.close
    _tokenize(text, at, pend, toks)
    tags = _tag(toks)
    para = _Paragraph(text, toks, tags, _sentences(toks, tags), {}, {}, quotes)
    if is_headline(text[pstart:pend], first):
        # Title Case makes every word look like a name; only "Jane Roe: ..." names someone.
        m = _HEADLINE_LABEL.match(text, pstart, pend)
        if m is not None and spans and spans[0].open > m.end() and m.group(1).lower() not in _NOT_LABELS:
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


def _tokenize(text: str, start: int, end: int, out: _Tokens) -> None:
    """Append the tokens of `text[start:end]`; a listed abbreviation keeps its full stop.

    This is the pipeline's innermost loop, so it works on whole lists rather than token
    by token: one split gives the tokens (every other piece) with the text between
    them, their offsets are the running sum of the pieces' lengths, and their tags
    come from the cache `_TAGS_SEEN`.
    """
    pieces = _TOKEN.split(text[start:end])  # gap, token, gap, token, ..., gap
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
            if w[0].isalpha() and ((len(w) == 1 and w.isupper()) or w.lower() in _ABBREVIATIONS):
                words[k - 1] += "."
                ends[k - 1] += 1
                del words[k], starts[k], ends[k]
                after += 1  # a word takes one stop: in "Mrs..", the second is a token
        stop = text.find(".", after, end)


def _tag(toks: _Tokens) -> str:
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
        elif tag == "T" and n and (lowers[n - 1] in _HONORIFICS or (tags[n - 1] == "C" and lowers[n - 1] in _FIRST_NAMES)) \
                and (n == last or tags[n + 1] not in "CTcO"):
            tags[n] = "C"  # a surname that is also a title: Mr. King, Tom King, Mrs. Bishop
        elif tag == "T" and n < last and tags[n + 1] == "V" and (n == 0 or tags[n - 1] not in "EDP'CT"):
            tags[n] = "C"  # a surname that is also a title, as a verb's subject: "King says"
        elif tag == "C" and lowers[n] in _CUE_VERBS and (n == 0 or tags[n - 1] in ".:Q") \
                and _ends_inverted_cue(tags, n + 1):
            tags[n] = "V"  # a sentence opening with its cue: "Stated Roe:", "Added Jane Roe, “…”"
        elif tag == "V" and lowers[n] == "state" and n < last and tags[n + 1] == "T":
            tags[n] = "C"  # "state Sen. Jane Roe", "state Del. Tom Berg": a modifier of the title
        elif tag == "V" and n and (_determines(lowers, tags, n - 1) or (
                n > 1 and tags[n - 1] in "aC" and lowers[n] in _CUE_NOUNS and _determines(lowers, tags, n - 2))):
            # A cue word right after "the", "a" or a possessive is a noun ("the comment",
            # "his claims", "Trump's tweet"), and so is a word that may be one after a
            # modifier too ("a phone call", "his home state").
            tags[n] = "a"
        elif tag == "V" and n > 1 and tags[n - 1] in "aCN" and tags[n - 2] in "oR#" and (
                lowers[n] in _CUE_NOUNS or lowers[n][:-1] in _CUE_NOUNS):
            tags[n] = "a"  # "of Republican claims", "in public statements": a noun
    for n in _multiword_starts(lowers):
        for phrase, tag in _MULTIWORD[lowers[n]]:
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
    hold any, and a Python loop over every word cost as much as all of `_tag`'s rules.
    """
    found = []
    for first in _MULTIWORD.keys() & lowers:
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
        return "M" if tail in _PERSON_PLURAL else "N" if tail in _PERSON else "#"
    if low in _PRONOUNS:
        return _PRONOUNS[low]
    if low in _DETERMINERS:
        return "E" if _DETERMINERS[low] == "definite" else "D"
    if w[0].isupper():
        if low in _TITLES:
            return "T"
        if low in _PERSON_PLURAL:
            return "M"
        if low in _PERSON:
            return "N"
        if low in _SKIP:
            return "K"
        if low in _PREPOSITIONS:
            return "R"
        if low in _NOT_NAMES and w not in _PLACES:  # "US" is a country, "us" a pronoun
            return "f"
        return "O" if low in _ORGANISATIONS else "C"
    if low in _CUE_VERBS:
        return "V"
    if low in _PERSON_PLURAL:
        return "M"
    if low in _PERSON:
        return "N"
    if low in _ORGANISATIONS:
        return "G"
    if low in _SKIP:
        return "K"
    if low == "of":
        return "o"
    if low in _PREPOSITIONS:
        return "R"
    if low in _PARTICLES:
        return "c"
    if low in _NOT_NAMES:
        return "f"
    return "a"


def _ends_inverted_cue(tags: list[str], k: int) -> bool:
    """True when a name (capitalised words from `k`) ends at a colon, comma or quotation."""
    e = k
    while e < len(tags) and tags[e] in "CT":
        e += 1
    return e > k and (e == len(tags) or tags[e] in ":,Q")


def _determines(lowers: list[str], tags: list[str], k: int) -> bool:
    """True when token `k` is "the", "a", "an" or a possessive (his, Roe's)."""
    return tags[k] in "EP'" or lowers[k] in ("a", "an")


def _sentences(toks: _Tokens, tags: str) -> list[tuple[int, int]]:
    """Token index ranges of the sentences of one paragraph.

    A sentence ends at . ! ? or … before a capitalised word or a quotation, at a
    quotation whose words end so, and at an abbreviation such as "Inc." before a word
    that usually opens a sentence.
    """
    words, own = toks.words, toks.tags  # `own`: the tags the tokens had before `_tag`
    out, lo, n = [], 0, len(words)
    for i in range(n - 1):
        tag = tags[i]
        if tag == "." or tag == "Q":
            nxt = words[i + 1]
            ends = (own[i + 1] in "QW" or nxt[0].isupper() or nxt[0].isdigit()) and (
                tag == "." or (own[i + 1] != "p" and _QUOTE_END.search(words[i]) is not None))
        else:
            word = words[i]
            ends = (word[-1] == "." and len(word) > 2 and words[i + 1] in _OPENERS
                    and word[:-1].lower() not in _TITLE_ABBREVIATIONS)
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


def _find_mentions(text: str, toks: _Tokens, tags: str, lo: int, hi: int) -> list[Mention]:
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


def _read_name(m: Mention, toks: _Tokens, pattern: str) -> None:
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
    m.organization = not _ORGANISATIONS.isdisjoint(map(str.lower, m.name)) or (
        m.i > 0 and words[m.i - 1].lower() == "the") or (len(m.name) == 1 and m.name[0] in _PLACES)


def _read_description(m: Mention, toks: _Tokens, tags: str) -> None:
    """Fill in a description's head, modifiers (as roles) and determiner."""
    m.head = toks.words[m.j].lower()
    m.plural = tags[m.j] == "M" or m.head in _ORG_PLURAL
    m.organization = tags[m.j] == "G"
    m.definite = tags[m.i] in "EP" or "'" in tags[m.i:m.j]  # the minister, his aide, the union's leader
    m.roles = {w.lower() for w, tag in zip(toks.words[m.i:m.j + 1], toks.tags[m.i:m.j + 1]) if tag not in "EDP'"}


def _link_appositions(found: list[Mention], toks: _Tokens, tags: str, hi: int) -> None:
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
    if not any(w.lower() in _TITLES for w in _CAPITALISED.findall(text, span.start, span.end)):
        return []  # no title word: nothing to find (and most quotes have none, so skip the tagging)
    toks = _Tokens()
    _tokenize(text, span.start, span.end, toks)
    tags = _tag(toks)
    found = []
    for m in _TITLED_NAME.finditer(tags):
        i, j = m.start(), m.end() - 1
        mention = Mention("name", toks.starts[i], toks.ends[j], text[toks.starts[i]:toks.ends[j]], i, j, in_quote=True)
        _read_name(mention, toks, m.group())
        found.append(mention)
    return found


# ---------------------------------------------------------------- attribution rules

def _attribute_one(p: _Paragraph, q: int, previous: _Paragraph | None) -> Attribution:
    """The attribution of the quotation at token `q`, by the rules in the module docstring."""
    quote = p.quotes[q]
    label = _speaker_label(p, q)
    if label is not None:
        return Attribution(quote, label, None, 0.9, labelled=True)
    if p.label is not None:
        return Attribution(quote, p.label, None, 0.6)  # Roe: Plan ‘Defies Explanation’
    lo, hi = next((lo, hi) for lo, hi in p.sentences if lo <= q < hi)
    found = (_after_quote(p, q, q + 1 == hi) or _cue_in_sentence(p, q, lo, hi) or _after_colon(p, q, lo)
             or (quote.partial and _clause_subject(p, q, lo)) or _from_context(p, q, lo, previous)
             or _nearest_mention(p, q, lo))
    if found is None:
        return Attribution(quote, confidence=0.2)
    mention, cue, confidence = found
    return Attribution(quote, mention, cue, confidence)


def _speaker_label(p: _Paragraph, q: int) -> Mention | None:
    """A transcript's speaker label opening the quote ("ROE: Well, look, ..."): one to
    three capitalised words, the first in capitals, then a colon. Labels such as
    "UPDATE:" or "Q:" are not speakers."""
    quote = p.quotes[q]
    m = _LABEL.match(p.text, quote.start, quote.end)
    if m is None or m.group(1).lower() in _NOT_LABELS:
        return None
    words = tuple(w.capitalize() if w.isupper() else w for w in m.group(1).split())
    return Mention("name", m.start(1), m.end(1), m.group(1), q, q, name=words, sentence=quote.start)


def _after_quote(p: _Paragraph, q: int, ends_sentence: bool):
    """`“…,” Roe said`, `“…,” said Roe`, `“…,” Roe, the union's president, said`, `“…,” according to Roe`.

    After a quote that ends its sentence (“… done.” Roe said.) only a bare `Roe said.`
    counts: "“… done.” The ministry has not said whether ..." is a new statement. A
    question or exclamation is the exception: “… why?” He asked the board ...
    """
    tags, n = p.tags, len(p.toks)
    k = q + 1
    if k < n and tags[k] in ",-":
        k += 1
    if k + 1 < n and p.toks.words[k] == "as" and tags[k - 1] in ",Q":
        k += 1  # “…,” as a ministry memo put it
    if k >= n:
        return None
    m = p.by_start.get(k) or _lone_determiner(p, k)
    longer = _open_subject_at(p, k, n)  # "a ministry memo", not "a ministry"
    if longer is not None and (m is None or (m.kind == "description" and longer.j > m.j)):
        m = longer
    asks = _ASKS.search(p.toks.words[q]) is not None
    if m is not None and _can_speak(m):
        e = m.j + 1 if ends_sentence and not asks else _skip(p, _skip_apposition(p, _skip(p, m.j + 1)))
        e = _past_to(p, e)
        # "Roe said." or "Roe said, adding ...", not "Roe added, “…”": that cue is the next quote's
        bare = e + 1 >= n or tags[e + 1] == "." or (tags[e + 1] == "," and tags[e + 2:e + 3] != "Q")
        if e < n and tags[e] == "V" and (bare or asks or not ends_sentence):
            return m, _cue_span(p, e), 0.95
    if tags[k] == "V":
        m = p.by_start.get(_cue_end(p, k))
        if m is not None and _can_speak(m):
            return m, _cue_span(p, k), 0.95
    found = _source_phrase(p, k)
    if found is not None:
        return found[0], found[1], 0.95
    if tags[k - 1] == "-" and m is not None and m.kind == "name" and (m.j + 1 == n or tags[m.j + 1] in ".,"):
        return m, None, 0.8  # “...” — Jane Roe
    return None


def _lone_determiner(p: _Paragraph, k: int) -> Mention | None:
    """ "one", "another" or "others" standing alone for a speaker before a cue verb
    (`“…,” another said`, `Another said: “…”`): an anonymous source."""
    if k >= len(p.toks) or p.toks.words[k].lower() not in _LONE_SOURCES or _skip(p, k + 1) >= len(p.toks) \
            or p.tags[_skip(p, k + 1)] != "V":
        return None
    return _description_at(p, k, k)


def _past_to(p: _Paragraph, e: int) -> int:
    """The cue verb in "was quick to add", "went on to say" after a speaker, else `e`."""
    for x in range(e, min(e + 4, len(p.toks) - 1)):
        if p.toks.words[x] == "to":
            return x + 1 if p.tags[x + 1] == "V" and x > e else e
        if p.tags[x] not in "aKR":
            break
    return e


def _cue_in_sentence(p: _Paragraph, q: int, lo: int, hi: int):
    """A cue in the quote's sentence, nearest first, left of the quote before right of it."""
    tags = p.tags
    cues = [v for v in range(q - 1, lo - 1, -1) if _may_cue(p, v) or _CLAIM_THAT.match(tags, v)]
    cues += [v for v in range(q + 1, hi) if _may_cue(p, v)]
    for v in cues:
        if tags[v] != "V":
            found = _source_phrase(p, v) or _claim_owner(p, v, lo)
            if found is not None:
                return found[0], found[1], 0.9
            continue
        m = _subject(p, v, lo, hi)
        if m is not None:
            adjacent = v == q - 1 or (v < q and tags[v + 1:q] in (",", ":"))  # Roe said: “…”
            if _is_writer(m) and not adjacent:
                continue  # "In the words of one resident I spoke with, “…”"
            return m, _cue_span(p, v), 0.9 if adjacent else 0.85
    return None


def _claim_owner(p: _Paragraph, v: int, lo: int) -> tuple[Mention, Span] | None:
    """The owner of a claim whose words follow: `Roe's claim that there were “…”`,
    `his warning that “…”`. The cue is the noun."""
    if p.toks.words[v].lower() not in _CUE_NOUNS or p.toks.words[v + 1].lower() != "that":
        return None
    owner = v - 2 if v - 2 >= lo and p.tags[v - 1] == "'" else v - 1
    m = p.by_end.get(owner) if owner >= lo else None
    if m is None or not (_can_speak(m) or p.tags[m.i] == "P"):
        return None
    return m, _span(p, p.toks.starts[v], p.toks.ends[v])


def _after_colon(p: _Paragraph, q: int, lo: int):
    """`Roe was blunt: “…”` -- no cue, but a colon after the sentence's subject -- or
    `More from Jane Roe: “…”`, a name right before the colon."""
    if q == lo or p.tags[q - 1] != ":":
        return None
    m = p.by_end.get(q - 2)
    if m is not None and m.kind == "name" and not m.organization:
        return m, None, 0.6
    m = _opening_subject(p, lo, q)
    if m is not None and (m.kind != "description" or m.definite):  # not "A man was blunt:"
        return m, None, 0.6
    return None


def _clause_subject(p: _Paragraph, q: int, lo: int):
    """A partial quote with no cue: the subject of its sentence, as the one who used the
    words (`Roe dismissed the plan as “a fantasy”`, `In July, Roe branded it “a scam”`)."""
    m = _opening_subject(p, lo, q)
    return (m, None, 0.5) if m is not None else None


def _nearest_mention(p: _Paragraph, q: int, lo: int):
    """A last resort for a quote nothing else attributes: the nearest mention that can
    speak before it in its sentence, with little confidence. A lone capitalised word
    ("Partial", "Eliminating") is too often no name at all to be taken here."""
    for k in range(q - 1, lo - 1, -1):
        m = p.by_end.get(k)
        lone = m is not None and m.kind == "name" and len(m.name) < 2 and not m.titles
        if m is not None and _can_speak(m) and not _is_writer(m) and not lone:
            return m, None, 0.3
    return None


def _opening_subject(p: _Paragraph, lo: int, limit: int) -> Mention | None:
    """The subject of the sentence starting at token `lo`, looked for before `limit`: the
    first mention that opens the sentence or a clause after a comma and is followed by
    a lower-case word (its verb)."""
    tags, toks = p.tags, p.toks
    # clauses open the sentence, follow a comma, or follow a title in marks ending in one
    # (On “Face the Nation,” Roe ...)
    starts = [lo] + [k + 1 for k in range(lo, limit) if tags[k] == ","
                     or (tags[k] == "W" and toks.words[k].rstrip("\"”’'").endswith(","))]
    when = _LEADING_DATE.match(tags, lo)
    if when is not None:
        starts.append(when.end())  # "On September 27 they published ..."
    for k in starts:
        m = p.by_start.get(_skip(p, k)) or _open_subject_at(p, _skip(p, k), limit)
        if m is not None and m.kind == "description" and p.by_start.get(m.j + 1) is not None \
                and m.ref is p.by_start[m.j + 1]:
            m = p.by_start[m.j + 1]  # "Band member Ana Lind shared ...": the name
        if m is None or not _can_speak(m) or m.j + 1 >= limit:
            continue
        verb = _skip(p, _skip_apposition(p, _skip(p, _past_partner(p, m.j + 1))))
        if verb < limit and tags[verb] in "aV" and p.toks.words[verb][0].islower():
            return m
    return None


def _open_subject_at(p: _Paragraph, k: int, limit: int) -> Mention | None:
    """A description whose head is in no lexicon opening a clause at `k`, ended by what
    looks like its verb ("The piece used ...", "The article closes ...", "a ministry
    memo put it"; in "The main test is" the head is "test", not "main")."""
    tags, toks = p.tags, p.toks
    for j in range(k + 1, min(k + 5, limit - 1)):
        if _OPEN_SUBJECT.fullmatch(tags, k, j + 1) and (tags[j + 1] in "KV," or (tags[j + 1] == "a" and (
                toks.words[j + 1].endswith(_VERB_ENDINGS) or tags[j + 2:j + 3] in ("E", "D", "P")))):
            return _description_at(p, k, j)  # "the actor held a ...": a verb before its object
    return None


def _past_partner(p: _Paragraph, e: int) -> int:
    """Past "and his aides" after a subject ("Roe and his aides have ..."); else `e`.
    The first of the two is taken to speak for both."""
    if e + 1 < len(p.toks) and p.toks.words[e] == "and":
        partner = p.by_start.get(_skip(p, e + 1))
        if partner is not None and partner.kind != "pronoun":
            return partner.j + 1
    return e


def _from_context(p: _Paragraph, q: int, lo: int, previous: _Paragraph | None):
    """A quote with no cue of its own: the speaker of the sentence or quote before it."""
    n = next(k for k, s in enumerate(p.sentences) if s[0] == lo)
    if n > 0:
        # The sentence before: the speaker of its last quote, else of its last cue
        # ("“…,” Obama said at the dinner, where Clinton also spoke. “…”" is Obama's).
        before_lo, before_hi = p.sentences[n - 1]
        # The writer ("“Okay,” I said. “I was seventeen ...”") carries on only from a quote
        # of their own, never from a sentence about them.
        quoted = [a for k, a in p.attributed if before_lo <= k < before_hi]
        if quoted:
            return quoted[-1].mention, quoted[-1].cue, 0.75
        found = _sentence_speaker(p, before_lo, before_hi)
        if found is not None and not _is_writer(found[0]):
            return found[0], found[1], 0.75
        m = _named_subject(p, before_lo, before_hi)
        if m is not None and not p.attributed:
            return m, None, 0.5
    if p.attributed:
        a = p.attributed[-1][1]
        return a.mention, a.cue, 0.7
    opens_paragraph = q == 0 or (q == 1 and p.tags[0] in "-p")
    if opens_paragraph and previous is not None and not any(_sentence_speaker(p, *s) for s in p.sentences):
        if previous.tags.endswith(":"):  # "..., as the website notes:" then the quote
            found = _sentence_speaker(previous, *previous.sentences[-1])
            if found is not None and not _is_writer(found[0]):
                return found[0], found[1], 0.6
            m = _opening_subject(previous, previous.sentences[-1][0], len(previous.toks) - 1)
            if m is not None:  # "Roe made the following comment:"
                return m, None, 0.6
        closing = _closing_speaker(previous)
        if closing is not None and (not _is_writer(closing[0]) or closing[2]):
            return closing[0], closing[1], 0.65
        if closing is None:
            m = _named_subject(previous, *previous.sentences[-1])
            if m is not None:
                return m, None, 0.45
    return None


def _named_subject(p: _Paragraph, lo: int, hi: int) -> Mention | None:
    """The subject of a sentence with no cue, when a name or he/she: a quote that follows
    with no cue of its own is most often that person's ("Roe is upbeat about the vote.
    “We will win.”")."""
    m = _opening_subject(p, lo, hi)
    if m is None or m.kind == "description" or _is_writer(m) or m.head in _NEUTER_PRONOUNS:
        return None
    return m


def _closing_speaker(p: _Paragraph) -> tuple[Mention, Span | None, bool] | None:
    """The last speaker a paragraph names: of its last attributed quote or last cue, and
    whether it was a quote's."""
    for lo, hi in reversed(p.sentences):
        quoted = [a for q, a in p.attributed if lo <= q < hi]
        if quoted:
            return quoted[-1].mention, quoted[-1].cue, True
        found = _sentence_speaker(p, lo, hi)
        if found is not None:
            return found[0], found[1], False
    return None


def _sentence_speaker(p: _Paragraph, lo: int, hi: int) -> tuple[Mention, Span] | None:
    """The speaker a sentence names with a cue (its last cue first) and that cue."""
    for v in range(hi - 1, lo - 1, -1):
        if p.tags[v] == "V":
            m = _subject(p, v, lo, hi)
            if m is not None:
                return m, _cue_span(p, v)
        elif _may_cue(p, v):
            found = _source_phrase(p, v)
            if found is not None:
                return found
    return None


def _may_cue(p: _Paragraph, v: int) -> bool:
    """True when token `v` is a cue verb or may start a source phrase."""
    return p.tags[v] == "V" or p.toks.words[v].lower() in _SOURCE_PHRASES


def _subject(p: _Paragraph, v: int, lo: int, hi: int) -> Mention | None:
    """The speaker a cue verb at `v` names: its subject, an agent after "by", or a name after it."""
    tags, toks = p.tags, p.toks
    end = _cue_end(p, v)
    if end + 1 < hi and toks.words[end] == "by":  # announced by the minister
        m = p.by_start.get(end + 1) or _after_modifiers(p, end + 1)  # by (talk show host) Ana Lind
        if m is not None and _can_speak(m):
            return m  # else an active verb: "Roe responded by pointing ..."
    j = _skip_back(p, v - 1, lo)
    if j > lo and toks.words[j] == "by" and tags[j - 1] == "V":  # Roe continued by saying
        return _subject(p, j - 1, lo, hi)
    if j > lo and toks.words[j] == "by" and tags[j - 1] != "V" and toks.words[v].endswith("ing"):
        return _opening_subject(p, lo, j)  # Roe began by saying, Roe left the movement by saying
    if j - 2 >= lo and toks.words[j] == "and" and tags[j - 1] in "aV":  # Roe laughed and said
        m = p.by_end.get(_skip_back(p, j - 2, lo))
        if m is not None and m.kind != "description" and _can_speak(m):
            return m
    if j >= lo and tags[j] == ",":
        if toks.words[v].endswith("ing"):  # "..., adding": the subject of the cue before, or of the sentence
            before = [u for u in range(j - 1, lo - 1, -1) if tags[u] == "V"]
            return (before and _subject(p, before[0], lo, hi)) or _opening_subject(p, lo, j)
        k = tags.rfind(",", lo, j)  # "Roe, who chairs the union, said"
        if k > lo:
            m = p.by_end.get(k - 1) or _modified_subject(p, k, lo)
            if m is not None and _can_speak(m):
                return m
    j = _past_aside(p, j, lo)
    if j > lo and toks.words[j].lower() in _RELATIVES:
        return _relative(p, j, lo)
    if j == lo and toks.words[j].lower() in _CLAUSE_OPENERS and toks.words[v].endswith("ing"):
        return _main_subject(p, v, hi)  # "After saying ..., she was ..."
    m = (p.by_end.get(j) or _modified_subject(p, j, lo) or _any_subject(p, j, lo)
         or (_lone_determiner(p, j) if j == lo or tags[j - 1] in ",.Q:" else None)) if j >= lo else None
    if m is not None and toks.words[v].endswith("ing") and m.i > lo and tags[m.i - 1] == "V":
        # "Roe emailed supporters saying ...": the object of a cue is not the one saying
        m = _subject(p, m.i - 1, lo, hi) or m
    elif m is not None and toks.words[v].endswith("ing") and m.kind == "description" and m.head in _CUE_NOUNS:
        # "The council issued a statement calling ...": the statement's author
        m = _opening_subject(p, lo, m.i) or m
    if m is not None and m.kind == "pronoun" and m.ref is None:
        m = _reporting_subject(p, m, lo, hi) or m
    if m is not None and _can_speak(m):
        # "officials in Moscow said", "a spokesperson for the ministry said"
        while m.i - 2 >= lo and tags[m.i - 1] in "Ro":
            head = p.by_end.get(m.i - 2)
            if head is None or not _can_speak(head):
                break
            m = head
        return m
    if j < lo or tags[j] in ",Q:":  # said Roe, said the ruling, said former governor Roe
        k = end
        while k < min(hi, end + 2) and tags[k] in "a#":  # said 9/11 widow Roe
            k += 1
        m = p.by_start.get(end) or p.by_start.get(k) or (_any_description(p, end) if end < hi else None)
        if m is not None and _can_speak(m):
            return m
    return None


def _reporting_subject(p: _Paragraph, m: Mention, lo: int, hi: int) -> Mention | None:
    """The same pronoun as `m` as the sentence's subject, when `m` opens a clause inside
    the sentence: in "She said she recalls the colleague being “confused”" and "It is
    denouncing what it calls “…”" the speaker is named by the first pronoun, the
    subject of the whole sentence."""
    k = m.i - 1
    if k <= lo or not (p.tags[k] == "V" or p.toks.words[k].lower() in ("that", "what")):
        return None
    outer = _opening_subject(p, lo, m.i)
    return outer if outer is not None and outer.kind == "pronoun" and outer.head == m.head else None


def _main_subject(p: _Paragraph, v: int, hi: int) -> Mention | None:
    """The subject of the main clause after an opening clause that holds the cue at `v`
    ("After saying her foot was “so swollen,” she was ..."): the first mention after a
    comma or quotation that a lower-case word (its verb) follows."""
    for k in range(v + 2, hi):
        m = p.by_start.get(k)
        if m is None or p.tags[k - 1] not in ",Q" or not _can_speak(m):
            continue
        verb = _skip(p, m.j + 1)
        if verb > m.j + 1 or (verb < hi and p.tags[verb] in "aV" and p.toks.words[verb][0].islower()):
            return m  # "she was", "she told"
    return None


def _past_aside(p: _Paragraph, j: int, lo: int) -> int:
    """Back past a short prepositional phrase ending at `j` between an auxiliary or "who"
    and its verb ("who has in the past described"), else `j`."""
    m = _ASIDE_PHRASE.search(p.tags, max(lo, j - 3), j + 1)
    if m is None or m.end() != j + 1 or m.start() <= lo:
        return j
    before = m.start() - 1
    if p.tags[before] == "K" or p.toks.words[before].lower() in _RELATIVES:
        return _skip_back(p, before, lo)
    return j


def _relative(p: _Paragraph, j: int, lo: int) -> Mention | None:
    """The relative pronoun at `j` as a speaker's mention ("Roe, who in 2010 said ..."),
    standing for the name or description right before it."""
    k = j - 1 if p.tags[j - 1] != "," else j - 2
    antecedent = p.by_end.get(k) if k >= lo else None
    if antecedent is None and k >= lo:
        antecedent = _any_subject(p, k, lo)  # "the agency's report, which notes"
        antecedent = antecedent if antecedent is not None and antecedent.definite else None
    if antecedent is None or not _can_speak(antecedent):
        return None
    word = p.toks.words[j]
    return Mention("pronoun", p.toks.starts[j], p.toks.ends[j], word, j, j, head=word.lower(), ref=antecedent,
                   sentence=antecedent.sentence)


def _modified_subject(p: _Paragraph, j: int, lo: int) -> Mention | None:
    """A subject with words after it, ending at token `j`: "a source familiar with the
    talks", "officials at the scene", "a man who lives nearby", "protesters marching
    through the streets"."""
    for k in range(j - 1, max(lo, j - 10) - 1, -1):
        if p.tags[k] in ",:.Q-":
            return None
        m = p.by_end.get(k)
        if m is not None:
            after, tag = p.toks.words[k + 1], p.toks.tags[k + 1]
            ok = (tag in "Ro" or after in ("who", "that")
                  or (tag == "a" and (p.tags[k + 2] in "Ro" or after.endswith("ing"))))
            return m if ok else None
    return None


def _any_description(p: _Paragraph, e: int) -> Mention | None:
    """A description whose head is in no lexicon, where only a speaker can stand
    ("according to a local fisherman"): determiner, up to three words, head."""
    m = _OPEN_DESCRIPTION.match(p.tags, e)
    return _description_at(p, m.start(), m.end() - 1) if m else None


def _any_subject(p: _Paragraph, j: int, lo: int) -> Mention | None:
    """A description whose head is in no lexicon, ending at token `j` before a cue verb
    ("the announcer said", "the ad's narrator says", "the letter reads")."""
    for i in range(j - 1, max(lo, j - 4) - 1, -1):
        if _OPEN_SUBJECT.fullmatch(p.tags, i, j + 1):
            if i - 1 > lo and p.tags[i - 1] in "Ro":
                # the object of a preposition ("a narrator in the ad", "familiar with the
                # matter"): the subject is the description before it, if any
                return _any_subject(p, i - 2, lo)
            return _description_at(p, i, j)
    author = p.by_end.get(j - 2)
    if j - 2 >= lo and _AUTHORED.fullmatch(p.tags, j - 2, j + 1) and author is not None \
            and author.kind == "name" and p.toks.words[j].lower() in _DOCUMENTS:
        m = _description_at(p, author.i, j)
        m.ref = author  # the brief speaks for its author
        return m
    return None


def _description_at(p: _Paragraph, i: int, j: int) -> Mention:
    """A new description mention over tokens `i` to `j`."""
    toks = p.toks
    lo = next(lo for lo, hi in p.sentences if lo <= i < hi)
    mention = Mention("description", toks.starts[i], toks.ends[j], p.text[toks.starts[i]:toks.ends[j]], i, j,
                      sentence=toks.starts[lo])
    _read_description(mention, toks, p.tags)
    return mention


def _source_phrase(p: _Paragraph, k: int) -> tuple[Mention, Span] | None:
    """A source phrase starting at token `k` ("according to Roe", "in her own words")."""
    toks, n = p.toks, len(p.toks)
    for before, after in _SOURCE_PHRASES.get(toks.words[k].lower(), ()):
        e = k + len(before)
        if e >= n or any(toks.words[k + x].lower() != w for x, w in enumerate(before)):
            continue
        m = p.by_start.get(e)
        if not after and (m is None or m.kind == "description"):
            longer = _any_description(p, e)  # "the party's bylaws", not "the party"
            m = _after_modifiers(p, e) or (longer if longer is not None and (m is None or longer.j > m.j) else m)
        if m is None or not (_can_speak(m) or (after and p.tags[m.i] == "P")):
            continue
        last = e - 1  # the cue is the phrase without the speaker, or all of it around a possessive
        if after:
            e = m.j + 2 if m.j + 1 < n and p.tags[m.j + 1] == "'" else m.j + 1
            if e + len(after) > n or any(toks.words[e + x].lower() != w for x, w in enumerate(after)):
                continue
            last = e + len(after) - 1
        return m, _span(p, toks.starts[k], toks.ends[last])
    return None


def _after_modifiers(p: _Paragraph, e: int) -> Mention | None:
    """A name after up to four lower-case words describing it ("according to
    conservative talk radio host Rush Limbaugh")."""
    for k in range(e, min(e + 4, len(p.toks))):
        if p.tags[k] not in "aN":
            break
        m = p.by_start.get(k + 1)
        if m is not None and m.kind == "name":
            return m
    return None


def _can_speak(m: Mention) -> bool:
    """A name, a description, he/she/they/it, a relative pronoun standing for one, or
    I or we (the writer: `I said, “…”`) -- not you (the reader)."""
    return m.kind != "pronoun" or m.head in _SUBJECT_PRONOUNS or m.head in _WRITER or m.ref is not None


def _is_writer(m: Mention) -> bool:
    """I or we: a speaker only when its cue stands right before or after the quote
    (`I said, “…”`, `“…,” we were told`), never by context."""
    return m.kind == "pronoun" and m.head in _WRITER


def _skip(p: _Paragraph, e: int) -> int:
    """The first token from `e` on that is not a skip word or -ly adverb."""
    n = len(p.toks)
    while e < n and (p.tags[e] == "K" or (p.tags[e] == "a" and p.toks.words[e].endswith("ly"))):
        e += 1
    return e


def _skip_back(p: _Paragraph, j: int, lo: int) -> int:
    """The last token up to `j` that is not a skip word, -ly adverb, "on <weekday>" or "in <year>"."""
    while j >= lo and (p.tags[j] == "K" or (p.tags[j] == "a" and p.toks.words[j].endswith("ly"))
                       or (p.tags[j] == "R" and j + 1 < len(p.tags) and p.tags[j + 1] in "K#")
                       or (p.tags[j] == "#" and j > lo and p.tags[j - 1] == "R")):
        j -= 1
    return j


def _skip_apposition(p: _Paragraph, e: int) -> int:
    """Past ", the union's president,", ", a member of the panel,", ", Per Holm," or
    ", 54," after a mention; else `e`."""
    tags, n = p.tags, len(p.toks)
    if e + 2 < n and tags[e] == ",":
        if tags[e + 1] == "#" and tags[e + 2] == ",":
            return e + 3
        aside = tags.find(",", e + 1, min(n, e + 5))
        if aside > 0 and _ASIDE.fullmatch(tags, e + 1, aside):  # ", in particular,", ", too,"
            return aside + 1
        if p.toks.words[e + 1].lower() in _RELATIVES:  # ", who lost the primary to Roe,"
            comma = tags.find(",", e + 2, min(n, e + 20))
            if comma > 0 and not _SENTENCE_BREAK.search(tags, e + 2, comma):
                return comma + 1
        d = p.by_start.get(e + 1)
        if d is None and tags[e + 1] == "a" and e + 2 < n:
            d = p.by_start.get(e + 2)  # ", vice chairwoman for the campaign,"
        if d is not None and d.kind != "pronoun":
            comma = tags.find(",", d.j + 1, min(n, d.j + 10))
            if comma == d.j + 1 or (comma > 0 and tags[d.j + 1:comma] == "K" * (comma - d.j - 1)) or (comma > 0 and tags[d.j + 1] in "Ro" and not _CLAUSE_BREAK.search(tags, d.j + 1, comma)):
                return comma + 1
    return e


def _cue_end(p: _Paragraph, v: int) -> int:
    """One past the last token of the cue starting at `v` (a cue phrase has several)."""
    e = v + 1
    while e < len(p.toks) and p.tags[e] == "v":
        e += 1
    return e


def _cue_span(p: _Paragraph, v: int) -> Span:
    return _span(p, p.toks.starts[v], p.toks.ends[_cue_end(p, v) - 1])


def _span(p: _Paragraph, start: int, end: int) -> Span:
    return Span(p.text[start:end], start, end)


# ---------------------------------------------------------------- lexicons, loaded once

def _pronoun_tag(gender_role: str) -> str:
    """S for he/she/they/it, I for the writer and reader (i, we, you), P for possessives."""
    gender, role = gender_role.split()
    return "P" if role == "possessive" else "I" if gender in ("first", "second") else "S"


def _multiword() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Multiword titles (tag T) and cue phrases (tag V), by first word, longest first."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, tag in [(t, "T") for t in fields("titles") if " " in t] + [(c, "V") for c in phrases("cue_phrases")]:
        ws = tuple(phrase.split())
        out.setdefault(ws[0], []).append((ws, tag))
    for found in out.values():
        found.sort(key=lambda x: -len(x[0]))
    return out


def _source_phrases() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Source phrases by first word, as (words before the speaker, words after it)."""
    out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase in phrases("source_phrases"):
        before, _, after = phrase.partition("{speaker}")
        out.setdefault(before.split()[0], []).append((tuple(before.split()), tuple(after.split())))
    return out


def _plurals(name: str) -> frozenset[str]:
    """The plural forms (second word of a line) of a singular-then-plural noun list."""
    return frozenset(line.split()[1].lower() for line in entries(name) if len(line.split()) > 1)


_PRONOUNS = {w: _pronoun_tag(v) for w, v in fields("pronouns").items()}
_SUBJECT_PRONOUNS = frozenset(w for w, tag in _PRONOUNS.items() if tag == "S")
_RELATIVES = frozenset(("who", "which"))
_NEUTER_PRONOUNS = frozenset(w for w, v in fields("pronouns").items() if v.split()[0] in ("neuter", "plural"))
_LONE_SOURCES = frozenset(("one", "another", "others"))
_FIRST_NAMES = frozenset(fields("first_names"))
_HONORIFICS = frozenset(("mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.", "dr", "miss", "mx."))
_WRITER = frozenset(("i", "we"))
_DETERMINERS = fields("determiners")
_TITLES = frozenset(fields("titles"))
_MULTIWORD = _multiword()
_SOURCE_PHRASES = _source_phrases()
_PERSON = words("person_nouns")
_PERSON_PLURAL = _plurals("person_nouns")
_ORGANISATIONS = words("organisations")
_ORG_PLURAL = _plurals("organisations")
_PLACES = frozenset(entries("places"))
_CUE_VERBS = words("cue_verbs")
_CUE_NOUNS = words("cue_nouns")
_SKIP = words("skip_words")
_PREPOSITIONS = words("prepositions")
_CLAUSE_OPENERS = words("cue_clause_openers")
_DOCUMENTS = words("document_nouns")
_PARTICLES = words("particles")
_NOT_NAMES = words("not_names")
_TITLE_ABBREVIATIONS = words("sentences_abbreviations_title")
# Titles written with a full stop ("Del.", "Sen.") keep it as abbreviations do.
_ABBREVIATIONS = _TITLE_ABBREVIATIONS | words("sentences_abbreviations") | frozenset(
    t[:-1] for t in _TITLES if t.endswith(".") and " " not in t)
_OPENERS = frozenset(entries("sentences_openers"))
