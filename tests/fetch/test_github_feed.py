"""The archive and github: feeds against a local server: listing, reading, the cache, and faults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.config import DEFAULT_BASE_URLS
from hotpapers_tui.feeds import FeedError, GithubFeed, open_feed
from hotpapers_tui.feeds.github import ARCHIVE_SPEC, parse_github_spec
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from tests.fetch.conftest import FOLDER, OWNER, REF, REPO, PostServer, Reply, archive_days, post_name, stop

SPEC = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"


def make_feed(
    server: PostServer, cache_dir: Path, *, offline: bool = False, attempts: int = 2, timeout: float = 1.0
) -> GithubFeed:
    fetcher = HttpFetcher(
        base_urls={"github_api": server.base_url, "github_raw": server.base_url},
        cache=AnswerCache(cache_dir),
        offline=offline,
        timeout=timeout,
        retry=RetryPolicy(attempts=attempts, backoff=0.01),
    )
    return GithubFeed(parse_github_spec(SPEC), fetcher, name=SPEC, owns_fetcher=True)


def test_spec_parsing() -> None:
    archive = parse_github_spec(ARCHIVE_SPEC)
    assert (archive.owner, archive.repo, archive.path, archive.ref) == (
        "TatsuyaShirakawa",
        "daily-arxiv-gatsby",
        "content/posts",
        "master",
    )
    assert parse_github_spec("github:me/blog").path == "" and parse_github_spec("github:me/blog").ref is None
    for bad in ["github:", "github:me", "github:me/blog@", "github:me/../x", "github:me/blog/a b", "github:a/b@x..y"]:
        with pytest.raises(FeedError, match=r"github:|not a"):
            parse_github_spec(bad)


def test_open_feed_builds_remote_feeds_with_real_hosts_by_default(home: Path) -> None:
    feed = open_feed("archive")
    assert isinstance(feed, GithubFeed) and feed.name == "archive"
    assert isinstance(feed.fetcher, HttpFetcher)
    assert feed.fetcher.base_urls["github_api"] == DEFAULT_BASE_URLS["github_api"] == "https://api.github.com"
    assert open_feed("sample").name == "sample"
    with pytest.raises(FeedError, match="unknown feed 'live2'"):
        open_feed("live2")


async def test_archive_listed_read_then_served_from_cache_with_server_gone(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    days = archive_days(3)
    server = serve(days)
    feed = make_feed(server, tmp_path / "cache")
    assert await feed.days() == days
    loads = [await feed.load(d) for d in days]
    await feed.aclose()
    assert [load.day.date for load in loads] == days
    assert all(len(load.day.papers) > 0 and not load.stale and load.note == "" for load in loads)
    assert server.paths_seen()[0] == server.listing_path
    assert all(headers["User-Agent"].startswith("hotpapers-tui/") for _, headers in server.seen)
    stop(server)

    again = make_feed(server, tmp_path / "cache")
    assert await again.days() == days
    second = await again.load(days[1])
    await again.aclose()
    assert second.day == loads[1].day and not second.stale  # posts never change: still fresh


async def test_offline_reads_the_cache_and_nothing_else(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    days = archive_days(2)
    server = serve(days)
    online = make_feed(server, tmp_path / "cache")
    await online.load(days[0])
    await online.aclose()
    seen = len(server.seen)
    offline = make_feed(server, tmp_path / "cache", offline=True)
    assert await offline.days() == days
    assert (await offline.load(days[0])).day.date == days[0]
    with pytest.raises(FeedError, match=f"cannot read {post_name(days[1])}: offline") as caught:
        await offline.load(days[1])
    await offline.aclose()
    assert len(server.seen) == seen
    assert getattr(caught.value.__cause__, "offline", False)


async def test_post_that_fails_to_parse_names_file_and_line(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    days = archive_days(2)
    server = serve(days)
    name = post_name(days[1])
    lines = server.posts[name].decode().split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith("- retweets:"))
    lines[broken] = "- retweets: many"
    server.posts[name] = "\n".join(lines).encode()
    feed = make_feed(server, tmp_path / "cache")
    with pytest.raises(FeedError, match=rf"{FOLDER}/{name}: line {broken + 1}: expected"):
        await feed.load(days[1])
    assert (await feed.load(days[0])).day.date == days[0]  # the others still load
    await feed.aclose()


async def test_invalid_listing_json_is_a_clear_message(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(1))
    server.faults[server.listing_path] = [Reply(body=b'[{"name": "2021-06-01---Hot-')]
    feed = make_feed(server, tmp_path / "cache")
    with pytest.raises(FeedError, match=r"cannot list the posts: .*invalid JSON"):
        await feed.days()
    assert await feed.days() == archive_days(1)  # not cached: the next try gets the real listing
    await feed.aclose()


async def test_listing_not_a_folder(tmp_path: Path, serve: Callable[[list[date]], PostServer]) -> None:
    server = serve([])
    server.faults[server.listing_path] = [Reply(body=b'{"message": "this is a file"}')]
    feed = make_feed(server, tmp_path / "cache")
    with pytest.raises(FeedError, match="not a folder"):
        await feed.days()
    await feed.aclose()


async def test_failed_refresh_serves_the_kept_copy_marked_stale(
    tmp_path: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    days = archive_days(1)
    server = serve(days)
    feed = make_feed(server, tmp_path / "cache")
    first = await feed.load(days[0])
    await feed.aclose()
    server.faults[server.listing_path] = [Reply(status=500)] * 2
    server.faults[server.raw_path(post_name(days[0]))] = [Reply(status=503)] * 2
    again = make_feed(server, tmp_path / "cache")
    assert await again.days() == days  # the listing is under a day old: from the cache, no request
    refreshed = await again.load(days[0], refresh=True)  # the refetch fails twice: the kept copy is served
    await again.aclose()
    assert refreshed.day == first.day
    assert refreshed.stale and refreshed.fetched_at == first.fetched_at
    assert refreshed.note.startswith("offline: showing data from ") and refreshed.note.endswith(" UTC")
    assert server.faults[server.raw_path(post_name(days[0]))] == []  # both failures were really served
    assert server.faults[server.listing_path] == [Reply(status=500)] * 2


@pytest.mark.parametrize(
    "fault",
    [
        Reply(status=500),
        Reply(status=503, headers={"Retry-After": "Thu, 01 Jan 2026 00:00:00 GMT"}),
        Reply(status=429, headers={"Retry-After": "0"}),
        Reply(body=b"x" * 4000, truncate_to=10),
        Reply(body=b"late", delay=5.0),
    ],
    ids=["500", "503-retry-after-date", "429-retry-after", "truncated", "timeout"],
)
async def test_one_fault_then_the_right_data(
    tmp_path: Path, serve: Callable[[list[date]], PostServer], fault: Reply
) -> None:
    days = archive_days(2)
    server = serve(days)
    good = make_feed(server, tmp_path / "cache")
    first = await good.load(days[0])
    await good.aclose()
    name = post_name(days[1])
    server.faults[server.listing_path] = [fault]
    server.faults[server.raw_path(name)] = [fault]
    feed = make_feed(server, tmp_path / "cache", timeout=0.3)
    assert await feed.days() == days  # the listing is still fresh in the cache: the fault is not even asked for
    load = await feed.load(days[1])  # the post: first try meets the fault, the retry gets it
    assert load.day.date == days[1] and not load.stale
    assert server.faults[server.raw_path(name)] == []
    assert (await feed.load(days[0])).day == first.day
    await feed.aclose()
