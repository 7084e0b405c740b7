"""Rules: for each quotation, the cue that reports it and the mention of its speaker.

`attribute_one` tries the rules listed in the package docstring in order; the first
that finds a speaker wins, with the confidence RULE_CONFIDENCE gives that rule.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from ..lexicons.attribution import (
    CLAUSE_OPENERS, CUE_NOUNS, DOCUMENTS, LONE_SOURCES, NEUTER_PRONOUNS, NOT_LABELS, RELATIVES,
    SOURCE_PHRASES, SUBJECT_PRONOUNS, WRITER,
)
from ..records import Span
from .mentions import Attribution, Mention, Paragraph, description_at

_OPEN_DESCRIPTION = re.compile(r"[ED][aCG#']{0,3}a(?![aCNMG])")  # a local fisherman, the party's bylaws
_OPEN_SUBJECT = re.compile(r"[EDP][aCOG#'-]{0,3}a")  # the announcer, the ad's narrator, the Sample Institute website, the 46-year-old
_AUTHORED = re.compile(r"C'a")  # Ana Lind's brief
_CLAIM_THAT_AT = re.compile(r"(?=[aV]f)")  # a cue noun and "that" after it: Roe's claim that ...
_SENTENCE_BREAK = re.compile(r"[Q.:]")
_VERB_ENDINGS = ("ed", "s")  # what a verb after an unknown subject most often ends in
_LEADING_DATE = re.compile(r"R[f#]{1,3}(?=[SC])")  # On September 27, In 2010, On Tuesday
_ASIDE_PHRASE = re.compile(r"R[EPD#]?a")  # "in the past", "at times", "on Tuesday"
_ASIDE = re.compile(r"[RfK]?[aK]")  # "in particular", "however", "too", "for example"
_CLAUSE_BREAK = re.compile(r"[VQ.:SI]")  # what a prepositional tail of an apposition cannot hold
# A transcript's speaker label: "PENCE:", "MS. ROE:", "SEN. JANE ROE:".
_LABEL = re.compile(r"((?:[A-Z][A-Z.’'-]*\.?\s)?[A-Z][A-Z’'-]+(?:\s[A-Z][A-Z’'-]+){0,2}):\s")
_ASKS = re.compile(r"[?!][\s\"'”’»›]*$")

# How sure each rule is of the speaker it finds (an Attribution's confidence, which
# speakers.py then scales by how surely it resolves the mention). A cue right beside
# the quote is surest; a speaker carried over from context or guessed from the nearest
# mention, least.
RULE_CONFIDENCE = {
    "speaker_label": 0.9,  # "ROE: Well, look, ..." (a transcript's label opening the quote)
    "headline_label": 0.6,  # Roe: Plan ‘Defies Explanation’ (a headline naming its speaker)
    "cue_after_quote": 0.95,  # “…,” Roe said / said Roe / according to Roe
    "signature": 0.8,  # “…” ― Jane Roe
    "cue_before_quote": 0.9,  # Roe said: “…” (the cue right before the quote)
    "source_in_sentence": 0.9,  # according to Roe, ... “…”; Roe's claim that “…”
    "cue_in_sentence": 0.85,  # Roe, who chairs the union, told reporters the plan was “…”
    "before_colon": 0.6,  # Roe was blunt: “…”; More from Roe: “…”
    "clause_subject": 0.5,  # Roe dismissed it as “a fantasy” (a partial quote with no cue)
    "sentence_before": 0.75,  # the speaker of the quote or cue in the sentence before
    "subject_before": 0.5,  # the name or he/she opening the sentence before
    "quote_before": 0.7,  # the speaker of an earlier quote in the paragraph
    "paragraph_before_colon": 0.6,  # "..., as the website notes:" ending the paragraph before
    "paragraph_before": 0.65,  # the last speaker of the paragraph before
    "subject_paragraph_before": 0.45,  # the name opening the last sentence of the paragraph before
    "nearest_mention": 0.3,  # the last resort: the nearest mention before the quote
    "unattributed": 0.2,  # no speaker found
    # Not a rule but a share: a part of a quote running over paragraphs takes the
    # attribution of its best (or labelled) part at 0.95 times that part's confidence.
    "shared_part": 0.95,
}


def attribute_one(p: Paragraph, q: int, previous: Paragraph | None) -> Attribution:
    """The attribution of the quotation at token `q`, by the rules in the module docstring."""
    quote = p.quotes[q]
    label = _speaker_label(p, q)
    if label is not None:
        return Attribution(quote, label, None, RULE_CONFIDENCE["speaker_label"], labelled=True)
    if p.label is not None:
        return Attribution(quote, p.label, None, RULE_CONFIDENCE["headline_label"])  # Roe: Plan ‘Defies Explanation’
    lo, hi = p.sentence_at(q)
    found = (_after_quote(p, q, q + 1 == hi) or _cue_in_sentence(p, q, lo, hi) or _after_colon(p, q, lo)
             or (quote.partial and _clause_subject(p, q, lo)) or _from_context(p, q, lo, previous)
             or _nearest_mention(p, q, lo))
    if found is None:
        return Attribution(quote, confidence=RULE_CONFIDENCE["unattributed"])
    mention, cue, confidence = found
    return Attribution(quote, mention, cue, confidence)


def _speaker_label(p: Paragraph, q: int) -> Mention | None:
    """A transcript's speaker label opening the quote ("ROE: Well, look, ..."): one to
    three capitalised words, the first in capitals, then a colon. Labels such as
    "UPDATE:" or "Q:" are not speakers."""
    quote = p.quotes[q]
    m = _LABEL.match(p.text, quote.start, quote.end)
    if m is None or m.group(1).lower() in NOT_LABELS:
        return None
    words = tuple(w.capitalize() if w.isupper() else w for w in m.group(1).split())
    return Mention("name", m.start(1), m.end(1), m.group(1), q, q, name=words, sentence=quote.start)


def _after_quote(p: Paragraph, q: int, ends_sentence: bool):
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
            return m, _cue_span(p, e), RULE_CONFIDENCE["cue_after_quote"]
    if tags[k] == "V":
        m = p.by_start.get(_cue_end(p, k))
        if m is not None and _can_speak(m):
            return m, _cue_span(p, k), RULE_CONFIDENCE["cue_after_quote"]
    found = _source_phrase(p, k)
    if found is not None:
        return found[0], found[1], RULE_CONFIDENCE["cue_after_quote"]
    if tags[k - 1] == "-" and m is not None and m.kind == "name" and (m.j + 1 == n or tags[m.j + 1] in ".,"):
        return m, None, RULE_CONFIDENCE["signature"]  # “...” — Jane Roe
    return None


def _lone_determiner(p: Paragraph, k: int) -> Mention | None:
    """ "one", "another" or "others" standing alone for a speaker before a cue verb
    (`“…,” another said`, `Another said: “…”`): an anonymous source."""
    if k >= len(p.toks) or p.toks.words[k].lower() not in LONE_SOURCES or _skip(p, k + 1) >= len(p.toks) \
            or p.tags[_skip(p, k + 1)] != "V":
        return None
    return description_at(p, k, k)


def _past_to(p: Paragraph, e: int) -> int:
    """The cue verb in "was quick to add", "went on to say" after a speaker, else `e`."""
    for x in range(e, min(e + 4, len(p.toks) - 1)):
        if p.toks.words[x] == "to":
            return x + 1 if p.tags[x + 1] == "V" and x > e else e
        if p.tags[x] not in "aKR":
            break
    return e


def _cue_in_sentence(p: Paragraph, q: int, lo: int, hi: int):
    """A cue in the quote's sentence, nearest first, left of the quote before right of it."""
    tags = p.tags
    for v in _cues_around(p, q, lo, hi):
        if tags[v] != "V":
            found = _source_phrase(p, v) or _claim_owner(p, v, lo)
            if found is not None:
                return found[0], found[1], RULE_CONFIDENCE["source_in_sentence"]
            continue
        m = _subject(p, v, lo, hi)
        if m is not None:
            adjacent = v == q - 1 or (v < q and tags[v + 1:q] in (",", ":"))  # Roe said: “…”
            if _is_writer(m) and not adjacent:
                continue  # "In the words of one resident I spoke with, “…”"
            return m, _cue_span(p, v), RULE_CONFIDENCE["cue_before_quote" if adjacent else "cue_in_sentence"]
    return None


