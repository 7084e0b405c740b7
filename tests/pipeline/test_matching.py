"""Quote and claim matching: labels, flags, diffs and reasons.

Every person and sentence here is invented for the tests.
"""
import datetime
import time

import pytest

from factcheck.pipeline.claim_matching import LEXICAL_THRESHOLDS, claim_label, match_claim
from factcheck.pipeline.matching import (
    Comparison,
    compare,
    match_quote,
    normalize,
    same_person,
    word_diff,
)
from factcheck.pipeline.records import Statement

BRIDGE = (
    "The Northgate bridge will reopen in March. "
    "We are spending 20,000 dollars a day on detours, and that is money we do not have. "
    "I will not sign another contract until the engineers finish their report. "
    "Three crews are working through the night, and the council has promised four more."
)
BLANK_CHECK = "We are being asked to sign a blank check for a project that may never be finished."


def label(quote: str, statement: str = BRIDGE) -> str:
    return compare(quote, statement).label


# --- normalize ----------------------------------------------------------------------


def test_normalize_folds_case_quotes_dashes_and_space():
    assert normalize("  “Don’t”\u00a0STOP —\tnow…  ") == '"don\'t" stop - now...'


def test_normalize_removes_soft_hyphens_and_zero_width_spaces():
    assert normalize("fi\u00adnished\u200b") == "finished"


def test_normalize_makes_a_typed_double_hyphen_a_dash():
    assert normalize("yes--and no") == normalize("yes—and no") == "yes-and no"


# --- exact ----------------------------------------------------------------------------


def test_exact_for_a_fragment_of_a_longer_statement():
    result = compare("spending 20,000 dollars a day on detours", BRIDGE)
    assert result.label == "exact"
    assert result.score == 100.0
    assert result.reasons == ["word for word in the statement"]
    assert result.diff == [("equal", "spending 20,000 dollars a day on detours,")]


def test_exact_for_the_whole_statement():
    assert label(BRIDGE) == "exact"


def test_exact_after_folding_case_quote_marks_dashes_and_white_space():
    statement = "He said the plan was “dead on arrival” — and he meant it."
    quote = '"he said the  PLAN was "dead on arrival"--and he meant it"'
    assert label(quote, statement) == "exact"


def test_exact_ignores_punctuation_at_the_quote_edges():
    # Reporters close a quote with their own comma; an opening ellipsis only says
    # that the quote starts mid-sentence.
    assert label("…the engineers finish their report,") == "exact"


# --- minor ----------------------------------------------------------------------------


def test_minor_for_punctuation_inside_the_quote():
    result = compare("We are spending 20,000 dollars a day on detours and that is money", BRIDGE)
    assert result.label == "minor"
    assert result.reasons == ["punctuation: 'detours,' → 'detours'"]


def test_minor_for_a_spelling_slip():
    result = compare("until the enginers finish their report", BRIDGE)
    assert result.label == "minor"
    assert result.reasons == ["spelling: 'engineers' → 'enginers'"]


def test_minor_for_a_contraction_inside_the_quote():
    result = compare("that is money we don't have", BRIDGE)
    assert result.label == "minor"
    assert result.reasons == ["contraction: 'do not' → 'don't'"]


def test_minor_for_a_contraction_at_the_start_of_the_quote():
    result = compare("We're spending 20,000 dollars a day on detours", BRIDGE)
    assert result.label == "minor"
    assert result.diff[0] == ("replace", "We are", "We're")


def test_minor_for_a_number_written_in_figures():
    result = compare("3 crews are working through the night", BRIDGE)
    assert result.label == "minor"
    assert result.reasons == ["number written differently: Three → 3"]


def test_minor_for_british_and_american_spelling():
    statement = "We favour a fair deal for the riders."
    assert compare("We favor a fair deal for the riders", statement).reasons == ["spelling: 'favour' → 'favor'"]


def test_minor_for_an_ambiguous_contraction():
    # "it's" is "it is" or "it has": either spelling out is a contraction, not a change.
    assert label("it's been a hard year for the riders", "It has been a hard year for the riders.") == "minor"
    assert label("It's a good plan for the city", "It is a good plan for the city.") == "minor"


def test_a_number_word_is_never_a_spelling_slip():
    result = compare("a budget of one million dollars", "We approved a budget of one billion dollars.")
    assert result.reasons == ["number changed: billion → million"]


