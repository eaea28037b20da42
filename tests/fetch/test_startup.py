"""The reader's first feed: the configured one, or the sample with a plain notice when offline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from hotpapers_tui.config import DEFAULT_BASE_URLS, Config
from hotpapers_tui.feeds import GithubFeed
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.startup import open_start_feed
from tests.fetch.conftest import FOLDER, OWNER, REF, REPO, PostServer, archive_days, refused_url, stop

SPEC = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"


def config_for(base_url: str, default_feed: str = SPEC) -> Config:
    urls = {**DEFAULT_BASE_URLS, "github_api": base_url, "github_raw": base_url}
    return Config(default_feed=default_feed, base_urls=urls)


async def test_configured_feed_opens_with_its_days(home: Path, serve: Callable[[list[date]], PostServer]) -> None:
    server = serve(archive_days(2))
    feed, notice = await open_start_feed(config_for(server.base_url), offline=False)
    assert notice is None and isinstance(feed, GithubFeed)
    requests = len(server.seen)
    assert list(await feed.days()) == archive_days(2)
    assert len(server.seen) == requests  # the listing was kept
    await feed.aclose()


async def test_no_network_and_empty_cache_falls_back_to_sample(home: Path) -> None:
    fetcher = HttpFetcher(base_urls=config_for(refused_url()).base_urls, retry=RetryPolicy(attempts=1))
    feed, notice = await open_start_feed(config_for(""), offline=False, fetcher=fetcher)
    await fetcher.aclose()
    assert feed.name == "sample" and list(await feed.days()) == [date(2021, 6, 22)]
    assert notice is not None and notice.startswith("offline: ")
    assert "cannot be reached" in notice and "showing the sample day" in notice


async def test_offline_flag_with_empty_cache_says_so(home: Path) -> None:
    feed, notice = await open_start_feed(Config(default_feed="archive"), offline=True)
    assert feed.name == "sample"
    assert notice == (
        "offline: --offline, and the 'archive' feed is not in the cache yet; showing the sample day instead"
    )


async def test_offline_with_a_cache_opens_the_configured_feed(
    home: Path, serve: Callable[[list[date]], PostServer]
) -> None:
    server = serve(archive_days(1))
    config = config_for(server.base_url)
    feed, _ = await open_start_feed(config, offline=False)
    await feed.load(archive_days(1)[0])
    await feed.aclose()
    stop(server)
    feed, notice = await open_start_feed(config, offline=True)
    assert notice is None and feed.name == SPEC
    assert (await feed.load(archive_days(1)[0])).day.date == archive_days(1)[0]
    await feed.aclose()
    assert (home / "cache").is_dir()
    # The ref's root tree is a listing; the sub-trees (by sha) and the post never change.
    assert AnswerCache(home / "cache").info().entries == {"listing": 1, "forever": 3}


async def test_unknown_default_feed_falls_back_with_a_notice(home: Path) -> None:
    feed, notice = await open_start_feed(Config(default_feed="nowhere"), offline=False)
    assert feed.name == "sample"
    assert notice is not None and notice.startswith("default_feed in the config: unknown feed 'nowhere'")


async def test_stale_listing_is_announced(home: Path, serve: Callable[[list[date]], PostServer]) -> None:
    server = serve(archive_days(1))
    config = config_for(server.base_url)
    feed, _ = await open_start_feed(config, offline=False)
    await feed.aclose()
    stop(server)
    fetcher = HttpFetcher(
        base_urls=config.base_urls,
        cache=AnswerCache(home / "cache"),
        retry=RetryPolicy(attempts=1),
        listing_ttl=timedelta(0),  # the kept listing is out of date: the network is asked, and fails
    )
    feed, notice = await open_start_feed(config, offline=False, fetcher=fetcher)
    await fetcher.aclose()
    assert feed.name == SPEC and list(await feed.days()) == archive_days(1)
    assert notice is not None and notice.startswith("offline: showing data from ") and SPEC in notice
