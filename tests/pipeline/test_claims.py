"""Check-worthy claims. Fixtures are fictional samples: invented towns, outlets and people."""
import json
from pathlib import Path

import pytest

from factcheck.pipeline.checkworthy import assess, logistic, model, score_batch
from factcheck.pipeline.claim_cues import KINDS
from factcheck.pipeline.claims import DEFAULT_THRESHOLD, find_claims
from factcheck.pipeline.text.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SAMPLE_ARTICLE = SHARED / "corpus" / "articles" / "melania-reunites-ukrainian-children.txt"
SAMPLE_GOLD = SHARED / "corpus" / "gold" / "melania-reunites-ukrainian-children.json"

# A sample article of the fictional Riverton Ledger.
ARTICLE = (
    "Riverton Council Approves New Bridge Budget\n"
    "Dana Whitcombe, 3/14/2026The Riverton city council voted 7-2 on Tuesday to approve a $48 million"
    " budget for the Alder Street bridge, ending a dispute that began in 2019.\n"
    "Council member Priya Natarajan said: “This bridge will carry our town into the next century,"
    " and 30,000 people will cross it every day.”\n"
    "According to the county transport office, traffic on the old crossing has grown by 35 percent"
    " since 2015; the office called the figures alarming.\n"
    "One can only imagine the relief of commuters who have waited so long.\n"
    "Morning fog drifted quietly over the river as the crews packed up their tools.\n"
    "Mayor Elsa Brandvold is a remarkable leader, and her patience is admirable.\n"
    "The contractor, Kettle & Pine Works, reportedly cut its bid by $3 million, hoping to win the contract.\n"
)


def claimed(text, **kwargs):
    return [c.text for c in find_claims(text, **kwargs)]


# -- one test per kind of claim --------------------------------------------------------

def is_claim(sentence):
    """Whether find_claims would report `sentence` as a claim (check-worthy or not)."""
    return logistic(assess(sentence).claim) >= DEFAULT_THRESHOLD


def assert_claim_of_kind(sentence, kind):
    assert is_claim(sentence), (sentence, assess(sentence))
    assert kind in assess(sentence).kinds, (sentence, assess(sentence))


def test_quantity():
    assert_claim_of_kind("The Harwick food bank handed out 4,200 parcels to families.", "quantity")


def test_quantity_in_words():
    assert_claim_of_kind("The Lowmoor council hired seven new inspectors.", "quantity")


def test_statistic():
    assert_claim_of_kind("Unemployment in Lowmoor stands at 7.4% this spring.", "statistic")


def test_comparison():
    assert_claim_of_kind("The Harwick clinic now treats more patients than the county hospital.", "comparison")


def test_date_time():
    assert_claim_of_kind("The Lowmoor ferry service was founded in 1962.", "date/time")


def test_event():
    assert_claim_of_kind("Councillor Ada Brennick resigned after the vote on the harbour plan.", "event")


def test_causal():
    assert_claim_of_kind("The Lowmoor school closed because of a leak in the roof.", "causal")


@pytest.mark.parametrize("sentence", [
    "Sources confirmed that the Harwick mill laid off its night shift.",
    "The Harwick mill has reportedly shut its night shift.",
    "According to the port authority, the Lowmoor dock handles most of the grain.",
])
def test_attribution(sentence):
    assert_claim_of_kind(sentence, "attribution")


def test_prediction():
    assert_claim_of_kind("The Harwick Transit Authority is expected to raise bus fares next year.", "prediction")


def test_kinds_are_listed_in_the_documented_order():
    kinds = assess("Since 2015 the Harwick mill has reportedly cut 1,200 jobs, more than any other employer.").kinds
    assert kinds == [k for k in KINDS if k in kinds]
    assert {"quantity", "date/time", "attribution", "comparison"} <= set(kinds)


# -- one test per kind of non-claim ------------------------------------------------------

def assert_not_a_claim(sentence):
    assert not is_claim(sentence), (sentence, assess(sentence))
    assert not assess(sentence).checkworthy
    assert assess(sentence).kinds == []


def test_opinion_is_not_a_claim():
    assert_not_a_claim("The new Lowmoor library is a wonderful building and everyone should visit it.")


def test_emotion_is_not_a_claim():
    assert_not_a_claim("Joy and relief filled the hearts of the Harwick families that evening.")


def test_rhetorical_question_is_not_a_claim_even_with_a_number():
    assert_not_a_claim("Did the council really spend 3 million on a fountain?")


def test_scene_setting_is_not_a_claim():
    assert_not_a_claim("Morning fog drifted quietly over the empty harbour as gulls circled.")


def test_hedged_imagination_is_not_a_claim():
    assert_not_a_claim("One can only imagine the sense of loss in the Harwick homes.")


def test_a_byline_is_not_a_claim():
    assert_not_a_claim("Dana Whitcombe, 3/14/2026")


# -- claims in an article ------------------------------------------------------------------

