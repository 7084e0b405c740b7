"""Extraction grows in step with the text: four times the text, about four times the work.

The work is counted, not timed: the lines of pipeline code run (sys.settrace), which
no load on the machine changes. Before the fix these ratios were 6.0 to 8.5 at these
sizes, and 16 for the unclosed marks (a scan of every quotation for every sentence, of
every earlier mention for every mention, of every open mark for every closing one...);
linear extraction gives 3.9 to 4.05.
benchmarks/extract_size.py measures the seconds, up to 5 MB.

The texts are the package's fictional sample articles, repeated.
"""
import re
import sys
from pathlib import Path

import pytest

import factcheck.pipeline
from factcheck.pipeline.extract import extract
from factcheck.pipeline.reading import read_text

SAMPLES = Path(factcheck.pipeline.__file__).parents[1] / "samples" / "articles"
PIPELINE = str(Path(factcheck.pipeline.__file__).parent)
SMALL = 20_000
# Four times the text may cost a little more than four times the work (a longer text
# holds a few more distinct names and words), never the 6x and more of a quadratic part.
MAX_RATIO = 4.6


def sample_text(size: int) -> str:
    """The fictional sample articles one after another, a blank line between, cut to `size`."""
    articles = [p.read_text(encoding="utf-8").strip() for p in sorted(SAMPLES.glob("*.txt"))]
    text = "\n\n".join(articles * (size // sum(map(len, articles)) + 1))
    return text[:text.rfind("\n", 0, size)]


SHAPES = {
    "paragraphs": lambda size: sample_text(size),
    "one paragraph": lambda size: sample_text(size).replace("\n", " "),
    "one paragraph, an opening mark never closed": lambda size: "“" + sample_text(size).replace("\n", " "),
    "one sentence": lambda size: re.sub(r"[.!?…]", "", sample_text(size).replace("\n", " ")),
    "unclosed marks, then closing marks that fit none": lambda size: "Roe said " + "“a " * (size // 6) + "b’ " * (size // 6),
}


def lines_run(text: str) -> int:
    """How many lines of pipeline code `extract` runs on `text` (read beforehand)."""
    article = read_text(text)
    count = 0

    def in_pipeline(frame, event, arg):
        return count_line if frame.f_code.co_filename.startswith(PIPELINE) else None

    def count_line(frame, event, arg):
        nonlocal count
        count += event == "line"
        return count_line

    sys.settrace(in_pipeline)
    try:
        extract(article)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", SHAPES)
def test_four_times_the_text_is_about_four_times_the_work(shape):
    extract(read_text(sample_text(SMALL)))  # word lists and the tag memo loaded and warm
    build = SHAPES[shape]
    small, large = lines_run(build(SMALL)), lines_run(build(4 * SMALL))
    assert large / small < MAX_RATIO, f"{shape}: {small:,} lines of pipeline code run, then {large:,} for 4x the text"
