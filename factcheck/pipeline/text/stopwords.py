"""Stop words: the function words that weigh little when comparing or searching text.

Two unrelated sentences share "the", "of" and "is", so these words say little about
whether a quote comes from a statement, whether two claims are the same, or which
stored statements are worth looking up. Negations ("not", "never") are not stop words
for comparing: they are content, and changing one changes what is said.
"""
from __future__ import annotations

from .folding import NEGATIONS

STOPWORDS = frozenset(
    """
    a an the and or but if so as of at by for from in into on onto to with about over
    under than then that this these those there here it its it's i me my we us our you
    your he him his she her they them their who whom whose which what when where why how
    is are was were be been being am do does did done have has had having will would
    shall should can could may might must also just very too all any some such each
    """.split()
)

# For looking statements up in the full-text index, negations are left out too: the
# matcher, not the index, judges a negation.
SEARCH_STOPWORDS = STOPWORDS | NEGATIONS

# For telling which stored statements state the same claim, more words carry no topic:
# two unrelated claims share "because", "not", "more" or "people", and a debate's
# fillers ("you know", "going to") hold nothing to check. Contractions are listed whole
# and as the pieces a word pattern cuts them into ("don", "t"). A claim's candidates and its
# word overlap with a statement rest on the other words only.
CLAIM_STOPWORDS = SEARCH_STOPWORDS | frozenset(
    """
    because since while until unless although though whether again already still yet
    only even ever more most less least much many few several other another own same
    both either out up down off back now once very really quite rather almost about
    around against between through during before after above below among within without
    upon onto across toward towards per via whose whatever whoever whichever
    get gets got getting go goes going gone went come comes came make makes made
    say says said saying tell told know knows knew think thinks thought want wants
    wanted see seen saw look let lets like well way thing things lot lots something
    anything everything someone anyone everyone everybody somebody people one ones
    yes oh okay ok mr mrs ms dr
    i'm you're we're they're he's she's that's there's what's let's don't doesn't didn't
    isn't aren't wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't
    s t d ll ve re m don doesn didn isn aren wasn weren wouldn couldn shouldn haven hasn
    """.split()
)