def test_a_short_word_changed_by_one_letter_is_not_a_spelling_slip():
    # "may" -> "way" is one letter, but another word: only longer words count as slips.
    assert label("a project that way never be finished", BLANK_CHECK) == "altered"


# --- elided ---------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["...", "…", "[...]", "[…]", ". . ."])
def test_elided_when_parts_are_joined_in_order_with_a_marked_gap(marker):
    quote = f"We are spending 20,000 dollars a day on detours {marker} I will not sign another contract"
    result = compare(quote, BRIDGE)
    assert result.label == "elided"
    # The comma the quote dropped before its ellipsis is not a difference.
    assert result.reasons == [
        f"joined two parts with a marked gap ({marker}), leaving out "
        "'and that is money we do not have.', including a negation"
    ]
    assert result.diff == [
        ("equal", "We are spending 20,000 dollars a day on detours,"),
        ("replace", "and that is money we do not have.", marker),
        ("equal", "I will not sign another contract"),
    ]


def test_elided_diff_replaces_the_gap_with_the_marker():
    result = compare("The Northgate bridge will reopen … until the engineers finish their report", BRIDGE)
    assert result.label == "elided"
    assert result.diff == [
        ("equal", "The Northgate bridge will reopen"),
        (
            "replace",
            "in March. We are spending 20,000 dollars a day on detours, and that is money we do not "
            "have. I will not sign another contract",
            "…",
        ),
        ("equal", "until the engineers finish their report."),
    ]
    assert result.score > 95


def test_elided_with_three_segments():
    quote = "The Northgate bridge will reopen ... money we do not have ... four more"
    assert label(quote) == "elided"


def test_segments_are_placed_in_reading_order_when_a_phrase_repeats():
    statement = "Taxes will fall. Later, taxes will fall again."
    result = compare("taxes will fall … taxes will fall again", statement)
    assert result.label == "elided"
    assert result.diff == [
        ("equal", "Taxes will fall."),
        ("replace", "Later,", "…"),
        ("equal", "taxes will fall again."),
    ]