def _cues_around(p: Paragraph, q: int, lo: int, hi: int) -> Iterator[int]:
    """The tokens of the sentence `lo..hi` that may be a cue for the quote at `q`, nearest
    first, left of it before right of it: a cue verb or the start of a source phrase,
    and on the left also a noun before "that" (Roe's claim that “…”).

    From the sentence's cue tokens, found once (`Paragraph.cues`), by binary search:
    looking at every token of the sentence for every quote made a long sentence with
    many quotes quadratic.
    """
    if lo not in p.cues:
        right = [v for v in range(lo, hi) if _may_cue(p, v)]
        # (The tag after a noun may be the next sentence's first: up to hi + 1.)
        nouns = [m.start() for m in _CLAIM_THAT_AT.finditer(p.tags, lo, hi + 1) if m.start() < hi]
        p.cues[lo] = right, sorted({*right, *nouns})
    right, left = p.cues[lo]
    for k in range(bisect_left(left, q) - 1, -1, -1):
        yield left[k]
    for k in range(bisect_right(right, q), len(right)):
        yield right[k]


def _claim_owner(p: Paragraph, v: int, lo: int) -> tuple[Mention, Span] | None:
    """The owner of a claim whose words follow: `Roe's claim that there were “…”`,
    `his warning that “…”`. The cue is the noun."""
    if p.toks.words[v].lower() not in CUE_NOUNS or p.toks.words[v + 1].lower() != "that":
        return None
    owner = v - 2 if v - 2 >= lo and p.tags[v - 1] == "'" else v - 1
    m = p.by_end.get(owner) if owner >= lo else None
    if m is None or not (_can_speak(m) or p.tags[m.i] == "P"):
        return None
    return m, _span(p, p.toks.starts[v], p.toks.ends[v])


