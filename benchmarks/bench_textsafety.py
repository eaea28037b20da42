"""Measures plain() over a whole day's untrusted text against a bare control-character regex as baseline.

Run: python benchmarks/bench_textsafety.py  (prints BENCH| lines, see benchmarks/README.md)
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.posts import parse_post
from hotpapers_tui.textsafety import plain

# The least any sanitiser must do: one pass removing C0/C1 controls.
_BASELINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ATTACK = "\x1b[31m\x1b]52;c;ZXZpbA==\x07\u202e\u200b"


def day_texts() -> list[str]:
    """Every string of the sample day that the reader shows: titles, authors, abstracts, posts."""
    day = parse_post(sample_path().read_text(encoding="utf-8"), "sample")
    texts: list[str] = []
    for paper in day.papers:
        texts += [paper.title, paper.abstract, *paper.authors]
        for tweet in paper.tweets:
            texts += [tweet.text, tweet.author, tweet.handle]
    return texts


def best_of(texts: list[str], clean: Callable[[str], str], repeat: int = 30) -> float:
    """The fastest of ``repeat`` passes over ``texts``, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            clean(text)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def report(figure: str, texts: list[str], goal: str) -> None:
    ours = best_of(texts, plain)
    floor = best_of(texts, lambda t: _BASELINE.sub("", t))
    print(f"BENCH|{figure}|{ours:.2f} ms|{floor:.2f} ms (control-char regex)|{ours / floor:.1f}x|{goal}")


def main() -> None:
    texts = day_texts()
    size = sum(map(len, texts))
    report(f"plain() on a day's text ({len(texts)} strings, {size // 1000}k chars)", texts, "< 4x baseline")
    hostile = [ATTACK + t + ATTACK for t in texts]
    report("plain() on the same text, every string carrying escapes", hostile, "< 20x baseline")


if __name__ == "__main__":
    main()