def test_altered_when_a_segment_after_the_ellipsis_is_not_in_the_statement():
    result = compare("We are spending 20,000 dollars a day on detours … and the mayor is to blame", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["words added at a marked gap (…): 'and the mayor is to blame'"]
    assert result.diff == [
        ("equal", "We are spending 20,000 dollars a day on detours,"),
        ("insert", "… and the mayor is to blame"),
    ]


def test_an_ellipsis_where_nothing_is_left_out_is_minor():
    result = compare("We are spending 20,000 dollars … a day on detours", BRIDGE)
    assert result.label == "minor"
    assert result.reasons == ["ellipsis (…) where nothing is left out"]


# --- altered --------------------------------------------------------------------------


def test_altered_for_a_changed_number_in_figures():
    result = compare("We are spending 2,000 dollars a day on detours", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["number changed: 20,000 → 2,000"]
    assert result.score > 90  # very similar, and still altered


def test_altered_for_a_changed_number_in_words():
    result = compare("Three crews are working through the night, and the council has promised three more", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["number changed: four → three"]


def test_altered_for_a_dropped_negation():
    result = compare("I will sign another contract until the engineers finish their report", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["negation dropped: 'not'"]
    assert result.diff == [
        ("equal", "I will"),
        ("delete", "not"),
        ("equal", "sign another contract until the engineers finish their report."),
    ]


def test_altered_for_an_added_negation():
    result = compare("The Northgate bridge will not reopen in March", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["negation added: 'not'"]


def test_altered_for_a_negation_hidden_in_a_contraction():
    result = compare("The Northgate bridge won't reopen in March", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["negation added: 'will' → 'won't'"]


def test_altered_for_a_swapped_content_word():
    result = compare("The Northgate bridge will reopen in April", BRIDGE)
    assert result.label == "altered"
    assert result.reasons == ["word changed: 'March.' → 'April'"]


def test_a_changed_first_word_shows_as_changed_not_added():
    result = compare("Four crews are working through the night", BRIDGE)
    assert result.label == "altered"
    assert result.diff[0] == ("replace", "Three", "Four")
    assert result.reasons == ["number changed: Three → Four"]


def test_words_added_after_a_sentence_end_do_not_take_in_the_next_sentence():
    result = compare("The Northgate bridge will reopen in March, the governor promised", BRIDGE)
    assert result.label == "altered"
    assert result.diff == [
        ("equal", "The Northgate bridge will reopen in"),
        ("replace", "March.", "March, the governor promised"),
    ]


def test_altered_for_reordered_clauses():
    statement = "We will cut the fares, and we will build the new depot."
    result = compare("We will build the new depot, and we will cut the fares.", statement)
    assert result.label == "altered"
    assert any(r.startswith("reordered:") for r in result.reasons)


def test_altered_for_an_unmarked_splice_of_two_distant_parts():
    result = compare("The Northgate bridge will reopen until the engineers finish their report", BRIDGE)
    assert result.label == "altered"
    assert result.reasons[0].startswith("dropped 25 words without marking the gap: 'in March.")
    assert result.diff[0] == ("equal", "The Northgate bridge will reopen")
    assert result.diff[1][0] == "delete"
    assert result.diff[2] == ("equal", "until the engineers finish their report.")


def test_altered_for_marked_segments_out_of_order():
    quote = "I will not sign another contract … The Northgate bridge will reopen in March"
    result = compare(quote, BRIDGE)
    assert result.label == "altered"
    assert result.reasons == [
        "reordered: 'The Northgate bridge will reopen in March' comes before "
        "'I will not sign another contract' in the statement"
    ]


def test_altered_for_an_added_word():
    result = compare("We are being asked to sign a huge blank check", BLANK_CHECK)
    assert result.label == "altered"
    assert result.reasons == ["word added: 'huge'"]


def test_altered_for_a_dropped_word():
    result = compare("sign a check for a project that may never be finished", BLANK_CHECK)
    assert result.label == "altered"
    assert result.reasons == ["word dropped: 'blank'"]


# --- none -----------------------------------------------------------------------------


def test_none_for_unrelated_text():
    result = compare("The harvest festival drew record crowds to the valley this weekend", BRIDGE)
    assert result.label == "none"
    assert result.score == 0.0
    assert result.diff == []
    assert result.reasons and "found" in result.reasons[0]


def test_none_when_only_function_words_are_shared():
    assert label("It is the end of the road for all of us", BRIDGE) == "none"


def test_none_when_a_short_quote_shares_one_content_word_of_two():
    # Under MIN_COVERAGE (60%) of the content words: "Finish the Line" on a protest sign
    # is not a quote of every statement that says "finish".
    result = compare("Finish the report", BRIDGE.replace("finish their report", "finish their work"))
    assert result.label == "none"
    assert result.reasons == ["under 60% of the quote's content words are found in the statement"]


def test_a_short_quote_with_one_of_two_content_words_changed_is_altered_when_its_wording_holds():
    statement = "We said that the budget was all on the council, and we meant it."
    assert label("the budget was all on the mayor", statement) == "altered"
    # With a third content word, two of three are missing: no quote of it.
    assert label("the budget was all on the mayor and treasurer", statement) == "none"


def test_empty_quote_is_none():
    assert compare("", BRIDGE) == Comparison(0.0, "none", [], ["the quote has no words"])
    assert compare(" … “ ” ", BRIDGE).label == "none"


def test_empty_statement_is_none():
    assert label("the bridge will reopen", "") == "none"


def test_one_word_quote_does_not_claim_a_long_statement():
    result = compare("bridge", BRIDGE)
    assert result.label == "none"
    assert "too short" in result.reasons[0]
    assert label("blank check", BLANK_CHECK) == "none"


def test_a_short_quote_matches_a_statement_of_the_same_words():
    assert label("No.", "no") == "exact"
    assert label("Absolutely not", "Absolutely not!") == "exact"


def test_a_five_thousand_word_quote_finishes_fast():
    long_quote = " ".join([BRIDGE] * 101)  # 5,050 words, repetitive: the hard case
    assert len(long_quote.split()) > 5000
    candidates = [Statement(BRIDGE, "Teodor Brandt", ref=f"S{i}") for i in range(50)]
    started = time.perf_counter()
    result = match_quote(long_quote, candidates)
    assert compare(long_quote, long_quote).label == "exact"
    assert time.perf_counter() - started < 2.0
    assert result.label == "none"  # far longer than any statement


# --- other scripts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement, fragment",
    [
        ("Губернатор сказал: «Мы не будем повышать налоги в этом году». Это важно.", "Мы не будем повышать налоги"),
        ("州长说，我们不会提高税收，直到明年。", "我们不会提高税收"),
        ("قال الحاكم: لن نرفع الضرائب هذا العام، وهذا وعد.", "لن نرفع الضرائب هذا العام"),
    ],
)
def test_exact_fragments_in_other_scripts(statement, fragment):
    result = compare(fragment, statement)
    assert result.label == "exact"
    assert result.diff == [("equal", result.diff[0][1])]


def test_chinese_diff_keeps_the_characters_together():
    result = compare("我们会提高税收", "州长说，我们不会提高税收，直到明年。")
    assert result.label == "altered"
    assert result.diff == [("equal", "我们"), ("delete", "不"), ("equal", "会提高税收")]
    assert result.reasons == ["negation dropped: '不'"]


def test_other_scripts_do_not_crash_on_unrelated_or_mixed_text():
    for quote in ["Это совсем другое", "完全不同的句子在这里", "هذا نص مختلف تماما", "mixed текст 混合 نص"]:
        for statement in ["Губернатор сказал: «Мы не будем».", "州长说，我们不会。", "قال الحاكم: لن نرفع.", BRIDGE]:
            assert compare(quote, statement).label in {"none", "altered", "minor", "exact", "elided"}


# --- word_diff ------------------------------------------------------------------------


def test_word_diff_matches_the_contract_example():
    diff = word_diff(BLANK_CHECK, "We are being asked to sign a blank check for a project that will never be finished.")
    assert diff == [
        ("equal", "We are being asked to sign a blank check for a project that"),
        ("replace", "may", "will"),
        ("equal", "never be finished."),
    ]


def test_word_diff_has_every_op_shape():
    diff = word_diff("one two three four five six", "one 2 three five six seven")
    assert diff == [
        ("equal", "one"),
        ("replace", "two", "2"),
        ("equal", "three"),
        ("delete", "four"),
        ("equal", "five six"),
        ("insert", "seven"),
    ]


def test_word_diff_keeps_words_as_written_with_single_spaces():
    diff = word_diff("We  are   “Sure”", 'we are "sure"')
    assert diff == [("equal", "We are “Sure”")]


def test_match_diff_serialises_to_the_contract_json():
    result = match_quote(
        "We are being asked to sign a blank check for a project that will never be finished.",
        [Statement(BLANK_CHECK, "Teodor Brandt", datetime.date(2025, 11, 2), ref="S3", id=17)],
    )
    assert result.to_json("Q1") == {
        "id": "Q1",
        "label": "altered",
        "matches": [
            {
                "ref": "S3",
                "statement_id": 17,
                "refs": ["S3"],
                "statement_ids": [17],
                "speaker": "Teodor Brandt",
                "date": "2025-11-02",
                "score": result.matches[0].score,
                "label": "altered",
                "flags": [],
                "diff": [
                    ["equal", "We are being asked to sign a blank check for a project that"],
                    ["replace", "may", "will"],
                    ["equal", "never be finished."],
                ],
            }
        ],
    }
    assert result.matches[0].reasons == ["word changed: 'may' → 'will'"]


# --- match_quote: ranking and flags ---------------------------------------------------

NOV_2 = datetime.date(2025, 11, 2)
UNRELATED = "The harvest festival drew record crowds to the valley this weekend."


def test_match_quote_ranks_by_label_then_score_and_drops_none():
    altered = Statement(BRIDGE.replace("March", "April"), "Teodor Brandt", ref="A")
    exact = Statement(BRIDGE, "Teodor Brandt", ref="E")
    other = Statement(UNRELATED, "Irene Falk", ref="U")
    result = match_quote("The Northgate bridge will reopen in March", [altered, other, exact])
    assert result.label == "exact"
    assert [m.statement.ref for m in result.matches] == ["E", "A"]
    assert [m.label for m in result.matches] == ["exact", "altered"]
    assert all(m.reasons for m in result.matches)


def test_match_quote_is_none_without_a_source():
    result = match_quote("The Northgate bridge will reopen in March", [Statement(UNRELATED, "Irene Falk")])
    assert result.label == "none"
    assert result.matches == []


def test_match_quote_respects_the_limit():
    candidates = [Statement(BRIDGE, "Teodor Brandt", ref=str(i)) for i in range(8)]
    assert len(match_quote("The Northgate bridge will reopen in March", candidates, limit=3).matches) == 3


def test_misattributed_when_another_person_said_it():
    result = match_quote(
        "The Northgate bridge will reopen in March",
        [Statement(BRIDGE, "Amara Osei", NOV_2)],
        speaker="Teodor Brandt",
    )
    assert result.matches[0].flags == ["misattributed"]
    assert "Amara Osei" in result.matches[0].reasons[-1]


def test_not_misattributed_for_a_surname_or_when_no_speaker_is_given():
    statement = Statement(BRIDGE, "Teodor Brandt", NOV_2)
    assert match_quote("the bridge will reopen in March", [statement], speaker="Brandt").matches[0].flags == []
    assert match_quote("the bridge will reopen in March", [statement]).matches[0].flags == []


def test_same_speaker_callable_decides_aliases():
    statement = Statement(BRIDGE, "Teodor Brandt", NOV_2)
    aliases = {"the governor": "Teodor Brandt"}
    result = match_quote(
        "the bridge will reopen in March",
        [statement],
        speaker="the governor",
        same_speaker=lambda a, b: aliases.get(a, a) == b,
    )
    assert result.matches[0].flags == []


def test_same_person_default():
    assert same_person("Trump", "Donald Trump")
    assert same_person("Donald J. Trump", "donald trump")
    assert same_person("José Ortega", "Jose Ortega")
    assert not same_person("Donald Trump", "Melania Trump")
    assert not same_person("Teodor Brandt", "Amara Osei")


def test_earlier_when_the_statement_is_old_and_nothing_closer_matches():
    old = Statement(BRIDGE, "Teodor Brandt", datetime.date(2023, 3, 9), ref="old")
    result = match_quote("the bridge will reopen in March", [old], speaker="Teodor Brandt", date=NOV_2)
    assert result.matches[0].flags == ["earlier"]
    assert "2023-03-09" in result.matches[0].reasons[-1]


def test_not_earlier_when_a_closer_matching_statement_exists():
    old = Statement(BRIDGE, "Teodor Brandt", datetime.date(2023, 3, 9), ref="old")
    recent = Statement(BRIDGE, "Teodor Brandt", datetime.date(2025, 10, 20), ref="recent")
    result = match_quote("the bridge will reopen in March", [old, recent], date=NOV_2)
    assert [m.flags for m in result.matches] == [[], []]
    assert result.matches[0].statement.ref in {"old", "recent"}


def test_not_earlier_inside_the_window_or_without_a_date():
    near = Statement(BRIDGE, "Teodor Brandt", datetime.date(2025, 10, 10))
    assert match_quote("the bridge will reopen in March", [near], date=NOV_2).matches[0].flags == []
    assert match_quote("the bridge will reopen in March", [near], date=NOV_2, window_days=10).matches[0].flags == [
        "earlier"
    ]
    old = Statement(BRIDGE, "Teodor Brandt", datetime.date(2023, 3, 9))
    assert match_quote("the bridge will reopen in March", [old]).matches[0].flags == []


def test_an_unrelated_recent_statement_does_not_clear_earlier():
    old = Statement(BRIDGE, "Teodor Brandt", datetime.date(2023, 3, 9))
    recent_unrelated = Statement(UNRELATED, "Teodor Brandt", datetime.date(2025, 10, 30))
    result = match_quote("the bridge will reopen in March", [old, recent_unrelated], date=NOV_2)
    assert result.matches[0].flags == ["earlier"]


def test_both_flags_together_and_ranked_after_a_clean_match():
    old_other = Statement(BRIDGE, "Amara Osei", datetime.date(2023, 3, 9), ref="osei")
    result = match_quote("the bridge will reopen in March", [old_other], speaker="Teodor Brandt", date=NOV_2)
    assert result.matches[0].flags == ["misattributed", "earlier"]


def test_many_candidates_are_compared_quickly():
    candidates = [Statement(f"{UNRELATED} Item {i} of the agenda was tabled.", "Irene Falk") for i in range(49)]
    candidates.append(Statement(BRIDGE, "Teodor Brandt", ref="hit"))
    started = time.perf_counter()
    result = match_quote("We are spending 20,000 dollars a day on detours", candidates)
    assert time.perf_counter() - started < 0.5
    assert result.matches[0].statement.ref == "hit"


# --- match_claim ----------------------------------------------------------------------


CLAIM_SOURCE = Statement(
    "Governor Brandt said the province spends 20,000 dollars every day on detours around the Northgate bridge.",
    ref="fc-1",
)
CLAIM_OTHER = Statement("The harvest festival drew record crowds to the valley this weekend.", ref="fc-2")
CLAIM_NUMBER = Statement(
    "Governor Brandt said the province spends 5,000 dollars every day on detours around the Northgate bridge.",
    ref="fc-3",
)
# The candidates as a library of 20,000 statements would give them, where each of their
# words is rare (BM25's idf; with the candidates alone as the collection, no word is rare).
LIBRARY = {"document_counts": lambda terms: dict.fromkeys(terms, 3), "total": 20_000}


def test_match_claim_ranks_a_paraphrase_above_an_unrelated_statement():
    result = match_claim(
        "Detours around the Northgate bridge cost the province 20,000 dollars a day", [CLAIM_OTHER, CLAIM_SOURCE], **LIBRARY
    )
    assert result.matches[0].statement.ref == "fc-1"
    assert result.label in {"same", "related"}
    assert _claim_labels(result)["fc-2"] == "none"
    assert any(r.startswith("shared words:") for r in result.matches[0].reasons)


def test_match_claim_prefers_the_statement_with_the_same_number():
    result = match_claim(
        "Detours around the Northgate bridge cost the province 20,000 dollars a day", [CLAIM_NUMBER, CLAIM_SOURCE], **LIBRARY
    )
    assert [m.statement.ref for m in result.matches] == ["fc-1", "fc-3"]
    assert "same number: 20,000 dollars" in result.matches[0].reasons
    assert "numbers differ: 20,000 dollars vs 5,000 dollars" in result.matches[1].reasons


def test_match_claim_flags_a_match_whose_numbers_differ():
    result = match_claim(
        "Detours around the Northgate bridge cost the province 20,000 dollars a day", [CLAIM_NUMBER, CLAIM_SOURCE], **LIBRARY
    )
    flags = {m.statement.ref: m.flags for m in result.matches}
    assert flags == {"fc-1": [], "fc-3": ["numbers_differ"]}
    # A claim with no number is not flagged against a statement that has one.
    unnumbered = match_claim(
        "Governor Brandt said the province spends a fortune every day on detours around the Northgate bridge",
        [CLAIM_NUMBER], **LIBRARY,
    )
    assert unnumbered.matches and unnumbered.matches[0].flags == []


def test_match_claim_same_for_a_near_copy_and_none_for_nothing():
    result = match_claim(CLAIM_SOURCE.text, [CLAIM_SOURCE], **LIBRARY)
    assert result.label == "same"
    assert match_claim("", [CLAIM_SOURCE], **LIBRARY).label == "none"
    assert _claim_labels(match_claim("Tunnel boring resumes", [CLAIM_OTHER], **LIBRARY)) == {"fc-2": "none"}


def test_match_claim_is_none_on_shared_stop_words_or_a_stray_word():
    because = Statement("The audit will be public because the governor is not hiding anything.", ref="fc-4")
    assert match_claim("Fares rose because the freeze is not funded", [because], **LIBRARY).label == "none"
    # One topic word in common ("public") is not the same claim either.
    assert match_claim("The public gallery was full well before the session began.", [because], **LIBRARY).label == "none"
    # A claim of stop words only has nothing to rank by.
    assert match_claim("Because it is not what they said", [because], **LIBRARY).matches == []


def test_match_claim_keeps_candidates_under_the_threshold_ranked_and_labelled_none():
    # The ranking is the ranker's alone: a candidate under `related` keeps its place,
    # labelled none, and the result is none when no candidate reaches `related`.
    claim = "Detours around the Northgate bridge cost the province 20,000 dollars a day"
    result = match_claim(claim, [CLAIM_OTHER, CLAIM_SOURCE, CLAIM_NUMBER], **LIBRARY)
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    for m in result.matches:
        assert m.label == claim_label(m.score, LEXICAL_THRESHOLDS)
    assert result.matches[-1].statement.ref == "fc-2" and result.matches[-1].label == "none"
    unrelated = match_claim("The harvest festival drew record crowds", [CLAIM_SOURCE, CLAIM_NUMBER], **LIBRARY)
    assert unrelated.label == "none" and [m.label for m in unrelated.matches] == ["none", "none"]
    assert len(match_claim(claim, [CLAIM_OTHER, CLAIM_SOURCE, CLAIM_NUMBER], limit=2, **LIBRARY).matches) == 2


def _claim_labels(result):
    return {m.statement.ref: m.label for m in result.matches}
