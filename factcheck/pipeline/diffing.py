"""Words, placement and word-level diffs: where a quote comes from in a statement and
how it differs.

Text is cut into `Token`s that keep the words as written (for display) next to their
folded forms (for comparison). `place` finds the stretch (or stretches) of a statement
a quote was taken from. `diff_tokens` aligns two token lists on their folded keys with
rapidfuzz's C Levenshtein, then reports runs of equal and changed words; `word_diff` is
the same on plain strings, in the shape the `factcheck match` JSON uses.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from .text.folding import normalize, spelled_out, strip_punctuation, word_key
from .text.stopwords import STOPWORDS
from .text.tokens import DIFF_TOKEN

MARKER_KEY = "…"  # every ellipsis marker compares equal to every other


@dataclass(frozen=True)
class Token:
    """One word (or dash, or ellipsis) of a text.

    `text` is as written; `norm` is `normalize(text)`; `key` is `norm` without the
    punctuation around it ("Finished." and "finished" share the key "finished");
    `parts` is what alignment compares: the key, or a contraction spelled out
    ("won't" -> "will", "not"). `glued` is True when no space was written before the
    token (Chinese characters, an ellipsis right after a word), so the words can be
    joined back as written.
    """

    text: str
    norm: str
    key: str
    parts: tuple[str, ...]
    glued: bool = False
    marker: bool = False

    @property
    def is_word(self) -> bool:
        """True for a token that carries letters or digits (not punctuation, not a marker)."""
        return bool(self.key) and not self.marker


MARKER = Token("…", "...", MARKER_KEY, (MARKER_KEY,), marker=True)


@lru_cache(maxsize=65536)
def _fold(text: str) -> tuple[str, str, tuple[str, ...]]:
    # Statements repeat the same words endlessly; caching the folding keeps tokenizing cheap.
    norm = normalize(text)
    key = word_key(norm)
    return norm, key, spelled_out(key)


def tokenize(text: str) -> list[Token]:
    """Cut `text` into tokens: words split at white space, dashes and ellipses on their own."""
    tokens = []
    previous_end = 0
    for m in DIFF_TOKEN.finditer(text):
        glued = bool(tokens) and m.start() == previous_end
        previous_end = m.end()
        if m.group("marker"):
            tokens.append(Token(m.group(), normalize(m.group()), MARKER_KEY, (MARKER_KEY,), glued, True))
        else:
            tokens.append(Token(m.group(), *_fold(m.group()), glued))
    return tokens


def parts_of(tokens: list[Token]) -> tuple[list[str], list[int]]:
    """The alignment units of `tokens` and, for each, the index of the token it belongs to."""
    keys, owners = [], []
    for i, token in enumerate(tokens):
        keys.extend(token.parts)
        owners.extend([i] * len(token.parts))
    return keys, owners


def quote_tokens(text: str) -> list[Token]:
    """Tokenize a quote and drop what stands at its edges without being a word.

    An opening "..." only says the quote starts mid-sentence, and the closing comma
    or full stop belongs to the reporter's sentence: neither is a difference.
    """
    tokens = tokenize(text)
    start, end = 0, len(tokens)
    while start < end and not tokens[start].is_word:
        start += 1
    while end > start and not tokens[end - 1].is_word:
        end -= 1
    return tokens[start:end]


def join(tokens: list[Token]) -> str:
    """The tokens' words as written, one space between them unless they were glued."""
    parts = []
    for i, token in enumerate(tokens):
        if i and not token.glued:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


@dataclass
class Op:
    """One step of an edit script from statement words `s` to quote words `q`.

    `tag` is "equal" (s and q are the same words), "replace", "delete" (q empty) or
    "insert" (s empty).
    """

    tag: str
    s: list[Token]
    q: list[Token]


def _at_edges(q: list[Token], j: int) -> tuple[bool, bool]:
    """Whether quote token j begins and ends a stretch of quoted words (the quote's own
    edges, or the words beside an ellipsis)."""
    return j == 0 or q[j - 1].marker, j == len(q) - 1 or q[j + 1].marker


