"""What the reader adds to the marks and the search index: one day's marks, changes by others, the background pass."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import Marks
from hotpapers_tui.library.searchindex import SearchIndex, feed_key, post_stat, post_token, sync_days, sync_feed
from tests.ui.postgen import make_day, write_posts

DAYS = [date(2024, 7, 1), date(2024, 7, 2), date(2024, 7, 3)]


@contextmanager
def counted_reads(folder: Path) -> Iterator[list[Path]]:
    """The files under ``folder`` opened meanwhile, however they are opened (``os.open`` or ``io.open``)."""
    reads: list[Path] = []
    real_os_open, real_io_open = os.open, io.open

    def note(path: object) -> None:
        if isinstance(path, (str, os.PathLike)) and Path(os.fspath(path)).parent == folder:
            reads.append(Path(os.fspath(path)))

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        note(path)
        return real_os_open(path, *args, **kwargs)

    def io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        note(file)
        return real_io_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", os_open)
        patch.setattr(io, "open", io_open)
        yield reads


def test_marks_for_one_day_and_changes_made_by_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "marks.sqlite3"
    with Marks.open(path) as mine, Marks.open(path) as other:
        mine.set_read("a")
        mine.set_starred("b")
        mine.set_starred("x")
        day = mine.marks_for(["a", "b", "c", "a"])
        assert day.read == {"a"} and day.starred == {"b"}, "only the ids asked for"
        before = mine.data_version()
        mine.set_read("c")
        assert mine.data_version() == before, "our own writes do not count as changes from elsewhere"
        other.set_read("b")
        assert mine.data_version() != before
        assert mine.marks_for(["b"]).read == {"b"}


def test_marks_for_many_ids_in_chunks(tmp_path: Path) -> None:
    with Marks.open(tmp_path / "marks.sqlite3") as marks:
        ids = [f"2401.{n:05d}" for n in range(1200)]
        changed = marks.set_read_many(ids[::2])
        assert len(changed) == 600
        assert marks.marks_for(ids).read == set(ids[::2])


def test_set_read_many_returns_only_what_changed_for_an_undo(tmp_path: Path) -> None:
    with Marks.open(tmp_path / "marks.sqlite3") as marks:
        marks.set_read("a")
        changed = marks.set_read_many(["a", "b", "c", "b"])
        assert changed == ["b", "c"]
        assert marks.set_read_many(changed, False) == ["b", "c"]
        assert marks.read_ids(["a", "b", "c"]) == {"a"}


def test_sync_days_reads_a_post_again_only_when_its_size_or_time_changed(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    paths = write_posts(folder, [make_day(d, 3) for d in DAYS])
    with SearchIndex.open(tmp_path / "search.sqlite3") as index:
        feed = FolderFeed(folder, name="dir:posts")
        progress: list[tuple[int, int]] = []
        changes = asyncio.run(sync_days(index, feed, DAYS, progress=lambda d, t: progress.append((d, t))))
        assert changes.indexed == 3 and progress[0] == (0, 3) and progress[-1] == (3, 3)
        assert index.indexed_days(feed_key(feed))[DAYS[0]].startswith(post_stat(paths[0]) + "|")
        with counted_reads(folder) as reads:
            again = asyncio.run(sync_days(index, FolderFeed(folder, name="dir:posts"), DAYS))
            assert again.unchanged == 3 and reads == [], "unchanged size and time: not even read"
            # Touched but not changed: read and digested, not parsed again.
            stat = paths[1].stat()
            os.utime(paths[1], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
            touched = asyncio.run(sync_days(index, FolderFeed(folder, name="dir:posts"), DAYS))
            assert touched.unchanged == 3 and touched.indexed == 0 and reads == [paths[1]]
        # Changed: indexed again; a day no longer listed is dropped.
        paths[2].write_text(paths[2].read_text(encoding="utf-8").replace("Synthetic paper 1", "Renamed"), "utf-8")
        changed = asyncio.run(sync_days(index, FolderFeed(folder, name="dir:posts"), DAYS[1:]))
        assert changed.indexed == 1 and changed.dropped == 1
        assert [h.date for h in index.search(feed_key(feed), "Renamed")] == [DAYS[2]]


def test_sync_days_agrees_with_the_cli_sync_and_stops_when_asked(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    paths = write_posts(folder, [make_day(d, 3) for d in DAYS])
    with SearchIndex.open(tmp_path / "search.sqlite3") as index:
        feed = FolderFeed(folder, name="dir:posts")
        asyncio.run(sync_feed(index, feed))  # tokens of the command line's sync
        changes = asyncio.run(sync_days(index, FolderFeed(folder, name="dir:posts"), DAYS))
        assert changes.indexed == 0 and changes.unchanged == 3, "the same content is not parsed again"
        assert post_token(paths[0]).endswith(index.indexed_days(feed_key(feed))[DAYS[0]].rsplit("|", 1)[-1])
    with SearchIndex.open(tmp_path / "other.sqlite3") as index:
        calls = 0

        def stop() -> bool:
            nonlocal calls
            calls += 1
            return calls > 1

        stopped = asyncio.run(sync_days(index, FolderFeed(folder, name="dir:posts"), DAYS, stop=stop))
        assert stopped.indexed == 1


def test_sync_days_reports_days_a_cache_only_feed_cannot_give(tmp_path: Path) -> None:
    from collections.abc import Sequence

    from hotpapers_tui.feeds.base import DayLoad, FeedError

    class CacheOnly:
        name = "archive"

        def __init__(self) -> None:
            self.loads: list[date] = []

        async def days(self) -> Sequence[date]:
            return DAYS

        async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
            self.loads.append(day)
            if day != DAYS[0]:
                raise FeedError(f"offline: {day} is not in the cache")
            return DayLoad(make_day(day, 2))

        async def aclose(self) -> None:
            return None

    with SearchIndex.open(tmp_path / "search.sqlite3") as index:
        feed = CacheOnly()
        first = asyncio.run(sync_days(index, feed, DAYS))  # type: ignore[arg-type]
        assert first.indexed == 1 and [d for d, _ in first.failed] == DAYS[1:]
        feed.loads.clear()
        second = asyncio.run(sync_days(index, feed, DAYS))  # type: ignore[arg-type]
        assert second.unchanged == 1 and feed.loads == DAYS[1:], "an indexed remote day is not loaded again"


def test_feed_search_indexes_every_day_and_says_what_it_covers(tmp_path: Path) -> None:
    from hotpapers_tui.daysearch import Coverage, FeedSearch

    folder = tmp_path / "posts"
    write_posts(folder, [make_day(d, 3) for d in DAYS])
    (folder / "2024-07-04---Hot-Papers.md").write_text("not a post\n", encoding="utf-8")
    feed = FolderFeed(folder, name="dir:posts")
    with SearchIndex.open(tmp_path / "search.sqlite3") as index:
        search = FeedSearch(index, feed)
        seen: list[tuple[int, int]] = []
        days = asyncio.run(feed.days())
        coverage = search.index_all(days, [], progress=lambda d, t: seen.append((d, t)))
        assert coverage == Coverage("dir:posts", 4, 1, 3, True) and seen[-1] == (4, 4)
        assert coverage.text == "Search covers 3 of the 4 days of dir:posts; 1 could not be read."
        assert [h.date for h in search.search('"paper 1 of 2024-07-02"', None)] == [DAYS[1]]
        assert search.search("", None) == []
    assert Coverage("sample", 1, 0, 1, True).text == "Search covers the one day of sample."
    assert Coverage("archive", 3, 2, 0, False).text.endswith(
        "2 not cached yet (indexed once visited; search never fetches)."
    )
    assert Coverage("archive", 3, -1, 0, False).text == "Search covers the days indexed so far."


def test_the_command_line_and_the_reader_share_one_index_pass_and_read_no_post_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotpapers_tui.cli import main
    from hotpapers_tui.daysearch import FeedSearch

    folder = tmp_path / "posts"
    paths = write_posts(folder, [make_day(d, 3) for d in DAYS])
    spec = f"dir:{folder}"

    def reader_pass() -> int:
        feed = FolderFeed(folder, name=spec)
        with SearchIndex.open() as index:
            search = FeedSearch(index, feed)
            return search.index_all(asyncio.run(feed.days()), []).indexed

    def cli_search() -> str:
        assert main(["search", "--feed", spec, '"paper 1 of 2024-07-02"']) == 0
        return capsys.readouterr().out

    # The reader indexes every day; a search from the command line then opens no post.
    assert reader_pass() == 3
    with counted_reads(folder) as reads:
        assert cli_search().startswith("2024-07-02")
    assert reads == [], "the command line read posts the reader had indexed"

    # The other way round: a post changed since is read (and only it), by the command line;
    # the reader's pass then opens nothing.
    paths[0].write_text(paths[0].read_text(encoding="utf-8").replace("Synthetic paper 2", "Renamed"), "utf-8")
    with counted_reads(folder) as reads:
        cli_search()
    assert set(reads) == {paths[0]}
    with counted_reads(folder) as reads:
        assert reader_pass() == 0
    assert reads == [], "the reader read posts the command line had indexed"

    # A day the reader loads and indexes itself keeps the same token: the next search reads nothing.
    feed = FolderFeed(folder, name=spec)
    with SearchIndex.open() as index:
        assert FeedSearch(index, feed).put(asyncio.run(feed.load(DAYS[1])))
    with counted_reads(folder) as reads:
        cli_search()
    assert reads == []
