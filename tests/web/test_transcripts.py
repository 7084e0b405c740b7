"""The desk's transcript pages: the list, a transcript's ranked sentences in their turns,
speaker filter, access."""
import datetime as dt

import pytest

from sqlmodel import Session

from factcheck.services.statements import import_statements
from factcheck.services.transcripts import transcripts

pytestmark = pytest.mark.db

# Fictional speakers; the markup in one turn checks that statements are escaped.
HEARING = """\
Owen Pryce: Welcome to the sample committee hearing.
Marcus Hale: The ferry carried 12,000 passengers in 2024, up 30 percent on the year before.
Dana Whitlock: <b>What a lovely morning</b> it is. Thank you all for coming.
"""


@pytest.fixture
def hearing(engine, tmp_path, monkeypatch):
    """The transcript's address."""
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")
    path = tmp_path / "sample-ferry-hearing.txt"
    path.write_text(HEARING, encoding="utf-8")
    import_statements(engine, str(path), speaker_date=dt.date(2025, 6, 1))
    with Session(engine) as session:
        return f"/desk/transcripts/{transcripts(session)[0].id}"


def test_the_list_links_each_transcript(as_user, hearing):
    page = as_user("editor").get("/desk/transcripts/").text
    assert "sample-ferry-hearing" in page
    assert f'href="{hearing}"' in page


def test_a_transcript_page_ranks_the_factual_statement_first(as_user, hearing):
    page = as_user("checker").get(hearing).text
    rows = page.split("<tbody>")[1]
    assert rows.index("12,000 passengers") < rows.index("lovely morning")
    assert "&lt;b&gt;What a lovely morning&lt;/b&gt;" in page and "<b>What" not in page


def test_each_sentence_is_shown_in_its_turn_marked_and_escaped(as_user, hearing):
    page = as_user("checker").get(hearing).text
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    [thanks] = [row for row in rows if '<span class="sentence">Thank you all for coming.</span>' in row]
    assert ('<p class="turn-context"><span class="visually-hidden">In its turn: </span>'
            '&lt;b&gt;What a lovely morning&lt;/b&gt; it is. <mark class="target">Thank you all for coming.</mark></p>'
            in thanks)
    assert "Dana Whitlock" in thanks
    [ferry] = [row for row in rows if "12,000 passengers" in row]
    assert "turn-context" not in ferry  # a one-sentence turn is its own context
    assert "4 sentences." in page


def test_the_speaker_filter_keeps_one_speakers_statements(as_user, hearing):
    page = as_user("editor").get(f"{hearing}?speaker=Owen+Pryce").text
    rows = page.split("<tbody>")[1]
    assert "sample committee hearing" in rows and "passengers" not in rows


def test_an_unknown_transcript_is_not_found(as_user, hearing):
    assert as_user("editor").get(f"{hearing}1").status_code == 404


def test_visitors_must_log_in(client, hearing):
    assert client.get("/desk/transcripts/").status_code == 302
