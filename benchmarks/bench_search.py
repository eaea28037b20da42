"""Benchmark: search across 300 days (about 3,500 papers), indexed cold and warm, against a linear scan.

Run as ``python benchmarks/bench_search.py``. Prints times and ratios; the goal is a warm
indexed search within 50 ms. The index is measured with and without its FTS5 trigram
part. Also times the command line's path: bringing the index in step with a folder of
300 post files (first time: parse and index; after: a stat per file, no read) and answering.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.query import parse_query
from hotpapers_tui.library.searchindex import SearchIndex, fts5_available, sync_feed
from hotpapers_tui.model import Day, Paper, rank_papers
from hotpapers_tui.posts import read_post, render_post

T = TypeVar("T")
DAYS = 300
QUERIES = [
    "diffusion",
    "graph neural",
    "cat:cs.LG transformer",
    "author:nguyen",
    "language -vision",
    '"reinforcement learning"',
    "rl",
    "cat:astro-ph",
    "learning",
    "zebra",
]
TOPICS = [
    "learning", "neural", "network", "graph", "diffusion", "transformer", "language", "model", "vision",
    "reinforcement", "policy", "quantum", "galaxy", "planet", "protein", "benchmark", "adversarial",
    "optimization", "bayesian", "causal", "contrastive", "generative", "attention", "scaling", "reasoning",
]  # fmt: skip
COMMON = ["the", "of", "and", "we", "a", "to", "in", "for", "is", "that", "on", "with", "this", "our", "by"]
SURNAMES = ["Nguyen", "Smith", "Zhang", "Wang", "Garcia", "Müller", "Rossi", "Kim", "Sato", "Ivanov", "Okafor"]
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "stat.ML", "cs.AI", "astro-ph.GA", "quant-ph", "q-bio.BM", "hep-th"]


def make_vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ne", "ra", "ti", "su", "ve", "po", "de", "gra", "fu", "sion", "tor", "ic", "al"]
    return ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size)]


def generate_days(rng: random.Random) -> list[Day]:
    vocab = make_vocabulary(rng)
    weights = [1 / (rank + 10) for rank in range(len(vocab))]  # Zipf-like, as words in abstracts are

    def words(k: int) -> list[str]:
        out = rng.choices(vocab, weights=weights, k=k)
        for i in range(len(out)):
            roll = rng.random()
            if roll < 0.3:
                out[i] = rng.choice(COMMON)
            elif roll < 0.33:
                out[i] = rng.choice(TOPICS)
        return out

    days = []
    serial = 0
    for n in range(DAYS):
        when = dt.date(2021, 1, 1) + dt.timedelta(days=n)
        papers = []
        for _ in range(rng.randint(8, 15)):
            serial += 1
            arxiv_id = f"{when:%y%m}.{serial:05d}"
            papers.append(
                Paper(
                    arxiv_id=arxiv_id,
                    title=" ".join(words(rng.randint(5, 12))).capitalize(),
                    authors=tuple(f"{chr(65 + rng.randrange(26))}. {rng.choice(SURNAMES)}" for _ in range(4)),
                    retweets=rng.randint(0, 2000),
                    favorites=rng.randint(0, 500),
                    counted_at=dt.datetime.combine(when, dt.time(10)),
                    abs_url=f"https://arxiv.org/abs/{arxiv_id}",
                    pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
                    categories=tuple(rng.sample(CATEGORIES, 2)),
                    abstract=" ".join(words(rng.randint(100, 200))) + ".",
                )
            )
        generated = dt.datetime.combine(when, dt.time(12))
        days.append(Day(date=when, title=f"Hot Papers {when}", generated_at=generated, papers=tuple(papers)))
    return days


def linear_scan(days: list[Day], text: str) -> list[tuple[dt.date, int, str]]:
    """The baseline: check every paper of every parsed day with the list filter."""
    query = parse_query(text)
    return [
        (day.date, rank, paper.arxiv_id)
        for day in sorted(days, key=lambda d: d.date, reverse=True)
        for rank, paper in enumerate(rank_papers(day.papers), start=1)
        if query.matches(paper)
    ]


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def bench_index(days: list[Day], folder: Path, *, fts: bool) -> None:
    label = "with FTS5 trigram" if fts else "substring scan only"
    t0 = time.perf_counter()
    index = SearchIndex.open(folder / f"search-{fts}.sqlite3", fts=fts)
    index.update("bench", days)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    index.search("bench", QUERIES[0], limit=None)
    first = time.perf_counter() - t0
    size = (folder / f"search-{fts}.sqlite3").stat().st_size / 1e6
    print(f"\n== index {label}: cold build {build * 1000:.0f} ms + first query {first * 1000:.1f} ms, {size:.1f} MB")
    print(f"{'query':<28} {'hits':>5} {'index ms':>9} {'scan ms':>8} {'scan/index':>10}")
    indexed_all, scan_all = [], []
    for text in QUERIES:
        t_index, hits = timed(lambda text=text: index.search("bench", text, limit=None))  # type: ignore[misc]
        t_scan, expected = timed(lambda text=text: linear_scan(days, text))  # type: ignore[misc]
        got = [(h.date, h.rank, h.arxiv_id) for h in hits]
        assert got == expected, f"index and scan disagree on {text!r}"
        indexed_all.append(t_index)
        scan_all.append(t_scan)
        print(f"{text:<28} {len(got):>5} {t_index * 1000:>9.2f} {t_scan * 1000:>8.2f} {t_scan / t_index:>9.1f}x")
    warm, scan, worst = statistics.median(indexed_all), statistics.median(scan_all), max(indexed_all)
    print(
        f"warm median {warm * 1000:.2f} ms, worst {worst * 1000:.2f} ms; linear scan median {scan * 1000:.2f} ms "
        f"({scan / warm:.1f}x slower); goal 50 ms: {'met' if worst < 0.05 else 'NOT met'}"
    )
    ms = 1000
    print(f"BENCH|search warm median ({label})|{warm * ms:.1f} ms|{scan * ms:.1f} ms scan|{warm / scan:.2f}x|< 50 ms")
    print(f"BENCH|search cold build ({label})|{build * ms:.0f} ms|-|-|-")
    limited, _ = timed(lambda: index.search("bench", "learning", limit=50))
    print(f"'learning', first 50 hits (the command's default limit): {limited * 1000:.2f} ms")
    index.close()


def bench_folder_feed(days: list[Day], folder: Path) -> None:
    posts = folder / "posts"
    posts.mkdir()
    for day in days:
        (posts / day.filename).write_text(render_post(day), encoding="utf-8")
    t0 = time.perf_counter()
    parsed = [read_post(path) for path in sorted(posts.iterdir())]
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    linear_scan(parsed, "graph neural")
    parse += time.perf_counter() - t0
    with SearchIndex.open(folder / "feed.sqlite3") as index:  # the default layout, as the command uses
        t0 = time.perf_counter()
        asyncio.run(sync_feed(index, FolderFeed(posts, name="dir:posts")))
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        asyncio.run(sync_feed(index, FolderFeed(posts, name="dir:posts")))
        index.search("dir:posts", "graph neural", limit=50)
        warm = time.perf_counter() - t0
    print(
        f"\n== folder feed of {DAYS} post files: first sync (parse + index) {cold * 1000:.0f} ms; "
        f"later sync (a stat per file, no read) + query {warm * 1000:.1f} ms"
    )
    print(
        f"without an index, parsing the {DAYS} posts and scanning them: {parse * 1000:.0f} ms "
        f"({parse / warm:.0f}x the indexed answer)"
    )


def main() -> None:
    days = generate_days(random.Random(6))
    print(f"{DAYS} days, {sum(len(d.papers) for d in days)} papers; FTS5 available: {fts5_available()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_index(days, folder, fts=False)
        if fts5_available():
            bench_index(days, folder, fts=True)
        bench_folder_feed(days, folder)


if __name__ == "__main__":
    main()
