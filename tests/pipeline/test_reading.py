"""Reading articles: plain-text heads, HTML through trafilatura, and one-line errors.

The fixtures are made-up samples: a fictional outlet and fictional people.
"""
import io
import sys
from datetime import date
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.pipeline.reading import read_bytes, read_html, read_source, read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SKERRA = FIXTURES / "sample-skerra-ferry-children.txt"
GAZETTE = FIXTURES / "sample-harbor-gazette.html"


@pytest.mark.parametrize("head, title, authors, published", [
    # The byline runs its date straight into the first sentence, as in a scraped page.
    ("Ferry Children Return Home\nInes Calloway, 3/14/2025First Lady Mara Velden’s diplomacy worked.",
     "Ferry Children Return Home", ["Ines Calloway"], date(2025, 3, 14)),
    ("Council Approves Pier Plan\nBy Jane Doe and John Roe\nDecember 5, 2025\n\nThe council met.",
     "Council Approves Pier Plan", ["Jane Doe", "John Roe"], date(2025, 12, 5)),
    ("Council Approves Pier Plan\nJane Doe and John Roe\n5 Dec 2025\nThe council met.",
     "Council Approves Pier Plan", ["Jane Doe", "John Roe"], date(2025, 12, 5)),
    ("Council Approves Pier Plan\nBy Jane Doe, Staff Writer | 2025-12-05\nThe council met.",
     "Council Approves Pier Plan", ["Jane Doe"], date(2025, 12, 5)),
    ("Pier Plan Wins\nBy Ana Lind (Sample Gazette), Friday, December 5, 2025\nThe council met.",
     "Pier Plan Wins", ["Ana Lind"], date(2025, 12, 5)),
    ("Pier Plan Wins\nPublished: Dec. 5, 2025\nThe council met.", "Pier Plan Wins", [], date(2025, 12, 5)),
    ("Pier Plan Wins\nJane Doe, Tom Berg and Ana Lind, 31/12/2025\nThe council met.",
     "Pier Plan Wins", ["Jane Doe", "Tom Berg", "Ana Lind"], date(2025, 12, 31)),
    ("By Ana Lind\nThe council met.", None, ["Ana Lind"], None),
    ("Is the Pier Finally Safe?\nThe council met on Tuesday.", "Is the Pier Finally Safe?", [], None),
    ("The council met on Tuesday. It voted to rebuild.\nMore text.", None, [], None),
    ("Ana Lind Wins the Vote\nThe council met.", "Ana Lind Wins the Vote", [], None),
    # Some archives end a headline with a full stop; Title Case still tells it from a sentence.
    ("Velden Sees 'Clear Path' for Ferry Plan.\nThe council met.", "Velden Sees 'Clear Path' for Ferry Plan.", [], None),
    ("Ana Lind said the council would meet.\nThe council met.", None, [], None),
    # An impossible date is no date (and the line is then no byline either).
    ("Pier Plan Wins\nJane Doe, 13/13/2025\nThe council met.", "Pier Plan Wins", [], None),
    # Why these are not htmldate's expressions: a byline's numeric date is month first
    # (htmldate reads 12/5 as 12 May), a date line may run on into the body, and a date
    # inside a sentence does not make it a date line.
    ("Pier Plan Wins\nJane Doe, 12/5/2025\nThe council met.", "Pier Plan Wins", ["Jane Doe"], date(2025, 12, 5)),
    ("Pier Plan Wins\nJan. 3, 2025 -- The council met.", "Pier Plan Wins", [], date(2025, 1, 3)),
    ("Pier Plan Wins\nThe council met on 12/5/2025 to vote.\nMore.", "Pier Plan Wins", [], None),
])
def test_the_head_of_a_plain_text_article(head, title, authors, published):
    article = read_text(head)
    assert (article.title, article.authors, article.published) == (title, authors, published)
    assert article.text == head


@pytest.mark.parametrize("head, authors, outlet, published", [
    ("Pier Plan Wins\nBy Ana Lind | Sample Gazette | December 10, 2025\n\nThe council met.",
     ["Ana Lind"], "Sample Gazette", date(2025, 12, 10)),
    ("Pier Plan Wins\nBy Jane Doe and John Roe | The Harbor Times · Dec. 3, 2025\nThe council met.",
     ["Jane Doe", "John Roe"], "The Harbor Times", date(2025, 12, 3)),
    # A job title between the name and the date is not an outlet.
    ("Pier Plan Wins\nBy Jane Doe, Staff Writer | 2025-12-05\nThe council met.", ["Jane Doe"], None, date(2025, 12, 5)),
    ("Pier Plan Wins\nBy Jane Doe | Sample Gazette\nThe council met.", ["Jane Doe"], "Sample Gazette", None),
])
def test_a_pipe_separated_byline_gives_authors_outlet_and_date(head, authors, outlet, published):
    article = read_text(head)
    assert (article.authors, article.outlet, article.published) == (authors, outlet, published)


def test_plain_text_keeps_every_character_but_crlf():
    raw = "Pier Plan Wins\r\nBy Ana Lind\r\n\r\n  “We won,”\tshe said.  \r\nLast line\r"
    assert read_text(raw).text == raw.replace("\r\n", "\n")


