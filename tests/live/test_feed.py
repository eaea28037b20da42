"""The live feed over the fake internet, and the ``sources`` command."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.cli import main
from hotpapers_tui.cli.live_cmds import render_sources
from hotpapers_tui.config import live_settings, load_config
from hotpapers_tui.feeds import FeedError
from hotpapers_tui.live.feed import LiveFeed, open_live_feed, source_states
from hotpapers_tui.live.settings import LiveSettings
from tests.live.conftest import DAY, NOW, A, credentials
from tests.live.fakes import FakeFetcher
from tests.live.world import World


async def test_days_run_from_live_start_to_the_newest_listing_without_the_network(fetcher: FakeFetcher) -> None:
    feed = LiveFeed(fetcher, LiveSettings(), now=lambda: NOW)
    assert feed.name == "live"
    days = list(await feed.days())
    # Thursday noon UTC: Thursday's listing was announced on Wednesday evening.
    assert days[-4:] == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    assert days[0] == date(2023, 5, 4) and days == sorted(set(days))
    assert date(2023, 11, 24) not in days and date(2023, 11, 27) in days  # the Friday after Thanksgiving 2023
    assert not fetcher.gets  # computed from arXiv's calendar, nothing asked
    later = LiveFeed(fetcher, LiveSettings(live_start=date(2026, 11, 1)), now=lambda: NOW)
    assert (await later.days())[0] == date(2026, 11, 2)  # the first listing day on or after live_start


async def test_load_builds_the_day_and_says_which_sources(fetcher: FakeFetcher) -> None:
    feed = LiveFeed(fetcher, LiveSettings(), now=lambda: NOW)
    lines: list[str] = []
    loaded = await feed.load(DAY, progress=lines.append)
    assert loaded.day.papers[0].arxiv_id == A
    assert loaded.fetched_at == NOW and not loaded.stale
    assert loaded.note.startswith("sources: hackernews (2 posts), huggingface (2 papers), arxiv (")
    assert loaded.note.endswith("skipped: bluesky (no credentials), x (no credentials)")
    assert "found 2 papers" in lines


async def test_bluesky_session_lives_as_long_as_the_feed(fetcher: FakeFetcher) -> None:
    feed = LiveFeed(fetcher, credentials(), now=lambda: NOW)
    await feed.load(DAY)
    await feed.load(date(2026, 11, 25), refresh=True)
    assert fetcher.count("bluesky_auth") == 1
    assert fetcher.count("bluesky") == 4  # two queries (text, links) a day


async def test_a_weekend_day_is_a_feed_error(fetcher: FakeFetcher) -> None:
    feed = LiveFeed(fetcher, LiveSettings(), now=lambda: NOW)
    with pytest.raises(FeedError, match="Saturday"):
        await feed.load(date(2026, 11, 21))


async def test_aclose_closes_only_an_owned_fetcher(world: World) -> None:
    fetcher = FakeFetcher(world.handle)
    await LiveFeed(fetcher, LiveSettings()).aclose()
    assert not fetcher.client.is_closed
    await LiveFeed(fetcher, LiveSettings(), owns_fetcher=True).aclose()
    assert fetcher.client.is_closed


def test_settings_hide_secrets_and_read_the_environment(tmp_path: Path) -> None:
    env = {"HOTPAPERS_BLUESKY_HANDLE": "me.bsky.social", "HOTPAPERS_BLUESKY_APP_PASSWORD": "s3cret"}
    settings = live_settings(load_config(tmp_path / "none.toml", env=env))
    assert settings.has_bluesky and not settings.has_x
    assert "s3cret" not in repr(settings) and "me.bsky.social" not in repr(settings)
    assert not live_settings(load_config(tmp_path / "none.toml", env={"HOTPAPERS_X_BEARER_TOKEN": ""})).has_x


def test_source_states() -> None:
    states = {s.name: s for s in source_states(credentials(bluesky_handle=None))}
    assert not states["bluesky"].enabled and "no credentials" in states["bluesky"].why
    assert states["x"].enabled and "at most 100 posts" in states["x"].why and "reaches back 7 days" in states["x"].why
    offline = {s.name: s for s in source_states(credentials(bluesky_handle=None), offline=True)}
    assert not offline["x"].enabled and offline["x"].why == "offline: cached answers only"
    assert "no credentials" in offline["bluesky"].why


def test_sources_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTPAPERS_BLUESKY_HANDLE", raising=False)
    monkeypatch.delenv("HOTPAPERS_BLUESKY_APP_PASSWORD", raising=False)
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", "token-value")
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert set(lines) == {"hackernews", "huggingface", "bluesky", "x", "x_oembed", "arxiv"}
    assert lines["bluesky"].startswith("disabled") and lines["x"].startswith("enabled")
    assert lines["bluesky"].split(None, 1)[1] == (
        "no credentials (no handle and app password): run 'hotpapers-tui login bluesky', "
        "or set HOTPAPERS_BLUESKY_HANDLE and HOTPAPERS_BLUESKY_APP_PASSWORD"
    )
    assert "token-value" not in out
    # Half of Bluesky's pair set: the rest is named; X without a token points to its own login.
    monkeypatch.setenv("HOTPAPERS_BLUESKY_HANDLE", "me.bsky.social")
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    assert main(["sources"]) == 0
    lines = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert lines["bluesky"] == (
        "disabled  no credentials (no app password): run 'hotpapers-tui login bluesky', "
        "or set HOTPAPERS_BLUESKY_APP_PASSWORD"
    )
    assert lines["x"] == (
        "disabled  no credentials (no bearer token): run 'hotpapers-tui login x', or set HOTPAPERS_X_BEARER_TOKEN"
    )
    assert render_sources(LiveSettings(), offline=True).count("disabled") == 6


async def test_metadata_kept_on_disk_survives_the_feed(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(tmp_path))
    first = FakeFetcher(world.handle)
    feed = open_live_feed(first, LiveSettings(), now=lambda: NOW)
    await feed.load(DAY)
    await feed.aclose()
    assert first.count("arxiv") == 1 and first.client.is_closed
    second = FakeFetcher(world.handle)  # an empty HTTP cache: only the disk store remembers
    feed = open_live_feed(second, LiveSettings(), now=lambda: NOW)
    loaded = await feed.load(DAY)
    await feed.aclose()
    assert [p.arxiv_id for p in loaded.day.papers] == [A, "2611.00003"]
    # Every paper arXiv gave the first time was stored: none is asked for again.
    assert second.count("arxiv") == 0


async def test_concurrent_searches_share_one_sign_in(world: World, fetcher: FakeFetcher) -> None:
    feed = LiveFeed(fetcher, credentials(), now=lambda: NOW)
    await asyncio.gather(feed.load(DAY), feed.load(date(2026, 11, 25)))
    assert fetcher.count("bluesky_auth") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_days": 0}, "window_days must be at least 1"),
        ({"weight_likes": -1.0}, "weight_likes must not be negative"),
        ({"min_post_score": -2}, "min_post_score must not be negative"),
        ({"max_posts": 0}, "max_posts must be at least 1"),
    ],
)
def test_settings_refuse_nonsense(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LiveSettings(**changes)  # type: ignore[arg-type]


async def test_without_network_a_day_is_rebuilt_from_cached_answers(world: World) -> None:
    fetcher = FakeFetcher(world.handle)
    feed = LiveFeed(fetcher, credentials(), now=lambda: NOW)
    fresh = await feed.load(DAY)
    fetcher.offline = True
    again = await feed.load(DAY, refresh=True)
    assert again.stale and not fresh.stale
    assert [(p.arxiv_id, p.score) for p in again.day.papers] == [(p.arxiv_id, p.score) for p in fresh.day.papers]
    assert again.note.endswith("; some answers came from an expired cache")
