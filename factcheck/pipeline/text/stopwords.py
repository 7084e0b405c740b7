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
