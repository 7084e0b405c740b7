"""Matching quotes against known statements (claims: `claim_matching`).

`compare(quote, statement)` says how one quote differs from one statement:

- `exact`: the quote is the statement or a contiguous part of it, once case, quotation
  marks, dashes and white space are folded (`normalize`); quotation marks inside the
  statement that the quote leaves out are folded away too;
- `minor`: only punctuation, spelling slips or contractions differ;
- `elided`: the quote joins parts of the statement in order and marks each gap with an
  ellipsis ("...", "…", "[...]");
- `altered`: any change of content (a changed, added, dropped or reordered word, number
  or negation, or a gap left unmarked), however similar the rest is;
- `none`: the quote does not come from this statement.

How it works: `diffing.place` finds the stretch of the statement the quote comes
from. The quote is cut at its ellipses into segments; each is placed with rapidfuzz's
partial-ratio alignment, refined word by word with the C Indel distance, and quote
words left over at a segment's edges may be found elsewhere in the statement (an
unmarked splice or a reordering). The quote is then diffed word by word against the
stretch its pieces cover, and every change in that diff is explained (`reasons`) and
labelled; the worst change decides.

`match_quote` runs `compare` against the candidates an index retrieved (and, for a quote
no single candidate holds whole, against runs of consecutive statements of one source
document, joined), adds the `misattributed` and `earlier` flags and ranks the matches.
"""
from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from ..domain import QuoteLabel
from .diffing import (
    MIN_COVERAGE,
    Op,
    Piece,
    Token,
    as_tuples,
    as_written,
    content_words,
    coverage,
    diff_pieces,
    diff_tokens,
    join,
    place,
    quote_tokens,
    tokenize,
    word_diff,
)
from .records import Match, MatchResult, Statement
from .text.folding import expanded_forms, is_negation, letters, normalize, strip_punctuation
from .text.names import same_person
from .text.numbers import number_of, numbers_in
from .text.stopwords import STOPWORDS

__all__ = [
    "LABELS",
    "MATCHER_VERSION",
    "Comparison",
    "compare",
    "match_quote",
    "normalize",
    "same_person",
    "word_diff",
]

# Stored with each match so that a better matcher can re-run over old quotes.
MATCHER_VERSION = "1"

# Quote labels (domain.QuoteLabel), best first, as plain strings. "none" is not a match and
# never appears in a result's matches.
LABELS = tuple(label.value for label in QuoteLabel if label is not QuoteLabel.NONE)

# A quote of fewer words is too common to attribute ("freedom", "blank check" occur in
# countless statements): it matches only a statement of those very words.
MIN_WORDS = 3
# (Two more thresholds live with the placement code in diffing.py: a quote is `none`
# for a statement when under MIN_COVERAGE, 60%, of its content words are found there;
# quote words left over at a segment's edge are looked for elsewhere in the statement
# from MIN_PIECE, three, words on.)
# A run of this many statement words dropped between two matching parts is reported as
# a gap left unmarked, not merely as dropped words.
UNMARKED_GAP = 4
# How many candidates, best pre-scored first, get the detailed comparison...
SHORTLIST = 10
# ...among those pre-scoring within this many points of the best (a quote found whole in
# one statement need not be compared in detail with statements that hold a few of its words).
SHORTLIST_MARGIN = 30.0
# Candidates dated inside the window are also compared in detail from this pre-score on,
# so that an `earlier` flag is not raised for want of looking at a closer statement.
NEAR_PRESCORE = 50.0

# Number agreement: a claim and a statement that state numbers and share one are more
# likely the same claim; stating only different numbers, less likely.
SAME_NUMBER_BONUS = 5.0
OTHER_NUMBER_PENALTY = 10.0