def _after_colon(p: Paragraph, q: int, lo: int):
    """`Roe was blunt: “…”` -- no cue, but a colon after the sentence's subject -- or
    `More from Jane Roe: “…”`, a name right before the colon."""
    if q == lo or p.tags[q - 1] != ":":
        return None
    m = p.by_end.get(q - 2)
    if m is not None and m.kind == "name" and not m.organization:
        return m, None, RULE_CONFIDENCE["before_colon"]
    m = _opening_subject(p, lo, q)
    if m is not None and (m.kind != "description" or m.definite):  # not "A man was blunt:"
        return m, None, RULE_CONFIDENCE["before_colon"]
    return None


def _clause_subject(p: Paragraph, q: int, lo: int):
    """A partial quote with no cue: the subject of its sentence, as the one who used the
    words (`Roe dismissed the plan as “a fantasy”`, `In July, Roe branded it “a scam”`)."""
    m = _opening_subject(p, lo, q)
    return (m, None, RULE_CONFIDENCE["clause_subject"]) if m is not None else None


def _nearest_mention(p: Paragraph, q: int, lo: int):
    """A last resort for a quote nothing else attributes: the nearest mention that can
    speak before it in its sentence, with little confidence. A lone capitalised word
    ("Partial", "Eliminating") is too often no name at all to be taken here."""
    for k in range(q - 1, lo - 1, -1):
        m = p.by_end.get(k)
        lone = m is not None and m.kind == "name" and len(m.name) < 2 and not m.titles
        if m is not None and _can_speak(m) and not _is_writer(m) and not lone:
            return m, None, RULE_CONFIDENCE["nearest_mention"]
    return None


