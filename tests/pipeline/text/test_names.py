from factcheck.pipeline.text.names import TITLES, name_key, name_words, same_person


def test_name_key_drops_titles_accents_case_and_punctuation():
    assert name_key("Mrs. José Roe") == "jose roe"
    assert name_key("First Lady Melania Trump") == "melania trump"
    assert name_key("  Dr.  Ana   LIND ") == "ana lind"


def test_a_name_of_titles_only_keeps_them_as_its_key():
    assert name_key("Mr. President") == "mr president"


def test_the_stored_key_keeps_only_ascii_letters_the_matcher_keeps_all():
    # the stored keys were made so: a letter with no ASCII form is dropped, a mark joins
    assert name_words("Łukasz O’Brien", ascii_only=True) == ["ukasz", "obrien"]
    assert name_words("Łukasz O’Brien") == ["łukasz", "o", "brien"]


def test_one_title_list_for_keys_and_the_matcher():
    assert {"mr", "mrs", "ms", "mx", "dr", "president", "senator"} <= TITLES
    assert name_key("Mx. Jordan Lee") == "jordan lee"
    assert same_person("Mx. Jordan Lee", "Jordan Lee")
    assert same_person("President Trump", "Donald Trump")


def test_same_person_needs_a_name_beyond_titles():
    assert not same_person("Mr.", "Mr.")
    assert not same_person("", "Jane Roe")
