"""A remote feed made when its days are first asked for: checked at once, made once, its extras its own."""

from __future__ import annotations

from datetime import date

import pytest

from hotpapers_tui.config import load_config
from hotpapers_tui.feeds import FeedError, open_feed
from hotpapers_tui.feeds.deferred import DeferredFeed
from hotpapers_tui.feeds.folder import sample_feed


class Stepping:
    """A sample feed with an optional extra of the kind feeds.base asks for."""

    def __init__(self) -> None:
        self.inner = sample_feed()
        self.name = "stepping"
        self.closed = False

    async def days(self) -> list[date]:
        return list(await self.inner.days())

    async def load(self, day: date, **kwargs: object) -> object:
        return await self.inner.load(day)

    async def aclose(self) -> None:
        self.closed = True

    def step_note(self, shown: date, target: date) -> str:
        return f"{shown} to {target}"


async def test_made_once_on_first_use_and_its_extras_are_the_real_feeds() -> None:
    made: list[Stepping] = []

    def opener() -> Stepping:
        made.append(Stepping())
        return made[-1]

    feed = DeferredFeed("stepping", opener, ["json"])
    assert feed.name == "stepping" and not made
    with pytest.raises(AttributeError):
        feed.step_note  # noqa: B018 - not open yet: feeds.base then takes the feed to have no such extra
    assert await feed.days() == [date(2021, 6, 22)]
    loaded = await feed.load(date(2021, 6, 22))
    assert len(loaded.day.papers) == 22  # type: ignore[attr-defined]
    assert feed.step_note(date(2021, 6, 22), date(2021, 6, 23)) == "2021-06-22 to 2021-06-23"
    assert len(made) == 1
    await feed.aclose()
    assert made[0].closed


async def test_an_opener_that_fails_is_tried_again_next_time() -> None:
    tries: list[int] = []

    def opener() -> Stepping:
        tries.append(1)
        if len(tries) == 1:
            raise FeedError("cannot open the cache folder")
        return Stepping()

    feed = DeferredFeed("stepping", opener)
    with pytest.raises(FeedError, match="cannot open the cache folder"):
        await feed.days()
    assert await feed.days() == [date(2021, 6, 22)] and len(tries) == 2


async def test_closed_before_it_was_made_it_is_never_made() -> None:
    feed = DeferredFeed("stepping", Stepping)
    await feed.aclose()
    with pytest.raises(FeedError, match="closed"):
        await feed.days()
    assert not feed.is_open


def test_a_remote_feed_is_checked_at_once_when_deferred() -> None:
    config = load_config()
    with pytest.raises(FeedError, match="is not a GitHub name or folder"):
        open_feed("github:owner/re po/posts", config=config, deferred=True)
    with pytest.raises(FeedError, match="unknown feed"):
        open_feed("nonsense", config=config, deferred=True)
    feed = open_feed("timeline", config=config, deferred=True)
    assert isinstance(feed, DeferredFeed) and feed.name == "timeline" and not feed.is_open
    assert not isinstance(open_feed("sample", deferred=True), DeferredFeed), "local feeds cost nothing to make"
