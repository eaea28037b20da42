"""The filter language and the sort orders."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hotpapers_tui.library.marks import MarkSet
from hotpapers_tui.library.query import SORT_KEYS, next_sort_key, parse_query, sort_papers
from hotpapers_tui.model import Paper, Tweet, rank_papers
from tests.library.conftest import make_paper

GRAND = make_paper(
    "2106.10934",
    "GRAND: Graph Neural Diffusion",
    authors=("Benjamin Paul Chamberlain", "Michael M. Bronstein"),
    categories=("cs.LG", "stat.ML"),
    abstract="We present Graph Neural Diffusion, which approaches deep learning on graphs as a PDE.",
)
TABULAR = make_paper(
    "2106.11189",
    "Regularization is all you Need: Simple Neural Nets can Excel on Tabular Data",
    authors=("Arlind Kadra", "Frank Hutter"),
    categories=("cs.LG",),
    abstract="Tabular datasets are the last unconquered castle for deep learning.",
)
ASTRO = make_paper(
    "2106.10001",
    "A survey of exoplanets",
    authors=("Vera Rubin",),
    categories=("astro-ph.EP",),
    abstract="Planets around other stars.",
)
PAPERS = [GRAND, TABULAR, ASTRO]


def ids(query: str, marks: MarkSet | None = None) -> list[str]:
    return [p.arxiv_id for p in parse_query(query).filter(PAPERS, marks)]


def test_free_words_all_must_match_ignoring_case_over_every_field() -> None:
    assert ids("graph") == ["2106.10934"]
    assert ids("NEURAL deep") == ["2106.10934", "2106.11189"]
    assert ids("neural planets") == []
    assert ids("hutter") == ["2106.11189"]  # authors
    assert ids("stat.ml") == ["2106.10934"]  # categories
    assert ids("castle") == ["2106.11189"]  # abstract
    assert ids("2106.10001") == ["2106.10001"]  # the id


def test_quoted_phrase_must_appear_as_written() -> None:
    assert ids('"deep learning on graphs"') == ["2106.10934"]
    assert ids('"learning deep"') == []


def test_qualifiers_combine_with_words_and_each_other() -> None:
    assert ids("cat:cs.LG") == ["2106.10934", "2106.11189"]
    assert ids("cat:stat.ml") == ["2106.10934"]
    assert ids("cat:astro-ph") == ["2106.10001"]  # the whole archive
    assert ids("cat:cs.L") == []  # not a prefix match within a category
    assert ids("author:bronstein") == ["2106.10934"]
    assert ids("cat:cs.LG author:hutter tabular") == ["2106.11189"]
    assert ids("cat:cs.LG author:hutter graph") == []
    assert ids('author:"Paul Chamberlain"') == ["2106.10934"]


def test_is_qualifiers_use_the_marks_and_combine() -> None:
    marks = MarkSet(read=frozenset({"2106.10934"}), starred=frozenset({"2106.10934", "2106.10001"}))
    assert ids("is:unread", marks) == ["2106.11189", "2106.10001"]
    assert ids("is:read", marks) == ["2106.10934"]
    assert ids("is:starred", marks) == ["2106.10934", "2106.10001"]
    assert ids("is:starred is:unread", marks) == ["2106.10001"]
    assert ids("is:unstarred cat:cs.LG", marks) == ["2106.11189"]
    # Without marks, every paper is unread and unstarred.
    assert ids("is:unread") == ["2106.10934", "2106.11189", "2106.10001"]
    assert ids("is:starred") == []


def test_negation_excludes() -> None:
    marks = MarkSet(read=frozenset({"2106.10934"}), starred=frozenset())
    assert ids("-graph") == ["2106.11189", "2106.10001"]
    assert ids("-cat:cs.LG") == ["2106.10001"]
    assert ids("neural -author:kadra") == ["2106.10934"]
    assert ids("-is:read", marks) == ["2106.11189", "2106.10001"]


def test_parse_is_forgiving_while_typing() -> None:
    assert parse_query("").is_empty
    assert parse_query("   ").is_empty
    assert parse_query("cat:").is_empty  # a qualifier still being typed
    assert parse_query("-").is_empty
    bad = parse_query("is:bogus graph")
    assert bad.problems and "is:bogus" in bad.problems[0]
    assert [t.value for t in bad.terms] == ["graph"]
    # An unknown prefix is text, as in titles that say "GPT-3: ..." or ids written "arXiv:2106".
    weird = parse_query("arXiv:2106.10934")
    assert [(t.kind, t.value) for t in weird.terms] == [("word", "arxiv:2106.10934")]
    assert parse_query("is:starred").needs_marks
    assert not parse_query("starred").needs_marks


def test_untrusted_markup_in_a_query_is_just_text() -> None:
    tricky = make_paper("2106.1", "[WIP] $x^2$ [bold]not bold[/bold]")
    query = parse_query("[bold]not")
    assert query.matches(tricky)
    assert not query.matches(GRAND)


def _with_tweets(n: int, arxiv_id: str, title: str, retweets: int, favorites: int) -> Paper:
    tweet = Tweet(url="https://x.com/a/status/1", author="A", handle="a", date="", text="", lang="en", html="")
    paper = make_paper(arxiv_id, title, retweets=retweets, favorites=favorites)
    return replace(paper, tweets=(tweet,) * n)


def test_sort_orders() -> None:
    a = _with_tweets(1, "a", "beta", retweets=1, favorites=100)
    b = _with_tweets(5, "b", "Alpha", retweets=50, favorites=1)
    c = _with_tweets(3, "c", "gamma", retweets=20, favorites=20)
    d = _with_tweets(3, "d", "delta", retweets=20, favorites=20)  # ties with c on everything but title
    papers = [a, b, c, d]

    def order(key: str) -> list[str]:
        return [p.arxiv_id for p in sort_papers(papers, key)]  # type: ignore[arg-type]

    assert order("score") == [p.arxiv_id for p in rank_papers(papers)] == ["a", "b", "c", "d"]
    assert order("retweets") == ["b", "c", "d", "a"]
    assert order("favorites") == ["a", "c", "d", "b"]
    assert order("tweets") == ["b", "c", "d", "a"]
    assert order("title") == ["b", "a", "d", "c"]
    with pytest.raises(ValueError, match="unknown sort"):
        order("date")


def test_sort_cycle_visits_every_key_and_returns() -> None:
    key = SORT_KEYS[0]
    seen = []
    for _ in SORT_KEYS:
        seen.append(key)
        key = next_sort_key(key)
    assert seen == list(SORT_KEYS)
    assert key == SORT_KEYS[0]