def _same_as_written(s: Token, q: Token, first: bool, last: bool) -> bool:
    # Compared as folded text, punctuation included, except where quoted words begin
    # or end: a quote may drop or change the punctuation at its own edges ("finished,")
    # and beside an ellipsis ("detours … I will").
    a, b = s.norm, q.norm
    if '"' in a and '"' not in b:
        # Quotation marks inside the source that the quote leaves out: a reporter quoting
        # `is "larger than our economy."` writes `is larger than our economy` (CONTRACT.md).
        a = a.replace('"', "")
    if first:
        a, b = strip_punctuation(a, right=False), strip_punctuation(b, right=False)
    if last:
        a, b = strip_punctuation(a, left=False), strip_punctuation(b, left=False)
    return a == b


def diff_tokens(s: list[Token], q: list[Token]) -> list[Op]:
    """A word-level edit script from statement tokens `s` to quote tokens `q`.

    Words are aligned on their parts (so "won't" lines up with "will not"); aligned
    words that are not written alike (punctuation, a contraction) become a "replace",
    so every difference shows. Neighbouring changes are merged into one op ("don't" ->
    "do not" is one replace, not a replace and an insert).
    """
    s_keys, s_owner = parts_of(s)
    q_keys, q_owner = parts_of(q)
    steps: list[tuple[bool, list[int], list[int]]] = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(s_keys, q_keys):
        if tag == "equal":
            steps.extend((True, [s_owner[i]], [q_owner[j]]) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            steps.append((False, s_owner[i1:i2], q_owner[j1:j2]))
    return _merge(_token_steps(steps, s, q))


def _token_steps(
    steps: list[tuple[bool, list[int], list[int]]], s: list[Token], q: list[Token]
) -> list[tuple[bool, list[Token], list[Token]]]:
    # Alignment steps are over parts; turn them into steps over whole tokens, each
    # token once. A pair of aligned parts is an equal word only when both tokens are
    # whole (not half of a contraction) and written alike.
    out = []
    s_done = q_done = -1
    for aligned, s_idx, q_idx in steps:
        new_s = sorted({i for i in s_idx if i > s_done})
        new_q = sorted({j for j in q_idx if j > q_done})
        if not new_s and not new_q:
            continue
        equal = (
            aligned
            and new_s and new_q
            and s[new_s[0]].parts == q[new_q[0]].parts
            and _same_as_written(s[new_s[0]], q[new_q[0]], *_at_edges(q, new_q[0]))
        )
        out.append((bool(equal), [s[i] for i in new_s], [q[j] for j in new_q]))
        s_done = max([s_done, *new_s])
        q_done = max([q_done, *new_q])
    return out


def _merge(steps: list[tuple[bool, list[Token], list[Token]]]) -> list[Op]:
    ops: list[Op] = []
    for equal, s, q in steps:
        if not s and not q:
            continue
        if ops and (ops[-1].tag == "equal") == equal:
            ops[-1].s.extend(s)
            ops[-1].q.extend(q)
        else:
            ops.append(Op("equal" if equal else "change", list(s), list(q)))
    for op in ops:
        if op.tag == "change":
            op.tag = "replace" if op.s and op.q else ("delete" if op.s else "insert")
    return ops


def as_tuples(ops: list[Op]) -> list[tuple[str, ...]]:
    """The ops in the JSON shape: ("equal", words), ("replace", statement_words,
    quote_words), ("delete", statement_words), ("insert", quote_words).

    Equal runs show the statement's words (the source), which may differ from the
    quote's only in case, quotation marks, dashes or spacing (`as_written` has the quote's).
    """
    out: list[tuple[str, ...]] = []
    for op in ops:
        if op.tag == "equal":
            out.append(("equal", join(op.s)))
        elif op.tag == "replace":
            out.append(("replace", join(op.s), join(op.q)))
        elif op.tag == "delete":
            out.append(("delete", join(op.s)))
        else:
            out.append(("insert", join(op.q)))
    return out


def as_written(ops: list[Op]) -> list[str]:
    """The quote's words of each op as the quote writes them ("" for a deletion): a page
    shows the quote's side of an equal run in the quote's own characters (’ and —)."""
    return [join(op.q) for op in ops]


def diff_pieces(q: list[Token], s: list[Token], pieces: list[Piece]) -> list[Op]:
    """The edit script from the stretch of `s` that `pieces` cover to the whole quote `q`.

    Each piece is diffed against its own window; between two pieces, the statement
    words left out face the quote words there (an ellipsis, or nothing when the gap is
    unmarked); quote words outside every piece are insertions. `pieces` must be in
    both quote and statement order.
    """
    steps: list[tuple[bool, list[Token], list[Token]]] = []
    s_at, q_at = pieces[0].s_start, 0
    for piece in pieces:
        for s_part, q_part in (
            (s[s_at : piece.s_start], q[q_at : piece.q_start]),  # the gap before the piece
            (s[piece.s_start : piece.s_end], q[piece.q_start : piece.q_end]),
        ):
            steps.extend((op.tag == "equal", op.s, op.q) for op in diff_tokens(s_part, q_part))
        s_at, q_at = piece.s_end, piece.q_end
    steps.append((False, [], q[q_at:]))
    return _merge(steps)


def word_diff(statement_part: str, quote: str) -> list[tuple[str, ...]]:
    """The word-level edit script FROM `statement_part` TO `quote`.

    >>> word_diff("a project that may never be finished.", "a project that will never be finished")
    [('equal', 'a project that'), ('replace', 'may', 'will'), ('equal', 'never be finished.')]

    Pass the aligned part of the statement, not the whole statement: words of the
    statement outside the quote would show as deleted.
    """
    return as_tuples(diff_tokens(tokenize(statement_part), quote_tokens(quote)))


# --- placing a quote in a statement ---------------------------------------------------
#
# Before a quote can be diffed, we must know which stretch of the statement it comes
# from. The quote is cut at its ellipses into segments; each segment gets a window of
# the statement (`Piece`), and quote words left over at a segment's edge may form a
# piece of their own elsewhere (an unmarked splice, a moved clause).

# The share of the quote's content words (stop words left out, unless the quote has
# nothing else) that a placement must align with equal words to count. Unrelated
# sentences on one topic share a few words; a misquote keeps most of them.
MIN_COVERAGE = 0.6
# Quote words left over at a segment's edge are looked for elsewhere in the statement
# when there are at least this many of them.
MIN_PIECE = 3
_SEP = "\x1f"  # str.split() and tokenize treat it as white space, so no key holds it
_SENTENCE_END = (".", "!", "?", "。", "！", "？")
# Above this many characters a quote is anchored by subsequence alignment rather than
# partial ratio (about 1 ms here; 25,000 characters took 40 s).
_PARTIAL_RATIO_CHARS = 1000


@dataclass(frozen=True)
class Piece:
    """Quote tokens [q_start, q_end) placed at statement tokens [s_start, s_end).

    `matched` holds the indices of the quote tokens aligned with an equal word; `lead`
    and `trail` count the quote's words before and after the window that nothing in it
    stands for (a contraction counts as the two words it stands for).
    """

    q_start: int
    q_end: int
    s_start: int
    s_end: int
    matched: frozenset[int]
    lead: int = 0
    trail: int = 0


def content_words(q: list[Token]) -> list[int]:
    """Indices of the words that decide coverage: content words, or all words if none."""
    words = [i for i, t in enumerate(q) if t.is_word]
    return [i for i in words if q[i].key not in STOPWORDS] or words


# A quote of this few content words is judged by all its words once one content word is
# found: with one of two content words changed ("for to ... was on rovoko") it keeps most
# of its wording, yet only half its content words.
FEW_CONTENT_WORDS = 2


def coverage(q: list[Token], matched: set[int]) -> float:
    """The share of the content words of `q` whose index is in `matched` (of all its
    words, for a quote of FEW_CONTENT_WORDS content words with one of them matched)."""
    pool = content_words(q)
    if len(pool) <= FEW_CONTENT_WORDS and any(i in matched for i in pool):
        pool = [i for i, t in enumerate(q) if t.is_word]
    return sum(i in matched for i in pool) / len(pool) if pool else 0.0


def place(q: list[Token], s: list[Token]) -> list[Piece]:
    """The pieces of statement `s` that the quote `q` was taken from, in quote order.

    Empty when nothing of the quote is found.
    """
    return _Placer(q, s).pieces()


def segments(q: list[Token]) -> list[tuple[int, int]]:
    """Index ranges of the runs of quote tokens between ellipsis markers that hold a word."""
    ranges, start = [], 0
    for i, token in enumerate(q + [MARKER]):
        if token.marker:
            if any(t.is_word for t in q[start:i]):
                ranges.append((start, i))
            start = i + 1
    return ranges


class _Placer:
    """Places the segments of one quote in one statement."""

    def __init__(self, q: list[Token], s: list[Token]):
        self.q, self.s = q, s
        self.keys, self.owners = parts_of(s)
        self.content_at = [i for i, k in enumerate(self.keys) if _is_content(k)]
        # The parts joined by a separator that white space never lets into a key, and
        # where each separator stands: a verbatim run of parts is then one str.find.
        self.joined = _SEP + _SEP.join(self.keys) + _SEP
        self.sep_at = [m.start() for m in re.finditer(_SEP, self.joined)]

    def pieces(self) -> list[Piece]:
        # Each segment is looked for after the previous one first, so a phrase that
        # occurs twice is taken in reading order.
        pieces: list[Piece] = []
        after = 0
        for a, b in segments(self.q):
            found = self._segment(a, b, after)
            pieces.extend(found)
            if found:
                after = max(p.s_end for p in found)
        return pieces

    def _segment(self, a: int, b: int, after: int) -> list[Piece]:
        """The pieces quote tokens [a, b) come from: usually one, at most three.

        Quote words the best window leaves out at either edge (MIN_PIECE words or
        more) are looked for elsewhere, once, without further recursion.
        """
        end = len(self.s)
        main = self._find(a, b, after, end)
        if main is None or not main.matched:
            return []
        first, last = min(main.matched), max(main.matched) + 1
        before = self._edge(a, first, 0, main.s_start)
        behind = self._edge(last, b, main.s_end, end)
        if before or behind:
            # Place the rest again: its window was chosen for the whole segment.
            main = self._find(first if before else a, last if behind else b, main.s_start, main.s_end)
        if main is None or self._coverage(main) < MIN_COVERAGE:
            main = None  # the words stay unplaced: added words, or no match at all
        else:
            floor = after if main.s_start >= after else 0
            main = self._widen(main, left=before is None, right=behind is None, floor=floor)
        return [p for p in (before, main, behind) if p]

    def _edge(self, a: int, b: int, lo: int, hi: int) -> Piece | None:
        if sum(t.is_word for t in self.q[a:b]) < MIN_PIECE:
            return None
        piece = self._find(a, b, lo, hi)
        return piece if piece and self._coverage(piece) >= MIN_COVERAGE else None

    def _coverage(self, piece: Piece) -> float:
        return coverage(self.q[piece.q_start : piece.q_end], {i - piece.q_start for i in piece.matched})

    def _find(self, a: int, b: int, lo: int, hi: int) -> Piece | None:
        """The best window for quote tokens [a, b): in statement tokens [lo, hi) if
        good enough there, else anywhere in the statement."""
        preferred = self._at(a, b, lo, hi)
        if preferred and self._coverage(preferred) >= MIN_COVERAGE:
            return preferred
        anywhere = self._at(a, b, 0, len(self.s))
        if preferred is None or (anywhere and len(anywhere.matched) > len(preferred.matched)):
            return anywhere
        return preferred

    def _at(self, a: int, b: int, lo: int, hi: int) -> Piece | None:
        q_keys, q_owners = parts_of(self.q[a:b])
        window = self._locate(q_keys, bisect_left(self.owners, lo), bisect_left(self.owners, hi))
        if window is None:
            return None
        start, end = window
        ops = list(Levenshtein.opcodes(self.keys[start:end], q_keys))
        matched = frozenset(a + q_owners[j] for op in ops if op.tag == "equal" for j in range(op.dest_start, op.dest_end))
        lead, trail = (op.dest_end - op.dest_start if op.tag == "insert" else 0 for op in (ops[0], ops[-1]))
        return Piece(a, b, self.owners[start], self.owners[end - 1] + 1, matched, lead, trail)

    def _locate(self, q_keys: list[str], lo: int, hi: int) -> tuple[int, int] | None:
        """The window of parts [start, end) inside [lo, hi) where `q_keys` fit best.

        When the quote has content words, they alone place the window first (so that
        "the" and "of" do not steer it to the wrong clause); the window then grows to
        take in the function words at its edges. A rough window (`_anchor`) is refined
        by moving its edges a few words either way to the least Indel distance (words
        inserted plus deleted), which lets it grow where the quote dropped words and
        shrink where the quote added some.
        """
        verbatim = self._verbatim(q_keys, lo, hi)
        if verbatim:
            return verbatim
        # The rough window can be off by as many words as the quote does not share
        # with the statement: up to 40% of them for a quote that still matches.
        margin = min(16, max(3, len(q_keys) * 2 // 5))
        q_content = [k for k in q_keys if _is_content(k)]
        if not q_content:
            window = _anchor(q_keys, self.keys[lo:hi])
            if window is None:
                return None
            return _refine(q_keys, self.keys, lo + window[0], lo + window[1], lo, hi, margin, shrink=True)
        at = self.content_at[bisect_left(self.content_at, lo) : bisect_left(self.content_at, hi)]
        region = [self.keys[i] for i in at]
        window = _anchor(q_content, region)
        if window is None:
            return None
        start, end = _refine(q_content, region, *window, 0, len(region), margin, shrink=True)
        # Only grow now: shrinking could trade content words for function words.
        return _refine(q_keys, self.keys, at[start], at[end - 1] + 1, lo, hi, 3, shrink=False)

    def _verbatim(self, q_keys: list[str], lo: int, hi: int) -> tuple[int, int] | None:
        """The first run of parts in [lo, hi) equal to `q_keys`, if any: the common case
        of a word-for-word quote, found in C whatever its length."""
        found = self.joined.find(_SEP + _SEP.join(q_keys) + _SEP, self.sep_at[lo], self.sep_at[hi] + 1)
        if found < 0:
            return None
        start = bisect_left(self.sep_at, found)
        return start, start + len(q_keys)

    def _widen(self, piece: Piece, *, left: bool, right: bool, floor: int) -> Piece:
        """Take in the statement words beside the window that the quote's unmatched
        edge words stand for ("in April" against "in March"), within the sentence,
        so that the diff shows a changed word rather than an added one."""
        start, end = piece.s_start, piece.s_end
        for _ in range(piece.lead if left else 0):
            if start <= floor or _ends_sentence(self.s[start - 1]):
                break
            start -= 1
        for _ in range(piece.trail if right else 0):
            if end >= len(self.s) or _ends_sentence(self.s[end - 1]):
                break
            end += 1
        return replace(piece, s_start=start, s_end=end)


def _is_content(key: str) -> bool:
    return bool(key) and key not in STOPWORDS and key != MARKER_KEY


def _anchor(q_keys: list[str], keys: list[str]) -> tuple[int, int] | None:
    """A rough window [start, end) of `keys` for `q_keys`, or None if nothing is alike.

    For a quote of ordinary length: rapidfuzz's partial-ratio alignment (in C) of the
    joined words, which favours one contiguous stretch. Its cost grows with the square
    of the quote's length, so a long quote is anchored instead on the words its
    longest-common-subsequence alignment (also C) matches, from the first run of two
    or more matched words to the last.
    """
    if not keys:
        return None
    q_text = " ".join(q_keys)
    if len(q_text) > _PARTIAL_RATIO_CHARS:
        blocks = [op for op in Indel.opcodes(keys, q_keys) if op.tag == "equal"]
        runs = [op for op in blocks if op.src_end - op.src_start > 1] or blocks
        return (runs[0].src_start, runs[-1].src_end) if runs else None
    text, starts, ends = _joined(keys)
    found = fuzz.partial_ratio_alignment(q_text, text)
    if found is None or found.score == 0:
        return None
    start = min(bisect_right(ends, found.dest_start), len(keys) - 1)
    return start, max(bisect_left(starts, found.dest_end), start + 1)


def _ends_sentence(token: Token) -> bool:
    return token.norm.rstrip("\"')]»").endswith(_SENTENCE_END)


def _joined(keys: list[str]) -> tuple[str, list[int], list[int]]:
    """The keys joined by spaces, with each key's start and end offset in that text."""
    starts, ends, offset = [], [], 0
    for key in keys:
        starts.append(offset)
        ends.append(offset + len(key))
        offset += len(key) + 1
    return " ".join(keys), starts, ends


def _refine(
    q_keys: list[str], keys: list[str], start: int, end: int, lo: int, hi: int, margin: int, *, shrink: bool
) -> tuple[int, int]:
    """Move the window's edges up to `margin` parts outwards (and inwards, if `shrink`)
    to the least Indel distance between `keys[start:end]` and `q_keys`."""
    # The start first with the end held wide, then the end. On a tie take the longer
    # window: at equal distance it matches more words, so "We won't raise taxes" against
    # "We will not raise taxes" keeps "We" and shows the dropped "not".
    wide_end = min(hi, end + margin)
    start = min(
        range(max(lo, start - margin), (min(start + margin, end - 1) if shrink else start) + 1),
        key=lambda x: (Indel.distance(keys[x:wide_end], q_keys), x),
    )
    end = min(
        range(max(start + 1, end - margin) if shrink else end, wide_end + 1),
        key=lambda y: (Indel.distance(keys[start:y], q_keys), -y),
    )
    return start, end
