"""Extraction throughput: articles per second through quotes, speakers and claims.

    .venv/bin/python benchmarks/extract_speed.py [--article FILE] [--seconds 5] [--rounds 5]

Times `extract(read_text(text))` -- what `factcheck extract` runs after reading the
file -- on one article, over and over on one core, and in the same run three
comparisons on the same text:

* quotes + speakers only (claims disabled), to show what the claims stage costs;
* claims only (`find_claims`);
* a naive baseline: one regular expression for double-quoted stretches, no speakers.

Each measure prints articles per second by the wall clock and the CPU time per article
(`time.process_time`): "one core" means CPU time, which other load on the machine barely
changes, where the wall clock slows with it.

The article is the project's shared sample when shared/ is present, else the bundled
fictional fixture tests/fixtures/sample-quay-tunnel-hearing.txt. Peak memory is the
largest Python allocation during one extraction (tracemalloc) and the process's
maximum resident set size. Word lists and the per-word tag cache are warmed by one
extraction first, as they are in a long-running ingest.
"""
import argparse
import re
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from factcheck.pipeline.claims import find_claims
from factcheck.pipeline.extract import extract
from factcheck.pipeline.reading import read_text
from factcheck.pipeline.speakers import quotes_with_speakers

ROOT = Path(__file__).resolve().parents[1]
SHARED_SAMPLE = ROOT.parent / "shared" / "corpus" / "articles" / "melania-reunites-ukrainian-children.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "sample-quay-tunnel-hearing.txt"
NAIVE_QUOTE = re.compile(r"[\"“]([^\"“”]+)[\"”]")


def rate(run, text: str, seconds: float, rounds: int) -> tuple[float, float, float]:
    """Calls of `run(text)` per second of wall clock and CPU seconds per call, from the
    fastest of `rounds` rounds of about `seconds / rounds` each, and the median round's
    CPU seconds per call. The fastest round is the code's own cost (as timeit reports
    it); slower rounds measure what else this virtual machine's host was doing, which
    here varies by a third from one run to the next."""
    run(text)
    measured = []
    for _ in range(rounds):
        n, started, cpu_started = 0, time.perf_counter(), time.process_time()
        while (elapsed := time.perf_counter() - started) < seconds / rounds:
            for _ in range(20):
                run(text)
            n += 20
        measured.append((n / elapsed, (time.process_time() - cpu_started) / n))
    best_rate, best_cpu = max(measured)
    return best_rate, best_cpu, statistics.median(cpu for _, cpu in measured)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--article", type=Path, default=SHARED_SAMPLE if SHARED_SAMPLE.is_file() else FIXTURE)
    ap.add_argument("--seconds", type=float, default=5.0, help="time spent on each measure")
    ap.add_argument("--rounds", type=int, default=5, help="rounds each measure is split into")
    args = ap.parse_args()
    text = args.article.read_text(encoding="utf-8")

    measures = {
        "full extract (quotes+speakers+claims)": lambda t: extract(read_text(t)),
        "quotes+speakers only (claims disabled)": lambda t: quotes_with_speakers(read_text(t).text),
        "claims only": lambda t: find_claims(read_text(t).text),
        "naive regex quote finder (baseline)": lambda t: [m.span(1) for m in NAIVE_QUOTE.finditer(t)],
    }
    print(f"article: {args.article.name} ({len(text):,} characters)")
    print(f"fastest of {args.rounds} rounds (median round's CPU time in brackets)")
    rates, cpu = {}, {}
    for name, run in measures.items():
        rates[name], cpu[name], median_cpu = rate(run, text, args.seconds, args.rounds)
        print(f"{name:42s} {rates[name]:10,.0f} articles/s  {1000 / rates[name]:8.3f} ms/article (wall)"
              f"  {1000 * cpu[name]:8.3f} ms CPU/article ({1000 * median_cpu:.3f})")

    tracemalloc.start()
    result = extract(read_text(text))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    full = cpu["full extract (quotes+speakers+claims)"]
    quotes = cpu["quotes+speakers only (claims disabled)"]
    claims = cpu["claims only"]
    print(f"quotes found: {len(result.quotes)}, claims found: {len(result.claims)}")
    print(f"one core: {1 / full:,.0f} articles/s by CPU time; "
          f"share of CPU time: quotes+speakers {quotes / full:.0%}, claims {claims / full:.0%}")
    print(f"peak Python memory during one extraction: {peak / 1024:,.0f} KiB; "
          f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.1f} MiB")


if __name__ == "__main__":
    main()
