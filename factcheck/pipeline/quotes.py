"""Find the quotations in a text by pairing its quotation marks.

`find_quotations(text)` returns one `QuoteSpan` per quotation, in text order. It knows
nothing of speakers (see the attribution package); it decides only which marks belong together
and what the words between them are.

How marks are read:

* Curly (“ ” ‘ ’), straight (" '), low-high („ “ and „ ”, ‚ ‘), guillemets (« » and the
  German » «, ‹ ›), and two apostrophes for a double mark (''Not now,'' as some news
  archives write it). A straight double mark and a curly one may pair up, as scraped
  text mixes them. Whether a mark opens or closes comes from its glyph where the glyph
  says so, and otherwise from what is around it: a mark before a word opens, a mark
  after a word closes. A mark right after "=" is markup (<tweet id="…">), not a quote.
* A single mark between two letters is an apostrophe (we've, Kyiv’s), as is one
  before a digit or a dropped letter (’90s, ’em). After an "s" it may be a plural
  possessive (students’) or a closing mark: it closes only when no clearer closing mark
  for the same quotation follows in the paragraph.
* Marks pair like brackets: a closing mark ends the innermost open quotation it fits,
  dropping any unclosed marks opened inside it. Only the outermost quotation is
  reported; a quotation nested inside it is part of its text.
* A quotation never crosses a paragraph break. A paragraph is a line, or, when the
  text separates paragraphs with blank lines, a run of lines (hard-wrapped text).
* A quotation that runs over several paragraphs, with an opening mark on each and a
  closing mark only on the last (the newspaper convention), is reported as one
  QuoteSpan per paragraph sharing one `chain` number, because offsets must cover the
  words inside the marks and the text between paragraphs is not part of the quote.
* Unbalanced marks are tolerated: an unclosed curly mark or guillemet quotes to the end
  of its paragraph (the writer dropped the closing mark); an unclosed straight mark is
  ignored (more often an inch sign or a stray than a quotation); a closing mark with
  no opening mark is ignored.

Each quotation is also classed: the title of a work or a name in marks ("the book
“Quiet Water”", "a group called “Mothers for Peace”", Dwayne “The Rock” Johnson, a
Title Case name after "on", "of", "in", "with", "from" or a possessive: on “Fox and
Friends,”, NBC's “Nightly News”) is `kind="title"`, not a quote, and so is a
pronoun talked about as a word (because “she” is a “he”); a transcript's stage direction
in marks ("(CROSSTALK.)") is `kind="direction"`; a slogan on a sign, placard or banner
(signs reading “Finish the Line”) is `kind="slogan"`: written words, not a quote unless
somebody is said to say them (protesters chanted “...”, or a cue right after it); a few
words quoted inside the writer's own sentence (scare and partial quotes: called the plan
“a disaster”) are `partial=True`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicons import fields, phrases, words
from .lexicons.attribution import CUE_VERBS
from .text.tokens import LETTER_WORD


@dataclass(slots=True)
class QuoteSpan:
    """One quotation: `text[start:end]` is the words inside its marks."""

    start: int  # first character inside the marks, white space skipped
    end: int  # one past the last character inside the marks, white space skipped
    open: int  # offset of the opening mark
    close: int  # one past the closing mark; the paragraph end when the quote runs on
    chain: int  # quotations continued across paragraphs share this number
    partial: bool = False
    kind: str = "quote"  # "quote"; "title" for a work's title or a name in marks; "direction"; "slogan"
    closed: bool = True  # False when no closing mark ends it in this paragraph


# Which marks can close a quotation opened by each mark.
# A straight double mark and a curly one may pair up: scraped text often mixes them
# ("work-related” emails, “Immunity deals ... FBI," Roe said).
_CLOSERS = {
    "“": "”\"", "„": "“”", "‟": "”", "”": "”", "«": "»", "»": "«", '"': '"”',
    "‘": "’", "‚": "‘’", "‹": "›", "›": "‹", "'": "'", "''": "''",
}
_ALL_MARKS = "\"'“”„‟«»‘’‚‹›"
# Two apostrophes stand for a double mark in some archives (''Not now,'' she said).
# (Written as one mark, then a second apostrophe after an apostrophe, rather than
# "''|[...]": a pattern that opens with a character class lets the regex engine skip
# straight to the marks, twice as fast over a whole paragraph.)
_MARK = re.compile(f"[{_ALL_MARKS}](?:(?<=')')?")
_DOUBLE = frozenset('"“”„‟«»')
_STRAIGHT = frozenset(("\"", "'", "''"))
# Characters that may stand before an opening mark / after a closing mark in place of a space.
_BEFORE_OPENING = "([{—–-/" + _ALL_MARKS
_AFTER_CLOSING = ".,;:!?)]}—–-/…" + _ALL_MARKS
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")
# Hard-wrapped text keeps its lines shorter than this; a longer line is a paragraph.
_WRAP_WIDTH = 120
_DIRECTION = re.compile(r"\([^()]*\)\.?|\[[^\[\]]*\]\.?")  # words wholly in brackets
_SENTENCE_END = re.compile(r"[.!?…]\W*$")
# The last two words before a mark, matched on the reversed text: a search anchored at
# the end would try every start position.
_LAST_WORDS_REVERSED = re.compile(r"[\s,]*([^\W\d_]+)(?:\s+([^\W\d_]+))?")
_NAME_BEFORE = re.compile(r"[A-Z][\w.’'-]*[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z]")
_POSSESSIVE_BEFORE = re.compile(r"\w[\w.]*[’']s?\s+$")
_TITLE_PREPOSITIONS = frozenset(("of", "on", "in", "with", "from"))
_SMALL_WORDS = frozenset("a an and as at but by for in nor of on or the to up with".split())
_WORK_WORDS = words("work_words")
_ELISIONS = tuple(f"{w} " for w in words("elisions"))  # ’em, 'til: as text.startswith() takes them
_NAMING_WORDS = fields("naming_words")
_PRONOUN_WORDS = frozenset(fields("pronouns"))
# What a slogan stands after, right before its opening mark: a sign noun, then a colon
# or its wording, perhaps a few words on ("signs held aloft reading"). A slogan is short.
_SIGN_BEFORE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, sorted(words("sign_nouns"), key=len, reverse=True))) + r")\b"
    r"(?:(?:\s+[\w’'-]+){0,2}?\s+(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases("sign_wording"), key=len, reverse=True))
    + r")\s*[:,]?|\s*:)\s*$", re.IGNORECASE)
_SLOGAN_WORDS = 8
# How far back before an opening mark the title and slogan rules read (_SIGN_BEFORE's 80).
_BEFORE_REACH = 80


@lru_cache(maxsize=4)
def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """`(start, end)` of each paragraph of `text`, blank paragraphs left out.

    Cached: the quote, attribution and speaker stages each ask for the same text's.

    Every line is a paragraph, except in hard-wrapped text (blank lines between
    paragraphs, and no line longer than a wrapped line would be), where the lines
    between blank lines form one.
    """
    wrapped = _BLANK_LINE.search(text) and max(map(len, text.split("\n"))) <= _WRAP_WIDTH
    splitter = _BLANK_LINE if wrapped else _LINE_BREAK
    spans, start = [], 0
    for m in splitter.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


def find_quotations(text: str) -> list[QuoteSpan]:
    """Every quotation in `text` (titles and names in marks included, see `kind`), in order."""
    out: list[QuoteSpan] = []
    chain = -1
    run_on: bool | None = None  # family (double?) of a quote left open at the last paragraph end
    paras = paragraphs(text)
    for n, (pstart, pend) in enumerate(paras):
        pairs, leftover = _pair_marks(text, pstart, pend)
        items = [(op, cl + _width(text, cl), True) for op, cl in pairs]
        next_opens = n + 1 < len(paras) and _opens_with_mark(text, *paras[n + 1])
        # An unclosed outermost mark quotes to the paragraph end when the next paragraph
        # opens with a mark (a quote running on) or when it is a curly mark or guillemet.
        if leftover is not None and (next_opens or text[leftover] not in _STRAIGHT):
            items.append((leftover, pend, False))
        continues = (run_on is not None and items and items[0][0] == _first_char(text, pstart, pend)
                     and (text[items[0][0]] in _DOUBLE) == run_on)
        for k, (op, close, closed) in enumerate(items):
            if not (continues and k == 0):
                chain += 1
            _add(out, text, op, close, chain, pstart, closed=closed)
        run_on = text[items[-1][0]] in _DOUBLE if items and not items[-1][2] else None
    return out


def _width(text: str, i: int) -> int:
    """Length of the quotation mark at `i`: 2 for a doubled apostrophe, else 1."""
    return 2 if text.startswith("''", i) else 1


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    """True when the paragraph `text[start:end]` starts with an opening quotation mark."""
    i = _first_char(text, start, end)
    return i + 1 < end and text[i] in "\"“„«»‘‚'" and not text[i + 1].isspace()


def _first_char(text: str, start: int, end: int) -> int:
    """Offset of the first non-space character of `text[start:end]`."""
    while start < end and text[start].isspace():
        start += 1
    return start


def _add(out: list[QuoteSpan], text: str, op: int, close: int, chain: int, pstart: int, *, closed: bool) -> None:
    """Append the quotation between the mark at `op` and `close`, if it has any words."""
    inner_end = close - _width(text, close - 2) if closed else close
    start, end = op + _width(text, op), inner_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(c.isalnum() for c in text[start:end]):
        return
    span = QuoteSpan(start, end, op, close, chain, closed=closed)
    # The words before the mark, as far back as the rules look (not the paragraph up to
    # here: copying that for every quote made one long paragraph quadratic).
    before = text[max(pstart, op - _BEFORE_REACH):op]
    after = text[close:close + 40]
    if _is_title(before, text[start:end], after) or text[start:end].rstrip(".,;:").lower() in _PRONOUN_WORDS:
        span.kind = "title"  # also a pronoun talked about as a word: because “she” is a “he”
    elif _DIRECTION.fullmatch(text, start, end):
        span.kind = "direction"  # a transcript's stage direction: "(CROSSTALK)", "[Applause.]"
    elif _is_slogan(before, text[start:end], after):
        span.kind = "slogan"
    else:
        span.partial = _is_partial(_visible_before(text, pstart, op), text[start:end])
    out.append(span)


def _pair_marks(text: str, pstart: int, pend: int) -> tuple[list[tuple[int, int]], int | None]:
    """Pair the quotation marks of one paragraph.

    Returns the outermost pairs as (opening offset, closing offset), in order, and the
    offset of an outermost opening mark left unclosed at the paragraph end, or None.
    """
    marks = []
    for m in _MARK.finditer(text, pstart, pend):
        roles = _roles(text, m.start(), pstart, pend)
        if roles:
            marks.append((m.start(), m.group(), *roles))
    # The last mark of each glyph that closes and is not weak, made at the first weak
    # closer: whether a clearer closer follows it is then one look-up, not a scan of the
    # rest of the paragraph.
    last_strong: dict[str, int] | None = None
    pairs: list[tuple[int, int]] = []
    stack = _OpenMarks()
    for j, (i, ch, can_open, can_close, weak) in enumerate(marks):
        if can_close:
            k = stack.innermost_fitting(ch)
            if k is not None and weak:
                if last_strong is None:
                    last_strong = {c: n for n, (_, c, _, closes, w) in enumerate(marks) if closes and not w}
                if _clearer_closer_follows(last_strong, j, stack.marks[k][1]):
                    continue  # a possessive apostrophe (students’), not a closing mark
            if k is not None:
                op = stack.marks[k][0]
                stack.drop_from(k)
                if k == 0:
                    pairs.append((op, i))
                continue
        if can_open:
            if ch in _STRAIGHT:
                # Straight marks do not nest in their own kind: a second opening one
                # means the first was a stray, so it is dropped.
                k = stack.outermost(ch)
                if k is not None:
                    stack.drop_from(k)
            stack.push(i, ch)
    return pairs, (stack.marks[0][0] if stack.marks else None)


class _OpenMarks:
    """The opening marks of a paragraph not yet closed, outermost first, with the
    positions of each glyph's among them: a closing mark finds the innermost mark it
    fits among the few glyphs, not by looking at every open mark, which made a paragraph
    of many unclosed marks quadratic."""

    def __init__(self) -> None:
        self.marks: list[tuple[int, str]] = []  # (offset, glyph)
        self.by_glyph: dict[str, list[int]] = {}  # indexes in `marks` of each glyph's, in order

    def push(self, offset: int, glyph: str) -> None:
        self.by_glyph.setdefault(glyph, []).append(len(self.marks))
        self.marks.append((offset, glyph))

    def innermost_fitting(self, closer: str) -> int | None:
        """Index of the innermost open mark that `closer` can close."""
        innermost = None
        for glyph, at in self.by_glyph.items():
            if at and (innermost is None or at[-1] > innermost) and closer in _CLOSERS[glyph]:
                innermost = at[-1]
        return innermost

    def outermost(self, glyph: str) -> int | None:
        """Index of the outermost open mark of `glyph`."""
        at = self.by_glyph.get(glyph)
        return at[0] if at else None

    def drop_from(self, k: int) -> None:
        """Drop the open mark at index `k` and all inside it."""
        del self.marks[k:]
        for at in self.by_glyph.values():
            while at and at[-1] >= k:
                at.pop()


def _clearer_closer_follows(last_strong: dict[str, int], j: int, opener: str) -> bool:
    """True when a mark after the `j`th in the paragraph can close `opener` and is not
    itself weak (`last_strong`: the index of the last such mark of each glyph)."""
    fitting = _CLOSERS[opener]
    return any(last > j for ch, last in last_strong.items() if ch in fitting)


def _roles(text: str, i: int, pstart: int, pend: int) -> tuple[bool, bool, bool] | None:
    """(can open, can close, weak close) for the mark at `i`; None for an apostrophe or prime."""
    ch = text[i:i + _width(text, i)]
    prev = text[i - 1] if i > pstart else " "
    nxt = text[i + len(ch)] if i + len(ch) < pend else " "
    # Flanking, as in Markdown: a mark before a word opens, a mark after a word closes.
    left = not nxt.isspace() and (prev.isspace() or prev in _BEFORE_OPENING)
    right = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSING)
    if ch in "‘’'" and prev.isalnum() and nxt.isalnum():
        return None  # we've, don’t, Kyiv’s, O'Brien
    if prev == "=":
        return None  # markup left in the text: <tweet author="...">
    if ch == "’" and left and not right:
        return None  # ’90s, ’em: a dropped start, not an opening mark
    if ch in "‘'" and left and (nxt.isdigit() or text.startswith(_ELISIONS, i + 1)):
        return None
    if ch in _STRAIGHT and prev.isdigit() and not nxt.isalpha():
        return (False, True, False) if ch == '"' else None  # 5'10" is feet and inches
    if ch == "“" or ch == "‟":
        return True, right and not left, False
    if ch in "„‚":
        return True, False, False
    if ch in "‘":
        return True, right and not left, False
    if ch in "«‹":
        return True, right and not left, False
    if ch in "”»›":
        opens = left and not right and nxt.isalnum()  # »Wir«, or a ” typed for “
        return opens, not opens, False
    if ch == "’":
        return (False, True, prev in "sS") if right else None
    if ch == "'":
        if left == right:
            return None
        return left, right, right and prev in "sS"
    # A straight double mark: by flanking, and either way when it flanks both or neither.
    return left or not right, right or not left, False


def _is_title(before: str, inner: str, after: str) -> bool:
    """True when the marks hold a work's title or a name rather than quoted words."""
    m = _LAST_WORDS_REVERSED.match(before[-60:][::-1])
    if m:
        last = m.group(1)[::-1].lower()
        previous = m.group(2)[::-1].lower() if m.group(2) else None
        pair = f"{previous} {last}" if previous else ""
        if last in _WORK_WORDS or (last in _TITLE_PREPOSITIONS and previous in _WORK_WORDS):
            return True  # the film “…”, an episode of “…”
        if last in _TITLE_PREPOSITIONS and _looks_like_title(inner.rstrip(".,")):
            return True  # on “Fox and Friends,”, the star of “Scandal”
        rule = _NAMING_WORDS.get(pair, _NAMING_WORDS.get(last))
        if rule == "always" or (rule is not None and _looks_like_title(inner)):
            return True
    # A show or paper after its owner's possessive: NBC's “Nightly News.”, television’s “Scandal”
    if _POSSESSIVE_BEFORE.search(before[-40:]) and _looks_like_title(inner.rstrip(".,")):
        return True
    # A nickname between a first name and a surname: Dwayne “The Rock” Johnson.
    return bool(_NAME_BEFORE.search(before[-40:]) and _NAME_AFTER.match(after)
                and len(inner.split()) <= 3 and _looks_like_title(inner))


