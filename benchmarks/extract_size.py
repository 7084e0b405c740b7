"""Extraction time by article size: whether it grows in step with the text.

    .venv/bin/python benchmarks/extract_size.py [--sizes 0.1,0.2,0.5,1,2,5] [--shapes ...]
                                                [--timeout 60] [--baseline REF]

Times `extract(read_text(text))` -- what `factcheck extract` runs after reading the
file -- on fictional articles of each size (in MB, a million characters; the text is
nearly all ASCII, so about as many bytes), built by repeating the project's sample
articles (factcheck/samples/articles/*.txt), and prints, for each shape of text, the
seconds and the seconds per MB. Linear extraction keeps the seconds per MB flat from the
smallest size to the largest. The shapes:

* paragraphs: the sample articles one after another, a blank line between them (a long
  transcript or live blog published as one article);
* one-line: the same text with every line break made a space -- one enormous paragraph;
* unclosed: paragraphs, with an opening “ early on (the first body line) never closed;
* one-line-unclosed: both: one paragraph whose first quotation mark never closes;
* one-sentence: one-line without sentence-final punctuation (. ! ? …): one sentence.

Each measure runs in a fresh child process with `--timeout` seconds; one that runs out is
printed as "> N s" and the larger sizes of that shape are skipped, so a run is bounded.
The seconds are the child's CPU time (`time.process_time`), which other load on this
2-core machine barely changes; the wall clock is printed beside them.

--baseline REF measures the code of a git ref (a branch, a commit) the same way, in a
temporary worktree, and prints its figures beside the current code's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "factcheck" / "samples" / "articles"
SHAPES = ("paragraphs", "one-line", "unclosed", "one-line-unclosed", "one-sentence")
MB = 1_000_000


def build_text(shape: str, size: int) -> str:
    """A fictional article of `size` characters (cut at a line end) in `shape` (see above)."""
    articles = [p.read_text(encoding="utf-8").strip() for p in sorted(SAMPLES.glob("*.txt"))]
    pieces, length = [], 0
    while length < size:
        for article in articles:
            pieces.append(article)
            length += len(article) + 2
    text = "\n\n".join(pieces)
    text = text[:text.rfind("\n", 0, size) if "\n" in text[:size] else size]
    if shape.endswith("unclosed"):
        body = text.index("\n", text.index("\n") + 1) + 1  # the line after the headline and byline
        text = text[:body] + "“" + text[body:]
    if shape.startswith("one-"):
        text = " ".join(text.split("\n"))
    if shape == "one-sentence":
        text = text.translate({ord(c): None for c in ".!?…"})
    return text


def measure_here(shape: str, size: int) -> dict:
    """Extract the built text once in this process: CPU and wall seconds, and counts."""
    from factcheck.pipeline.extract import extract
    from factcheck.pipeline.reading import read_text

    text = build_text(shape, size)
    extract(read_text(build_text("paragraphs", 20_000)))  # load word lists and models first
    cpu, wall = time.process_time(), time.perf_counter()
    result = extract(read_text(text))
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
            "quotes": len(result.quotes), "claims": len(result.claims)}


def measure(code: Path, shape: str, size: int, timeout: float) -> dict | None:
    """`measure_here` in a child process running the package found in `code`; None when
    it runs out of time."""
    # -P keeps this script's folder off the path, so `factcheck` comes from PYTHONPATH.
    command = [sys.executable, "-P", str(Path(__file__).resolve()), "--child", shape, str(size)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        sys.exit(f"{shape} {size / MB:g} MB with {code}: the child failed:\n{exc.stderr}")
    return json.loads(done.stdout)


def measure_all(code: Path, shapes: list[str], sizes: list[float], timeout: float) -> dict:
    """{(shape, size): figures or None} for the code in `code`; after a timeout the
    larger sizes of that shape are left out (missing from the dict)."""
    figures = {}
    for shape in shapes:
        for size in sizes:
            got = figures[shape, size] = measure(code, shape, int(size * MB), timeout)
            print(f"  {code.name}: {shape} {size:g} MB: " + (f"{got['cpu']:.2f} s" if got else f"> {timeout:g} s"),
                  file=sys.stderr, flush=True)
            if got is None:
                break
    return figures


def cell(figures: dict, key: tuple[str, float], timeout: float) -> str:
    """One measure as "CPU s  s/MB  wall s", or why there is none."""
    if key not in figures:
        return f"{'(skipped)':>26s}"
    got = figures[key]
    if got is None:
        return f"{'> ' + format(timeout, 'g') + ' s':>26s}"
    return f"{got['cpu']:8.2f} {got['cpu'] / key[1]:8.2f} {got['wall']:8.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.1,0.2,0.5,1,2,5", help="sizes in MB, comma-separated")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="shapes of text, comma-separated")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed to one measure")
    ap.add_argument("--baseline", help="a git ref whose code to measure beside the current code")
    ap.add_argument("--child", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure_here(args.child[0], int(args.child[1]))))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    unknown = set(shapes) - set(SHAPES)
    if unknown:
        sys.exit(f"unknown shape(s) {', '.join(sorted(unknown))}: choose from {', '.join(SHAPES)}")

    runs = {"current": measure_all(ROOT, shapes, sizes, args.timeout)}
    if args.baseline:
        from git_checkout import checked_out  # (the parent's import: a child runs without this folder on its path)

        with checked_out(args.baseline) as tree:
            runs[f"baseline {args.baseline}"] = measure_all(tree, shapes, sizes, args.timeout)

    print(f"extract(read_text(text)), one child process a measure, CPU seconds (wall beside); timeout {args.timeout:g} s")
    print(f"{'shape':18s} {'MB':>5s}" + "".join(f" | {name:^26.26s}" for name in runs))
    print(f"{'':18s} {'':>5s}" + f" | {'s':>8s} {'s/MB':>8s} {'wall s':>8s}" * len(runs))
    for shape in shapes:
        for size in sizes:
            print(f"{shape:18s} {size:5g}" + "".join(f" | {cell(f, (shape, size), args.timeout)}" for f in runs.values()))
    counts = runs["current"]
    print("quotes and claims found (current code): " + "; ".join(
        f"{shape} {size:g} MB: {counts[shape, size]['quotes']}/{counts[shape, size]['claims']}"
        for shape in shapes for size in sizes[-1:] if counts.get((shape, size))))


if __name__ == "__main__":
    main()
