"""Sentence splitting with exact offsets. The texts are fictional samples."""
from factcheck.pipeline.text.sentences import split_sentences


def sentences(text):
    return [text[start:end] for start, end in split_sentences(text)]


def test_offsets_are_exact_and_stripped():
    text = "  Sample text. The Dunmore Gazette printed it.\n\n  A second paragraph.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Sample text.", "The Dunmore Gazette printed it.", "A second paragraph."]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t") == []


def test_title_and_month_abbreviations_never_end_a_sentence():
    text = "Mrs. Okafor met Dr. Lindqvist in St. Albans on Jan. 14. They spoke for an hour."
    assert sentences(text) == [
        "Mrs. Okafor met Dr. Lindqvist in St. Albans on Jan. 14.", "They spoke for an hour."]


def test_initialisms_end_a_sentence_only_before_an_opener():
    text = "The U.S. Army moved to the U.K. The base in the U.S. Midwest closed."
    assert sentences(text) == ["The U.S. Army moved to the U.K.", "The base in the U.S. Midwest closed."]


def test_initials_in_names():
    assert sentences("Tomas J. Verhoeven signed the deal. It took a week.") == [
        "Tomas J. Verhoeven signed the deal.", "It took a week."]


def test_other_abbreviations():
    text = "Kettle & Pine Works Inc. The firm sold tools, nails, etc. and paint. It was No. 1 in sales."
    assert sentences(text) == [
        "Kettle & Pine Works Inc.", "The firm sold tools, nails, etc. and paint.", "It was No. 1 in sales."]


def test_decimals_and_numbers_do_not_split():
    text = "Output grew 3.5 percent to 20,000 units. Prices fell by 1.2 points."
    assert sentences(text) == ["Output grew 3.5 percent to 20,000 units.", "Prices fell by 1.2 points."]


def test_dates_inside_a_sentence_do_not_split():
    assert sentences("The vote on 12/5/2025 passed. It was close.") == [
        "The vote on 12/5/2025 passed.", "It was close."]


def test_date_glued_to_a_capital_ends_the_byline():
    text = "Dana Whitcombe, 3/14/2026The council voted on Tuesday."
    assert sentences(text) == ["Dana Whitcombe, 3/14/2026", "The council voted on Tuesday."]


def test_ellipses():
    text = "He paused... and went on. Then… Silence fell. She waited..."
    assert sentences(text) == ["He paused... and went on.", "Then…", "Silence fell.", "She waited..."]


def test_sentences_ending_inside_quotation_marks():
    text = '“We are done.” The mayor left. He said "It is over." Then he sat down.'
    assert sentences(text) == ["“We are done.”", "The mayor left.", 'He said "It is over."', "Then he sat down."]


def test_a_question_inside_quotes_followed_by_lower_case_continues():
    assert sentences("“Why now?” she asked. Nobody answered.") == ["“Why now?” she asked.", "Nobody answered."]


def test_newline_always_ends_a_sentence_and_a_heading_is_its_own_sentence():
    text = "Riverton Council Approves Bridge Budget\nThe council voted 7-2\non Tuesday."
    assert sentences(text) == ["Riverton Council Approves Bridge Budget", "The council voted 7-2", "on Tuesday."]


def test_a_glued_date_needs_a_whole_number_before_it():
    # "ID412/5/2025" is a code, not a byline date: the date must start a word
    assert sentences("Form ID412/5/2025The clerk filed it.") == ["Form ID412/5/2025The clerk filed it."]
    assert sentences("Rhea Moss, 12.5.2025Ferries resumed.") == ["Rhea Moss, 12.5.2025", "Ferries resumed."]


def test_several_marks_and_closing_quotes_end_one_sentence():
    text = "Was it really 40 boats?!” The harbour master laughed. “Yes!!” he said."
    assert sentences(text) == ["Was it really 40 boats?!”", "The harbour master laughed.", "“Yes!!” he said."]


def test_one_abbreviation_rule_for_text_and_attribution():
    from factcheck.pipeline.text.sentences import ends_after_abbreviation

    assert not ends_after_abbreviation("Mrs", "The")  # a title never ends a sentence
    assert not ends_after_abbreviation("Jan", "He")  # nor a month
    assert ends_after_abbreviation("Inc", "The")
    assert not ends_after_abbreviation("Inc", "Roe")