@dataclass
class Comparison:
    """How a quote compares with one statement.

    `score` (0-100) is the character similarity of the quote to the words of the
    statement it was taken from (marked gaps left out); 100 for `exact`. `diff` runs
    from the statement's aligned stretch to the quote (see `word_diff`). `reasons`
    explain each difference in words a reviewer can check ("number changed: 20,000 →
    2,000"); an exact match says so, and `none` says why not. `written` has the quote's
    words of each diff op as the quote writes them (`as_written`); `stretch` is the range of
    statement tokens (`tokenize`) the quote was found in, None for `none`; `ops` is the
    diff with its tokens (those of the statement are the very tokens it was given).
    """

    score: float
    label: str
    diff: list[tuple[str, ...]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    stretch: tuple[int, int] | None = None
    ops: list[Op] = field(default_factory=list, repr=False, compare=False)


# --- comparing one quote with one statement ---------------------------------------


def compare(quote: str, statement: str) -> Comparison:
    """Compare a quote with one statement: label, score, word diff and reasons."""
    return _compare_tokens(quote_tokens(quote), tokenize(statement))


def _compare_tokens(q: list[Token], s: list[Token]) -> Comparison:
    words = [t for t in q if t.is_word]
    s_words = [t for t in s if t.is_word]
    if not words:
        return _no_match("the quote has no words")
    if not s_words:
        return _no_match("the statement has no words")
    if len(words) < MIN_WORDS and [t.key for t in words] != [t.key for t in s_words]:
        return _no_match(f"too short to attribute: under {MIN_WORDS} words, and not the whole statement")
    if len(content_words(q)) > 2 * len(s_words):
        return _no_match("the quote is more than twice as long as the statement")

    pieces = place(q, s)
    if coverage(q, set().union(*(p.matched for p in pieces))) < MIN_COVERAGE:
        return _no_match(f"under {MIN_COVERAGE:.0%} of the quote's content words are found in the statement")

    stretch = (min(p.s_start for p in pieces), max(p.s_end for p in pieces))
    moved = _moved_pieces(q, pieces)
    if not moved:
        ops = diff_pieces(q, s, pieces)
        label, reasons = _explain(ops)
    else:
        # No edit script of one stretch can show a move; diff the whole stretch the
        # pieces cover, but explain each piece against its own window, then the move.
        ops = diff_tokens(s[stretch[0] : stretch[1]], q)
        label = "altered"
        reasons = [r for p in pieces for r in _explain(_piece_diff(q, s, p))[1]] + moved
    if label == "exact":
        return Comparison(100.0, label, as_tuples(ops), ["word for word in the statement"], as_written(ops), stretch,
                          ops)
    return Comparison(round(_similarity(ops), 1), label, as_tuples(ops), reasons, as_written(ops), stretch, ops)


def _no_match(reason: str) -> Comparison:
    return Comparison(0.0, "none", [], [reason])


def _piece_diff(q: list[Token], s: list[Token], piece: Piece) -> list[Op]:
    return diff_tokens(s[piece.s_start : piece.s_end], q[piece.q_start : piece.q_end])


def _moved_pieces(q: list[Token], pieces: list[Piece]) -> list[str]:
    """Reasons for pieces (in quote order) that start before the previous piece ends in
    the statement: moved, or repeated."""
    reasons = []
    for before, piece in zip(pieces, pieces[1:]):
        if piece.s_start >= before.s_end:
            continue
        words = _shorten(join(q[piece.q_start : piece.q_end]))
        previous = _shorten(join(q[before.q_start : before.q_end]))
        if piece.s_end <= before.s_start:
            reasons.append(f"reordered: '{words}' comes before '{previous}' in the statement")
        else:
            reasons.append(f"repeated: '{words}'")
    return reasons


# --- explaining the differences -------------------------------------------------


def _explain(ops: list[Op]) -> tuple[str, list[str]]:
    """The label and the reasons for a word diff: the worst change decides the label."""
    label, reasons = "exact", []
    for i, op in enumerate(ops):
        if op.tag == "equal":
            continue
        between = 0 < i < len(ops) - 1
        kind, reason = _explain_change(op, between)
        reasons.append(reason)
        if LABELS.index(kind) > LABELS.index(label):
            label = kind
    return label, reasons


def _explain_change(op: Op, between: bool) -> tuple[str, str]:
    """Label and explain one changed run of words, most telling explanation first."""
    was, now = join(op.s), join(op.q)
    if any(t.marker for t in op.q):
        return _explain_gap(op)
    dropped = sum(t.is_word for t in op.s)
    if op.tag == "delete" and between and dropped >= UNMARKED_GAP:
        return "altered", f"dropped {dropped} words without marking the gap: '{_shorten(was)}'"
    if letters(" ".join(t.norm for t in op.s)) == letters(" ".join(t.norm for t in op.q)):
        return "minor", f"punctuation: '{was}' → '{now}'" if was and now else f"punctuation: '{was or now}'"
    s_keys = [t.key for t in op.s if t.key]
    q_keys = [t.key for t in op.q if t.key]
    if s_keys and q_keys and expanded_forms(s_keys) & expanded_forms(q_keys):
        return "minor", f"contraction: '{was}' → '{now}'"
    number_reason = _explain_numbers(op, s_keys, q_keys)
    if number_reason:
        return number_reason
    negation = _explain_negation(s_keys, q_keys, was, now)
    if negation:
        return "altered", negation
    if len(s_keys) == len(q_keys) == 1 and _is_spelling_slip(s_keys[0], q_keys[0]):
        return "minor", f"spelling: '{was}' → '{now}'"
    return "altered", _word_change(op, was, now)


def _explain_gap(op: Op) -> tuple[str, str]:
    # The quote put an ellipsis here. The gap is clean when every other quote word of
    # the run is one of the statement words it stands for, in order.
    marker = next(t.text for t in op.q if t.marker)
    words = [t for t in op.q if t.is_word]
    left_out = iter(t.key for t in op.s)
    if not all(t.key in left_out for t in words):
        added = _shorten(join([t for t in op.q if not t.marker]))
        return "altered", f"words added at a marked gap ({marker}): '{added}'"
    if not op.s:
        return "minor", f"ellipsis ({marker}) where nothing is left out"
    warning = ", including a negation" if any(is_negation(t.key) for t in op.s) else ""
    return "elided", f"joined two parts with a marked gap ({marker}), leaving out '{_shorten(join(op.s))}'{warning}"


def _explain_numbers(op: Op, s_keys: list[str], q_keys: list[str]) -> tuple[str, str] | None:
    was_numbers, now_numbers = numbers_in(s_keys), numbers_in(q_keys)
    if not was_numbers and not now_numbers:
        return None
    was, now = _number_words(op.s), _number_words(op.q)
    if was_numbers != now_numbers:
        if was and now:
            return "altered", f"number changed: {was} → {now}"
        return "altered", f"number dropped: {was}" if was else f"number added: {now}"
    if _without_numbers(s_keys) == _without_numbers(q_keys):
        return "minor", f"number written differently: {was} → {now}"
    return None


def _number_words(tokens: list[Token]) -> str:
    return " ".join(strip_punctuation(t.text) for t in tokens if number_of(t.key))


def _without_numbers(keys: list[str]) -> list[str]:
    return [k for k in keys if number_of(k) is None]


def _explain_negation(s_keys: list[str], q_keys: list[str], was: str, now: str) -> str | None:
    before = sum(map(is_negation, s_keys))
    after = sum(map(is_negation, q_keys))
    if before == after:
        return None
    change = "dropped" if before > after else "added"
    shown = f"'{was}' → '{now}'" if was and now else f"'{was or now}'"
    return f"negation {change}: {shown}"


def _is_spelling_slip(a: str, b: str) -> bool:
    """A likely slip rather than another word: one edit (or two swapped letters) in a word
    of five letters or more, not on the first letter ("recieve", "goverment").

    Short words are left out because one letter turns them into other words ("may",
    "way"); the first letter because slips rarely touch it ("million", "billion").
    """
    return (
        a.isalpha()
        and b.isalpha()
        and min(len(a), len(b)) >= 5
        and a[0] == b[0]
        and OSA.distance(a, b) == 1
    )


def _word_change(op: Op, was: str, now: str) -> str:
    plural = "s" if max(len(op.s), len(op.q)) > 1 else ""
    if op.tag == "replace":
        return f"word{plural} changed: '{_shorten(was)}' → '{_shorten(now)}'"
    if op.tag == "delete":
        return f"word{plural} dropped: '{_shorten(was)}'"
    return f"word{plural} added: '{_shorten(now)}'"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _similarity(ops: list[Op]) -> float:
    """Character similarity of the quote to the statement words it stands for.

    Marked gaps are left out on both sides: an honest ellipsis is not a difference in
    wording. Unmarked gaps stay in and lower the score.
    """
    was, now = [], []
    for op in ops:
        if op.tag != "equal" and any(t.marker for t in op.q):
            continue
        was.extend(t.norm for t in op.s)
        now.extend(t.norm for t in op.q if not t.marker)
    return fuzz.ratio(" ".join(was), " ".join(now))


# --- matching a quote against candidates -----------------------------------------


def match_quote(
    text: str,
    candidates: Iterable[Statement],
    *,
    speaker: str | None = None,
    date: datetime.date | None = None,
    window_days: int = 30,
    limit: int = 5,
    same_speaker: Callable[[str, str], bool] | None = None,
    around: Callable[[list[Statement]], list[list[Statement]]] | None = None,
) -> MatchResult:
    """Match a quote against candidate statements (already retrieved by an index).

    Returns the matches best first (exact > minor > elided > altered, then by score, then,
    for a statement issued more than once, the issue nearest `date`; candidates that do
    not match are left out), at most `limit` of them; the result's
    label is the best match's, or "none".

    With `speaker`, a match whose statement has another speaker is flagged
    `misattributed` (`same_speaker(quote_speaker, statement_speaker)` decides, by
    default `same_person`). With `date`, a match whose statement predates it by more
    than `window_days` is flagged `earlier`, unless another matching statement lies
    within `window_days` of that date.

    A quote may also span consecutive statements of one source document (a statement
    imported one sentence a record). When no single candidate holds the quote whole
    (`exact`, `minor` or `elided`) and `around` is given, `around(statements)` gives the
    runs of consecutive statements around the shortlisted ones (each run in document
    order, one speaker's), and the quote is compared with each run's joined text
    (`_run_matches`).
    """
    statements = list(candidates)
    q = quote_tokens(text)
    matches = []
    shortlist = _shortlist(text, statements, date, window_days)
    for statement in shortlist:
        found = _compare_tokens(q, tokenize(statement.text))
        if found.label != "none":
            matches.append(_match(statement, found))
    if around is not None and shortlist and not any(m.label in WHOLE for m in matches):
        matches = _run_matches(q, matches, around(shortlist))
    if speaker:
        _flag_misattributed(matches, speaker, same_speaker or same_person)
    if date:
        _flag_earlier(matches, date, window_days)
    matches.sort(key=lambda m: _quote_rank(m, date))
    return MatchResult(matches[0].label if matches else "none", matches[:limit])


def _match(statement: Statement, found: Comparison, run: list[Statement] | None = None) -> Match:
    return Match(statement, found.score, found.label, diff=found.diff, reasons=found.reasons,
                 run=run or [], written=found.written)


# Labels of a quote found whole in one statement: no run of statements is tried then.
WHOLE = ("exact", "minor", "elided")


def _run_matches(q: list[Token], matches: list[Match], runs: list[list[Statement]]) -> list[Match]:
    """`matches` plus the quote's matches on parts of `runs` that span two statements or more.

    The quote is compared with each run's joined text; the statements its stretch
    touches (from the first quoted word to the last, a skipped statement of an elided
    quote included) are the match's `run`. Each statement of the run must hold its share
    of the quote as a statement on its own would (`_each_part_quoted`): otherwise the run
    only lent a neighbour's template words to a quote of something else. A single
    statement's match gives way to a run holding it that ranks better.
    """
    found_runs: dict[tuple, Match] = {}
    for run in runs:
        if len(run) < 2:
            continue
        tokens: list[Token] = []
        owners: list[int] = []
        for i, statement in enumerate(run):
            words = tokenize(statement.text)
            tokens.extend(words)
            owners.extend([i] * len(words))
        found = _compare_tokens(q, tokens)
        if found.label == "none":
            continue
        first, last = owners[found.stretch[0]], owners[found.stretch[1] - 1]
        if first == last:
            continue  # within one statement: compared on its own already
        if not _each_part_quoted(found.ops, {id(t): i for t, i in zip(tokens, owners)}):
            continue
        parts = run[first : last + 1]
        found_runs.setdefault(tuple(parts), _match(parts[0], found, run=parts))
    spans = sorted(found_runs.values(), key=_quote_rank)
    kept = [m for m in matches if not any(m.statement in r.run and _quote_rank(r) < _quote_rank(m) for r in spans)]
    return kept + spans


def _each_part_quoted(ops: list[Op], owner: dict[int, int]) -> bool:
    """Whether, in a run's diff, each statement the quote touches outside its marked gaps
    has at least MIN_COVERAGE of those content words quoted unchanged (`owner` maps a
    token's id to its statement's place in the run). A statement wholly under an
    ellipsis is skipped over, not quoted."""
    kept: Counter = Counter()
    seen: Counter = Counter()
    for op in ops:
        if op.tag != "equal" and any(t.marker for t in op.q):
            continue
        for token in op.s:
            if token.is_word and token.key not in STOPWORDS:
                seen[owner[id(token)]] += 1
                kept[owner[id(token)]] += op.tag == "equal"
    return all(kept[part] >= MIN_COVERAGE * n for part, n in seen.items())


def _shortlist(
    text: str, statements: list[Statement], date: datetime.date | None, window_days: int
) -> list[Statement]:
    """The candidates worth a detailed comparison.

    A character-level partial ratio (rapidfuzz, in C) pre-scores every candidate; the
    SHORTLIST best go on (those within SHORTLIST_MARGIN of the best), and, when the quote has a date, so does any candidate dated
    near it that pre-scores NEAR_PRESCORE or more (it may clear an `earlier` flag).
    """
    folded = normalize(text)
    prescores = [fuzz.partial_ratio(folded, normalize(st.text)) for st in statements]
    ranked = sorted(range(len(statements)), key=lambda i: -prescores[i])
    floor = prescores[ranked[0]] - SHORTLIST_MARGIN if ranked else 0.0
    keep = {i for i in ranked[:SHORTLIST] if prescores[i] >= floor}
    if date:
        keep.update(
            i
            for i in ranked[SHORTLIST:]
            if prescores[i] >= NEAR_PRESCORE and _near(statements[i].date, date, window_days)
        )
    return [statements[i] for i in sorted(keep)]


def _days_apart(said: datetime.date | None, quoted: datetime.date) -> int | None:
    """How many days before the quote's date the statement was made (None if undated)."""
    return None if said is None else (quoted - said).days


def _near(said: datetime.date | None, quoted: datetime.date, window_days: int) -> bool:
    days = _days_apart(said, quoted)
    return days is not None and abs(days) <= window_days


def _flag_misattributed(matches: list[Match], speaker: str, same: Callable[[str, str], bool]) -> None:
    for match in matches:
        other = match.statement.speaker
        if other and not same(speaker, other):
            match.flags.append("misattributed")
            match.reasons.append(f"misattributed: the statement is by {other}, the quote is attributed to {speaker}")


def _flag_earlier(matches: list[Match], date: datetime.date, window_days: int) -> None:
    if any(_near(m.statement.date, date, window_days) for m in matches):
        return  # a matching statement near the quote's date: the quote is not recycled
    for match in matches:
        d = _days_apart(match.statement.date, date)
        if d is not None and d > window_days:
            match.flags.append("earlier")
            match.reasons.append(f"earlier: said on {match.statement.date.isoformat()}, {d} days before the quote")


def _quote_rank(match: Match, date: datetime.date | None = None) -> tuple:
    # Label first, then score; among equals, a statement by the right speaker and from
    # the right time comes first, then (a statement issued again) the one said nearest
    # the quote's date.
    days = _days_apart(match.statement.date, date) if date else None
    return (LABELS.index(match.label), -match.score, "misattributed" in match.flags, "earlier" in match.flags,
            abs(days) if days is not None else math.inf)