def _is_slogan(before: str, inner: str, after: str) -> bool:
    """True for a short phrase that a sign carries (signs reading “Finish the Line,”, a
    placard that said “No more delays”, a banner: “Build it now”) and that nobody is said
    to say: a cue verb, or "as", in the few words after it (a shirt reading “I can't
    breathe,” as Roe gasped) makes it a quote."""
    if len(LETTER_WORD.findall(inner)) > _SLOGAN_WORDS or _SIGN_BEFORE.search(before[-80:]) is None:
        return False
    next_words = [w.lower() for w in LETTER_WORD.findall(after)[:3]]
    return not (next_words[:1] == ["as"] or any(w in CUE_VERBS for w in next_words))


def _looks_like_title(inner: str) -> bool:
    """Short, capitalised like a title, and not a sentence."""
    ws = LETTER_WORD.findall(inner)
    if not ws or len(ws) > 8 or not ws[0][0].isupper() or _SENTENCE_END.search(inner):
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in ws)


def _visible_before(text: str, pstart: int, op: int) -> str:
    """The last character before `op` in its paragraph that is not white space, or ""."""
    i = op
    while i > pstart and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > pstart else ""


def _is_partial(prev: str, inner: str) -> bool:
    """True when the quoted words are part of the writer's own sentence.

    That is when a word stands right before the opening mark (called the plan “a
    disaster”, her aim was “twofold: ...”), or when the quote starts in lower case
    other than after a comma or colon (the second half of a quote split by its
    attribution, “...,” she said, “and then ...”, is not partial). `prev` is the last
    character before the opening mark that is not white space.
    """
    if prev.isalnum():
        return True
    return inner[:1].islower() and prev not in (",", ":")
