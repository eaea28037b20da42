"""Built live days kept on disk: served again while fresh, final once their window closed, and shown offline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hotpapers_tui.config import Config, live_settings
from hotpapers_tui.feeds import FeedError
from hotpapers_tui.fetch.api import FetchError
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from tests.live.conftest import DAY, NOW, A
from tests.live.fakes import FakeFetcher
from tests.live.world import World

OPEN = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
"""Inside DAY's attention window (24 Nov 01:00 to 26 Nov 01:00 UTC); NOW is after it."""


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("network is unreachable", request=request)


def feed_over(fetcher: FakeFetcher, store: LiveDayStore, at: datetime) -> LiveFeed:
    return LiveFeed(fetcher, LiveSettings(), now=lambda: at, days_store=store)


def asked(fetcher: FakeFetcher) -> int:
    return sum(len(r) for r in fetcher.requests.values())


async def test_a_day_in_its_window_is_kept_and_served_again_while_fresh(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path / "live-days")
    loaded = await feed_over(FakeFetcher(world.handle), store, OPEN).load(DAY)
    assert store.days() == [DAY]
    assert (tmp_path / "live-days").stat().st_mode & 0o777 == 0o700

    again = FakeFetcher(world.handle)
    served = await feed_over(again, store, OPEN + timedelta(minutes=5)).load(DAY)
    assert asked(again) == 0
    assert [p.arxiv_id for p in served.day.papers] == [p.arxiv_id for p in loaded.day.papers]
    assert [p.score for p in served.day.papers] == [p.score for p in loaded.day.papers]
    assert served.day.papers[0].breakdown == loaded.day.papers[0].breakdown
    assert not served.stale and served.note.startswith("built 2026-11-25 12:00 UTC; sources: hackernews")


