"""Find, for each quotation, the cue that reports it and the words that name its speaker.

`attribute(text, spans)` takes the text and its quotations (quotes.find_quotations) and
returns one `Attribution` per quotation of kind "quote" -- the cue ("said", "according
to") and the speaker `Mention` (a name, a description or a pronoun) -- together with
every mention in the text, which speakers.py needs to resolve pronouns, titles and
surnames. Nothing here decides who a mention *is*; that is speakers.py's job.

How it reads a paragraph, one module a step:

1. Tokens (`tagging`). Each quotation (marks included) becomes one token, so nothing
   inside it can be taken for the writer's own words: a name inside a quote ("A simple
   concept, Mr. Putin, ...") is never its speaker.
2. Tags (`tagging`). Every token gets a one-letter tag from the lexicons (the legend is
   in tagging.py), and the tags of a paragraph form a string.
3. Sentences (`tagging`), split at sentence-final punctuation, also when it ends a
   quotation; then mentions (`mentions`), found with regular expressions over the tag
   string, which keeps the rules short and the scan linear.
4. Rules (`rules`, each rule's confidence in its RULE_CONFIDENCE), tried in order for each quotation; the first that finds a speaker wins:
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

`frames` answers the same question of the writer's own words, for claims.py: whether a
stretch holds a cue, and whether it opens with one whose speaker stands outside it.
"""
from __future__ import annotations

from ..quotes import QuoteSpan, paragraphs
from .mentions import Mention, Paragraph, read_paragraph
from .rules import RULE_CONFIDENCE, Attribution, attribute_one
from .tagging import is_headline

__all__ = ["Attribution", "Mention", "attribute", "is_headline"]


def attribute(text: str, spans: list[QuoteSpan]) -> tuple[list[Attribution], list[Mention]]:
    """Attribute every quotation of kind "quote" in `spans`; also return all mentions, in order."""
    found: list[Attribution] = []
    mentions: list[Mention] = []
    spans = sorted(spans, key=lambda s: s.open)
    k = 0
    previous: Paragraph | None = None
    for n, (pstart, pend) in enumerate(paragraphs(text)):
        here = []
        while k < len(spans) and spans[k].open < pend:
            if spans[k].open >= pstart:
                here.append(spans[k])
            k += 1
        para = read_paragraph(text, pstart, pend, here, mentions, first=n == 0)
        for q in para.quotes:
            a = attribute_one(para, q, previous)
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
            a.mention, a.cue, a.confidence, a.labelled = b.mention, b.cue, b.confidence * RULE_CONFIDENCE["shared_part"], True
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
            a.mention, a.cue, a.confidence = b.mention, b.cue, b.confidence * RULE_CONFIDENCE["shared_part"]


