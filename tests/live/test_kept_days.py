"""Built live days kept on disk: served again while fresh, shown offline, and the sample as last resort."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from hotpapers_tui.config import Config, live_settings
from hotpapers_tui.feeds import FeedError, open_feed
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.startup import open_start_feed
from tests.live.conftest import DAY, NOW, A
from tests.live.fakes import FakeFetcher
from tests.live.world import World


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("network is unreachable", request=request)


def feed_over(fetcher: FakeFetcher, store: LiveDayStore, *, now_shift: timedelta = timedelta(0)) -> LiveFeed:
    return LiveFeed(fetcher, LiveSettings(), now=lambda: NOW + now_shift, days_store=store, limit=4)


async def test_a_built_day_is_kept_and_served_again_while_fresh(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path / "live-days")
    first = FakeFetcher(world.handle)
    loaded = await feed_over(first, store).load(DAY)
    assert store.days() == [DAY]
    assert (tmp_path / "live-days").stat().st_mode & 0o777 == 0o700

    again = FakeFetcher(world.handle)
    served = await feed_over(again, store, now_shift=timedelta(minutes=5)).load(DAY)
    assert sum(len(r) for r in again.requests.values()) == 0
    assert [p.arxiv_id for p in served.day.papers] == [p.arxiv_id for p in loaded.day.papers]
    assert [p.score for p in served.day.papers] == [p.score for p in loaded.day.papers]
    assert served.day.papers[0].breakdown == loaded.day.papers[0].breakdown
    assert not served.stale and served.note.startswith("built 2026-11-26 12:00 UTC; sources: hackernews")


async def test_an_old_or_refreshed_day_is_built_again(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    await feed_over(FakeFetcher(world.handle), store).load(DAY)
    later = FakeFetcher(world.handle)
    await feed_over(later, store, now_shift=timedelta(hours=2)).load(DAY)
    assert later.count("hackernews") == 1
    refreshed = FakeFetcher(world.handle)
    await feed_over(refreshed, store).load(DAY, refresh=True)
    assert refreshed.count("hackernews") == 1


async def test_network_down_shows_the_kept_day_as_stale(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    built = await feed_over(FakeFetcher(world.handle), store).load(DAY)
    feed = feed_over(FakeFetcher(unreachable), store, now_shift=timedelta(hours=3))
    assert await feed.days() == [DAY]
    assert feed.start_note is not None and feed.start_note.startswith("offline (")
    shown = await feed.load(DAY)
    assert shown.stale and shown.note.startswith("offline: showing data from 2026-11-26 12:00 UTC")
    assert shown.day.papers[0].arxiv_id == built.day.papers[0].arxiv_id == A


async def test_network_down_and_nothing_kept_is_a_clear_error(tmp_path: Path) -> None:
    feed = feed_over(FakeFetcher(unreachable), LiveDayStore(tmp_path))
    with pytest.raises(FeedError, match="no live day was built here before"):
        await feed.days()


async def test_a_day_never_built_offline_is_an_error_not_an_empty_day(world: World, tmp_path: Path) -> None:
    feed = LiveFeed(FakeFetcher(world.handle, offline=True), LiveSettings(), now=lambda: NOW)
    with pytest.raises(FeedError, match="never built here"):
        await feed.load(DAY)


async def test_start_falls_back_to_kept_days_then_to_the_sample(world: World, tmp_path: Path) -> None:
    await open_feed("live", fetcher=FakeFetcher(world.handle)).aclose()  # opens with the user's cache folder
    config = Config(default_feed="live")
    feed, notice = await open_start_feed(config, offline=False, fetcher=FakeFetcher(unreachable))
    assert feed.name == "sample"
    assert notice is not None and notice.startswith("offline: ") and "showing the sample day instead" in notice

    kept = await open_feed("live", fetcher=FakeFetcher(world.handle)).load(DAY)
    assert kept.day.papers
    feed, notice = await open_start_feed(config, offline=True, fetcher=FakeFetcher(world.handle, offline=True))
    assert feed.name == "live" and list(await feed.days()) == [DAY]
    assert notice is not None and "showing live days built earlier, newest 2026-11-24" in notice
    loaded = await feed.load(DAY)
    assert loaded.stale and loaded.day.papers[0].arxiv_id == kept.day.papers[0].arxiv_id


def test_live_settings_follow_the_config() -> None:
    config = Config()
    settings = live_settings(config)
    assert settings.window_days == config.live.window_days and settings.bluesky_handle is None
    assert config.default_feed == "live"


async def test_a_live_day_is_written_with_twitters_own_embeds(world: World, tmp_path: Path) -> None:
    from hotpapers_tui.feeds.base import export_ready
    from hotpapers_tui.posts import parse_post, render_post
    from tests.live.conftest import credentials

    fetcher = FakeFetcher(world.handle)
    feed = LiveFeed(fetcher, credentials(), now=lambda: NOW)
    built = (await feed.load(DAY)).day
    ready = await export_ready(feed, built)
    x_posts = [t for p in ready.papers for t in p.tweets if t.platform == "x"]
    assert x_posts and all("From oEmbed" in t.html for t in x_posts)
    assert fetcher.count("x_oembed") == len(x_posts)
    again = parse_post(render_post(ready))
    assert [(p.arxiv_id, p.retweets, p.favorites) for p in again.papers] == [
        (p.arxiv_id, p.retweets, p.favorites) for p in ready.papers
    ]
