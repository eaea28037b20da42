"""Past listing days built on demand: 2024 with X out of reach, a holiday week, a holiday the user adds."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hotpapers_tui.config import ConfigError, config_from_toml, describe_config
from hotpapers_tui.feeds import FeedError
from hotpapers_tui.live.build import build_day, source_status
from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from tests.live.conftest import DAY, NOW, A, credentials, standard_world
from tests.live.fakes import FakeFetcher
from tests.live.world import Paper, World, bsky_post, hn_hit, x_tweet

TODAY = datetime(2026, 11, 30, 20, 43, tzinfo=UTC)
"""A fixed clock: Monday 30 November 2026, afternoon in New York."""

MARCH_12 = date(2024, 3, 12)
"""A Tuesday: submissions from Friday 8 March 14:00 EST to Monday 11 March 14:00 EDT, announced Monday 20:00 EDT."""
P1, P2, P_OLD = "2403.01001", "2403.01002", "2402.09999"


def world_of_march_2024() -> World:
    world = World()
    t0 = datetime(2024, 3, 12, 5, 0, tzinfo=UTC)  # in the attention window: 12 March 00:00 to 14 March 00:00 UTC
    world.papers = {
        P1: Paper(P1, "A paper of March 2024", datetime(2024, 3, 9, 12, tzinfo=UTC)),
        P2: Paper(P2, "Another paper", datetime(2024, 3, 11, 17, tzinfo=UTC)),
        P_OLD: Paper(P_OLD, "Older", datetime(2024, 2, 20, 12, tzinfo=UTC)),
    }
    world.hn = [
        hn_hit(11, f"https://arxiv.org/abs/{P1}", t0, points=40),
        hn_hit(12, f"https://arxiv.org/abs/{P_OLD}", t0, points=90),
        hn_hit(13, f"https://arxiv.org/abs/{P2}", datetime(2024, 3, 14, 2, tzinfo=UTC), points=500),  # too late
    ]
    world.bsky = [bsky_post("m1", t0, text="nice", link=f"https://arxiv.org/abs/{P2}", likes=12, reposts=2)]
    world.x = [x_tweet("9001", t0, f"https://arxiv.org/abs/{P2}", likes=1000)]
    world.hf = {"2024-03-12": [{"paper": {"id": P2, "title": "Another paper", "upvotes": 9}}]}
    world.hf_last_day = "2026-11-30"
    return world


async def test_a_day_of_2024_is_built_with_x_skipped_and_kept_final(tmp_path: Path) -> None:
    fetcher = FakeFetcher(world_of_march_2024().handle)
    store = LiveDayStore(tmp_path)
    feed = LiveFeed(fetcher, credentials(), now=lambda: TODAY, days_store=store)
    assert MARCH_12 in await feed.days()
    loaded = await feed.load(MARCH_12)
    day = loaded.day
    assert [(p.arxiv_id, p.score) for p in day.papers] == [(P1, 40), (P2, 23)]
    assert day.papers[1].breakdown == (("bluesky", 14), ("huggingface", 9))
    # X's recent search reaches back seven days: it is never asked, and the note says why.
    assert fetcher.count("x") == 0
    assert source_status(day)["x"] == "skipped: X's recent search reaches back 7 days only, and this window is older"
    assert "x (X's recent search reaches back 7 days only, and this window is older)" in loaded.note
    hn = fetcher.params("hackernews")[0]["numericFilters"]
    assert hn == "created_at_i>=1710201600,created_at_i<1710374400"  # 12 March 00:00 to 14 March 00:00 UTC
    assert fetcher.params("huggingface")[0]["date"] == "2024-03-12"
    assert day.extra["submissions"] == "2024-03-08T19:00:00Z to 2024-03-11T18:00:00Z"

    # Its window closed long ago and every source answered or could not be asked: kept for good.
    offline = FakeFetcher(world_of_march_2024().handle, offline=True)
    again = await LiveFeed(offline, credentials(), now=lambda: TODAY + timedelta(days=90), days_store=store).load(
        MARCH_12
    )
    assert not again.stale and "after its attention window closed" in again.note and not offline.gets
    assert [p.arxiv_id for p in again.day.papers] == [P1, P2]


async def test_a_day_before_hugging_face_began_skips_it_without_asking() -> None:
    world = world_of_march_2024()
    fetcher = FakeFetcher(world.handle)
    settings = LiveSettings(live_start=date(2023, 1, 2))
    day = await build_day(date(2023, 5, 3), fetcher, settings, now=TODAY)
    assert source_status(day)["huggingface"] == "skipped: Hugging Face Daily Papers begin 2023-05-04"
    assert fetcher.count("huggingface") == 0 and fetcher.count("hackernews") == 1
    assert (await LiveFeed(fetcher, settings, now=lambda: TODAY).days())[0] == date(2023, 1, 2)


THANKSGIVING_MONDAY = date(2023, 11, 27)
Q_THU, Q_WED = "2311.05001", "2311.05000"


async def test_the_day_after_a_holiday_holds_the_skipped_days_papers() -> None:
    world = World()
    t0 = datetime(2023, 11, 27, 6, tzinfo=UTC)  # Monday's attention window: 27 November 01:00 UTC on
    world.papers = {
        # Submitted on Thanksgiving: it would have been Friday 24's, which arXiv never listed.
        Q_THU: Paper(Q_THU, "Submitted on Thanksgiving", datetime(2023, 11, 23, 15, tzinfo=UTC)),
        # Submitted on Wednesday morning: Thursday 23's, announced on Wednesday evening as usual.
        Q_WED: Paper(Q_WED, "Submitted on Wednesday", datetime(2023, 11, 22, 10, tzinfo=UTC)),
    }
    world.hn = [
        hn_hit(21, f"https://arxiv.org/abs/{Q_THU}", t0, points=30),
        hn_hit(22, f"https://arxiv.org/abs/{Q_WED}", t0, points=30),
    ]
    world.hf_last_day = "2026-11-30"
    fetcher = FakeFetcher(world.handle)
    feed = LiveFeed(fetcher, LiveSettings(), now=lambda: TODAY)
    listed = await feed.days()
    assert date(2023, 11, 24) not in listed and THANKSGIVING_MONDAY in listed
    assert [d for d in listed if date(2023, 12, 22) <= d <= date(2023, 12, 29)] == [
        date(2023, 12, 22),
        date(2023, 12, 25),
        date(2023, 12, 27),
        date(2023, 12, 29),
    ]
    monday = (await feed.load(THANKSGIVING_MONDAY)).day
    assert [p.arxiv_id for p in monday.papers] == [Q_THU]
    assert monday.extra["submissions"] == "2023-11-22T19:00:00Z to 2023-11-24T19:00:00Z"
    with pytest.raises(FeedError, match=r"evening of Thursday 2023-11-23 \(a holiday\).*2023-11-27's"):
        await feed.load(date(2023, 11, 24))


async def test_a_holiday_the_user_adds() -> None:
    world = standard_world()
    # Paper A (submitted Saturday 21 November) is Tuesday 24's; a post about it on Wednesday 25.
    world.hn.append(hn_hit(31, f"https://arxiv.org/abs/{A}", datetime(2026, 11, 25, 6, tzinfo=UTC), points=25))
    wednesday = date(2026, 11, 25)
    regular = await build_day(wednesday, FakeFetcher(world.handle), LiveSettings(), now=NOW)
    assert A not in [p.arxiv_id for p in regular.papers]

    # The user learns arXiv skipped Monday 23's evening: no Tuesday listing, Wednesday holds both days.
    settings = LiveSettings(extra_holidays=(date(2026, 11, 23),))
    feed = LiveFeed(FakeFetcher(world.handle), settings, now=lambda: NOW)
    assert DAY not in await feed.days() and wednesday in await feed.days()
    with pytest.raises(FeedError, match="no listing 2026-11-24; its submissions are in 2026-11-25's"):
        await feed.load(DAY)
    merged = (await feed.load(wednesday)).day
    assert A in [p.arxiv_id for p in merged.papers]
    assert merged.extra["submissions"] == "2026-11-20T19:00:00Z to 2026-11-24T19:00:00Z"


def test_the_config_keys_for_the_live_days(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = '[live]\nlive_start = 2023-06-01\nextra_holidays = [2026-11-23, "2027-01-18", 2026-11-23]\n'
    config = config_from_toml(tomllib.loads(text), path)
    assert config.live.live_start == date(2023, 6, 1)
    assert config.live.extra_holidays == (date(2026, 11, 23), date(2027, 1, 18))
    assert not config.live.calendar.is_listing_day(date(2027, 1, 19))
    # What `config show` prints reads back as the same settings.
    shown = describe_config(config)
    assert "live_start = 2023-06-01\nextra_holidays = [2026-11-23, 2027-01-18]\n" in shown
    table = tomllib.loads(shown.split("[live]\n", 1)[1].split("\n\n", 1)[0])
    assert config_from_toml({"live": table}, path).live == config.live


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extra_holidays = [2026-11-27]", r"live: extra_holidays: 2026-11-27 is a Friday.*the evening arXiv skipped"),
        (
            'extra_holidays = ["Thanksgiving"]',
            r"live\.extra_holidays\.0: expected a date \(YYYY-MM-DD\), got 'Thanksgiving'",
        ),
        ("extra_holidays = 2026-11-26", r"live\.extra_holidays: expected a list, got 2026-11-26"),
        (
            "extra_holidays = [2026-11-26T20:00:00]",
            r"live\.extra_holidays\.0: expected a date \(YYYY-MM-DD\), got 2026-11-26T20:00:00",
        ),
        ('live_start = "soon"', r"live\.live_start: expected a date \(YYYY-MM-DD\), got 'soon'"),
        ("live_start = 2001-01-01", r"live\.live_start: must be 2007-04-02 or later, not 2001-01-01"),
    ],
)
def test_the_config_keys_refuse_nonsense(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError, match=message) as caught:
        config_from_toml(tomllib.loads(f"[live]\n{text}\n"), path)
    assert str(caught.value).startswith(str(path))