def _opening_subject(p: Paragraph, lo: int, limit: int) -> Mention | None:
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


def _open_subject_at(p: Paragraph, k: int, limit: int) -> Mention | None:
    """A description whose head is in no lexicon opening a clause at `k`, ended by what
    looks like its verb ("The piece used ...", "The article closes ...", "a ministry
    memo put it"; in "The main test is" the head is "test", not "main")."""
    tags, toks = p.tags, p.toks
    for j in range(k + 1, min(k + 5, limit - 1)):
        if _OPEN_SUBJECT.fullmatch(tags, k, j + 1) and (tags[j + 1] in "KV," or (tags[j + 1] == "a" and (
                toks.words[j + 1].endswith(_VERB_ENDINGS) or tags[j + 2:j + 3] in ("E", "D", "P")))):
            return description_at(p, k, j)  # "the actor held a ...": a verb before its object
    return None


def _past_partner(p: Paragraph, e: int) -> int:
    """Past "and his aides" after a subject ("Roe and his aides have ..."); else `e`.
    The first of the two is taken to speak for both."""
    if e + 1 < len(p.toks) and p.toks.words[e] == "and":
        partner = p.by_start.get(_skip(p, e + 1))
        if partner is not None and partner.kind != "pronoun":
            return partner.j + 1
    return e


def _from_context(p: Paragraph, q: int, lo: int, previous: Paragraph | None):
    """A quote with no cue of its own: the speaker of the sentence or quote before it."""
    n = p.sentence_of(lo)
    if n > 0:
        # The sentence before: the speaker of its last quote, else of its last cue
        # ("“…,” Obama said at the dinner, where Clinton also spoke. “…”" is Obama's).
        before_lo, before_hi = p.sentences[n - 1]
        # The writer ("“Okay,” I said. “I was seventeen ...”") carries on only from a quote
        # of their own, never from a sentence about them.
        quoted = p.attributed_in(before_lo, before_hi)
        if quoted:
            return quoted[-1].mention, quoted[-1].cue, RULE_CONFIDENCE["sentence_before"]
        found = _sentence_speaker(p, before_lo, before_hi)
        if found is not None and not _is_writer(found[0]):
            return found[0], found[1], RULE_CONFIDENCE["sentence_before"]
        m = _named_subject(p, before_lo, before_hi)
        if m is not None and not p.attributed:
            return m, None, RULE_CONFIDENCE["subject_before"]
    if p.attributed:
        a = p.attributed[-1][1]
        return a.mention, a.cue, RULE_CONFIDENCE["quote_before"]
    opens_paragraph = q == 0 or (q == 1 and p.tags[0] in "-p")
    if opens_paragraph and previous is not None and not any(_sentence_speaker(p, *s) for s in p.sentences):
        if previous.tags.endswith(":"):  # "..., as the website notes:" then the quote
            found = _sentence_speaker(previous, *previous.sentences[-1])
            if found is not None and not _is_writer(found[0]):
                return found[0], found[1], RULE_CONFIDENCE["paragraph_before_colon"]
            m = _opening_subject(previous, previous.sentences[-1][0], len(previous.toks) - 1)
            if m is not None:  # "Roe made the following comment:"
                return m, None, RULE_CONFIDENCE["paragraph_before_colon"]
        closing = _closing_speaker(previous)
        if closing is not None and (not _is_writer(closing[0]) or closing[2]):
            return closing[0], closing[1], RULE_CONFIDENCE["paragraph_before"]
        if closing is None:
            m = _named_subject(previous, *previous.sentences[-1])
            if m is not None:
                return m, None, RULE_CONFIDENCE["subject_paragraph_before"]
    return None


def _named_subject(p: Paragraph, lo: int, hi: int) -> Mention | None:
    """The subject of a sentence with no cue, when a name or he/she: a quote that follows
    with no cue of its own is most often that person's ("Roe is upbeat about the vote.
    “We will win.”")."""
    m = _opening_subject(p, lo, hi)
    if m is None or m.kind == "description" or _is_writer(m) or m.head in NEUTER_PRONOUNS:
        return None
    return m


