"""Tokens, stop words, numbers, stems and the memo of the text layer."""
import sys
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

from factcheck.pipeline.text import stemming
from factcheck.pipeline.text.memo import Memo
from factcheck.pipeline.text.numbers import NUMBER, PERCENT, YEAR_OR_DATE, number_of, numbers_in
from factcheck.pipeline.text.stemming import stem
from factcheck.pipeline.text.stopwords import SEARCH_STOPWORDS, STOPWORDS
from factcheck.pipeline.text.tokens import COUNTED_WORD, LETTER_WORD, LEXICON_WORD, TAGGER_TOKEN, WORD


def test_each_word_pattern_finds_its_own_words():
    text = "All-time high: 20,000 won't fall, O'Neill said on 12/5/2025."
    assert WORD.findall(text) == ["All", "time", "high", "20", "000", "won", "t", "fall", "O", "Neill", "said",
                                  "on", "12", "5", "2025"]
    assert LEXICON_WORD.findall(text.lower())[:5] == ["all", "time", "high", "20", "000"]
    assert "won't" in LEXICON_WORD.findall(text)
    assert COUNTED_WORD.findall(text) == ["All-time", "high", "20,000", "won't", "fall", "O'Neill", "said", "on",
                                          "12/5/2025"]
    assert LETTER_WORD.findall(text)[0] == "All-time"
    assert "20" not in " ".join(LETTER_WORD.findall(text))


def test_the_tagger_token_splits_initialisms_possessives_and_punctuation():
    pieces = TAGGER_TOKEN.split("The U.S. envoy's 46-year-old aide...")
    assert pieces[1::2] == ["The", "U.S.", "envoy", "'s", "46-year-old", "aide", "..."]


def test_negations_are_content_when_comparing_but_left_out_of_search():
    assert "the" in STOPWORDS and "the" in SEARCH_STOPWORDS
    assert "not" not in STOPWORDS and "never" not in STOPWORDS
    assert {"not", "no", "never"} <= SEARCH_STOPWORDS


def test_numbers_written_several_ways_read_the_same():
    assert number_of("20,000") == ("", 20000.0, "")
    assert number_of("$3.5") == ("$", 3.5, "")
    assert number_of("40%") == ("", 40.0, "%")
    assert number_of("three") == ("", 3.0, "")
    assert number_of("tax") is None
    assert numbers_in(["three", "million"]) == numbers_in(["3,000,000"]) == [("", 3000000.0, "")]
    assert numbers_in(["twenty", "five"]) == [("", 25.0, "")]


def test_number_patterns_in_running_text():
    assert NUMBER.search("cut 1,200 jobs") and NUMBER.search("the 230th day") and NUMBER.search("$ 5 more")
    assert not NUMBER.search("in 2019") and not NUMBER.search("on 12/5/2025")
    assert YEAR_OR_DATE.search("in the 1990s") and YEAR_OR_DATE.search("on 12/5/2025")
    assert PERCENT.search("up 4 %") and not PERCENT.search("up 4 percent")


def test_threads_stemming_at_once_get_the_stems_one_thread_gets(monkeypatch):
    """A worker runs jobs in threads, and the Snowball stemmer keeps the word it is on."""
    words = [f"{root}{n}{suffix}" for n in range(3000) for root in ("econom", "vot", "tax")
             for suffix in ("ies", "ing", "ed", "es")]
    alone = [snowballstemmer.stemmer("english").stemWord(word) for word in words]
    monkeypatch.setattr(stemming, "_STEMS", Memo(stemming._STEMS.make))  # nothing stemmed yet
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(stem, words, chunksize=50))
    finally:
        sys.setswitchinterval(old_interval)
    assert together == alone


def test_stems_let_inflected_forms_meet():
    assert stem("taxes") == stem("tax")
    assert stem("voted") == stem("votes") == stem("vote")
    assert stem("running") == stem("runs")
    assert stem("bus") == "bus"


def test_memo_makes_each_value_once_and_starts_afresh_when_full():
    made = []
    memo = Memo(lambda key: made.append(key) or key * 2, limit=2)
    assert memo[1] == 2 and memo[1] == 2 and made == [1]
    memo[2], memo[3]
    assert made == [1, 2, 3] and len(memo) == 1
