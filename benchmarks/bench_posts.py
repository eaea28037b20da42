"""Throughput of the post reader and writer against bare markdown-it tokenization.

Generates an archive in memory (300 days x 40 papers with tweets by default), then
times parse_post, render_post and plain MarkdownIt().parse over the same texts. The
figure to watch is the ratio of the reader's time to the tokenizer's (goal: <= 1.5).

    python benchmarks/bench_posts.py [--days N] [--papers N] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from markdown_it import MarkdownIt

from hotpapers_tui.posts import parse_post, render_post
from tests.posts.day_factory import random_day


def best_time(run: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=300)
    parser.add_argument("--papers", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)

    rng = random.Random(2021)
    start = time.perf_counter()
    first = dt.date(2020, 6, 29)
    days = [random_day(rng, first + dt.timedelta(days=i), papers=args.papers) for i in range(args.days)]
    texts = [render_post(day) for day in days]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    papers = sum(len(d.papers) for d in days)
    tweets = sum(len(p.tweets) for d in days for p in d.papers)
    print(f"archive: {len(days)} days, {papers} papers, {tweets} tweets, {megabytes:.1f} MB")
    print(f"generated in {time.perf_counter() - start:.1f} s")

    # Correctness first: a benchmark of a reader that loses data measures nothing.
    parsed = [parse_post(t) for t in texts]
    assert parsed == days, "the generated archive does not round-trip"

    markdown = MarkdownIt()
    t_tokens = best_time(lambda: [markdown.parse(t) for t in texts], args.repeat)
    t_parse = best_time(lambda: [parse_post(t) for t in texts], args.repeat)
    t_render = best_time(lambda: [render_post(d) for d in parsed], args.repeat)

    print(f"{'':26}{'seconds':>9}{'MB/s':>9}{'x tokenizer':>13}")
    for label, seconds in [
        ("MarkdownIt().parse", t_tokens),
        ("parse_post", t_parse),
        ("render_post", t_render),
    ]:
        print(f"{label:26}{seconds:9.2f}{megabytes / seconds:9.1f}{seconds / t_tokens:13.2f}")
    ratio = t_parse / t_tokens
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"reader / tokenizer time: {ratio:.2f} ({verdict} the 1.5x goal)")
    tokenizer = f"{megabytes / t_tokens:.1f} MB/s"
    print(f"BENCH|parse_post throughput|{megabytes / t_parse:.1f} MB/s|{tokenizer}|{ratio:.2f}x|<= 1.5x")
    rendered = t_render / t_tokens
    print(f"BENCH|render_post throughput|{megabytes / t_render:.1f} MB/s|{tokenizer}|{rendered:.2f}x|-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