def _closing_speaker(p: Paragraph) -> tuple[Mention, Span | None, bool] | None:
    """The last speaker a paragraph names: of its last attributed quote or last cue, and
    whether it was a quote's."""
    for lo, hi in reversed(p.sentences):
        quoted = p.attributed_in(lo, hi)
        if quoted:
            return quoted[-1].mention, quoted[-1].cue, True
        found = _sentence_speaker(p, lo, hi)
        if found is not None:
            return found[0], found[1], False
    return None


def _sentence_speaker(p: Paragraph, lo: int, hi: int) -> tuple[Mention, Span] | None:
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


def _may_cue(p: Paragraph, v: int) -> bool:
    """True when token `v` is a cue verb or may start a source phrase."""
    return p.tags[v] == "V" or p.toks.words[v].lower() in SOURCE_PHRASES


def _subject(p: Paragraph, v: int, lo: int, hi: int) -> Mention | None:
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
            before = tags.rfind("V", lo, j)
            return (before >= 0 and _subject(p, before, lo, hi)) or _opening_subject(p, lo, j)
        k = tags.rfind(",", lo, j)  # "Roe, who chairs the union, said"
        if k > lo:
            m = p.by_end.get(k - 1) or _modified_subject(p, k, lo)
            if m is not None and _can_speak(m):
                return m
    j = _past_aside(p, j, lo)
    if j > lo and toks.words[j].lower() in RELATIVES:
        return _relative(p, j, lo)
    if j == lo and toks.words[j].lower() in CLAUSE_OPENERS and toks.words[v].endswith("ing"):
        return _main_subject(p, v, hi)  # "After saying ..., she was ..."
    m = (p.by_end.get(j) or _modified_subject(p, j, lo) or _any_subject(p, j, lo)
         or (_lone_determiner(p, j) if j == lo or tags[j - 1] in ",.Q:" else None)) if j >= lo else None
    if m is not None and toks.words[v].endswith("ing") and m.i > lo and tags[m.i - 1] == "V":
        # "Roe emailed supporters saying ...": the object of a cue is not the one saying
        m = _subject(p, m.i - 1, lo, hi) or m
    elif m is not None and toks.words[v].endswith("ing") and m.kind == "description" and m.head in CUE_NOUNS:
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


def _reporting_subject(p: Paragraph, m: Mention, lo: int, hi: int) -> Mention | None:
    """The same pronoun as `m` as the sentence's subject, when `m` opens a clause inside
    the sentence: in "She said she recalls the colleague being “confused”" and "It is
    denouncing what it calls “…”" the speaker is named by the first pronoun, the
    subject of the whole sentence."""
    k = m.i - 1
    if k <= lo or not (p.tags[k] == "V" or p.toks.words[k].lower() in ("that", "what")):
        return None
    outer = _opening_subject(p, lo, m.i)
    return outer if outer is not None and outer.kind == "pronoun" and outer.head == m.head else None


def _main_subject(p: Paragraph, v: int, hi: int) -> Mention | None:
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


def _past_aside(p: Paragraph, j: int, lo: int) -> int:
    """Back past a short prepositional phrase ending at `j` between an auxiliary or "who"
    and its verb ("who has in the past described"), else `j`."""
    m = _ASIDE_PHRASE.search(p.tags, max(lo, j - 3), j + 1)
    if m is None or m.end() != j + 1 or m.start() <= lo:
        return j
    before = m.start() - 1
    if p.tags[before] == "K" or p.toks.words[before].lower() in RELATIVES:
        return _skip_back(p, before, lo)
    return j


def _relative(p: Paragraph, j: int, lo: int) -> Mention | None:
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


def _modified_subject(p: Paragraph, j: int, lo: int) -> Mention | None:
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


def _any_description(p: Paragraph, e: int) -> Mention | None:
    """A description whose head is in no lexicon, where only a speaker can stand
    ("according to a local fisherman"): determiner, up to three words, head."""
    m = _OPEN_DESCRIPTION.match(p.tags, e)
    return description_at(p, m.start(), m.end() - 1) if m else None