def test_claim_offsets_index_the_text():
    claims = find_claims(ARTICLE)
    assert claims
    for c in claims:
        assert ARTICLE[c.start:c.end] == c.text
        assert c.text == c.text.strip()
        assert DEFAULT_THRESHOLD <= c.score <= 1


def test_article_claims():
    assert claimed(ARTICLE) == [
        "The Riverton city council voted 7-2 on Tuesday to approve a $48 million budget for the"
        " Alder Street bridge, ending a dispute that began in 2019.",
        "According to the county transport office, traffic on the old crossing has grown by 35 percent since 2015",
        "The contractor, Kettle & Pine Works, reportedly cut its bid by $3 million",
    ]


def test_headline_and_byline_are_not_claims():
    claims = find_claims(ARTICLE)
    assert claims[0].text.startswith("The Riverton city council")  # after the glued byline date
    assert all(c.start > ARTICLE.index("\n") for c in claims)


def test_commentary_after_a_comma_is_cut_from_the_fact():
    text = "The Lowmoor council sent 40 inspectors to the docks, hoping to calm the angry traders."
    assert claimed(text) == ["The Lowmoor council sent 40 inspectors to the docks"]


def test_commentary_after_a_semicolon_is_cut_from_the_fact():
    text = "Harwick recorded 212 burglaries in 2025; it is a shameful record for a quiet town."
    assert claimed(text) == ["Harwick recorded 212 burglaries in 2025"]


def test_commentary_after_a_dash_is_cut_from_the_fact():
    text = "The Lowmoor mill closed in 2024—a sad and bleak moment for everyone."
    assert claimed(text) == ["The Lowmoor mill closed in 2024"]


@pytest.mark.parametrize("dash", [" – ", " -- ", " - "])
def test_commentary_after_a_spaced_dash_is_cut_from_the_fact(dash):
    text = f"The Lowmoor mill closed in 2024{dash}a sad and bleak moment for everyone."
    assert claimed(text) == ["The Lowmoor mill closed in 2024"]


def test_a_hyphenated_word_is_not_a_clause_break():
    text = "The Harwick council approved a 12-month trial of late-night buses in 2025."
    assert claimed(text) == [text]


def test_a_factual_sentence_is_reported_whole():
    text = "Since the flood struck four years ago, the number of homes in Lowmoor has fallen to 1,900."
    assert claimed(text) == [text]


def test_quoted_words_belong_to_quotes_not_claims():
    text = ("The Harwick mayor wrote to 12 ministers in March; her letter was blunt: “We have lost 300 jobs"
            " in a year, and 40 shops have closed since 2024.”")
    claims = find_claims(text)
    assert [c.text for c in claims] == ["The Harwick mayor wrote to 12 ministers in March"]
    quote_start = text.index("“")
    assert all(c.end <= quote_start for c in claims)


def test_a_quotation_left_open_runs_to_the_end_of_its_paragraph():
    text = ("The Lowmoor harbour master told 30 reporters: “We moved 9,000 tonnes of grain in May.\n"
            "The port reopened in 2023 after a two-year closure.")
    # (what is before the quotation is its frame, tests/pipeline/test_claim_frames.py)
    assert claimed(text) == ["The port reopened in 2023 after a two-year closure."]


def test_phrases_of_several_words_are_read_whole():
    # "according to" is one attribution phrase; "according" alone is not
    assert "attribution" in assess("According to the Harwick port office, 12 ferries ran late.").kinds
    assert "attribution" not in assess("The Harwick ferries ran late, according with the winter timetable.").kinds


def test_short_scare_quotes_stay_in_the_claim():
    text = "The council spent $2 million on the “smart lamp” scheme in 2025."
    assert claimed(text) == [text]


def test_threshold_is_configurable():
    everything = find_claims(ARTICLE, threshold=0.0)
    default = find_claims(ARTICLE)
    surest = max(logistic(assess(c.text).claim) for c in default)
    strict = find_claims(ARTICLE, threshold=surest)
    assert len(everything) > len(default) > len(strict) > 0


# -- batch scoring ------------------------------------------------------------------------------

def test_score_batch_keeps_input_order_and_fields():
    rows = [
        {"id": "a", "text": "The Harwick mill cut 1,200 jobs in 2024.", "speaker": "Ada Brennick"},
        {"id": "b", "text": "What a wonderful evening it was!"},
        {"id": 3, "text": ""},
    ]
    out = list(score_batch(rows))
    assert [o["id"] for o in out] == ["a", "b", 3]
    assert all(set(o) == {"id", "score", "checkworthy", "kinds"} for o in out)
    assert out[0]["score"] > out[1]["score"]
    assert "quantity" in out[0]["kinds"] and out[1]["kinds"] == []


# -- the shared sample article --------------------------------------------------------------------