async def test_a_day_in_its_window_is_built_again_when_old_or_refreshed(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    await feed_over(FakeFetcher(world.handle), store, OPEN).load(DAY)
    later = FakeFetcher(world.handle)
    await feed_over(later, store, OPEN + timedelta(hours=2)).load(DAY)
    assert later.count("hackernews") == 1
    refreshed = FakeFetcher(world.handle)
    await feed_over(refreshed, store, OPEN + timedelta(hours=2)).load(DAY, refresh=True)
    assert refreshed.count("hackernews") == 1


async def test_a_day_built_after_its_window_closed_is_final_online_and_offline(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    built = await feed_over(FakeFetcher(world.handle), store, NOW).load(DAY)
    a_year_on = NOW + timedelta(days=365)

    online = FakeFetcher(world.handle)
    served = await feed_over(online, store, a_year_on).load(DAY)
    assert asked(online) == 0 and not served.stale
    assert served.note.startswith("built 2026-11-26 12:00 UTC, after its attention window closed")
    assert [(p.arxiv_id, p.score) for p in served.day.papers] == [(p.arxiv_id, p.score) for p in built.day.papers]

    for fetcher in (FakeFetcher(world.handle, offline=True), FakeFetcher(unreachable)):
        shown = await feed_over(fetcher, store, a_year_on).load(DAY)
        assert asked(fetcher) == 0
        assert not shown.stale and shown.day.papers[0].arxiv_id == A == built.day.papers[0].arxiv_id

    # R: the user asks for it to be built again, and it is.
    again = FakeFetcher(world.handle)
    rebuilt = await feed_over(again, store, a_year_on).load(DAY, refresh=True)
    assert again.count("hackernews") == 1 and rebuilt.fetched_at == a_year_on


async def test_a_day_a_source_failed_on_is_not_final(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    world.down["hn.algolia.com"] = 503
    first = await feed_over(FakeFetcher(world.handle), store, NOW).load(DAY)
    assert "skipped: hackernews (HTTP 503)" in first.note
    del world.down["hn.algolia.com"]
    later = FakeFetcher(world.handle)
    second = await feed_over(later, store, NOW + timedelta(hours=1)).load(DAY)
    assert later.count("hackernews") == 1 and "hackernews (2 posts)" in second.note
    # Built complete this time, after the window: final from now on.
    final = FakeFetcher(world.handle)
    await feed_over(final, store, NOW + timedelta(days=30)).load(DAY)
    assert asked(final) == 0


async def test_network_down_shows_the_kept_open_day_as_stale(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    built = await feed_over(FakeFetcher(world.handle), store, OPEN).load(DAY)
    down = FakeFetcher(unreachable)
    feed = feed_over(down, store, OPEN + timedelta(hours=3))
    listed = await feed.days()
    assert listed[-1] == date(2026, 11, 25) and not down.gets  # listing never waits on the network
    shown = await feed.load(DAY)
    assert shown.stale and shown.note.startswith("offline: showing data from 2026-11-25 12:00 UTC")
    assert shown.day.papers[0].arxiv_id == built.day.papers[0].arxiv_id == A
    with pytest.raises(FeedError, match=r"2026-11-23 was never built here; the nearest days kept here: 2026-11-24$"):
        await feed.load(date(2026, 11, 23))
    # The network was found out of reach: the listing now offers what can be shown.
    assert await feed.days() == [DAY]
    assert feed.start_note is not None and "showing live days built earlier, newest 2026-11-24" in feed.start_note


async def test_network_down_and_nothing_kept_is_a_clear_error(tmp_path: Path) -> None:
    down = FakeFetcher(unreachable)
    feed = feed_over(down, LiveDayStore(tmp_path), NOW)
    assert (await feed.days())[-1] == date(2026, 11, 26)
    with pytest.raises(FeedError, match="was never built here") as first:
        await feed.load(DAY)
    tried = asked(down)
    # Moments later, another day fails at once instead of waiting on every source again.
    with pytest.raises(
        FeedError, match=r"offline \(no source answers\): the live day 2026-11-23 was never built"
    ) as then:
        await feed.load(date(2026, 11, 23))
    assert asked(down) == tried
    # Both for want of a network, as export --all counts and groups them ("4 failed (4 network)").
    for err in (first.value, then.value):
        assert isinstance(err.__cause__, FetchError) and err.__cause__.offline
    with pytest.raises(FeedError, match="no live day was built here before"):
        await feed.days()


async def test_offline_flag_lists_the_kept_days_or_says_there_are_none(world: World, tmp_path: Path) -> None:
    store = LiveDayStore(tmp_path)
    nothing = feed_over(FakeFetcher(world.handle, offline=True), store, NOW)
    with pytest.raises(FeedError, match=r"offline \(--offline\), and no live day was built here before"):
        await nothing.days()
    await feed_over(FakeFetcher(world.handle), store, NOW).load(DAY)
    offline = feed_over(FakeFetcher(world.handle, offline=True), store, NOW + timedelta(days=3))
    assert await offline.days() == [DAY]
    assert offline.start_note == "offline (--offline): showing live days built earlier, newest 2026-11-24"


async def test_a_day_never_built_offline_is_an_error_not_an_empty_day(world: World) -> None:
    feed = LiveFeed(FakeFetcher(world.handle, offline=True), LiveSettings(), now=lambda: NOW)
    with pytest.raises(FeedError, match="never built here"):
        await feed.load(DAY)


def test_live_settings_follow_the_config() -> None:
    config = Config()
    settings = live_settings(config)
    assert settings.window_days == config.live.window_days and settings.bluesky_handle is None
    assert settings.live_start == date(2023, 5, 4) and settings.extra_holidays == ()
    assert config.default_feed == "timeline"


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


async def test_the_search_index_takes_kept_days_as_kept_and_never_builds(world: World, tmp_path: Path) -> None:
    from hotpapers_tui.library.searchindex import SearchIndex, feed_key, sync_feed

    store = LiveDayStore(tmp_path / "live-days")
    await feed_over(FakeFetcher(world.handle), store, OPEN).load(DAY)  # built in its window: not final
    later = FakeFetcher(world.handle)
    feed = feed_over(later, store, OPEN + timedelta(hours=2))  # old enough that load() would build it again
    gets: list[date] = []
    real_get = store.get

    def counted(day: date) -> object:
        gets.append(day)
        return real_get(day)

    store.get = counted  # type: ignore[method-assign,assignment]
    with SearchIndex.open(tmp_path / "search.sqlite3") as index:
        first = await sync_feed(index, feed)
        assert (first.indexed, asked(later)) == (1, 0), "indexed from the kept file, nothing asked"
        assert [h.arxiv_id for h in index.search(feed_key(feed), "bold")] == [A]
        gets.clear()
        again = await sync_feed(index, feed)
        assert (again.unchanged, gets) == (1, []), "the kept file unchanged: not read again"
        # Built again (R): the kept file changed, so the next pass reads it again, still asking nothing.
        await feed.load(DAY, refresh=True)
        asked_before, gets[:] = asked(later), []
        third = await sync_feed(index, feed)
        assert third.unchanged + third.indexed == 1 and gets == [DAY] and asked(later) == asked_before


async def test_a_day_at_hand_is_the_kept_day_and_a_day_never_built_is_an_error(world: World, tmp_path: Path) -> None:
    from hotpapers_tui.feeds.base import load_at_hand

    store = LiveDayStore(tmp_path)
    built = await feed_over(FakeFetcher(world.handle), store, OPEN).load(DAY)
    later = FakeFetcher(world.handle)
    feed = feed_over(later, store, OPEN + timedelta(hours=2))
    kept = await load_at_hand(feed, DAY)
    assert kept.day.papers == built.day.papers and kept.note.startswith("built 2026-11-25 12:00 UTC; sources:")
    with pytest.raises(FeedError, match=r"^live: the day 2026-11-23 was never built here$"):
        await load_at_hand(feed, date(2026, 11, 23))
    assert asked(later) == 0
