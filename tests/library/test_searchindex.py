"""The cross-day search index: kept in step with the days, never stale, same answers as the filter."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotpapers_tui.export import save_post
from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library import searchindex
from hotpapers_tui.library.marks import MarkSet
from hotpapers_tui.library.query import parse_query
from hotpapers_tui.library.searchindex import SearchIndex, default_path, feed_key, sync_feed
from hotpapers_tui.model import Day, rank_papers
from tests.library.conftest import make_day, make_paper

DAY1 = make_day(
    "2021-06-21",
    make_paper("2106.00001", "Graph Neural Diffusion", authors=("Ben Chamberlain",), retweets=100),
    make_paper("2106.00002", "Tabular data and deep nets", authors=("Frank Hutter",), retweets=50),
)
DAY2 = make_day(
    "2021-06-22",
    make_paper("2106.00003", "Exoplanet atmospheres", categories=("astro-ph.EP",), abstract="Hot Jupiters."),
    make_paper("2106.00001", "Graph Neural Diffusion", authors=("Ben Chamberlain",), retweets=1, favorites=0),
    make_paper("2106.00004", "Diffusion models beat GANs", retweets=900),
)


def found(index: SearchIndex, query: str, feed: str = "f") -> list[tuple[str, int, str]]:
    return [(h.date.isoformat(), h.rank, h.arxiv_id) for h in index.search(feed, query, limit=None)]


FTS_CHOICES = [False, True] if searchindex.fts5_available() else [False]


@pytest.fixture(params=FTS_CHOICES, ids=lambda fts: "fts" if fts else "scan")
def index(request: pytest.FixtureRequest) -> Iterator[SearchIndex]:
    opened = SearchIndex.open(fts=request.param)
    assert opened.uses_fts == request.param
    yield opened
    opened.close()


def test_index_lives_in_the_cache_folder(tmp_path: Path) -> None:
    assert default_path() == tmp_path / "cache" / "search.sqlite3"


def test_hits_are_newest_day_first_then_by_rank(index: SearchIndex) -> None:
    changes = index.update("f", [DAY1, DAY2])
    assert (changes.indexed, changes.unchanged, changes.dropped) == (2, 0, 0)
    assert found(index, "diffusion") == [
        ("2021-06-22", 1, "2106.00004"),
        ("2021-06-22", 3, "2106.00001"),
        ("2021-06-21", 1, "2106.00001"),
    ]
    [hit] = index.search("f", "hutter")
    assert (hit.title, hit.paper.authors, hit.paper.abs_url) == (
        "Tabular data and deep nets",
        ("Frank Hutter",),
        "https://arxiv.org/abs/2106.00002",
    )
    assert len(index.search("f", "diffusion", limit=2)) == 2
    assert index.search("f", "") == []


def test_new_days_are_indexed_and_unchanged_days_skipped(index: SearchIndex) -> None:
    index.update("f", [DAY1])
    assert found(index, "exoplanet") == []
    changes = index.update("f", [DAY1, DAY2])
    assert (changes.indexed, changes.unchanged, changes.dropped) == (1, 1, 0)
    assert found(index, "exoplanet") == [("2021-06-22", 2, "2106.00003")]


def test_a_changed_day_never_returns_stale_papers(index: SearchIndex) -> None:
    index.update("f", [DAY1, DAY2])
    revised = make_day("2021-06-22", make_paper("2106.00009", "Completely new content"))
    changes = index.update("f", [DAY1, revised])
    assert (changes.indexed, changes.unchanged) == (1, 1)
    assert found(index, "exoplanet") == []
    assert found(index, "beat gans") == []
    assert found(index, "completely new") == [("2021-06-22", 1, "2106.00009")]
    # A title edited in place counts as a change too.
    retitled = make_day("2021-06-22", make_paper("2106.00009", "Completely renamed content"))
    index.update("f", [DAY1, retitled])
    assert found(index, '"new content"') == []
    assert found(index, "renamed") == [("2021-06-22", 1, "2106.00009")]


def test_days_no_longer_offered_are_dropped(index: SearchIndex) -> None:
    index.update("f", [DAY1, DAY2])
    assert index.update("f", [DAY2]).dropped == 1
    assert found(index, "hutter") == []
    # A partial update only adds.
    index.update("f", [DAY1], complete=False)
    assert found(index, "hutter") == [("2021-06-21", 2, "2106.00002")]
    assert found(index, "exoplanet") == [("2021-06-22", 2, "2106.00003")]


def test_feeds_are_kept_apart(index: SearchIndex) -> None:
    index.update("one", [DAY1])
    index.update("two", [DAY2])
    assert found(index, "exoplanet", feed="one") == []
    assert found(index, "exoplanet", feed="two") == [("2021-06-22", 2, "2106.00003")]
    index.update("two", [])
    assert found(index, "graph", feed="one") == [("2021-06-21", 1, "2106.00001")]


def test_qualifiers_and_marks_apply_to_search(index: SearchIndex) -> None:
    index.update("f", [DAY1, DAY2])
    marks = MarkSet(read=frozenset({"2106.00004"}), starred=frozenset({"2106.00003"}))
    assert found(index, "cat:astro-ph") == [("2021-06-22", 2, "2106.00003")]
    assert found(index, "author:hutter deep") == [("2021-06-21", 2, "2106.00002")]
    assert [h.arxiv_id for h in index.search("f", "is:starred", marks=marks)] == ["2106.00003"]
    assert [h.arxiv_id for h in index.search("f", "diffusion is:unread", marks=marks)] == ["2106.00001"] * 2
    assert found(index, "diffusion -graph") == [("2021-06-22", 1, "2106.00004")]


def test_a_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "search.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(8192))
    with SearchIndex.open() as index:
        assert "started afresh" in index.notice
        index.update("f", [DAY1])
        assert found(index, "hutter") == [("2021-06-21", 2, "2106.00002")]


def test_damaged_pages_in_the_index_are_found_on_opening(tmp_path: Path) -> None:
    with SearchIndex.open() as index:
        index.update("f", [make_day(f"2021-07-{n:02d}", make_paper(f"2107.{n:05d}", "x" * 3000)) for n in range(1, 29)])
    path = tmp_path / "cache" / "search.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\x00\xff" * ((len(data) - 4096) // 2)
    path.write_bytes(bytes(data))
    with SearchIndex.open() as index:
        assert "started afresh" in index.notice
        assert found(index, "xxx") == []
        index.update("f", [DAY1])
        assert found(index, "hutter") == [("2021-06-21", 2, "2106.00002")]


def test_switching_fts_on_or_off_rebuilds_the_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    with SearchIndex.open(fts=True) as index:
        index.update("f", [DAY1, DAY2])
        before = found(index, "diffusion -beat")
    monkeypatch.setattr(searchindex, "fts5_available", lambda: False)
    with SearchIndex.open(fts=True) as index:
        assert not index.uses_fts  # asked for, but this SQLite "has" none
        assert found(index, "diffusion") == []  # rebuilt empty, never half of an old layout
        index.update("f", [DAY1, DAY2])
        assert (
            found(index, "diffusion -beat")
            == before
            == [
                ("2021-06-22", 3, "2106.00001"),
                ("2021-06-21", 1, "2106.00001"),
            ]
        )


def test_text_that_cannot_be_stored_as_utf8_is_indexed_not_fatal(index: SearchIndex) -> None:
    odd = make_day("2021-06-23", make_paper("2106.00100", "Broken \ud800 surrogate title"))
    index.update("f", [odd])
    assert found(index, "surrogate") == [("2021-06-23", 1, "2106.00100")]


async def test_sync_feed_follows_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    for day in (DAY1, DAY2):
        save_post(day, folder / day.filename)
    key = feed_key(FolderFeed(folder, name="dir:posts"))
    assert key == f"dir:{folder.resolve()}"
    with SearchIndex.open() as index:
        changes = await sync_feed(index, FolderFeed(folder, name="dir:posts"))
        assert (changes.indexed, changes.unchanged, changes.dropped) == (2, 0, 0)
        again = await sync_feed(index, FolderFeed(folder, name="dir:posts"))
        assert (again.indexed, again.unchanged, again.dropped) == (0, 2, 0)
        assert found(index, "exoplanet", feed=key) == [("2021-06-22", 2, "2106.00003")]

        # An edit of the same size, with the file's time put back, is still seen.
        post = folder / DAY2.filename
        before = post.stat()
        post.write_text(post.read_text().replace("Exoplanet", "Exoplanes"))
        os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert post.stat().st_size == before.st_size
        sneaky = await sync_feed(index, FolderFeed(folder, name="dir:posts"))
        assert sneaky.indexed == 1
        assert found(index, "exoplanet", feed=key) == []
        assert found(index, "exoplanes", feed=key) == [("2021-06-22", 2, "2106.00003")]

        revised = make_day("2021-06-22", make_paper("2106.00077", "Replaced post", retweets=3))
        save_post(revised, folder / revised.filename, overwrite=True)
        third = await sync_feed(index, FolderFeed(folder, name="dir:posts"))
        assert third.indexed == 1
        assert found(index, "exoplanet", feed=key) == []
        assert found(index, "replaced", feed=key) == [("2021-06-22", 1, "2106.00077")]

        (folder / DAY1.filename).unlink()
        fourth = await sync_feed(index, FolderFeed(folder, name="dir:posts"))
        assert fourth.dropped == 1
        assert found(index, "hutter", feed=key) == []


WORDS = ["graph", "neural", "diffusion", "deep", "tabular", "hot", "ex", "gans", "ben", "cs.lg", "Über", "ﬁ", "a"]
TITLES = ["Graph Neural Diffusion", "Über die Deep Nets", "ﬁne-tuning GANs", "Tabular", "Hot takes on ex-ante"]


def _days(specs: list[list[tuple[int, int, int]]]) -> list[Day]:
    days = []
    for n, papers in enumerate(specs):
        made = [
            make_paper(
                f"2106.{n:02d}{i:03d}",
                TITLES[t],
                authors=(["Ben Chamberlain", "Frank Hutter", "Zoë Ünal"][a],),
                categories=(["cs.LG", "astro-ph.EP", "stat.ML"][c],),
                retweets=i,
            )
            for i, (t, a, c) in enumerate(papers)
        ]
        days.append(make_day(dt.date(2021, 1, 1) + dt.timedelta(days=n), *made))
    return days


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(
        st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2), st.integers(0, 2)), max_size=4), max_size=4
    ),
    terms=st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(WORDS).map(lambda w: "-" + w),
            st.sampled_from(["cat:cs", "cat:stat.ML", "author:hutter", "author:ün", "-cat:astro-ph"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_search_agrees_with_filtering_every_day(index: SearchIndex, specs: list, terms: list[str]) -> None:
    days = _days(specs)
    index.update("h", days)
    query = parse_query(" ".join(terms))
    expected = [
        (day.date.isoformat(), rank, paper.arxiv_id)
        for day in sorted(days, key=lambda d: d.date, reverse=True)
        for rank, paper in enumerate(rank_papers(day.papers), start=1)
        if query.matches(paper)
    ]
    assert found(index, " ".join(terms), feed="h") == expected
