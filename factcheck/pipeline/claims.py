"""Claims: which sentences (or clauses) of an article state a checkable fact.

`find_claims` cuts an article into statements and has each judged by the
check-worthiness model (`checkworthy.assess`): a statement is reported as a claim when
it states a fact at all (`Assessment.claim`: the cues' rules and the model together), and
marked check-worthy when the model says a fact-checker should look at it. Only check-worthy
claims reach the review queue; the others stay visible in the article's own view.

Quotations (four words or more inside quotation marks) belong to the quote extractor, so
they are cut out first. What remains of each sentence is cut into clauses (at ";", dashes,
and ", " before a dependent clause such as ", trying to ..."), and each run of neighbouring
clauses that are claims is reported as one claim. A factual sentence is thus reported
whole, and a fact followed by commentary is reported without the commentary.

A claim is a whole statement, never a fragment of an attribution: the clause beside a
quotation that holds a cue ("“…,” Roe said on Friday", "Roe told reporters: “…”") is
the quotation's frame and is left out; a clause without its own subject ("whose city
has ...", "who told members that ...") takes in the clause before it, or, after a frame,
keeps only what its cue reports. The cues are the attribution package's
(attribution/frames.py). Headlines and captions are not claims, and a claim's kinds are
not read from look-alike phrases ("declined to take sides" is no comparison).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from factcheck.pipeline.attribution import is_headline
from factcheck.pipeline.attribution.frames import has_cue, opens_inside, reported_start
from factcheck.pipeline.checkworthy import assess, logistic
from factcheck.pipeline.claim_cues import KINDS, at_least_words, phrases, read_cues, rules
from factcheck.pipeline.lexicons.attribution import RELATIVES
from factcheck.pipeline.records import Claim
from factcheck.pipeline.text.sentences import split_sentences
from factcheck.pipeline.text.tokens import COUNTED_WORD

# The share of `find_claims`' judgement (`logistic(Assessment.claim)`) from which a
# statement is reported as a claim.
DEFAULT_THRESHOLD = 0.5

# A quotation of fewer words is a scare quote or a title and stays part of the sentence.
_MIN_QUOTATION_WORDS = 4
# Clauses shorter than this ("often untold", "according to officials") join a neighbour.
_MIN_CLAUSE_WORDS = 3


_QUOTATION_WORDS = at_least_words(_MIN_QUOTATION_WORDS)
_CLAUSE_WORDS = at_least_words(_MIN_CLAUSE_WORDS)
# Each pattern opens with the break's own character, so the regex engine skips straight to
# candidates. The white space around a break is trimmed from the clauses afterwards.
_CLAUSE_BREAK = re.compile(
    r"[;—,–-](?:"
    r"(?<=[;—])"  # semicolons and em dashes
    r"|(?<=\s[–-])-?(?=\s)"  # spaced en dashes and hyphens used as dashes
    r"|(?<=,)(?="
    r"\s+(?:" + phrases("claims_clause_openers") + r")\b"  # ", which", ", but"
    r"|\s+(?!(?:" + phrases("claims_not_participles") + r")\b)[a-z]+ing\b"  # ", trying to"
    r"|\s+[a-z]+ed\s+by\b))"  # ", marked by"
)
# Punctuation left at the edges of a clause once the text around it is cut away.
_EDGE_PUNCTUATION = " \t\r\n,;:—–-"


def find_claims(text: str, threshold: float | None = None) -> list[Claim]:
    """The sentences or clauses of `text` that score at or above `threshold`, in text order.

    `threshold` defaults to DEFAULT_THRESHOLD. Offsets index `text`; quoted words are
    never part of a claim, nor is the frame that attributes them (`_without_frames`), and
    headlines and captions are not claims (`_is_heading`).
    """
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    quotations = _quotations(text)
    quotation_ends = [e for _, e in quotations]
    claims = []
    for start, end in split_sentences(text):
        if _is_heading(text, start, end):
            continue
        for part_start, part_end in _outside(quotations, quotation_ends, start, end):
            clauses = _clauses(text, part_start, part_end)
            # A stretch that does not reach the sentence's edge stops at a quotation.
            after_quotation, before_quotation = part_start > start, part_end < end
            clauses = _without_frames(text, clauses, after_quotation, before_quotation, part_end)
            claims.extend(_claims_in_clauses(text, clauses, threshold))
    return claims


def _is_heading(text: str, start: int, end: int) -> bool:
    """True for a line that is not the article's prose: a headline or a caption.

    That is a whole line without final punctuation, a Title Case line (a headline even
    with a full stop), or a line opened by a caption's label ("Photo: ...", "Pictured:
    ..."). A headline compresses what the article's first sentences state in full, and
    those sentences are the claims to report; a caption describes a picture.
    """
    if text[start - 1:start] not in ("", "\n") or text[end:end + 1] not in ("", "\n"):
        return False  # a sentence of a paragraph
    line = text[start:end]
    return line[-1] not in ".!?…\"”’'" or is_headline(line, first=True) or _CAPTION_LABEL.match(line) is not None


# "Photo:", "(Pictured)", "File photo |": the label of a caption line.
_CAPTION_LABEL = re.compile(r"[(\[]?(?:" + phrases("claims_caption_labels") + r")\b\s*[:)\]|]", re.IGNORECASE)


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quotations, quotation marks included, of at least _MIN_QUOTATION_WORDS words.

    Curly marks pair as opened and closed; straight double quotes alternate. A quotation
    still open at the end of a paragraph runs to the end of it (the newsroom convention
    for quotes that continue in the next paragraph).
    """
    spans = []
    opened = None
    for mark in _QUOTATION_MARK.finditer(text):
        ch, at = mark.group(), mark.start()
        if ch == "\n":
            if opened is not None:
                spans.append((opened, at))
            opened = None
        elif opened is None and ch in "“\"«":
            opened = at
        elif opened is not None and ch in "”\"»":
            spans.append((opened, at + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return [(s, e) for s, e in spans if _QUOTATION_WORDS.match(text, s, e)]


_QUOTATION_MARK = re.compile("[“”\"«»\n]")


def _outside(spans: list[tuple[int, int]], ends: list[int], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of `start..end` that no span in `spans` covers.

    `spans` are in text order and do not overlap, so their ends (`ends`) are in order
    too: a binary search finds the first span that can reach past `start`, and the loop
    stops at the first that starts past `end` -- looking at every span for every
    sentence made a long article's claims quadratic in its length.
    """
    for k in range(bisect_right(ends, start), len(spans)):
        s, e = spans[k]
        if s >= end:
            break
        if s > start:
            yield start, s
        start = max(start, e)
    if start < end:
        yield start, end


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of `text[start:end]`, edge punctuation trimmed, short ones joined."""
    breaks = list(_CLAUSE_BREAK.finditer(text, start, end))
    if not breaks:
        start, end = _trim(text, start, end)  # one clause: most sentences
        return [(start, end)] if COUNTED_WORD.search(text, start, end) else []
    pieces, at = [], start
    for m in breaks:
        pieces.append(_trim(text, at, m.start()))
        at = m.end()
    pieces.append(_trim(text, at, end))
    clauses: list[tuple[int, int]] = []
    # Each clause's word count (counts add up: breaks are not words), where any count from
    # _MIN_CLAUSE_WORDS up is as good as the exact one.
    words: list[int] = []
    for s, e in pieces:
        n = _MIN_CLAUSE_WORDS if _CLAUSE_WORDS.match(text, s, e) else len(COUNTED_WORD.findall(text, s, e))
        if not n:
            continue
        # A short piece joins the clause before it ("the stories—often untold"), and a
        # short opening piece joins the one after it ("In 2019, the plant ...").
        if clauses and min(n, words[-1]) < _MIN_CLAUSE_WORDS:
            clauses[-1] = (clauses[-1][0], e)
            words[-1] += n
        else:
            clauses.append((s, e))
            words.append(n)
    return clauses


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` without white space and clause punctuation at its edges."""
    piece = text[start:end]
    kept = piece.lstrip(_EDGE_PUNCTUATION)
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_EDGE_PUNCTUATION))


def _without_frames(text: str, clauses: list[tuple[int, int]], after_quotation: bool,
                    before_quotation: bool, end: int) -> list[tuple[int, int] | None]:
    """The clauses of a stretch of a sentence (ending at `end`), less the frame of a
    quotation beside it.

    The clause that touches a quotation and holds an attribution cue reports it ("“…,”
    Roe said on Friday", "said Jane Roe, a pharmacist", "Roe told reporters: “…”"): it is
    the quotation's frame, a fragment without it. Only what its cue reports after "that"
    may stay, as a clause of its own, unless it runs into the quotation ("Roe said that
    the minister was “…”"; a colon ends it). The rest is left out, as None, so that the
    clause after it knows what it followed.
    """
    kept: list[tuple[int, int] | None] = list(clauses)
    if not kept:
        return kept
    if after_quotation and has_cue(text, *clauses[0]):
        runs_in = before_quotation and len(clauses) == 1 and not _ends_at_colon(text, clauses[0][1], end)
        kept[0] = None if runs_in else _reported(text, *clauses[0])
    if before_quotation and kept[-1] is not None and has_cue(text, *clauses[-1]):
        kept[-1] = _reported(text, *clauses[-1]) if _ends_at_colon(text, clauses[-1][1], end) else None
    return kept


def _ends_at_colon(text: str, clause_end: int, end: int) -> bool:
    """Whether a colon ends the clause before the quotation at `end` ("... said: “…”")."""
    return text[clause_end:end].strip().startswith(":")


def _reported(text: str, start: int, end: int) -> tuple[int, int] | None:
    """What a cue in the clause `start..end` reports after "that", as a clause, or None."""
    at = reported_start(text, start, end)
    return (at, end) if at is not None and COUNTED_WORD.search(text, at, end) else None


# A clause opened by a relative pronoun tells of a noun in the clause before it.
_RELATIVE_PRONOUNS = RELATIVES | frozenset(("whom", "whose"))


def _lacks_subject(text: str, start: int, end: int) -> bool:
    """True for a clause whose subject stands in the clause before it: one opened by a
    relative pronoun ("whose city has offered ...") or by a cue ("adding that ...",
    "who told members that ...")."""
    first = COUNTED_WORD.search(text, start, end)
    return (first is not None and first.group().lower() in _RELATIVE_PRONOUNS) or opens_inside(text, start, end)


def _claims_in_clauses(text: str, clauses: list[tuple[int, int] | None], threshold: float) -> list[Claim]:
    """One claim per run of neighbouring clauses that are each a claim; a left-out frame
    (None) ends a run, and a run never opens with a clause that lacks its subject
    (`_with_subject`)."""
    claims: list[Claim] = []
    joined = False  # whether the previous clause was a claim, so this one extends it
    previous: tuple[int, int] | None = None  # the clause before this one, unless a frame
    for clause in clauses:
        before, previous = previous, clause
        claim = None if clause is None else _judged(text, *clause, threshold)
        if claim is None:
            joined = False
        elif joined:
            claims[-1] = _joined(text, claims[-1], claim)
        elif not _lacks_subject(text, claim.start, claim.end) or (claim := _with_subject(text, before, claim, threshold)):
            claims.append(claim)
            joined = True
    return claims


def _judged(text: str, start: int, end: int, threshold: float) -> Claim | None:
    """The claim `text[start:end]` states, or None when it states none."""
    judged = assess(text[start:end])
    if logistic(judged.claim) < threshold:
        return None
    return Claim(text[start:end], start, end, judged.score, _visible_kinds(text[start:end], judged.kinds), judged.checkworthy)


def _joined(text: str, first: Claim, second: Claim) -> Claim:
    """One claim of two neighbouring ones: check-worthy when either is."""
    kinds = [k for k in KINDS if k in first.kinds or k in second.kinds]
    return Claim(text[first.start:second.end], first.start, second.end, max(first.score, second.score), kinds,
                 first.checkworthy or second.checkworthy)


def _with_subject(text: str, before: tuple[int, int] | None, claim: Claim, threshold: float) -> Claim | None:
    """A whole claim from one that lacks its subject, or None.

    It takes in the clause before it, where its subject is ("Mayor Roe, whose city has
    offered $1 million, said ..."). After a quotation's frame (`before` None) only what a
    cue in it reports after "that" can stand alone ("said Roe, who told members that
    <water inflows had tripled>"), if it is a claim by itself.
    """
    if before is not None:
        earlier = _visible_kinds(text[before[0]:before[1]], assess(text[before[0]:before[1]]).kinds)
        kinds = [k for k in KINDS if k in claim.kinds or k in earlier]
        return Claim(text[before[0]:claim.end], before[0], claim.end, claim.score, kinds, claim.checkworthy)
    reported = reported_start(text, claim.start, claim.end)
    return None if reported is None else _judged(text, reported, claim.end, threshold)


# A look-alike phrase, unless a number follows it ("declined to 300" is a fall).
_LOOKALIKE = re.compile(r"\b(?:" + phrases("claims_lookalikes") + r")\b(?!\s*[$£€\d])", re.IGNORECASE)


def _visible_kinds(text: str, kinds: list[str]) -> list[str]:
    """`kinds` less those that only a look-alike phrase gave (claims_lookalikes.txt).

    The scorer reads the phrases as they are, as its model was trained; the kinds shown
    as the claim's reasons are read again with the phrases blanked out.
    """
    if not kinds or _LOOKALIKE.search(text) is None:
        return kinds
    still = rules(read_cues(_LOOKALIKE.sub(lambda m: " " * len(m.group()), text))).kinds
    return [k for k in kinds if k in still]