@pytest.mark.skipif(not SAMPLE_GOLD.is_file(), reason=f"the shared sample corpus is absent ({SHARED.resolve()})")
def test_sample_article_claims_match_the_gold():
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    claims = find_claims(text)
    for item in gold["claims_must_include"]:
        start, end = item["start"], item["end"]
        covering = [c for c in claims
                    if min(c.end, end) - max(c.start, start) >= 0.8 * (end - start)]
        assert covering, f"missed claim: {item['text']!r}"
        # the sentence or a clause of it, never a run into the next sentence
        sentence = next((s, e) for s, e in split_sentences(text) if s <= start < e)
        assert all(sentence[0] <= c.start and c.end <= sentence[1] for c in covering), covering
    for item in gold["not_claims"]:
        overlapping = [c.text for c in claims if c.start < item["end"] and item["start"] < c.end]
        assert not overlapping, f"{item['text']!r} reported as {overlapping}"


# -- the shipped model ------------------------------------------------------------------------------

def test_scores_are_probabilities_and_the_decision_is_the_threshold():
    rows = [{"id": i, "text": t} for i, t in enumerate([
        "Good evening, and thank you all for coming.",
        "The Harwick mill cut 1,200 jobs in 2024, a third of its workforce.",
        "Lowmoor spends 38 dollars a head on libraries, half what Harwick spends.",
        "I think we can all agree that this is a great town.",
    ])]
    out = list(score_batch(rows))
    assert all(0.0 <= o["score"] <= 1.0 for o in out)
    assert all(o["checkworthy"] == (o["score"] >= model().threshold) for o in out)
    greeting, jobs, libraries, opinion = (o["score"] for o in out)
    # spread over 0-1: facts with figures far above greetings and opinions
    assert min(jobs, libraries) > 0.5 > 0.2 > max(greeting, opinion)
    assert [o["checkworthy"] for o in out] == [False, True, True, False]


def test_model_files_are_small_and_hold_numbers_only():
    from factcheck.pipeline.checkworthy import FAMILIES, MODEL_FILE, TABLES_FILE
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"about", "bits", "bias", "threshold", "named"}
    assert all(" " not in name for name in data["named"])  # feature names, no sentences
    assert TABLES_FILE.stat().st_size == len(FAMILIES) * 2 * 4 * 2 ** data["bits"]  # float32 tables
    assert MODEL_FILE.stat().st_size + TABLES_FILE.stat().st_size <= 20_000_000
    assert 0 < model().threshold < 1


needs_training_data = pytest.mark.skipif(
    not (SHARED / "data" / "claimbuster").is_dir() or not (SHARED / "data" / "checkthat-2020-task5").is_dir(),
    reason=f"the ClaimBuster and CheckThat! 2020 training data are absent ({(SHARED / 'data').resolve()})")


@needs_training_data
def test_training_on_a_sample_is_deterministic_and_learns(tmp_path):
    pytest.importorskip("sklearn")
    from factcheck.pipeline.checkworthy import Model
    from factcheck.pipeline.claim_cues import read_cues
    from factcheck.training.train_checkworthy import train
    first, second = tmp_path / "a" / "m.json", tmp_path / "b" / "m.json"
    for out in (first, second):
        out.parent.mkdir()
        report = train(SHARED, out, sample=2000, bits=12)
        assert "groundtruth.csv: F1=" in report
    assert first.read_bytes() == second.read_bytes()
    assert first.with_suffix(".bin").read_bytes() == second.with_suffix(".bin").read_bytes()
    trained = Model(json.loads(first.read_text()), first.with_suffix(".bin").read_bytes())
    def logit(text):
        return trained.logit(read_cues(text))
    assert logit("The Harwick mill cut 1,200 jobs in 2024.") > logit("Thank you very much, and good night.")


def test_scoring_adds_up_word_by_word_what_training_computes(tmp_path):
    """`Model.logit` sums each word's share; training builds whole sparse rows. Same numbers."""
    pytest.importorskip("sklearn")
    from factcheck.pipeline.checkworthy import Model
    from factcheck.pipeline.claim_cues import read_cues
    from factcheck.training.train_checkworthy import Sentence, fit, write
    texts = ["The Harwick mill cut 1,200 jobs in 2024.", "Thank you, thank you all.", "What a night it was!",
             "Lowmoor spends 38 dollars a head on its libraries.", "I think the ferry is late again.", ""]
    fitted = fit([Sentence(t, n % 2 == 0, "sample", n == 2) for n, t in enumerate(texts)], bits=10)
    out = tmp_path / "m.json"
    write(fitted, 0.5, out)
    trained = Model(json.loads(out.read_text()), out.with_suffix(".bin").read_bytes())
    unseen = ["The Harwick ferry carried 90,000 passengers in 2023, the most ever.", "Good night."]
    for text in texts + unseen:
        expected = fitted.logits([Sentence(text, False, "sample", False)])[0]
        assert trained.logit(read_cues(text)) == pytest.approx(expected, abs=1e-4), text