def _any_subject(p: Paragraph, j: int, lo: int) -> Mention | None:
    """A description whose head is in no lexicon, ending at token `j` before a cue verb
    ("the announcer said", "the ad's narrator says", "the letter reads")."""
    for i in range(j - 1, max(lo, j - 4) - 1, -1):
        if _OPEN_SUBJECT.fullmatch(p.tags, i, j + 1):
            if i - 1 > lo and p.tags[i - 1] in "Ro":
                # the object of a preposition ("a narrator in the ad", "familiar with the
                # matter"): the subject is the description before it, if any
                return _any_subject(p, i - 2, lo)
            return description_at(p, i, j)
    author = p.by_end.get(j - 2)
    if j - 2 >= lo and _AUTHORED.fullmatch(p.tags, j - 2, j + 1) and author is not None \
            and author.kind == "name" and p.toks.words[j].lower() in DOCUMENTS:
        m = description_at(p, author.i, j)
        m.ref = author  # the brief speaks for its author
        return m
    return None


def _source_phrase(p: Paragraph, k: int) -> tuple[Mention, Span] | None:
    """A source phrase starting at token `k` ("according to Roe", "in her own words")."""
    toks, n = p.toks, len(p.toks)
    for before, after in SOURCE_PHRASES.get(toks.words[k].lower(), ()):
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


def _after_modifiers(p: Paragraph, e: int) -> Mention | None:
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
    return m.kind != "pronoun" or m.head in SUBJECT_PRONOUNS or m.head in WRITER or m.ref is not None


def _is_writer(m: Mention) -> bool:
    """I or we: a speaker only when its cue stands right before or after the quote
    (`I said, “…”`, `“…,” we were told`), never by context."""
    return m.kind == "pronoun" and m.head in WRITER


def _skip(p: Paragraph, e: int) -> int:
    """The first token from `e` on that is not a skip word or -ly adverb."""
    n = len(p.toks)
    while e < n and (p.tags[e] == "K" or (p.tags[e] == "a" and p.toks.words[e].endswith("ly"))):
        e += 1
    return e


def _skip_back(p: Paragraph, j: int, lo: int) -> int:
    """The last token up to `j` that is not a skip word, -ly adverb, "on <weekday>" or "in <year>"."""
    while j >= lo and (p.tags[j] == "K" or (p.tags[j] == "a" and p.toks.words[j].endswith("ly"))
                       or (p.tags[j] == "R" and j + 1 < len(p.tags) and p.tags[j + 1] in "K#")
                       or (p.tags[j] == "#" and j > lo and p.tags[j - 1] == "R")):
        j -= 1
    return j


def _skip_apposition(p: Paragraph, e: int) -> int:
    """Past ", the union's president,", ", a member of the panel,", ", Per Holm," or
    ", 54," after a mention; else `e`."""
    tags, n = p.tags, len(p.toks)
    if e + 2 < n and tags[e] == ",":
        if tags[e + 1] == "#" and tags[e + 2] == ",":
            return e + 3
        aside = tags.find(",", e + 1, min(n, e + 5))
        if aside > 0 and _ASIDE.fullmatch(tags, e + 1, aside):  # ", in particular,", ", too,"
            return aside + 1
        if p.toks.words[e + 1].lower() in RELATIVES:  # ", who lost the primary to Roe,"
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


def _cue_end(p: Paragraph, v: int) -> int:
    """One past the last token of the cue starting at `v` (a cue phrase has several)."""
    e = v + 1
    while e < len(p.toks) and p.tags[e] == "v":
        e += 1
    return e


def _cue_span(p: Paragraph, v: int) -> Span:
    return _span(p, p.toks.starts[v], p.toks.ends[_cue_end(p, v) - 1])


def _span(p: Paragraph, start: int, end: int) -> Span:
    return Span(p.text[start:end], start, end)