def test_a_text_file_is_read_with_its_head_and_offsets_intact():
    article = read_source(str(SKERRA))
    assert article.text == SKERRA.read_text(encoding="utf-8")
    assert article.title == "Governor's Wife Brokers Return of Ferry Workers' Children"
    assert (article.authors, article.published) == (["Ines Calloway"], date(2025, 3, 14))


def test_a_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfPier Plan Wins\nThe council met.")
    assert read_source(str(path)).text == "Pier Plan Wins\nThe council met."


def test_an_html_file_gives_metadata_and_the_body_without_page_furniture():
    article = read_source(str(GAZETTE))
    assert article.title == "Council votes to rebuild the old pier"
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.published == date(2025, 12, 5)
    assert article.outlet == "Sample Harbor Gazette"
    assert article.url == "https://gazette.example/2025/12/05/council-pier"
    assert "“We have waited long enough,” said Mayor Ana Lind" in article.text
    for furniture in ("Subscribe now", "Related stories", "Ferry fares to rise", "All rights reserved"):
        assert furniture not in article.text


def test_read_html_takes_a_string_and_a_url():
    html = GAZETTE.read_text(encoding="utf-8").replace('<link rel="canonical" href="https://gazette.example/2025/12/05/council-pier">', "")
    article = read_html(html, url="https://gazette.example/pier")
    assert article.url == "https://gazette.example/pier"
    assert "heart of this town" in article.text


def test_an_html_page_may_declare_a_legacy_charset():
    html = ("<html><head><meta charset='windows-1252'><title>Caf\xe9 owners</title></head><body><article>"
            "<p>Caf\xe9 owners on the quay said on Tuesday that the \x93new pier\x94 would bring more trade to "
            "the harbor, and that they hoped the work would be finished before the summer season began.</p>"
            "</article></body></html>")
    article = read_bytes(html.encode("latin-1"), name="page.html")
    assert "Café owners" in article.text and "“new pier”" in article.text


def test_stdin_is_read_and_sniffed(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO("Pier Plan Wins\nBy Ana Lind\n“We won,” she said.".encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    article = read_source("-")
    assert (article.title, article.authors) == ("Pier Plan Wins", ["Ana Lind"])
    stdin = io.TextIOWrapper(io.BytesIO(GAZETTE.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert read_source("-").outlet == "Sample Harbor Gazette"


@pytest.mark.parametrize("name, content, needle", [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b" \n\n\t", "is empty"),
    ("blob.txt", b"\x00\x01\x02\x03" * 100, "binary"),
    ("latin.txt", "Caf\xe9 owners said \u201cno\u201d.".encode("cp1252"), "not UTF-8"),
    ("wide.txt", "Pier".encode("utf-16"), "UTF-16"),
    ("broken.html", b"<html><head><<<</head><body><div></div>", "no article text"),
    ("menus.html", b"<html><head><title>Sample Gazette</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
     b"<li><a href='/news'>News</a></li><li><a href='/about'>About us</a></li></ul></nav>"
     b"<footer><a href='/privacy'>Privacy</a></footer></body></html>", "no article text"),
    ("notes.pdf", b"%PDF-1.4 something", "unsupported file type '.pdf'"),
    ("notes", b"Pier Plan Wins", "unsupported file type"),
])
def test_bad_files_fail_with_one_line_naming_the_file(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_source(str(path))
    message = str(err.value)
    assert message.startswith(str(path)) and needle in message and "\n" not in message


def test_a_one_sentence_html_article_is_still_an_article(tmp_path):
    path = tmp_path / "brief.html"
    path.write_text("<html><body><article><p>The sample ferry to Skerra resumes sailing on Monday morning.</p>"
                    "</article></body></html>", encoding="utf-8")
    assert read_source(str(path)).text == "The sample ferry to Skerra resumes sailing on Monday morning."


def test_an_oversized_file_is_refused_by_a_configurable_cap(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 300, encoding="utf-8")
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        read_source(str(path), max_bytes=1000)
    assert read_source(str(path)).text.startswith("word")


def test_missing_files_and_folders_fail_with_one_line(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "gone.txt"))
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_source(str(folder))


def test_only_regular_files_are_read(tmp_path):
    """A device or a pipe named like an article is refused before it is opened: /dev/zero
    would be read without end (its size says 0), and opening a pipe waits for a writer."""
    import os
    import threading

    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    errors = {}

    def read(path):
        try:
            read_source(str(path))
        except InputError as exc:
            errors[path.name] = str(exc)

    for path in (zero, pipe):
        reader = threading.Thread(target=read, args=(path,), daemon=True)
        reader.start()
        reader.join(10)
        assert not reader.is_alive(), f"reading {path.name} did not end"
        assert "not a regular file" in errors[path.name]
    # A symlink to an article is read as the article.
    article = tmp_path / "article.txt"
    article.write_text("Pier Plan Wins\nThe council met.", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(article)
    assert read_source(str(tmp_path / "link.txt")).title == "Pier Plan Wins"


def test_read_bytes_follows_the_content_type_over_the_name():
    html = GAZETTE.read_bytes()
    assert read_bytes(html, name="https://gazette.example/x", content_type="text/html; charset=utf-8").outlet
    text = read_bytes(b"Pier Plan Wins\nThe council met.", name="https://gazette.example/x.html",
                      content_type="text/plain", url="https://gazette.example/x.html")
    assert (text.title, text.url) == ("Pier Plan Wins", "https://gazette.example/x.html")
